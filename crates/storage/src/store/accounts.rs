//! Accounts.

use super::*;
use crate::schema::{accounts, follows, statuses};

impl Store {
    /// Creates an account. A username taken in any letter case gives
    /// `StorageError::Conflict { field: "username" }`; a taken email, `field: "email"`.
    pub async fn create_account(&self, account: NewAccount) -> Result<Account, StorageError> {
        self.run(move |conn| write_transaction(conn, |conn| insert_account(conn, &account)))
            .await
    }

    /// Changes an account's staff role (administration; tests make admins with it).
    pub async fn set_account_role(
        &self,
        id: AccountId,
        role: hubbub_core::role::Role,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            let updated = diesel::update(accounts::table.find(id.0))
                .set(accounts::role.eq(role.as_str()))
                .execute(conn)?;
            if updated == 0 {
                return Err(StorageError::NotFound { what: "account" });
            }
            Ok(())
        })
        .await
    }

    /// An account by id.
    pub async fn account(&self, id: AccountId) -> Result<Option<Account>, StorageError> {
        self.run(move |conn| {
            accounts::table
                .find(id.0)
                .select(AccountRow::as_select())
                .first(conn)
                .optional()?
                .map(Account::try_from)
                .transpose()
        })
        .await
    }

    /// Accounts by id, in one query, in no particular order; missing ids are skipped.
    pub async fn accounts(&self, ids: &[AccountId]) -> Result<Vec<Account>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        self.run(move |conn| {
            accounts::table
                .filter(accounts::id.eq_any(ids))
                .select(AccountRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Account::try_from)
                .collect()
        })
        .await
    }

    /// An account by username (ignoring case) or by email: what a person types to sign in.
    pub async fn account_by_login(&self, login: &str) -> Result<Option<Account>, StorageError> {
        // Usernames cannot contain '@' and emails are stored lower-cased, so one
        // lower-cased value matches at most one of the two columns.
        let login = login.trim().to_lowercase();
        self.run(move |conn| {
            accounts::table
                .filter(
                    accounts::username_canonical
                        .eq(&login)
                        .or(accounts::email.eq(&login)),
                )
                .select(AccountRow::as_select())
                .first(conn)
                .optional()?
                .map(Account::try_from)
                .transpose()
        })
        .await
    }

    /// Post, follower and following counts of one account.
    pub async fn account_counts(&self, id: AccountId) -> Result<AccountCounts, StorageError> {
        self.run(move |conn| {
            let statuses = statuses::table
                .filter(statuses::account_id.eq(id.0))
                .filter(statuses::deleted_at.is_null())
                .count()
                .get_result(conn)?;
            let followers = follows::table
                .filter(follows::followee_id.eq(id.0))
                .count()
                .get_result(conn)?;
            let following = follows::table
                .filter(follows::follower_id.eq(id.0))
                .count()
                .get_result(conn)?;
            Ok(AccountCounts {
                statuses,
                followers,
                following,
            })
        })
        .await
    }
}

/// Inserts an account in the caller's transaction; a username taken in any
/// letter case or a taken email is a `Conflict` naming the field.
pub(super) fn insert_account(
    conn: &mut AnyConnection,
    account: &NewAccount,
) -> Result<Account, StorageError> {
    let canonical = account.username.canonical();
    let username_taken = accounts::table
        .filter(accounts::username_canonical.eq(&canonical))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if username_taken {
        return Err(StorageError::Conflict { field: "username" });
    }
    let email_taken = accounts::table
        .filter(accounts::email.eq(account.email.as_str()))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if email_taken {
        return Err(StorageError::Conflict { field: "email" });
    }
    let form = AccountInsertForm {
        id: account.id.0,
        username: account.username.as_str(),
        username_canonical: &canonical,
        display_name: account.display_name.as_str(),
        email: account.email.as_str(),
        password_hash: &account.password_hash,
        role: account.role.as_str(),
        disabled: false,
        created_at: to_db(account.created_at),
    };
    // The checks above give the common case a clear answer; a concurrent
    // registration that slips between check and insert (PostgreSQL, read
    // committed) still hits the unique index and is named the same way.
    diesel::insert_into(accounts::table)
        .values(&form)
        .execute(conn)
        .map_err(account_conflict)?;
    accounts::table
        .find(account.id.0)
        .select(AccountRow::as_select())
        .first(conn)?
        .try_into()
}

/// Names the field of a unique violation on `accounts`.
fn account_conflict(error: DieselError) -> StorageError {
    if let DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) = &error {
        // PostgreSQL names the constraint; SQLite names the column in the message
        // ("UNIQUE constraint failed: accounts.email").
        let what = info.constraint_name().unwrap_or_else(|| info.message());
        if what.contains("email") {
            return StorageError::Conflict { field: "email" };
        }
        if what.contains("username") {
            return StorageError::Conflict { field: "username" };
        }
    }
    error.into()
}
