//! `POST /auth/sso/token`: trades the one-time code from an SSO sign-in for an
//! access token (Mastodon's `Token` entity). With `client_id` and `client_secret`
//! the token belongs to that app, with the app's scopes.

use crate::auth::FULL_SCOPES;
use crate::credentials::issue_token;
use crate::error::ApiError;
use crate::input::Input;
use crate::routes::oauth::authenticate_client;
use crate::sso::oidc::sha256_hex;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use hubbub_core::ids::AccountId;
use serde::Deserialize;

/// The request.
#[derive(Debug, Deserialize)]
pub struct CodeRequest {
    code: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// Redeems a one-time code: the account it names, once. Also for server-rendered
/// pages that receive the code in the `hubbub_sso_code` cookie.
pub async fn redeem(state: &ApiState, code: &str) -> Result<Option<AccountId>, ApiError> {
    Ok(state
        .store
        .take_sso_code(&sha256_hex(code.trim()), state.clock.now())
        .await?)
}

/// Issues the token.
pub async fn handle(
    state: Data<ApiState>,
    Input(form): Input<CodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let app = authenticate_client(
        &state,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )
    .await?;
    let invalid_grant = || ApiError::OAuth {
        status: StatusCode::BAD_REQUEST,
        error: "invalid_grant",
        description: "The sign-in code is invalid, expired or was already used.".to_owned(),
    };
    let code = form
        .code
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(invalid_grant)?;
    let account = redeem(&state, code).await?.ok_or_else(invalid_grant)?;
    let scope = app
        .as_ref()
        .map_or(FULL_SCOPES, |app| app.scopes.as_str())
        .to_owned();
    let token = issue_token(&state, Some(account), app.map(|app| app.id), scope).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(token))
}
