//! Profiles, the directory and search: the models their queries take and return.

use crate::model::Account;
use hubbub_core::ids::AccountId;

/// Changes to one's own profile; `None` leaves a field as it is. For the
/// optional fields, `Some(None)` clears the value.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    /// New display name (already validated).
    pub display_name: Option<String>,
    /// New bio, plain text (already validated).
    pub note: Option<String>,
    /// New department.
    pub department: Option<Option<String>>,
    /// New job title.
    pub job_title: Option<Option<String>>,
    /// New office or city.
    pub location: Option<Option<String>>,
    /// New manager: must exist, must not be the person, must not close a loop.
    pub manager_id: Option<Option<AccountId>>,
    /// Media-store keys of a new avatar: the resized image and its small version.
    pub avatar: Option<AvatarKeys>,
}

/// Where an avatar's two files live in the media store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvatarKeys {
    /// The resized avatar.
    pub full: String,
    /// The small, static version.
    pub small: String,
}

/// What became of a profile update.
#[derive(Debug, Clone)]
pub enum ProfileOutcome {
    /// Saved; `replaced_avatar` names the files of the avatar it replaced, which
    /// the caller may now delete.
    Updated {
        /// The account as it is now.
        account: Box<Account>,
        /// Keys of the previous avatar's files.
        replaced_avatar: Option<AvatarKeys>,
    },
    /// The account does not exist (any more).
    AccountNotFound,
    /// The manager named does not exist.
    ManagerNotFound,
    /// The manager named is the person, or reports to them directly or indirectly.
    ManagerCycle,
}

/// How the directory is sorted (Mastodon's `order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DirectoryOrder {
    /// Most recently posting first.
    #[default]
    Active,
    /// Newest accounts first.
    New,
}

/// One department in the directory, with how many people are in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentCount {
    /// The department as people spell it.
    pub name: String,
    /// People listed in it.
    pub accounts: i64,
}
