//! [`ApiConfig`] (what the binary decides) and [`ApiState`] (what every handler shares).

use crate::media::{FsMediaStore, MediaStore};
use crate::rate_limit::{RateLimitConfig, RateLimits};
use actix_web::HttpRequest;
use hubbub_core::clock::Clock;
use hubbub_core::ids::IdGenerator;
use hubbub_core::token::TokenKeys;
use hubbub_storage::Store;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Notify;

/// The API's settings, handed over by the server crate.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// The instance's name, e.g. "Hubbub".
    pub instance_title: String,
    /// `HUBBUB_PUBLIC_URL`; `None` derives scheme and host from each request.
    pub public_url: Option<String>,
    /// `HUBBUB_STREAMING_URL`; `None` gives `ws://<request host>:<streaming_port>`.
    pub streaming_url: Option<String>,
    /// The gateway's port, used when `streaming_url` is not set.
    pub streaming_port: u16,
    /// Whether anyone may register.
    pub open_registration: bool,
    /// The longest post, in characters.
    pub max_status_chars: usize,
    /// How long an access token lives.
    pub token_lifetime: chrono::Duration,
    /// Largest JSON or form body accepted; larger gets 413.
    pub max_body_bytes: usize,
    /// Folder of the default media store (uploaded images), e.g. `<data dir>/media`.
    pub media_dir: PathBuf,
    /// Largest uploaded image file accepted, in bytes; larger gets 413.
    pub max_upload_bytes: usize,
    /// Most pixels (width × height) an uploaded image may have; more gets 422.
    pub max_image_pixels: u64,
    /// Requests allowed per user and per IP.
    pub rate_limits: RateLimitConfig,
}

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct ApiState {
    /// The database.
    pub store: Store,
    /// Signs and verifies access tokens.
    pub keys: TokenKeys,
    /// Settings.
    pub config: Arc<ApiConfig>,
    /// Mints time-ordered ids.
    pub ids: Arc<IdGenerator>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Woken after each committed write that appended to the outbox, so the relay
    /// publishes at once instead of at its next poll.
    pub outbox_wake: Arc<Notify>,
    /// Single sign-on, when configured.
    pub sso: Option<Arc<crate::sso::Sso>>,
    /// Time zone of the digest for people who never chose one.
    pub email_time_zone: chrono_tz::Tz,
    /// Where uploaded files live (the `media_dir` folder unless replaced with
    /// [`ApiState::with_media_store`]).
    pub media: Arc<dyn MediaStore>,
    /// This process's rate-limit buckets.
    pub rate_limits: Arc<RateLimits>,
}

impl ApiState {
    /// Bundles the shared parts.
    pub fn new(
        store: Store,
        keys: TokenKeys,
        config: ApiConfig,
        clock: Arc<dyn Clock>,
        outbox_wake: Arc<Notify>,
    ) -> Self {
        let media = Arc::new(FsMediaStore::new(config.media_dir.clone()));
        Self {
            store,
            keys,
            media,
            rate_limits: Arc::new(RateLimits::new(&config.rate_limits)),
            config: Arc::new(config),
            ids: Arc::new(IdGenerator::new()),
            clock,
            outbox_wake,
            sso: None,
            email_time_zone: chrono_tz::Tz::UTC,
        }
    }

    /// Turns single sign-on on.
    pub fn with_sso(mut self, sso: crate::sso::Sso) -> Self {
        self.sso = Some(Arc::new(sso));
        self
    }

    /// Sets the digest time zone of people who never chose one.
    pub fn with_email_time_zone(mut self, time_zone: chrono_tz::Tz) -> Self {
        self.email_time_zone = time_zone;
        self
    }

    /// Whether password sign-in and registration are off (`HUBBUB_SSO_ONLY`).
    pub fn sso_only(&self) -> bool {
        self.sso.as_ref().is_some_and(|sso| sso.config.sso_only)
    }

    /// Whether `username` may sign in with a password: always, unless SSO-only is
    /// on, and then only the break-glass admin.
    pub fn password_sign_in_allowed(&self, username: &str) -> bool {
        match &self.sso {
            Some(sso) if sso.config.sso_only => sso
                .config
                .break_glass_admin
                .as_deref()
                .is_some_and(|admin| admin.eq_ignore_ascii_case(username)),
            _ => true,
        }
    }

    /// Keeps uploaded files in `media` instead of the `media_dir` folder (e.g. an
    /// S3-compatible store).
    pub fn with_media_store(mut self, media: Arc<dyn MediaStore>) -> Self {
        self.media = media;
        self
    }

    /// Tells the outbox relay there is something to publish.
    pub fn wake_relay(&self) {
        self.outbox_wake.notify_one();
    }

    /// The URL clients reach this instance at, without a trailing slash.
    pub fn base_url(&self, req: &HttpRequest) -> String {
        match &self.config.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => {
                let info = req.connection_info();
                format!("{}://{}", info.scheme(), info.host())
            }
        }
    }

    /// The streaming gateway's base URL as Mastodon reports it (`ws://host:port`).
    pub fn streaming_url(&self, req: &HttpRequest) -> String {
        match &self.config.streaming_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => {
                let base = self.base_url(req);
                let host = base
                    .split_once("://")
                    .map_or(base.as_str(), |(_, rest)| rest);
                format!(
                    "ws://{}:{}",
                    host_without_port(host),
                    self.config.streaming_port
                )
            }
        }
    }

    /// The host part of the base URL (Mastodon's `domain`/`uri`).
    pub fn domain(&self, req: &HttpRequest) -> String {
        let base = self.base_url(req);
        let host = base
            .split_once("://")
            .map_or(base.as_str(), |(_, rest)| rest);
        host.split('/').next().unwrap_or(host).to_owned()
    }
}

/// `example.org:8080` → `example.org`; `[::1]:8080` → `[::1]`.
fn host_without_port(host: &str) -> &str {
    let host = host.split('/').next().unwrap_or(host);
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::host_without_port;

    #[test]
    fn ports_are_cut_from_names_and_ipv6_literals() {
        assert_eq!(host_without_port("example.org:8080"), "example.org");
        assert_eq!(host_without_port("example.org"), "example.org");
        assert_eq!(host_without_port("[::1]:8080"), "[::1]");
        assert_eq!(host_without_port("127.0.0.1:80/x"), "127.0.0.1");
    }
}
