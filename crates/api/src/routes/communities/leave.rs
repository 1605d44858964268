//! `POST /api/v1/communities/:id/leave`: leave a community, or withdraw a request.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::social_entities::Community;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// Returns the community with no membership; 422 for someone not in it.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let access = super::load(&state, &id, user.account_id).await?;
    state
        .store
        .leave_community(access.community.id, user.account_id, state.clock.now())
        .await?;
    state.wake_relay();
    Ok(HttpResponse::Ok().json(Community::new(
        &access.community,
        None,
        &state.base_url(&req),
    )))
}
