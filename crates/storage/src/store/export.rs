//! Exports for retention and compliance: everything stored about one person
//! ([`Store::export_user`]) and the whole network as JSON lines, page by page
//! ([`ExportWalk`]). Secrets (password hashes, token values, unsubscribe
//! tokens, stored file keys) are never exported.

use super::*;
use crate::model::Community;
use crate::rows::CommunityRow;
use crate::schema::{
    access_tokens, accounts, bookmarks, communities, community_members, email_preferences,
    favourites, follows, helpdesk_ticket_events, helpdesk_tickets, markers, media_attachments,
    notifications, reactions, sso_identities, status_edits, statuses, tag_follows, tags,
    thread_follows,
};
use serde::{Serialize, Serializer};

/// An id as a string, as everywhere in the API.
fn id<S: Serializer>(id: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(id)
}

/// An optional id as a string.
fn opt_id<S: Serializer>(id: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => s.collect_str(id),
        None => s.serialize_none(),
    }
}

/// A stored (naive UTC) time as UTC.
fn utc<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    at.and_utc().serialize(s)
}

/// An optional stored time as UTC.
fn opt_utc<S: Serializer>(at: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    at.map(|at| at.and_utc()).serialize(s)
}

/// An account as exported (never the password hash).
#[derive(Debug, Clone, Serialize)]
pub struct AccountRecord {
    /// Id, as a string like everywhere in the API.
    pub id: String,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Email.
    pub email: String,
    /// Role.
    pub role: String,
    /// Disabled?
    pub disabled: bool,
    /// Registered at.
    pub created_at: DateTime<Utc>,
    /// Bio.
    pub note: String,
    /// Department.
    pub department: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Manager's account id.
    pub manager_id: Option<String>,
}

impl From<Account> for AccountRecord {
    fn from(account: Account) -> Self {
        Self {
            id: account.id.to_string(),
            username: account.username,
            display_name: account.display_name,
            email: account.email,
            role: account.role.as_str().to_owned(),
            disabled: account.disabled,
            created_at: account.created_at,
            note: account.note,
            department: account.department,
            job_title: account.job_title,
            location: account.location,
            manager_id: account.manager_id.map(|id| id.to_string()),
        }
    }
}

/// A post as exported, deleted ones included (with `deleted_at`).
#[derive(Debug, Clone, Serialize)]
pub struct StatusRecord {
    /// Id.
    pub id: String,
    /// Author.
    pub account_id: String,
    /// Text as written.
    pub text: String,
    /// Parent post.
    pub in_reply_to_id: Option<String>,
    /// Community it was posted in.
    pub community_id: Option<String>,
    /// Posted at.
    pub created_at: DateTime<Utc>,
    /// Deleted at.
    pub deleted_at: Option<DateTime<Utc>>,
}

impl From<Status> for StatusRecord {
    fn from(status: Status) -> Self {
        Self {
            id: status.id.to_string(),
            account_id: status.account_id.to_string(),
            text: status.text,
            in_reply_to_id: status.in_reply_to_id.map(|id| id.to_string()),
            community_id: status.community_id.map(|id| id.to_string()),
            created_at: status.created_at,
            deleted_at: status.deleted_at,
        }
    }
}

/// A follow edge as exported.
#[derive(Debug, Clone, Serialize)]
pub struct FollowRecord {
    /// Who follows.
    pub follower_id: String,
    /// Whom.
    pub followee_id: String,
    /// Since.
    pub created_at: DateTime<Utc>,
}

/// A community membership as exported.
#[derive(Debug, Clone, Serialize)]
pub struct MembershipRecord {
    /// The community.
    pub community_id: String,
    /// The member.
    pub account_id: String,
    /// member | admin.
    pub role: String,
    /// active | pending.
    pub state: String,
    /// Since.
    pub created_at: DateTime<Utc>,
}

/// A community as exported.
#[derive(Debug, Clone, Serialize)]
pub struct CommunityRecord {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Private?
    pub private: bool,
    /// Help-desk community?
    pub helpdesk: bool,
    /// Creator.
    pub created_by: String,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

/// An access token as exported: when and what, never the secret.
#[derive(Debug, Clone, Serialize)]
pub struct TokenRecord {
    /// Scopes.
    pub scopes: String,
    /// Issued at.
    pub created_at: DateTime<Utc>,
    /// Expires at.
    pub expires_at: Option<DateTime<Utc>>,
    /// Revoked at.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A favourite or a bookmark as exported.
#[derive(Debug, Clone, Serialize, diesel::Queryable)]
pub struct StatusMarkRecord {
    /// Id.
    #[serde(serialize_with = "id")]
    pub id: i64,
    /// Who.
    #[serde(serialize_with = "id")]
    pub account_id: i64,
    /// Which post.
    #[serde(serialize_with = "id")]
    pub status_id: i64,
    /// When.
    #[serde(serialize_with = "utc")]
    pub created_at: NaiveDateTime,
}

/// A reaction as exported.
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = reactions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ReactionRecord {
    /// Id.
    #[serde(serialize_with = "id")]
    pub id: i64,
    /// Who reacted.
    #[serde(serialize_with = "id")]
    pub account_id: i64,
    /// To which post.
    #[serde(serialize_with = "id")]
    pub status_id: i64,
    /// The reaction.
    pub name: String,
    /// When.
    #[serde(serialize_with = "utc")]
    pub created_at: NaiveDateTime,
}

/// A notification as exported.
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = notifications, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NotificationRecord {
    /// Id.
    #[serde(serialize_with = "id")]
    pub id: i64,
    /// Who was notified.
    #[serde(serialize_with = "id")]
    pub account_id: i64,
    /// Of what.
    pub kind: String,
    /// By whom.
    #[serde(serialize_with = "id")]
    pub from_account_id: i64,
    /// About which post.
    #[serde(serialize_with = "opt_id")]
    pub status_id: Option<i64>,
    /// The reaction, for a reaction notification.
    pub reaction: Option<String>,
    /// When.
    #[serde(serialize_with = "utc")]
    pub created_at: NaiveDateTime,
}

/// A read marker as exported.
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = markers, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct MarkerRecord {
    /// Whose.
    #[serde(serialize_with = "id")]
    pub account_id: i64,
    /// `home` or `notifications`.
    pub timeline: String,
    /// The last item read.
    #[serde(serialize_with = "id")]
    pub last_read_id: i64,
    /// How often it moved.
    pub version: i64,
    /// When it last moved.
    #[serde(serialize_with = "utc")]
    pub updated_at: NaiveDateTime,
}

/// An earlier version of an edited post, as exported.
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = status_edits, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct StatusEditRecord {
    /// Id.
    #[serde(serialize_with = "id")]
    pub id: i64,
    /// The post.
    #[serde(serialize_with = "id")]
    pub status_id: i64,
    /// Its text before the edit.
    pub text: String,
    /// When that text was written.
    #[serde(serialize_with = "utc")]
    pub created_at: NaiveDateTime,
}

/// A followed thread as exported.
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = thread_follows, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ThreadFollowRecord {
    /// Who follows.
    #[serde(serialize_with = "id")]
    pub account_id: i64,
    /// The thread's first post.
    #[serde(serialize_with = "id")]
    pub thread_id: i64,
    /// Why (wrote in it, asked to, ...).
    pub source: String,
    /// Since.
    #[serde(serialize_with = "utc")]
    pub created_at: NaiveDateTime,
}

/// A followed topic as exported, with its name.
#[derive(Debug, Clone, Serialize, diesel::Queryable)]
pub struct TopicFollowRecord {
    /// Who follows.
    #[serde(serialize_with = "id")]
    pub account_id: i64,
    /// The topic.
    #[serde(serialize_with = "id")]
    pub tag_id: i64,
    /// Its name.
    pub name: String,
    /// Since.
    #[serde(serialize_with = "utc")]
    pub created_at: NaiveDateTime,
}

/// An uploaded image as exported (its description and size; not the stored file).
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = media_attachments, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct MediaRecord {
    /// Id.
    #[serde(serialize_with = "id")]
    pub id: i64,
    /// Who uploaded it.
    #[serde(serialize_with = "id")]
    pub account_id: i64,
    /// The post it is attached to.
    #[serde(serialize_with = "opt_id")]
    pub status_id: Option<i64>,
    /// MIME type.
    pub content_type: String,
    /// Width in pixels.
    pub width: i64,
    /// Height in pixels.
    pub height: i64,
    /// Bytes.
    pub file_size: i64,
    /// Alt text.
    pub description: String,
    /// Uploaded at.
    #[serde(serialize_with = "utc")]
    pub created_at: NaiveDateTime,
}

/// A help-desk ticket as exported.
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = helpdesk_tickets, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct TicketRecord {
    /// Id (the question's post).
    #[serde(serialize_with = "id")]
    pub id: i64,
    /// Who asked.
    #[serde(serialize_with = "id")]
    pub asker_id: i64,
    /// Community it was asked in.
    #[serde(serialize_with = "opt_id")]
    pub community_id: Option<i64>,
    /// How it became a ticket.
    pub source: String,
    /// Category.
    pub category: String,
    /// Priority.
    pub priority: String,
    /// State.
    pub state: String,
    /// Assigned to.
    #[serde(serialize_with = "opt_id")]
    pub assignee_id: Option<i64>,
    /// Duplicate of.
    #[serde(serialize_with = "opt_id")]
    pub duplicate_of_id: Option<i64>,
    /// Reference in another system.
    pub escalation_ref: Option<String>,
    /// The accepted answer.
    #[serde(serialize_with = "opt_id")]
    pub answer_id: Option<i64>,
    /// Opened at.
    #[serde(serialize_with = "utc")]
    pub created_at: NaiveDateTime,
    /// First reply.
    #[serde(serialize_with = "opt_utc")]
    pub first_response_at: Option<NaiveDateTime>,
    /// First reply by a peer.
    #[serde(serialize_with = "opt_utc")]
    pub first_peer_response_at: Option<NaiveDateTime>,
    /// First reply by support.
    #[serde(serialize_with = "opt_utc")]
    pub first_support_response_at: Option<NaiveDateTime>,
    /// Resolved at.
    #[serde(serialize_with = "opt_utc")]
    pub resolved_at: Option<NaiveDateTime>,
    /// Last changed.
    #[serde(serialize_with = "utc")]
    pub updated_at: NaiveDateTime,
}

/// One entry of a ticket's log as exported.
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = helpdesk_ticket_events, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct TicketEventRecord {
    /// Id.
    #[serde(serialize_with = "id")]
    pub id: i64,
    /// The ticket.
    #[serde(serialize_with = "id")]
    pub ticket_id: i64,
    /// What happened.
    pub kind: String,
    /// Who did it.
    #[serde(serialize_with = "opt_id")]
    pub actor_id: Option<i64>,
    /// Were they support?
    pub actor_is_support: bool,
    /// Whom it concerned (an assignee, an answerer).
    #[serde(serialize_with = "opt_id")]
    pub subject_id: Option<i64>,
    /// Were they support?
    pub subject_is_support: bool,
    /// The post involved.
    #[serde(serialize_with = "opt_id")]
    pub status_id: Option<i64>,
    /// Minutes logged.
    pub minutes: Option<i64>,
    /// The new value (a state, a category, ...).
    pub value: Option<String>,
    /// When.
    #[serde(serialize_with = "utc")]
    pub at: NaiveDateTime,
}

/// Email preferences as exported (not the unsubscribe token).
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = email_preferences, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct EmailPreferencesRecord {
    /// Whose.
    #[serde(serialize_with = "id")]
    pub account_id: i64,
    /// Kinds of email turned off.
    pub disabled_kinds: String,
    /// Weekly digest on?
    pub digest_enabled: bool,
    /// Digest day.
    pub digest_weekday: i32,
    /// Digest minute of the day.
    pub digest_minute: i32,
    /// Time zone.
    pub time_zone: String,
    /// Next digest due.
    #[serde(serialize_with = "utc")]
    pub next_digest_at: NaiveDateTime,
    /// Last changed.
    #[serde(serialize_with = "utc")]
    pub updated_at: NaiveDateTime,
}

/// A single sign-on identity as exported.
#[derive(Debug, Clone, Serialize, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = sso_identities, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct SsoIdentityRecord {
    /// Whose.
    #[serde(serialize_with = "id")]
    pub account_id: i64,
    /// The identity provider.
    pub issuer: String,
    /// The person's id there.
    pub subject: String,
    /// Department it reported.
    pub department: String,
    /// Job title it reported.
    pub job_title: String,
    /// Groups it reported.
    pub groups: String,
    /// Last sign-in.
    #[serde(serialize_with = "utc")]
    pub last_signed_in: NaiveDateTime,
}

/// Everything stored about one person.
#[derive(Debug, Clone, Serialize)]
pub struct UserExport {
    /// The profile.
    pub account: AccountRecord,
    /// Their posts, oldest first, deleted ones included.
    pub posts: Vec<StatusRecord>,
    /// Earlier versions of their edited posts.
    pub post_edits: Vec<StatusEditRecord>,
    /// Their uploaded images.
    pub media: Vec<MediaRecord>,
    /// Whom they follow.
    pub following: Vec<FollowRecord>,
    /// Who follows them.
    pub followers: Vec<FollowRecord>,
    /// Their community memberships.
    pub memberships: Vec<MembershipRecord>,
    /// Topics they follow.
    pub topic_follows: Vec<TopicFollowRecord>,
    /// Threads they follow.
    pub thread_follows: Vec<ThreadFollowRecord>,
    /// Posts they favourited.
    pub favourites: Vec<StatusMarkRecord>,
    /// Their reactions.
    pub reactions: Vec<ReactionRecord>,
    /// Posts they bookmarked.
    pub bookmarks: Vec<StatusMarkRecord>,
    /// Notifications they received.
    pub notifications: Vec<NotificationRecord>,
    /// Their read markers.
    pub markers: Vec<MarkerRecord>,
    /// Help-desk tickets they asked.
    pub helpdesk_tickets: Vec<TicketRecord>,
    /// Help-desk log entries by them or about them.
    pub helpdesk_events: Vec<TicketEventRecord>,
    /// Their email preferences, if they set any.
    pub email_preferences: Option<EmailPreferencesRecord>,
    /// Their single sign-on identity, if any.
    pub sso_identity: Option<SsoIdentityRecord>,
    /// Their access tokens.
    pub tokens: Vec<TokenRecord>,
}

/// One line of a whole-network export.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportLine {
    /// An account.
    Account(AccountRecord),
    /// A community.
    Community(CommunityRecord),
    /// A membership.
    Membership(MembershipRecord),
    /// A follow edge.
    Follow(FollowRecord),
    /// A post.
    Status(StatusRecord),
    /// An earlier version of an edited post.
    StatusEdit(StatusEditRecord),
    /// An uploaded image.
    MediaAttachment(MediaRecord),
    /// A favourite.
    Favourite(StatusMarkRecord),
    /// A reaction.
    Reaction(ReactionRecord),
    /// A bookmark.
    Bookmark(StatusMarkRecord),
    /// A notification.
    Notification(NotificationRecord),
    /// A read marker.
    Marker(MarkerRecord),
    /// A followed thread.
    ThreadFollow(ThreadFollowRecord),
    /// A followed topic.
    TopicFollow(TopicFollowRecord),
    /// A help-desk ticket.
    HelpdeskTicket(TicketRecord),
    /// A help-desk log entry.
    HelpdeskTicketEvent(TicketEventRecord),
    /// Email preferences.
    EmailPreferences(EmailPreferencesRecord),
    /// A single sign-on identity.
    SsoIdentity(SsoIdentityRecord),
}

/// The tables of a whole-network export, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportTable {
    /// accounts
    Accounts,
    /// communities
    Communities,
    /// community_members
    Memberships,
    /// follows
    Follows,
    /// statuses
    Statuses,
    /// status_edits
    StatusEdits,
    /// media_attachments
    Media,
    /// favourites
    Favourites,
    /// reactions
    Reactions,
    /// bookmarks
    Bookmarks,
    /// notifications
    Notifications,
    /// markers
    Markers,
    /// thread_follows
    ThreadFollows,
    /// tag_follows
    TopicFollows,
    /// helpdesk_tickets
    HelpdeskTickets,
    /// helpdesk_ticket_events
    HelpdeskTicketEvents,
    /// email_preferences
    EmailPreferences,
    /// sso_identities
    SsoIdentities,
}

impl ExportTable {
    /// Every table, in export order.
    pub const ALL: [ExportTable; 18] = [
        Self::Accounts,
        Self::Communities,
        Self::Memberships,
        Self::Follows,
        Self::Statuses,
        Self::StatusEdits,
        Self::Media,
        Self::Favourites,
        Self::Reactions,
        Self::Bookmarks,
        Self::Notifications,
        Self::Markers,
        Self::ThreadFollows,
        Self::TopicFollows,
        Self::HelpdeskTickets,
        Self::HelpdeskTicketEvents,
        Self::EmailPreferences,
        Self::SsoIdentities,
    ];
}

/// Where the next export page starts: the key of the last row written.
pub type ExportCursor = Option<(i64, i64)>;

/// Which rows of a table an export reads.
#[derive(Debug, Clone, Copy)]
enum Rows {
    /// Those of one account.
    Of(i64),
    /// Up to `.1` rows after the key `.0`, in key order.
    After((i64, i64), i64),
}

/// Rows of a table with a one-column key: `$owner` picks one account's.
macro_rules! by_key {
    ($conn:expr, $rows:expr, $from:expr, $key:expr, $select:expr, $owner:expr) => {{
        let query = $from.select($select).order($key.asc()).into_boxed();
        let query = match $rows {
            Rows::Of(account) => query.filter(($owner)(account)),
            Rows::After((after, _), limit) => query.filter($key.gt(after)).limit(limit),
        };
        query.load($conn)?
    }};
}

/// Rows of a table keyed by (account, something): one account's, or a page.
macro_rules! by_account_pair {
    ($conn:expr, $rows:expr, $from:expr, $account:expr, $second:expr, $select:expr) => {{
        let query = $from
            .select($select)
            .order(($account.asc(), $second.asc()))
            .into_boxed();
        let query = match $rows {
            Rows::Of(account) => query.filter($account.eq(account)),
            Rows::After((a, b), limit) => query
                .filter($account.gt(a).or($account.eq(a).and($second.gt(b))))
                .limit(limit),
        };
        query.load($conn)?
    }};
}

fn favourite_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<StatusMarkRecord>, StorageError> {
    let columns = (
        favourites::id,
        favourites::account_id,
        favourites::status_id,
        favourites::created_at,
    );
    Ok(by_key!(
        conn,
        rows,
        favourites::table,
        favourites::id,
        columns,
        |a: i64| { favourites::account_id.eq(a) }
    ))
}

fn bookmark_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<StatusMarkRecord>, StorageError> {
    let columns = (
        bookmarks::id,
        bookmarks::account_id,
        bookmarks::status_id,
        bookmarks::created_at,
    );
    Ok(by_key!(
        conn,
        rows,
        bookmarks::table,
        bookmarks::id,
        columns,
        |a: i64| { bookmarks::account_id.eq(a) }
    ))
}

fn reaction_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<ReactionRecord>, StorageError> {
    Ok(by_key!(
        conn,
        rows,
        reactions::table,
        reactions::id,
        ReactionRecord::as_select(),
        |a: i64| reactions::account_id.eq(a)
    ))
}

fn notification_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<NotificationRecord>, StorageError> {
    Ok(by_key!(
        conn,
        rows,
        notifications::table,
        notifications::id,
        NotificationRecord::as_select(),
        |a: i64| notifications::account_id.eq(a)
    ))
}

fn status_edit_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<StatusEditRecord>, StorageError> {
    Ok(by_key!(
        conn,
        rows,
        status_edits::table,
        status_edits::id,
        StatusEditRecord::as_select(),
        |a: i64| status_edits::status_id.eq_any(
            statuses::table
                .filter(statuses::account_id.eq(a))
                .select(statuses::id)
        )
    ))
}

fn media_records(conn: &mut AnyConnection, rows: Rows) -> Result<Vec<MediaRecord>, StorageError> {
    Ok(by_key!(
        conn,
        rows,
        media_attachments::table,
        media_attachments::id,
        MediaRecord::as_select(),
        |a: i64| media_attachments::account_id.eq(a)
    ))
}

fn ticket_records(conn: &mut AnyConnection, rows: Rows) -> Result<Vec<TicketRecord>, StorageError> {
    Ok(by_key!(
        conn,
        rows,
        helpdesk_tickets::table,
        helpdesk_tickets::id,
        TicketRecord::as_select(),
        |a: i64| helpdesk_tickets::asker_id.eq(a)
    ))
}

fn ticket_event_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<TicketEventRecord>, StorageError> {
    Ok(by_key!(
        conn,
        rows,
        helpdesk_ticket_events::table,
        helpdesk_ticket_events::id,
        TicketEventRecord::as_select(),
        |a: i64| helpdesk_ticket_events::actor_id
            .eq(a)
            .or(helpdesk_ticket_events::subject_id.eq(a))
    ))
}

fn email_preference_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<EmailPreferencesRecord>, StorageError> {
    Ok(by_key!(
        conn,
        rows,
        email_preferences::table,
        email_preferences::account_id,
        EmailPreferencesRecord::as_select(),
        |a: i64| email_preferences::account_id.eq(a)
    ))
}

fn sso_identity_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<SsoIdentityRecord>, StorageError> {
    Ok(by_key!(
        conn,
        rows,
        sso_identities::table,
        sso_identities::account_id,
        SsoIdentityRecord::as_select(),
        |a: i64| sso_identities::account_id.eq(a)
    ))
}

fn thread_follow_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<ThreadFollowRecord>, StorageError> {
    Ok(by_account_pair!(
        conn,
        rows,
        thread_follows::table,
        thread_follows::account_id,
        thread_follows::thread_id,
        ThreadFollowRecord::as_select()
    ))
}

fn topic_follow_records(
    conn: &mut AnyConnection,
    rows: Rows,
) -> Result<Vec<TopicFollowRecord>, StorageError> {
    Ok(by_account_pair!(
        conn,
        rows,
        tag_follows::table.inner_join(tags::table),
        tag_follows::account_id,
        tag_follows::tag_id,
        (
            tag_follows::account_id,
            tag_follows::tag_id,
            tags::name,
            tag_follows::created_at,
        )
    ))
}

/// Markers are keyed by (account, timeline name): a page takes whole accounts,
/// so that no account's markers are split between pages.
fn marker_records(conn: &mut AnyConnection, rows: Rows) -> Result<Vec<MarkerRecord>, StorageError> {
    let accounts: Vec<i64> = match rows {
        Rows::Of(account) => vec![account],
        Rows::After((after, _), limit) => markers::table
            .filter(markers::account_id.gt(after))
            .select(markers::account_id)
            .distinct()
            .order(markers::account_id.asc())
            .limit(limit)
            .load(conn)?,
    };
    Ok(markers::table
        .filter(markers::account_id.eq_any(accounts))
        .order((markers::account_id.asc(), markers::timeline.asc()))
        .select(MarkerRecord::as_select())
        .load(conn)?)
}

/// Lines of one page, and the key of its last row.
fn lines_of<R>(
    records: Vec<R>,
    key: impl Fn(&R) -> (i64, i64),
    line: impl Fn(R) -> ExportLine,
) -> (Vec<ExportLine>, Option<(i64, i64)>) {
    let last = records.last().map(key);
    (records.into_iter().map(line).collect(), last)
}

/// One chunk of a whole-network export: whole JSON lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportChunk {
    /// How many records.
    pub records: u64,
    /// The records as JSON, one a line, each line ending in a newline.
    pub json_lines: Vec<u8>,
}

/// A whole-network export read page by page, table after table, so that
/// memory stays bounded whatever the size of the network: the command line
/// writes it to a file, the admin API streams it.
#[derive(Debug, Clone, Default)]
pub struct ExportWalk {
    table: usize,
    cursor: ExportCursor,
}

impl ExportWalk {
    /// Rows read per page.
    pub const PAGE: i64 = 1000;

    /// A walk from the first table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next chunk, or `None` once every table is written.
    pub async fn next_chunk(&mut self, store: &Store) -> Result<Option<ExportChunk>, StorageError> {
        while let Some(table) = ExportTable::ALL.get(self.table) {
            let (lines, next) = store.export_page(*table, self.cursor, Self::PAGE).await?;
            if next.is_some() {
                self.cursor = next;
            } else {
                self.table += 1;
                self.cursor = None;
            }
            if lines.is_empty() {
                continue;
            }
            let mut json_lines = Vec::new();
            for line in &lines {
                serde_json::to_writer(&mut json_lines, line)
                    .map_err(|e| StorageError::Corrupt(format!("exporting a record: {e}")))?;
                json_lines.push(b'\n');
            }
            return Ok(Some(ExportChunk {
                records: lines.len() as u64,
                json_lines,
            }));
        }
        Ok(None)
    }
}

impl Store {
    /// Everything stored about one account, or `None` if it does not exist.
    pub async fn export_user(&self, id: AccountId) -> Result<Option<UserExport>, StorageError> {
        self.run(move |conn| {
            let Some(account) = accounts::table
                .find(id.0)
                .select(AccountRow::as_select())
                .first(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let account = Account::try_from(account)?;
            let posts = statuses::table
                .filter(statuses::account_id.eq(id.0))
                .order(statuses::id.asc())
                .select(StatusRow::as_select())
                .load(conn)?
                .into_iter()
                .map(|row| StatusRecord::from(Status::from(row)))
                .collect();
            let following = follows::table
                .filter(follows::follower_id.eq(id.0))
                .order(follows::followee_id.asc())
                .load::<(i64, i64, NaiveDateTime)>(conn)?
                .into_iter()
                .map(follow_record)
                .collect();
            let followers = follows::table
                .filter(follows::followee_id.eq(id.0))
                .order(follows::follower_id.asc())
                .load::<(i64, i64, NaiveDateTime)>(conn)?
                .into_iter()
                .map(follow_record)
                .collect();
            let memberships = community_members::table
                .filter(community_members::account_id.eq(id.0))
                .order(community_members::community_id.asc())
                .load::<(i64, i64, String, String, NaiveDateTime)>(conn)?
                .into_iter()
                .map(membership_record)
                .collect();
            let tokens = access_tokens::table
                .filter(access_tokens::account_id.eq(id.0))
                .order(access_tokens::created_at.asc())
                .select((
                    access_tokens::scopes,
                    access_tokens::created_at,
                    access_tokens::expires_at,
                    access_tokens::revoked_at,
                ))
                .load::<(
                    String,
                    NaiveDateTime,
                    Option<NaiveDateTime>,
                    Option<NaiveDateTime>,
                )>(conn)?
                .into_iter()
                .map(|(scopes, created_at, expires_at, revoked_at)| TokenRecord {
                    scopes,
                    created_at: created_at.and_utc(),
                    expires_at: expires_at.map(|at| at.and_utc()),
                    revoked_at: revoked_at.map(|at| at.and_utc()),
                })
                .collect();
            let of = Rows::Of(id.0);
            Ok(Some(UserExport {
                account: account.into(),
                posts,
                post_edits: status_edit_records(conn, of)?,
                media: media_records(conn, of)?,
                following,
                followers,
                memberships,
                topic_follows: topic_follow_records(conn, of)?,
                thread_follows: thread_follow_records(conn, of)?,
                favourites: favourite_records(conn, of)?,
                reactions: reaction_records(conn, of)?,
                bookmarks: bookmark_records(conn, of)?,
                notifications: notification_records(conn, of)?,
                markers: marker_records(conn, of)?,
                helpdesk_tickets: ticket_records(conn, of)?,
                helpdesk_events: ticket_event_records(conn, of)?,
                email_preferences: email_preference_records(conn, of)?.pop(),
                sso_identity: sso_identity_records(conn, of)?.pop(),
                tokens,
            }))
        })
        .await
    }

    /// One page of a whole-network export (see [`ExportWalk`]): up to `limit` rows of `table`
    /// after `cursor`, in key order, and the cursor for the next page (`None`
    /// when the table is done).
    pub async fn export_page(
        &self,
        table: ExportTable,
        cursor: ExportCursor,
        limit: i64,
    ) -> Result<(Vec<ExportLine>, ExportCursor), StorageError> {
        let (a, b) = cursor.unwrap_or((i64::MIN, i64::MIN));
        let page = Rows::After((a, b), limit);
        self.run(move |conn| {
            let (lines, last): (Vec<ExportLine>, Option<(i64, i64)>) = match table {
                ExportTable::Accounts => {
                    let rows = accounts::table
                        .filter(accounts::id.gt(a))
                        .order(accounts::id.asc())
                        .limit(limit)
                        .select(AccountRow::as_select())
                        .load(conn)?
                        .into_iter()
                        .map(Account::try_from)
                        .collect::<Result<Vec<_>, _>>()?;
                    lines_of(rows, |x| (x.id.0, 0), |x| ExportLine::Account(x.into()))
                }
                ExportTable::Communities => {
                    let rows = communities::table
                        .filter(communities::id.gt(a))
                        .order(communities::id.asc())
                        .limit(limit)
                        .select(CommunityRow::as_select())
                        .load(conn)?;
                    lines_of(
                        rows.into_iter().map(Community::from).collect(),
                        |x| (x.id.0, 0),
                        |c| {
                            ExportLine::Community(CommunityRecord {
                                id: c.id.to_string(),
                                name: c.name,
                                description: c.description,
                                private: c.private,
                                helpdesk: c.helpdesk,
                                created_by: c.created_by.to_string(),
                                created_at: c.created_at,
                            })
                        },
                    )
                }
                ExportTable::Memberships => {
                    let rows = community_members::table
                        .filter(
                            community_members::community_id.gt(a).or(
                                community_members::community_id
                                    .eq(a)
                                    .and(community_members::account_id.gt(b)),
                            ),
                        )
                        .order((
                            community_members::community_id.asc(),
                            community_members::account_id.asc(),
                        ))
                        .limit(limit)
                        .load::<(i64, i64, String, String, NaiveDateTime)>(conn)?;
                    lines_of(
                        rows,
                        |r| (r.0, r.1),
                        |r| ExportLine::Membership(membership_record(r)),
                    )
                }
                ExportTable::Follows => {
                    let rows = follows::table
                        .filter(
                            follows::follower_id
                                .gt(a)
                                .or(follows::follower_id.eq(a).and(follows::followee_id.gt(b))),
                        )
                        .order((follows::follower_id.asc(), follows::followee_id.asc()))
                        .limit(limit)
                        .load::<(i64, i64, NaiveDateTime)>(conn)?;
                    lines_of(
                        rows,
                        |r| (r.0, r.1),
                        |r| ExportLine::Follow(follow_record(r)),
                    )
                }
                ExportTable::Statuses => {
                    let rows = statuses::table
                        .filter(statuses::id.gt(a))
                        .order(statuses::id.asc())
                        .limit(limit)
                        .select(StatusRow::as_select())
                        .load(conn)?;
                    lines_of(
                        rows.into_iter().map(Status::from).collect(),
                        |x| (x.id.0, 0),
                        |x| ExportLine::Status(x.into()),
                    )
                }
                ExportTable::StatusEdits => lines_of(
                    status_edit_records(conn, page)?,
                    |r| (r.id, 0),
                    ExportLine::StatusEdit,
                ),
                ExportTable::Media => lines_of(
                    media_records(conn, page)?,
                    |r| (r.id, 0),
                    ExportLine::MediaAttachment,
                ),
                ExportTable::Favourites => lines_of(
                    favourite_records(conn, page)?,
                    |r| (r.id, 0),
                    ExportLine::Favourite,
                ),
                ExportTable::Reactions => lines_of(
                    reaction_records(conn, page)?,
                    |r| (r.id, 0),
                    ExportLine::Reaction,
                ),
                ExportTable::Bookmarks => lines_of(
                    bookmark_records(conn, page)?,
                    |r| (r.id, 0),
                    ExportLine::Bookmark,
                ),
                ExportTable::Notifications => lines_of(
                    notification_records(conn, page)?,
                    |r| (r.id, 0),
                    ExportLine::Notification,
                ),
                ExportTable::Markers => lines_of(
                    marker_records(conn, page)?,
                    |r| (r.account_id, 0),
                    ExportLine::Marker,
                ),
                ExportTable::ThreadFollows => lines_of(
                    thread_follow_records(conn, page)?,
                    |r| (r.account_id, r.thread_id),
                    ExportLine::ThreadFollow,
                ),
                ExportTable::TopicFollows => lines_of(
                    topic_follow_records(conn, page)?,
                    |r| (r.account_id, r.tag_id),
                    ExportLine::TopicFollow,
                ),
                ExportTable::HelpdeskTickets => lines_of(
                    ticket_records(conn, page)?,
                    |r| (r.id, 0),
                    ExportLine::HelpdeskTicket,
                ),
                ExportTable::HelpdeskTicketEvents => lines_of(
                    ticket_event_records(conn, page)?,
                    |r| (r.id, 0),
                    ExportLine::HelpdeskTicketEvent,
                ),
                ExportTable::EmailPreferences => lines_of(
                    email_preference_records(conn, page)?,
                    |r| (r.account_id, 0),
                    ExportLine::EmailPreferences,
                ),
                ExportTable::SsoIdentities => lines_of(
                    sso_identity_records(conn, page)?,
                    |r| (r.account_id, 0),
                    ExportLine::SsoIdentity,
                ),
            };
            let next = if (lines.len() as i64) < limit {
                None
            } else {
                last
            };
            Ok((lines, next))
        })
        .await
    }
}

fn follow_record((follower, followee, at): (i64, i64, NaiveDateTime)) -> FollowRecord {
    FollowRecord {
        follower_id: follower.to_string(),
        followee_id: followee.to_string(),
        created_at: at.and_utc(),
    }
}

fn membership_record(
    (community, account, role, state, at): (i64, i64, String, String, NaiveDateTime),
) -> MembershipRecord {
    MembershipRecord {
        community_id: community.to_string(),
        account_id: account.to_string(),
        role,
        state,
        created_at: at.and_utc(),
    }
}
