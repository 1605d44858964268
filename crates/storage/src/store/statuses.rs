//! Posts and the timelines that page over them.

use super::*;
use crate::schema::{follows, statuses};

impl Store {
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
                let status = Status::from(row);
                helpdesk::on_status_created(conn, &status)?;
                Ok(status)
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
