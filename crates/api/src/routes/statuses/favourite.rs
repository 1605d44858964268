//! `POST /api/v1/statuses/:id/favourite` and `/unfavourite`: Mastodon's like.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::notices::{notice_json, status_response, visible_status};
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// Favourites the post (idempotent; its author is notified once) and returns it.
/// A post the person may not see is 404 and nothing changes.
pub async fn favourite(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:favourites")?;
    let status = visible_status(&state, &id, user.account_id).await?;
    let base = state.base_url(&req);
    let json = notice_json(
        &state,
        &base,
        user.account_id,
        Some(&status),
        status.account_id,
    )
    .await?;
    state
        .store
        .favourite(user.account_id, status.id, state.clock.now(), json)
        .await?;
    state.wake_relay();
    status_response(&state, &req, &status, user.account_id).await
}

/// Takes the favourite back (idempotent) and returns the post.
pub async fn unfavourite(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:favourites")?;
    let status = visible_status(&state, &id, user.account_id).await?;
    state.store.unfavourite(user.account_id, status.id).await?;
    status_response(&state, &req, &status, user.account_id).await
}
