//! `GET /api/v1/communities/:id`: a community's card.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::social_entities::Community;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// Returns the community with the viewer's membership; 404 if it does not exist.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let access = super::load(&state, &id, user.account_id).await?;
    Ok(HttpResponse::Ok().json(Community::new(
        &access.community,
        access.membership,
        &state.base_url(&req),
    )))
}
