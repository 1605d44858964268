//! Administration: roles, disabling, passwords, the org-directory import, and
//! exports for retention and compliance; plus the operational figures the
//! metrics endpoint reads (outbox lag, pool usage).

use super::moderation::end_sign_ins;
use super::*;
use crate::model::Community;
use crate::rows::CommunityRow;
use crate::schema::{
    access_tokens, accounts, communities, community_members, follows, outbox, statuses,
};
use hubbub_core::role::Role;
use serde::Serialize;
use std::collections::HashMap;

/// One person from an org-directory import, already checked.
#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    /// The CSV line it came from, for error messages.
    pub line: u64,
    /// Id to use if the person is new (time-ordered, minted by the caller).
    pub new_id: AccountId,
    /// Username to use if the person is new; made unique by a numeric suffix.
    pub username: String,
    /// Email, lower-cased: the key that makes the import idempotent.
    pub email: String,
    /// Full name.
    pub display_name: String,
    /// Department.
    pub department: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// The manager's email, resolved in a second pass.
    pub manager_email: Option<String>,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Accounts created.
    pub created: usize,
    /// Existing accounts whose directory fields were updated.
    pub updated: usize,
}

/// Why an import was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A row names a manager that is neither in the file nor already an account.
    #[error("line {line}: manager {manager_email} is neither in the file nor an existing account")]
    UnknownManager {
        /// The CSV line.
        line: u64,
        /// The manager email it names.
        manager_email: String,
    },
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// An account as exported (never the password hash).
#[derive(Debug, Clone, Serialize)]
pub struct AccountRecord {
    /// Id, as a string like everywhere in the API.
    pub id: String,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Email.
    pub email: String,
    /// Role.
    pub role: String,
    /// Disabled?
    pub disabled: bool,
    /// Registered at.
    pub created_at: DateTime<Utc>,
    /// Bio.
    pub note: String,
    /// Department.
    pub department: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Manager's account id.
    pub manager_id: Option<String>,
}

impl From<Account> for AccountRecord {
    fn from(account: Account) -> Self {
        Self {
            id: account.id.to_string(),
            username: account.username,
            display_name: account.display_name,
            email: account.email,
            role: account.role.as_str().to_owned(),
            disabled: account.disabled,
            created_at: account.created_at,
            note: account.note,
            department: account.department,
            job_title: account.job_title,
            location: account.location,
            manager_id: account.manager_id.map(|id| id.to_string()),
        }
    }
}

/// A post as exported, deleted ones included (with `deleted_at`).
#[derive(Debug, Clone, Serialize)]
pub struct StatusRecord {
    /// Id.
    pub id: String,
    /// Author.
    pub account_id: String,
    /// Text as written.
    pub text: String,
    /// Parent post.
    pub in_reply_to_id: Option<String>,
    /// Community it was posted in.
    pub community_id: Option<String>,
    /// Posted at.
    pub created_at: DateTime<Utc>,
    /// Deleted at.
    pub deleted_at: Option<DateTime<Utc>>,
}

impl From<Status> for StatusRecord {
    fn from(status: Status) -> Self {
        Self {
            id: status.id.to_string(),
            account_id: status.account_id.to_string(),
            text: status.text,
            in_reply_to_id: status.in_reply_to_id.map(|id| id.to_string()),
            community_id: status.community_id.map(|id| id.to_string()),
            created_at: status.created_at,
            deleted_at: status.deleted_at,
        }
    }
}

/// A follow edge as exported.
#[derive(Debug, Clone, Serialize)]
pub struct FollowRecord {
    /// Who follows.
    pub follower_id: String,
    /// Whom.
    pub followee_id: String,
    /// Since.
    pub created_at: DateTime<Utc>,
}

/// A community membership as exported.
#[derive(Debug, Clone, Serialize)]
pub struct MembershipRecord {
    /// The community.
    pub community_id: String,
    /// The member.
    pub account_id: String,
    /// member | admin.
    pub role: String,
    /// active | pending.
    pub state: String,
    /// Since.
    pub created_at: DateTime<Utc>,
}

/// A community as exported.
#[derive(Debug, Clone, Serialize)]
pub struct CommunityRecord {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Private?
    pub private: bool,
    /// Help-desk community?
    pub helpdesk: bool,
    /// Creator.
    pub created_by: String,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

/// An access token as exported: when and what, never the secret.
#[derive(Debug, Clone, Serialize)]
pub struct TokenRecord {
    /// Scopes.
    pub scopes: String,
    /// Issued at.
    pub created_at: DateTime<Utc>,
    /// Expires at.
    pub expires_at: Option<DateTime<Utc>>,
    /// Revoked at.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Everything stored about one person.
#[derive(Debug, Clone, Serialize)]
pub struct UserExport {
    /// The profile.
    pub account: AccountRecord,
    /// Their posts, oldest first, deleted ones included.
    pub posts: Vec<StatusRecord>,
    /// Whom they follow.
    pub following: Vec<FollowRecord>,
    /// Who follows them.
    pub followers: Vec<FollowRecord>,
    /// Their community memberships.
    pub memberships: Vec<MembershipRecord>,
    /// Their access tokens.
    pub tokens: Vec<TokenRecord>,
}

/// One line of a whole-network export.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportLine {
    /// An account.
    Account(AccountRecord),
    /// A community.
    Community(CommunityRecord),
    /// A membership.
    Membership(MembershipRecord),
    /// A follow edge.
    Follow(FollowRecord),
    /// A post.
    Status(StatusRecord),
}

/// The tables of a whole-network export, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportTable {
    /// accounts
    Accounts,
    /// communities
    Communities,
    /// community_members
    Memberships,
    /// follows
    Follows,
    /// statuses
    Statuses,
}

impl ExportTable {
    /// Every table, in export order.
    pub const ALL: [ExportTable; 5] = [
        Self::Accounts,
        Self::Communities,
        Self::Memberships,
        Self::Follows,
        Self::Statuses,
    ];
}

/// Where the next export page starts: the key of the last row written.
pub type ExportCursor = Option<(i64, i64)>;

/// Connections of the pool, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUsage {
    /// Connections the pool may open.
    pub max: u32,
    /// Connections open now.
    pub open: u32,
    /// Of those, idle.
    pub idle: u32,
}

impl Store {
    /// Disables or enables an account. Disabling also revokes every live token
    /// of the account, with a `TokenRevoked` event each, in the same
    /// transaction, so its open streams end too. Returns whether it exists.
    pub async fn set_disabled(
        &self,
        id: AccountId,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let found = diesel::update(accounts::table.find(id.0))
                    .set(accounts::disabled.eq(disabled))
                    .execute(conn)?
                    > 0;
                if found && disabled {
                    end_sign_ins(conn, id, now)?;
                }
                Ok(found)
            })
        })
        .await
    }

    /// Revokes every live token of an account (with `TokenRevoked` events);
    /// returns how many.
    pub async fn revoke_tokens_of(
        &self,
        id: AccountId,
        now: DateTime<Utc>,
    ) -> Result<usize, StorageError> {
        let now = to_db(now);
        self.run(move |conn| write_transaction(conn, |conn| end_sign_ins(conn, id, now)))
            .await
    }

    /// Replaces an account's password hash and revokes its tokens (a reset
    /// signs the person out everywhere). Returns whether it exists.
    pub async fn set_password_hash(
        &self,
        id: AccountId,
        password_hash: String,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let found = diesel::update(accounts::table.find(id.0))
                    .set(accounts::password_hash.eq(&password_hash))
                    .execute(conn)?
                    > 0;
                if found {
                    end_sign_ins(conn, id, now)?;
                }
                Ok(found)
            })
        })
        .await
    }

    /// Accounts, newest first, one keyset page (for the admin API).
    pub async fn accounts_page(
        &self,
        before: Option<AccountId>,
        limit: i64,
    ) -> Result<Vec<Account>, StorageError> {
        self.run(move |conn| {
            let mut query = accounts::table
                .order(accounts::id.desc())
                .limit(limit)
                .select(AccountRow::as_select())
                .into_boxed();
            if let Some(before) = before {
                query = query.filter(accounts::id.lt(before.0));
            }
            query
                .load(conn)?
                .into_iter()
                .map(Account::try_from)
                .collect()
        })
        .await
    }

    /// How many accounts exist (the seeder refuses a non-empty instance).
    pub async fn account_count(&self) -> Result<i64, StorageError> {
        self.run(|conn| Ok(accounts::table.count().get_result(conn)?))
            .await
    }

    /// Imports an org directory in one transaction: pass 1 creates people
    /// (by email; existing ones get their name, department and title
    /// updated), pass 2 links each to their manager. Running it twice changes
    /// nothing the second time. New accounts get `password_hash` (an
    /// unusable one, until a reset). Any error writes nothing.
    pub async fn import_directory(
        &self,
        entries: Vec<DirectoryEntry>,
        password_hash: String,
        now: DateTime<Utc>,
    ) -> Result<ImportSummary, ImportError> {
        let now = to_db(now);
        let result = self
            .run(move |conn| {
                write_transaction(conn, |conn| {
                    import_in_transaction(conn, &entries, &password_hash, now)
                })
            })
            .await;
        match result {
            Ok(Ok(summary)) => Ok(summary),
            Ok(Err(unknown)) => Err(unknown),
            Err(error) => Err(ImportError::Storage(error)),
        }
    }

    /// Everything stored about one account, or `None` if it does not exist.
    pub async fn export_user(&self, id: AccountId) -> Result<Option<UserExport>, StorageError> {
        self.run(move |conn| {
            let Some(account) = accounts::table
                .find(id.0)
                .select(AccountRow::as_select())
                .first(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let account = Account::try_from(account)?;
            let posts = statuses::table
                .filter(statuses::account_id.eq(id.0))
                .order(statuses::id.asc())
                .select(StatusRow::as_select())
                .load(conn)?
                .into_iter()
                .map(|row| StatusRecord::from(Status::from(row)))
                .collect();
            let following = follows::table
                .filter(follows::follower_id.eq(id.0))
                .order(follows::followee_id.asc())
                .load::<(i64, i64, NaiveDateTime)>(conn)?
                .into_iter()
                .map(follow_record)
                .collect();
            let followers = follows::table
                .filter(follows::followee_id.eq(id.0))
                .order(follows::follower_id.asc())
                .load::<(i64, i64, NaiveDateTime)>(conn)?
                .into_iter()
                .map(follow_record)
                .collect();
            let memberships = community_members::table
                .filter(community_members::account_id.eq(id.0))
                .order(community_members::community_id.asc())
                .load::<(i64, i64, String, String, NaiveDateTime)>(conn)?
                .into_iter()
                .map(membership_record)
                .collect();
            let tokens = access_tokens::table
                .filter(access_tokens::account_id.eq(id.0))
                .order(access_tokens::created_at.asc())
                .select((
                    access_tokens::scopes,
                    access_tokens::created_at,
                    access_tokens::expires_at,
                    access_tokens::revoked_at,
                ))
                .load::<(
                    String,
                    NaiveDateTime,
                    Option<NaiveDateTime>,
                    Option<NaiveDateTime>,
                )>(conn)?
                .into_iter()
                .map(|(scopes, created_at, expires_at, revoked_at)| TokenRecord {
                    scopes,
                    created_at: created_at.and_utc(),
                    expires_at: expires_at.map(|at| at.and_utc()),
                    revoked_at: revoked_at.map(|at| at.and_utc()),
                })
                .collect();
            Ok(Some(UserExport {
                account: account.into(),
                posts,
                following,
                followers,
                memberships,
                tokens,
            }))
        })
        .await
    }

    /// One page of a whole-network export: up to `limit` rows of `table`
    /// after `cursor`, in key order, and the cursor for the next page (`None`
    /// when the table is done).
    pub async fn export_page(
        &self,
        table: ExportTable,
        cursor: ExportCursor,
        limit: i64,
    ) -> Result<(Vec<ExportLine>, ExportCursor), StorageError> {
        let (a, b) = cursor.unwrap_or((i64::MIN, i64::MIN));
        self.run(move |conn| {
            let (lines, last): (Vec<ExportLine>, Option<(i64, i64)>) = match table {
                ExportTable::Accounts => {
                    let rows = accounts::table
                        .filter(accounts::id.gt(a))
                        .order(accounts::id.asc())
                        .limit(limit)
                        .select(AccountRow::as_select())
                        .load(conn)?;
                    let accounts: Vec<Account> = rows
                        .into_iter()
                        .map(Account::try_from)
                        .collect::<Result<_, _>>()?;
                    let last = accounts.last().map(|x| (x.id.0, 0));
                    let lines = accounts
                        .into_iter()
                        .map(|x| ExportLine::Account(x.into()))
                        .collect();
                    (lines, last)
                }
                ExportTable::Communities => {
                    let rows = communities::table
                        .filter(communities::id.gt(a))
                        .order(communities::id.asc())
                        .limit(limit)
                        .select(CommunityRow::as_select())
                        .load(conn)?;
                    let list: Vec<Community> = rows.into_iter().map(Community::from).collect();
                    let last = list.last().map(|x| (x.id.0, 0));
                    let lines = list
                        .into_iter()
                        .map(|c| {
                            ExportLine::Community(CommunityRecord {
                                id: c.id.to_string(),
                                name: c.name,
                                description: c.description,
                                private: c.private,
                                helpdesk: c.helpdesk,
                                created_by: c.created_by.to_string(),
                                created_at: c.created_at,
                            })
                        })
                        .collect();
                    (lines, last)
                }
                ExportTable::Memberships => {
                    let rows = community_members::table
                        .filter(
                            community_members::community_id.gt(a).or(
                                community_members::community_id
                                    .eq(a)
                                    .and(community_members::account_id.gt(b)),
                            ),
                        )
                        .order((
                            community_members::community_id.asc(),
                            community_members::account_id.asc(),
                        ))
                        .limit(limit)
                        .load::<(i64, i64, String, String, NaiveDateTime)>(conn)?;
                    let last = rows.last().map(|r| (r.0, r.1));
                    let lines = rows
                        .into_iter()
                        .map(|r| ExportLine::Membership(membership_record(r)))
                        .collect();
                    (lines, last)
                }
                ExportTable::Follows => {
                    let rows = follows::table
                        .filter(
                            follows::follower_id
                                .gt(a)
                                .or(follows::follower_id.eq(a).and(follows::followee_id.gt(b))),
                        )
                        .order((follows::follower_id.asc(), follows::followee_id.asc()))
                        .limit(limit)
                        .load::<(i64, i64, NaiveDateTime)>(conn)?;
                    let last = rows.last().map(|r| (r.0, r.1));
                    let lines = rows
                        .into_iter()
                        .map(|r| ExportLine::Follow(follow_record(r)))
                        .collect();
                    (lines, last)
                }
                ExportTable::Statuses => {
                    let rows = statuses::table
                        .filter(statuses::id.gt(a))
                        .order(statuses::id.asc())
                        .limit(limit)
                        .select(StatusRow::as_select())
                        .load(conn)?;
                    let list: Vec<Status> = rows.into_iter().map(Status::from).collect();
                    let last = list.last().map(|x| (x.id.0, 0));
                    let lines = list
                        .into_iter()
                        .map(|x| ExportLine::Status(x.into()))
                        .collect();
                    (lines, last)
                }
            };
            let next = if (lines.len() as i64) < limit {
                None
            } else {
                last
            };
            Ok((lines, next))
        })
        .await
    }

    /// When the oldest event still waiting for the relay was written, if any:
    /// the outbox lag is now minus this.
    pub async fn oldest_unpublished_at(&self) -> Result<Option<DateTime<Utc>>, StorageError> {
        self.run(|conn| {
            let at: Option<NaiveDateTime> = outbox::table
                .filter(outbox::published_at.is_null())
                .order(outbox::id.asc())
                .select(outbox::created_at)
                .first(conn)
                .optional()?;
            Ok(at.map(|at| at.and_utc()))
        })
        .await
    }

    /// The connection pool's size and use now.
    pub fn pool_usage(&self) -> PoolUsage {
        let state = self.pool.state();
        PoolUsage {
            max: self.pool.max_size(),
            open: state.connections,
            idle: state.idle_connections,
        }
    }
}

fn follow_record((follower, followee, at): (i64, i64, NaiveDateTime)) -> FollowRecord {
    FollowRecord {
        follower_id: follower.to_string(),
        followee_id: followee.to_string(),
        created_at: at.and_utc(),
    }
}

fn membership_record(
    (community, account, role, state, at): (i64, i64, String, String, NaiveDateTime),
) -> MembershipRecord {
    MembershipRecord {
        community_id: community.to_string(),
        account_id: account.to_string(),
        role,
        state,
        created_at: at.and_utc(),
    }
}

/// The checks and two passes of [`Store::import_directory`]. The outer
/// `Result` is the database's; the inner one an unknown manager, found before
/// anything is written.
fn import_in_transaction(
    conn: &mut AnyConnection,
    entries: &[DirectoryEntry],
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Result<ImportSummary, ImportError>, StorageError> {
    // Every manager must resolve before anything is written, so that a bad
    // row is reported without a transaction to roll back half-way.
    let in_file: std::collections::HashSet<&str> =
        entries.iter().map(|entry| entry.email.as_str()).collect();
    for entry in entries {
        let Some(manager_email) = &entry.manager_email else {
            continue;
        };
        if in_file.contains(manager_email.as_str()) {
            continue;
        }
        let known = accounts::table
            .filter(accounts::email.eq(manager_email))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if !known {
            return Ok(Err(ImportError::UnknownManager {
                line: entry.line,
                manager_email: manager_email.clone(),
            }));
        }
    }
    let mut summary = ImportSummary::default();
    let mut by_email: HashMap<String, i64> = HashMap::new();
    for entry in entries {
        let existing: Option<i64> = accounts::table
            .filter(accounts::email.eq(&entry.email))
            .select(accounts::id)
            .first(conn)
            .optional()?;
        let id = match existing {
            Some(id) => {
                diesel::update(accounts::table.find(id))
                    .set((
                        accounts::display_name.eq(&entry.display_name),
                        accounts::department.eq(&entry.department),
                        accounts::job_title.eq(&entry.job_title),
                    ))
                    .execute(conn)?;
                summary.updated += 1;
                id
            }
            None => {
                let username = free_username(conn, &entry.username)?;
                let canonical = username.to_lowercase();
                let form = AccountInsertForm {
                    id: entry.new_id.0,
                    username: &username,
                    username_canonical: &canonical,
                    display_name: &entry.display_name,
                    email: &entry.email,
                    password_hash,
                    role: Role::Member.as_str(),
                    disabled: false,
                    created_at: now,
                };
                diesel::insert_into(accounts::table)
                    .values(&form)
                    .execute(conn)?;
                diesel::update(accounts::table.find(entry.new_id.0))
                    .set((
                        accounts::department.eq(&entry.department),
                        accounts::job_title.eq(&entry.job_title),
                    ))
                    .execute(conn)?;
                summary.created += 1;
                entry.new_id.0
            }
        };
        by_email.insert(entry.email.clone(), id);
    }
    for entry in entries {
        let Some(manager_email) = &entry.manager_email else {
            continue;
        };
        let manager = match by_email.get(manager_email) {
            Some(id) => Some(*id),
            None => accounts::table
                .filter(accounts::email.eq(manager_email))
                .select(accounts::id)
                .first(conn)
                .optional()?,
        };
        let Some(manager) = manager else {
            // Checked before any write, so this cannot happen; refuse loudly anyway.
            return Err(StorageError::NotFound { what: "manager" });
        };
        let id = by_email
            .get(&entry.email)
            .copied()
            .unwrap_or(entry.new_id.0);
        diesel::update(accounts::table.find(id))
            .set(accounts::manager_id.eq(Some(manager)))
            .execute(conn)?;
    }
    Ok(Ok(summary))
}

/// `wanted`, or `wanted2`, `wanted3`, ... whichever is not taken.
fn free_username(conn: &mut AnyConnection, wanted: &str) -> Result<String, StorageError> {
    for n in 1..1000 {
        let candidate = if n == 1 {
            wanted.to_owned()
        } else {
            format!("{wanted}{n}")
        };
        let taken = accounts::table
            .filter(accounts::username_canonical.eq(candidate.to_lowercase()))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if !taken {
            return Ok(candidate);
        }
    }
    Err(StorageError::Conflict { field: "username" })
}
