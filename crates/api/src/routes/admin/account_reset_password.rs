//! `POST /api/v1/admin/accounts/:id/reset_password` (a Hubbub extension): set
//! a new password and sign the person out everywhere.

use super::accounts::{WithPassword, audit, require_admin, target};
use crate::auth::CurrentUser;
use crate::credentials::hash_password;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::input::Password;
use serde::Deserialize;

/// The request: a `password` to set, or none to have one generated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    password: Option<String>,
}

/// Replaces the password, revokes every token and browser session of the
/// account (its open streams end), and logs it. Returns `{account, password}`,
/// the password only if generated.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<ResetPassword>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "admin:write:accounts").await?;
    let account = target(&state, &id).await?;
    let given = form
        .password
        .as_deref()
        .filter(|password| !password.is_empty());
    let (password, generated) = Password::given_or_generated(given, &mut rand::rng())?;
    let shown = generated.then(|| password.expose().to_owned());
    let password_hash = hash_password(password).await?;
    let now = state.clock.now();
    state
        .store
        .set_password_hash(account.id, password_hash, now, Some(audit(&state, &user)))
        .await?;
    state.wake_relay();
    Ok(HttpResponse::Ok().json(WithPassword::new(&account, &state.base_url(&req), shown)))
}
