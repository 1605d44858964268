//! Row structs as diesel reads them, the insert forms diesel writes, and the
//! conversions to the public models at the boundary (NaiveDateTime UTC ⇄
//! `DateTime<Utc>`, role text ⇄ [`Role`]).

use crate::error::StorageError;
use crate::model::{AccessToken, Account, App, Community, Status};
use crate::schema::{
    access_tokens, accounts, apps, communities, community_members, follows, outbox, statuses,
};
use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::{AccountId, AppId, CommunityId, EventId, StatusId};
use hubbub_core::role::Role;

/// A time as stored: naive UTC, cut to microseconds, the precision PostgreSQL keeps,
/// so that what a write returns equals what a later read returns on both backends.
pub(crate) fn to_db(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc().trunc_subsecs(6)
}

fn from_db(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = apps, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct AppRow {
    id: i64,
    name: String,
    client_id: String,
    client_secret: String,
    redirect_uris: String,
    scopes: String,
    website: Option<String>,
    created_at: NaiveDateTime,
}

impl From<AppRow> for App {
    fn from(row: AppRow) -> Self {
        Self {
            id: AppId(row.id),
            name: row.name,
            client_id: row.client_id,
            client_secret: row.client_secret,
            redirect_uris: row.redirect_uris,
            scopes: row.scopes,
            website: row.website,
            created_at: from_db(row.created_at),
        }
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = apps)]
pub(crate) struct AppInsertForm<'a> {
    pub(crate) id: i64,
    pub(crate) name: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) client_secret: &'a str,
    pub(crate) redirect_uris: &'a str,
    pub(crate) scopes: &'a str,
    pub(crate) website: Option<&'a str>,
    pub(crate) created_at: NaiveDateTime,
}

/// An account as read with `AccountRow::as_select()`; `username_canonical` exists
/// for the unique index and lookups only, so it is not read.
#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = accounts, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct AccountRow {
    id: i64,
    username: String,
    display_name: String,
    email: String,
    password_hash: String,
    role: String,
    disabled: bool,
    created_at: NaiveDateTime,
    note: String,
    department: Option<String>,
    job_title: Option<String>,
    location: Option<String>,
    manager_id: Option<i64>,
    avatar_key: Option<String>,
    avatar_static_key: Option<String>,
}

impl TryFrom<AccountRow> for Account {
    type Error = StorageError;

    fn try_from(row: AccountRow) -> Result<Self, StorageError> {
        let role = row
            .role
            .parse::<Role>()
            .map_err(|e| StorageError::Corrupt(format!("account {}: {e}", row.id)))?;
        Ok(Self {
            id: AccountId(row.id),
            username: row.username,
            display_name: row.display_name,
            email: row.email,
            password_hash: row.password_hash,
            role,
            disabled: row.disabled,
            created_at: from_db(row.created_at),
            note: row.note,
            department: row.department,
            job_title: row.job_title,
            location: row.location,
            manager_id: row.manager_id.map(AccountId),
            avatar_key: row.avatar_key,
            avatar_static_key: row.avatar_static_key,
        })
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = accounts)]
pub(crate) struct AccountInsertForm<'a> {
    pub(crate) id: i64,
    pub(crate) username: &'a str,
    pub(crate) username_canonical: &'a str,
    pub(crate) display_name: &'a str,
    pub(crate) email: &'a str,
    pub(crate) password_hash: &'a str,
    pub(crate) role: &'a str,
    pub(crate) disabled: bool,
    pub(crate) created_at: NaiveDateTime,
}

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = statuses, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct StatusRow {
    id: i64,
    account_id: i64,
    text: String,
    in_reply_to_id: Option<i64>,
    created_at: NaiveDateTime,
    deleted_at: Option<NaiveDateTime>,
    community_id: Option<i64>,
    thread_id: i64,
    edited_at: Option<NaiveDateTime>,
    question: bool,
    accepted_answer_id: Option<i64>,
}

impl From<StatusRow> for Status {
    fn from(row: StatusRow) -> Self {
        Self {
            id: StatusId(row.id),
            account_id: AccountId(row.account_id),
            text: row.text,
            in_reply_to_id: row.in_reply_to_id.map(StatusId),
            created_at: from_db(row.created_at),
            deleted_at: row.deleted_at.map(from_db),
            community_id: row.community_id.map(CommunityId),
            thread_id: StatusId(row.thread_id),
            edited_at: row.edited_at.map(from_db),
            question: row.question,
            accepted_answer_id: row.accepted_answer_id.map(StatusId),
        }
    }
}

/// A follow edge as stored; only its insert form is needed so far.
#[derive(diesel::Insertable)]
#[diesel(table_name = follows)]
pub(crate) struct FollowInsertForm {
    pub(crate) follower_id: i64,
    pub(crate) followee_id: i64,
    pub(crate) created_at: NaiveDateTime,
}

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = access_tokens, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct AccessTokenRow {
    id: String,
    account_id: Option<i64>,
    app_id: Option<i64>,
    scopes: String,
    created_at: NaiveDateTime,
    expires_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

impl From<AccessTokenRow> for AccessToken {
    fn from(row: AccessTokenRow) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id.map(AccountId),
            app_id: row.app_id.map(AppId),
            scopes: row.scopes,
            created_at: from_db(row.created_at),
            expires_at: row.expires_at.map(from_db),
            revoked_at: row.revoked_at.map(from_db),
        }
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = access_tokens)]
pub(crate) struct AccessTokenInsertForm<'a> {
    pub(crate) id: &'a str,
    pub(crate) account_id: Option<i64>,
    pub(crate) app_id: Option<i64>,
    pub(crate) scopes: &'a str,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) expires_at: Option<NaiveDateTime>,
}

/// The part of an outbox row that becomes an [`Event`].
#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = outbox, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct OutboxRow {
    id: i64,
    seq: Option<i64>,
    payload: String,
}

impl OutboxRow {
    /// The event with its published id (`seq`); an error for a row the relay
    /// has not numbered yet, which no reader of published events should see.
    pub(crate) fn into_event(self) -> Result<Event, StorageError> {
        let seq = self.seq.ok_or_else(|| {
            StorageError::Corrupt(format!("outbox row {} has no event id yet", self.id))
        })?;
        self.event_with_id(seq)
    }

    /// The event numbered by its row id, for inspecting rows not yet published.
    pub(crate) fn into_pending_event(self) -> Result<Event, StorageError> {
        let id = self.id;
        self.event_with_id(id)
    }

    fn event_with_id(self, id: i64) -> Result<Event, StorageError> {
        let body: EventBody = serde_json::from_str(&self.payload)
            .map_err(|e| StorageError::Corrupt(format!("outbox row {}: {e}", self.id)))?;
        Ok(Event {
            id: EventId(id),
            body,
        })
    }
}

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = communities, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct CommunityRow {
    id: i64,
    name: String,
    description: String,
    private: bool,
    helpdesk: bool,
    created_by: i64,
    created_at: NaiveDateTime,
}

impl From<CommunityRow> for Community {
    fn from(row: CommunityRow) -> Self {
        Self {
            id: CommunityId(row.id),
            name: row.name,
            description: row.description,
            private: row.private,
            helpdesk: row.helpdesk,
            created_by: AccountId(row.created_by),
            created_at: from_db(row.created_at),
        }
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = communities)]
pub(crate) struct CommunityInsertForm<'a> {
    pub(crate) id: i64,
    pub(crate) name: &'a str,
    pub(crate) name_canonical: &'a str,
    pub(crate) description: &'a str,
    pub(crate) private: bool,
    pub(crate) helpdesk: bool,
    pub(crate) created_by: i64,
    pub(crate) created_at: NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = community_members)]
pub(crate) struct CommunityMemberInsertForm<'a> {
    pub(crate) community_id: i64,
    pub(crate) account_id: i64,
    pub(crate) role: &'a str,
    pub(crate) state: &'a str,
    pub(crate) created_at: NaiveDateTime,
}

impl CommunityRow {
    /// The community's id, before conversion.
    pub(crate) fn id(&self) -> i64 {
        self.id
    }
}
