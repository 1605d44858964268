//! `GET /api/v1/directory?offset=&limit=&order=active|new&local=&department=`:
//! Mastodon's profile directory, with Hubbub's `department` filter.

use crate::auth::MaybeToken;
use crate::error::ApiError;
use crate::input::Flag;
use crate::render;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::profile::DirectoryOrder;
use serde::Deserialize;

/// Default page size (Mastodon's).
const DEFAULT_LIMIT: i64 = 40;
/// Largest page (Mastodon's).
const MAX_LIMIT: i64 = 80;

/// The query.
#[derive(Debug, Deserialize)]
pub struct Params {
    offset: Option<String>,
    limit: Option<String>,
    order: Option<String>,
    // Every Hubbub account is local, so `local` changes nothing.
    #[serde(rename = "local")]
    _local: Option<Flag>,
    department: Option<String>,
}

fn number(name: &'static str, raw: Option<&str>) -> Result<Option<i64>, ApiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => value.parse().map(Some).map_err(|_| {
            ApiError::field(
                name,
                "ERR_INVALID",
                format!("must be a number, got '{value}'"),
            )
        }),
    }
}

/// Returns one page of accounts with their counts.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    Query(params): Query<Params>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:accounts")?;
    }
    let order = match params.order.as_deref().map(str::trim) {
        None | Some("") | Some("active") => DirectoryOrder::Active,
        Some("new") => DirectoryOrder::New,
        Some(_) => {
            return Err(ApiError::field(
                "order",
                "ERR_INVALID",
                "must be active or new",
            ));
        }
    };
    let offset = number("offset", params.offset.as_deref())?
        .unwrap_or(0)
        .max(0);
    let limit = number("limit", params.limit.as_deref())?
        .unwrap_or(DEFAULT_LIMIT)
        .clamp(1, MAX_LIMIT);
    let department = params
        .department
        .map(|department| department.trim().to_owned())
        .filter(|department| !department.is_empty());
    let accounts = state
        .store
        .directory(department, order, offset, limit)
        .await?;
    let rendered = render::accounts(&state, &state.base_url(&req), &accounts).await?;
    Ok(HttpResponse::Ok().json(rendered))
}
