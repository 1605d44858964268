//! One streaming connection: authentication, registration in the interest
//! index, the upgrade, then a single task that interleaves outbound frames,
//! client messages and pings.

use super::Shared;
use super::handshake::{self, Credentials};
use super::interest::{CloseReason, ConnId, Registration, StreamKind};
use futures_util::{SinkExt, StreamExt};
use hubbub_core::ids::AccountId;
use hubbub_core::token::{TokenClaims, TokenError};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::server::Request;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

/// Frames written per flush when a backlog has built up.
const MAX_BATCH: usize = 64;

/// The scope a token needs to read streams.
const READ_SCOPE: &str = "read:statuses";

/// Removes the connection from the index however the task ends.
struct Registered {
    shared: Arc<Shared>,
    id: ConnId,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.shared.registry().remove(self.id);
    }
}

/// Authenticates a WebSocket request and, if allowed, streams to it until
/// either side ends. Refusals are plain HTTP answers sent before any upgrade.
pub(crate) async fn open(
    shared: Arc<Shared>,
    mut stream: TcpStream,
    request: Request,
    leftover: Vec<u8>,
    peer: SocketAddr,
) {
    if !handshake::is_upgrade(&request) {
        return handshake::respond_error(
            &mut stream,
            "400 Bad Request",
            "Expected a WebSocket upgrade",
        )
        .await;
    }
    let query = handshake::query(&request);
    let Credentials { token, protocol } =
        handshake::credentials(&request, query.access_token.as_deref());
    let claims = match authenticate(&shared, token.as_deref()) {
        Ok(claims) => claims,
        Err(message) => {
            return handshake::respond_error(&mut stream, "401 Unauthorized", message).await;
        }
    };
    let Some(account) = claims.account_id() else {
        return handshake::respond_error(
            &mut stream,
            "401 Unauthorized",
            "Streaming needs a user token",
        )
        .await;
    };

    // Register before checking the token in storage: a revocation committed
    // after that check is then dispatched to this connection, and one committed
    // before it is seen by the check. No window is left in between.
    let Registration {
        id,
        outbound,
        closed,
    } = shared.registry().register(account, &claims.jti);
    let registered = Registered {
        shared: shared.clone(),
        id,
    };
    match load(&shared, &claims, account).await {
        Ok(Some(followees)) => shared.registry().loaded_followees(id, &followees),
        Ok(None) => {
            return handshake::respond_error(
                &mut stream,
                "401 Unauthorized",
                "The access token was revoked or has expired",
            )
            .await;
        }
        Err(error) => {
            tracing::error!(%error, %peer, "streaming: could not load the connection's token or follows");
            return handshake::respond_error(
                &mut stream,
                "503 Service Unavailable",
                "Service unavailable",
            )
            .await;
        }
    }

    let mut unknown_stream = false;
    if let Some(name) = query.stream.as_deref() {
        match StreamKind::parse(name) {
            Some(kind) => shared.registry().set_stream(id, kind, true),
            None => unknown_stream = true,
        }
    }

    let Some(answer) = handshake::switching_protocols(&request, protocol.as_deref()) else {
        return handshake::respond_error(
            &mut stream,
            "400 Bad Request",
            "Expected a WebSocket upgrade",
        )
        .await;
    };
    if stream.write_all(&answer).await.is_err() {
        return;
    }
    let limits = &shared.limits;
    let config = WebSocketConfig::default()
        // Most connections are idle listeners; a small read buffer keeps their
        // memory low (tungstenite's default is 128 KiB each).
        .read_buffer_size(4 * 1024)
        .write_buffer_size(8 * 1024)
        .max_message_size(Some(limits.max_message_size))
        .max_frame_size(Some(limits.max_message_size));
    let ws =
        WebSocketStream::from_partially_read(stream, leftover, Role::Server, Some(config)).await;
    tracing::debug!(%peer, account = %account, connection = id, "stream opened");
    let mut live = Live {
        shared: shared.clone(),
        id,
        ws,
        outbound,
    };
    if unknown_stream {
        live.send_error("Unknown stream type").await;
    }
    let reason = live.run(closed).await;
    tracing::debug!(%peer, connection = id, reason = reason.as_str(), "stream closed");
    drop(registered);
}

/// Checks the token's signature, expiry and scope; the message is the 401's.
fn authenticate(shared: &Shared, token: Option<&str>) -> Result<TokenClaims, &'static str> {
    let token = token.ok_or("Missing access token")?;
    let claims = shared.keys.verify(token).map_err(|error| match error {
        TokenError::Expired => "The access token has expired",
        TokenError::Invalid | TokenError::Signing => "The access token is invalid",
    })?;
    if !claims.has_scope(READ_SCOPE) {
        return Err("The access token does not grant the read scope");
    }
    Ok(claims)
}

/// Confirms the token is still live in storage and loads whom the user
/// follows; `None` if the token was revoked, expired or belongs elsewhere.
async fn load(
    shared: &Shared,
    claims: &TokenClaims,
    account: AccountId,
) -> Result<Option<Vec<AccountId>>, hubbub_storage::StorageError> {
    let now = shared.clock.now();
    let Some(token) = shared.store.active_token(&claims.jti, now).await? else {
        return Ok(None);
    };
    if token.account_id != Some(account) {
        return Ok(None);
    }
    shared.store.followee_ids(account).await.map(Some)
}

/// What ended a stream, for the log.
#[derive(Debug, Clone, Copy)]
enum Ended {
    /// The gateway ended it.
    Closed(CloseReason),
    /// The client closed it or went away.
    ClientLeft,
    /// It did not answer a ping in time.
    PingTimeout,
    /// A write failed or took too long.
    WriteFailed,
}

impl Ended {
    fn as_str(&self) -> &'static str {
        match self {
            Self::Closed(CloseReason::Revoked) => "token revoked",
            Self::Closed(CloseReason::TooSlow) => "client too slow",
            Self::Closed(CloseReason::Shutdown) => "gateway shutting down",
            Self::ClientLeft => "client left",
            Self::PingTimeout => "no pong in time",
            Self::WriteFailed => "write failed or timed out",
        }
    }
}

/// Mastodon's client messages: `{"type":"subscribe","stream":"user"}`.
#[derive(Debug, Deserialize)]
struct ClientMessage {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    stream: Option<String>,
}

struct Live {
    shared: Arc<Shared>,
    id: ConnId,
    ws: WebSocketStream<TcpStream>,
    outbound: mpsc::Receiver<Utf8Bytes>,
}

impl Live {
    async fn run(&mut self, mut closed: tokio::sync::oneshot::Receiver<CloseReason>) -> Ended {
        let interval = self.shared.limits.ping_interval;
        let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        let mut awaiting_pong = false;
        loop {
            tokio::select! {
                reason = &mut closed => {
                    // A dropped sender means the registry itself is gone: shutdown.
                    let reason = reason.unwrap_or(CloseReason::Shutdown);
                    self.close(reason).await;
                    return Ended::Closed(reason);
                }
                frame = self.outbound.recv() => {
                    let Some(frame) = frame else {
                        // The registry dropped our queue; it sends the reason
                        // just before, so it is ready to read.
                        let reason = (&mut closed).await.unwrap_or(CloseReason::Shutdown);
                        self.close(reason).await;
                        return Ended::Closed(reason);
                    };
                    if !self.write_batch(frame).await {
                        return Ended::WriteFailed;
                    }
                }
                incoming = self.ws.next() => match incoming {
                    Some(Ok(Message::Text(text))) => self.on_text(text.as_str()).await,
                    Some(Ok(Message::Pong(_))) => awaiting_pong = false,
                    Some(Ok(Message::Close(_))) => {
                        // tungstenite has queued the closing reply; send it.
                        let _ = self.ws.flush().await;
                        return Ended::ClientLeft;
                    }
                    // Pings are answered by tungstenite; binary frames mean nothing here.
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => return Ended::ClientLeft,
                },
                _ = ping.tick() => {
                    if awaiting_pong {
                        return Ended::PingTimeout;
                    }
                    awaiting_pong = true;
                    if !self.write(Message::Ping(Default::default())).await {
                        return Ended::WriteFailed;
                    }
                }
            }
        }
    }

    /// Writes `first` and whatever else is already queued, with one flush.
    async fn write_batch(&mut self, first: Utf8Bytes) -> bool {
        let timeout = self.shared.limits.write_timeout;
        let ws = &mut self.ws;
        let outbound = &mut self.outbound;
        let batch = async move {
            ws.feed(Message::Text(first)).await?;
            for _ in 1..MAX_BATCH {
                match outbound.try_recv() {
                    Ok(frame) => ws.feed(Message::Text(frame)).await?,
                    Err(_) => break,
                }
            }
            ws.flush().await
        };
        matches!(tokio::time::timeout(timeout, batch).await, Ok(Ok(())))
    }

    /// Sends one message, giving up after the write timeout.
    async fn write(&mut self, message: Message) -> bool {
        let timeout = self.shared.limits.write_timeout;
        matches!(
            tokio::time::timeout(timeout, self.ws.send(message)).await,
            Ok(Ok(()))
        )
    }

    /// Handles a subscribe/unsubscribe message; anything else gets an error frame.
    async fn on_text(&mut self, text: &str) {
        let message = match serde_json::from_str::<ClientMessage>(text) {
            Ok(message) => message,
            Err(_) => return self.send_error("Invalid message").await,
        };
        let on = match message.kind.as_str() {
            "subscribe" => true,
            "unsubscribe" => false,
            _ => return self.send_error("Unknown message type").await,
        };
        match message.stream.as_deref().and_then(StreamKind::parse) {
            Some(kind) => self.shared.registry().set_stream(self.id, kind, on),
            None => self.send_error("Unknown stream type").await,
        }
    }

    /// Mastodon's error frame; the connection stays open.
    async fn send_error(&mut self, message: &str) {
        let frame = serde_json::json!({ "error": message, "status": 400 }).to_string();
        let _ = self.write(Message::text(frame)).await;
    }

    /// Says goodbye with a close code clients can act on.
    async fn close(&mut self, reason: CloseReason) {
        let (code, text) = match reason {
            CloseReason::Revoked => (CloseCode::Policy, "access token revoked"),
            CloseReason::TooSlow => (CloseCode::Again, "too slow: the client did not keep up"),
            // 1012 "service restart": clients reconnect (to another gateway) at once.
            CloseReason::Shutdown => (CloseCode::Restart, "server restarting"),
        };
        let frame = CloseFrame {
            code,
            reason: text.into(),
        };
        let timeout = self.shared.limits.write_timeout;
        let _ = tokio::time::timeout(timeout, self.ws.close(Some(frame))).await;
    }
}
