//! `POST /api/v1/communities/:id/members/:account_id/promote`: make a member a community admin.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::routes::path_id;
use crate::social_entities::CommunityMember;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;
use hubbub_storage::model::{
    CommunityMember as Member, CommunityRole, Membership, MembershipState,
};

/// Community admins only (403); 404 if the account is not an active member.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    path: Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let (community, account) = path.into_inner();
    let access = super::load(&state, &community, user.account_id).await?;
    super::require_admin(&state, &access, user.account_id).await?;
    let target: AccountId = path_id(&account)?;
    state
        .store
        .promote_member(access.community.id, target)
        .await?;
    let account = state
        .store
        .account(target)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let member = Member {
        account,
        membership: Membership {
            role: CommunityRole::Admin,
            state: MembershipState::Active,
        },
        since: state.clock.now(),
    };
    Ok(HttpResponse::Ok().json(CommunityMember::new(&member, &state.base_url(&req))))
}
