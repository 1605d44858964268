//! Single sign-on with an OpenID Connect provider (Entra ID, Okta, Keycloak, ...).
//!
//! - [`oidc`]: the relying party: discovery, JWKS (refetched on an unknown `kid`),
//!   the authorization-code exchange and ID token verification.
//! - [`claims`]: the ID token's claims to a Hubbub profile (configurable claim
//!   names, group → role mapping).
//! - [`communities`]: group → community auto-join, a separate step.
//! - [`pages`]: the HTML pages a person sees when sign-in cannot finish.
//!
//! The routes are under `routes::sso`: `/auth/sso/start`, `/auth/sso/callback`,
//! `/auth/sso/token` and `/auth/sso/options`.

pub mod claims;
pub mod communities;
pub mod oidc;
pub mod pages;

use hubbub_core::role::Role;
use hubbub_core::sso::GroupMap;
use std::time::Duration;

/// Which ID token claims hold each profile field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    /// Display name, default `name`.
    pub name: String,
    /// Email, default `email`.
    pub email: String,
    /// Username suggestion, default `preferred_username`.
    pub username: String,
    /// Department, default `department`.
    pub department: String,
    /// Job title, default `job_title`.
    pub job_title: String,
    /// Groups (a list or one string), default `groups`.
    pub groups: String,
}

impl Default for ClaimNames {
    fn default() -> Self {
        Self {
            name: "name".to_owned(),
            email: "email".to_owned(),
            username: "preferred_username".to_owned(),
            department: "department".to_owned(),
            job_title: "job_title".to_owned(),
            groups: "groups".to_owned(),
        }
    }
}

/// Single sign-on settings, handed over by the server crate.
#[derive(Clone)]
pub struct SsoConfig {
    /// The provider's issuer URL (its discovery document is at
    /// `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    /// Hubbub's client id at the provider.
    pub client_id: String,
    /// Hubbub's client secret at the provider.
    pub client_secret: String,
    /// Scopes asked for, space-separated; must include `openid`.
    pub scopes: String,
    /// Claim names.
    pub claims: ClaimNames,
    /// Group → role.
    pub role_map: GroupMap<Role>,
    /// Group → community (name or id) joined at every sign-in.
    pub community_map: GroupMap<String>,
    /// Clock difference tolerated between Hubbub and the provider.
    pub clock_skew: Duration,
    /// How long to wait for the provider.
    pub http_timeout: Duration,
    /// Password sign-in and registration are off, except for `break_glass_admin`.
    pub sso_only: bool,
    /// The one username that may still sign in with a password when `sso_only`.
    pub break_glass_admin: Option<String>,
}

impl std::fmt::Debug for SsoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("scopes", &self.scopes)
            .field("claims", &self.claims)
            .field("role_map", &self.role_map)
            .field("community_map", &self.community_map)
            .field("clock_skew", &self.clock_skew)
            .field("sso_only", &self.sso_only)
            .field("break_glass_admin", &self.break_glass_admin)
            .finish()
    }
}

/// SSO as the handlers use it: the settings and the provider client.
#[derive(Debug)]
pub struct Sso {
    /// Settings.
    pub config: SsoConfig,
    /// The provider.
    pub provider: oidc::Provider,
}

impl Sso {
    /// Builds the provider client; nothing is fetched until the first sign-in, so
    /// Hubbub starts even while the provider is down.
    pub fn new(config: SsoConfig) -> Result<Self, SsoError> {
        let provider = oidc::Provider::new(&config.issuer, config.http_timeout)?;
        Ok(Self { config, provider })
    }
}

/// Why a sign-in could not finish; each is a page the person can act on.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// The provider did not answer or answered nonsense.
    #[error("the identity provider is unavailable: {0}")]
    ProviderUnavailable(String),
    /// The person declined at the provider.
    #[error("consent was denied")]
    ConsentDenied,
    /// The provider answered the authorization with another error.
    #[error("the identity provider refused the sign-in: {0}")]
    ProviderError(String),
    /// The ID token was issued in the future, beyond the tolerance.
    #[error("the ID token was issued {0} s in the future")]
    ClockSkew(i64),
    /// The ID token had expired, beyond the tolerance.
    #[error("the ID token expired {0} s ago")]
    Expired(i64),
    /// Signature, issuer, audience, nonce or shape wrong.
    #[error("the ID token is invalid: {0}")]
    InvalidToken(String),
    /// No pending sign-in matches (expired, used, or from another browser).
    #[error("the sign-in session is missing or expired")]
    SessionExpired,
    /// The provider gave no usable value for a required claim.
    #[error("the ID token has no usable '{0}' claim")]
    MissingClaim(String),
    /// The account exists but is disabled in Hubbub.
    #[error("the account is disabled")]
    AccountDisabled,
    /// Something failed on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<hubbub_storage::StorageError> for SsoError {
    fn from(error: hubbub_storage::StorageError) -> Self {
        Self::Internal(error.to_string())
    }
}
