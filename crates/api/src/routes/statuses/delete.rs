//! `DELETE /api/v1/statuses/:id`: delete one of your own posts.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::render;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::StatusId;

/// Deletes the post and returns it with its `text` (for "delete and redraft").
/// Someone else's post is answered as if it did not exist.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:statuses")?;
    let id: StatusId = path_id(&id)?;
    let status = state
        .store
        .status(id, Some(user.account_id))
        .await?
        .filter(|status| status.account_id == user.account_id)
        .ok_or_else(ApiError::not_found)?;
    let entity = render::status(
        &state,
        &state.base_url(&req),
        &status,
        Some(user.account_id),
    )
    .await?;
    if !state.store.delete_status(id, state.clock.now()).await? {
        return Err(ApiError::not_found());
    }
    state.wake_relay();
    Ok(HttpResponse::Ok().json(entity))
}
