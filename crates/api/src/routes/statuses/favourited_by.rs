//! `GET /api/v1/statuses/:id/favourited_by`: who favourited a post.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::notices::visible_status;
use crate::pagination::{PageParams, link_header, request_url};
use crate::render;
use crate::state::ApiState;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};

/// One page of Accounts, newest favourite first, with a `Link` header; 404 if the
/// viewer may not see the post.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:statuses")?;
    let page = params.to_request()?;
    let status = visible_status(&state, &id, user.account_id).await?;
    let rows = state.store.favourited_by(status.id, page).await?;
    accounts_page(&state, &req, &page, rows).await
}

/// The response for a page of (list id, account): the Accounts and a `Link`
/// header over the list ids.
pub(crate) async fn accounts_page(
    state: &ApiState,
    req: &HttpRequest,
    page: &hubbub_core::page::PageRequest,
    rows: Vec<(i64, hubbub_storage::model::Account)>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base_url(req);
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let accounts: Vec<_> = rows.into_iter().map(|(_, account)| account).collect();
    let rendered = render::accounts(state, &base, &accounts).await?;
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, req), page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(rendered))
}
