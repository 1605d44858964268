//! The streaming gateway: Mastodon's streaming protocol over WebSocket and
//! server-sent events, on one listener of its own.
//!
//! - `handshake`: reads the HTTP request head, answers health/401/404, and
//!   writes the 101 upgrade.
//! - `session`: what both transports share: authentication, registration,
//!   authorisation of streams, and the replay of missed events on resume.
//! - `connection`: drives one WebSocket (frames out, subscribe messages in,
//!   ping/pong, closing).
//! - `sse`: drives one event stream (`text/event-stream`, heartbeats).
//! - `streams`: stream names and parameters, and Mastodon's error form.
//! - `frame`: one event on one stream, encoded once per transport.
//! - `interest`: the per-process index from interests to connections, fed by
//!   one dispatcher task reading the bus.
//!
//! Concurrency: one task accepts, one task per connection, and one dispatcher
//! that reads the bus subscription and pushes ready-made frames into bounded
//! per-connection queues without ever waiting on a client. A full queue ends
//! that connection; nothing else slows down.

mod connection;
mod frame;
mod handshake;
mod interest;
mod session;
mod sse;
mod streams;

use crate::bus::Bus;
use crate::error::RealtimeError;
use hubbub_core::clock::Clock;
use hubbub_core::event::Event;
use hubbub_core::ids::EventId;
use hubbub_core::token::TokenKeys;
use hubbub_storage::Store;
use interest::{CloseReason, Registry, RegistryLimits};
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use tokio::task::JoinSet;

/// The path of the WebSocket endpoint.
const STREAMING_PATH: &str = "/api/v1/streaming";
/// The path of the health check.
const HEALTH_PATH: &str = "/api/v1/streaming/health";

/// Tunables of the gateway; the defaults suit production.
#[derive(Debug, Clone)]
pub struct GatewayLimits {
    /// Frames a connection may have waiting before it is closed as too slow.
    pub queue_capacity: usize,
    /// How often each connection is pinged; one without a pong by the next
    /// ping is dropped.
    pub ping_interval: Duration,
    /// Largest message (and frame) a client may send, in bytes.
    pub max_message_size: usize,
    /// Largest HTTP request head, in bytes.
    pub max_head_size: usize,
    /// How long a client has to send its request head.
    pub handshake_timeout: Duration,
    /// How long one write to a client may take before it is dropped.
    pub write_timeout: Duration,
    /// How long shutdown waits for connections to say goodbye.
    pub shutdown_grace: Duration,
    /// Streams one connection may be subscribed to at once.
    pub max_subscriptions: usize,
    /// Open connections one account may have on this gateway process.
    pub max_connections_per_account: usize,
    /// Outbox rows a resuming client may be replayed; further behind, it is
    /// told to resync.
    pub max_replay: usize,
    /// How often an idle event stream gets a heartbeat comment.
    pub sse_heartbeat: Duration,
    /// Size of each WebSocket's read buffer, in bytes: most connections only
    /// listen, so it is small.
    pub read_buffer_size: usize,
}

impl Default for GatewayLimits {
    fn default() -> Self {
        Self {
            queue_capacity: 1024,
            ping_interval: Duration::from_secs(30),
            max_message_size: 64 * 1024,
            max_head_size: 16 * 1024,
            handshake_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(2),
            max_subscriptions: 32,
            max_connections_per_account: 64,
            max_replay: 20_000,
            sse_heartbeat: Duration::from_secs(15),
            read_buffer_size: 1024,
        }
    }
}

/// Everything the gateway's tasks share. Cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("bus", &self.shared.bus)
            .field("limits", &self.shared.limits)
            .finish_non_exhaustive()
    }
}

/// A plain HTTP answer for a path the gateway itself does not serve.
#[derive(Debug, Clone)]
pub struct PlainResponse {
    /// Status line, e.g. `200 OK`.
    pub status: &'static str,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Body.
    pub body: String,
}

/// Answers extra plain-HTTP GET paths on the gateway's listener (health,
/// readiness and metrics from the server), given the path and the gateway's
/// counters; `None` means 404.
pub type PlainRoutes = Arc<
    dyn Fn(String, GatewayStats) -> Pin<Box<dyn Future<Output = Option<PlainResponse>> + Send>>
        + Send
        + Sync,
>;

/// Counters of a running gateway, for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GatewayStats {
    /// Streams open now.
    pub open_streams: u64,
    /// Events received from the bus.
    pub events_received: u64,
    /// Frames queued for clients.
    pub frames_delivered: u64,
    /// Events skipped because the gateway fell behind the bus.
    pub events_dropped: u64,
    /// Clients cut off for not keeping up.
    pub slow_clients_cut_off: u64,
}

pub(crate) struct Shared {
    pub(crate) store: Store,
    pub(crate) bus: Bus,
    pub(crate) keys: TokenKeys,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) limits: GatewayLimits,
    registry: Mutex<Registry>,
    plain_routes: Option<PlainRoutes>,
    events_received: AtomicU64,
    events_dropped: AtomicU64,
}

impl Shared {
    /// The interest index. The lock is only ever held for map work and
    /// non-blocking queue pushes, never across an await.
    pub(crate) fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Gateway {
    /// A gateway reading tokens and follows from `store` and events from `bus`,
    /// with the default limits.
    pub fn new(store: Store, bus: Bus, keys: TokenKeys, clock: Arc<dyn Clock>) -> Gateway {
        Self::with_limits(store, bus, keys, clock, GatewayLimits::default())
    }

    /// A gateway with explicit limits.
    pub fn with_limits(
        store: Store,
        bus: Bus,
        keys: TokenKeys,
        clock: Arc<dyn Clock>,
        limits: GatewayLimits,
    ) -> Gateway {
        let registry = Mutex::new(Registry::new(RegistryLimits {
            queue_capacity: limits.queue_capacity,
            max_subscriptions: limits.max_subscriptions,
            max_connections_per_account: limits.max_connections_per_account,
        }));
        Gateway {
            shared: Arc::new(Shared {
                store,
                bus,
                keys,
                clock,
                limits,
                registry,
                plain_routes: None,
                events_received: AtomicU64::new(0),
                events_dropped: AtomicU64::new(0),
            }),
        }
    }

    /// Lets `routes` answer GET paths other than the streaming ones. Call it
    /// on a new gateway, before it is cloned.
    pub fn with_plain_routes(mut self, routes: PlainRoutes) -> Gateway {
        match Arc::get_mut(&mut self.shared) {
            Some(shared) => shared.plain_routes = Some(routes),
            None => tracing::error!("plain routes must be set before the gateway is shared"),
        }
        self
    }

    /// Current counters.
    pub fn stats(&self) -> GatewayStats {
        self.shared.stats()
    }
}

impl Shared {
    fn stats(&self) -> GatewayStats {
        let (open, delivered, cut_off) = {
            let registry = self.registry();
            (registry.len(), registry.delivered, registry.cut_off_slow)
        };
        GatewayStats {
            open_streams: open as u64,
            events_received: self.events_received.load(Ordering::Relaxed),
            frames_delivered: delivered,
            events_dropped: self.events_dropped.load(Ordering::Relaxed),
            slow_clients_cut_off: cut_off,
        }
    }
}

/// Serves the streaming API on `listener` until `shutdown` resolves, then
/// closes every stream (1012 service restart: reconnect) and returns.
pub async fn serve(
    listener: TcpListener,
    gateway: Gateway,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RealtimeError> {
    let shared = gateway.shared;
    // Subscribe before the first accept, so no connection can miss an event
    // that the dispatcher has not seen yet.
    let dispatcher = tokio::spawn(dispatch(shared.clone(), shared.bus.subscribe()));
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "streaming gateway listening");
    }
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(handle(shared.clone(), stream, peer));
                }
                Err(error) => {
                    // Usually out of file descriptors: pause instead of spinning.
                    tracing::warn!(%error, "streaming gateway: accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(finished) = connections.join_next(), if !connections.is_empty() => {
                if let Err(error) = finished && error.is_panic() {
                    tracing::error!(%error, "streaming connection task panicked");
                }
            }
        }
    }
    drop(listener);
    dispatcher.abort();
    shared.registry().close_all(CloseReason::Shutdown);
    let grace = shared.limits.shutdown_grace;
    let drained = tokio::time::timeout(grace, async {
        while connections.join_next().await.is_some() {}
    });
    if drained.await.is_err() {
        tracing::debug!(
            left = connections.len(),
            "streaming gateway: aborting connections after grace period"
        );
        connections.abort_all();
    }
    tracing::info!("streaming gateway stopped");
    Ok(())
}

/// Reads the bus and routes each event through the interest index. The relay
/// publishes in id order, so an id at or below the last one dispatched is a
/// re-publication (a relay that died between publishing and marking, then its
/// successor) and is dropped: clients never see an event twice.
async fn dispatch(shared: Arc<Shared>, mut events: broadcast::Receiver<Arc<Event>>) {
    let mut last = EventId(0);
    loop {
        match events.recv().await {
            Ok(event) if event.id <= last => {
                tracing::debug!(id = %event.id, "streaming gateway: dropping a re-published event");
            }
            Ok(event) => {
                last = event.id;
                shared.events_received.fetch_add(1, Ordering::Relaxed);
                shared.registry().dispatch(&event);
            }
            Err(RecvError::Lagged(skipped)) => {
                shared.events_dropped.fetch_add(skipped, Ordering::Relaxed);
                tracing::warn!(
                    skipped,
                    "streaming gateway fell behind the bus; events were skipped"
                );
            }
            Err(RecvError::Closed) => break,
        }
    }
}

/// One accepted socket: health, 404, or a WebSocket stream.
async fn handle(shared: Arc<Shared>, mut stream: TcpStream, peer: SocketAddr) {
    // Frames are small and latency matters more than packet count.
    let _ = stream.set_nodelay(true);
    let limits = &shared.limits;
    let head = tokio::time::timeout(
        limits.handshake_timeout,
        handshake::read_head(&mut stream, limits.max_head_size),
    )
    .await;
    let (request, leftover) = match head {
        Ok(Ok(head)) => head,
        Ok(Err(handshake::HeadError::TooLarge)) => {
            return handshake::respond_error(
                &mut stream,
                "431 Request Header Fields Too Large",
                "Request head too large",
            )
            .await;
        }
        Ok(Err(handshake::HeadError::WrongMethod)) => {
            return handshake::respond_error(&mut stream, "404 Not Found", "Not found").await;
        }
        Ok(Err(handshake::HeadError::Malformed)) => {
            return handshake::respond_error(
                &mut stream,
                "400 Bad Request",
                "Malformed HTTP request",
            )
            .await;
        }
        Ok(Err(handshake::HeadError::Closed)) | Err(_) => return,
    };
    match request.uri().path() {
        HEALTH_PATH => {
            handshake::respond(&mut stream, "200 OK", "text/plain; charset=utf-8", "OK").await
        }
        STREAMING_PATH | "/api/v1/streaming/" => {
            connection::open(shared.clone(), stream, request, leftover, peer).await;
        }
        path => match path.strip_prefix(STREAMING_PATH) {
            Some(rest) if rest.starts_with('/') => {
                let rest = rest.to_owned();
                sse::open(shared.clone(), stream, request, &rest, peer).await;
            }
            _ => {
                let answer = match &shared.plain_routes {
                    Some(routes) => routes(path.to_owned(), shared.stats()).await,
                    None => None,
                };
                match answer {
                    Some(answer) => {
                        handshake::respond(
                            &mut stream,
                            answer.status,
                            answer.content_type,
                            &answer.body,
                        )
                        .await
                    }
                    None => {
                        handshake::respond_error(&mut stream, "404 Not Found", "Not found").await
                    }
                }
            }
        },
    }
}
