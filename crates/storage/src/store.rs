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
    FollowInsertForm, OutboxInsertForm, OutboxRow, StatusInsertForm, StatusRow, to_db,
};
use crate::schema::{access_tokens, accounts, apps, follows, outbox, statuses};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::{AccountId, EventId, StatusId};
use hubbub_core::page::PageRequest;
use std::sync::Arc;
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
        })
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `work` with a pooled connection on the blocking pool.
    async fn run<T, F>(&self, work: F) -> Result<T, StorageError>
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

    /// Registers a client application.
    pub async fn create_app(&self, app: NewApp) -> Result<App, StorageError> {
        self.run(move |conn| {
            let form = AppInsertForm {
                id: app.id.0,
                name: &app.name,
                client_id: &app.client_id,
                client_secret: &app.client_secret,
                redirect_uris: &app.redirect_uris,
                scopes: &app.scopes,
                website: app.website.as_deref(),
                created_at: to_db(app.created_at),
            };
            let row: AppRow = diesel::insert_into(apps::table)
                .values(&form)
                .get_result(conn)?;
            Ok(row.into())
        })
        .await
    }

    /// Looks an application up by its public client id.
    pub async fn app_by_client_id(&self, client_id: &str) -> Result<Option<App>, StorageError> {
        let client_id = client_id.to_owned();
        self.run(move |conn| {
            let row = apps::table
                .filter(apps::client_id.eq(&client_id))
                .select(AppRow::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(App::from))
        })
        .await
    }

    /// Creates an account. A username taken in any letter case gives
    /// `StorageError::Conflict { field: "username" }`; a taken email, `field: "email"`.
    pub async fn create_account(&self, account: NewAccount) -> Result<Account, StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
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
            })
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

    /// Stores a newly issued token.
    pub async fn create_token(&self, token: NewAccessToken) -> Result<(), StorageError> {
        self.run(move |conn| {
            let form = AccessTokenInsertForm {
                id: &token.id,
                account_id: token.account_id.map(|id| id.0),
                app_id: token.app_id.map(|id| id.0),
                scopes: &token.scopes,
                created_at: to_db(token.created_at),
                expires_at: token.expires_at.map(to_db),
            };
            diesel::insert_into(access_tokens::table)
                .values(&form)
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// The token with this id if it is neither revoked nor expired at `now` and its
    /// account (if any) is not disabled.
    pub async fn active_token(
        &self,
        token_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessToken>, StorageError> {
        let token_id = token_id.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            let row = access_tokens::table
                .left_join(accounts::table)
                .filter(access_tokens::id.eq(&token_id))
                .filter(access_tokens::revoked_at.is_null())
                .filter(
                    access_tokens::expires_at
                        .is_null()
                        .or(access_tokens::expires_at.gt(now)),
                )
                .filter(
                    access_tokens::account_id
                        .is_null()
                        .or(accounts::disabled.nullable().eq(false)),
                )
                .select(AccessTokenRow::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(AccessToken::from))
        })
        .await
    }

    /// Revokes a token and records a `TokenRevoked` event in the same transaction.
    /// Returns whether a live token was revoked.
    pub async fn revoke_token(
        &self,
        token_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let token_id = token_id.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let revoked = diesel::update(
                    access_tokens::table
                        .filter(access_tokens::id.eq(&token_id))
                        .filter(access_tokens::revoked_at.is_null())
                        .filter(
                            access_tokens::expires_at
                                .is_null()
                                .or(access_tokens::expires_at.gt(now)),
                        ),
                )
                .set(access_tokens::revoked_at.eq(now))
                .execute(conn)?;
                if revoked == 0 {
                    return Ok(false);
                }
                append_event(conn, &EventBody::TokenRevoked { token_id }, now)?;
                Ok(true)
            })
        })
        .await
    }

    /// `follower` follows `followee` (idempotent); records `Followed` when new.
    pub async fn follow(
        &self,
        follower: AccountId,
        followee: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let form = FollowInsertForm {
                    follower_id: follower.0,
                    followee_id: followee.0,
                    created_at: now,
                };
                // ON CONFLICT is not available through the MultiConnection: dispatch.
                let insert = diesel::insert_into(follows::table).values(&form);
                let inserted = match conn {
                    AnyConnection::Postgresql(pg) => insert.on_conflict_do_nothing().execute(pg),
                    AnyConnection::Sqlite(sqlite) => {
                        insert.on_conflict_do_nothing().execute(sqlite)
                    }
                }
                .map_err(|e| missing_account(e, "account"))?;
                if inserted > 0 {
                    append_event(conn, &EventBody::Followed { follower, followee }, now)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// `follower` unfollows `followee` (idempotent); records `Unfollowed` when it was following.
    pub async fn unfollow(
        &self,
        follower: AccountId,
        followee: AccountId,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let removed =
                    diesel::delete(follows::table.find((follower.0, followee.0))).execute(conn)?;
                // `unfollow` takes no `now` (fixed signature), so the event is stamped
                // with the wall clock; only the outbox row's created_at reads it.
                if removed > 0 {
                    append_event(
                        conn,
                        &EventBody::Unfollowed { follower, followee },
                        to_db(Utc::now()),
                    )?;
                }
                Ok(())
            })
        })
        .await
    }

    /// How `viewer` relates to `other`.
    pub async fn relationship(
        &self,
        viewer: AccountId,
        other: AccountId,
    ) -> Result<Relationship, StorageError> {
        self.run(move |conn| {
            let edges: Vec<(i64, i64)> = follows::table
                .filter(
                    follows::follower_id
                        .eq(viewer.0)
                        .and(follows::followee_id.eq(other.0))
                        .or(follows::follower_id
                            .eq(other.0)
                            .and(follows::followee_id.eq(viewer.0))),
                )
                .select((follows::follower_id, follows::followee_id))
                .load(conn)?;
            Ok(Relationship {
                following: edges.contains(&(viewer.0, other.0)),
                followed_by: edges.contains(&(other.0, viewer.0)),
            })
        })
        .await
    }

    /// Everyone `follower` follows.
    pub async fn followee_ids(&self, follower: AccountId) -> Result<Vec<AccountId>, StorageError> {
        self.run(move |conn| {
            let ids: Vec<i64> = follows::table
                .filter(follows::follower_id.eq(follower.0))
                .select(follows::followee_id)
                .order(follows::followee_id.asc())
                .load(conn)?;
            Ok(ids.into_iter().map(AccountId).collect())
        })
        .await
    }

    /// Stores a post and, in the same transaction, a `StatusCreated` event whose
    /// `status_json` is the rendered Status entity. `in_reply_to_id` must name a
    /// visible post (else `StorageError::NotFound`).
    pub async fn create_status(
        &self,
        status: NewStatus,
        status_json: String,
    ) -> Result<Status, StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                if let Some(parent) = status.in_reply_to_id {
                    let visible = statuses::table
                        .filter(statuses::id.eq(parent.0))
                        .filter(statuses::deleted_at.is_null())
                        .count()
                        .get_result::<i64>(conn)?
                        > 0;
                    if !visible {
                        return Err(StorageError::NotFound {
                            what: "in_reply_to_id",
                        });
                    }
                }
                let created_at = to_db(status.created_at);
                let form = StatusInsertForm {
                    id: status.id.0,
                    account_id: status.account_id.0,
                    text: status.text.as_str(),
                    in_reply_to_id: status.in_reply_to_id.map(|id| id.0),
                    created_at,
                };
                let row: StatusRow = diesel::insert_into(statuses::table)
                    .values(&form)
                    .get_result(conn)
                    .map_err(|e| missing_account(e, "account_id"))?;
                let event = EventBody::StatusCreated {
                    author: status.account_id,
                    status_id: status.id,
                    status_json,
                };
                append_event(conn, &event, created_at)?;
                Ok(row.into())
            })
        })
        .await
    }

    /// A post that is not deleted.
    pub async fn status(&self, id: StatusId) -> Result<Option<Status>, StorageError> {
        self.run(move |conn| {
            let row = statuses::table
                .find(id.0)
                .filter(statuses::deleted_at.is_null())
                .select(StatusRow::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(Status::from))
        })
        .await
    }

    /// Marks a post deleted and records `StatusDeleted`, in one transaction.
    /// Returns `false` if it did not exist or was already deleted.
    pub async fn delete_status(
        &self,
        id: StatusId,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let author: Option<i64> = diesel::update(
                    statuses::table
                        .find(id.0)
                        .filter(statuses::deleted_at.is_null()),
                )
                .set(statuses::deleted_at.eq(now))
                .returning(statuses::account_id)
                .get_result(conn)
                .optional()?;
                let Some(author) = author else {
                    return Ok(false);
                };
                let event = EventBody::StatusDeleted {
                    author: AccountId(author),
                    status_id: id,
                };
                append_event(conn, &event, now)?;
                Ok(true)
            })
        })
        .await
    }

    /// Home timeline: the viewer's own posts and those of accounts they follow,
    /// newest first, one keyset page.
    pub async fn home_timeline(
        &self,
        viewer: AccountId,
        page: PageRequest,
    ) -> Result<Vec<Status>, StorageError> {
        self.run(move |conn| {
            let followees = follows::table
                .filter(follows::follower_id.eq(viewer.0))
                .select(follows::followee_id);
            let query = statuses::table
                .filter(statuses::deleted_at.is_null())
                .filter(
                    statuses::account_id
                        .eq(viewer.0)
                        .or(statuses::account_id.eq_any(followees)),
                )
                .into_boxed();
            load_page(conn, query, page)
        })
        .await
    }

    /// Every post, newest first, one keyset page.
    pub async fn public_timeline(&self, page: PageRequest) -> Result<Vec<Status>, StorageError> {
        self.run(move |conn| {
            let query = statuses::table
                .filter(statuses::deleted_at.is_null())
                .into_boxed();
            load_page(conn, query, page)
        })
        .await
    }

    /// One account's posts, newest first, one keyset page.
    pub async fn account_statuses(
        &self,
        author: AccountId,
        page: PageRequest,
    ) -> Result<Vec<Status>, StorageError> {
        self.run(move |conn| {
            let query = statuses::table
                .filter(statuses::account_id.eq(author.0))
                .filter(statuses::deleted_at.is_null())
                .into_boxed();
            load_page(conn, query, page)
        })
        .await
    }

    /// Up to `limit` outbox events not yet published, oldest first.
    pub async fn unpublished_events(&self, limit: i64) -> Result<Vec<Event>, StorageError> {
        self.run(move |conn| {
            outbox::table
                .filter(outbox::published_at.is_null())
                .order(outbox::id.asc())
                .limit(limit)
                .select(OutboxRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Event::try_from)
                .collect()
        })
        .await
    }

    /// Marks events as published.
    pub async fn mark_published(
        &self,
        ids: &[EventId],
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let now = to_db(now);
        self.run(move |conn| {
            diesel::update(
                outbox::table
                    .filter(outbox::id.eq_any(ids))
                    .filter(outbox::published_at.is_null()),
            )
            .set(outbox::published_at.eq(now))
            .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// Published events with an id above `after`, oldest first, for replay.
    pub async fn events_after(
        &self,
        after: EventId,
        limit: i64,
    ) -> Result<Vec<Event>, StorageError> {
        self.run(move |conn| {
            outbox::table
                .filter(outbox::id.gt(after.0))
                .filter(outbox::published_at.is_not_null())
                .order(outbox::id.asc())
                .limit(limit)
                .select(OutboxRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Event::try_from)
                .collect()
        })
        .await
    }
}

/// A boxed query over live posts, before paging.
type StatusQuery<'a> = statuses::BoxedQuery<'a, crate::connection::MultiBackend>;

/// Applies a keyset page to `query` and loads it newest first. `min_id` reads
/// upwards from the bound (so the page is the posts right after it) and is then
/// reversed; otherwise the query reads downwards. The LIMIT is in the SQL, and the
/// id range is served by the `(id)` / `(account_id, id)` partial indexes.
fn load_page(
    conn: &mut AnyConnection,
    mut query: StatusQuery<'_>,
    page: PageRequest,
) -> Result<Vec<Status>, StorageError> {
    if let Some(max_id) = page.max_id {
        query = query.filter(statuses::id.lt(max_id));
    }
    if let Some(lower) = page.lower_bound() {
        query = query.filter(statuses::id.gt(lower));
    }
    query = if page.ascending() {
        query.order(statuses::id.asc())
    } else {
        query.order(statuses::id.desc())
    };
    let mut rows: Vec<StatusRow> = query
        .select(StatusRow::as_select())
        .limit(page.limit)
        .load(conn)?;
    if page.ascending() {
        rows.reverse();
    }
    Ok(rows.into_iter().map(Status::from).collect())
}

/// Runs `work` in a transaction that takes the write lock up front on SQLite
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads, then writes, fails with
/// SQLITE_BUSY instead of waiting when another writer got there first. PostgreSQL
/// uses a plain `BEGIN`. Commit and rollback go through the connection's own
/// transaction manager, exactly as `Connection::transaction` does.
fn write_transaction<T>(
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

/// Appends an event to the outbox. Call it last in a write transaction.
///
/// On PostgreSQL, BIGSERIAL hands out ids at insert time, not commit time, so two
/// concurrent transactions could commit ids 6 then 5; the relay would publish 6
/// first and a client resuming from 6 would never see 5. A transaction-scoped
/// advisory lock taken just before the insert and held until commit makes outbox
/// ids commit in order. It serialises only the last statement of each write
/// transaction. SQLite already serialises writers.
fn append_event(
    conn: &mut AnyConnection,
    body: &EventBody,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    if let AnyConnection::Postgresql(pg) = conn {
        pg.batch_execute(&format!("SELECT pg_advisory_xact_lock({OUTBOX_LOCK_KEY})"))?;
    }
    let payload = serde_json::to_string(body).map_err(|e| {
        StorageError::Corrupt(format!("could not encode {} event: {e}", body.kind()))
    })?;
    let form = OutboxInsertForm {
        kind: body.kind(),
        payload: &payload,
        created_at: at,
    };
    diesel::insert_into(outbox::table)
        .values(&form)
        .execute(conn)?;
    Ok(())
}

/// The advisory lock key that orders outbox commits on PostgreSQL.
const OUTBOX_LOCK_KEY: i64 = 0x4855_4242_4f55_5458;

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

/// A foreign-key violation on insert means a referenced account is missing.
fn missing_account(error: DieselError, what: &'static str) -> StorageError {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            StorageError::NotFound { what }
        }
        other => other.into(),
    }
}
