//! What the help-desk reports read: tickets of a period with their whole logs, in
//! keyset batches (a year of tickets never sits in memory at once), and engagement.

use super::*;
use crate::helpdesk::{
    Engagement, ReportTicket, Ticket, TicketEventRow, TicketLogEntry, TicketRow,
};
use crate::schema::{
    accounts, communities, community_members, helpdesk_ticket_events, helpdesk_tickets, statuses,
};
use hubbub_core::helpdesk::tags::hashtags;
use hubbub_core::ids::{TicketId, min_id_at};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Posts read per query when counting topics.
const TOPIC_BATCH: i64 = 1000;

impl Store {
    /// Up to `limit` tickets created or resolved in `[since, until)` with an id above
    /// `after`, oldest id first, each with its whole log (one query for the batch's
    /// logs). `viewer` decides which are reported only as counts.
    pub async fn helpdesk_report_batch(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        viewer: AccountId,
        after: Option<TicketId>,
        limit: i64,
    ) -> Result<Vec<ReportTicket>, StorageError> {
        let (since, until) = (to_db(since), to_db(until));
        self.run(move |conn| {
            let created = helpdesk_tickets::created_at
                .ge(since)
                .and(helpdesk_tickets::created_at.lt(until));
            let resolved = helpdesk_tickets::resolved_at
                .ge(since)
                .and(helpdesk_tickets::resolved_at.lt(until));
            let tickets: Vec<Ticket> = helpdesk_tickets::table
                .filter(created.or(resolved.assume_not_null()))
                .filter(helpdesk_tickets::id.gt(after.map_or(i64::MIN, |id| id.0)))
                .order(helpdesk_tickets::id.asc())
                .limit(limit)
                .select(TicketRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Ticket::try_from)
                .collect::<Result<_, _>>()?;
            let ids: Vec<i64> = tickets.iter().map(|ticket| ticket.id.0).collect();
            let mut logs: HashMap<TicketId, Vec<_>> = HashMap::new();
            let rows: Vec<TicketEventRow> = helpdesk_ticket_events::table
                .filter(helpdesk_ticket_events::ticket_id.eq_any(&ids))
                .order((
                    helpdesk_ticket_events::ticket_id.asc(),
                    helpdesk_ticket_events::id.asc(),
                ))
                .select(TicketEventRow::as_select())
                .load(conn)?;
            for row in rows {
                let entry = TicketLogEntry::try_from(row)?;
                logs.entry(entry.ticket_id).or_default().push(entry.entry);
            }
            let communities: Vec<i64> = tickets.iter().filter_map(|t| t.community_id).collect();
            let hidden = counts_only_communities(conn, viewer, &communities)?;
            Ok(tickets
                .into_iter()
                .map(|ticket| ReportTicket {
                    log: logs.remove(&ticket.id).unwrap_or_default(),
                    counts_only: ticket.community_id.is_some_and(|c| hidden.contains(&c)),
                    ticket,
                })
                .collect())
        })
        .await
    }

    /// Engagement in `[since, until)`: people who posted, posts, replies, new
    /// accounts, and the `top` most used hashtags (posts scanned in batches).
    pub async fn engagement(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        top: usize,
    ) -> Result<Engagement, StorageError> {
        // Post ids are time-ordered, so the period is an id range on the primary key.
        let (low, high) = (min_id_at(since), min_id_at(until));
        let (since_db, until_db) = (to_db(since), to_db(until));
        self.run(move |conn| {
            let live = statuses::id
                .ge(low)
                .and(statuses::id.lt(high))
                .and(statuses::deleted_at.is_null());
            let posts: i64 = statuses::table
                .filter(live)
                .filter(statuses::in_reply_to_id.is_null())
                .count()
                .get_result(conn)?;
            let replies: i64 = statuses::table
                .filter(live)
                .filter(statuses::in_reply_to_id.is_not_null())
                .count()
                .get_result(conn)?;
            let active_people: i64 = statuses::table
                .filter(live)
                .select(diesel::dsl::count(statuses::account_id).aggregate_distinct())
                .first(conn)?;
            let new_accounts: i64 = accounts::table
                .filter(accounts::created_at.ge(since_db))
                .filter(accounts::created_at.lt(until_db))
                .count()
                .get_result(conn)?;
            let mut counts: BTreeMap<String, i64> = BTreeMap::new();
            let mut after = low - 1;
            loop {
                let batch: Vec<(i64, String)> = statuses::table
                    .filter(live)
                    .filter(statuses::id.gt(after))
                    .order(statuses::id.asc())
                    .limit(TOPIC_BATCH)
                    .select((statuses::id, statuses::text))
                    .load(conn)?;
                let Some((last, _)) = batch.last() else { break };
                after = *last;
                for (_, text) in &batch {
                    let distinct: HashSet<String> = hashtags(text).into_iter().collect();
                    for tag in distinct {
                        *counts.entry(tag).or_default() += 1;
                    }
                }
            }
            let mut top_topics: Vec<(String, i64)> = counts.into_iter().collect();
            top_topics.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            top_topics.truncate(top);
            Ok(Engagement {
                active_people,
                posts,
                replies,
                new_accounts,
                communities: 0,
                top_topics,
            })
        })
        .await
    }
}

/// Of `communities`, those private to `viewer`: their tickets appear in reports
/// only as counts. The one place community privacy enters the reports: a private
/// community whose active members do not include the viewer.
fn counts_only_communities(
    conn: &mut AnyConnection,
    viewer: AccountId,
    communities: &[i64],
) -> Result<HashSet<i64>, StorageError> {
    if communities.is_empty() {
        return Ok(HashSet::new());
    }
    let private: Vec<i64> = communities::table
        .filter(communities::id.eq_any(communities))
        .filter(communities::private.eq(true))
        .select(communities::id)
        .load(conn)?;
    let joined: HashSet<i64> = community_members::table
        .filter(community_members::account_id.eq(viewer.0))
        .filter(community_members::community_id.eq_any(&private))
        .filter(community_members::state.eq("active"))
        .select(community_members::community_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    Ok(private
        .into_iter()
        .filter(|c| !joined.contains(c))
        .collect())
}
