//! `POST /api/v1/admin/statuses/:id/remove`: remove a post with a reason (a
//! Hubbub extension; Mastodon removes posts through its web admin).

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Input;
use crate::moderation::{Moderator, forbidden};
use crate::render;
use crate::routes::admin::{act, reason, report_id};
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::StatusId;
use hubbub_storage::moderation::{ModerationKind, NewModerationAction};
use serde::Deserialize;

/// The request.
#[derive(Debug, Deserialize)]
pub struct RemoveStatus {
    reason: Option<String>,
    report_id: Option<String>,
}

/// Soft-deletes the post through the one delete path (a `status.delete` reaches
/// the streams), logs it, leaves the author a notice with the reason, and
/// resolves the report if one is named. Instance admins may remove any post,
/// community admins those in their communities (403 otherwise); a post that
/// does not exist or is already removed is 404.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<RemoveStatus>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("admin:write:statuses")?;
    let moderator = Moderator::of(&state, &user).await?;
    let id: StatusId = path_id(&id)?;
    let status = state
        .store
        .statuses_for_moderation(&[id])
        .await?
        .pop()
        .filter(|status| status.deleted_at.is_none())
        .ok_or_else(ApiError::not_found)?;
    if !moderator.covers(&state, status.community_id).await? {
        // A community admin learns nothing of posts they cannot see.
        return Err(match state.store.status(id, Some(user.account_id)).await? {
            Some(_) => forbidden(),
            None => ApiError::not_found(),
        });
    }
    let reason = reason(form.reason, true).map_err(|e| ApiError::Validation(vec![e]))?;
    let report = report_id(form.report_id.as_deref())?;
    if let Some(report) = report {
        moderator.report(&state, report).await?;
    }
    let entity = render::status(&state, &state.base_url(&req), &status, None).await?;
    act(&state, &moderator, |action_id| NewModerationAction {
        id: action_id,
        actor_id: moderator.account_id,
        kind: ModerationKind::RemoveStatus,
        target_account_id: Some(status.account_id),
        target_status_id: Some(id),
        report_id: report,
        reason,
        created_at: state.clock.now(),
    })
    .await?;
    Ok(HttpResponse::Ok().json(entity))
}
