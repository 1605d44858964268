//! `POST /api/v1/notifications/clear`: delete all of the viewer's notifications.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;

/// Deletes them all and answers `{}`.
pub async fn handle(state: Data<ApiState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:notifications")?;
    state.store.clear_notifications(user.account_id).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}
