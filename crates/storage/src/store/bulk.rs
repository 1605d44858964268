//! Bulk loading for the demo seeder and the benchmark generator: multi-row
//! INSERTs, one transaction per call, no outbox events (nobody is streaming
//! the history of a fresh instance). Not for request handlers.
//!
//! The rows are the ones the normal write paths would have stored (posts with
//! their topics, mentions and thread participation; favourites, reactions and
//! notifications; help-desk tickets with their event logs); making them agree
//! is the caller's job, since nothing here re-reads what it writes.

use super::*;
use crate::rows::{CommunityMemberInsertForm, FollowInsertForm};
use crate::schema::{
    accounts, communities, community_members, favourites, follows, helpdesk_ticket_events,
    helpdesk_tickets, mentions, notifications, reactions, status_tags, statuses, tags,
    thread_follows,
};
use hubbub_core::helpdesk::ticket::{Category, EventKind, Priority, TicketState};
use hubbub_core::reaction::{NotificationKind, Reaction};
use std::collections::HashMap;

/// One multi-row INSERT. `MultiConnection` has no batch insert (SQLite lacks
/// the DEFAULT keyword), so each backend gets its own arm.
macro_rules! insert_many {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            AnyConnection::Postgresql(pg) => diesel::insert_into($table).values($rows).execute(pg),
            AnyConnection::Sqlite(sqlite) => {
                diesel::insert_into($table).values($rows).execute(sqlite)
            }
        }
    };
}

/// Rows per INSERT statement: well under SQLite's and PostgreSQL's bind
/// parameter limits for the widest table (12 columns).
const ROWS_PER_STATEMENT: usize = 500;

/// An account with its directory fields, as bulk-loaded.
#[derive(Debug, Clone, diesel::Insertable)]
#[diesel(table_name = accounts)]
pub struct BulkAccount {
    /// Id.
    pub id: i64,
    /// Username (letters, digits, underscores).
    pub username: String,
    /// Lower-cased username.
    pub username_canonical: String,
    /// Display name.
    pub display_name: String,
    /// Email, lower-cased.
    pub email: String,
    /// argon2id PHC string (or an unusable one).
    pub password_hash: String,
    /// Role name.
    pub role: String,
    /// Disabled?
    pub disabled: bool,
    /// Registered at (naive UTC).
    pub created_at: NaiveDateTime,
    /// Bio.
    pub note: String,
    /// Department.
    pub department: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Manager (must be loaded earlier or in the same call, before).
    pub manager_id: Option<i64>,
}

/// A post as bulk-loaded.
#[derive(Debug, Clone, diesel::Insertable)]
#[diesel(table_name = statuses)]
pub struct BulkStatus {
    /// Id, minted from `created_at`.
    pub id: i64,
    /// Author.
    pub account_id: i64,
    /// Text.
    pub text: String,
    /// Parent.
    pub in_reply_to_id: Option<i64>,
    /// Community.
    pub community_id: Option<i64>,
    /// Posted at (naive UTC).
    pub created_at: NaiveDateTime,
    /// The thread's first post (`id` itself for a thread starter).
    pub thread_id: i64,
    /// A question (every help-desk ticket's starter is one)?
    pub question: bool,
}

/// A community as bulk-loaded.
#[derive(Debug, Clone, diesel::Insertable)]
#[diesel(table_name = communities)]
pub struct BulkCommunity {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Lower-cased name.
    pub name_canonical: String,
    /// Description.
    pub description: String,
    /// Private?
    pub private: bool,
    /// Help-desk community?
    pub helpdesk: bool,
    /// Creator.
    pub created_by: i64,
    /// Created at (naive UTC).
    pub created_at: NaiveDateTime,
}

/// A community membership as bulk-loaded (`role` member|admin, state active).
#[derive(Debug, Clone)]
pub struct BulkMembership {
    /// Community.
    pub community_id: i64,
    /// Member.
    pub account_id: i64,
    /// Community admin?
    pub admin: bool,
    /// Since.
    pub created_at: NaiveDateTime,
}

/// A follow edge as bulk-loaded.
#[derive(Debug, Clone, Copy)]
pub struct BulkFollow {
    /// Who follows.
    pub follower_id: i64,
    /// Whom.
    pub followee_id: i64,
    /// Since.
    pub created_at: NaiveDateTime,
}

impl Store {
    /// Refreshes the query planner's statistics (`ANALYZE`), as a bulk load must
    /// before the first queries: without them PostgreSQL guesses, and a feed query
    /// can walk the whole table.
    pub async fn analyze(&self) -> Result<(), StorageError> {
        self.run(|conn| Ok(conn.batch_execute("ANALYZE")?)).await
    }

    /// Inserts accounts in one transaction.
    pub async fn bulk_accounts(&self, rows: Vec<BulkAccount>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    insert_many!(conn, accounts::table, chunk)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts posts in one transaction.
    pub async fn bulk_statuses(&self, rows: Vec<BulkStatus>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    insert_many!(conn, statuses::table, chunk)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts communities in one transaction.
    pub async fn bulk_communities(&self, rows: Vec<BulkCommunity>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    insert_many!(conn, communities::table, chunk)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts active memberships in one transaction.
    pub async fn bulk_memberships(&self, rows: Vec<BulkMembership>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let forms: Vec<CommunityMemberInsertForm<'_>> = chunk
                        .iter()
                        .map(|row| CommunityMemberInsertForm {
                            community_id: row.community_id,
                            account_id: row.account_id,
                            role: if row.admin { "admin" } else { "member" },
                            state: "active",
                            created_at: row.created_at,
                        })
                        .collect();
                    insert_many!(conn, community_members::table, &forms)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts follow edges in one transaction.
    pub async fn bulk_follows(&self, rows: Vec<BulkFollow>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let forms: Vec<FollowInsertForm> = chunk
                        .iter()
                        .map(|row| FollowInsertForm {
                            follower_id: row.follower_id,
                            followee_id: row.followee_id,
                            created_at: row.created_at,
                        })
                        .collect();
                    insert_many!(conn, follows::table, &forms)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Creates the topics `names` that do not exist yet (each with the time of
    /// its first use) and returns the id of every one of them, by name.
    pub async fn bulk_tags(
        &self,
        names: Vec<(String, NaiveDateTime)>,
    ) -> Result<HashMap<String, i64>, StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                // A handful of names: one conflict-ignoring insert each.
                for (name, at) in &names {
                    let insert = diesel::insert_into(tags::table)
                        .values((tags::name.eq(name), tags::created_at.eq(at)));
                    match conn {
                        AnyConnection::Postgresql(pg) => {
                            insert.on_conflict_do_nothing().execute(pg)?
                        }
                        AnyConnection::Sqlite(sqlite) => {
                            insert.on_conflict_do_nothing().execute(sqlite)?
                        }
                    };
                }
                let wanted: Vec<&str> = names.iter().map(|(name, _)| name.as_str()).collect();
                let rows: Vec<(String, i64)> = tags::table
                    .filter(tags::name.eq_any(wanted))
                    .select((tags::name, tags::id))
                    .load(conn)?;
                Ok(rows.into_iter().collect())
            })
        })
        .await
    }

    /// Stores the topics and mentions of posts (as `store_links` would have),
    /// the topic links first, in one transaction.
    pub async fn bulk_status_links(
        &self,
        topics: Vec<BulkStatusTag>,
        mentioned: Vec<BulkMention>,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in topics.chunks(ROWS_PER_STATEMENT) {
                    insert_many!(conn, status_tags::table, chunk)?;
                }
                for chunk in mentioned.chunks(ROWS_PER_STATEMENT) {
                    insert_many!(conn, mentions::table, chunk)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Records that people take part in threads by having posted in them (each
    /// pair once), in one transaction.
    pub async fn bulk_thread_participation(
        &self,
        rows: Vec<BulkParticipation>,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let forms: Vec<ThreadFollowForm> = chunk
                        .iter()
                        .map(|row| ThreadFollowForm {
                            account_id: row.account_id,
                            thread_id: row.thread_id,
                            source: "post",
                            created_at: row.created_at,
                        })
                        .collect();
                    insert_many!(conn, thread_follows::table, &forms)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts favourites (each pair once), in the order given, in one transaction.
    pub async fn bulk_favourites(&self, rows: Vec<BulkFavourite>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    insert_many!(conn, favourites::table, chunk)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts reactions (each triple once), in the order given, in one transaction.
    pub async fn bulk_reactions(&self, rows: Vec<BulkReaction>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let forms: Vec<ReactionForm> = chunk
                        .iter()
                        .map(|row| ReactionForm {
                            account_id: row.account_id,
                            status_id: row.status_id,
                            name: row.reaction.as_str(),
                            created_at: row.created_at,
                        })
                        .collect();
                    insert_many!(conn, reactions::table, &forms)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts notifications in the order given (their ids follow it, so give
    /// them oldest first), in one transaction.
    pub async fn bulk_notifications(
        &self,
        rows: Vec<BulkNotification>,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let forms: Vec<NotificationForm> = chunk
                        .iter()
                        .map(|row| NotificationForm {
                            account_id: row.account_id,
                            kind: row.kind.as_str(),
                            from_account_id: row.from_account_id,
                            status_id: row.status_id,
                            reaction: row.reaction.map(Reaction::as_str),
                            created_at: row.created_at,
                        })
                        .collect();
                    insert_many!(conn, notifications::table, &forms)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts help-desk tickets (ordered by id, so a duplicate's original comes
    /// first) and their log entries (oldest first: a log reads in id order), and
    /// sets the accepted answer of each `(question, answer)` post, in one
    /// transaction. The tickets' starters and replies must be stored already.
    pub async fn bulk_tickets(
        &self,
        mut tickets: Vec<BulkTicket>,
        events: Vec<BulkTicketEvent>,
        accepted: Vec<(i64, i64)>,
    ) -> Result<(), StorageError> {
        tickets.sort_by_key(|ticket| ticket.id);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in tickets.chunks(ROWS_PER_STATEMENT) {
                    let forms: Vec<TicketForm> = chunk.iter().map(TicketForm::from).collect();
                    insert_many!(conn, helpdesk_tickets::table, &forms)?;
                }
                for chunk in events.chunks(ROWS_PER_STATEMENT) {
                    let forms: Vec<TicketEventForm> = chunk
                        .iter()
                        .map(|event| TicketEventForm {
                            ticket_id: event.ticket_id,
                            kind: event.kind.as_str(),
                            actor_id: event.actor_id,
                            actor_is_support: event.actor_is_support,
                            subject_id: event.subject_id,
                            subject_is_support: event.subject_is_support,
                            status_id: event.status_id,
                            minutes: event.minutes,
                            value: event.value.as_deref(),
                            at: event.at,
                        })
                        .collect();
                    insert_many!(conn, helpdesk_ticket_events::table, &forms)?;
                }
                for (question, answer) in &accepted {
                    diesel::update(statuses::table.find(question))
                        .set(statuses::accepted_answer_id.eq(Some(answer)))
                        .execute(conn)?;
                }
                Ok(())
            })
        })
        .await
    }
}

/// A post's topic, as bulk-loaded.
#[derive(Debug, Clone, Copy, diesel::Insertable)]
#[diesel(table_name = status_tags)]
pub struct BulkStatusTag {
    /// The post.
    pub status_id: i64,
    /// The topic (from [`Store::bulk_tags`]).
    pub tag_id: i64,
}

/// A post's mention of an account, as bulk-loaded.
#[derive(Debug, Clone, Copy, diesel::Insertable)]
#[diesel(table_name = mentions)]
pub struct BulkMention {
    /// The post.
    pub status_id: i64,
    /// The account mentioned.
    pub account_id: i64,
}

/// Someone taking part in a thread since their first post in it.
#[derive(Debug, Clone, Copy)]
pub struct BulkParticipation {
    /// Who posted.
    pub account_id: i64,
    /// The thread's first post.
    pub thread_id: i64,
    /// Their first post in it.
    pub created_at: NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = thread_follows)]
struct ThreadFollowForm {
    account_id: i64,
    thread_id: i64,
    source: &'static str,
    created_at: NaiveDateTime,
}

/// A favourite, as bulk-loaded.
#[derive(Debug, Clone, Copy, diesel::Insertable)]
#[diesel(table_name = favourites)]
pub struct BulkFavourite {
    /// Who.
    pub account_id: i64,
    /// Which post.
    pub status_id: i64,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A reaction, as bulk-loaded.
#[derive(Debug, Clone, Copy)]
pub struct BulkReaction {
    /// Who.
    pub account_id: i64,
    /// Which post.
    pub status_id: i64,
    /// Which reaction.
    pub reaction: Reaction,
    /// When.
    pub created_at: NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = reactions)]
struct ReactionForm {
    account_id: i64,
    status_id: i64,
    name: &'static str,
    created_at: NaiveDateTime,
}

/// A notification, as bulk-loaded (no live event: nobody was connected).
#[derive(Debug, Clone, Copy)]
pub struct BulkNotification {
    /// The recipient.
    pub account_id: i64,
    /// What happened.
    pub kind: NotificationKind,
    /// Who did it.
    pub from_account_id: i64,
    /// The post it is about.
    pub status_id: Option<i64>,
    /// The reaction, for a reaction notification.
    pub reaction: Option<Reaction>,
    /// When.
    pub created_at: NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = notifications)]
struct NotificationForm {
    account_id: i64,
    kind: &'static str,
    from_account_id: i64,
    status_id: Option<i64>,
    reaction: Option<&'static str>,
    created_at: NaiveDateTime,
}

/// A help-desk ticket as bulk-loaded: the cached columns must agree with its log.
#[derive(Debug, Clone)]
pub struct BulkTicket {
    /// The starter post's id.
    pub id: i64,
    /// The starter's author.
    pub asker_id: i64,
    /// The starter's community.
    pub community_id: Option<i64>,
    /// `tag`, `community` or `support`.
    pub source: &'static str,
    /// Category in force.
    pub category: Category,
    /// Priority in force.
    pub priority: Priority,
    /// State in force.
    pub state: TicketState,
    /// Assignee in force.
    pub assignee_id: Option<i64>,
    /// The original, for a duplicate.
    pub duplicate_of_id: Option<i64>,
    /// Where it was escalated to.
    pub escalation_ref: Option<String>,
    /// The standing accepted answer.
    pub answer_id: Option<i64>,
    /// The starter's time.
    pub created_at: NaiveDateTime,
    /// First reply by someone other than the asker.
    pub first_response_at: Option<NaiveDateTime>,
    /// First such reply by someone not support.
    pub first_peer_response_at: Option<NaiveDateTime>,
    /// First reply by support.
    pub first_support_response_at: Option<NaiveDateTime>,
    /// When the standing answer was accepted.
    pub resolved_at: Option<NaiveDateTime>,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = helpdesk_tickets)]
struct TicketForm<'a> {
    id: i64,
    asker_id: i64,
    community_id: Option<i64>,
    source: &'a str,
    category: &'a str,
    priority: &'a str,
    state: &'a str,
    assignee_id: Option<i64>,
    duplicate_of_id: Option<i64>,
    escalation_ref: Option<&'a str>,
    answer_id: Option<i64>,
    created_at: NaiveDateTime,
    first_response_at: Option<NaiveDateTime>,
    first_peer_response_at: Option<NaiveDateTime>,
    first_support_response_at: Option<NaiveDateTime>,
    resolved_at: Option<NaiveDateTime>,
    updated_at: NaiveDateTime,
}

impl<'a> From<&'a BulkTicket> for TicketForm<'a> {
    fn from(ticket: &'a BulkTicket) -> Self {
        Self {
            id: ticket.id,
            asker_id: ticket.asker_id,
            community_id: ticket.community_id,
            source: ticket.source,
            category: ticket.category.as_str(),
            priority: ticket.priority.as_str(),
            state: ticket.state.as_str(),
            assignee_id: ticket.assignee_id,
            duplicate_of_id: ticket.duplicate_of_id,
            escalation_ref: ticket.escalation_ref.as_deref(),
            answer_id: ticket.answer_id,
            created_at: ticket.created_at,
            first_response_at: ticket.first_response_at,
            first_peer_response_at: ticket.first_peer_response_at,
            first_support_response_at: ticket.first_support_response_at,
            resolved_at: ticket.resolved_at,
            updated_at: ticket.updated_at,
        }
    }
}

/// One entry of a ticket's log, as bulk-loaded.
#[derive(Debug, Clone)]
pub struct BulkTicketEvent {
    /// The ticket.
    pub ticket_id: i64,
    /// What happened.
    pub kind: EventKind,
    /// Who did it.
    pub actor_id: Option<i64>,
    /// Whether they were support then.
    pub actor_is_support: bool,
    /// Whom it concerns.
    pub subject_id: Option<i64>,
    /// Whether the subject was support then.
    pub subject_is_support: bool,
    /// The post involved.
    pub status_id: Option<i64>,
    /// Minutes logged.
    pub minutes: Option<i64>,
    /// The new value.
    pub value: Option<String>,
    /// When.
    pub at: NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = helpdesk_ticket_events)]
struct TicketEventForm<'a> {
    ticket_id: i64,
    kind: &'static str,
    actor_id: Option<i64>,
    actor_is_support: bool,
    subject_id: Option<i64>,
    subject_is_support: bool,
    status_id: Option<i64>,
    minutes: Option<i64>,
    value: Option<&'a str>,
    at: NaiveDateTime,
}
