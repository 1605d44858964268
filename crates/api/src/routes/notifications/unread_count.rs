//! `GET /api/v1/notifications/unread_count`: how many are newer than the
//! viewer's `notifications` marker.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;

/// `{"count": n}`: visible notifications newer than the marker (all without one).
pub async fn handle(state: Data<ApiState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:notifications")?;
    let count = state.store.unread_notifications(user.account_id).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "count": count })))
}
