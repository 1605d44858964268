//! `GET /api/v1/admin/reports/:id`: one report.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::moderation::{Moderator, admin_reports};
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// The report, or 404 if it does not exist or is outside the moderator's reach.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("admin:read:reports")?;
    let moderator = Moderator::of(&state, &user).await?;
    let report = moderator.report(&state, path_id(&id)?).await?;
    let mut body = admin_reports(&state, &state.base_url(&req), &[report]).await?;
    Ok(HttpResponse::Ok().json(body.pop()))
}
