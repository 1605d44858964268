//! `GET /api/v1/timelines/threads`: the newest posts of threads you follow or
//! take part in.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::pagination::PageParams;
use crate::render;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};

/// Returns one page, newest first, with a `Link` header to the next and previous.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:statuses")?;
    let page = params.to_request()?;
    let statuses = state.store.threads_timeline(user.account_id, page).await?;
    render::timeline(&state, &req, &page, &statuses, Some(user.account_id)).await
}
