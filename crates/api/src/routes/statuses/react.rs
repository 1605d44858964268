//! `PUT /api/v1/statuses/:id/reactions/:name` and `DELETE ...` (Hubbub
//! extension): a reaction from the fixed set. "Same here" on a help-desk
//! ticket's thread counts as a reuse of its answer.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::notices::{notice_json, status_response, visible_status};
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::reaction::Reaction;

/// Gives the reaction (idempotent; the author is notified once) and returns the
/// post. An unknown name is 422 naming `name`; a post the person may not see is
/// 404; either way nothing changes.
pub async fn react(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    path: Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:favourites")?;
    let (id, name) = path.into_inner();
    let status = visible_status(&state, &id, user.account_id).await?;
    let reaction: Reaction = name.parse()?;
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
        .react(
            user.account_id,
            status.id,
            reaction,
            state.clock.now(),
            json,
        )
        .await?;
    state.wake_relay();
    status_response(&state, &req, &status, user.account_id).await
}

/// Takes the reaction back (idempotent) and returns the post.
pub async fn unreact(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    path: Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:favourites")?;
    let (id, name) = path.into_inner();
    let status = visible_status(&state, &id, user.account_id).await?;
    let reaction: Reaction = name.parse()?;
    state
        .store
        .unreact(user.account_id, status.id, reaction, state.clock.now())
        .await?;
    state.wake_relay();
    status_response(&state, &req, &status, user.account_id).await
}
