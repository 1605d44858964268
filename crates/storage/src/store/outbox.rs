//! The outbox: events committed with the change they describe, for the relay and replay.

use super::*;
use crate::schema::outbox;

impl Store {
    /// Up to `limit` events not yet published, in insert order, for inspecting
    /// what a write produced. Their ids are outbox row ids: the relay gives each
    /// event its published id when it publishes it.
    pub async fn unpublished_events(&self, limit: i64) -> Result<Vec<Event>, StorageError> {
        self.run(move |conn| {
            outbox::table
                .filter(outbox::published_at.is_null())
                .order(outbox::id.asc())
                .limit(limit)
                .select(OutboxRow::as_select())
                .load(conn)?
                .into_iter()
                .map(OutboxRow::into_pending_event)
                .collect()
        })
        .await
    }

    /// Published events with an id above `after`, in publish order.
    pub async fn events_after(
        &self,
        after: EventId,
        limit: i64,
    ) -> Result<Vec<Event>, StorageError> {
        self.run(move |conn| {
            outbox::table
                .filter(outbox::seq.gt(after.0))
                .filter(outbox::published_at.is_not_null())
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
}

/// Appends an event to the outbox. Call it in the write transaction of the
/// change it describes. Its event id is given later, by the relay, in the order
/// it publishes (see `store/relay.rs`), so concurrent writers never wait for
/// each other here.
pub(crate) fn append_event(
    conn: &mut AnyConnection,
    body: &EventBody,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    let payload = encode_event(body)?;
    // Column by column: the derived insert form is not kept prepared by
    // PostgreSQL, and this runs in every write transaction.
    diesel::insert_into(outbox::table)
        .values((
            outbox::kind.eq(body.kind()),
            outbox::payload.eq(&payload),
            outbox::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// An event's outbox payload (its JSON).
pub(super) fn encode_event(body: &EventBody) -> Result<String, StorageError> {
    serde_json::to_string(body)
        .map_err(|e| StorageError::Corrupt(format!("could not encode {} event: {e}", body.kind())))
}
