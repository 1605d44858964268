//! Read models and insert forms. Times are UTC.

use chrono::{DateTime, Utc};
use hubbub_core::ids::{AccountId, AppId, CommunityId, StatusId};
use hubbub_core::input::{DisplayName, Email, StatusText, Username};
use hubbub_core::role::Role;

/// A registered client application (Mastodon's `Application`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// Its id.
    pub id: AppId,
    /// Name shown to people.
    pub name: String,
    /// Public OAuth client id.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: String,
    /// Newline-separated redirect URIs.
    pub redirect_uris: String,
    /// Space-separated scopes the app may ask for.
    pub scopes: String,
    /// Optional homepage.
    pub website: Option<String>,
    /// When it registered.
    pub created_at: DateTime<Utc>,
}

/// A new client application.
#[derive(Debug, Clone)]
pub struct NewApp {
    /// Its id.
    pub id: AppId,
    /// Name shown to people.
    pub name: String,
    /// Public OAuth client id.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: String,
    /// Newline-separated redirect URIs.
    pub redirect_uris: String,
    /// Space-separated scopes.
    pub scopes: String,
    /// Optional homepage.
    pub website: Option<String>,
    /// When it registered.
    pub created_at: DateTime<Utc>,
}

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its id.
    pub id: AccountId,
    /// Username as spelled at registration.
    pub username: String,
    /// Display name (may be empty).
    pub display_name: String,
    /// Email, lower-cased.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Disabled accounts cannot sign in and their tokens stop working.
    pub disabled: bool,
    /// When it registered.
    pub created_at: DateTime<Utc>,
    /// Bio, plain text.
    pub note: String,
    /// Department, for the directory.
    pub department: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Office or city.
    pub location: Option<String>,
    /// The person's manager.
    pub manager_id: Option<AccountId>,
    /// Media-store key of the resized avatar, if one was uploaded.
    pub avatar_key: Option<String>,
    /// Media-store key of the small avatar.
    pub avatar_static_key: Option<String>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Its id (time-ordered).
    pub id: AccountId,
    /// Username; unique ignoring case.
    pub username: Username,
    /// Email; unique.
    pub email: Email,
    /// Display name.
    pub display_name: DisplayName,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// When it registers.
    pub created_at: DateTime<Utc>,
}

/// Follower, following and post counts of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccountCounts {
    /// Posts not deleted.
    pub statuses: i64,
    /// People following the account.
    pub followers: i64,
    /// People the account follows.
    pub following: i64,
}

/// An issued access token; its `id` is the JWT's `jti`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The JWT id.
    pub id: String,
    /// The person it acts for; `None` for an app-only (client credentials) token.
    pub account_id: Option<AccountId>,
    /// The app it was issued to.
    pub app_id: Option<AppId>,
    /// Space-separated scopes.
    pub scopes: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops working on its own.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token about to be issued.
#[derive(Debug, Clone)]
pub struct NewAccessToken {
    /// The JWT id.
    pub id: String,
    /// The person; `None` for an app-only token.
    pub account_id: Option<AccountId>,
    /// The app.
    pub app_id: Option<AppId>,
    /// Space-separated scopes.
    pub scopes: String,
    /// Issued at.
    pub created_at: DateTime<Utc>,
    /// Expires at.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Its id (time-ordered).
    pub id: StatusId,
    /// Its author.
    pub account_id: AccountId,
    /// The text as written.
    pub text: String,
    /// The post it answers.
    pub in_reply_to_id: Option<StatusId>,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
    /// When it was deleted, if it was.
    pub deleted_at: Option<DateTime<Utc>>,
    /// The community it was posted in.
    pub community_id: Option<CommunityId>,
    /// The thread's first post (its own id when it starts a thread).
    pub thread_id: StatusId,
    /// When it was last edited, if it was.
    pub edited_at: Option<DateTime<Utc>>,
    /// Whether it asks a question (answers can be accepted).
    pub question: bool,
    /// The accepted answer, when it is a question that has one.
    pub accepted_answer_id: Option<StatusId>,
}

/// A post about to be stored.
#[derive(Debug, Clone)]
pub struct NewStatus {
    /// Its id (time-ordered).
    pub id: StatusId,
    /// Its author.
    pub account_id: AccountId,
    /// Its text.
    pub text: StatusText,
    /// The post it answers.
    pub in_reply_to_id: Option<StatusId>,
    /// The community to post in; a private one requires active membership.
    pub community_id: Option<CommunityId>,
    /// When it is posted.
    pub created_at: DateTime<Utc>,
}

/// How one account relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Relationship {
    /// The viewer follows the other.
    pub following: bool,
    /// The other follows the viewer.
    pub followed_by: bool,
}

/// A community (Yammer's group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    /// Its id.
    pub id: CommunityId,
    /// Its name, unique ignoring case.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Private communities show their posts to active members only.
    pub private: bool,
    /// Posts in a help-desk community become tickets.
    pub helpdesk: bool,
    /// Who created it.
    pub created_by: AccountId,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A community about to be created.
#[derive(Debug, Clone)]
pub struct NewCommunity {
    /// Its id.
    pub id: CommunityId,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Whether it is private.
    pub private: bool,
    /// Whether it is a help-desk community.
    pub helpdesk: bool,
    /// Who creates it (becomes its first admin).
    pub created_by: AccountId,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A person's role in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommunityRole {
    /// An ordinary member.
    Member,
    /// May approve requests, moderate and announce.
    Admin,
}

impl CommunityRole {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Admin => "admin",
        }
    }
}

/// Whether a membership is in force or awaiting approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipState {
    /// A member.
    Active,
    /// Asked to join a private community; not yet approved.
    Pending,
}

impl MembershipState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
        }
    }
}

/// An account mentioned in a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionedAccount {
    /// Its id.
    pub id: AccountId,
    /// Its username as registered.
    pub username: String,
}

/// The topics and mentions stored for one post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusLinks {
    /// Canonical topic names.
    pub tags: Vec<String>,
    /// Mentioned accounts that exist.
    pub mentions: Vec<MentionedAccount>,
}

/// A topic as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagView {
    /// Canonical name.
    pub name: String,
    /// Whether the viewer follows it.
    pub following: bool,
}

/// Someone's place in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Membership {
    /// Member or community admin.
    pub role: CommunityRole,
    /// Active, or a pending request.
    pub state: MembershipState,
}

impl Membership {
    /// An active member (of any role).
    pub fn is_active(&self) -> bool {
        self.state == MembershipState::Active
    }

    /// An active community admin.
    pub fn is_admin(&self) -> bool {
        self.is_active() && self.role == CommunityRole::Admin
    }
}

/// A member (or applicant) of a community with their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityMember {
    /// The person.
    pub account: Account,
    /// Their role and state.
    pub membership: Membership,
    /// When they joined or asked to.
    pub since: DateTime<Utc>,
}

/// A post marked as an announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// The post.
    pub status: Status,
    /// Its community; `None` for a company-wide announcement.
    pub community_id: Option<CommunityId>,
    /// When it was marked.
    pub announced_at: DateTime<Utc>,
    /// Whether the viewer dismissed it.
    pub dismissed: bool,
}

/// A post's thread around it, as one viewer may see it.
#[derive(Debug, Clone, Default)]
pub struct ThreadContext {
    /// The posts it answers, oldest first; a deleted one is kept (as a tombstone)
    /// so the chain stays whole.
    pub ancestors: Vec<Status>,
    /// Its replies and theirs, depth first in posting order; a deleted one is kept
    /// only while live replies hang under it.
    pub descendants: Vec<Status>,
}

/// What rendering a page of posts needs to know about their threads.
#[derive(Debug, Clone, Default)]
pub struct ThreadFacts {
    /// Live direct replies per post (posts without replies are absent).
    pub replies: std::collections::HashMap<StatusId, i64>,
    /// The posts that are the accepted answer of their question.
    pub accepted: std::collections::HashSet<StatusId>,
    /// The threads (by first post) the viewer follows or takes part in.
    pub followed: std::collections::HashSet<StatusId>,
}

/// One version of a post's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusVersion {
    /// The text of that version.
    pub text: String,
    /// When that version was written.
    pub created_at: DateTime<Utc>,
}
