//! `GET /api/v1/statuses/:id/context`: the thread around a post.

use crate::auth::MaybeToken;
use crate::error::ApiError;
use crate::render;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::{StatusId, TicketId};
use std::collections::HashSet;

/// Returns `{ancestors, descendants}` as the viewer may see them; a deleted post
/// that live replies hang under is a tombstone (`hubbub.deleted`). A deleted or
/// hidden post itself is 404.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:statuses")?;
    }
    let id: StatusId = path_id(&id)?;
    let viewer = token.as_ref().and_then(|token| token.account_id);
    let context = state
        .store
        .context(id, viewer)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let deleted: HashSet<String> = context
        .ancestors
        .iter()
        .chain(&context.descendants)
        .filter(|status| status.deleted_at.is_some())
        .map(|status| status.id.to_string())
        .collect();
    let ancestors = context.ancestors.len();
    let mut thread = context.ancestors;
    thread.extend(context.descendants);
    // Opening a resolved help-desk thread is a view the time-saved model counts
    // (every post of a thread carries its thread's id).
    if let (Some(viewer), Some(in_thread)) = (viewer, thread.first()) {
        state
            .store
            .record_ticket_view(TicketId(in_thread.thread_id.0), viewer, state.clock.now())
            .await?;
    }
    // One render for the whole thread: its queries are batched per page.
    let mut rendered: Vec<_> = render::statuses(&state, &state.base_url(&req), &thread, viewer)
        .await?
        .into_iter()
        .map(|status| {
            if deleted.contains(&status.id) {
                status.into_tombstone()
            } else {
                status
            }
        })
        .collect();
    let descendants = rendered.split_off(ancestors.min(rendered.len()));
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "ancestors": rendered,
        "descendants": descendants,
    })))
}
