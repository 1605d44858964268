//! `GET /api/v1/helpdesk/settings`: the assumptions and targets in force, with
//! their version and the formula they feed (managers and admins).

use super::{MANAGERS, require_role};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use hubbub_core::helpdesk::model::FORMULA;
use hubbub_storage::helpdesk::SettingsVersion;
use serde_json::{Value, json};

/// A settings version as JSON.
pub fn settings_json(version: &SettingsVersion) -> Value {
    json!({
        "version": version.version,
        "created_by": version.created_by.map(|id| id.to_string()),
        "created_at": version.created_at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        "settings": version.settings.to_json(),
        "formula": FORMULA,
    })
}

/// Returns the settings in force.
pub async fn handle(state: Data<ApiState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    require_role(&state, &user, MANAGERS).await?;
    let current = state.store.helpdesk_settings().await?;
    Ok(HttpResponse::Ok().json(settings_json(&current)))
}
