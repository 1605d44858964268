//! `POST /api/v1/statuses/:id/bookmark` and `/unbookmark`.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::notices::{status_response, visible_status};
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// Bookmarks the post (idempotent) and returns it; 404 if the person may not see it.
pub async fn bookmark(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:bookmarks")?;
    let status = visible_status(&state, &id, user.account_id).await?;
    state
        .store
        .bookmark(user.account_id, status.id, state.clock.now())
        .await?;
    status_response(&state, &req, &status, user.account_id).await
}

/// Removes the bookmark (idempotent) and returns the post.
pub async fn unbookmark(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:bookmarks")?;
    let status = visible_status(&state, &id, user.account_id).await?;
    state.store.unbookmark(user.account_id, status.id).await?;
    status_response(&state, &req, &status, user.account_id).await
}
