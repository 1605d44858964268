//! `PATCH`/`PUT /api/v1/communities/:id`: change the description (community admins).

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Input;
use crate::social_entities::Community;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::community::CommunityDescription;
use serde::Deserialize;

/// The request.
#[derive(Debug, Deserialize)]
pub struct UpdateCommunity {
    description: Option<String>,
}

/// Stores the new description and returns the community.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<UpdateCommunity>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let access = super::load(&state, &id, user.account_id).await?;
    super::require_admin(&state, &access, user.account_id).await?;
    let Some(raw) = form.description else {
        return Err(ApiError::field("description", "ERR_BLANK", "is missing"));
    };
    let description = CommunityDescription::parse(&raw)?.into_string();
    let id = access.community.id;
    state
        .store
        .update_community_description(id, description.clone())
        .await?;
    let mut community = access.community;
    community.description = description;
    Ok(HttpResponse::Ok().json(Community::new(
        &community,
        access.membership,
        &state.base_url(&req),
    )))
}
