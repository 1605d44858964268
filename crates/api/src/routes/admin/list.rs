//! `GET /api/v1/admin/accounts`: every account, newest first (`max_id`, `limit`).

use super::accounts::{AdminAccount, require_admin};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;
use serde::Deserialize;

/// Paging parameters.
#[derive(Debug, Deserialize)]
pub struct Params {
    max_id: Option<String>,
    limit: Option<i64>,
}

/// Lists accounts.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    params: Query<Params>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "admin:read:accounts").await?;
    let before = match params.max_id.as_deref() {
        Some(raw) => Some(
            raw.parse::<AccountId>()
                .map_err(|_| ApiError::field("max_id", "ERR_INVALID", "is not an id"))?,
        ),
        None => None,
    };
    let limit = params.limit.unwrap_or(100).clamp(1, 200);
    let accounts = state.store.accounts_page(before, limit).await?;
    let base = state.base_url(&req);
    let body: Vec<AdminAccount> = accounts
        .iter()
        .map(|account| AdminAccount::new(account, &base))
        .collect();
    Ok(HttpResponse::Ok().json(body))
}
