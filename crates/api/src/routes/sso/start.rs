//! `GET /auth/sso/start?return_to=/path`: starts a sign-in at the identity provider.

use super::{LOGIN_TIMEOUT_SECS, STATE_COOKIE, safe_return_to, sso};
use crate::sso::oidc::random_token;
use crate::sso::pages;
use crate::state::ApiState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::sso::SsoLogin;
use serde::Deserialize;

/// The query.
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    return_to: Option<String>,
}

/// Records `state`, `nonce` and the PKCE verifier, puts `state` in a cookie of this
/// browser, and redirects to the provider.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    query: Query<StartQuery>,
) -> HttpResponse {
    let return_to = safe_return_to(query.return_to.as_deref());
    let Some(sso) = sso(&state) else {
        return pages::page(
            StatusCode::NOT_FOUND,
            "Company sign-in is not set up",
            "This Hubbub has no single sign-on configured. Sign in with your username and password.",
            Some(("Back to Hubbub", "/")),
        );
    };
    let login = SsoLogin {
        state: random_token(),
        nonce: random_token(),
        code_verifier: random_token(),
        return_to: return_to.clone(),
        created_at: state.clock.now(),
    };
    let redirect_uri = format!("{}/auth/sso/callback", state.base_url(&req));
    let url = match sso
        .provider
        .authorization_url(
            &sso.config.client_id,
            &sso.config.scopes,
            &redirect_uri,
            &login.state,
            &login.nonce,
            &login.code_verifier,
        )
        .await
    {
        Ok(url) => url,
        Err(error) => return pages::for_error(&error, &super::start_url(&return_to)),
    };
    let cookie = Cookie::build(STATE_COOKIE, login.state.clone())
        .path("/auth/sso")
        .http_only(true)
        .secure(state.base_url(&req).starts_with("https://"))
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::seconds(
            LOGIN_TIMEOUT_SECS,
        ))
        .finish();
    let expired_before = login.created_at - chrono::Duration::seconds(LOGIN_TIMEOUT_SECS);
    if let Err(error) = state.store.create_sso_login(login, expired_before).await {
        return pages::for_error(&error.into(), &super::start_url(&return_to));
    }
    HttpResponse::Found()
        .insert_header(("Location", url))
        .insert_header(("Cache-Control", "no-store"))
        .cookie(cookie)
        .finish()
}
