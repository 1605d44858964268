//! `POST /oauth/sign_out`: ends the authorize page's browser session.

use crate::error::ApiError;
use crate::routes::oauth::authorize_form::secure;
use crate::state::ApiState;
use crate::web_session::{
    CSRF_COOKIE, PageKind, SESSION_COOKIE, clear_session_cookie, cookie_value, hash_secret,
    respond, same_secret,
};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Form};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;

/// The form.
#[derive(Debug, Deserialize)]
pub struct SignOutForm {
    authenticity_token: Option<String>,
    return_to: Option<String>,
}

/// Revokes the session and clears its cookie, then goes back to the authorize
/// page it came from (only ever a local `/oauth/authorize` URL).
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    Form(form): Form<SignOutForm>,
) -> Result<HttpResponse, ApiError> {
    let csrf_ok = match (
        cookie_value(&req, CSRF_COOKIE),
        form.authenticity_token.as_deref(),
    ) {
        (Some(cookie), Some(field)) => same_secret(&cookie, field),
        _ => false,
    };
    if !csrf_ok {
        return Ok(respond(
            StatusCode::FORBIDDEN,
            &PageKind::Error {
                message: "This form has expired or did not come from this site. Go back, reload the page and try again.",
            },
            vec![],
        ));
    }
    if let Some(secret) = cookie_value(&req, SESSION_COOKIE) {
        state
            .store
            .revoke_web_session(&hash_secret(&secret), state.clock.now())
            .await?;
    }
    let back = form
        .return_to
        .filter(|url| url.starts_with("/oauth/authorize?") && !url.contains(['\r', '\n']))
        .unwrap_or_else(|| "/oauth/authorize".to_owned());
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", back))
        .insert_header(("Cache-Control", "no-store"))
        .cookie(clear_session_cookie(secure(&state, &req)))
        .finish())
}
