//! Single sign-on routes (outside `/api`: they are pages a browser visits).
//!
//! - `GET /auth/sso/start?return_to=/path`: sends the browser to the provider.
//! - `GET /auth/sso/callback`: the provider sends it back; Hubbub signs the person in
//!   and hands the account over with a one-time code (see `callback`).
//! - `POST /auth/sso/token`: trades the one-time code for an access token.
//! - `GET /auth/sso/options`: whether SSO is on and password sign-in is off.

pub mod callback;
pub mod options;
pub mod start;
pub mod token;

use crate::sso::Sso;
use crate::state::ApiState;
use std::sync::Arc;

/// Cookie that ties a sign-in's `state` to the browser that started it.
pub(crate) const STATE_COOKIE: &str = "hubbub_sso_state";

/// Cookie carrying the one-time code to server-rendered pages under `/oauth/`.
pub const CODE_COOKIE: &str = "hubbub_sso_code";

/// How long a sign-in may take at the provider.
pub(crate) const LOGIN_TIMEOUT_SECS: i64 = 600;

/// How long the one-time hand-over code lives.
pub(crate) const CODE_TTL_SECS: i64 = 120;

/// The SSO settings, or `None` when SSO is not configured.
pub(crate) fn sso(state: &ApiState) -> Option<Arc<Sso>> {
    state.sso.clone()
}

/// A `return_to` that stays on this server: an absolute path, not `//host` and no
/// backslashes (which some browsers read as slashes). Anything else becomes `/`.
pub(crate) fn safe_return_to(raw: Option<&str>) -> String {
    match raw.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The start URL for `return_to`, for "try again" links.
pub(crate) fn start_url(return_to: &str) -> String {
    let query = serde_urlencoded::to_string([("return_to", return_to)]).unwrap_or_default();
    format!("/auth/sso/start?{query}")
}

#[cfg(test)]
mod tests {
    use super::safe_return_to;

    #[test]
    fn return_to_never_leaves_the_server() {
        assert_eq!(
            safe_return_to(Some("/oauth/authorize?x=1")),
            "/oauth/authorize?x=1"
        );
        assert_eq!(safe_return_to(Some("//evil.example/")), "/");
        assert_eq!(safe_return_to(Some("https://evil.example/")), "/");
        assert_eq!(safe_return_to(Some("/\\evil.example")), "/");
        assert_eq!(safe_return_to(None), "/");
    }
}
