//! `GET /oauth/authorize`: the sign-in and consent page a Mastodon app opens.

use crate::error::ApiError;
use crate::routes::oauth::{AuthorizeParams, AuthorizeRequest, CheckError, check_authorize};
use crate::state::ApiState;
use crate::web_session::{
    CSRF_COOKIE, PageKind, SESSION_COOKIE, cookie_value, csrf_cookie, hash_secret, random_secret,
    respond,
};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::model::Account;

/// Shows "Authorize <app> as @you?" to a signed-in browser (unless the app asks
/// for `force_login`), or the sign-in fields with the same question otherwise.
/// An unknown app or redirect URI gets an error page; other mistakes go back to
/// the app as `error=...`.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    Query(params): Query<AuthorizeParams>,
) -> Result<HttpResponse, ApiError> {
    let request = match check_authorize(&state, &params).await {
        Ok(request) => request,
        Err(CheckError::Refused(refusal)) => return Ok(refusal.respond()),
        Err(CheckError::Failed(error)) => return Err(error),
    };
    let signed_in = if request.force_login {
        None
    } else {
        session_account(&state, &req).await?
    };
    Ok(consent_page(
        &state,
        &req,
        &request,
        signed_in.as_ref(),
        None,
        "",
        StatusCode::OK,
    ))
}

/// The account of the browser's session cookie, if it is live.
pub(crate) async fn session_account(
    state: &ApiState,
    req: &HttpRequest,
) -> Result<Option<Account>, ApiError> {
    let Some(secret) = cookie_value(req, SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(state
        .store
        .web_session_account(&hash_secret(&secret), state.clock.now())
        .await?)
}

/// Whether cookies must be `Secure` (the instance is served over HTTPS).
pub(crate) fn secure(state: &ApiState, req: &HttpRequest) -> bool {
    state.base_url(req).starts_with("https://")
}

/// The page for `request`, keeping the browser's CSRF token or setting a new one.
pub(crate) fn consent_page(
    state: &ApiState,
    req: &HttpRequest,
    request: &AuthorizeRequest,
    signed_in: Option<&Account>,
    error: Option<&str>,
    username: &str,
    status: StatusCode,
) -> HttpResponse {
    let (csrf, cookies) = match cookie_value(req, CSRF_COOKIE) {
        Some(token) => (token, Vec::new()),
        None => {
            let token = random_secret();
            (token.clone(), vec![csrf_cookie(token, secure(state, req))])
        }
    };
    let hidden = request.hidden_fields();
    let return_to = request.url();
    let page = PageKind::Authorize {
        app_name: &request.app.name,
        scopes: &request.scopes,
        signed_in: signed_in.map(|account| account.username.as_str()),
        hidden: &hidden,
        csrf: &csrf,
        return_to: &return_to,
        error,
        username,
    };
    respond(status, &page, cookies)
}
