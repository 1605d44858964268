//! `GET /api/v1/statuses/:id`: one post.

use crate::auth::MaybeToken;
use crate::error::ApiError;
use crate::render;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::StatusId;

/// Returns the post, or 404 if it does not exist or was deleted.
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
    let status = state
        .store
        .status(id, viewer)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let entity = render::status(&state, &state.base_url(&req), &status, viewer).await?;
    Ok(HttpResponse::Ok().json(entity))
}
