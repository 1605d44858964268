//! Server-sent events: `GET /api/v1/streaming/<stream>` answered with
//! `text/event-stream`, one stream per request, on the same listener as the
//! WebSocket. Each event is `event:`, `data:` (valid JSON) and `id:` lines, so a
//! reconnecting `EventSource` resumes by itself with `Last-Event-ID`; a comment
//! line keeps idle connections (and proxies) awake.

use super::Shared;
use super::frame::{self, Frame};
use super::handshake;
use super::session::{self, Refusal, Replay};
use super::streams::StreamKey;
use hubbub_core::ids::EventId;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::server::Request;

/// Frames written per write when a backlog has built up.
const MAX_BATCH: usize = 64;

/// The response head: no length, the body ends when the connection does.
const HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                    cache-control: no-store\r\nx-accel-buffering: no\r\n\
                    connection: close\r\n\r\n:)\n\n";

/// The heartbeat comment.
const HEARTBEAT: &[u8] = b":thump\n\n";

/// Serves `rest` (the path below `/api/v1/streaming`) as an event stream.
pub(crate) async fn open(
    shared: Arc<Shared>,
    mut stream: TcpStream,
    request: Request,
    rest: &str,
    peer: SocketAddr,
) {
    let params = session::params(&request);
    let key = match StreamKey::from_sse_path(rest, &params) {
        Ok(key) => key,
        Err(error) => {
            let refusal = Refusal::stream(error);
            return handshake::respond_json(&mut stream, refusal.status, &refusal.body).await;
        }
    };
    let (mut session, _) = match session::open(&shared, &request, &params).await {
        Ok(opened) => opened,
        Err(refusal) => {
            return handshake::respond_json(&mut stream, refusal.status, &refusal.body).await;
        }
    };
    if let Err(error) = session.set_stream(key, true).await {
        let refusal = Refusal::stream(error);
        return handshake::respond_json(&mut stream, refusal.status, &refusal.body).await;
    }
    let replay = session
        .replay(session::resume_point(&request, &params))
        .await;
    let limits = &shared.limits;
    let timeout = limits.write_timeout;
    let mut head = HEAD.as_bytes().to_vec();
    let mut through = EventId(0);
    match replay {
        Replay::Nothing => {}
        Replay::Resync => {
            head.extend_from_slice(
                frame::sse_event("resync", frame::RESYNC_PAYLOAD, None).as_bytes(),
            );
        }
        Replay::Frames { frames, through: t } => {
            through = t;
            for frame in frames {
                head.extend_from_slice(frame.sse().as_bytes());
            }
        }
    }
    if !matches!(
        tokio::time::timeout(timeout, stream.write_all(&head)).await,
        Ok(Ok(()))
    ) {
        return;
    }
    let id = session.registered.id;
    tracing::debug!(%peer, connection = id, "event stream opened");
    let (mut reader, mut writer) = stream.into_split();
    let mut heartbeat = tokio::time::interval_at(
        tokio::time::Instant::now() + limits.sse_heartbeat,
        limits.sse_heartbeat,
    );
    let mut scratch = [0u8; 64];
    loop {
        tokio::select! {
            _ = &mut session.closed => break,
            frame = session.outbound.recv() => {
                let Some(frame) = frame else { break };
                let bytes = batch(frame, &mut session.outbound, through);
                if bytes.is_empty() {
                    continue;
                }
                let sent = tokio::time::timeout(timeout, writer.write_all(&bytes)).await;
                if !matches!(sent, Ok(Ok(()))) {
                    break;
                }
            }
            _ = heartbeat.tick() => {
                let sent = tokio::time::timeout(timeout, writer.write_all(HEARTBEAT)).await;
                if !matches!(sent, Ok(Ok(()))) {
                    break;
                }
            }
            // The client sends nothing after its request; a read that ends
            // means it went away.
            read = reader.read(&mut scratch) => match read {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            },
        }
    }
    let _ = writer.shutdown().await;
    tracing::debug!(%peer, connection = id, "event stream closed");
}

/// `first` and whatever else is queued, as one buffer, without the frames the
/// replay already sent.
fn batch(
    first: Arc<Frame>,
    outbound: &mut tokio::sync::mpsc::Receiver<Arc<Frame>>,
    through: EventId,
) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut add = |frame: Arc<Frame>| {
        if frame.id > through {
            bytes.extend_from_slice(frame.sse().as_bytes());
        }
    };
    add(first);
    for _ in 1..MAX_BATCH {
        match outbound.try_recv() {
            Ok(frame) => add(frame),
            Err(_) => break,
        }
    }
    bytes
}
