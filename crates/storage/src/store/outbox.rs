//! The outbox: events committed with the change they describe, for the relay and replay.

use super::*;
use crate::schema::outbox;

impl Store {
    /// Up to `limit` outbox events not yet published, oldest first.
    pub async fn unpublished_events(&self, limit: i64) -> Result<Vec<Event>, StorageError> {
        self.run(move |conn| {
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
        &self,
        ids: &[EventId],
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let now = to_db(now);
        self.run(move |conn| {
            diesel::update(
                outbox::table
                    .filter(outbox::id.eq_any(ids))
                    .filter(outbox::published_at.is_null()),
            )
            .set(outbox::published_at.eq(now))
            .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// Published events with an id above `after`, oldest first, for replay.
    pub async fn events_after(
        &self,
        after: EventId,
        limit: i64,
    ) -> Result<Vec<Event>, StorageError> {
        self.run(move |conn| {
            outbox::table
                .filter(outbox::id.gt(after.0))
                .filter(outbox::published_at.is_not_null())
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
}

/// Appends an event to the outbox. Call it last in a write transaction.
///
/// On PostgreSQL, BIGSERIAL hands out ids at insert time, not commit time, so two
/// concurrent transactions could commit ids 6 then 5; the relay would publish 6
/// first and a client resuming from 6 would never see 5. A transaction-scoped
/// advisory lock taken just before the insert and held until commit makes outbox
/// ids commit in order. It serialises only the last statement of each write
/// transaction. SQLite already serialises writers.
pub(crate) fn append_event(
    conn: &mut AnyConnection,
    body: &EventBody,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    if let AnyConnection::Postgresql(pg) = conn {
        pg.batch_execute(&format!("SELECT pg_advisory_xact_lock({OUTBOX_LOCK_KEY})"))?;
    }
    let payload = serde_json::to_string(body).map_err(|e| {
        StorageError::Corrupt(format!("could not encode {} event: {e}", body.kind()))
    })?;
    let form = OutboxInsertForm {
        kind: body.kind(),
        payload: &payload,
        created_at: at,
    };
    diesel::insert_into(outbox::table)
        .values(&form)
        .execute(conn)?;
    Ok(())
}

/// The advisory lock key that orders outbox commits on PostgreSQL.
const OUTBOX_LOCK_KEY: i64 = 0x4855_4242_4f55_5458;
