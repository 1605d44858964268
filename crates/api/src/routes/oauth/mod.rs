//! OAuth 2 endpoints, answering as Doorkeeper (Mastodon's OAuth server) does.

pub mod authorize;
pub mod authorize_form;
pub mod revoke;
pub mod sign_out;
pub mod token;

use crate::error::ApiError;
use crate::state::ApiState;
use crate::web_session::same_secret;
use actix_web::http::StatusCode;
use hubbub_storage::model::App;

/// Doorkeeper's answer when the client cannot be authenticated.
pub(crate) fn invalid_client() -> ApiError {
    ApiError::OAuth {
        status: StatusCode::UNAUTHORIZED,
        error: "invalid_client",
        description: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.".to_owned(),
    }
}

/// Authenticates the client from `client_id` and `client_secret`: `Ok(None)` when
/// neither was sent, 401 `invalid_client` when they do not match an app.
pub(crate) async fn authenticate_client(
    state: &ApiState,
    client_id: Option<&str>,
    client_secret: Option<&str>,
) -> Result<Option<App>, ApiError> {
    let client_id = client_id.map(str::trim).filter(|id| !id.is_empty());
    let client_secret = client_secret
        .map(str::trim)
        .filter(|secret| !secret.is_empty());
    let Some(client_id) = client_id else {
        return match client_secret {
            Some(_) => Err(invalid_client()),
            None => Ok(None),
        };
    };
    let app = state
        .store
        .app_by_client_id(client_id)
        .await?
        .ok_or_else(invalid_client)?;
    match client_secret {
        Some(secret) if same_secret(secret, &app.client_secret) => Ok(Some(app)),
        _ => Err(invalid_client()),
    }
}

/// The redirect URI that asks for the code to be shown instead of sent.
pub(crate) const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// How long an authorization code is accepted (Doorkeeper's default).
pub(crate) const CODE_MINUTES: i64 = 10;

/// The parameters of an authorization request, as the query of `GET` and the
/// hidden fields of `POST /oauth/authorize`.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct AuthorizeParams {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    force_login: Option<String>,
}

/// A checked authorization request.
#[derive(Debug)]
pub(crate) struct AuthorizeRequest {
    /// The app asking.
    pub(crate) app: App,
    /// Where the answer goes (one of the app's URIs, or [`OOB`]).
    pub(crate) redirect_uri: String,
    /// Scopes granted on approval.
    pub(crate) scopes: String,
    /// Passed back untouched.
    pub(crate) state: Option<String>,
    /// PKCE S256 challenge.
    pub(crate) code_challenge: Option<String>,
    /// Ask for the password even when signed in.
    pub(crate) force_login: bool,
}

impl AuthorizeRequest {
    /// The hidden fields that carry the request through the form.
    pub(crate) fn hidden_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("response_type", "code".to_owned()),
            ("client_id", self.app.client_id.clone()),
            ("redirect_uri", self.redirect_uri.clone()),
            ("scope", self.scopes.clone()),
        ];
        if let Some(state) = &self.state {
            fields.push(("state", state.clone()));
        }
        if let Some(challenge) = &self.code_challenge {
            fields.push(("code_challenge", challenge.clone()));
            fields.push(("code_challenge_method", "S256".to_owned()));
        }
        fields
    }

    /// The authorize URL of this request (path and query), to return to.
    pub(crate) fn url(&self) -> String {
        let mut fields = self.hidden_fields();
        if self.force_login {
            fields.push(("force_login", "true".to_owned()));
        }
        format!(
            "/oauth/authorize?{}",
            serde_urlencoded::to_string(&fields).unwrap_or_default()
        )
    }

    /// Where to send the browser with `params` (the code, or an error), `state` added.
    pub(crate) fn redirect(&self, params: &[(&str, &str)]) -> String {
        redirect_to(&self.redirect_uri, params, self.state.as_deref())
    }
}

fn redirect_to(uri: &str, params: &[(&str, &str)], state: Option<&str>) -> String {
    let mut all: Vec<(&str, &str)> = params.to_vec();
    if let Some(state) = state {
        all.push(("state", state));
    }
    let query = serde_urlencoded::to_string(&all).unwrap_or_default();
    let joiner = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{joiner}{query}")
}

/// Why an authorization request cannot go on.
#[derive(Debug)]
pub(crate) enum AuthorizeRefusal {
    /// The app or its redirect URI is wrong: never redirect (RFC 6749 4.1.2.1),
    /// show the message on a page.
    Page(String),
    /// Anything else: tell the app through its redirect URI.
    Redirect {
        /// Where (the already checked redirect URI, with `error` and `state`).
        location: String,
        /// For an `oob` app, there is nowhere to send it: shown instead.
        description: String,
    },
}

impl AuthorizeRefusal {
    /// The response: an error page (400) or a redirect carrying the error.
    pub(crate) fn respond(self) -> actix_web::HttpResponse {
        use crate::web_session::{PageKind, respond};
        match self {
            Self::Page(message) => respond(
                StatusCode::BAD_REQUEST,
                &PageKind::Error { message: &message },
                vec![],
            ),
            Self::Redirect {
                location,
                description,
            } => {
                if location.starts_with(OOB) {
                    respond(
                        StatusCode::BAD_REQUEST,
                        &PageKind::Error {
                            message: &description,
                        },
                        vec![],
                    )
                } else {
                    actix_web::HttpResponse::Found()
                        .insert_header(("Location", location))
                        .insert_header(("Cache-Control", "no-store"))
                        .finish()
                }
            }
        }
    }
}

/// Checks an authorization request as Doorkeeper does: first the app and its
/// redirect URI (refused on a page), then the rest (refused by redirect).
pub(crate) async fn check_authorize(
    state: &ApiState,
    params: &AuthorizeParams,
) -> Result<AuthorizeRequest, CheckError> {
    let client_id = params
        .client_id
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    let app = match client_id {
        "" => None,
        id => state.store.app_by_client_id(id).await?,
    };
    let Some(app) = app else {
        return Err(AuthorizeRefusal::Page(
            "The app is unknown to this Hubbub (client_id).".to_owned(),
        )
        .into());
    };
    let redirect_uri = params
        .redirect_uri
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    let registered = app
        .redirect_uris
        .lines()
        .any(|uri| uri.trim() == redirect_uri);
    if redirect_uri.is_empty() || !registered {
        return Err(AuthorizeRefusal::Page(
            "The app sent a redirect_uri it did not register.".to_owned(),
        )
        .into());
    }
    let redirect_uri = redirect_uri.to_owned();
    let request_state = params.state.clone().filter(|value| !value.is_empty());
    let refuse = |error: &str, description: &str| -> CheckError {
        AuthorizeRefusal::Redirect {
            location: redirect_to(
                &redirect_uri,
                &[("error", error), ("error_description", description)],
                request_state.as_deref(),
            ),
            description: description.to_owned(),
        }
        .into()
    };
    if params.response_type.as_deref().map(str::trim) != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "The authorization server does not support this response type (use response_type=code).",
        ));
    }
    // Mastodon's default when no scope is asked for is `read`.
    let asked = params
        .scope
        .as_deref()
        .map(str::trim)
        .filter(|raw| !raw.is_empty())
        .unwrap_or("read");
    let scopes = crate::auth::narrow_scopes(Some(asked), &app.scopes).map_err(|_| {
        refuse(
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed.",
        )
    })?;
    let code_challenge = match params
        .code_challenge
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
    {
        None => None,
        Some(challenge) => {
            if params.code_challenge_method.as_deref().map(str::trim) != Some("S256") {
                return Err(refuse(
                    "invalid_request",
                    "code_challenge_method must be S256, the only PKCE method supported.",
                ));
            }
            let well_formed = challenge.len() == 43
                && challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !well_formed {
                return Err(refuse(
                    "invalid_request",
                    "code_challenge must be the unpadded base64url SHA-256 of the verifier.",
                ));
            }
            Some(challenge.to_owned())
        }
    };
    let force_login = matches!(
        params.force_login.as_deref().map(str::trim),
        Some("true" | "1" | "yes")
    );
    Ok(AuthorizeRequest {
        app,
        redirect_uri,
        scopes,
        state: request_state,
        code_challenge,
        force_login,
    })
}

/// A refusal, or a failure of ours (500).
#[derive(Debug)]
pub(crate) enum CheckError {
    /// Refused: an error page or a redirect.
    Refused(AuthorizeRefusal),
    /// Our failure.
    Failed(ApiError),
}

impl From<AuthorizeRefusal> for CheckError {
    fn from(refusal: AuthorizeRefusal) -> Self {
        Self::Refused(refusal)
    }
}

impl From<hubbub_storage::StorageError> for CheckError {
    fn from(error: hubbub_storage::StorageError) -> Self {
        Self::Failed(error.into())
    }
}
