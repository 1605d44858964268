//! Models of reports and the moderation audit log.

use chrono::{DateTime, Utc};
use hubbub_core::ids::{AccountId, CommunityId, ModerationActionId, ReportId, StatusId};

/// A report about an account and some of its posts (Mastodon's `Report`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Its id.
    pub id: ReportId,
    /// Who reported.
    pub account_id: AccountId,
    /// Who is reported.
    pub target_account_id: AccountId,
    /// The community of the reported posts when they are all in one: its admins
    /// may handle the report. `None`: instance admins only.
    pub community_id: Option<CommunityId>,
    /// `spam`, `legal`, `violation` or `other`.
    pub category: String,
    /// The reporter's reason.
    pub comment: String,
    /// The reported posts.
    pub status_ids: Vec<StatusId>,
    /// When it was resolved; `None` while open.
    pub action_taken_at: Option<DateTime<Utc>>,
    /// Who resolved it.
    pub action_taken_by: Option<AccountId>,
    /// When it was filed.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A report about to be filed.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// Its id.
    pub id: ReportId,
    /// Who reports.
    pub account_id: AccountId,
    /// Who is reported.
    pub target_account_id: AccountId,
    /// Posts of the target that the reporter may see.
    pub status_ids: Vec<StatusId>,
    /// The category (already checked).
    pub category: String,
    /// The reason.
    pub comment: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Whose reports or audit entries a moderator may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationScope {
    /// Everything: an instance admin.
    Instance,
    /// Only what concerns the communities this account is an admin of.
    CommunitiesOf(AccountId),
}

/// Which reports to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportFilter {
    /// Whose queue.
    pub scope: ModerationScope,
    /// `Some(false)`: open only (the default queue); `Some(true)`: resolved only.
    pub resolved: Option<bool>,
    /// Only reports filed by this account.
    pub account_id: Option<AccountId>,
    /// Only reports about this account.
    pub target_account_id: Option<AccountId>,
}

/// What a moderator did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationKind {
    /// Removed a post (soft delete, `status.delete` event).
    RemoveStatus,
    /// Warned an account.
    Warn,
    /// Suspended an account: it cannot sign in, its tokens end at once.
    Suspend,
    /// Lifted a suspension.
    Unsuspend,
    /// Marked a report resolved.
    ResolveReport,
    /// Reopened a resolved report.
    ReopenReport,
    /// Created an account.
    CreateAccount,
    /// Set a new password for an account, signing it out everywhere.
    ResetPassword,
    /// Imported an org directory (the reason counts what changed).
    ImportAccounts,
    /// Exported everything stored about one account.
    ExportAccount,
    /// Exported the whole network.
    ExportAll,
    /// Gave an account a role (the reason names the new role).
    SetRole,
}

impl ModerationKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RemoveStatus => "remove_status",
            Self::Warn => "warn",
            Self::Suspend => "suspend",
            Self::Unsuspend => "unsuspend",
            Self::ResolveReport => "resolve_report",
            Self::ReopenReport => "reopen_report",
            Self::CreateAccount => "create_account",
            Self::ResetPassword => "reset_password",
            Self::ImportAccounts => "import_accounts",
            Self::ExportAccount => "export_account",
            Self::ExportAll => "export_all",
            Self::SetRole => "set_role",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::RemoveStatus,
            Self::Warn,
            Self::Suspend,
            Self::Unsuspend,
            Self::ResolveReport,
            Self::ReopenReport,
            Self::CreateAccount,
            Self::ResetPassword,
            Self::ImportAccounts,
            Self::ExportAccount,
            Self::ExportAll,
            Self::SetRole,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }

    /// Whether the target account is told about it (a notice in their list).
    pub fn notifies_target(self) -> bool {
        matches!(
            self,
            Self::RemoveStatus | Self::Warn | Self::Suspend | Self::Unsuspend
        )
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationAction {
    /// Its id.
    pub id: ModerationActionId,
    /// Who acted.
    pub actor_id: AccountId,
    /// What they did.
    pub kind: ModerationKind,
    /// The account acted on (for a removed post, its author).
    pub target_account_id: Option<AccountId>,
    /// The post acted on.
    pub target_status_id: Option<StatusId>,
    /// The report it answers.
    pub report_id: Option<ReportId>,
    /// The community it concerns (a removed post's, a report's).
    pub community_id: Option<CommunityId>,
    /// Why, in the moderator's words.
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// An administrator acting through the API: the change they make is logged in
/// the audit log in its own transaction. The command line acts as no account
/// and passes `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audit {
    /// Id of the audit entry.
    pub id: ModerationActionId,
    /// Who acts.
    pub actor_id: AccountId,
    /// When.
    pub at: DateTime<Utc>,
}

/// A moderation action about to be carried out and logged, in one transaction.
#[derive(Debug, Clone)]
pub struct NewModerationAction {
    /// Its id.
    pub id: ModerationActionId,
    /// Who acts.
    pub actor_id: AccountId,
    /// What.
    pub kind: ModerationKind,
    /// The account (warn, suspend, unsuspend).
    pub target_account_id: Option<AccountId>,
    /// The post (remove).
    pub target_status_id: Option<StatusId>,
    /// The report it answers; any action but a reopen also resolves it.
    pub report_id: Option<ReportId>,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
}
