//! What the account endpoints of the admin API share: the admin check, the
//! audit stamp, and Mastodon's `Admin::Account` entity.

use crate::auth::CurrentUser;
use crate::entities;
use crate::error::ApiError;
use crate::state::ApiState;
use hubbub_core::ids::{AccountId, ModerationActionId};
use hubbub_core::role::Role;
use hubbub_storage::model;
use hubbub_storage::moderation::{Audit, ModerationKind, NewModerationAction};
use serde::Serialize;

/// Refuses (403) unless the caller has role `admin` and a token granting `scope`
/// (`admin:read:accounts` / `admin:write:accounts`).
pub(crate) async fn require_admin(
    state: &ApiState,
    user: &CurrentUser,
    scope: &str,
) -> Result<(), ApiError> {
    user.require_scope(scope)?;
    let me = state
        .store
        .account(user.account_id)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?;
    if me.role != Role::Admin {
        return Err(ApiError::Forbidden("This action is not allowed".to_owned()));
    }
    Ok(())
}

/// The audit-log stamp for a change `user` makes now.
pub(crate) fn audit(state: &ApiState, user: &CurrentUser) -> Audit {
    let at = state.clock.now();
    Audit {
        id: ModerationActionId(state.ids.next(at)),
        actor_id: user.account_id,
        at,
    }
}

/// Logs an export `user` makes (of `target`, or of everything) in the audit log.
pub(crate) async fn log_export(
    state: &ApiState,
    user: &CurrentUser,
    kind: ModerationKind,
    target: Option<AccountId>,
) -> Result<(), ApiError> {
    let stamp = audit(state, user);
    state
        .store
        .apply_moderation(NewModerationAction {
            id: stamp.id,
            actor_id: stamp.actor_id,
            kind,
            target_account_id: target,
            target_status_id: None,
            report_id: None,
            reason: String::new(),
            created_at: stamp.at,
        })
        .await?;
    Ok(())
}

/// An account and, when the server generated it, its new password: shown in
/// this answer only (only its hash is stored).
#[derive(Debug, Serialize)]
pub struct WithPassword {
    account: AdminAccount,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

impl WithPassword {
    /// The answer for `account`, with `password` if it was generated.
    pub fn new(account: &model::Account, base: &str, password: Option<String>) -> Self {
        Self {
            account: AdminAccount::new(account, base),
            password,
        }
    }
}

/// Mastodon's `Admin::Account`, with Hubbub's directory fields.
#[derive(Debug, Serialize)]
pub struct AdminAccount {
    id: String,
    username: String,
    domain: Option<String>,
    created_at: String,
    email: String,
    ip: Option<String>,
    ips: Vec<String>,
    locale: Option<String>,
    invite_request: Option<String>,
    role: AdminRole,
    confirmed: bool,
    approved: bool,
    disabled: bool,
    silenced: bool,
    suspended: bool,
    department: Option<String>,
    job_title: Option<String>,
    account: entities::Account,
}

/// Mastodon's `Role` entity, reduced to the name Hubbub uses.
#[derive(Debug, Serialize)]
struct AdminRole {
    id: String,
    name: &'static str,
}

impl AdminAccount {
    /// The entity for `account`.
    pub fn new(account: &model::Account, base: &str) -> Self {
        Self {
            id: account.id.to_string(),
            username: account.username.clone(),
            domain: None,
            created_at: entities::timestamp(account.created_at),
            email: account.email.clone(),
            ip: None,
            ips: Vec::new(),
            locale: None,
            invite_request: None,
            role: AdminRole {
                id: account.role.as_str().to_owned(),
                name: account.role.as_str(),
            },
            confirmed: true,
            approved: true,
            disabled: account.disabled,
            silenced: false,
            // Hubbub's suspension is the disabled flag (see `account_action`).
            suspended: account.disabled,
            department: account.department.clone(),
            job_title: account.job_title.clone(),
            account: entities::Account::new(account, None, base),
        }
    }
}

/// Loads the account the path names, or 404.
pub(crate) async fn target(state: &ApiState, raw: &str) -> Result<model::Account, ApiError> {
    let id = crate::routes::path_id(raw)?;
    state
        .store
        .account(id)
        .await?
        .ok_or_else(ApiError::not_found)
}
