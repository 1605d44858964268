//! `POST /api/v1/accounts/:id/follow`: start following someone.

use crate::auth::CurrentUser;
use crate::entities::Relationship;
use crate::error::ApiError;
use crate::notices::notice_json;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;

/// Follows the account (idempotent) and returns the new relationship.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
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
    let json = notice_json(&state, &state.base_url(&req), user.account_id, None, target).await?;
    state
        .store
        .follow_notifying(
            user.account_id,
            target,
            state.clock.now(),
            Some(json.account),
        )
        .await?;
    state.wake_relay();
    let relationship = state.store.relationship(user.account_id, target).await?;
    Ok(HttpResponse::Ok().json(Relationship::new(target, relationship)))
}
