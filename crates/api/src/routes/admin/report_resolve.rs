//! `POST /api/v1/admin/reports/:id/resolve`.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::moderation::{Moderator, admin_reports};
use crate::routes::admin::act;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::moderation::{ModerationKind, NewModerationAction};

/// Marks the report resolved (logged), and returns it; 404 outside the moderator's reach.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("admin:write:reports")?;
    let moderator = Moderator::of(&state, &user).await?;
    let report = moderator.report(&state, path_id(&id)?).await?;
    act(&state, &moderator, |id| NewModerationAction {
        id,
        actor_id: moderator.account_id,
        kind: ModerationKind::ResolveReport,
        target_account_id: Some(report.target_account_id),
        target_status_id: None,
        report_id: Some(report.id),
        reason: String::new(),
        created_at: state.clock.now(),
    })
    .await?;
    let report = moderator.report(&state, report.id).await?;
    let mut body = admin_reports(&state, &state.base_url(&req), &[report]).await?;
    Ok(HttpResponse::Ok().json(body.pop()))
}
