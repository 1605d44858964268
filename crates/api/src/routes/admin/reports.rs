//! `GET /api/v1/admin/reports`: the report queue.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Flag;
use crate::moderation::{Moderator, admin_reports};
use crate::pagination::{PageParams, link_header, request_url};
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;
use hubbub_storage::moderation::ReportFilter;
use serde::Deserialize;

/// Filters, as Mastodon's admin API takes them.
#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    resolved: Option<Flag>,
    account_id: Option<String>,
    target_account_id: Option<String>,
    #[serde(flatten)]
    page: PageParams,
}

fn account(name: &str, raw: Option<&str>) -> Result<Option<AccountId>, ApiError> {
    match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
        None => Ok(None),
        Some(raw) => raw
            .parse()
            .map(Some)
            .map_err(|_| ApiError::BadRequest(format!("{name} must be a number, got '{raw}'"))),
    }
}

/// Open reports by default (`resolved=true` for resolved ones), newest first:
/// all of them for instance admins, those of their communities for community
/// admins; 403 for anyone else.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(query): Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("admin:read:reports")?;
    let moderator = Moderator::of(&state, &user).await?;
    let page = query.page.to_request()?;
    let filter = ReportFilter {
        scope: moderator.scope,
        resolved: Some(query.resolved.is_some_and(|flag| flag.is_set())),
        account_id: account("account_id", query.account_id.as_deref())?,
        target_account_id: account("target_account_id", query.target_account_id.as_deref())?,
    };
    let reports = state.store.reports(filter, page).await?;
    let base = state.base_url(&req);
    let body = admin_reports(&state, &base, &reports).await?;
    let ids: Vec<i64> = reports.iter().map(|report| report.id.0).collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, &req), &page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(body))
}
