//! `POST /api/v1/hubbub/password`: a person changes their own password (a Hubbub
//! extension; Mastodon does this in its web settings, outside the API).

use crate::auth::CurrentUser;
use crate::credentials::{hash_password, verify_password};
use crate::error::ApiError;
use crate::input::Input;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use hubbub_core::input::Password;
use serde::Deserialize;

/// The form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// The password in use now, to prove it is the owner at the keyboard.
    current_password: String,
    /// The new one.
    new_password: String,
}

/// Checks the current password, stores the new one and signs the person out
/// everywhere (every token is revoked and its streams close), as a reset does.
/// A wrong current password or an unacceptable new one changes nothing.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    Input(form): Input<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:accounts")?;
    let account = state
        .store
        .account(user.account_id)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?;
    if !verify_password(form.current_password, account.password_hash).await? {
        return Err(ApiError::field(
            "current_password",
            "ERR_INVALID",
            "is not your current password",
        ));
    }
    let new_password = Password::parse(&form.new_password)
        .map_err(|error| ApiError::renamed("new_password", error))?;
    let hash = hash_password(new_password).await?;
    state
        .store
        .set_password_hash(user.account_id, hash, state.clock.now(), None)
        .await?;
    state.wake_relay();
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}
