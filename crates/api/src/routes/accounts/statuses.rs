//! `GET /api/v1/accounts/:id/statuses`: one person's posts, newest first.

use crate::auth::MaybeToken;
use crate::error::ApiError;
use crate::input::Flag;
use crate::pagination::PageParams;
use crate::render;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;
use serde::Deserialize;

/// Filters Mastodon clients send on profile pages.
#[derive(Debug, Deserialize)]
pub struct Filters {
    #[serde(flatten)]
    page: PageParams,
    pinned: Option<Flag>,
    only_media: Option<Flag>,
    tagged: Option<String>,
}

/// Returns one page of the account's posts.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    id: Path<String>,
    Query(filters): Query<Filters>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:statuses")?;
    }
    let id: AccountId = path_id(&id)?;
    let page = filters.page.to_request()?;
    state
        .store
        .account(id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    // Hubbub has no pins, media or tags yet: those filters match nothing.
    let matches_nothing = filters.pinned.as_ref().is_some_and(Flag::is_set)
        || filters.only_media.as_ref().is_some_and(Flag::is_set)
        || filters.tagged.is_some();
    if matches_nothing {
        return Ok(HttpResponse::Ok().json(Vec::<()>::new()));
    }
    let viewer = token.as_ref().and_then(|token| token.account_id);
    let statuses = state.store.account_statuses(id, viewer, page).await?;
    render::timeline(&state, &req, &page, &statuses, viewer).await
}
