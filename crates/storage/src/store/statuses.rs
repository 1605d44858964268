//! Posts and the timelines that page over them.

use super::communities::is_active_member;
use super::media::attach_media;
use super::notifications::notify_post;
use super::post_rows::{NewPostRow, insert_post};
use super::topics::store_links;
use super::visibility::visible_to;
use super::*;
use crate::schema::{communities, statuses};
use hubbub_core::ids::{CommunityId, MediaId};
use hubbub_core::visibility::PostAudience;

impl Store {
    /// Stores a post and, in the same transaction, a `StatusCreated` event whose
    /// `status_json` is the rendered Status entity.
    ///
    /// `in_reply_to_id` must name a post the author may see, and a reply always
    /// lives in its parent's community (so a thread in a private community stays
    /// private). A `community_id` must exist and, if private, have the author as
    /// an active member. Otherwise `StorageError::NotFound` names the field and
    /// nothing is written.
    pub async fn create_status(
        &self,
        status: NewStatus,
        status_json: String,
    ) -> Result<Status, StorageError> {
        self.create_status_with_media(status, Vec::new(), status_json)
            .await
    }

    /// [`Store::create_status`], attaching `media` (the author's own unattached
    /// uploads, at most four) in the same transaction; any other media id gives
    /// `StorageError::NotFound { what: "media_ids" }` and nothing is written.
    pub async fn create_status_with_media(
        &self,
        status: NewStatus,
        media: Vec<MediaId>,
        status_json: String,
    ) -> Result<Status, StorageError> {
        self.create_post(status, media, false, status_json).await
    }

    /// [`Store::create_status_with_media`], marking the post a question when
    /// `question`. The post joins its parent's thread (or starts one), and the
    /// author takes part in that thread from now on (see `thread_follows`).
    pub async fn create_post(
        &self,
        status: NewStatus,
        media: Vec<MediaId>,
        question: bool,
        status_json: String,
    ) -> Result<Status, StorageError> {
        let helpdesk_settings = self.helpdesk_settings.clone();
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let mut community_id = status.community_id;
                let mut thread_id = status.id.0;
                if let Some(parent) = status.in_reply_to_id {
                    let found: Option<(Option<i64>, i64)> = statuses::table
                        .filter(statuses::id.eq(parent.0))
                        .filter(statuses::deleted_at.is_null())
                        .filter(visible_to(Some(status.account_id)))
                        .select((statuses::community_id, statuses::thread_id))
                        .first(conn)
                        .optional()?;
                    let Some((parent_community, parent_thread)) = found else {
                        return Err(StorageError::NotFound {
                            what: "in_reply_to_id",
                        });
                    };
                    community_id = parent_community.map(CommunityId);
                    thread_id = parent_thread;
                }
                let audience = audience_of(conn, community_id, status.account_id)?;
                let created_at = to_db(status.created_at);
                let event = EventBody::StatusCreated {
                    author: status.account_id,
                    status_id: status.id,
                    thread: StatusId(thread_id),
                    audience,
                    status_json: status_json.clone(),
                };
                let post = NewPostRow {
                    id: status.id.0,
                    account_id: status.account_id.0,
                    text: status.text.as_str(),
                    in_reply_to_id: status.in_reply_to_id.map(|id| id.0),
                    community_id: community_id.map(|id| id.0),
                    created_at,
                    thread_id,
                    question,
                };
                let row = insert_post(conn, &post, &event)?;
                let mentioned = store_links(conn, status.id, status.text.as_str(), created_at)?;
                attach_media(conn, status.account_id, status.id, &media)?;
                let status = Status::from(row);
                notify_post(conn, &status, &status_json, mentioned)?;
                let mut status = status;
                status.question |= helpdesk::on_status_created(conn, &status, &helpdesk_settings)?;
                Ok(status)
            })
        })
        .await
    }

    /// A post that is not deleted and that `viewer` may see.
    pub async fn status(
        &self,
        id: StatusId,
        viewer: Option<AccountId>,
    ) -> Result<Option<Status>, StorageError> {
        self.run(move |conn| {
            let row = statuses::table
                .find(id.0)
                .filter(statuses::deleted_at.is_null())
                .filter(visible_to(viewer))
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
            write_transaction(conn, |conn| Ok(mark_deleted(conn, id, now)?.is_some()))
        })
        .await
    }

    /// The all-company feed: every post all staff may see (so none from private
    /// communities), newest first, one keyset page.
    pub async fn public_timeline(&self, page: PageRequest) -> Result<Vec<Status>, StorageError> {
        self.run(move |conn| {
            let query = statuses::table
                .filter(statuses::deleted_at.is_null())
                .filter(visible_to(None))
                .into_boxed();
            load_page(conn, query, page)
        })
        .await
    }

    /// One account's posts that `viewer` may see, newest first, one keyset page.
    pub async fn account_statuses(
        &self,
        author: AccountId,
        viewer: Option<AccountId>,
        page: PageRequest,
    ) -> Result<Vec<Status>, StorageError> {
        self.run(move |conn| {
            let query = statuses::table
                .filter(statuses::account_id.eq(author.0))
                .filter(statuses::deleted_at.is_null())
                .filter(visible_to(viewer))
                .into_boxed();
            load_page(conn, query, page)
        })
        .await
    }
}

/// A boxed query over live posts, before paging.
pub(super) type StatusQuery<'a> = statuses::BoxedQuery<'a, crate::connection::MultiBackend>;

/// Applies a keyset page to `query` and loads it newest first. `min_id` reads
/// upwards from the bound (so the page is the posts right after it) and is then
/// reversed; otherwise the query reads downwards. The LIMIT is in the SQL, and the
/// id range is served by the `(id)` / `(account_id, id)` partial indexes.
pub(super) fn load_page(
    conn: &mut AnyConnection,
    query: StatusQuery<'_>,
    page: PageRequest,
) -> Result<Vec<Status>, StorageError> {
    let rows: Vec<StatusRow> = in_page(query, page)
        .select(StatusRow::as_select())
        .limit(page.limit)
        .load(conn)?;
    Ok(newest_first(rows, page))
}

/// `query` restricted to the id range of `page` and ordered the way the page
/// reads (downwards, or upwards from `min_id`); the caller adds the LIMIT.
pub(super) fn in_page(mut query: StatusQuery<'_>, page: PageRequest) -> StatusQuery<'_> {
    if let Some(max_id) = page.max_id {
        query = query.filter(statuses::id.lt(max_id));
    }
    if let Some(lower) = page.lower_bound() {
        query = query.filter(statuses::id.gt(lower));
    }
    if page.ascending() {
        query.order(statuses::id.asc())
    } else {
        query.order(statuses::id.desc())
    }
}

/// Rows read in the order of [`in_page`], as posts newest first.
pub(super) fn newest_first(mut rows: Vec<StatusRow>, page: PageRequest) -> Vec<Status> {
    if page.ascending() {
        rows.reverse();
    }
    rows.into_iter().map(Status::from).collect()
}

/// Marks a live post deleted and appends its `StatusDeleted` event, inside the
/// caller's transaction: the one delete path, shared by authors and moderators.
/// Returns the author and community, or `None` if there was no live post.
pub(crate) fn mark_deleted(
    conn: &mut AnyConnection,
    id: StatusId,
    now: NaiveDateTime,
) -> Result<Option<(AccountId, Option<CommunityId>)>, StorageError> {
    let deleted: Option<(i64, Option<i64>, i64)> = diesel::update(
        statuses::table
            .find(id.0)
            .filter(statuses::deleted_at.is_null()),
    )
    .set(statuses::deleted_at.eq(now))
    .returning((
        statuses::account_id,
        statuses::community_id,
        statuses::thread_id,
    ))
    .get_result(conn)
    .optional()?;
    let Some((author, community, thread)) = deleted else {
        return Ok(None);
    };
    let private = match community {
        Some(community) => communities::table
            .find(community)
            .select(communities::private)
            .first::<bool>(conn)?,
        None => false,
    };
    let event = EventBody::StatusDeleted {
        author: AccountId(author),
        status_id: id,
        thread: StatusId(thread),
        audience: PostAudience::of(community.map(CommunityId), private),
    };
    append_event(conn, &event, now)?;
    Ok(Some((AccountId(author), community.map(CommunityId))))
}

/// Who may see a post in `community` by `author`; a community that does not exist,
/// or a private one the author is not an active member of, is `NotFound`.
fn audience_of(
    conn: &mut AnyConnection,
    community: Option<CommunityId>,
    author: AccountId,
) -> Result<PostAudience, StorageError> {
    let Some(community) = community else {
        return Ok(PostAudience::of(None, false));
    };
    let private: Option<bool> = communities::table
        .find(community.0)
        .select(communities::private)
        .first(conn)
        .optional()?;
    match private {
        Some(true) if is_active_member(conn, community, author)? => {
            Ok(PostAudience::of(Some(community), true))
        }
        Some(false) => Ok(PostAudience::of(Some(community), false)),
        _ => Err(StorageError::NotFound {
            what: "community_id",
        }),
    }
}
