//! `POST /api/v1/markers`: `home[last_read_id]` and/or `notifications[last_read_id]`.

use super::markers_json;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::{IdParam, Input};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use serde::Deserialize;

/// One timeline's position in a JSON body.
#[derive(Debug, Deserialize)]
pub struct Position {
    last_read_id: IdParam,
}

/// The request, as JSON (`{"home": {"last_read_id": "1"}}`) or as a form
/// (`home[last_read_id]=1`).
#[derive(Debug, Deserialize)]
pub struct SaveMarkers {
    home: Option<Position>,
    notifications: Option<Position>,
    #[serde(rename = "home[last_read_id]")]
    home_form: Option<IdParam>,
    #[serde(rename = "notifications[last_read_id]")]
    notifications_form: Option<IdParam>,
}

/// Saves the positions given (each marker's version goes up by one) and
/// returns the saved markers. A non-numeric id is 422 naming its field; a body
/// with neither timeline is 422 naming `home`.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    Input(form): Input<SaveMarkers>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:statuses")?;
    let mut positions = Vec::new();
    let home = form.home.map(|p| p.last_read_id).or(form.home_form);
    if let Some(id) = home.map(|id| id.parse("home[last_read_id]")).transpose()? {
        positions.extend(id.map(|id| ("home".to_owned(), id)));
    }
    let notifications = form
        .notifications
        .map(|p| p.last_read_id)
        .or(form.notifications_form);
    if let Some(id) = notifications
        .map(|id| id.parse("notifications[last_read_id]"))
        .transpose()?
    {
        positions.extend(id.map(|id| ("notifications".to_owned(), id)));
    }
    if positions.is_empty() {
        return Err(ApiError::field(
            "home",
            "ERR_BLANK",
            "give home[last_read_id] or notifications[last_read_id]",
        ));
    }
    let saved = state
        .store
        .save_markers(user.account_id, positions, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(markers_json(&saved)))
}
