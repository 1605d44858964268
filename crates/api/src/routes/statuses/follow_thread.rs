//! `POST /api/v1/statuses/:id/follow_thread` and `.../unfollow_thread`.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::render;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::StatusId;

/// Follows (or stops following) the thread the post is in and returns the post.
async fn set(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    follow: bool,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:statuses")?;
    let id: StatusId = path_id(&id)?;
    let status = state
        .store
        .status(id, Some(user.account_id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    if follow {
        state
            .store
            .follow_thread(user.account_id, status.thread_id, state.clock.now())
            .await?;
    } else {
        state
            .store
            .unfollow_thread(user.account_id, status.thread_id)
            .await?;
    }
    let entity = render::status(
        &state,
        &state.base_url(&req),
        &status,
        Some(user.account_id),
    )
    .await?;
    Ok(HttpResponse::Ok().json(entity))
}

/// Follows the post's thread: its new posts reach the home and threads timelines.
pub async fn follow(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    set(state, req, user, id, true).await
}

/// Stops following the post's thread (also one the viewer took part in).
pub async fn unfollow(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    set(state, req, user, id, false).await
}
