//! `POST /api/v1/announcements/:id/dismiss`: stop showing an announcement to me.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};
use hubbub_core::ids::StatusId;
use hubbub_storage::StorageError;
use serde_json::json;

/// Marks it read for the viewer (idempotent); 404 if it is not one they are shown.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let id: StatusId = path_id(&id)?;
    match state
        .store
        .dismiss_announcement(user.account_id, id, state.clock.now())
        .await
    {
        Ok(()) => Ok(HttpResponse::Ok().json(json!({}))),
        Err(StorageError::NotFound { .. }) => Err(ApiError::not_found()),
        Err(other) => Err(other.into()),
    }
}
