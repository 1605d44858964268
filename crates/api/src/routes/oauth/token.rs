//! `POST /oauth/token`: trade a password or client credentials for an access token.

use crate::auth::{FIRST_PARTY_SCOPES, FULL_SCOPES, narrow_scopes};
use crate::credentials::{issue_token, verify_password};
use crate::error::ApiError;
use crate::input::Input;
use crate::routes::oauth::{authenticate_client, invalid_client};
use crate::state::ApiState;
use crate::web_session::{hash_secret, pkce_s256, same_secret};
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use serde::Deserialize;

/// The request, as RFC 6749 and Mastodon clients send it.
#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    username: Option<String>,
    password: Option<String>,
    scope: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
}

fn oauth_error(error: &'static str, description: &str) -> ApiError {
    ApiError::OAuth {
        status: StatusCode::BAD_REQUEST,
        error,
        description: description.to_owned(),
    }
}

fn invalid_grant() -> ApiError {
    oauth_error(
        "invalid_grant",
        "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
    )
}

/// Issues a token. `password` grants may omit client credentials (the token then
/// belongs to no app, with full scopes; admin scopes on request);
/// `client_credentials` requires them; `authorization_code` is described at
/// [`authorization_code`].
pub async fn handle(
    state: Data<ApiState>,
    Input(form): Input<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let grant_type = form
        .grant_type
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    if grant_type.is_empty() {
        return Err(oauth_error(
            "invalid_request",
            "The request is missing a required parameter: grant_type.",
        ));
    }
    if grant_type == "authorization_code" {
        return authorization_code(&state, &form).await;
    }
    let app = authenticate_client(
        &state,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )
    .await?;
    let allowed = app
        .as_ref()
        .map_or(FULL_SCOPES, |app| app.scopes.as_str())
        .to_owned();
    let app_id = app.as_ref().map(|app| app.id);
    let token = match grant_type {
        "password" => {
            let (Some(login), Some(password)) = (form.username.as_deref(), form.password) else {
                return Err(oauth_error(
                    "invalid_request",
                    "The request is missing a required parameter: username and password.",
                ));
            };
            let scope = match (&app, form.scope.as_deref()) {
                (None, Some(asked)) => narrow_scopes(Some(asked), FIRST_PARTY_SCOPES)?,
                _ => narrow_scopes(form.scope.as_deref(), &allowed)?,
            };
            let account = state
                .store
                .account_by_login(login.trim())
                .await?
                .filter(|account| !account.disabled)
                .ok_or_else(invalid_grant)?;
            if !verify_password(password, account.password_hash.clone()).await? {
                return Err(invalid_grant());
            }
            issue_token(&state, Some(account.id), app_id, scope).await?
        }
        "client_credentials" => {
            if app_id.is_none() {
                return Err(invalid_client());
            }
            let scope = narrow_scopes(form.scope.as_deref(), &allowed)?;
            issue_token(&state, None, app_id, scope).await?
        }
        _ => {
            return Err(oauth_error(
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            ));
        }
    };
    Ok(HttpResponse::Ok().json(token))
}

/// The authorization-code grant (RFC 6749 4.1.3 with PKCE, RFC 7636).
///
/// The client authenticates with its secret, or, as a public client, by the PKCE
/// verifier alone (then the code must carry a challenge). The code must be one
/// this app received for this `redirect_uri`, unused and unexpired, and the
/// verifier must match its challenge. A code presented twice revokes the token
/// it was first traded for. Every failure is `invalid_grant` and changes nothing.
async fn authorization_code(
    state: &ApiState,
    form: &TokenRequest,
) -> Result<HttpResponse, ApiError> {
    let (Some(code), Some(redirect_uri)) = (
        form.code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty()),
        form.redirect_uri.as_deref().map(str::trim),
    ) else {
        return Err(oauth_error(
            "invalid_request",
            "The request is missing a required parameter: code and redirect_uri.",
        ));
    };
    let app = match form
        .client_secret
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(_) => authenticate_client(
            state,
            form.client_id.as_deref(),
            form.client_secret.as_deref(),
        )
        .await?
        .ok_or_else(invalid_client)?,
        None => {
            let client_id = form.client_id.as_deref().map(str::trim).unwrap_or_default();
            if client_id.is_empty() {
                return Err(invalid_client());
            }
            state
                .store
                .app_by_client_id(client_id)
                .await?
                .ok_or_else(invalid_client)?
        }
    };
    let public_client = form
        .client_secret
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .is_empty();
    let code_hash = hash_secret(code);
    let now = state.clock.now();
    let stored = state
        .store
        .auth_code(&code_hash)
        .await?
        .filter(|stored| stored.app_id == app.id)
        .ok_or_else(invalid_grant)?;
    if stored.used_at.is_some() {
        // A replayed code may be a stolen one: end what it was traded for.
        if let Some(token_id) = &stored.token_id
            && state.store.revoke_token(token_id, now).await?
        {
            state.wake_relay();
        }
        return Err(invalid_grant());
    }
    if stored.expires_at <= now || stored.redirect_uri != redirect_uri {
        return Err(invalid_grant());
    }
    let verifier = form
        .code_verifier
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    match (&stored.code_challenge, verifier) {
        (Some(challenge), Some(verifier)) if same_secret(&pkce_s256(verifier), challenge) => {}
        (None, None) if !public_client => {}
        _ => return Err(invalid_grant()),
    }
    let account = state
        .store
        .account(stored.account_id)
        .await?
        .filter(|account| !account.disabled)
        .ok_or_else(invalid_grant)?;
    if !state.store.consume_auth_code(&code_hash, now).await? {
        return Err(invalid_grant());
    }
    let token = issue_token(state, Some(account.id), Some(app.id), stored.scopes.clone()).await?;
    let claims = state
        .keys
        .verify(&token.access_token)
        .map_err(|error| ApiError::internal("reading a fresh token", error))?;
    state
        .store
        .set_auth_code_token(&code_hash, &claims.jti)
        .await?;
    Ok(HttpResponse::Ok().json(token))
}
