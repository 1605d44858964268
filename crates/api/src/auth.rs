//! Bearer-token authentication and OAuth scopes.
//!
//! A token is accepted when its signature and expiry verify with [`TokenKeys`]
//! *and* its id is still active in the store, so revocation works at once.
//! Three extractors: [`MaybeToken`] (public endpoints that look at the viewer),
//! [`AnyToken`] (an app or a user), [`CurrentUser`] (a user).
//!
//! [`TokenKeys`]: hubbub_core::token::TokenKeys

use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use hubbub_core::ids::{AccountId, AppId};
use hubbub_core::token::{TokenClaims, TokenError};

/// Scopes granted when nobody asked for any and no app limits them.
pub const FULL_SCOPES: &str = "read write follow";

/// What the first-party web client (a password grant without an app) may ask for:
/// everything, admin scopes included (which still need the admin role to use).
pub const FIRST_PARTY_SCOPES: &str = "read write follow push admin:read admin:write";

/// Mastodon's wording for a bad token.
const INVALID: &str = "The access token is invalid";

/// A verified, unrevoked access token.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// Its claims.
    pub claims: TokenClaims,
    /// The account it acts for; `None` for an app-only token.
    pub account_id: Option<AccountId>,
    /// The app it was issued to.
    pub app_id: Option<AppId>,
}

impl Authenticated {
    /// Refuses with 403 unless the token grants `scope`.
    pub fn require_scope(&self, scope: &str) -> Result<(), ApiError> {
        if grants(&self.claims.scope, scope) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "This action is outside the authorized scopes".to_owned(),
            ))
        }
    }
}

/// Whether the space-separated `granted` scopes cover `wanted`: a scope covers
/// its sub-scopes (`read` covers `read:statuses`, `admin:read` covers
/// `admin:read:reports`), and Mastodon's legacy `follow` covers follow management.
pub fn grants(granted: &str, wanted: &str) -> bool {
    let legacy_follow = matches!(wanted, "read:follows" | "write:follows");
    granted.split_whitespace().any(|scope| {
        scope == wanted
            || wanted
                .strip_prefix(scope)
                .is_some_and(|rest| rest.starts_with(':'))
            || (legacy_follow && scope == "follow")
    })
}

/// Whether `scope` is one Mastodon defines (`read`, `write:statuses`, `follow`, ...).
fn known_scope(scope: &str) -> bool {
    let mut parts = scope.split(':');
    let top = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    match top {
        "read" | "write" => {
            rest.len() <= 1
                && rest.iter().all(|part| {
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                })
        }
        "follow" | "push" | "profile" => rest.is_empty(),
        "admin" => matches!(rest.first(), Some(&"read") | Some(&"write")) && rest.len() <= 2,
        _ => false,
    }
}

/// Parses a requested scope list (space- or `+`-separated); `field` names it in errors.
pub fn parse_scopes(raw: &str, field: &'static str) -> Result<Vec<String>, ApiError> {
    let scopes: Vec<String> = raw
        .split([' ', '+'])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    match scopes.iter().find(|scope| !known_scope(scope)) {
        Some(unknown) => Err(ApiError::field(
            field,
            "ERR_INVALID",
            format!("contains an unknown scope '{unknown}'"),
        )),
        None => Ok(scopes),
    }
}

/// The scopes to grant: those `requested` (all must be within `allowed`), or all of
/// `allowed` when none were requested.
pub fn narrow_scopes(requested: Option<&str>, allowed: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::OAuth {
        status: actix_web::http::StatusCode::BAD_REQUEST,
        error: "invalid_scope",
        description: "The requested scope is invalid, unknown, or malformed.".to_owned(),
    };
    let requested = requested.map(str::trim).filter(|raw| !raw.is_empty());
    let Some(raw) = requested else {
        return Ok(allowed.to_owned());
    };
    let scopes = parse_scopes(raw, "scope").map_err(|_| invalid())?;
    if scopes.iter().all(|scope| grants(allowed, scope)) {
        Ok(scopes.join(" "))
    } else {
        Err(invalid())
    }
}

/// The token sent with the request, if any.
#[derive(Debug, Clone)]
pub struct MaybeToken(pub Option<Authenticated>);

/// A request that must carry a token (app or user).
#[derive(Debug, Clone)]
pub struct AnyToken(pub Authenticated);

/// A request that must act for a user.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user.
    pub account_id: AccountId,
    /// Their token.
    pub token: Authenticated,
}

impl CurrentUser {
    /// Refuses with 403 unless the token grants `scope`.
    pub fn require_scope(&self, scope: &str) -> Result<(), ApiError> {
        self.token.require_scope(scope)
    }
}

/// Reads and checks the `Authorization` header; `Ok(None)` when there is none.
async fn authenticate(
    state: &ApiState,
    header: Option<String>,
) -> Result<Option<Authenticated>, ApiError> {
    let Some(header) = header else {
        return Ok(None);
    };
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or(ApiError::Unauthorized(INVALID))?;
    let claims = state.keys.verify(token).map_err(|error| match error {
        TokenError::Expired => ApiError::Unauthorized("The access token expired"),
        TokenError::Invalid | TokenError::Signing => ApiError::Unauthorized(INVALID),
    })?;
    let stored = state
        .store
        .active_token(&claims.jti, state.clock.now())
        .await?
        .ok_or(ApiError::Unauthorized("The access token was revoked"))?;
    // The stored row is the authority on whom the token acts for; a signed token
    // whose claims disagree with it was not issued by us.
    if stored.account_id != claims.account_id() || stored.app_id != claims.app_id() {
        return Err(ApiError::Unauthorized(INVALID));
    }
    Ok(Some(Authenticated {
        account_id: stored.account_id,
        app_id: stored.app_id,
        claims,
    }))
}

fn parts(req: &HttpRequest) -> Result<(ApiState, Option<String>), ApiError> {
    let state = req
        .app_data::<Data<ApiState>>()
        .map(|data| data.get_ref().clone())
        .ok_or_else(|| ApiError::internal("auth", "ApiState is not registered"))?;
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    Ok((state, header))
}

impl FromRequest for MaybeToken {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parts = parts(req);
        Box::pin(async move {
            let (state, header) = parts?;
            authenticate(&state, header).await.map(MaybeToken)
        })
    }
}

impl FromRequest for AnyToken {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parts = parts(req);
        Box::pin(async move {
            let (state, header) = parts?;
            authenticate(&state, header)
                .await?
                .map(AnyToken)
                .ok_or(ApiError::Unauthorized(INVALID))
        })
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parts = parts(req);
        Box::pin(async move {
            let (state, header) = parts?;
            let token = authenticate(&state, header)
                .await?
                .ok_or(ApiError::Unauthorized(INVALID))?;
            let account_id = token.account_id.ok_or_else(|| {
                ApiError::Unprocessable("This method requires an authenticated user".to_owned())
            })?;
            Ok(CurrentUser { account_id, token })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::grants;

    #[test]
    fn top_level_and_legacy_scopes_cover_their_parts() {
        assert!(grants("read write", "write:statuses"));
        assert!(grants("follow", "write:follows"));
        assert!(!grants("read", "write:statuses"));
        assert!(!grants("follow", "write:statuses"));
        assert!(grants("write:statuses", "write:statuses"));
        assert!(grants("admin:read", "admin:read:reports"));
        assert!(!grants("read", "admin:read:reports"));
        assert!(!grants("admin:read", "admin:write:reports"));
    }

    #[test]
    fn unknown_scopes_are_refused_and_requests_are_narrowed_to_the_app() {
        assert!(super::parse_scopes("read write:statuses follow", "scopes").is_ok());
        assert!(super::parse_scopes("read root", "scopes").is_err());
        assert_eq!(
            super::narrow_scopes(None, "read write").unwrap(),
            "read write"
        );
        assert_eq!(
            super::narrow_scopes(Some("read"), "read write").unwrap(),
            "read"
        );
        assert!(super::narrow_scopes(Some("write"), "read").is_err());
    }
}
