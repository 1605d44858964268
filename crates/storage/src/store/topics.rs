//! #Topics and @mentions: stored with each post, and topics people follow.

use super::*;
use crate::model::{MentionedAccount, StatusLinks, TagView};
use crate::schema::{accounts, mentions, status_tags, tag_follows, tags};
use diesel::sql_types::BigInt;
use hubbub_core::text::extract;
use std::collections::HashMap;

impl Store {
    /// The stored topics and mentions of each post in `ids`, in two queries.
    /// Posts with neither are absent from the map.
    pub async fn status_links(
        &self,
        ids: &[StatusId],
    ) -> Result<HashMap<StatusId, StatusLinks>, StorageError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        self.run(move |conn| {
            let mut links: HashMap<StatusId, StatusLinks> = HashMap::new();
            let tag_rows: Vec<(i64, String)> = status_tags::table
                .inner_join(tags::table)
                .filter(status_tags::status_id.eq_any(&ids))
                .order((status_tags::status_id, tags::name))
                .select((status_tags::status_id, tags::name))
                .load(conn)?;
            for (status, name) in tag_rows {
                links.entry(StatusId(status)).or_default().tags.push(name);
            }
            let mention_rows: Vec<(i64, i64, String)> = mentions::table
                .inner_join(accounts::table)
                .filter(mentions::status_id.eq_any(&ids))
                .order((mentions::status_id, accounts::username_canonical))
                .select((mentions::status_id, accounts::id, accounts::username))
                .load(conn)?;
            for (status, id, username) in mention_rows {
                links
                    .entry(StatusId(status))
                    .or_default()
                    .mentions
                    .push(MentionedAccount {
                        id: AccountId(id),
                        username,
                    });
            }
            Ok(links)
        })
        .await
    }

    /// The accounts with these usernames (ignoring case); unknown names are skipped.
    pub async fn accounts_by_usernames(
        &self,
        usernames: &[String],
    ) -> Result<Vec<Account>, StorageError> {
        if usernames.is_empty() {
            return Ok(Vec::new());
        }
        let names: Vec<String> = usernames.iter().map(|n| n.to_ascii_lowercase()).collect();
        self.run(move |conn| {
            accounts::table
                .filter(accounts::username_canonical.eq_any(names))
                .select(AccountRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Account::try_from)
                .collect()
        })
        .await
    }

    /// A topic by canonical name, with whether `viewer` follows it; `None` if no
    /// post ever used it and nobody follows it.
    pub async fn tag(
        &self,
        name: &str,
        viewer: AccountId,
    ) -> Result<Option<TagView>, StorageError> {
        let name = name.to_owned();
        self.run(move |conn| {
            let Some(id) = tag_id(conn, &name)? else {
                return Ok(None);
            };
            let following = tag_follows::table
                .find((viewer.0, id))
                .count()
                .get_result::<i64>(conn)?
                > 0;
            Ok(Some(TagView { name, following }))
        })
        .await
    }

    /// `account` follows the topic `name` (canonical), creating it if needed; idempotent.
    pub async fn follow_tag(
        &self,
        account: AccountId,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let name = name.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let id = ensure_tag(conn, &name, now)?;
                let already = tag_follows::table
                    .find((account.0, id))
                    .count()
                    .get_result::<i64>(conn)?
                    > 0;
                if !already {
                    diesel::insert_into(tag_follows::table)
                        .values((
                            tag_follows::account_id.eq(account.0),
                            tag_follows::tag_id.eq(id),
                            tag_follows::created_at.eq(now),
                        ))
                        .execute(conn)
                        .map_err(|e| missing_account(e, "account"))?;
                    let event = EventBody::TopicFollowed { account, tag: name };
                    append_event(conn, &event, now)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// `account` stops following the topic (idempotent); `false` if the topic does not exist.
    pub async fn unfollow_tag(
        &self,
        account: AccountId,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let name = name.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let Some(id) = tag_id(conn, &name)? else {
                    return Ok(false);
                };
                let removed =
                    diesel::delete(tag_follows::table.find((account.0, id))).execute(conn)?;
                if removed > 0 {
                    let event = EventBody::TopicUnfollowed { account, tag: name };
                    append_event(conn, &event, now)?;
                }
                Ok(true)
            })
        })
        .await
    }

    /// The canonical names of the topics `account` follows (the gateway's
    /// interests at connect).
    pub async fn followed_tag_names(
        &self,
        account: AccountId,
    ) -> Result<Vec<String>, StorageError> {
        self.run(move |conn| {
            Ok(tag_follows::table
                .inner_join(tags::table)
                .filter(tag_follows::account_id.eq(account.0))
                .select(tags::name)
                .load(conn)?)
        })
        .await
    }

    /// The topics `account` follows, newest topic first, one keyset page over topic ids.
    /// Returns (topic id, name) so the caller can build `Link` headers.
    pub async fn followed_tags(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> Result<Vec<(i64, String)>, StorageError> {
        self.run(move |conn| {
            let mut query = tag_follows::table
                .inner_join(tags::table)
                .filter(tag_follows::account_id.eq(account.0))
                .select((tags::id, tags::name))
                .into_boxed();
            if let Some(max_id) = page.max_id {
                query = query.filter(tags::id.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(tags::id.gt(lower));
            }
            query = if page.ascending() {
                query.order(tags::id.asc())
            } else {
                query.order(tags::id.desc())
            };
            let mut rows: Vec<(i64, String)> = query.limit(page.limit).load(conn)?;
            if page.ascending() {
                rows.reverse();
            }
            Ok(rows)
        })
        .await
    }
}

/// The id of the topic `name`, if it exists.
pub(crate) fn tag_id(conn: &mut AnyConnection, name: &str) -> Result<Option<i64>, StorageError> {
    Ok(tags::table
        .filter(tags::name.eq(name))
        .select(tags::id)
        .first(conn)
        .optional()?)
}

/// The id of the topic `name`, created if missing. Two posts introducing the same
/// topic at once both succeed: the insert ignores a conflict and the id is re-read.
fn ensure_tag(
    conn: &mut AnyConnection,
    name: &str,
    now: NaiveDateTime,
) -> Result<i64, StorageError> {
    if let Some(id) = tag_id(conn, name)? {
        return Ok(id);
    }
    create_tag(conn, name, now)?;
    tag_id(conn, name)?.ok_or(StorageError::NotFound { what: "tag" })
}

/// Creates the topic `name` unless it exists (or another writer creates it
/// at the same moment: the conflict is ignored, and the next statement sees it).
fn create_tag(
    conn: &mut AnyConnection,
    name: &str,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    let values = (tags::name.eq(name), tags::created_at.eq(now));
    let insert = diesel::insert_into(tags::table).values(values);
    match conn {
        AnyConnection::Postgresql(pg) => insert.on_conflict_do_nothing().execute(pg)?,
        AnyConnection::Sqlite(sqlite) => insert.on_conflict_do_nothing().execute(sqlite)?,
    };
    Ok(())
}

/// Links `status` to the topic `name` if that topic exists; returns the rows
/// written (0 or 1).
fn link_existing_tag(
    conn: &mut AnyConnection,
    status: StatusId,
    name: &str,
) -> Result<usize, StorageError> {
    let existing = tags::table
        .filter(tags::name.eq(name))
        .select((status.0.into_sql::<BigInt>(), tags::id));
    Ok(diesel::insert_into(status_tags::table)
        .values(existing)
        .into_columns((status_tags::status_id, status_tags::tag_id))
        .execute(conn)?)
}

/// Stores the topics and mentions found in `text` for the new post `status`
/// (inside its write transaction) and returns the ids of the people it mentions.
/// Mentions of usernames that do not exist are dropped.
pub(crate) fn store_links(
    conn: &mut AnyConnection,
    status: StatusId,
    text: &str,
    now: NaiveDateTime,
) -> Result<Vec<i64>, StorageError> {
    let found = extract(text);
    for name in &found.tags {
        // Most topics exist already: link by name in one statement, and only
        // create the topic when that linked nothing.
        if link_existing_tag(conn, status, name)? == 0 {
            create_tag(conn, name, now)?;
            if link_existing_tag(conn, status, name)? == 0 {
                return Err(StorageError::NotFound { what: "tag" });
            }
        }
    }
    if found.mentions.is_empty() {
        return Ok(Vec::new());
    }
    let mentioned: Vec<i64> = accounts::table
        .filter(accounts::username_canonical.eq_any(&found.mentions))
        .select(accounts::id)
        .load(conn)?;
    for account in &mentioned {
        diesel::insert_into(mentions::table)
            .values((
                mentions::status_id.eq(status.0),
                mentions::account_id.eq(*account),
            ))
            .execute(conn)?;
    }
    Ok(mentioned)
}

/// Replaces the topics and mentions stored for `status` with those of its new
/// `text` (an edit, inside its write transaction).
pub(crate) fn replace_links(
    conn: &mut AnyConnection,
    status: StatusId,
    text: &str,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::delete(status_tags::table.filter(status_tags::status_id.eq(status.0))).execute(conn)?;
    diesel::delete(mentions::table.filter(mentions::status_id.eq(status.0))).execute(conn)?;
    store_links(conn, status, text, now)?;
    Ok(())
}
