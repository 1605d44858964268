//! Bulk loading for the demo seeder and the benchmark generator: multi-row
//! INSERTs, one transaction per call, no outbox events (nobody is streaming
//! the history of a fresh instance). Not for request handlers.

use super::*;
use crate::rows::{CommunityMemberInsertForm, FollowInsertForm};
use crate::schema::{accounts, communities, community_members, follows, statuses};

/// One multi-row INSERT. `MultiConnection` has no batch insert (SQLite lacks
/// the DEFAULT keyword), so each backend gets its own arm.
macro_rules! insert_many {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            AnyConnection::Postgresql(pg) => diesel::insert_into($table).values($rows).execute(pg),
            AnyConnection::Sqlite(sqlite) => {
                diesel::insert_into($table).values($rows).execute(sqlite)
            }
        }
    };
}

/// Rows per INSERT statement: well under SQLite's and PostgreSQL's bind
/// parameter limits for the widest table (12 columns).
const ROWS_PER_STATEMENT: usize = 500;

/// An account with its directory fields, as bulk-loaded.
#[derive(Debug, Clone, diesel::Insertable)]
#[diesel(table_name = accounts)]
pub struct BulkAccount {
    /// Id.
    pub id: i64,
    /// Username (letters, digits, underscores).
    pub username: String,
    /// Lower-cased username.
    pub username_canonical: String,
    /// Display name.
    pub display_name: String,
    /// Email, lower-cased.
    pub email: String,
    /// argon2id PHC string (or an unusable one).
    pub password_hash: String,
    /// Role name.
    pub role: String,
    /// Disabled?
    pub disabled: bool,
    /// Registered at (naive UTC).
    pub created_at: NaiveDateTime,
    /// Bio.
    pub note: String,
    /// Department.
    pub department: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Manager (must be loaded earlier or in the same call, before).
    pub manager_id: Option<i64>,
}

/// A post as bulk-loaded.
#[derive(Debug, Clone, diesel::Insertable)]
#[diesel(table_name = statuses)]
pub struct BulkStatus {
    /// Id, minted from `created_at`.
    pub id: i64,
    /// Author.
    pub account_id: i64,
    /// Text.
    pub text: String,
    /// Parent.
    pub in_reply_to_id: Option<i64>,
    /// Community.
    pub community_id: Option<i64>,
    /// Posted at (naive UTC).
    pub created_at: NaiveDateTime,
    /// The thread's first post (`id` itself for a thread starter).
    pub thread_id: i64,
}

/// A community as bulk-loaded.
#[derive(Debug, Clone, diesel::Insertable)]
#[diesel(table_name = communities)]
pub struct BulkCommunity {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Lower-cased name.
    pub name_canonical: String,
    /// Description.
    pub description: String,
    /// Private?
    pub private: bool,
    /// Help-desk community?
    pub helpdesk: bool,
    /// Creator.
    pub created_by: i64,
    /// Created at (naive UTC).
    pub created_at: NaiveDateTime,
}

/// A community membership as bulk-loaded (`role` member|admin, state active).
#[derive(Debug, Clone)]
pub struct BulkMembership {
    /// Community.
    pub community_id: i64,
    /// Member.
    pub account_id: i64,
    /// Community admin?
    pub admin: bool,
    /// Since.
    pub created_at: NaiveDateTime,
}

/// A follow edge as bulk-loaded.
#[derive(Debug, Clone, Copy)]
pub struct BulkFollow {
    /// Who follows.
    pub follower_id: i64,
    /// Whom.
    pub followee_id: i64,
    /// Since.
    pub created_at: NaiveDateTime,
}

impl Store {
    /// Refreshes the query planner's statistics (`ANALYZE`), as a bulk load must
    /// before the first queries: without them PostgreSQL guesses, and a feed query
    /// can walk the whole table.
    pub async fn analyze(&self) -> Result<(), StorageError> {
        self.run(|conn| Ok(conn.batch_execute("ANALYZE")?)).await
    }

    /// Inserts accounts in one transaction.
    pub async fn bulk_accounts(&self, rows: Vec<BulkAccount>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    insert_many!(conn, accounts::table, chunk)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts posts in one transaction.
    pub async fn bulk_statuses(&self, rows: Vec<BulkStatus>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    insert_many!(conn, statuses::table, chunk)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts communities in one transaction.
    pub async fn bulk_communities(&self, rows: Vec<BulkCommunity>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    insert_many!(conn, communities::table, chunk)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts active memberships in one transaction.
    pub async fn bulk_memberships(&self, rows: Vec<BulkMembership>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let forms: Vec<CommunityMemberInsertForm<'_>> = chunk
                        .iter()
                        .map(|row| CommunityMemberInsertForm {
                            community_id: row.community_id,
                            account_id: row.account_id,
                            role: if row.admin { "admin" } else { "member" },
                            state: "active",
                            created_at: row.created_at,
                        })
                        .collect();
                    insert_many!(conn, community_members::table, &forms)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Inserts follow edges in one transaction.
    pub async fn bulk_follows(&self, rows: Vec<BulkFollow>) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let forms: Vec<FollowInsertForm> = chunk
                        .iter()
                        .map(|row| FollowInsertForm {
                            follower_id: row.follower_id,
                            followee_id: row.followee_id,
                            created_at: row.created_at,
                        })
                        .collect();
                    insert_many!(conn, follows::table, &forms)?;
                }
                Ok(())
            })
        })
        .await
    }
}
