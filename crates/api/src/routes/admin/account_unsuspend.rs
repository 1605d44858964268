//! `POST /api/v1/admin/accounts/:id/unsuspend`: lift a suspension.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::moderation::{AdminAccount, Moderator, forbidden};
use crate::routes::admin::act;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;
use hubbub_storage::moderation::{ModerationKind, NewModerationAction};

/// Enables sign-in again (old tokens stay revoked) and logs it; instance admins
/// only. Returns the `Admin::Account`.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("admin:write:accounts")?;
    let moderator = Moderator::of(&state, &user).await?;
    if !moderator.is_instance_admin() {
        return Err(forbidden());
    }
    let target: AccountId = path_id(&id)?;
    state
        .store
        .account(target)
        .await?
        .ok_or_else(ApiError::not_found)?;
    act(&state, &moderator, |action_id| NewModerationAction {
        id: action_id,
        actor_id: moderator.account_id,
        kind: ModerationKind::Unsuspend,
        target_account_id: Some(target),
        target_status_id: None,
        report_id: None,
        reason: String::new(),
        created_at: state.clock.now(),
    })
    .await?;
    let account = state
        .store
        .account(target)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(AdminAccount::new(&account, &state.base_url(&req))))
}
