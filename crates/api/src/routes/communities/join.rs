//! `POST /api/v1/communities/:id/join`: join a public community, or ask to join a private one.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::social_entities::Community;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::model::{CommunityRole, Membership};

/// Returns the community with the new membership (`active` or `pending`);
/// 422 if already a member or already asked.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let access = super::load(&state, &id, user.account_id).await?;
    let joined = state
        .store
        .join_community(access.community.id, user.account_id, state.clock.now())
        .await?;
    state.wake_relay();
    let membership = Membership {
        role: CommunityRole::Member,
        state: joined,
    };
    Ok(HttpResponse::Ok().json(Community::new(
        &access.community,
        Some(membership),
        &state.base_url(&req),
    )))
}
