//! Hubbub's HTTP API: Mastodon's client API on actix-web.
//!
//! - [`state`]: [`ApiConfig`] and [`ApiState`], shared by every handler.
//! - [`routes`]: one handler per file; `routes/mod.rs` is the index.
//! - [`auth`]: bearer-token extractors and OAuth scopes.
//! - [`input`]: [`input::Input`], a body read as JSON or form data by `Content-Type`.
//! - [`entities`]: Mastodon's JSON shapes (Account, Status, Relationship, Token, ...).
//! - [`social_entities`]: Tag, Community, CommunityMember, Announcement, Status links.
//! - [`render`]: stored posts to Status entities, one author query per page.
//! - [`pagination`]: `limit`/`max_id`/`since_id`/`min_id` and the `Link` header.
//! - [`media`]: the [`media::MediaStore`] for uploaded files, and image checks.
//! - [`notices`]: the post acted on, notification entities for their recipient.
//! - [`multipart`]: bodies with files (`multipart/form-data`), with size limits.
//! - [`credentials`]: argon2id passwords and access-token issuing.
//! - [`sso`]: single sign-on with an OpenID Connect provider (routes in `routes::sso`).
//! - [`error`]: [`ApiError`], the one place errors become HTTP responses.
//! - [`moderation`]: who may moderate what; report and audit entities.
//! - [`rate_limit`]: per-user and per-IP limits with `X-RateLimit-*` headers.
//! - [`web_session`]: the authorize page's HTML, its sign-in cookie and CSRF token.

pub mod auth;
pub mod credentials;
pub mod entities;
pub mod error;
pub mod input;
pub mod media;
pub mod moderation;
pub mod multipart;
pub mod notices;
pub mod pagination;
pub mod rate_limit;
pub mod render;
pub mod routes;
pub mod social_entities;
pub mod sso;
pub mod state;
pub mod web_session;

pub use error::ApiError;
pub use state::{ApiConfig, ApiState};

use actix_web::web;

/// Registers the state, the extractor configs (so that even actix's own
/// extractors answer in the API's error shape) and every route.
///
/// No default service is added: unknown paths under `/api` get a JSON 404 from
/// the API's own scope, and everything else falls to the server's web client.
pub fn configure(cfg: &mut web::ServiceConfig, state: ApiState) {
    let limit = state.config.max_body_bytes;
    cfg.app_data(web::Data::new(state))
        .app_data(
            web::JsonConfig::default()
                .limit(limit)
                .error_handler(|error, _| json_error(error).into()),
        )
        .app_data(
            web::FormConfig::default()
                .limit(limit)
                .error_handler(|error, _| form_error(error).into()),
        )
        .app_data(web::QueryConfig::default().error_handler(|error, _| {
            ApiError::BadRequest(format!("invalid query string: {error}")).into()
        }))
        .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::not_found().into()));
    routes::register(cfg);
}

fn json_error(error: actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as E;
    match error {
        E::OverflowKnownLength { limit, .. } | E::Overflow { limit } => {
            ApiError::PayloadTooLarge { limit }
        }
        E::ContentType => ApiError::UnsupportedMediaType("send application/json".to_owned()),
        E::Deserialize(error) if error.is_data() => ApiError::Unprocessable(error.to_string()),
        other => ApiError::BadRequest(format!("malformed JSON: {other}")),
    }
}

fn form_error(error: actix_web::error::UrlencodedError) -> ApiError {
    use actix_web::error::UrlencodedError as E;
    match error {
        E::Overflow { limit, .. } => ApiError::PayloadTooLarge { limit },
        E::ContentType => {
            ApiError::UnsupportedMediaType("send application/x-www-form-urlencoded".to_owned())
        }
        E::Parse(error) => ApiError::Unprocessable(error.to_string()),
        other => ApiError::BadRequest(format!("malformed form data: {other}")),
    }
}
