//! `GET /api/v1/communities/:id/members`: members with their roles.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::pagination::{PageParams, link_header, request_url};
use crate::social_entities::CommunityMember;
use crate::state::ApiState;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::model::MembershipState;

/// One page of active members (keyset over account ids); 404 to non-members of
/// a private community.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let page = params.to_request()?;
    let access = super::load(&state, &id, user.account_id).await?;
    access.require_content()?;
    let members = state
        .store
        .community_members(access.community.id, MembershipState::Active, page)
        .await?;
    let base = state.base_url(&req);
    let ids: Vec<i64> = members.iter().map(|m| m.account.id.0).collect();
    let body: Vec<CommunityMember> = members
        .iter()
        .map(|member| CommunityMember::new(member, &base))
        .collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, &req), &page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(body))
}
