//! `POST /api/v1/accounts/:id/follow`: start following someone.

use crate::auth::CurrentUser;
use crate::entities::Relationship;
use crate::error::ApiError;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};
use hubbub_core::ids::AccountId;

/// Follows the account (idempotent) and returns the new relationship.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:follows")?;
    let target: AccountId = path_id(&id)?;
    state
        .store
        .account(target)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if target == user.account_id {
        return Err(ApiError::Unprocessable(
            "You cannot follow yourself".to_owned(),
        ));
    }
    state
        .store
        .follow(user.account_id, target, state.clock.now())
        .await?;
    state.wake_relay();
    let relationship = state.store.relationship(user.account_id, target).await?;
    Ok(HttpResponse::Ok().json(Relationship::new(target, relationship)))
}
