//! The outbox relay: publishes committed events to the bus, oldest first, and
//! marks them published; prunes published events older than the retention
//! window.
//!
//! Exactly one relay is active per database, however many nodes run one: each
//! relay tries to take the store's [`RelayLease`] (a PostgreSQL session advisory
//! lock) and only the holder publishes, in id order. The others poll for it,
//! so when the holder's process dies its session ends, the lock is released,
//! and a standby takes over within one poll, publishing whatever the dead node
//! left unpublished. A crash between publish and mark republishes those events
//! once; gateways drop an id they have already dispatched, so clients still see
//! each event once.

use crate::bus::Bus;
use crate::error::RealtimeError;
use hubbub_core::ids::EventId;
use hubbub_storage::Store;
use hubbub_storage::store::RelayLease;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

/// Events fetched per round trip.
const BATCH: i64 = 500;
/// Back-off after a failure, doubled up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// How the relay behaves; the defaults suit production.
#[derive(Debug, Clone)]
pub struct RelayOptions {
    /// How often the outbox is polled when nobody wakes the relay: covers rows
    /// written by other nodes, whose commits do not ring our `wake`, and is how
    /// often a standby relay asks for the lease.
    pub poll: Duration,
    /// Published events are kept this long for resuming clients, then pruned.
    pub retention: Duration,
    /// How often pruning runs.
    pub prune_every: Duration,
}

impl Default for RelayOptions {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(200),
            retention: Duration::from_secs(24 * 3600),
            prune_every: Duration::from_secs(60),
        }
    }
}

/// [`spawn_relay_with`] and the default options.
pub fn spawn_relay(
    store: Store,
    bus: Bus,
    wake: Arc<Notify>,
    shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    spawn_relay_with(store, bus, wake, shutdown, RelayOptions::default())
}

/// Publishes committed outbox rows to the bus, oldest first, marking them
/// published, while it holds the relay lease. Ring `wake` after a commit to
/// publish at once; otherwise the outbox is polled. Stops when `shutdown`
/// turns true (or its sender is dropped). Errors are logged and retried with
/// back-off; an error also gives the lease up, so a healthy relay can take it.
pub fn spawn_relay_with(
    store: Store,
    bus: Bus,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
    options: RelayOptions,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut backoff = MIN_BACKOFF;
        let mut lease: Option<RelayLease> = None;
        let mut last_prune = tokio::time::Instant::now();
        loop {
            if *shutdown.borrow() {
                if let Some(held) = lease.as_mut() {
                    flush(held, &bus).await;
                }
                break;
            }
            let round = async {
                if lease.is_none() {
                    lease = store.try_relay_lease().await?;
                    if lease.is_some() {
                        tracing::info!("outbox relay: this node now publishes the outbox");
                    }
                }
                let Some(held) = lease.as_mut() else {
                    return Ok(0);
                };
                if last_prune.elapsed() >= options.prune_every {
                    last_prune = tokio::time::Instant::now();
                    prune(held, options.retention).await?;
                }
                relay_batch(held, &bus).await
            };
            let pause = match round.await {
                // A full batch: more are probably waiting.
                Ok(count) if count >= BATCH as usize => {
                    backoff = MIN_BACKOFF;
                    continue;
                }
                Ok(_) => {
                    backoff = MIN_BACKOFF;
                    options.poll
                }
                Err(error) => {
                    tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "outbox relay failed");
                    lease = None;
                    let pause = backoff;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    pause
                }
            };
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(pause) => {}
                // An error means the sender is gone: nobody can stop us any
                // more, and the process is going away, so stop too.
                changed = shutdown.changed() => if changed.is_err() {
                    if let Some(held) = lease.as_mut() {
                        flush(held, &bus).await;
                    }
                    break;
                },
            }
        }
        tracing::debug!("outbox relay stopped");
    })
}

/// On shutdown, if this node holds the lease: publishes what the last requests
/// committed, so nothing waits for a standby to take over. Bounded, so a
/// broken bus cannot hold the process up.
async fn flush(lease: &mut RelayLease, bus: &Bus) {
    for _ in 0..20 {
        match relay_batch(lease, bus).await {
            Ok(count) if count >= BATCH as usize => {}
            Ok(_) => return,
            Err(error) => {
                tracing::warn!(%error, "outbox relay: final flush failed; the next relay publishes the rest");
                return;
            }
        }
    }
}

/// Deletes published events older than the retention window.
async fn prune(lease: &mut RelayLease, retention: Duration) -> Result<(), RealtimeError> {
    let retention = chrono::Duration::from_std(retention).unwrap_or(chrono::Duration::MAX);
    // Bookkeeping only, so the wall clock is fine here.
    let cutoff = chrono::Utc::now()
        .checked_sub_signed(retention)
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
    let pruned = lease.prune_published_before(cutoff).await?;
    if pruned > 0 {
        tracing::debug!(pruned, "outbox relay: pruned published events");
    }
    Ok(())
}

/// Publishes one batch; returns how many events were published. When a publish
/// fails, the events published before it are still marked.
async fn relay_batch(lease: &mut RelayLease, bus: &Bus) -> Result<usize, RealtimeError> {
    let events = lease.unpublished_events(BATCH).await?;
    let mut published: Vec<EventId> = Vec::with_capacity(events.len());
    let mut failure = None;
    for event in &events {
        match bus.publish(event).await {
            Ok(()) => published.push(event.id),
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    if !published.is_empty() {
        // Bookkeeping only (when it went out), so the wall clock is fine here.
        lease.mark_published(&published, chrono::Utc::now()).await?;
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(published.len()),
    }
}
