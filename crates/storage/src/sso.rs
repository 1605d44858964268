//! Models of single sign-on: pending sign-ins, the profile an identity provider
//! vouches for, and what signing in did.

use crate::model::Account;
use chrono::{DateTime, Utc};
use hubbub_core::role::Role;

/// A sign-in sent to the identity provider and not back yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoLogin {
    /// The `state` parameter, also kept in a cookie of the browser that started it.
    pub state: String,
    /// The `nonce` the ID token must carry.
    pub nonce: String,
    /// The PKCE code verifier.
    pub code_verifier: String,
    /// Where to go afterwards (a path on this server).
    pub return_to: String,
    /// When it started.
    pub created_at: DateTime<Utc>,
}

/// What the identity provider says about a person, after claim mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoProfile {
    /// The provider's issuer URL.
    pub issuer: String,
    /// The provider's stable id for the person (`sub`).
    pub subject: String,
    /// Email, lower-cased and checked.
    pub email: hubbub_core::input::Email,
    /// Display name.
    pub display_name: hubbub_core::input::DisplayName,
    /// A username to use if an account is created (a suffix is added if taken).
    pub username_candidate: String,
    /// Department, may be empty.
    pub department: String,
    /// Job title, may be empty.
    pub job_title: String,
    /// Group names.
    pub groups: Vec<String>,
    /// The role the groups give; `None` leaves the role as it is.
    pub role: Option<Role>,
}

/// The account a sign-in resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSignIn {
    /// The account (check `disabled`).
    pub account: Account,
    /// Whether it was created by this sign-in.
    pub created: bool,
}

/// The SSO profile stored with an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoIdentity {
    /// The account.
    pub account_id: hubbub_core::ids::AccountId,
    /// The issuer.
    pub issuer: String,
    /// The subject.
    pub subject: String,
    /// Department from the last sign-in.
    pub department: String,
    /// Job title from the last sign-in.
    pub job_title: String,
    /// Groups from the last sign-in.
    pub groups: Vec<String>,
    /// When the person last signed in with SSO.
    pub last_signed_in: DateTime<Utc>,
}
