//! `POST /api/v1/admin/accounts/:id/role` (a Hubbub extension: Mastodon sets
//! roles in its web UI): `role` is member, support, manager or admin.

use super::accounts::{AdminAccount, audit, require_admin, target};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::role::Role;
use serde::Deserialize;

/// The new role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRole {
    role: Option<String>,
}

/// Sets the role; returns the account.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<SetRole>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "admin:write:accounts").await?;
    let role: Role = form
        .role
        .as_deref()
        .ok_or_else(|| ApiError::field("role", "ERR_BLANK", "can't be blank"))?
        .parse()?;
    let account = target(&state, &id).await?;
    if account.id == user.account_id && role != Role::Admin {
        return Err(ApiError::field(
            "role",
            "ERR_INVALID",
            "admins cannot demote themselves",
        ));
    }
    state
        .store
        .set_role(account.id, role, Some(audit(&state, &user)))
        .await?;
    let account = target(&state, &id).await?;
    Ok(HttpResponse::Ok().json(AdminAccount::new(&account, &state.base_url(&req))))
}
