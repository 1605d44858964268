//! `GET /api/v1/timelines/public`: every post.

use crate::auth::MaybeToken;
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
    MaybeToken(token): MaybeToken,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:statuses")?;
    }
    let page = params.to_request()?;
    let viewer = token.as_ref().and_then(|token| token.account_id);
    let statuses = state.store.public_timeline(page).await?;
    render::timeline(&state, &req, &page, &statuses, viewer).await
}
