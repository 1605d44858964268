//! `POST /oauth/authorize`: the person approves (signing in if needed) or denies.

use crate::credentials::verify_password;
use crate::error::ApiError;
use crate::routes::oauth::authorize_form::{consent_page, secure, session_account};
use crate::routes::oauth::{AuthorizeParams, CODE_MINUTES, CheckError, OOB, check_authorize};
use crate::state::ApiState;
use crate::web_session::{
    CSRF_COOKIE, PageKind, SESSION_DAYS, cookie_value, hash_secret, random_secret, respond,
    same_secret, session_cookie,
};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Form};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::oauth::{NewAuthCode, NewWebSession};
use serde::Deserialize;

/// The form: the authorization request again, the CSRF token, the decision and,
/// when not signed in, the credentials.
#[derive(Debug, Deserialize)]
pub struct AuthorizeForm {
    #[serde(flatten)]
    params: AuthorizeParams,
    authenticity_token: Option<String>,
    decision: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

const WRONG_LOGIN: &str = "Wrong username, email or password.";

/// Checks the CSRF token and the request, then: on "deny", sends the app
/// `error=access_denied`; on "approve", signs in with the password if one was
/// typed (starting a browser session) or uses the session, and sends the app a
/// single-use code (or shows it, for `urn:ietf:wg:oauth:2.0:oob`).
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    Form(form): Form<AuthorizeForm>,
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
    let request = match check_authorize(&state, &form.params).await {
        Ok(request) => request,
        Err(CheckError::Refused(refusal)) => return Ok(refusal.respond()),
        Err(CheckError::Failed(error)) => return Err(error),
    };
    if form.decision.as_deref() == Some("deny") {
        let location = request.redirect(&[
            ("error", "access_denied"),
            (
                "error_description",
                "The resource owner or authorization server denied the request.",
            ),
        ]);
        return Ok(redirect_or_show(
            &request.app.name,
            &request.redirect_uri,
            location,
            None,
        ));
    }
    let now = state.clock.now();
    let mut cookies = Vec::new();
    let typed = form
        .username
        .as_deref()
        .map(str::trim)
        .filter(|login| !login.is_empty());
    let account = match (typed, form.password) {
        (Some(login), Some(password)) if !password.is_empty() => {
            let found = state.store.account_by_login(login).await?;
            let verified = match found {
                Some(account) => verify_password(password, account.password_hash.clone())
                    .await?
                    .then_some(account),
                None => None,
            };
            let Some(account) = verified else {
                return Ok(consent_page(
                    &state,
                    &req,
                    &request,
                    None,
                    Some(WRONG_LOGIN),
                    login,
                    StatusCode::UNAUTHORIZED,
                ));
            };
            if account.disabled {
                return Ok(consent_page(
                    &state,
                    &req,
                    &request,
                    None,
                    Some("This account is suspended."),
                    login,
                    StatusCode::FORBIDDEN,
                ));
            }
            let secret = random_secret();
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
            account
        }
        (typed, _) => {
            let session = if request.force_login {
                None
            } else {
                session_account(&state, &req).await?
            };
            match session {
                Some(account) => account,
                None => {
                    return Ok(consent_page(
                        &state,
                        &req,
                        &request,
                        None,
                        Some("Enter your username or email and your password."),
                        typed.unwrap_or_default(),
                        StatusCode::UNAUTHORIZED,
                    ));
                }
            }
        }
    };
    let code = random_secret();
    state
        .store
        .create_auth_code(NewAuthCode {
            code_hash: hash_secret(&code),
            app_id: request.app.id,
            account_id: account.id,
            redirect_uri: request.redirect_uri.clone(),
            scopes: request.scopes.clone(),
            code_challenge: request.code_challenge.clone(),
            created_at: now,
            expires_at: now + chrono::Duration::minutes(CODE_MINUTES),
        })
        .await?;
    let location = request.redirect(&[("code", &code)]);
    let mut response = redirect_or_show(
        &request.app.name,
        &request.redirect_uri,
        location,
        Some(&code),
    );
    for cookie in cookies {
        response
            .add_cookie(&cookie)
            .map_err(|error| ApiError::internal("cookie", error))?;
    }
    Ok(response)
}

/// A 302 to the app, or for `oob` the code shown on a page (an error has no code:
/// the page says it was denied).
fn redirect_or_show(
    app_name: &str,
    redirect_uri: &str,
    location: String,
    code: Option<&str>,
) -> HttpResponse {
    if redirect_uri != OOB {
        return HttpResponse::Found()
            .insert_header(("Location", location))
            .insert_header(("Cache-Control", "no-store"))
            .finish();
    }
    match code {
        Some(code) => respond(
            StatusCode::OK,
            &PageKind::ShowCode { app_name, code },
            vec![],
        ),
        None => respond(
            StatusCode::OK,
            &PageKind::Error {
                message: "You denied the app access to your account.",
            },
            vec![],
        ),
    }
}
