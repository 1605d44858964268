//! `GET /api/v1/accounts/verify_credentials`: the signed-in account, with `source`.

use crate::auth::CurrentUser;
use crate::entities::CredentialAccount;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};

/// Returns the caller's own account.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:accounts")?;
    let account = state
        .store
        .account(user.account_id)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?;
    let counts = state.store.account_counts(account.id).await?;
    Ok(HttpResponse::Ok().json(CredentialAccount::new(
        &account,
        counts,
        &state.base_url(&req),
    )))
}
