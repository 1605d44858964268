//! What the outbox relay and the gateway's resume need beyond the outbox basics:
//! the relay lease (one active relay per database), event numbering, replay of
//! committed events, and pruning of the retained window.
//!
//! Event ids are given at publish time, not at insert time. Outbox rows get
//! their row id when inserted, but concurrent transactions commit in any order,
//! so a client resuming "after id 6" could miss a row 5 committed later. Instead
//! the active relay numbers committed rows (`seq`: the previous highest plus one,
//! in a transaction on its own session) and publishes them in that order, so the
//! published sequence has no holes and never goes back, while writers never wait
//! for each other.
//!
//! Why a lease rather than `FOR UPDATE SKIP LOCKED` claims: events must reach the
//! bus in sequence (clients resume by it, and gateways drop an id they have
//! already passed), and one numbering relay is what makes the sequence. One
//! active relay is fast enough (one bus `PUBLISH` per event). On PostgreSQL the
//! lease is a session advisory lock held by a dedicated connection, and every
//! relay query runs on that same session: while the queries succeed, the lock is
//! held; if the holder dies, its session ends, the lock is released, and a
//! standby relay takes over within its next poll, publishing first whatever the
//! dead one had numbered but not published (with the same ids), then the rest.

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
            let granted = match &mut **conn {
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

    /// Numbered events with an id above `after`, oldest first, whether or not
    /// the relay has published them yet: what a resuming client is owed.
    ///
    /// Unlike [`Store::events_after`], this does not wait for `published_at`:
    /// the relay publishes before it marks, so an event can reach a gateway
    /// (before a client reconnects) and still look unpublished (when the client
    /// replays); reading only published rows would skip it. Rows not numbered
    /// yet will be published after every numbered one, so the client gets them
    /// live.
    pub async fn committed_events_after(
        &self,
        after: EventId,
        limit: i64,
    ) -> Result<Vec<Event>, StorageError> {
        self.run(move |conn| {
            outbox::table
                .filter(outbox::seq.gt(after.0))
                .order(outbox::seq.asc())
                .limit(limit)
                .select(OutboxRow::as_select())
                .load(conn)?
                .into_iter()
                .map(OutboxRow::into_event)
                .collect()
        })
        .await
    }

    /// The oldest event still in the outbox; `None` when none is numbered yet. A
    /// client resuming from before it may have missed pruned events.
    pub async fn oldest_event_id(&self) -> Result<Option<EventId>, StorageError> {
        self.run(|conn| {
            let oldest: Option<i64> = outbox::table
                .select(diesel::dsl::min(outbox::seq))
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

    /// Up to `limit` events to publish next, in sequence: first any a previous
    /// holder numbered but did not publish (same ids again; gateways drop
    /// repeats), then newly committed rows, numbered here in one transaction.
    pub async fn unpublished_events(&mut self, limit: i64) -> Result<Vec<Event>, StorageError> {
        self.on_session(move |conn| {
            write_transaction(conn, |conn| {
                let mut events: Vec<Event> = outbox::table
                    .filter(outbox::published_at.is_null())
                    .filter(outbox::seq.is_not_null())
                    .order(outbox::seq.asc())
                    .limit(limit)
                    .select(OutboxRow::as_select())
                    .load(conn)?
                    .into_iter()
                    .map(OutboxRow::into_event)
                    .collect::<Result<_, _>>()?;
                let room = limit - events.len() as i64;
                if room > 0 {
                    events.extend(number_new_rows(conn, room)?);
                }
                Ok(events)
            })
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
            diesel::update(outbox::table.filter(outbox::seq.eq_any(ids)))
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
                    .select(diesel::dsl::max(outbox::seq))
                    .get_result(conn)?;
                let Some(newest) = newest else { break };
                // Oldest first by sequence: old rows are at the front, so the
                // scan stops early without an index on created_at.
                let batch: Vec<i64> = outbox::table
                    .filter(outbox::published_at.is_not_null())
                    .filter(outbox::created_at.lt(cutoff))
                    .filter(outbox::seq.lt(newest))
                    .order(outbox::seq.asc())
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

/// Numbers up to `limit` committed rows that have no event id yet, in insert
/// order, continuing the sequence; returns them as events. Only the lease holder
/// calls it, so reading the highest id and writing the next ones cannot race.
fn number_new_rows(conn: &mut AnyConnection, limit: i64) -> Result<Vec<Event>, StorageError> {
    let ids: Vec<i64> = outbox::table
        .filter(outbox::seq.is_null())
        .order(outbox::id.asc())
        .limit(limit)
        .select(outbox::id)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let highest: Option<i64> = outbox::table
        .select(diesel::dsl::max(outbox::seq))
        .get_result(conn)?;
    let first = highest.unwrap_or(0) + 1;
    // One statement for the whole batch; the values are integers we read above.
    let cases: String = ids
        .iter()
        .zip(first..)
        .map(|(id, seq)| format!(" WHEN {id} THEN {seq}"))
        .collect();
    let listed = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    diesel::sql_query(format!(
        "UPDATE outbox SET seq = CASE id{cases} END WHERE id IN ({listed})"
    ))
    .execute(conn)?;
    outbox::table
        .filter(outbox::id.eq_any(&ids))
        .order(outbox::seq.asc())
        .select(OutboxRow::as_select())
        .load(conn)?
        .into_iter()
        .map(OutboxRow::into_event)
        .collect()
}

impl Drop for RelayLease {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        if !matches!(&**conn, AnyConnection::Postgresql(_)) {
            return;
        }
        // The connection goes back to the pool: its session must not keep the
        // lock, or no relay could ever take over.
        let mut unlock = move || {
            if let AnyConnection::Postgresql(pg) = &mut **conn
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
