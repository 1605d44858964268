//! `GET /api/v1/communities`: discover communities (every public one, and mine).

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::pagination::{PageParams, link_header, request_url};
use crate::social_entities::Community;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};

/// One page, newest community first, with a `Link` header.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let page = params.to_request()?;
    let found = state
        .store
        .discover_communities(user.account_id, page)
        .await?;
    let base = state.base_url(&req);
    let ids: Vec<i64> = found.iter().map(|(c, _)| c.id.0).collect();
    let body: Vec<Community> = found
        .iter()
        .map(|(community, membership)| Community::new(community, *membership, &base))
        .collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, &req), &page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(body))
}
