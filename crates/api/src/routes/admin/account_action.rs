//! `POST /api/v1/admin/accounts/:id/action`: warn or suspend an account
//! (Mastodon's types `none`, `disable` and `suspend`; the last two both suspend).

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Input;
use crate::moderation::{Moderator, forbidden};
use crate::routes::admin::{act, reason, report_id};
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};
use hubbub_core::ids::AccountId;
use hubbub_storage::moderation::{ModerationKind, NewModerationAction};
use serde::Deserialize;

/// The request.
#[derive(Debug, Deserialize)]
pub struct AccountAction {
    #[serde(rename = "type")]
    kind: Option<String>,
    report_id: Option<String>,
    text: Option<String>,
}

/// Warns (`none`) or suspends (`disable`, `suspend`) the account, logging it and
/// resolving the named report. Suspension disables sign-in and revokes every
/// token at once, ending open streams. Instance admins may do both; a community
/// admin may only warn, and only through a report of their community about
/// that account. Returns `{}` as Mastodon does.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<AccountAction>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("admin:write:accounts")?;
    let moderator = Moderator::of(&state, &user).await?;
    let target: AccountId = path_id(&id)?;
    let kind = match form.kind.as_deref().map(str::trim).unwrap_or("none") {
        "none" | "" => ModerationKind::Warn,
        "disable" | "suspend" => ModerationKind::Suspend,
        other => {
            return Err(ApiError::field(
                "type",
                "ERR_INCLUSION",
                format!("'{other}' is not supported: use none, disable or suspend"),
            ));
        }
    };
    let report = report_id(form.report_id.as_deref())?;
    let report = match report {
        Some(report) => Some(moderator.report(&state, report).await?),
        None => None,
    };
    if !moderator.is_instance_admin() && (kind != ModerationKind::Warn || report.is_none()) {
        return Err(forbidden());
    }
    state
        .store
        .account(target)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if report
        .as_ref()
        .is_some_and(|r| r.target_account_id != target)
    {
        return Err(ApiError::field(
            "report_id",
            "ERR_INVALID",
            "is a report about another account",
        ));
    }
    if kind == ModerationKind::Suspend && target == user.account_id {
        return Err(ApiError::Unprocessable(
            "You cannot suspend yourself".to_owned(),
        ));
    }
    let reason = reason(form.text, false).map_err(|e| ApiError::Validation(vec![e]))?;
    act(&state, &moderator, |action_id| NewModerationAction {
        id: action_id,
        actor_id: moderator.account_id,
        kind,
        target_account_id: Some(target),
        target_status_id: None,
        report_id: report.map(|r| r.id),
        reason,
        created_at: state.clock.now(),
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}
