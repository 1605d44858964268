//! `GET /api/v1/accounts/:id/followers`: who follows an account.

use crate::auth::MaybeToken;
use crate::error::ApiError;
use crate::pagination::PageParams;
use crate::render;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;

/// Returns one keyset page of accounts (by account id, highest first) with a
/// `Link` header; 404 for an unknown account.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    id: Path<String>,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:accounts")?;
    }
    let id: AccountId = path_id(&id)?;
    let page = params.to_request()?;
    state
        .store
        .account(id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let accounts = state.store.followers(id, page).await?;
    render::account_page(&state, &req, &page, &accounts).await
}
