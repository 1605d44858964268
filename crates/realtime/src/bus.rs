//! The event bus. Every gateway process holds ONE subscription to it and fans
//! events out locally; the relay publishes into it.
//!
//! In-process, the bus is a tokio broadcast channel. With Redis, `publish` sends
//! the event's JSON with `PUBLISH`, and one pub/sub connection per process
//! forwards whatever arrives on the channel into the same kind of local
//! broadcast, so subscribers never know which transport is underneath.

use crate::error::RealtimeError;
use futures_util::StreamExt;
use hubbub_core::event::Event;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::task::AbortHandle;

/// How many events a slow local subscriber may fall behind before it sees
/// `RecvError::Lagged`.
const LOCAL_CAPACITY: usize = 4096;

/// How long start-up waits for Redis before giving up: a dead server must stop
/// start-up with a clear error, not hang it.
const REDIS_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The longest pause between attempts to restore a lost pub/sub connection.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(5);

/// The event bus: in-process by default, Redis pub/sub when configured.
/// Clones share the same bus.
#[derive(Clone)]
pub struct Bus {
    inner: Arc<Inner>,
}

struct Inner {
    local: broadcast::Sender<Arc<Event>>,
    transport: Transport,
    /// Events published through this handle, for metrics.
    published: AtomicU64,
}

enum Transport {
    InProcess,
    Redis {
        publisher: ConnectionManager,
        channel: String,
        /// The forwarding task; it ends when the last clone of the bus goes.
        forwarder: AbortHandle,
    },
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Transport::Redis { forwarder, .. } = &self.transport {
            forwarder.abort();
        }
    }
}

impl std::fmt::Debug for Bus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner.transport {
            Transport::InProcess => f.write_str("Bus(in-process)"),
            Transport::Redis { channel, .. } => write!(f, "Bus(redis, channel {channel:?})"),
        }
    }
}

impl Bus {
    /// A bus that lives inside this process: what the embedded default uses.
    pub fn in_process() -> Bus {
        let (local, _) = broadcast::channel(LOCAL_CAPACITY);
        Bus {
            inner: Arc::new(Inner {
                local,
                transport: Transport::InProcess,
                published: AtomicU64::new(0),
            }),
        }
    }

    /// A bus on Redis pub/sub `channel`, shared by every process that names the
    /// same server and channel. Subscribes before returning, so an event
    /// published after this returns is received. Fails within a few seconds if
    /// the server is dead or unreachable.
    pub async fn redis(url: &str, channel: &str) -> Result<Bus, RealtimeError> {
        let client = redis::Client::open(url)?;
        let addr = client.get_connection_info().addr().to_string();
        let timeout_error = || RealtimeError::RedisTimeout {
            addr: addr.clone(),
            seconds: REDIS_CONNECT_TIMEOUT.as_secs(),
        };

        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_connection_timeout(Some(REDIS_CONNECT_TIMEOUT))
            .set_response_timeout(Some(REDIS_CONNECT_TIMEOUT));
        let publisher = tokio::time::timeout(
            REDIS_CONNECT_TIMEOUT,
            ConnectionManager::new_with_config(client.clone(), config),
        )
        .await
        .map_err(|_| timeout_error())??;

        let pubsub = tokio::time::timeout(REDIS_CONNECT_TIMEOUT, subscribe(&client, channel))
            .await
            .map_err(|_| timeout_error())??;

        let (local, _) = broadcast::channel(LOCAL_CAPACITY);
        let forwarder =
            tokio::spawn(forward(client, channel.to_owned(), pubsub, local.clone())).abort_handle();
        Ok(Bus {
            inner: Arc::new(Inner {
                local,
                transport: Transport::Redis {
                    publisher,
                    channel: channel.to_owned(),
                    forwarder,
                },
                published: AtomicU64::new(0),
            }),
        })
    }

    /// Publishes one event to every subscriber (in every process, with Redis).
    /// Having no subscriber at all is not an error.
    pub async fn publish(&self, event: &Event) -> Result<(), RealtimeError> {
        self.inner.published.fetch_add(1, Ordering::Relaxed);
        match &self.inner.transport {
            Transport::InProcess => {
                // `send` only fails when nobody is subscribed; then nobody is owed it.
                let _ = self.inner.local.send(Arc::new(event.clone()));
                Ok(())
            }
            Transport::Redis {
                publisher, channel, ..
            } => {
                let json = serde_json::to_string(event)?;
                let mut conn = publisher.clone();
                let _receivers: i64 = redis::cmd("PUBLISH")
                    .arg(channel)
                    .arg(json)
                    .query_async(&mut conn)
                    .await?;
                Ok(())
            }
        }
    }

    /// How many events were published through this bus (by this process).
    pub fn published_count(&self) -> u64 {
        self.inner.published.load(Ordering::Relaxed)
    }

    /// Checks that Redis answers (always fine in-process), for readiness.
    pub async fn ping(&self) -> Result<(), RealtimeError> {
        if let Transport::Redis { publisher, .. } = &self.inner.transport {
            let mut conn = publisher.clone();
            let _pong: String = tokio::time::timeout(
                REDIS_CONNECT_TIMEOUT,
                redis::cmd("PING").query_async(&mut conn),
            )
            .await
            .map_err(|_| RealtimeError::RedisTimeout {
                addr: "the configured server".to_owned(),
                seconds: REDIS_CONNECT_TIMEOUT.as_secs(),
            })??;
        }
        Ok(())
    }

    /// A new local subscription: every event published after this call.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.inner.local.subscribe()
    }
}

async fn subscribe(
    client: &redis::Client,
    channel: &str,
) -> Result<redis::aio::PubSub, RealtimeError> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(channel).await?;
    Ok(pubsub)
}

/// Forwards the channel into the local broadcast for as long as the bus lives,
/// re-subscribing with a growing pause when the connection is lost. Events
/// published while it is down are not seen here (resume covers that gap).
async fn forward(
    client: redis::Client,
    channel: String,
    first: redis::aio::PubSub,
    local: broadcast::Sender<Arc<Event>>,
) {
    let mut pubsub = Some(first);
    let mut delay = Duration::from_millis(100);
    loop {
        let current = match pubsub.take() {
            Some(current) => current,
            None => match subscribe(&client, &channel).await {
                Ok(current) => {
                    tracing::info!(%channel, "redis bus subscription restored");
                    delay = Duration::from_millis(100);
                    current
                }
                Err(error) => {
                    tracing::warn!(%channel, %error, "redis bus: could not re-subscribe; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_RECONNECT_DELAY);
                    continue;
                }
            },
        };
        let mut messages = current.into_on_message();
        while let Some(message) = messages.next().await {
            match serde_json::from_slice::<Event>(message.get_payload_bytes()) {
                Ok(event) => {
                    let _ = local.send(Arc::new(event));
                }
                Err(error) => {
                    tracing::warn!(%channel, %error, "redis bus: ignoring a message that is not an event");
                }
            }
        }
        tracing::warn!(%channel, "redis bus subscription lost; reconnecting");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hubbub_core::event::EventBody;
    use hubbub_core::ids::EventId;

    fn revoked(id: i64) -> Event {
        Event {
            id: EventId(id),
            body: EventBody::TokenRevoked {
                token_id: "t".into(),
            },
        }
    }

    #[tokio::test]
    async fn the_in_process_bus_delivers_one_publish_to_every_subscriber() {
        let bus = Bus::in_process();
        let mut first = bus.subscribe();
        let mut second = bus.clone().subscribe();

        bus.publish(&revoked(1)).await.unwrap();

        assert_eq!(*first.recv().await.unwrap(), revoked(1));
        assert_eq!(*second.recv().await.unwrap(), revoked(1));
    }

    #[tokio::test]
    async fn publishing_with_nobody_listening_is_not_an_error() {
        Bus::in_process().publish(&revoked(2)).await.unwrap();
    }

    #[tokio::test]
    async fn a_dead_redis_server_fails_fast_with_an_error() {
        let started = std::time::Instant::now();
        // Port 1 on loopback: nothing listens there, so the connection is refused.
        let result = Bus::redis("redis://127.0.0.1:1", "hubbub-test").await;
        assert!(result.is_err());
        assert!(started.elapsed() < Duration::from_secs(8));
    }
}
