//! `PATCH /api/v1/helpdesk/settings`: a manager edits the assumptions or targets
//! with a JSON merge patch; a valid result becomes the next version, a bad one is
//! refused naming the field and the version in force stays.

use super::settings_show::settings_json;
use super::{MANAGERS, require_role};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Json};
use serde_json::Value;

/// Validates and saves the patched settings.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    Json(patch): Json<Value>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let manager = require_role(&state, &user, MANAGERS).await?;
    if !patch.is_object() {
        return Err(ApiError::field(
            "settings",
            "ERR_INVALID",
            "must be a JSON object",
        ));
    }
    let current = state.store.helpdesk_settings().await?;
    let next = current.settings.patched(&patch)?;
    let saved = state
        .store
        .save_helpdesk_settings(next, manager.id, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(settings_json(&saved)))
}
