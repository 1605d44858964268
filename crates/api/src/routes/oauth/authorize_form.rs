//! `GET /oauth/authorize`: the sign-in and consent page a Mastodon app opens.

use crate::error::ApiError;
use crate::routes::oauth::{AuthorizeParams, AuthorizeRequest, CheckError, check_authorize};
use crate::routes::sso::token::redeem;
use crate::routes::sso::{CODE_COOKIE, start_url};
use crate::state::ApiState;
use crate::web_session::{
    CSRF_COOKIE, PageKind, SESSION_COOKIE, SESSION_DAYS, cookie_value, csrf_cookie, hash_secret,
    random_secret, respond, session_cookie,
};
use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::model::Account;
use hubbub_storage::oauth::NewWebSession;

/// Shows "Authorize <app> as @you?" to a signed-in browser (unless the app asks
/// for `force_login`), or the sign-in fields with the same question otherwise
/// (with a "Sign in with your company account" button when SSO is on). Coming back
/// from SSO, the one-time code in the `hubbub_sso_code` cookie is redeemed: the
/// browser is signed in (a session, as after a password) and asked to consent.
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
    let mut cookies = Vec::new();
    let from_sso = match cookie_value(&req, CODE_COOKIE) {
        Some(code) => {
            cookies.push(clear_code_cookie(secure(&state, &req)));
            sso_account(&state, &code).await?
        }
        None => None,
    };
    let signed_in = match from_sso {
        Some(account) => {
            let secret = random_secret();
            let now = state.clock.now();
            state
                .store
                .create_web_session(NewWebSession {
                    id_hash: hash_secret(&secret),
                    account_id: account.id,
                    created_at: now,
                    expires_at: now + chrono::Duration::days(SESSION_DAYS),
                })
                .await?;
            cookies.push(session_cookie(secret, secure(&state, &req)));
            Some(account)
        }
        None if request.force_login => None,
        None => session_account(&state, &req).await?,
    };
    let mut response = consent_page(
        &state,
        &req,
        &request,
        signed_in.as_ref(),
        None,
        "",
        StatusCode::OK,
    );
    for cookie in cookies {
        response
            .add_cookie(&cookie)
            .map_err(|error| ApiError::internal("cookie", error))?;
    }
    Ok(response)
}

/// The enabled account a one-time SSO code names (once), if it is still valid.
async fn sso_account(state: &ApiState, code: &str) -> Result<Option<Account>, ApiError> {
    let Some(id) = redeem(state, code).await? else {
        return Ok(None);
    };
    Ok(state
        .store
        .account(id)
        .await?
        .filter(|account| !account.disabled))
}

/// Removes the one-time code cookie: it works once.
fn clear_code_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build(CODE_COOKIE, "")
        .path("/oauth")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::ZERO)
        .finish()
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
    let sso_url = state.sso.as_ref().map(|_| start_url(&return_to));
    let page = PageKind::Authorize {
        app_name: &request.app.name,
        scopes: &request.scopes,
        signed_in: signed_in.map(|account| account.username.as_str()),
        hidden: &hidden,
        csrf: &csrf,
        return_to: &return_to,
        error,
        username,
        sso_url: sso_url.as_deref(),
        sso_only: state.sso_only(),
    };
    respond(status, &page, cookies)
}
