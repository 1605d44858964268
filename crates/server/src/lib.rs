//! The `hubbub` server: wiring of storage, API, relay and gateway.
//!
//! - [`settings`]: flags and `HUBBUB_*` variables, checked once.
//! - [`launch`]: starts what the role asks for on listeners the caller bound
//!   (port 0 in tests).
//! - [`ops`]: `/health`, `/ready`, `/metrics` and the request-id middleware.
//! - [`admin`]: `hubbub admin ...` (accounts, roles, directory import, exports).
//! - [`seed`]: `hubbub seed`, demo data in stages.
//! - [`bench`]: `hubbub bench api`, the bulk loader and the measurements.
//! - `web_client`: serves the built web client (`web/dist`) embedded in the binary.
//! - `signing_key`: reads or creates the token signing key in the data folder.
//! - [`mail`]: the email worker (notices batched per thread, weekly digest, SMTP).
//! - `settings_sso`, `settings_email`: the SSO and email parts of the settings.

pub mod admin;
pub mod bench;
pub mod mail;
pub mod ops;
pub mod seed;
pub mod settings;
pub mod settings_email;
pub mod settings_sso;
mod signing_key;
mod web_client;

use actix_web::{App, HttpServer, middleware, web};
use anyhow::Context;
use hubbub_api::rate_limit::Limit;
use hubbub_api::{ApiConfig, ApiState};
use hubbub_core::clock::{Clock, SystemClock};
use hubbub_core::token::TokenKeys;
use hubbub_realtime::{Bus, Gateway, GatewayLimits, RelayOptions};
use hubbub_storage::{Backend, Store};
use settings::{Role, Settings};
use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use tokio::sync::{Notify, watch};

/// The sockets Hubbub serves on, bound before launch so tests can use port 0.
/// A role that does not serve one of them leaves it `None`.
pub struct Listeners {
    /// HTTP API and web client (roles api and all).
    pub api: Option<TcpListener>,
    /// Streaming gateway (roles streaming and all).
    pub streaming: Option<TcpListener>,
}

impl Listeners {
    /// Binds both addresses (role all).
    pub fn bind(api: SocketAddr, streaming: SocketAddr) -> anyhow::Result<Self> {
        Self::for_role(Role::All, api, streaming)
    }

    /// Binds the addresses `role` serves.
    pub fn for_role(role: Role, api: SocketAddr, streaming: SocketAddr) -> anyhow::Result<Self> {
        let api = match role.serves_api() {
            true => Some(
                TcpListener::bind(api)
                    .with_context(|| format!("HUBBUB_LISTEN: cannot listen on {api}"))?,
            ),
            false => None,
        };
        let streaming = match role.serves_streaming() {
            true => Some(TcpListener::bind(streaming).with_context(|| {
                format!("HUBBUB_STREAMING_LISTEN: cannot listen on {streaming}")
            })?),
            false => None,
        };
        Ok(Self { api, streaming })
    }
}

/// Connects to the database and runs pending migrations.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&settings.data_dir).with_context(|| {
        format!(
            "HUBBUB_DATA_DIR: cannot create {}",
            settings.data_dir.display()
        )
    })?;
    let shown_url = settings::redact_url(&settings.database_url);
    let store = Store::connect(&settings.database_url, pool_size(&settings.database_url))
        .await
        .with_context(|| format!("HUBBUB_DATABASE_URL: cannot open {shown_url}"))?;
    let applied = store
        .migrate()
        .await
        .with_context(|| format!("migrating {shown_url}"))?;
    tracing::info!(database = %shown_url, applied, "database ready");
    Ok(store)
}

fn pool_size(database_url: &str) -> u32 {
    if database_url.starts_with("postgres") {
        16
    } else {
        8
    }
}

/// Runs Hubbub until `shutdown` resolves: what `settings.role` asks for
/// (the API, web client and outbox relay; the gateway; or all of it).
///
/// Shutdown order: the API stops accepting and finishes in-flight requests;
/// then the stop flag tells the gateway to close every stream with 1012
/// (service restart, so clients reconnect, to another node if there is one)
/// and the relay to publish what those last requests committed.
pub async fn launch(
    settings: Settings,
    listeners: Listeners,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let role = settings.role;
    let store = open_store(&settings).await?;
    let secret = match &settings.jwt_secret {
        Some(secret) => secret.clone(),
        None => signing_key::load_or_create(&settings.data_dir)?,
    };
    let keys = TokenKeys::from_secret(&secret);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let bus = match &settings.redis_url {
        Some(url) => Bus::redis(url, &settings.redis_channel)
            .await
            .with_context(|| {
                format!("HUBBUB_REDIS_URL: cannot use {}", settings::redact_url(url))
            })?,
        None => Bus::in_process(),
    };
    let (stop_tx, stop_rx) = watch::channel(false);

    let redis = settings.redis_url.is_some();
    let gateway = match (role.serves_streaming(), listeners.streaming) {
        (true, Some(listener)) => {
            let routes = ops::Ops::new(store.clone(), bus.clone(), redis, None).plain_routes();
            let limits = GatewayLimits {
                max_connections_per_account: settings.streaming_max_connections_per_account,
                ..GatewayLimits::default()
            };
            let gateway = Gateway::with_limits(
                store.clone(),
                bus.clone(),
                keys.clone(),
                clock.clone(),
                limits,
            )
            .with_plain_routes(routes);
            Some((listener, gateway))
        }
        (true, None) => anyhow::bail!("role {role:?} needs a streaming listener"),
        (false, _) => None,
    };
    let ops = ops::Ops::new(
        store.clone(),
        bus.clone(),
        redis,
        gateway.as_ref().map(|(_, gateway)| gateway.clone()),
    );
    let mut streaming_port = settings.streaming_listen.port();
    let mut streaming_addr = None;
    let gateway_task = match gateway {
        Some((listener, gateway)) => {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            streaming_port = listener.local_addr()?.port();
            streaming_addr = Some(listener.local_addr()?.to_string());
            Some(tokio::spawn(hubbub_realtime::serve(
                listener,
                gateway,
                stopped(stop_rx.clone()),
            )))
        }
        None => None,
    };

    let mut api_addr = None;
    let (relay, server, mail) = match (role.serves_api(), listeners.api) {
        (true, Some(listener)) => {
            api_addr = Some(listener.local_addr()?.to_string());
            let outbox_wake = Arc::new(Notify::new());
            let relay = hubbub_realtime::spawn_relay_with(
                store.clone(),
                bus.clone(),
                outbox_wake.clone(),
                stop_rx.clone(),
                RelayOptions {
                    retention: settings.outbox_retention,
                    ..RelayOptions::default()
                },
            );
            let config = ApiConfig {
                instance_title: "Hubbub".to_owned(),
                public_url: settings.public_url.clone(),
                streaming_url: settings.streaming_url.clone(),
                streaming_port,
                open_registration: settings.open_registration,
                max_status_chars: settings.max_status_chars,
                token_lifetime: chrono::Duration::days(90),
                max_body_bytes: 256 * 1024,
                media_dir: settings.data_dir.join("media"),
                max_upload_bytes: 10 * 1024 * 1024,
                max_image_pixels: 40_000_000,
                rate_limits: hubbub_api::rate_limit::RateLimitConfig {
                    per_user: Limit::per_five_minutes(settings.rate_limit),
                    per_ip: Limit::per_five_minutes(settings.rate_limit),
                    sign_in: Limit::per_five_minutes(settings.rate_limit_sign_in),
                    trust_forwarded_for: settings.trust_proxy,
                },
            };
            let mut state = ApiState::new(store.clone(), keys, config, clock.clone(), outbox_wake)
                .with_email_time_zone(settings.email.time_zone);
            if let Some(sso) = settings.sso.clone() {
                tracing::info!(issuer = %sso.issuer, sso_only = sso.sso_only, "single sign-on on");
                state = state.with_sso(hubbub_api::sso::Sso::new(sso).context("single sign-on")?);
            }
            // The email worker is a background job of the API role.
            let mail = mail::spawn(
                mail::MailContext {
                    store: store.clone(),
                    settings: settings.email.clone(),
                    base_url: settings.public_url.clone().unwrap_or_else(|| {
                        format!(
                            "http://{}",
                            listener
                                .local_addr()
                                .map_or_else(|_| settings.listen.to_string(), |a| a.to_string())
                        )
                    }),
                    ids: state.ids.clone(),
                    clock,
                },
                stop_rx.clone(),
            )?;
            let ops = ops.clone();
            let server = HttpServer::new(move || {
                let state = state.clone();
                let ops = ops.clone();
                App::new()
                    .wrap(middleware::Compress::default())
                    .wrap(middleware::from_fn(ops::track_requests))
                    .configure(move |cfg| ops::configure(cfg, ops))
                    .configure(move |cfg| hubbub_api::configure(cfg, state))
                    .default_service(web::to(web_client::serve))
            })
            .disable_signals()
            .listen(listener)?
            .run();
            (Some(relay), Some(server), Some(mail))
        }
        (true, None) => anyhow::bail!("role {role:?} needs an API listener"),
        (false, _) => (None, None, None),
    };
    let backend = match store.backend() {
        Backend::Postgres => "postgresql",
        Backend::Sqlite => "sqlite",
    };
    tracing::info!(
        ?role,
        api_addr = api_addr.as_deref().unwrap_or("-"),
        streaming_addr = streaming_addr.as_deref().unwrap_or("-"),
        backend,
        "hubbub is up"
    );

    let handle = server.as_ref().map(|server| server.handle());
    let stopper = tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        if let Some(handle) = handle {
            handle.stop(true).await;
        }
        let _ = stop_tx.send(true);
    });
    if let Some(server) = server {
        server.await.context("API server failed")?;
    } else {
        // Streaming alone: run until the stop flag is raised.
        let _ = stopper.await;
    }
    if let Some(mail) = mail
        && let Err(err) = mail.await
    {
        tracing::error!(%err, "email worker ended abnormally");
    }
    if let Some(relay) = relay
        && let Err(err) = relay.await
    {
        tracing::error!(%err, "outbox relay ended abnormally");
    }
    if let Some(gateway_task) = gateway_task {
        match gateway_task.await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::error!(%err, "gateway failed"),
            Err(err) => tracing::error!(%err, "gateway ended abnormally"),
        }
    }
    Ok(())
}

/// Resolves once the stop flag is raised (or its sender is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    while !*stop.borrow_and_update() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}
