//! Models of the OAuth authorize flow: authorization codes and browser sessions.
//! Both are stored by the SHA-256 of their secret, never the secret itself.

use chrono::{DateTime, Utc};
use hubbub_core::ids::{AccountId, AppId};

/// An authorization code as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCode {
    /// SHA-256 of the code, hex.
    pub code_hash: String,
    /// The app it was issued to.
    pub app_id: AppId,
    /// The person who approved it.
    pub account_id: AccountId,
    /// The redirect URI of the authorization request; the token request must repeat it.
    pub redirect_uri: String,
    /// Space-separated scopes granted.
    pub scopes: String,
    /// The PKCE S256 challenge, if the app sent one.
    pub code_challenge: Option<String>,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
    /// When it was traded for a token; a code is single-use.
    pub used_at: Option<DateTime<Utc>>,
    /// The token it was traded for.
    pub token_id: Option<String>,
}

/// A code about to be stored.
#[derive(Debug, Clone)]
pub struct NewAuthCode {
    /// SHA-256 of the code, hex.
    pub code_hash: String,
    /// The app.
    pub app_id: AppId,
    /// The person.
    pub account_id: AccountId,
    /// The redirect URI.
    pub redirect_uri: String,
    /// Space-separated scopes.
    pub scopes: String,
    /// The PKCE S256 challenge.
    pub code_challenge: Option<String>,
    /// Issued at.
    pub created_at: DateTime<Utc>,
    /// Expires at.
    pub expires_at: DateTime<Utc>,
}

/// A browser session on the authorize page, about to be stored.
#[derive(Debug, Clone)]
pub struct NewWebSession {
    /// SHA-256 of the cookie value, hex.
    pub id_hash: String,
    /// Who signed in.
    pub account_id: AccountId,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it ends on its own.
    pub expires_at: DateTime<Utc>,
}
