//! A running gateway with its store, relay and bus, and helpers to drive it.

use anyhow::Context;
use chrono::Utc;
use futures_util::StreamExt;
use hubbub_core::clock::SystemClock;
use hubbub_core::ids::{AccountId, IdGenerator, StatusId};
use hubbub_core::input::{DisplayName, Email, StatusText, Username};
use hubbub_core::role::Role;
use hubbub_core::token::{TokenClaims, TokenKeys};
use hubbub_realtime::{Bus, Gateway, GatewayLimits, RelayOptions, serve, spawn_relay_with};
use hubbub_storage::Store;
use hubbub_storage::model::{NewAccessToken, NewAccount, NewStatus};
use hubbub_testkit::database::{BackendUnderTest, TestDatabase};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot, watch};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for something that should happen at once.
pub const WAIT: Duration = Duration::from_secs(2);

/// A WebSocket client connection.
pub type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A gateway, relay and store running for one test.
pub struct Harness {
    pub store: Store,
    pub addr: SocketAddr,
    pub bus: Bus,
    keys: TokenKeys,
    wake: Arc<Notify>,
    ids: IdGenerator,
    stop_gateway: Option<oneshot::Sender<()>>,
    pub gateway: JoinHandle<Result<(), hubbub_realtime::RealtimeError>>,
    _stop_relay: watch::Sender<bool>,
    _db: TestDatabase,
}

/// An account with a signed, stored user token.
pub struct User {
    pub id: AccountId,
    pub token: String,
    pub token_id: String,
}

impl Harness {
    pub async fn start() -> anyhow::Result<Harness> {
        Self::start_with(GatewayLimits::default()).await
    }

    pub async fn start_with(limits: GatewayLimits) -> anyhow::Result<Harness> {
        Self::start_on(
            &BackendUnderTest::Sqlite,
            Bus::in_process(),
            limits,
            RelayOptions::default(),
        )
        .await
    }

    /// A harness on `backend`, with its gateway and relay on `bus`.
    pub async fn start_on(
        backend: &BackendUnderTest,
        bus: Bus,
        limits: GatewayLimits,
        relay: RelayOptions,
    ) -> anyhow::Result<Harness> {
        let db = backend.create().await?;
        let store = Store::connect(db.url(), 4).await.context("connecting")?;
        store.migrate().await.context("migrating")?;
        let keys = TokenKeys::from_secret(b"realtime tests: a 32-byte secret!");
        let wake = Arc::new(Notify::new());
        let (stop_relay, relay_stopped) = watch::channel(false);
        spawn_relay_with(
            store.clone(),
            bus.clone(),
            wake.clone(),
            relay_stopped,
            relay,
        );
        let (addr, stop_gateway, gateway) =
            start_gateway(store.clone(), bus.clone(), keys.clone(), limits).await?;
        Ok(Harness {
            store,
            addr,
            bus,
            keys,
            wake,
            ids: IdGenerator::new(),
            stop_gateway: Some(stop_gateway),
            gateway,
            _stop_relay: stop_relay,
            _db: db,
        })
    }

    /// The token keys, to start more gateways on the same store.
    pub fn keys(&self) -> TokenKeys {
        self.keys.clone()
    }

    /// Asks the gateway to shut down.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop_gateway.take() {
            let _ = stop.send(());
        }
    }

    pub async fn user(&self, name: &str) -> anyhow::Result<User> {
        let now = Utc::now();
        let account = self
            .store
            .create_account(NewAccount {
                id: AccountId(self.ids.next(now)),
                username: Username::parse(name)?,
                email: Email::parse(&format!("{name}@example.com"))?,
                display_name: DisplayName::parse(name)?,
                password_hash: "not a real hash".into(),
                role: Role::Member,
                created_at: now,
            })
            .await?;
        let token_id = uuid::Uuid::new_v4().to_string();
        let claims = TokenClaims {
            sub: Some(account.id.to_string()),
            jti: token_id.clone(),
            app: None,
            scope: "read write follow".into(),
            iat: now.timestamp(),
            exp: now.timestamp() + 3600,
        };
        let token = self.keys.sign(&claims)?;
        self.store
            .create_token(NewAccessToken {
                id: token_id.clone(),
                account_id: Some(account.id),
                app_id: None,
                scopes: claims.scope.clone(),
                created_at: now,
                expires_at: Some(now + chrono::Duration::hours(1)),
            })
            .await?;
        Ok(User {
            id: account.id,
            token,
            token_id,
        })
    }

    pub async fn follow(&self, follower: &User, followee: &User) -> anyhow::Result<()> {
        self.store
            .follow(follower.id, followee.id, Utc::now())
            .await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Posts through the store (which writes the outbox) and rings the relay.
    pub async fn post(&self, author: &User, text: &str) -> anyhow::Result<StatusId> {
        let now = Utc::now();
        let id = StatusId(self.ids.next(now));
        let json = serde_json::json!({ "id": id.to_string(), "content": text }).to_string();
        let status = self
            .store
            .create_status(
                NewStatus {
                    id,
                    account_id: author.id,
                    text: StatusText::parse(text, 5000)?,
                    in_reply_to_id: None,
                    community_id: None,
                    created_at: now,
                },
                json,
            )
            .await?;
        self.wake.notify_one();
        Ok(status.id)
    }

    pub async fn delete(&self, id: StatusId) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.store.delete_status(id, Utc::now()).await?,
            "nothing deleted"
        );
        self.wake.notify_one();
        Ok(())
    }

    pub async fn revoke(&self, user: &User) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.store.revoke_token(&user.token_id, Utc::now()).await?,
            "nothing revoked"
        );
        self.wake.notify_one();
        Ok(())
    }

    pub fn url(&self, query: &str) -> String {
        format!("ws://{}/api/v1/streaming?{query}", self.addr)
    }

    /// Opens the user stream with `?access_token=`.
    pub async fn user_stream(&self, user: &User) -> anyhow::Result<Client> {
        let url = self.url(&format!("stream=user&access_token={}", user.token));
        let (client, _) = tokio_tungstenite::connect_async(url).await?;
        Ok(client)
    }

    /// Sends a raw HTTP/1.1 request and returns the whole response.
    pub async fn raw_http(&self, request: &str) -> anyhow::Result<String> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = TcpStream::connect(self.addr).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut response = String::new();
        tokio::time::timeout(WAIT, stream.read_to_string(&mut response)).await??;
        Ok(response)
    }
}

/// Starts a gateway on port 0; returns its address, its stop switch and its task.
pub async fn start_gateway(
    store: Store,
    bus: Bus,
    keys: TokenKeys,
    limits: GatewayLimits,
) -> anyhow::Result<(
    SocketAddr,
    oneshot::Sender<()>,
    JoinHandle<Result<(), hubbub_realtime::RealtimeError>>,
)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let gateway = Gateway::with_limits(store, bus, keys, Arc::new(SystemClock), limits);
    let (stop_gateway, stopped) = oneshot::channel::<()>();
    let gateway = tokio::spawn(serve(listener, gateway, async move {
        let _ = stopped.await;
    }));
    Ok((addr, stop_gateway, gateway))
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What a client saw next.
#[derive(Debug)]
pub enum Seen {
    /// A text frame, as JSON.
    Frame(Value),
    /// A close frame.
    Closed(Option<CloseFrame>),
}

/// The next text or close frame, waiting at most [`WAIT`].
pub async fn next_seen(client: &mut Client) -> anyhow::Result<Seen> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let message = tokio::time::timeout_at(deadline, client.next())
            .await
            .context("nothing arrived in time")?
            .context("the stream ended without a close frame")??;
        match message {
            Message::Text(text) => return Ok(Seen::Frame(serde_json::from_str(text.as_str())?)),
            Message::Close(frame) => return Ok(Seen::Closed(frame)),
            _ => {}
        }
    }
}

/// The next text frame, as JSON.
pub async fn next_frame(client: &mut Client) -> anyhow::Result<Value> {
    match next_seen(client).await? {
        Seen::Frame(frame) => Ok(frame),
        Seen::Closed(frame) => anyhow::bail!("closed instead: {frame:?}"),
    }
}

/// Waits (at most [`WAIT`]) for a pong, skipping anything else.
pub async fn until_pong(client: &mut Client) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let message = tokio::time::timeout_at(deadline, client.next())
            .await
            .context("no pong in time")?
            .context("the stream ended")??;
        if let Message::Pong(_) = message {
            return Ok(());
        }
    }
}
