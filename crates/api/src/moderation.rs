//! Who may moderate what, and the moderation entities (Mastodon's `Report`,
//! `Admin::Report`, `Admin::Account`, `AccountWarning`, and Hubbub's audit entry).
//!
//! Instance admins (role `admin`) moderate everything. A community admin
//! (`community_members.role = 'admin'`) handles reports whose posts are all in
//! their community, removes posts there and warns their authors; suspension is
//! instance-wide, so it is for instance admins only.

use crate::auth::CurrentUser;
use crate::entities::{self, timestamp};
use crate::error::ApiError;
use crate::render;
use crate::render::accounts_by_id;
use crate::state::ApiState;
use hubbub_core::ids::{AccountId, CommunityId, StatusId};
use hubbub_core::role::Role;
use hubbub_storage::model;
use hubbub_storage::moderation::{ModerationAction, ModerationKind, ModerationScope, Report};
use serde::Serialize;
use std::collections::HashMap;

/// A person acting as moderator, with how far their right reaches.
#[derive(Debug, Clone)]
pub struct Moderator {
    /// Who.
    pub account_id: AccountId,
    /// Everything, or their communities.
    pub scope: ModerationScope,
}

/// The refusal for someone without the right.
pub fn forbidden() -> ApiError {
    ApiError::Forbidden("This action is not allowed".to_owned())
}

impl Moderator {
    /// The user as a moderator: instance admins always, community admins when
    /// they administer a community; anyone else gets 403.
    pub async fn of(state: &ApiState, user: &CurrentUser) -> Result<Self, ApiError> {
        let account = state
            .store
            .account(user.account_id)
            .await?
            .ok_or(ApiError::Unauthorized("The access token is invalid"))?;
        if account.role == Role::Admin {
            return Ok(Self {
                account_id: account.id,
                scope: ModerationScope::Instance,
            });
        }
        if state.store.administers_any_community(account.id).await? {
            return Ok(Self {
                account_id: account.id,
                scope: ModerationScope::CommunitiesOf(account.id),
            });
        }
        Err(forbidden())
    }

    /// Whether this is an instance admin.
    pub fn is_instance_admin(&self) -> bool {
        self.scope == ModerationScope::Instance
    }

    /// Whether they may act on things in `community` (`None`: outside communities).
    pub async fn covers(
        &self,
        state: &ApiState,
        community: Option<CommunityId>,
    ) -> Result<bool, ApiError> {
        match (self.scope, community) {
            (ModerationScope::Instance, _) => Ok(true),
            (ModerationScope::CommunitiesOf(_), None) => Ok(false),
            (ModerationScope::CommunitiesOf(me), Some(community)) => {
                Ok(state.store.is_community_admin(me, community).await?)
            }
        }
    }

    /// A report they may handle; one outside their reach is 404, as if absent.
    pub async fn report(
        &self,
        state: &ApiState,
        id: hubbub_core::ids::ReportId,
    ) -> Result<Report, ApiError> {
        let report = state
            .store
            .report(id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        if self.covers(state, report.community_id).await? {
            Ok(report)
        } else {
            Err(ApiError::not_found())
        }
    }
}

/// Mastodon's `Report`, as the reporter sees it.
#[derive(Debug, Serialize)]
pub struct ReportEntity {
    id: String,
    action_taken: bool,
    action_taken_at: Option<String>,
    category: String,
    comment: String,
    forwarded: bool,
    created_at: String,
    status_ids: Option<Vec<String>>,
    rule_ids: Option<Vec<String>>,
    target_account: entities::Account,
}

impl ReportEntity {
    /// The report with its target.
    pub fn new(report: &Report, target: &model::Account, base: &str) -> Self {
        Self {
            id: report.id.to_string(),
            action_taken: report.action_taken_at.is_some(),
            action_taken_at: report.action_taken_at.map(timestamp),
            category: report.category.clone(),
            comment: report.comment.clone(),
            forwarded: false,
            created_at: timestamp(report.created_at),
            status_ids: (!report.status_ids.is_empty())
                .then(|| report.status_ids.iter().map(ToString::to_string).collect()),
            rule_ids: None,
            target_account: entities::Account::new(target, None, base),
        }
    }
}

/// Mastodon's `Admin::Account` (the parts Hubbub has).
#[derive(Debug, Serialize)]
pub struct AdminAccount {
    id: String,
    username: String,
    domain: Option<String>,
    created_at: String,
    email: String,
    ip: Option<String>,
    ips: Vec<String>,
    locale: String,
    invite_request: Option<String>,
    role: serde_json::Value,
    confirmed: bool,
    approved: bool,
    disabled: bool,
    silenced: bool,
    suspended: bool,
    account: entities::Account,
}

impl AdminAccount {
    /// The account as moderators see it.
    pub fn new(account: &model::Account, base: &str) -> Self {
        Self {
            id: account.id.to_string(),
            username: account.username.clone(),
            domain: None,
            created_at: timestamp(account.created_at),
            email: account.email.clone(),
            ip: None,
            ips: Vec::new(),
            locale: "en".to_owned(),
            invite_request: None,
            role: serde_json::json!({ "name": account.role.as_str() }),
            confirmed: true,
            approved: true,
            disabled: account.disabled,
            silenced: false,
            suspended: account.disabled,
            account: entities::Account::new(account, None, base),
        }
    }
}

/// Mastodon's `Admin::Report`.
#[derive(Debug, Serialize)]
pub struct AdminReport {
    id: String,
    action_taken: bool,
    action_taken_at: Option<String>,
    category: String,
    comment: String,
    forwarded: bool,
    created_at: String,
    updated_at: String,
    account: Option<AdminAccount>,
    target_account: Option<AdminAccount>,
    assigned_account: Option<AdminAccount>,
    action_taken_by_account: Option<AdminAccount>,
    statuses: Vec<entities::Status>,
    rules: Vec<serde_json::Value>,
    /// Hubbub: the community whose admins may handle it.
    community_id: Option<String>,
}

/// Renders reports for moderators: their accounts in one query, their posts
/// (removed ones included) in one more, whatever the page size.
pub async fn admin_reports(
    state: &ApiState,
    base: &str,
    reports: &[Report],
) -> Result<Vec<AdminReport>, ApiError> {
    let account_ids = reports.iter().flat_map(|r| {
        [
            Some(r.account_id),
            Some(r.target_account_id),
            r.action_taken_by,
        ]
    });
    let accounts = accounts_by_id(state, account_ids.flatten()).await?;
    let status_ids: Vec<StatusId> = reports
        .iter()
        .flat_map(|r| r.status_ids.iter().copied())
        .collect();
    let statuses = state.store.statuses_for_moderation(&status_ids).await?;
    let rendered: HashMap<String, entities::Status> =
        render::statuses(state, base, &statuses, None)
            .await?
            .into_iter()
            .map(|status| (status.id.clone(), status))
            .collect();
    let admin = |id: Option<AccountId>| {
        id.and_then(|id| accounts.get(&id))
            .map(|account| AdminAccount::new(account, base))
    };
    Ok(reports
        .iter()
        .map(|report| AdminReport {
            id: report.id.to_string(),
            action_taken: report.action_taken_at.is_some(),
            action_taken_at: report.action_taken_at.map(timestamp),
            category: report.category.clone(),
            comment: report.comment.clone(),
            forwarded: false,
            created_at: timestamp(report.created_at),
            updated_at: timestamp(report.updated_at),
            account: admin(Some(report.account_id)),
            target_account: admin(Some(report.target_account_id)),
            assigned_account: None,
            action_taken_by_account: admin(report.action_taken_by),
            statuses: report
                .status_ids
                .iter()
                .filter_map(|id| rendered.get(&id.to_string()).cloned())
                .collect(),
            rules: Vec::new(),
            community_id: report.community_id.map(|id| id.to_string()),
        })
        .collect())
}

/// One entry of the audit log (a Hubbub extension; Mastodon shows it on a page).
#[derive(Debug, Serialize)]
pub struct AuditEntry {
    id: String,
    action: &'static str,
    account: Option<entities::Account>,
    target_account_id: Option<String>,
    target_status_id: Option<String>,
    report_id: Option<String>,
    community_id: Option<String>,
    reason: String,
    created_at: String,
}

/// Renders audit entries with their actors, in one accounts query.
pub async fn audit_entries(
    state: &ApiState,
    base: &str,
    actions: &[ModerationAction],
) -> Result<Vec<AuditEntry>, ApiError> {
    let actors = accounts_by_id(state, actions.iter().map(|a| a.actor_id)).await?;
    Ok(actions
        .iter()
        .map(|action| AuditEntry {
            id: action.id.to_string(),
            action: action.kind.as_str(),
            account: actors
                .get(&action.actor_id)
                .map(|actor| entities::Account::new(actor, None, base)),
            target_account_id: action.target_account_id.map(|id| id.to_string()),
            target_status_id: action.target_status_id.map(|id| id.to_string()),
            report_id: action.report_id.map(|id| id.to_string()),
            community_id: action.community_id.map(|id| id.to_string()),
            reason: action.reason.clone(),
            created_at: timestamp(action.created_at),
        })
        .collect())
}

/// Mastodon's `AccountWarning`: a notice to the person moderated. Who acted is
/// not shown.
#[derive(Debug, Serialize)]
pub struct AccountWarning {
    id: String,
    action: &'static str,
    text: String,
    status_ids: Option<Vec<String>>,
    target_account: entities::Account,
    appeal: Option<serde_json::Value>,
    created_at: String,
}

impl AccountWarning {
    /// The notice for `action`, addressed to `me`.
    pub fn new(action: &ModerationAction, me: &model::Account, base: &str) -> Self {
        let kind = match action.kind {
            ModerationKind::RemoveStatus => "delete_statuses",
            ModerationKind::Suspend => "suspend",
            _ => "none",
        };
        Self {
            id: action.id.to_string(),
            action: kind,
            text: action.reason.clone(),
            status_ids: action.target_status_id.map(|id| vec![id.to_string()]),
            target_account: entities::Account::new(me, None, base),
            appeal: None,
            created_at: timestamp(action.created_at),
        }
    }
}
