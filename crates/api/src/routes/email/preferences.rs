//! `GET` and `PUT /api/v1/hubbub/email_preferences`.
//!
//! ```json
//! { "email": "alice@example.com",
//!   "notifications": { "reply": true, "mention": true, "accepted_answer": true, "ticket_update": true },
//!   "digest": { "enabled": true, "day": "monday", "time": "09:00",
//!               "time_zone": "Europe/Berlin", "next_at": "2026-11-30T08:00:00Z" } }
//! ```
//! `PUT` takes the same shape; every field is optional and what is left out stays.

use super::load_or_start;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use chrono::Duration;
use hubbub_core::email::{DigestSchedule, EmailKind, weekday_name};
use hubbub_storage::email::EmailPreferences;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// A schedule just set to a time that passed less than this long ago still sends
/// this week's digest now, so "in a minute" and "right now" both work.
const GRACE_MINUTES: i64 = 60;

/// The `PUT` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Update {
    notifications: Option<BTreeMap<String, bool>>,
    digest: Option<DigestUpdate>,
}

/// The digest part of the `PUT` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestUpdate {
    enabled: Option<bool>,
    day: Option<String>,
    time: Option<String>,
    time_zone: Option<String>,
    #[serde(rename = "next_at")]
    _next_at: Option<serde::de::IgnoredAny>,
}

fn entity(prefs: &EmailPreferences, email: &str) -> Value {
    let notifications: Map<String, Value> = EmailKind::ALL
        .into_iter()
        .filter(|kind| *kind != EmailKind::Digest)
        .map(|kind| (kind.as_str().to_owned(), Value::Bool(prefs.wants(kind))))
        .collect();
    json!({
        "email": email,
        "notifications": notifications,
        "digest": {
            "enabled": prefs.wants(EmailKind::Digest),
            "day": weekday_name(prefs.digest.weekday),
            "time": prefs.digest.time_text(),
            "time_zone": prefs.digest.time_zone.name(),
            "next_at": prefs.next_digest_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    })
}

async fn email_of(state: &ApiState, user: &CurrentUser) -> Result<String, ApiError> {
    Ok(state
        .store
        .account(user.account_id)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?
        .email)
}

/// The caller's preferences.
pub async fn show(state: Data<ApiState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:accounts")?;
    let prefs = load_or_start(&state, user.account_id).await?;
    Ok(HttpResponse::Ok().json(entity(&prefs, &email_of(&state, &user).await?)))
}

/// Changes the caller's preferences; every problem is named in one answer.
pub async fn update(
    state: Data<ApiState>,
    user: CurrentUser,
    Input(body): Input<Update>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:accounts")?;
    let mut prefs = load_or_start(&state, user.account_id).await?;
    let mut errors = Vec::new();
    for (name, on) in body.notifications.unwrap_or_default() {
        match name.parse::<EmailKind>() {
            Ok(kind) if kind != EmailKind::Digest => set_wanted(&mut prefs, kind, on),
            _ => errors.push(crate::error::FieldError::new(
                format!("notifications.{name}"),
                "ERR_INVALID",
                "is not a kind of email (reply, mention, accepted_answer, ticket_update)",
            )),
        }
    }
    if let Some(digest) = body.digest {
        if let Some(on) = digest.enabled {
            set_wanted(&mut prefs, EmailKind::Digest, on);
        }
        if digest.day.is_some() || digest.time.is_some() || digest.time_zone.is_some() {
            let current = prefs.digest;
            let day = digest
                .day
                .unwrap_or_else(|| weekday_name(current.weekday).to_owned());
            let time = digest.time.unwrap_or_else(|| current.time_text());
            let zone = digest
                .time_zone
                .unwrap_or_else(|| current.time_zone.name().to_owned());
            match DigestSchedule::parse(&day, &time, &zone) {
                Ok(schedule) => {
                    prefs.digest = schedule;
                    let from = state.clock.now() - Duration::minutes(GRACE_MINUTES);
                    prefs.next_digest_at = schedule.next_at_or_after(from);
                }
                Err(error) => errors.push(error.into()),
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    state
        .store
        .save_email_preferences(prefs.clone(), state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(entity(&prefs, &email_of(&state, &user).await?)))
}

/// Turns one kind of email on or off.
pub(crate) fn set_wanted(prefs: &mut EmailPreferences, kind: EmailKind, on: bool) {
    prefs.disabled.retain(|k| *k != kind);
    if !on {
        prefs.disabled.push(kind);
    }
}
