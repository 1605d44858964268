//! `POST /api/v1/reports`: report an account and some of its posts.

use crate::auth::CurrentUser;
use crate::error::{ApiError, FieldError};
use crate::input::parse_body;
use crate::moderation::ReportEntity;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::{AccountId, ReportId, StatusId};
use hubbub_storage::moderation::NewReport;
use serde::Deserialize;

/// Longest comment, as Mastodon allows.
const COMMENT_MAX: usize = 1000;

/// The request (Mastodon's fields; `forward` and `rule_ids` are accepted and
/// ignored: there is no other server and no rule list).
#[derive(Debug, Default, Deserialize)]
pub struct CreateReport {
    account_id: Option<String>,
    status_ids: Option<StatusIds>,
    comment: Option<String>,
    category: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum StatusIds {
    One(String),
    Many(Vec<String>),
}

/// Reads the body: JSON, or a form where Mastodon clients repeat `status_ids[]`
/// (a shape the plain form decoder cannot collect).
fn read(req: &HttpRequest, body: &[u8]) -> Result<CreateReport, ApiError> {
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return parse_body(Some(content_type).filter(|t| !t.is_empty()), body);
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|error| ApiError::Unprocessable(error.to_string()))?;
    let mut form = CreateReport::default();
    let mut ids = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "account_id" => form.account_id = Some(value),
            "status_ids[]" | "status_ids" => ids.push(value),
            "comment" => form.comment = Some(value),
            "category" => form.category = Some(value),
            _ => {}
        }
    }
    form.status_ids = Some(StatusIds::Many(ids));
    Ok(form)
}

/// Files the report. The account must exist (404) and every post must be a
/// post of that account the reporter may see (404); nothing is stored otherwise.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:reports")?;
    let form = read(&req, &body)?;
    let raw_account = form.account_id.unwrap_or_default();
    if raw_account.trim().is_empty() {
        return Err(ApiError::field("account_id", "ERR_BLANK", "can't be blank"));
    }
    let target: AccountId = path_id(raw_account.trim())?;
    let mut errors = Vec::new();
    let category = form.category.as_deref().map(str::trim).unwrap_or("other");
    let category = if category.is_empty() {
        "other"
    } else {
        category
    };
    if !matches!(category, "spam" | "legal" | "violation" | "other") {
        errors.push(FieldError::new(
            "category",
            "ERR_INCLUSION",
            "must be one of spam, legal, violation, other",
        ));
    }
    let comment = form.comment.unwrap_or_default().trim().to_owned();
    if comment.chars().count() > COMMENT_MAX {
        errors.push(FieldError::new(
            "comment",
            "ERR_TOO_LONG",
            format!("must be at most {COMMENT_MAX} characters"),
        ));
    }
    let raw_ids = match form.status_ids {
        None => Vec::new(),
        Some(StatusIds::One(id)) => vec![id],
        Some(StatusIds::Many(ids)) => ids,
    };
    let mut status_ids = Vec::new();
    for raw in raw_ids
        .iter()
        .map(|id| id.trim())
        .filter(|id| !id.is_empty())
    {
        let id: StatusId = path_id(raw)?;
        status_ids.push(id);
    }
    if target == user.account_id {
        errors.push(FieldError::new(
            "account_id",
            "ERR_INVALID",
            "cannot be your own account",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = state.clock.now();
    let report = state
        .store
        .create_report(NewReport {
            id: ReportId(state.ids.next(now)),
            account_id: user.account_id,
            target_account_id: target,
            status_ids,
            category: category.to_owned(),
            comment,
            created_at: now,
        })
        .await?;
    let target = state
        .store
        .account(target)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(ReportEntity::new(&report, &target, &state.base_url(&req))))
}
