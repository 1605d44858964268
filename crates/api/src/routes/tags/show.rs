//! `GET /api/v1/tags/:name`: a topic, with whether the viewer follows it.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::social_entities::Tag;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// The Tag; 404 for a topic no post used and nobody follows.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    name: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let name = super::tag_name(&name).map_err(|_| ApiError::not_found())?;
    let tag = state
        .store
        .tag(&name, user.account_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(Tag::new(&tag.name, tag.following, &state.base_url(&req))))
}
