//! `POST /api/v1/accounts`: register, and get a token for the new account.

use crate::auth::{FULL_SCOPES, MaybeToken};
use crate::credentials::{hash_password, issue_token};
use crate::error::{ApiError, FieldError};
use crate::input::{Flag, Input};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use hubbub_core::ids::AccountId;
use hubbub_core::input::{DisplayName, Email, Password, Username};
use hubbub_core::role::Role;
use hubbub_storage::model::NewAccount;
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The request: Mastodon's registration fields plus `display_name`. Anything else
/// is refused, so a typo (`user_name`) is not silently dropped.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    username: Option<String>,
    email: Option<String>,
    password: Option<String>,
    display_name: Option<String>,
    agreement: Option<Flag>,
    // Accepted because Mastodon clients send them; Hubbub has no use for them yet.
    #[serde(rename = "locale")]
    _locale: Option<IgnoredAny>,
    #[serde(rename = "reason")]
    _reason: Option<IgnoredAny>,
    #[serde(rename = "time_zone")]
    _time_zone: Option<IgnoredAny>,
    #[serde(rename = "date_of_birth")]
    _date_of_birth: Option<IgnoredAny>,
    // Mastodon.py asks for detailed errors (Hubbub always gives them) and repeats
    // the app's credentials, which the bearer token already proves.
    #[serde(rename = "return_detailed_error")]
    _return_detailed_error: Option<IgnoredAny>,
    #[serde(rename = "client_id")]
    _client_id: Option<IgnoredAny>,
    #[serde(rename = "client_secret")]
    _client_secret: Option<IgnoredAny>,
}

/// Every field is checked, so one response names every problem.
fn parse(form: &Register) -> Result<(Username, Email, Password, DisplayName), ApiError> {
    let username = Username::parse(form.username.as_deref().unwrap_or_default());
    let email = Email::parse(form.email.as_deref().unwrap_or_default());
    let password = Password::parse(form.password.as_deref().unwrap_or_default());
    let display_name = DisplayName::parse(form.display_name.as_deref().unwrap_or_default());
    let agreed = form.agreement.as_ref().is_some_and(Flag::is_set);
    match (username, email, password, display_name) {
        (Ok(username), Ok(email), Ok(password), Ok(display_name)) if agreed => {
            Ok((username, email, password, display_name))
        }
        (username, email, password, display_name) => {
            let mut errors: Vec<FieldError> = [
                username.err(),
                email.err(),
                password.err(),
                display_name.err(),
            ]
            .into_iter()
            .flatten()
            .map(FieldError::from)
            .collect();
            if !agreed {
                errors.push(FieldError::new(
                    "agreement",
                    "ERR_ACCEPTED",
                    "must be accepted",
                ));
            }
            Err(ApiError::Validation(errors))
        }
    }
}

/// Creates the account; with an app token the new token belongs to that app.
pub async fn handle(
    state: Data<ApiState>,
    MaybeToken(token): MaybeToken,
    Input(form): Input<Register>,
) -> Result<HttpResponse, ApiError> {
    if !state.config.open_registration {
        return Err(ApiError::Forbidden(
            "Registrations are closed on this instance".to_owned(),
        ));
    }
    let (username, email, password, display_name) = parse(&form)?;
    let password_hash = hash_password(password).await?;
    let now = state.clock.now();
    let account = state
        .store
        .create_account(NewAccount {
            id: AccountId(state.ids.next(now)),
            username,
            email,
            display_name,
            password_hash,
            role: Role::Member,
            created_at: now,
        })
        .await?;
    let (app, scope) = match &token {
        Some(token) => (token.app_id, token.claims.scope.clone()),
        None => (None, FULL_SCOPES.to_owned()),
    };
    let token = issue_token(&state, Some(account.id), app, scope).await?;
    Ok(HttpResponse::Ok().json(token))
}
