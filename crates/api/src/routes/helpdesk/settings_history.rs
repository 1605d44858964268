//! `GET /api/v1/helpdesk/settings/history`: every saved settings version, newest
//! first, with who saved it and when (managers and admins). Paged by version
//! number with `max_id`/`min_id` and a `Link` header, as other lists are.

use super::settings_show::settings_json;
use super::{MANAGERS, require_role};
use crate::auth::CurrentUser;
use crate::entities;
use crate::error::ApiError;
use crate::pagination::{PageParams, link_header, request_url};
use crate::render::accounts_by_id;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::helpdesk::SettingsVersion;
use serde_json::{Value, json};

/// Settings versions as JSON, each with the account that saved it (`null` for
/// the defaults or a deleted account), authors loaded in one query.
pub async fn version_entries(
    state: &ApiState,
    base: &str,
    versions: &[SettingsVersion],
) -> Result<Vec<Value>, ApiError> {
    let authors = accounts_by_id(state, versions.iter().filter_map(|v| v.created_by)).await?;
    Ok(versions
        .iter()
        .map(|version| {
            let mut entry = settings_json(version);
            let account = version
                .created_by
                .and_then(|id| authors.get(&id))
                .map(|author| entities::Account::new(author, None, base));
            entry["account"] = json!(account);
            entry
        })
        .collect())
}

/// One page of the history.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    require_role(&state, &user, MANAGERS).await?;
    let page = params.to_request()?;
    let versions = state.store.helpdesk_settings_history(page).await?;
    let base = state.base_url(&req);
    let body = version_entries(&state, &base, &versions).await?;
    let ids: Vec<i64> = versions.iter().map(|v| v.version).collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, &req), &page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(body))
}
