//! `GET /auth/sso/callback`: the provider sends the browser back here.
//!
//! After checking everything (state cookie, pending sign-in, code exchange, ID
//! token, account enabled), the account is handed over with a **one-time code**
//! (random, 2 minutes, single use, only its hash stored), never with a token:
//!
//! - to the web client, in the URL fragment: `<return_to>#sso_code=<code>`.
//!   Fragments are not sent to servers, so the code stays out of access logs and
//!   `Referer` headers; the web client trades it at `POST /auth/sso/token` and
//!   removes it from the address bar;
//! - to server-rendered pages under `/oauth/` (the authorize page that Mastodon
//!   apps open), in an HttpOnly cookie `hubbub_sso_code` limited to `/oauth`, since
//!   the server cannot read fragments; the page trades it with
//!   `crate::routes::sso::token::redeem`.

use super::{CODE_COOKIE, CODE_TTL_SECS, LOGIN_TIMEOUT_SECS, STATE_COOKIE, sso, start_url};
use crate::sso::oidc::{random_token, sha256_hex};
use crate::sso::{Sso, SsoError, claims, communities, pages};
use crate::state::ApiState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;
use hubbub_storage::sso::SsoLogin;
use serde::Deserialize;

/// The provider's answer (RFC 6749 §4.1.2 and §4.1.2.1).
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Finishes the sign-in, or shows a page saying why it could not.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    query: Query<CallbackQuery>,
) -> HttpResponse {
    let Some(sso) = sso(&state) else {
        return pages::page(
            StatusCode::NOT_FOUND,
            "Company sign-in is not set up",
            "This Hubbub has no single sign-on configured.",
            Some(("Back to Hubbub", "/")),
        );
    };
    // The pending sign-in is taken first, whatever the outcome, so that its state
    // can never be used twice.
    let login = match take_login(&state, &req, query.state.as_deref()).await {
        Ok(login) => login,
        Err(error) => return clear_state(pages::for_error(&error, &start_url("/"))),
    };
    let retry = start_url(&login.return_to);
    let result = match query.error.as_deref() {
        Some("access_denied") => Err(SsoError::ConsentDenied),
        Some(other) => Err(SsoError::ProviderError(other.to_owned())),
        None => sign_in(&state, &req, &sso, &login, query.code.as_deref()).await,
    };
    match result {
        Ok(account) => match hand_over(&state, account, &login.return_to, &req).await {
            Ok(response) => clear_state(response),
            Err(error) => clear_state(pages::for_error(&error, &retry)),
        },
        Err(error) => clear_state(pages::for_error(&error, &retry)),
    }
}

async fn take_login(
    state: &ApiState,
    req: &HttpRequest,
    query_state: Option<&str>,
) -> Result<SsoLogin, SsoError> {
    let query_state = query_state.ok_or(SsoError::SessionExpired)?;
    let cookie_state = req.cookie(STATE_COOKIE).ok_or(SsoError::SessionExpired)?;
    // Login CSRF: the state must be the one this browser started with.
    if cookie_state.value() != query_state {
        return Err(SsoError::SessionExpired);
    }
    let not_before = state.clock.now() - chrono::Duration::seconds(LOGIN_TIMEOUT_SECS);
    state
        .store
        .take_sso_login(query_state, not_before)
        .await?
        .ok_or(SsoError::SessionExpired)
}

async fn sign_in(
    state: &ApiState,
    req: &HttpRequest,
    sso: &Sso,
    login: &SsoLogin,
    code: Option<&str>,
) -> Result<AccountId, SsoError> {
    let code = code.ok_or_else(|| SsoError::ProviderError("no code in the callback".to_owned()))?;
    let redirect_uri = format!("{}/auth/sso/callback", state.base_url(req));
    let id_token = sso
        .provider
        .exchange_code(
            &sso.config.client_id,
            &sso.config.client_secret,
            code,
            &redirect_uri,
            &login.code_verifier,
        )
        .await?;
    let claims = sso
        .provider
        .verify_id_token(
            &id_token,
            &sso.config.client_id,
            &login.nonce,
            state.clock.now(),
            sso.config.clock_skew,
        )
        .await?;
    let profile = claims::profile(&sso.config, &claims)?;
    let groups = profile.groups.clone();
    let now = state.clock.now();
    let signed_in = state
        .store
        .sso_sign_in(profile, AccountId(state.ids.next(now)), now)
        .await?;
    if signed_in.account.disabled {
        return Err(SsoError::AccountDisabled);
    }
    if signed_in.created {
        tracing::info!(account = %signed_in.account.id, username = %signed_in.account.username, "account created at first SSO sign-in");
    }
    communities::join(state, &sso.config, signed_in.account.id, &groups).await?;
    Ok(signed_in.account.id)
}

async fn hand_over(
    state: &ApiState,
    account: AccountId,
    return_to: &str,
    req: &HttpRequest,
) -> Result<HttpResponse, SsoError> {
    let code = random_token();
    let expires_at = state.clock.now() + chrono::Duration::seconds(CODE_TTL_SECS);
    state
        .store
        .create_sso_code(sha256_hex(&code), account, expires_at)
        .await?;
    let mut response = HttpResponse::Found();
    response.insert_header(("Cache-Control", "no-store"));
    if return_to.starts_with("/oauth/") {
        let cookie = Cookie::build(CODE_COOKIE, code)
            .path("/oauth")
            .http_only(true)
            .secure(state.base_url(req).starts_with("https://"))
            .same_site(SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::seconds(CODE_TTL_SECS))
            .finish();
        response.cookie(cookie);
        response.insert_header(("Location", return_to.to_owned()));
    } else {
        let path = return_to.split('#').next().unwrap_or("/");
        response.insert_header(("Location", format!("{path}#sso_code={code}")));
    }
    Ok(response.finish())
}

/// Removes the state cookie: the sign-in it belonged to is over either way.
fn clear_state(mut response: HttpResponse) -> HttpResponse {
    let mut cookie = Cookie::new(STATE_COOKIE, "");
    cookie.set_path("/auth/sso");
    cookie.make_removal();
    if let Err(error) = response.add_cookie(&cookie) {
        tracing::warn!(%error, "could not clear the SSO state cookie");
    }
    response
}
