//! What the outbox relay and the gateway's resume need beyond the outbox basics:
//! the relay lease (one active relay per database), replay of committed events,
//! and pruning of the retained window.
//!
//! Why a lease rather than `FOR UPDATE SKIP LOCKED` claims: events must reach the
//! bus in id order (clients resume by id, and gateways drop an id they have
//! already passed). Several relays claiming disjoint batches would publish them
//! interleaved, and ordering them again would need a second coordination step.
//! One active relay publishing in order is simpler and fast enough (one bus
//! `PUBLISH` per event). On PostgreSQL the lease is a session advisory lock held
//! by a dedicated connection, and every relay query runs on that same session:
//! while the queries succeed, the lock is held; if the holder dies, its session
//! ends, the lock is released, and a standby relay takes over within its next
//! poll, publishing whatever the dead one left unpublished.

use super::*;
use crate::connection::Manager;
use crate::schema::outbox;
use tokio::sync::{OwnedMutexGuard, OwnedSemaphorePermit};

/// The session advisory lock that elects the active relay on PostgreSQL.
const RELAY_LOCK_KEY: i64 = 0x4855_4242_5245_4c59;

/// Rows deleted per pruning statement, so one prune never holds locks for long.
const PRUNE_BATCH: i64 = 5_000;

/// The right to be the one relay publishing this database's outbox, with the
/// connection it was granted on. Dropping it gives the right up.
///
/// On PostgreSQL it is a session advisory lock, so relays in different
/// processes exclude each other and a dead holder's lock is released by the
/// server. On SQLite (a single-node deployment) it is a lock inside this
/// process, shared by clones of the [`Store`].
pub struct RelayLease {
    conn: Option<r2d2::PooledConnection<Manager>>,
    _permit: OwnedSemaphorePermit,
    _local: Option<OwnedMutexGuard<()>>,
}

impl std::fmt::Debug for RelayLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayLease")
            .field("live", &self.conn.is_some())
            .finish()
    }
}

impl Store {
    /// Tries to become the active relay. `None` if another relay holds the
    /// lease; try again later (a dead holder's lease is freed by the server).
    pub async fn try_relay_lease(&self) -> Result<Option<RelayLease>, StorageError> {
        let local = match self.backend {
            Backend::Sqlite => match Arc::clone(&self.relay_lock).try_lock_owned() {
                Ok(guard) => Some(guard),
                Err(_) => return Ok(None),
            },
            Backend::Postgres => None,
        };
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|e| StorageError::Task(e.to_string()))?;
        let pool = self.pool.clone();
        let conn = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            let granted = match &mut *conn {
                AnyConnection::Postgresql(pg) => {
                    diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
                        "pg_try_advisory_lock({RELAY_LOCK_KEY})"
                    )))
                    .get_result::<bool>(pg)?
                }
                AnyConnection::Sqlite(_) => true,
            };
            Ok::<_, StorageError>(granted.then_some(conn))
        })
        .await
        .map_err(|e| StorageError::Task(e.to_string()))??;
        Ok(conn.map(|conn| RelayLease {
            conn: Some(conn),
            _permit: permit,
            _local: local,
        }))
    }

    /// Committed events with an id above `after`, oldest first, whether or not
    /// the relay has published them yet: what a resuming client is owed.
    ///
    /// Unlike [`Store::events_after`], this does not wait for `published_at`:
    /// the relay publishes before it marks, so an event can reach a gateway
    /// (before a client reconnects) and still look unpublished (when the client
    /// replays); reading only published rows would skip it. Outbox ids commit in
    /// order (see `append_event`), so the rows read are a prefix with no holes.
    pub async fn committed_events_after(
        &self,
        after: EventId,
        limit: i64,
    ) -> Result<Vec<Event>, StorageError> {
        self.run(move |conn| {
            outbox::table
                .filter(outbox::id.gt(after.0))
                .order(outbox::id.asc())
                .limit(limit)
                .select(OutboxRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Event::try_from)
                .collect()
        })
        .await
    }

    /// The oldest event still in the outbox; `None` when it is empty. A client
    /// resuming from before it may have missed pruned events.
    pub async fn oldest_event_id(&self) -> Result<Option<EventId>, StorageError> {
        self.run(|conn| {
            let oldest: Option<i64> = outbox::table
                .select(diesel::dsl::min(outbox::id))
                .get_result(conn)?;
            Ok(oldest.map(EventId))
        })
        .await
    }
}

impl RelayLease {
    /// Runs `work` on the lease's own connection (its session holds the lock).
    async fn on_session<T, F>(&mut self, work: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, StorageError> + Send + 'static,
    {
        let mut conn = self
            .conn
            .take()
            .ok_or_else(|| StorageError::Task("the relay lease was lost".into()))?;
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let result = work(&mut conn);
            (conn, result)
        })
        .await
        .map_err(|e| StorageError::Task(e.to_string()))?;
        // A broken session has lost its lock: keep the lease unusable then.
        if result.is_ok() {
            self.conn = Some(conn);
        }
        result
    }

    /// Up to `limit` events not yet published, oldest first.
    pub async fn unpublished_events(&mut self, limit: i64) -> Result<Vec<Event>, StorageError> {
        self.on_session(move |conn| {
            outbox::table
                .filter(outbox::published_at.is_null())
                .order(outbox::id.asc())
                .limit(limit)
                .select(OutboxRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Event::try_from)
                .collect()
        })
        .await
    }

    /// Marks events as published.
    pub async fn mark_published(
        &mut self,
        ids: &[EventId],
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let now = to_db(now);
        self.on_session(move |conn| {
            diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
                .set(outbox::published_at.eq(now))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// Deletes published events created before `cutoff`, always keeping the
    /// newest row so that [`Store::oldest_event_id`] still tells resuming
    /// clients where the retained window starts. Returns how many went.
    pub async fn prune_published_before(
        &mut self,
        cutoff: DateTime<Utc>,
    ) -> Result<usize, StorageError> {
        let cutoff = to_db(cutoff);
        self.on_session(move |conn| {
            let mut deleted = 0;
            loop {
                let newest: Option<i64> = outbox::table
                    .select(diesel::dsl::max(outbox::id))
                    .get_result(conn)?;
                let Some(newest) = newest else { break };
                // Oldest first by primary key: old rows are at the front, so the
                // scan stops early without an index on created_at.
                let batch: Vec<i64> = outbox::table
                    .filter(outbox::published_at.is_not_null())
                    .filter(outbox::created_at.lt(cutoff))
                    .filter(outbox::id.lt(newest))
                    .order(outbox::id.asc())
                    .limit(PRUNE_BATCH)
                    .select(outbox::id)
                    .load(conn)?;
                if batch.is_empty() {
                    break;
                }
                let full = batch.len() as i64 == PRUNE_BATCH;
                deleted +=
                    diesel::delete(outbox::table.filter(outbox::id.eq_any(batch))).execute(conn)?;
                if !full {
                    break;
                }
            }
            Ok(deleted)
        })
        .await
    }
}

impl Drop for RelayLease {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        if !matches!(&*conn, AnyConnection::Postgresql(_)) {
            return;
        }
        // The connection goes back to the pool: its session must not keep the
        // lock, or no relay could ever take over.
        let mut unlock = move || {
            if let AnyConnection::Postgresql(pg) = &mut *conn
                && let Err(error) =
                    pg.batch_execute(&format!("SELECT pg_advisory_unlock({RELAY_LOCK_KEY})"))
            {
                // Only a failing session fails here, and the pool discards a
                // broken connection, which ends the session and its lock.
                tracing::warn!(%error, "could not release the relay lease");
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn_blocking(unlock);
            }
            Err(_) => unlock(),
        }
    }
}
