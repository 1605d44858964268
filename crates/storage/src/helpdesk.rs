//! Help-desk read models and their rows: tickets, log entries, settings versions,
//! report batches and engagement counts. Times are UTC.

use crate::error::StorageError;
use crate::schema::{helpdesk_ticket_events, helpdesk_tickets};
use chrono::{DateTime, NaiveDateTime, Utc};
use hubbub_core::helpdesk::model::LogEntry;
use hubbub_core::helpdesk::settings::HelpdeskSettings;
use hubbub_core::helpdesk::ticket::{Category, EventKind, Priority, TicketState};
use hubbub_core::ids::{AccountId, StatusId, TicketId};

/// A ticket as the triage queue and the API show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    /// Its id: the starter post's id.
    pub id: TicketId,
    /// The starter's author.
    pub asker_id: AccountId,
    /// The community it was posted in (none until communities exist).
    pub community_id: Option<i64>,
    /// How it became a ticket: `tag`, `community` or `support`.
    pub source: String,
    /// Category.
    pub category: Category,
    /// Priority.
    pub priority: Priority,
    /// State.
    pub state: TicketState,
    /// Who in support owns it.
    pub assignee_id: Option<AccountId>,
    /// The ticket this one duplicates.
    pub duplicate_of: Option<TicketId>,
    /// Reference of the formal ticket it was escalated to.
    pub escalation_ref: Option<String>,
    /// The accepted answer.
    pub answer_id: Option<StatusId>,
    /// When the starter was posted.
    pub created_at: DateTime<Utc>,
    /// First reply by anyone but the asker.
    pub first_response_at: Option<DateTime<Utc>>,
    /// First reply by someone neither the asker nor support.
    pub first_peer_response_at: Option<DateTime<Utc>>,
    /// First reply by support.
    pub first_support_response_at: Option<DateTime<Utc>>,
    /// When the standing answer was accepted.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Ticket {
    /// The ticket entity as the API and the `helpdesk` stream show it (ids as
    /// strings, times RFC 3339, as Mastodon writes them).
    pub fn to_json(&self) -> serde_json::Value {
        let time = |at: Option<DateTime<Utc>>| {
            at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        };
        serde_json::json!({
            "id": self.id.to_string(),
            "status_id": self.id.to_string(),
            "asker_id": self.asker_id.to_string(),
            "source": self.source,
            "category": self.category,
            "priority": self.priority,
            "state": self.state,
            "assignee_id": self.assignee_id.map(|id| id.to_string()),
            "duplicate_of_id": self.duplicate_of.map(|id| id.to_string()),
            "escalation_ref": self.escalation_ref,
            "answer_id": self.answer_id.map(|id| id.to_string()),
            "created_at": time(Some(self.created_at)),
            "first_response_at": time(self.first_response_at),
            "first_peer_response_at": time(self.first_peer_response_at),
            "first_support_response_at": time(self.first_support_response_at),
            "resolved_at": time(self.resolved_at),
            "updated_at": time(Some(self.updated_at)),
        })
    }
}

/// One stored entry of a ticket's log.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketLogEntry {
    /// Its id, increasing in write order.
    pub id: i64,
    /// The ticket.
    pub ticket_id: TicketId,
    /// The entry as the model reads it.
    pub entry: LogEntry,
}

/// The settings in force, with their version (0 = the built-in defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsVersion {
    /// The version number.
    pub version: i64,
    /// The settings.
    pub settings: HelpdeskSettings,
    /// Who saved it (`None` for the defaults).
    pub created_by: Option<AccountId>,
    /// When it was saved (`None` for the defaults).
    pub created_at: Option<DateTime<Utc>>,
}

/// Changes support makes to one or more tickets; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketChange {
    /// New category.
    pub category: Option<Category>,
    /// New priority.
    pub priority: Option<Priority>,
    /// New assignee (`Some(None)` clears it).
    pub assignee: Option<Option<AccountId>>,
    /// New state (`resolved` needs an accepted answer; `open` on a done ticket reopens it).
    pub state: Option<TicketState>,
    /// Escalated to a formal ticket with this reference.
    pub escalation_ref: Option<String>,
}

/// What the triage queue is filtered by (in SQL; business-hour filters are applied
/// by the caller with the calendar).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueFilter {
    /// States to include; empty means the active ones.
    pub states: Vec<TicketState>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Only this assignee (`Some(None)`: unassigned).
    pub assignee: Option<Option<AccountId>>,
    /// Only tickets a peer answered that have no accepted answer yet.
    pub peer_answered_awaiting_confirmation: bool,
    /// Who is looking: tickets in private communities they are not an active
    /// member of are left out (the visibility rule).
    pub viewer: AccountId,
}

/// A ticket with its whole log, for the reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTicket {
    /// The ticket.
    pub ticket: Ticket,
    /// Its log, in write order.
    pub log: Vec<LogEntry>,
    /// In a private community the viewer is not a member of: report it only in counts.
    pub counts_only: bool,
}

/// Engagement in a period, computed from posts and accounts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Engagement {
    /// Distinct people who posted.
    pub active_people: i64,
    /// Posts that start a thread.
    pub posts: i64,
    /// Replies.
    pub replies: i64,
    /// Accounts created.
    pub new_accounts: i64,
    /// Communities (none exist yet).
    pub communities: i64,
    /// Most used hashtags with their post counts, most used first.
    pub top_topics: Vec<(String, i64)>,
}

fn from_db(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

fn corrupt(what: &str, id: i64, error: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(format!("{what} {id}: {error}"))
}

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = helpdesk_tickets, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct TicketRow {
    id: i64,
    asker_id: i64,
    community_id: Option<i64>,
    source: String,
    category: String,
    priority: String,
    state: String,
    assignee_id: Option<i64>,
    duplicate_of_id: Option<i64>,
    escalation_ref: Option<String>,
    answer_id: Option<i64>,
    created_at: NaiveDateTime,
    first_response_at: Option<NaiveDateTime>,
    first_peer_response_at: Option<NaiveDateTime>,
    first_support_response_at: Option<NaiveDateTime>,
    resolved_at: Option<NaiveDateTime>,
    updated_at: NaiveDateTime,
}

impl TryFrom<TicketRow> for Ticket {
    type Error = StorageError;

    fn try_from(row: TicketRow) -> Result<Self, StorageError> {
        Ok(Self {
            id: TicketId(row.id),
            asker_id: AccountId(row.asker_id),
            community_id: row.community_id,
            source: row.source,
            category: row
                .category
                .parse()
                .map_err(|e| corrupt("ticket", row.id, e))?,
            priority: row
                .priority
                .parse()
                .map_err(|e| corrupt("ticket", row.id, e))?,
            state: row
                .state
                .parse()
                .map_err(|e| corrupt("ticket", row.id, e))?,
            assignee_id: row.assignee_id.map(AccountId),
            duplicate_of: row.duplicate_of_id.map(TicketId),
            escalation_ref: row.escalation_ref,
            answer_id: row.answer_id.map(StatusId),
            created_at: from_db(row.created_at),
            first_response_at: row.first_response_at.map(from_db),
            first_peer_response_at: row.first_peer_response_at.map(from_db),
            first_support_response_at: row.first_support_response_at.map(from_db),
            resolved_at: row.resolved_at.map(from_db),
            updated_at: from_db(row.updated_at),
        })
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = helpdesk_tickets)]
pub(crate) struct TicketInsertForm<'a> {
    pub(crate) id: i64,
    pub(crate) asker_id: i64,
    pub(crate) community_id: Option<i64>,
    pub(crate) source: &'a str,
    pub(crate) category: &'a str,
    pub(crate) priority: &'a str,
    pub(crate) state: &'a str,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) updated_at: NaiveDateTime,
}

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = helpdesk_ticket_events, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct TicketEventRow {
    id: i64,
    ticket_id: i64,
    kind: String,
    actor_id: Option<i64>,
    actor_is_support: bool,
    subject_id: Option<i64>,
    subject_is_support: bool,
    status_id: Option<i64>,
    minutes: Option<i64>,
    value: Option<String>,
    at: NaiveDateTime,
}

impl TryFrom<TicketEventRow> for TicketLogEntry {
    type Error = StorageError;

    fn try_from(row: TicketEventRow) -> Result<Self, StorageError> {
        let kind: EventKind = row
            .kind
            .parse()
            .map_err(|e| corrupt("ticket event", row.id, e))?;
        Ok(Self {
            id: row.id,
            ticket_id: TicketId(row.ticket_id),
            entry: LogEntry {
                kind,
                at: from_db(row.at),
                actor: row.actor_id.map(AccountId),
                actor_is_support: row.actor_is_support,
                subject: row.subject_id.map(AccountId),
                subject_is_support: row.subject_is_support,
                status_id: row.status_id.map(StatusId),
                minutes: row.minutes,
                value: row.value,
            },
        })
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = helpdesk_ticket_events)]
pub(crate) struct TicketEventInsertForm {
    pub(crate) ticket_id: i64,
    pub(crate) kind: &'static str,
    pub(crate) actor_id: Option<i64>,
    pub(crate) actor_is_support: bool,
    pub(crate) subject_id: Option<i64>,
    pub(crate) subject_is_support: bool,
    pub(crate) status_id: Option<i64>,
    pub(crate) minutes: Option<i64>,
    pub(crate) value: Option<String>,
    pub(crate) at: NaiveDateTime,
}
