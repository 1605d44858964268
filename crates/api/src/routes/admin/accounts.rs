//! What the account endpoints of the admin API share: the admin check and
//! Mastodon's `Admin::Account` entity.

use crate::auth::CurrentUser;
use crate::entities;
use crate::error::ApiError;
use crate::state::ApiState;
use hubbub_core::role::Role;
use hubbub_storage::model;
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
