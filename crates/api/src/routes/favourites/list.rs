//! `GET /api/v1/favourites`: the posts the viewer favourited.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::pagination::PageParams;
use crate::render;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};

/// One page of Statuses the viewer may still see, newest favourite first, with
/// a `Link` header over the favourites' own ids.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:favourites")?;
    let page = params.to_request()?;
    let listed = state.store.favourites(user.account_id, page).await?;
    render::listed(&state, &req, &page, &listed, user.account_id).await
}
