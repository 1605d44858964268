//! `GET /api/v1/helpdesk/settings/versions/{n}`: one settings version as it was
//! saved (0 is the built-in defaults), for managers and admins; 404 if none.

use super::settings_history::version_entries;
use super::{MANAGERS, require_role};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// Returns version `n` with the account that saved it.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    path: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    require_role(&state, &user, MANAGERS).await?;
    let number: i64 = crate::routes::path_id(&path.into_inner())?;
    let version = state
        .store
        .helpdesk_settings_version(number)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let base = state.base_url(&req);
    let entry = version_entries(&state, &base, std::slice::from_ref(&version))
        .await?
        .into_iter()
        .next()
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(entry))
}
