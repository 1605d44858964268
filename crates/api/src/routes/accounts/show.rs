//! `GET /api/v1/accounts/:id`: a profile.

use crate::auth::MaybeToken;
use crate::entities::Account;
use crate::error::ApiError;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;

/// Returns the account, or 404.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:accounts")?;
    }
    let id: AccountId = path_id(&id)?;
    let account = state
        .store
        .account(id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let counts = state.store.account_counts(id).await?;
    Ok(HttpResponse::Ok().json(Account::new(&account, Some(counts), &state.base_url(&req))))
}
