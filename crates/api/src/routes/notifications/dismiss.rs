//! `POST /api/v1/notifications/:id/dismiss`: delete one notification.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};

/// Deletes it and answers `{}`; 404 if the viewer has no such notification.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:notifications")?;
    let id: i64 = path_id(&id)?;
    if !state
        .store
        .dismiss_notification(user.account_id, id)
        .await?
    {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}
