//! `GET /api/v1/timelines/community/:id`: a community's posts (Hubbub extension).

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Flag;
use crate::pagination::PageParams;
use crate::render;
use crate::routes::communities;
use crate::state::ApiState;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;

/// The query: a page, or `pinned=true` for the posts pinned on top.
#[derive(Debug, Deserialize)]
pub struct CommunityQuery {
    #[serde(flatten)]
    page: PageParams,
    pinned: Option<String>,
}

/// One page, newest first; 404 to non-members of a private community.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Query(query): Query<CommunityQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:statuses")?;
    let access = communities::load(&state, &id, user.account_id).await?;
    access.require_content()?;
    let page = query.page.to_request()?;
    let viewer = Some(user.account_id);
    let pinned = query
        .pinned
        .map(Flag::Text)
        .as_ref()
        .is_some_and(Flag::is_set);
    let statuses = if pinned {
        state
            .store
            .pinned_in_community(access.community.id, viewer)
            .await?
    } else {
        state
            .store
            .community_timeline(access.community.id, viewer, page)
            .await?
    };
    render::timeline(&state, &req, &page, &statuses, viewer).await
}
