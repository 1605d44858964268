//! `PUT /api/v1/media/:id`: change the alt text of an upload before posting it.

use crate::auth::CurrentUser;
use crate::entities::MediaAttachment;
use crate::error::ApiError;
use crate::input::Input;
use crate::routes::media::description;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::MediaId;
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The request.
#[derive(Debug, Deserialize)]
pub struct Describe {
    description: Option<String>,
    #[serde(rename = "focus")]
    _focus: Option<IgnoredAny>,
}

/// Saves the description; someone else's, an attached one or an unknown id is 404.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<Describe>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:media")?;
    let id: MediaId = path_id(&id)?;
    let description = description(form.description.as_deref())?;
    let media = state
        .store
        .describe_media(id, user.account_id, description)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(MediaAttachment::new(&media, &state.base_url(&req))))
}
