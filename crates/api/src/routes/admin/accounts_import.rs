//! `POST /api/v1/admin/accounts/import` (a Hubbub extension): import an org
//! directory, the CSV as the body, exactly as `hubbub admin import-users` does.

use super::accounts::{audit, require_admin};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::read_body;
use crate::state::ApiState;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::admin::parse_directory;
use hubbub_storage::store::admin::ImportError;

/// The field errors name: the CSV body.
const FIELD: &str = "csv";

/// Checks every row (header `name,email,department,title,manager_email`), then
/// creates or updates everyone and links managers in one transaction, logged.
/// All or nothing: a bad row is a 422 naming its line, and nothing is written.
/// The body may be as large as an upload. Returns `{created, updated}`.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "admin:write:accounts").await?;
    let body = read_body(&req, payload, state.config.max_upload_bytes).await?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::field(FIELD, "ERR_INVALID", "is not UTF-8 text"))?;
    let now = state.clock.now();
    let entries = parse_directory(text, &state.ids, now)
        .map_err(|error| ApiError::field(FIELD, "ERR_INVALID", error.to_string()))?;
    let summary = state
        .store
        .import_directory(entries, now, Some(audit(&state, &user)))
        .await
        .map_err(|error| match error {
            ImportError::UnknownManager { .. } => {
                ApiError::field(FIELD, "ERR_INVALID", error.to_string())
            }
            ImportError::Storage(error) => error.into(),
        })?;
    Ok(HttpResponse::Ok().json(summary))
}
