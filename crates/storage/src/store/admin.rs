//! Administration: creating accounts, disabling, passwords and the
//! org-directory import (exports are in [`super::export`]); plus the
//! operational figures the metrics endpoint reads (outbox lag, pool usage).
//! Each change takes an optional [`Audit`]: the admin API logs it in the same
//! transaction, the command line (no account acting) does not.

use super::accounts::insert_account;
use super::moderation::{end_sign_ins, log_audit, set_disabled};
use super::*;
use crate::moderation::{Audit, ModerationKind};
use crate::schema::{accounts, outbox};
use hubbub_core::admin::{AccountRequest, DirectoryEntry};
use hubbub_core::role::Role;
use serde::Serialize;
use std::collections::HashMap;

/// The password hash of imported people: no password matches it, so they
/// sign in after an administrator resets it (or through single sign-on).
pub const NO_PASSWORD: &str = "!";

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
    /// Creates the account an administrator asked for, with `password_hash`
    /// (of `request.password`), logged as `create_account`. A taken username
    /// or email is a `Conflict` naming the field, and nothing is written.
    pub async fn admin_create_account(
        &self,
        request: AccountRequest,
        id: AccountId,
        password_hash: String,
        now: DateTime<Utc>,
        audit: Option<Audit>,
    ) -> Result<Account, StorageError> {
        let account = NewAccount {
            id,
            username: request.username,
            email: request.email,
            display_name: request.display_name,
            password_hash,
            role: request.role,
            created_at: now,
        };
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let created = insert_account(conn, &account)?;
                let reason = format!("role {}", created.role);
                log_audit(
                    conn,
                    audit,
                    ModerationKind::CreateAccount,
                    Some(created.id),
                    reason,
                )?;
                Ok(created)
            })
        })
        .await
    }

    /// Disables or enables an account. Disabling also revokes every live token
    /// of the account, with a `TokenRevoked` event each, in the same
    /// transaction, so its open streams end too. Returns whether it exists.
    /// (The admin API does this as a logged suspension, through the same code.)
    pub async fn set_disabled(
        &self,
        id: AccountId,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let now = to_db(now);
        self.run(move |conn| write_transaction(conn, |conn| set_disabled(conn, id, disabled, now)))
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
    /// signs the person out everywhere); with `audit`, logged as
    /// `reset_password`. Returns whether it exists.
    pub async fn set_password_hash(
        &self,
        id: AccountId,
        password_hash: String,
        now: DateTime<Utc>,
        audit: Option<Audit>,
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
                    log_audit(
                        conn,
                        audit,
                        ModerationKind::ResetPassword,
                        Some(id),
                        String::new(),
                    )?;
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
    /// nothing the second time. New accounts get [`NO_PASSWORD`]. With
    /// `audit`, logged as `import_accounts` with the counts. Any error writes
    /// nothing.
    pub async fn import_directory(
        &self,
        entries: Vec<DirectoryEntry>,
        now: DateTime<Utc>,
        audit: Option<Audit>,
    ) -> Result<ImportSummary, ImportError> {
        let now = to_db(now);
        let result = self
            .run(move |conn| {
                write_transaction(conn, |conn| {
                    let summary = import_in_transaction(conn, &entries, now)?;
                    if let Ok(done) = &summary {
                        let reason = format!("{} created, {} updated", done.created, done.updated);
                        log_audit(conn, audit, ModerationKind::ImportAccounts, None, reason)?;
                    }
                    Ok(summary)
                })
            })
            .await;
        match result {
            Ok(Ok(summary)) => Ok(summary),
            Ok(Err(unknown)) => Err(unknown),
            Err(error) => Err(ImportError::Storage(error)),
        }
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

/// The checks and two passes of [`Store::import_directory`]. The outer
/// `Result` is the database's; the inner one an unknown manager, found before
/// anything is written.
fn import_in_transaction(
    conn: &mut AnyConnection,
    entries: &[DirectoryEntry],
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
                    password_hash: NO_PASSWORD,
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
