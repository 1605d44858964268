//! `GET /api/v1/admin/audit_log`: every moderation action, newest first (a
//! Hubbub extension).

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::moderation::{Moderator, audit_entries};
use crate::pagination::{PageParams, link_header, request_url};
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};

/// One page: who did what, when and why. Instance admins read all of it,
/// community admins the entries about their communities; anyone else gets 403.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("admin:read")?;
    let moderator = Moderator::of(&state, &user).await?;
    let page = params.to_request()?;
    let actions = state.store.moderation_log(moderator.scope, page).await?;
    let base = state.base_url(&req);
    let body = audit_entries(&state, &base, &actions).await?;
    let ids: Vec<i64> = actions.iter().map(|action| action.id.0).collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, &req), &page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(body))
}
