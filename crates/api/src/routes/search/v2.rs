//! `GET /api/v2/search?q=&type=&limit=&offset=&max_id=`: accounts, posts and
//! hashtags. Posts are searched by full text over what the searcher may see.

use crate::auth::MaybeToken;
use crate::entities;
use crate::error::ApiError;
use crate::render;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::page::{DEFAULT_LIMIT, MAX_LIMIT};
use hubbub_core::search::SearchQuery;
use hubbub_storage::store::SearchPage;
use serde::{Deserialize, Serialize};

/// Deepest offset accepted: past it, page with `max_id` instead.
const MAX_OFFSET: i64 = 10_000;

/// The query. `resolve`, `following`, `account_id`, `exclude_unreviewed` are
/// accepted and ignored: every account is local, nothing needs resolving.
#[derive(Debug, Deserialize)]
pub struct Params {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    max_id: Option<String>,
}

/// Mastodon's `Search` result.
#[derive(Debug, Serialize)]
pub struct Results {
    accounts: Vec<entities::Account>,
    statuses: Vec<entities::Status>,
    hashtags: Vec<Tag>,
}

/// Mastodon's `Tag`, as search returns it.
#[derive(Debug, Serialize)]
pub struct Tag {
    name: String,
    url: String,
    history: Vec<serde_json::Value>,
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

/// Returns the matches of each requested type, newest posts first.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    Query(params): Query<Params>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:search")?;
    }
    let query = SearchQuery::parse(params.q.as_deref().unwrap_or_default())?;
    let kind = params
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|kind| !kind.is_empty());
    if let Some(kind) = kind
        && !matches!(kind, "accounts" | "statuses" | "hashtags")
    {
        return Err(ApiError::field(
            "type",
            "ERR_INVALID",
            "must be accounts, statuses or hashtags",
        ));
    }
    let wants = |what: &str| kind.is_none_or(|kind| kind == what);
    let page = SearchPage {
        max_id: number("max_id", params.max_id.as_deref())?,
        offset: number("offset", params.offset.as_deref())?
            .unwrap_or(0)
            .clamp(0, MAX_OFFSET),
        limit: number("limit", params.limit.as_deref())?
            .unwrap_or(DEFAULT_LIMIT)
            .clamp(1, MAX_LIMIT),
    };
    let viewer = token.as_ref().and_then(|token| token.account_id);
    let base = state.base_url(&req);

    let accounts = if wants("accounts") {
        let found = state
            .store
            .search_accounts(query.raw().to_owned(), page.offset, page.limit)
            .await?;
        render::accounts(&state, &base, &found).await?
    } else {
        Vec::new()
    };
    let statuses = if wants("statuses") {
        let found = state
            .store
            .search_statuses(query.clone(), viewer, page)
            .await?;
        render::statuses(&state, &base, &found, viewer).await?
    } else {
        Vec::new()
    };
    let hashtags = if wants("hashtags") {
        state
            .store
            .search_hashtags(query, page)
            .await?
            .into_iter()
            .map(|name| Tag {
                url: format!("{base}/tags/{name}"),
                name,
                history: Vec::new(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(HttpResponse::Ok().json(Results {
        accounts,
        statuses,
        hashtags,
    }))
}
