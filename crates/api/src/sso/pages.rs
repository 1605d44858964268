//! The pages a person sees when single sign-on cannot finish: what happened and
//! what to do, with a link they choose to follow (never an automatic redirect, so
//! never a loop), and no internals.

use super::SsoError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use hubbub_core::text::escape_html;

/// A complete HTML page: a heading, a message and optionally one link.
pub fn page(
    status: StatusCode,
    title: &str,
    message: &str,
    link: Option<(&str, &str)>,
) -> HttpResponse {
    let link = link.map_or_else(String::new, |(label, href)| {
        format!(
            "<p><a class=\"button\" href=\"{}\">{}</a></p>",
            escape_html(href),
            escape_html(label)
        )
    });
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · Hubbub</title>\
<style>body{{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1f}}\
.button{{display:inline-block;padding:.5rem 1rem;border-radius:.4rem;background:#2b59c3;color:#fff;text-decoration:none}}\
.button:focus{{outline:3px solid #f4b400}}</style></head>\
<body><main><h1>{title}</h1><p>{message}</p>{link}</main></body></html>\n",
        title = escape_html(title),
        message = escape_html(message),
    );
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// The page for a sign-in that failed; `retry` starts a new one.
pub fn for_error(error: &SsoError, retry: &str) -> HttpResponse {
    let again = Some(("Try again", retry));
    match error {
        SsoError::ProviderUnavailable(cause) => {
            tracing::warn!(%cause, "identity provider unavailable");
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Company sign-in is not answering",
                "Hubbub could not reach your company's sign-in service. It may be down or \
                 restarting. Wait a few minutes and try again; if it keeps happening, tell IT.",
                again,
            )
        }
        SsoError::ConsentDenied => page(
            StatusCode::FORBIDDEN,
            "Sign-in was not allowed",
            "You (or your company's sign-in service) declined to let Hubbub use your company \
             account, so you are not signed in. To use Hubbub, try again and allow access.",
            again,
        ),
        SsoError::ProviderError(cause) => {
            tracing::warn!(%cause, "identity provider refused the sign-in");
            page(
                StatusCode::BAD_GATEWAY,
                "Company sign-in refused the request",
                "Your company's sign-in service did not accept Hubbub's sign-in request. Try \
                 again; if it keeps happening, tell IT that Hubbub's single sign-on settings \
                 need checking.",
                again,
            )
        }
        SsoError::ClockSkew(seconds) => {
            tracing::warn!(seconds, "ID token issued in the future: clocks differ");
            page(
                StatusCode::BAD_GATEWAY,
                "The clocks do not agree",
                "Your sign-in was issued at a time that is still in the future for Hubbub, \
                 so the clocks of Hubbub's server and of your company's sign-in service differ \
                 by more than is allowed. Tell IT: the server clocks need to be synchronised \
                 (NTP). Trying again will not help until then.",
                again,
            )
        }
        SsoError::Expired(seconds) => {
            tracing::warn!(seconds, "ID token already expired");
            page(
                StatusCode::BAD_GATEWAY,
                "Your sign-in expired on the way",
                "The sign-in your company's service issued had already expired when it reached \
                 Hubbub. Try again; if it keeps happening, the server clocks may differ: tell IT.",
                again,
            )
        }
        SsoError::InvalidToken(cause) => {
            tracing::warn!(%cause, "ID token refused");
            page(
                StatusCode::BAD_REQUEST,
                "Sign-in could not be verified",
                "Hubbub could not verify the sign-in it received, so it did not sign you in. \
                 Try again; if it keeps happening, tell IT.",
                again,
            )
        }
        SsoError::SessionExpired => page(
            StatusCode::BAD_REQUEST,
            "This sign-in has expired",
            "This sign-in was started too long ago, was already used, or was started in \
             another browser. Start again from here.",
            again,
        ),
        SsoError::MissingClaim(claim) => {
            tracing::warn!(%claim, "ID token lacks a required claim");
            page(
                StatusCode::BAD_GATEWAY,
                "Your company account is missing details",
                "Your company's sign-in service did not tell Hubbub your email address (or \
                 your id), which Hubbub needs to set up your account. Tell IT.",
                None,
            )
        }
        SsoError::AccountDisabled => page(
            StatusCode::FORBIDDEN,
            "Your Hubbub account is disabled",
            "You signed in with your company account, but your Hubbub account has been \
             disabled by an administrator. Ask your Hubbub administrator or IT to enable it.",
            None,
        ),
        SsoError::Internal(cause) => {
            tracing::error!(%cause, "SSO sign-in failed");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Hubbub could not finish signing you in because of a problem on its side. Try \
                 again in a moment.",
                again,
            )
        }
    }
}
