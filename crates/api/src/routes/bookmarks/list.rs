//! `GET /api/v1/bookmarks`: the posts the viewer bookmarked.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::pagination::PageParams;
use crate::render;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};

/// One page of Statuses the viewer may still see (a private community's post
/// drops out once they leave it), newest bookmark first, with a `Link` header
/// over the bookmarks' own ids.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:bookmarks")?;
    let page = params.to_request()?;
    let listed = state.store.bookmarks(user.account_id, page).await?;
    render::listed(&state, &req, &page, &listed, user.account_id).await
}
