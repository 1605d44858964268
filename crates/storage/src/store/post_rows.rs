//! A new post's own rows: the post, its author's part in its thread, and its
//! `StatusCreated` event. On PostgreSQL one prepared statement writes all three
//! (one round trip instead of three: at thousands of posts a second the round
//! trips, not the inserts, are most of the cost); on SQLite, which runs in
//! this process and has no data-modifying `WITH`, three plain inserts.

use super::outbox::{append_event, encode_event};
use super::threads::{BY_POSTING, take_part};
use super::*;
use crate::schema::statuses;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp};

/// A new post as stored.
pub(super) struct NewPostRow<'a> {
    pub(super) id: i64,
    pub(super) account_id: i64,
    pub(super) text: &'a str,
    pub(super) in_reply_to_id: Option<i64>,
    pub(super) community_id: Option<i64>,
    pub(super) created_at: NaiveDateTime,
    pub(super) thread_id: i64,
    pub(super) question: bool,
}

/// Inserts `post`, its author's part in its thread and `event`, inside the
/// caller's transaction; returns the stored post. A missing author is
/// `StorageError::NotFound { what: "account_id" }`.
pub(super) fn insert_post(
    conn: &mut AnyConnection,
    post: &NewPostRow<'_>,
    event: &EventBody,
) -> Result<StatusRow, StorageError> {
    if let AnyConnection::Postgresql(pg) = conn {
        let payload = encode_event(event)?;
        return PostStatement {
            post,
            kind: event.kind(),
            payload: &payload,
        }
        .get_result(pg)
        .map_err(|e| missing_account(e, "account_id"));
    }
    // NULLs are bound rather than left to DEFAULT, so the SQL is the same for
    // every post.
    let row: StatusRow = diesel::insert_into(statuses::table)
        .values((
            statuses::id.eq(post.id),
            statuses::account_id.eq(post.account_id),
            statuses::text.eq(post.text),
            statuses::in_reply_to_id.eq(post.in_reply_to_id),
            statuses::community_id.eq(post.community_id),
            statuses::created_at.eq(post.created_at),
            statuses::thread_id.eq(post.thread_id),
            statuses::question.eq(post.question),
        ))
        .get_result(conn)
        .map_err(|e| missing_account(e, "account_id"))?;
    take_part(
        conn,
        AccountId(post.account_id),
        StatusId(post.thread_id),
        post.created_at,
    )?;
    append_event(conn, event, post.created_at)?;
    Ok(row)
}

/// Every column of a post, in the order [`StatusRow`] reads them.
const POST_COLUMNS: &<statuses::table as Table>::AllColumns = &statuses::all_columns;

/// PostgreSQL's one statement for [`insert_post`]:
/// `WITH post AS (INSERT INTO statuses … RETURNING …), part AS (INSERT INTO
/// thread_follows … ON CONFLICT DO NOTHING), event AS (INSERT INTO outbox …)
/// SELECT * FROM post`. Its SQL never varies, so diesel keeps it prepared.
struct PostStatement<'a> {
    post: &'a NewPostRow<'a>,
    kind: &'a str,
    payload: &'a str,
}

impl QueryId for PostStatement<'_> {
    type QueryId = PostStatement<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for PostStatement<'_> {
    type SqlType = diesel::dsl::SqlTypeOf<<statuses::table as Table>::AllColumns>;
}

impl<Conn> RunQueryDsl<Conn> for PostStatement<'_> {}

impl QueryFragment<Pg> for PostStatement<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let post = self.post;
        out.push_sql(
            "WITH post AS (INSERT INTO statuses (id, account_id, text, in_reply_to_id, \
             community_id, created_at, thread_id, question) VALUES (",
        );
        out.push_bind_param::<BigInt, _>(&post.id)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&post.account_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&post.text)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&post.in_reply_to_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&post.community_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&post.created_at)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&post.thread_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Bool, _>(&post.question)?;
        out.push_sql(") RETURNING ");
        POST_COLUMNS.walk_ast(out.reborrow())?;
        out.push_sql(
            "), part AS (INSERT INTO thread_follows (account_id, thread_id, source, \
             created_at) VALUES (",
        );
        out.push_bind_param::<BigInt, _>(&post.account_id)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&post.thread_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&BY_POSTING)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&post.created_at)?;
        out.push_sql(
            ") ON CONFLICT DO NOTHING), event AS (INSERT INTO outbox (kind, payload, \
             created_at) VALUES (",
        );
        out.push_bind_param::<Text, _>(&self.kind)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.payload)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&post.created_at)?;
        out.push_sql(")) SELECT * FROM post");
        Ok(())
    }
}
