//! `GET /api/v1/followed_tags`: the topics the viewer follows.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::pagination::{PageParams, link_header, request_url};
use crate::social_entities::Tag;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};

/// One page of Tags (keyset over topic ids, newest topic first), with a `Link` header.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:follows")?;
    let page = params.to_request()?;
    let rows = state.store.followed_tags(user.account_id, page).await?;
    let base = state.base_url(&req);
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let body: Vec<Tag> = rows
        .iter()
        .map(|(_, name)| Tag::new(name, true, &base))
        .collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, &req), &page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(body))
}
