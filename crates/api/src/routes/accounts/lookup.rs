//! `GET /api/v1/accounts/lookup?acct=`: an account by username.

use crate::auth::MaybeToken;
use crate::entities::Account;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;

/// The query.
#[derive(Debug, Deserialize)]
pub struct Lookup {
    acct: Option<String>,
}

/// The username in an `acct` as clients write it: `ada`, `@ada` or `ada@host`.
fn username_of(acct: &str) -> &str {
    let acct = acct.trim().trim_start_matches('@');
    acct.split('@').next().unwrap_or(acct)
}

/// Returns the account with that username (any letter case), or 404.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    Query(query): Query<Lookup>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:accounts")?;
    }
    let username = username_of(query.acct.as_deref().unwrap_or_default());
    if username.is_empty() {
        return Err(ApiError::not_found());
    }
    // The store's login lookup also matches emails; a lookup must only match names.
    let account = state
        .store
        .account_by_login(username)
        .await?
        .filter(|account| account.username.eq_ignore_ascii_case(username))
        .ok_or_else(ApiError::not_found)?;
    let counts = state.store.account_counts(account.id).await?;
    Ok(HttpResponse::Ok().json(Account::new(&account, Some(counts), &state.base_url(&req))))
}

#[cfg(test)]
mod tests {
    use super::username_of;

    #[test]
    fn acct_forms_reduce_to_the_username() {
        assert_eq!(username_of("@ada@hub.example"), "ada");
        assert_eq!(username_of("ada"), "ada");
        assert_eq!(username_of(" @ada "), "ada");
    }
}
