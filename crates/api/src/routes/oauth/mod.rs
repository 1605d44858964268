//! OAuth 2 endpoints, answering as Doorkeeper (Mastodon's OAuth server) does.

pub mod revoke;
pub mod token;

use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::http::StatusCode;
use hubbub_storage::model::App;

/// Doorkeeper's answer when the client cannot be authenticated.
pub(crate) fn invalid_client() -> ApiError {
    ApiError::OAuth {
        status: StatusCode::UNAUTHORIZED,
        error: "invalid_client",
        description: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.".to_owned(),
    }
}

/// Compares secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Authenticates the client from `client_id` and `client_secret`: `Ok(None)` when
/// neither was sent, 401 `invalid_client` when they do not match an app.
pub(crate) async fn authenticate_client(
    state: &ApiState,
    client_id: Option<&str>,
    client_secret: Option<&str>,
) -> Result<Option<App>, ApiError> {
    let client_id = client_id.map(str::trim).filter(|id| !id.is_empty());
    let client_secret = client_secret
        .map(str::trim)
        .filter(|secret| !secret.is_empty());
    let Some(client_id) = client_id else {
        return match client_secret {
            Some(_) => Err(invalid_client()),
            None => Ok(None),
        };
    };
    let app = state
        .store
        .app_by_client_id(client_id)
        .await?
        .ok_or_else(invalid_client)?;
    match client_secret {
        Some(secret) if same_secret(secret, &app.client_secret) => Ok(Some(app)),
        _ => Err(invalid_client()),
    }
}
