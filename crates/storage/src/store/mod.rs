//! [`Store`]: every query Hubbub runs, as async functions over a pooled
//! connection to PostgreSQL or SQLite.
//!
//! diesel is synchronous, so each method sends its work to tokio's blocking pool.
//! A semaphore with as many permits as the pool has connections bounds how many
//! such tasks exist at once: a burst of requests queues on the semaphore (cheap,
//! async) rather than parking blocking threads on r2d2's checkout.

use crate::connection::{AnyConnection, Pool, Target, build_pool};
use crate::error::StorageError;
use crate::migrations;
use crate::model::{
    AccessToken, Account, AccountCounts, App, NewAccessToken, NewAccount, NewApp, NewStatus,
    Relationship, Status,
};
use crate::rows::{
    AccessTokenInsertForm, AccessTokenRow, AccountInsertForm, AccountRow, AppInsertForm, AppRow,
    FollowInsertForm, OutboxRow, StatusRow, to_db,
};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::{AccountId, EventId, StatusId};
use hubbub_core::page::PageRequest;
use std::sync::Arc;

mod accounts;
pub mod admin;
mod announcements;
mod apps;
pub mod bulk;
mod communities;
mod email;
pub mod export;
mod feeds;
mod follows;
mod helpdesk;
mod helpdesk_reports;
mod media;
mod membership;
mod moderation;
mod notifications;
mod oauth;
mod outbox;
mod post_rows;
mod profiles;
mod reactions;
mod relay;
mod search;
mod sso;
mod statuses;
mod threads;
mod tokens;
mod topics;
mod visibility;

pub use media::MAX_ATTACHMENTS;
pub(crate) use notifications::add_notification;
pub(crate) use outbox::append_event;
pub use reactions::Listed;
pub use relay::RelayLease;
pub use search::SearchPage;
pub use sso::SSO_ONLY_PASSWORD;
pub use threads::QuestionFilter;
use tokio::sync::Semaphore;

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL, for production and many nodes.
    Postgres,
    /// SQLite in WAL mode, the embedded default.
    Sqlite,
}

/// The database, shared by all handlers and tasks; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    permits: Arc<Semaphore>,
    backend: Backend,
    /// On SQLite, the relay lease of this process (see [`RelayLease`]).
    relay_lock: Arc<tokio::sync::Mutex<()>>,
    /// The help-desk settings as the post path last read them.
    helpdesk_settings: Arc<helpdesk::SettingsCache>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .field("pool", &self.pool.state())
            .finish()
    }
}

impl Store {
    /// Connects to `url` (`postgres://`/`postgresql://`, or `sqlite://path` /
    /// a plain file path), with at most `pool_size` connections.
    /// Unknown schemes and unreachable servers are errors with the real cause.
    pub async fn connect(url: &str, pool_size: u32) -> Result<Self, StorageError> {
        let target = Target::parse(url)?;
        let backend = match target {
            Target::Postgres(_) => Backend::Postgres,
            Target::Sqlite(_) => Backend::Sqlite,
        };
        let size = pool_size.max(1);
        let pool = tokio::task::spawn_blocking(move || build_pool(target, size))
            .await
            .map_err(|e| StorageError::Task(e.to_string()))??;
        Ok(Self {
            pool,
            permits: Arc::new(Semaphore::new(size as usize)),
            backend,
            relay_lock: Arc::default(),
            helpdesk_settings: Arc::default(),
        })
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `work` with a pooled connection on the blocking pool.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, StorageError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|e| StorageError::Task(e.to_string()))?;
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            // Held until the query is done, even if the caller stops waiting.
            let _permit = permit;
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|e| StorageError::Task(e.to_string()))?
    }

    /// Runs pending embedded migrations; returns how many ran.
    pub async fn migrate(&self) -> Result<usize, StorageError> {
        self.run(migrations::run_pending).await
    }

    /// Checks the database answers (for readiness).
    pub async fn ping(&self) -> Result<(), StorageError> {
        self.run(|conn| Ok(conn.batch_execute("SELECT 1")?)).await
    }
}

/// Runs `work` in a transaction that takes the write lock up front on SQLite
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads, then writes, fails with
/// SQLITE_BUSY instead of waiting when another writer got there first. PostgreSQL
/// uses a plain `BEGIN`. Commit and rollback go through the connection's own
/// transaction manager, exactly as `Connection::transaction` does.
pub(crate) fn write_transaction<T>(
    conn: &mut AnyConnection,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, StorageError>,
) -> Result<T, StorageError> {
    match conn {
        AnyConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?
        }
        AnyConnection::Postgresql(pg) => AnsiTransactionManager::begin_transaction(pg)?,
    }
    match work(conn) {
        Ok(value) => {
            AnyConnection::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match AnyConnection::rollback_transaction(conn) {
            Ok(()) | Err(DieselError::BrokenTransactionManager) => Err(error),
            Err(rollback_error) => {
                tracing::error!(%error, %rollback_error, "rollback failed");
                Err(rollback_error.into())
            }
        },
    }
}

/// A foreign-key violation on insert means a referenced account is missing.
pub(crate) fn missing_account(error: DieselError, what: &'static str) -> StorageError {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            StorageError::NotFound { what }
        }
        other => other.into(),
    }
}
