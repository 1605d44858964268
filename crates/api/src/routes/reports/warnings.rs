//! `GET /api/v1/account_warnings`: the moderation notices about me (a Hubbub
//! extension listing Mastodon `AccountWarning` entities: warnings, removed posts,
//! suspensions). The notifications stream can carry them as `moderation_warning`.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::moderation::AccountWarning;
use crate::pagination::{PageParams, link_header, request_url};
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};

/// One page, newest first.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:accounts")?;
    let page = params.to_request()?;
    let me = state
        .store
        .account(user.account_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let notices = state
        .store
        .moderation_notices(user.account_id, page)
        .await?;
    let base = state.base_url(&req);
    let body: Vec<AccountWarning> = notices
        .iter()
        .map(|notice| AccountWarning::new(notice, &me, &base))
        .collect();
    let ids: Vec<i64> = notices.iter().map(|n| n.id.0).collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, &req), &page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(body))
}
