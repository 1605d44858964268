//! The outbox relay: publishes committed events to the bus, oldest first, and
//! marks them published. A crash between publish and mark means an event may
//! be published again on restart, never lost.

use crate::bus::Bus;
use crate::error::RealtimeError;
use hubbub_core::ids::EventId;
use hubbub_storage::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

/// Events fetched per round trip.
const BATCH: i64 = 500;
/// How often the outbox is polled when nobody wakes the relay: covers rows
/// written by another node, whose commits do not ring our `wake`.
const POLL: Duration = Duration::from_millis(200);
/// Back-off after a failure, doubled up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Publishes committed outbox rows to the bus, oldest first, marking them
/// published. Ring `wake` after a commit to publish at once; otherwise the
/// outbox is polled every 200 ms. Stops when `shutdown` turns true (or its
/// sender is dropped). Errors are logged and retried with back-off.
pub fn spawn_relay(
    store: Store,
    bus: Bus,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut backoff = MIN_BACKOFF;
        loop {
            if *shutdown.borrow() {
                flush(&store, &bus).await;
                break;
            }
            let pause = match relay_batch(&store, &bus).await {
                // A full batch: more are probably waiting.
                Ok(count) if count >= BATCH as usize => {
                    backoff = MIN_BACKOFF;
                    continue;
                }
                Ok(_) => {
                    backoff = MIN_BACKOFF;
                    POLL
                }
                Err(error) => {
                    tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "outbox relay failed");
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
                    flush(&store, &bus).await;
                    break;
                },
            }
        }
        tracing::debug!("outbox relay stopped");
    })
}

/// On shutdown: publishes what the last requests committed, so nothing waits
/// for the next start (or another node). Bounded, so a broken bus cannot hold
/// the process up.
async fn flush(store: &Store, bus: &Bus) {
    for _ in 0..20 {
        match relay_batch(store, bus).await {
            Ok(count) if count >= BATCH as usize => {}
            Ok(_) => return,
            Err(error) => {
                tracing::warn!(%error, "outbox relay: final flush failed; the next start publishes the rest");
                return;
            }
        }
    }
}

/// Publishes one batch; returns how many events were published. When a publish
/// fails, the events published before it are still marked.
async fn relay_batch(store: &Store, bus: &Bus) -> Result<usize, RealtimeError> {
    let events = store.unpublished_events(BATCH).await?;
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
        store.mark_published(&published, chrono::Utc::now()).await?;
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(published.len()),
    }
}
