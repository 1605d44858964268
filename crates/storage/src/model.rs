//! Read models and insert forms. Times are UTC.

use chrono::{DateTime, Utc};
use hubbub_core::ids::{AccountId, AppId, StatusId};
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
