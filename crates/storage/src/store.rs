//! [`Store`]: every query Hubbub runs, as async functions over a pooled
//! connection to PostgreSQL or SQLite.
//!
//! INTERFACE CONTRACT (written first so api/realtime can build against it; the
//! bodies are filled in by the storage work).

use crate::error::StorageError;
use crate::model::{
    AccessToken, Account, AccountCounts, App, NewAccessToken, NewAccount, NewApp, NewStatus,
    Relationship, Status,
};
use chrono::{DateTime, Utc};
use hubbub_core::event::Event;
use hubbub_core::ids::{AccountId, EventId, StatusId};
use hubbub_core::page::PageRequest;

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
    _private: (),
}

impl Store {
    /// Connects to `url` (`postgres://`/`postgresql://`, or `sqlite://path` /
    /// a plain file path), with at most `pool_size` connections.
    /// Unknown schemes and unreachable servers are errors with the real cause.
    pub async fn connect(url: &str, pool_size: u32) -> Result<Self, StorageError> {
        todo!("{url} {pool_size}")
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        todo!()
    }

    /// Runs pending embedded migrations; returns how many ran.
    pub async fn migrate(&self) -> Result<usize, StorageError> {
        todo!()
    }

    /// Checks the database answers (for readiness).
    pub async fn ping(&self) -> Result<(), StorageError> {
        todo!()
    }

    /// Registers a client application.
    pub async fn create_app(&self, app: NewApp) -> Result<App, StorageError> {
        todo!("{app:?}")
    }

    /// Looks an application up by its public client id.
    pub async fn app_by_client_id(&self, client_id: &str) -> Result<Option<App>, StorageError> {
        todo!("{client_id}")
    }

    /// Creates an account. A username taken in any letter case gives
    /// `StorageError::Conflict { field: "username" }`; a taken email, `field: "email"`.
    pub async fn create_account(&self, account: NewAccount) -> Result<Account, StorageError> {
        todo!("{account:?}")
    }

    /// An account by id.
    pub async fn account(&self, id: AccountId) -> Result<Option<Account>, StorageError> {
        todo!("{id}")
    }

    /// Accounts by id, in one query, in no particular order; missing ids are skipped.
    pub async fn accounts(&self, ids: &[AccountId]) -> Result<Vec<Account>, StorageError> {
        todo!("{ids:?}")
    }

    /// An account by username (ignoring case) or by email: what a person types to sign in.
    pub async fn account_by_login(&self, login: &str) -> Result<Option<Account>, StorageError> {
        todo!("{login}")
    }

    /// Post, follower and following counts of one account.
    pub async fn account_counts(&self, id: AccountId) -> Result<AccountCounts, StorageError> {
        todo!("{id}")
    }

    /// Stores a newly issued token.
    pub async fn create_token(&self, token: NewAccessToken) -> Result<(), StorageError> {
        todo!("{token:?}")
    }

    /// The token with this id if it is neither revoked nor expired at `now` and its
    /// account (if any) is not disabled.
    pub async fn active_token(
        &self,
        token_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessToken>, StorageError> {
        todo!("{token_id} {now}")
    }

    /// Revokes a token and records a `TokenRevoked` event in the same transaction.
    /// Returns whether a live token was revoked.
    pub async fn revoke_token(&self, token_id: &str, now: DateTime<Utc>) -> Result<bool, StorageError> {
        todo!("{token_id} {now}")
    }

    /// `follower` follows `followee` (idempotent); records `Followed` when new.
    pub async fn follow(
        &self,
        follower: AccountId,
        followee: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        todo!("{follower} {followee} {now}")
    }

    /// `follower` unfollows `followee` (idempotent); records `Unfollowed` when it was following.
    pub async fn unfollow(&self, follower: AccountId, followee: AccountId) -> Result<(), StorageError> {
        todo!("{follower} {followee}")
    }

    /// How `viewer` relates to `other`.
    pub async fn relationship(&self, viewer: AccountId, other: AccountId) -> Result<Relationship, StorageError> {
        todo!("{viewer} {other}")
    }

    /// Everyone `follower` follows.
    pub async fn followee_ids(&self, follower: AccountId) -> Result<Vec<AccountId>, StorageError> {
        todo!("{follower}")
    }

    /// Stores a post and, in the same transaction, a `StatusCreated` event whose
    /// `status_json` is the rendered Status entity. `in_reply_to_id` must name a
    /// visible post (else `StorageError::NotFound`).
    pub async fn create_status(&self, status: NewStatus, status_json: String) -> Result<Status, StorageError> {
        todo!("{status:?} {status_json}")
    }

    /// A post that is not deleted.
    pub async fn status(&self, id: StatusId) -> Result<Option<Status>, StorageError> {
        todo!("{id}")
    }

    /// Marks a post deleted and records `StatusDeleted`, in one transaction.
    /// Returns `false` if it did not exist or was already deleted.
    pub async fn delete_status(&self, id: StatusId, now: DateTime<Utc>) -> Result<bool, StorageError> {
        todo!("{id} {now}")
    }

    /// Home timeline: the viewer's own posts and those of accounts they follow,
    /// newest first, one keyset page.
    pub async fn home_timeline(&self, viewer: AccountId, page: PageRequest) -> Result<Vec<Status>, StorageError> {
        todo!("{viewer} {page:?}")
    }

    /// Every post, newest first, one keyset page.
    pub async fn public_timeline(&self, page: PageRequest) -> Result<Vec<Status>, StorageError> {
        todo!("{page:?}")
    }

    /// One account's posts, newest first, one keyset page.
    pub async fn account_statuses(&self, author: AccountId, page: PageRequest) -> Result<Vec<Status>, StorageError> {
        todo!("{author} {page:?}")
    }

    /// Up to `limit` outbox events not yet published, oldest first.
    pub async fn unpublished_events(&self, limit: i64) -> Result<Vec<Event>, StorageError> {
        todo!("{limit}")
    }

    /// Marks events as published.
    pub async fn mark_published(&self, ids: &[EventId], now: DateTime<Utc>) -> Result<(), StorageError> {
        todo!("{ids:?} {now}")
    }

    /// Published events with an id above `after`, oldest first, for replay.
    pub async fn events_after(&self, after: EventId, limit: i64) -> Result<Vec<Event>, StorageError> {
        todo!("{after} {limit}")
    }
}
