//! `GET /api/v1/media/:id`: one of your uploads not yet attached to a post.

use crate::auth::CurrentUser;
use crate::entities::MediaAttachment;
use crate::error::ApiError;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::MediaId;

/// Returns the upload; someone else's, an attached one or an unknown id is 404.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:media")?;
    let id: MediaId = path_id(&id)?;
    let media = state
        .store
        .unattached_media(id, user.account_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(MediaAttachment::new(&media, &state.base_url(&req))))
}
