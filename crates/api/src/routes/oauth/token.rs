//! `POST /oauth/token`: trade a password or client credentials for an access token.

use crate::auth::{FULL_SCOPES, narrow_scopes};
use crate::credentials::{issue_token, verify_password};
use crate::error::ApiError;
use crate::input::Input;
use crate::routes::oauth::{authenticate_client, invalid_client};
use crate::state::ApiState;
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
/// belongs to no app, with full scopes); `client_credentials` requires them.
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
            let scope = narrow_scopes(form.scope.as_deref(), &allowed)?;
            let account = state
                .store
                .account_by_login(login.trim())
                .await?
                .filter(|account| !account.disabled)
                .ok_or_else(invalid_grant)?;
            if !state.password_sign_in_allowed(&account.username) {
                return Err(oauth_error(
                    "invalid_grant",
                    "Password sign-in is turned off: sign in with your company account.",
                ));
            }
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
