//! `GET /api/v1/timelines/tag/:name`: posts with a topic.

use crate::auth::MaybeToken;
use crate::error::ApiError;
use crate::pagination::PageParams;
use crate::render;
use crate::routes::tags::tag_name;
use crate::state::ApiState;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};

/// One page, newest first, of the posts with the topic that the viewer may see.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    name: Path<String>,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:statuses")?;
    }
    let viewer = token.as_ref().and_then(|token| token.account_id);
    let name = tag_name(&name).map_err(|_| ApiError::not_found())?;
    let page = params.to_request()?;
    let statuses = state.store.tag_timeline(&name, viewer, page).await?;
    render::timeline(&state, &req, &page, &statuses, viewer).await
}
