//! `POST /oauth/revoke`: end a token at once (RFC 7009).

use crate::error::ApiError;
use crate::input::Input;
use crate::routes::oauth::authenticate_client;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use serde::Deserialize;
use serde_json::json;

/// The request.
#[derive(Debug, Deserialize)]
pub struct RevokeRequest {
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// Revokes the token. A token issued to an app needs that app's credentials; one
/// issued without an app (web sign-in) can be revoked by whoever holds it.
/// Unknown, expired or already revoked tokens answer 200, as RFC 7009 asks.
pub async fn handle(
    state: Data<ApiState>,
    Input(form): Input<RevokeRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = form.token.as_deref().map(str::trim).unwrap_or_default();
    if token.is_empty() {
        return Err(ApiError::OAuth {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            description: "The request is missing a required parameter: token.".to_owned(),
        });
    }
    let client = authenticate_client(
        &state,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )
    .await?;
    let Ok(claims) = state.keys.verify(token) else {
        return Ok(HttpResponse::Ok().json(json!({})));
    };
    if let Some(owner) = claims.app_id()
        && client.as_ref().map(|app| app.id) != Some(owner)
    {
        return Err(ApiError::OAuth {
            status: StatusCode::FORBIDDEN,
            error: "unauthorized_client",
            description: "You are not authorized to revoke this token".to_owned(),
        });
    }
    if state
        .store
        .revoke_token(&claims.jti, state.clock.now())
        .await?
    {
        state.wake_relay();
    }
    Ok(HttpResponse::Ok().json(json!({})))
}
