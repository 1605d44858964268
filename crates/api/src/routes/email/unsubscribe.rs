//! `/email/unsubscribe?token=..&kind=..`: the link in every email.
//!
//! `GET` shows a page with a button (link scanners in mail systems follow links,
//! so a `GET` must not unsubscribe); `POST` unsubscribes: the page's button, and
//! RFC 8058 one-click from the mail client (`List-Unsubscribe-Post`).

use super::preferences::set_wanted;
use crate::sso::pages::page;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use hubbub_core::email::EmailKind;
use hubbub_core::text::escape_html;
use serde::Deserialize;

/// The query.
#[derive(Debug, Deserialize)]
pub struct UnsubscribeQuery {
    token: Option<String>,
    kind: Option<String>,
}

fn what(kind: EmailKind) -> &'static str {
    match kind {
        EmailKind::Reply => "emails about replies to your posts",
        EmailKind::Mention => "emails about mentions",
        EmailKind::AcceptedAnswer => "emails about accepted answers",
        EmailKind::TicketUpdate => "emails about your help-desk tickets",
        EmailKind::Digest => "the weekly digest",
    }
}

fn unknown_link() -> HttpResponse {
    page(
        StatusCode::NOT_FOUND,
        "This unsubscribe link does not work",
        "The link is incomplete or no longer valid. You can change which emails you get in \
         Hubbub's email preferences.",
        Some(("Open Hubbub", "/")),
    )
}

/// The confirmation page.
pub async fn confirm(state: Data<ApiState>, query: Query<UnsubscribeQuery>) -> HttpResponse {
    let (Some(token), Some(kind)) = (query.token.as_deref(), query.kind.as_deref()) else {
        return unknown_link();
    };
    let Ok(kind) = kind.parse::<EmailKind>() else {
        return unknown_link();
    };
    match state.store.email_preferences_by_token(token).await {
        Ok(Some(_)) => {}
        Ok(None) => return unknown_link(),
        Err(error) => {
            tracing::error!(%error, "unsubscribe lookup failed");
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Try the link again in a moment.",
                None,
            );
        }
    }
    let action = format!(
        "/email/unsubscribe?{}",
        serde_urlencoded::to_string([("token", token), ("kind", kind.as_str())])
            .unwrap_or_default()
    );
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Unsubscribe · Hubbub</title></head>\
<body style=\"font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem\"><main>\
<h1>Stop {what}?</h1><form method=\"post\" action=\"{action}\">\
<button type=\"submit\">Stop {what}</button></form></main></body></html>\n",
        what = escape_html(what(kind)),
        action = escape_html(&action),
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// Unsubscribes.
pub async fn apply(state: Data<ApiState>, query: Query<UnsubscribeQuery>) -> HttpResponse {
    let (Some(token), Some(kind)) = (query.token.as_deref(), query.kind.as_deref()) else {
        return unknown_link();
    };
    let Ok(kind) = kind.parse::<EmailKind>() else {
        return unknown_link();
    };
    let result = async {
        let Some(mut prefs) = state.store.email_preferences_by_token(token).await? else {
            return Ok(false);
        };
        set_wanted(&mut prefs, kind, false);
        state
            .store
            .save_email_preferences(prefs, state.clock.now())
            .await?;
        Ok::<_, hubbub_storage::StorageError>(true)
    }
    .await;
    match result {
        Ok(true) => page(
            StatusCode::OK,
            "You are unsubscribed",
            &format!(
                "You will no longer get {}. You can turn it back on in Hubbub's email preferences.",
                what(kind)
            ),
            Some(("Open Hubbub", "/")),
        ),
        Ok(false) => unknown_link(),
        Err(error) => {
            tracing::error!(%error, "unsubscribe failed");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "You are not unsubscribed yet. Try the link again in a moment.",
                None,
            )
        }
    }
}
