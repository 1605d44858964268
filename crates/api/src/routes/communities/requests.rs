//! Requests to join a private community: `GET /api/v1/communities/:id/requests`,
//! `POST .../requests/:account_id/authorize` and `.../reject` (community admins).

use crate::auth::CurrentUser;
use crate::entities::Account;
use crate::error::ApiError;
use crate::pagination::{PageParams, link_header, request_url};
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;
use hubbub_storage::model::MembershipState;
use serde_json::json;

/// The accounts asking to join, one page (keyset over account ids).
pub async fn list(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let page = params.to_request()?;
    let access = super::load(&state, &id, user.account_id).await?;
    super::require_admin(&state, &access, user.account_id).await?;
    let pending = state
        .store
        .community_members(access.community.id, MembershipState::Pending, page)
        .await?;
    let base = state.base_url(&req);
    let ids: Vec<i64> = pending.iter().map(|m| m.account.id.0).collect();
    let body: Vec<Account> = pending
        .iter()
        .map(|member| Account::new(&member.account, None, &base))
        .collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, &req), &page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(body))
}

/// Approves a request: the account becomes an active member.
pub async fn authorize(
    state: Data<ApiState>,
    user: CurrentUser,
    path: Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    decide(state, user, path, true).await
}

/// Rejects a request: it is removed.
pub async fn reject(
    state: Data<ApiState>,
    user: CurrentUser,
    path: Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    decide(state, user, path, false).await
}

async fn decide(
    state: Data<ApiState>,
    user: CurrentUser,
    path: Path<(String, String)>,
    approve: bool,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let (community, account) = path.into_inner();
    let access = super::load(&state, &community, user.account_id).await?;
    super::require_admin(&state, &access, user.account_id).await?;
    let target: AccountId = path_id(&account)?;
    state
        .store
        .decide_join_request(access.community.id, target, approve, state.clock.now())
        .await?;
    state.wake_relay();
    Ok(HttpResponse::Ok().json(json!({})))
}
