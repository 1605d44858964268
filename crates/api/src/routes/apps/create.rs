//! `POST /api/v1/apps`: register a client application.

use crate::auth::parse_scopes;
use crate::entities::Application;
use crate::error::{ApiError, FieldError};
use crate::input::Input;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use hubbub_core::ids::AppId;
use hubbub_storage::model::NewApp;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde::Deserialize;

/// Longest application name accepted.
const NAME_MAX: usize = 60;

/// The request. Mastodon clients send `redirect_uris` as a string or, since 4.3,
/// as a list.
#[derive(Debug, Deserialize)]
pub struct CreateApp {
    client_name: Option<String>,
    redirect_uris: Option<RedirectUris>,
    scopes: Option<String>,
    website: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RedirectUris {
    One(String),
    Many(Vec<String>),
}

fn secret() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(43)
        .map(char::from)
        .collect()
}

/// Registers the app and returns it with its client id and secret.
pub async fn handle(
    state: Data<ApiState>,
    Input(form): Input<CreateApp>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let name = form.client_name.unwrap_or_default().trim().to_owned();
    if name.is_empty() {
        errors.push(FieldError::new(
            "client_name",
            "ERR_BLANK",
            "can't be blank",
        ));
    } else if name.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            "client_name",
            "ERR_TOO_LONG",
            format!("must be at most {NAME_MAX} characters"),
        ));
    }
    let redirect_uris: Vec<String> = match form.redirect_uris {
        Some(RedirectUris::One(text)) => text.split_whitespace().map(str::to_owned).collect(),
        Some(RedirectUris::Many(list)) => list
            .into_iter()
            .map(|uri| uri.trim().to_owned())
            .filter(|uri| !uri.is_empty())
            .collect(),
        None => Vec::new(),
    };
    if redirect_uris.is_empty() {
        errors.push(FieldError::new(
            "redirect_uris",
            "ERR_BLANK",
            "can't be blank",
        ));
    } else if let Some(bad) = redirect_uris.iter().find(|uri| !uri.contains(':')) {
        errors.push(FieldError::new(
            "redirect_uris",
            "ERR_INVALID",
            format!("'{bad}' is not an absolute URI"),
        ));
    }
    let scopes = match parse_scopes(form.scopes.as_deref().unwrap_or("read"), "scopes") {
        Ok(scopes) if scopes.is_empty() => vec!["read".to_owned()],
        Ok(scopes) => scopes,
        Err(ApiError::Validation(mut fields)) => {
            errors.append(&mut fields);
            Vec::new()
        }
        Err(other) => return Err(other),
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = state.clock.now();
    let app = state
        .store
        .create_app(NewApp {
            id: AppId(state.ids.next(now)),
            name,
            client_id: secret(),
            client_secret: secret(),
            redirect_uris: redirect_uris.join("\n"),
            scopes: scopes.join(" "),
            website: form
                .website
                .map(|site| site.trim().to_owned())
                .filter(|site| !site.is_empty()),
            created_at: now,
        })
        .await?;
    Ok(HttpResponse::Ok().json(Application::new(&app)))
}
