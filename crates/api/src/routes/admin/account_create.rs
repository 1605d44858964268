//! `POST /api/v1/admin/accounts` (a Hubbub extension: Mastodon admins create
//! accounts in its web UI): create an account with a role; a password is
//! generated and returned once when none is given.

use super::accounts::{WithPassword, audit, require_admin};
use crate::auth::CurrentUser;
use crate::credentials::hash_password;
use crate::error::{ApiError, FieldError};
use crate::input::Input;
use crate::state::ApiState;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::admin::AccountRequest;
use hubbub_core::ids::AccountId;
use serde::Deserialize;

/// The request; `role` defaults to member, `display_name` to empty.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    username: Option<String>,
    email: Option<String>,
    display_name: Option<String>,
    role: Option<String>,
    password: Option<String>,
}

/// Checks every field (one answer names every problem), creates the account
/// and logs it; a taken username or email names the field, and nothing is
/// written. Returns `{account, password}`, the password only if generated.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Input(form): Input<CreateAccount>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "admin:write:accounts").await?;
    let request = AccountRequest::parse(
        form.username.as_deref().unwrap_or_default(),
        form.email.as_deref().unwrap_or_default(),
        form.display_name.as_deref().unwrap_or_default(),
        form.role.as_deref().unwrap_or("member"),
        form.password
            .as_deref()
            .filter(|password| !password.is_empty()),
        &mut rand::rng(),
    )
    .map_err(|errors| ApiError::Validation(errors.into_iter().map(FieldError::from).collect()))?;
    let generated = request
        .generated_password
        .then(|| request.password.expose().to_owned());
    let password_hash = hash_password(request.password.clone()).await?;
    let now = state.clock.now();
    let account = state
        .store
        .admin_create_account(
            request,
            AccountId(state.ids.next(now)),
            password_hash,
            now,
            Some(audit(&state, &user)),
        )
        .await?;
    Ok(HttpResponse::Ok().json(WithPassword::new(
        &account,
        &state.base_url(&req),
        generated,
    )))
}
