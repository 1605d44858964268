//! One WebSocket streaming connection: the session (auth, registration,
//! replay), the upgrade, then a single task that interleaves outbound frames,
//! client messages and pings.

use super::Shared;
use super::frame::{self, Frame};
use super::handshake;
use super::interest::CloseReason;
use super::session::{self, Replay, Session};
use super::streams::{StreamError, StreamKey};
use futures_util::{SinkExt, StreamExt};
use hubbub_core::ids::EventId;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::server::Request;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

/// Frames written per flush when a backlog has built up.
const MAX_BATCH: usize = 64;

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
    let params = session::params(&request);
    let (session, protocol) = match session::open(&shared, &request, &params).await {
        Ok(opened) => opened,
        Err(refusal) => {
            return handshake::respond_json(&mut stream, refusal.status, &refusal.body).await;
        }
    };
    let first_stream = match params.get("stream") {
        Some(name) => Some(match StreamKey::parse(name, &params) {
            Ok(key) => session.set_stream(key, true).await,
            Err(error) => Err(error),
        }),
        None => None,
    };
    let replay = session
        .replay(session::resume_point(&request, &params))
        .await;

    let Some(answer) = handshake::switching_protocols(&request, protocol.as_deref()) else {
        return handshake::respond_error(
            &mut stream,
            "400 Bad Request",
            "Expected a WebSocket upgrade",
        )
        .await;
    };
    // The request (headers, and the token in its query), its parameters and the
    // answer are done with: freed now, not held for the life of the connection.
    drop(params);
    drop(request);
    drop(protocol);
    let written = stream.write_all(&answer).await;
    drop(answer);
    if written.is_err() {
        return;
    }
    let limits = &shared.limits;
    let config = WebSocketConfig::default()
        // Most connections are idle listeners; a small read buffer keeps their
        // memory low (tungstenite's default is 128 KiB each).
        .read_buffer_size(limits.read_buffer_size)
        // Batched frames go out once this much is buffered: tungstenite keeps
        // its write buffer's capacity, so an unbounded batch would leave every
        // connection that once had a backlog holding that much memory.
        .write_buffer_size(8 * 1024)
        .max_message_size(Some(limits.max_message_size))
        .max_frame_size(Some(limits.max_message_size));
    let ws =
        WebSocketStream::from_partially_read(stream, leftover, Role::Server, Some(config)).await;
    let id = session.registered.id;
    tracing::debug!(%peer, account = %session.account, connection = id, "stream opened");
    let mut live = Live {
        shared: shared.clone(),
        ws,
        session,
        through: EventId(0),
    };
    if let Some(Err(error)) = first_stream {
        live.send_error(error).await;
    }
    let reason = if live.replay(replay).await {
        live.run().await
    } else {
        Ended::WriteFailed
    };
    tracing::debug!(%peer, connection = id, reason = reason.as_str(), "stream closed");
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

/// Mastodon's client messages: `{"type":"subscribe","stream":"hashtag","tag":"x"}`.
#[derive(Debug, Deserialize)]
struct ClientMessage {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    stream: Option<String>,
    /// `tag`, `list`, `community`, `thread`: whatever the stream needs.
    #[serde(flatten)]
    params: HashMap<String, serde_json::Value>,
}

struct Live {
    shared: Arc<Shared>,
    ws: WebSocketStream<TcpStream>,
    session: Session,
    /// Queued frames up to this id were already sent by the replay.
    through: EventId,
}

impl Live {
    /// Sends what the client missed; false if the socket failed.
    async fn replay(&mut self, replay: Replay) -> bool {
        match replay {
            Replay::Nothing => true,
            Replay::Resync => self.write(Message::text(frame::ws_resync())).await,
            Replay::Frames { frames, through } => {
                self.through = through;
                let timeout = self.shared.limits.write_timeout;
                for chunk in frames.chunks(MAX_BATCH) {
                    let ws = &mut self.ws;
                    let batch = async move {
                        for frame in chunk {
                            ws.feed(Message::Text(frame.ws())).await?;
                        }
                        ws.flush().await
                    };
                    if !matches!(tokio::time::timeout(timeout, batch).await, Ok(Ok(()))) {
                        return false;
                    }
                }
                true
            }
        }
    }

    async fn run(&mut self) -> Ended {
        let interval = self.shared.limits.ping_interval;
        let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        let mut awaiting_pong = false;
        loop {
            tokio::select! {
                reason = &mut self.session.closed => {
                    // A dropped sender means the registry itself is gone: shutdown.
                    let reason = reason.unwrap_or(CloseReason::Shutdown);
                    self.close(reason).await;
                    return Ended::Closed(reason);
                }
                frame = self.session.outbound.recv() => {
                    let Some(frame) = frame else {
                        // The registry dropped our queue; it sends the reason
                        // just before, so it is ready to read.
                        let reason = (&mut self.session.closed).await.unwrap_or(CloseReason::Shutdown);
                        self.close(reason).await;
                        return Ended::Closed(reason);
                    };
                    if !self.write_batch(frame).await {
                        return Ended::WriteFailed;
                    }
                }
                incoming = self.ws.next() => match incoming {
                    Some(Ok(Message::Text(text))) => {
                        if !self.on_text(text).await {
                            self.close_with(CloseCode::Invalid, "invalid message").await;
                            return Ended::ClientLeft;
                        }
                    }
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

    /// Writes `first` and whatever else is already queued, with one flush,
    /// skipping frames the replay already sent.
    async fn write_batch(&mut self, first: Arc<Frame>) -> bool {
        let timeout = self.shared.limits.write_timeout;
        let through = self.through;
        let ws = &mut self.ws;
        let outbound = &mut self.session.outbound;
        let batch = async move {
            let mut fed = false;
            if first.id > through {
                ws.feed(Message::Text(first.ws())).await?;
                fed = true;
            }
            for _ in 1..MAX_BATCH {
                match outbound.try_recv() {
                    Ok(frame) if frame.id > through => {
                        ws.feed(Message::Text(frame.ws())).await?;
                        fed = true;
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            if fed { ws.flush().await } else { Ok(()) }
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

    /// Handles a subscribe/unsubscribe message, answering mistakes with an
    /// error frame. False for a message that is not one at all (garbage),
    /// which ends this connection only.
    async fn on_text(&mut self, text: Utf8Bytes) -> bool {
        let Ok(message) = serde_json::from_str::<ClientMessage>(text.as_str()) else {
            return false;
        };
        let on = match message.kind.as_str() {
            "subscribe" => true,
            "unsubscribe" => false,
            _ => {
                self.send_error(StreamError {
                    message: "Unknown message type",
                    status: 400,
                })
                .await;
                return true;
            }
        };
        let params: HashMap<String, String> = message
            .params
            .into_iter()
            .filter_map(|(key, value)| match value {
                serde_json::Value::String(text) => Some((key, text)),
                serde_json::Value::Number(number) => Some((key, number.to_string())),
                _ => None,
            })
            .collect();
        let result = match StreamKey::parse(message.stream.as_deref().unwrap_or_default(), &params)
        {
            Ok(key) => self.session.set_stream(key, on).await,
            Err(error) => Err(error),
        };
        if let Err(error) = result {
            self.send_error(error).await;
        }
        true
    }

    /// Mastodon's error frame; the connection stays open.
    async fn send_error(&mut self, error: StreamError) {
        let _ = self.write(Message::text(error.json())).await;
    }

    /// Says goodbye with a close code clients can act on.
    async fn close(&mut self, reason: CloseReason) {
        let (code, text) = match reason {
            CloseReason::Revoked => (CloseCode::Policy, "access token revoked"),
            CloseReason::TooSlow => (CloseCode::Again, "too slow: the client did not keep up"),
            // 1012 "service restart": clients reconnect (to another gateway) at once.
            CloseReason::Shutdown => (CloseCode::Restart, "server restarting"),
        };
        self.close_with(code, text).await;
    }

    async fn close_with(&mut self, code: CloseCode, text: &'static str) {
        let frame = CloseFrame {
            code,
            reason: text.into(),
        };
        let timeout = self.shared.limits.write_timeout;
        let _ = tokio::time::timeout(timeout, self.ws.close(Some(frame))).await;
    }
}
