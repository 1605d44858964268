//! `GET /api/v1/statuses/:id/reactions/:name/accounts` (Hubbub extension): who
//! gave a reaction.

use super::favourited_by::accounts_page;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::notices::visible_status;
use crate::pagination::PageParams;
use crate::state::ApiState;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::reaction::Reaction;

/// One page of Accounts, newest reaction first, with a `Link` header; 404 if the
/// viewer may not see the post, 422 naming `name` for an unknown reaction.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    path: Path<(String, String)>,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:statuses")?;
    let (id, name) = path.into_inner();
    let page = params.to_request()?;
    let status = visible_status(&state, &id, user.account_id).await?;
    let reaction: Reaction = name.parse()?;
    let rows = state.store.reacted_by(status.id, reaction, page).await?;
    accounts_page(&state, &req, &page, rows).await
}
