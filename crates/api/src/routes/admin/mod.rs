//! The admin API: moderation for instance admins and community admins (see
//! [`crate::moderation`]), and accounts for instance admins: list, show,
//! create, role, reset a password, import an org directory, export one person
//! or the whole network (disabling is suspension, `account_action`). The
//! command line (`hubbub admin`) calls the same domain and store functions.

pub mod account_action;
pub mod account_create;
pub mod account_export;
pub mod account_reset_password;
pub mod account_unsuspend;
pub mod accounts;
pub mod accounts_import;
pub mod audit_log;
pub mod export;
pub mod list;
pub mod report_reopen;
pub mod report_resolve;
pub mod report_show;
pub mod reports;
pub mod role;
pub mod show;
pub mod status_remove;

use crate::error::{ApiError, FieldError};
use crate::moderation::Moderator;
use crate::state::ApiState;
use hubbub_core::ids::{ModerationActionId, ReportId};
use hubbub_storage::moderation::{ModerationAction, NewModerationAction};

/// Longest moderation reason.
const REASON_MAX: usize = 2000;

/// A trimmed reason of at most [`REASON_MAX`] characters; `required` refuses blank.
pub(crate) fn reason(raw: Option<String>, required: bool) -> Result<String, FieldError> {
    let reason = raw.unwrap_or_default().trim().to_owned();
    if required && reason.is_empty() {
        return Err(FieldError::new("reason", "ERR_BLANK", "can't be blank"));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(FieldError::new(
            "reason",
            "ERR_TOO_LONG",
            format!("must be at most {REASON_MAX} characters"),
        ));
    }
    Ok(reason)
}

/// Parses an optional `report_id` field; a malformed one names the field.
pub(crate) fn report_id(raw: Option<&str>) -> Result<Option<ReportId>, ApiError> {
    match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
        None => Ok(None),
        Some(raw) => raw
            .parse()
            .map(Some)
            .map_err(|_| ApiError::field("report_id", "ERR_INVALID", "is not a report id")),
    }
}

/// Carries out and logs an action by `moderator`, then wakes the relay for any
/// events it wrote (a `status.delete`, revoked tokens).
pub(crate) async fn act(
    state: &ApiState,
    moderator: &Moderator,
    build: impl FnOnce(ModerationActionId) -> NewModerationAction,
) -> Result<ModerationAction, ApiError> {
    let now = state.clock.now();
    let mut action = build(ModerationActionId(state.ids.next(now)));
    action.actor_id = moderator.account_id;
    action.created_at = now;
    let done = state.store.apply_moderation(action).await?;
    state.wake_relay();
    Ok(done)
}
