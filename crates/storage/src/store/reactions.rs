//! Favourites, reactions and bookmarks: idempotent writes on posts the person may
//! see, the lists that page over them, and the per-page counts and flags.

use super::helpdesk::on_same_here;
use super::notifications::add_notification;
use super::visibility::{visible_status_ids, visible_to};
use super::*;
use crate::interactions::{Interactions, NewNotification, NoticeJson, ReactionCount};
use crate::schema::{accounts, bookmarks, favourites, notifications, reactions, statuses};
use hubbub_core::reaction::{NotificationKind, Reaction};
use std::collections::{HashMap, HashSet};

/// A listed post with the id of the favourite or bookmark that lists it.
pub type Listed = (i64, Status);

impl Store {
    /// `account` favourites `status` (idempotent). The post must be live and
    /// visible to them, otherwise `NotFound { what: "status" }` and nothing is
    /// written. Its author is notified (with `json`) when the favourite is new.
    pub async fn favourite(
        &self,
        account: AccountId,
        status: StatusId,
        now: DateTime<Utc>,
        json: NoticeJson,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let author = visible_author(conn, status, account)?;
                let values = (
                    favourites::account_id.eq(account.0),
                    favourites::status_id.eq(status.0),
                    favourites::created_at.eq(now),
                );
                let insert = diesel::insert_into(favourites::table).values(values);
                let inserted = match conn {
                    AnyConnection::Postgresql(pg) => insert.on_conflict_do_nothing().execute(pg),
                    AnyConnection::Sqlite(sqlite) => {
                        insert.on_conflict_do_nothing().execute(sqlite)
                    }
                }
                .map_err(|e| missing_account(e, "account"))?;
                if inserted > 0 {
                    add_notification(
                        conn,
                        &NewNotification {
                            recipient: author,
                            kind: NotificationKind::Favourite,
                            from_account: account,
                            status_id: Some(status),
                            reaction: None,
                            created_at: now.and_utc(),
                            json: Some(json),
                        },
                    )?;
                }
                Ok(())
            })
        })
        .await
    }

    /// `account` takes back its favourite (idempotent), and the notification it caused.
    pub async fn unfavourite(
        &self,
        account: AccountId,
        status: StatusId,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                visible_author(conn, status, account)?;
                diesel::delete(
                    favourites::table
                        .filter(favourites::account_id.eq(account.0))
                        .filter(favourites::status_id.eq(status.0)),
                )
                .execute(conn)?;
                withdraw_notification(conn, account, status, NotificationKind::Favourite, None)
            })
        })
        .await
    }

    /// `account` gives `reaction` to `status` (idempotent), notifying its author
    /// when new. "Same here" on a ticket's thread counts as a reuse of its answer.
    pub async fn react(
        &self,
        account: AccountId,
        status: StatusId,
        reaction: Reaction,
        now: DateTime<Utc>,
        json: NoticeJson,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let author = visible_author(conn, status, account)?;
                let values = (
                    reactions::account_id.eq(account.0),
                    reactions::status_id.eq(status.0),
                    reactions::name.eq(reaction.as_str()),
                    reactions::created_at.eq(now),
                );
                let insert = diesel::insert_into(reactions::table).values(values);
                let inserted = match conn {
                    AnyConnection::Postgresql(pg) => insert.on_conflict_do_nothing().execute(pg),
                    AnyConnection::Sqlite(sqlite) => {
                        insert.on_conflict_do_nothing().execute(sqlite)
                    }
                }
                .map_err(|e| missing_account(e, "account"))?;
                if inserted == 0 {
                    return Ok(());
                }
                if reaction == Reaction::SameHere {
                    on_same_here(conn, status, account, false, now)?;
                }
                add_notification(
                    conn,
                    &NewNotification {
                        recipient: author,
                        kind: NotificationKind::Reaction,
                        from_account: account,
                        status_id: Some(status),
                        reaction: Some(reaction),
                        created_at: now.and_utc(),
                        json: Some(json),
                    },
                )?;
                Ok(())
            })
        })
        .await
    }

    /// `account` takes back `reaction` (idempotent): its notification goes, and a
    /// "same here" on a ticket's thread is logged as a withdrawn reuse.
    pub async fn unreact(
        &self,
        account: AccountId,
        status: StatusId,
        reaction: Reaction,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                visible_author(conn, status, account)?;
                let removed = diesel::delete(
                    reactions::table
                        .filter(reactions::account_id.eq(account.0))
                        .filter(reactions::status_id.eq(status.0))
                        .filter(reactions::name.eq(reaction.as_str())),
                )
                .execute(conn)?;
                if removed > 0 && reaction == Reaction::SameHere {
                    on_same_here(conn, status, account, true, now)?;
                }
                withdraw_notification(
                    conn,
                    account,
                    status,
                    NotificationKind::Reaction,
                    Some(reaction),
                )
            })
        })
        .await
    }

    /// `account` bookmarks `status` (idempotent); the post must be visible to them.
    pub async fn bookmark(
        &self,
        account: AccountId,
        status: StatusId,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                visible_author(conn, status, account)?;
                let values = (
                    bookmarks::account_id.eq(account.0),
                    bookmarks::status_id.eq(status.0),
                    bookmarks::created_at.eq(now),
                );
                let insert = diesel::insert_into(bookmarks::table).values(values);
                match conn {
                    AnyConnection::Postgresql(pg) => insert.on_conflict_do_nothing().execute(pg),
                    AnyConnection::Sqlite(sqlite) => {
                        insert.on_conflict_do_nothing().execute(sqlite)
                    }
                }
                .map_err(|e| missing_account(e, "account"))?;
                Ok(())
            })
        })
        .await
    }

    /// `account` removes its bookmark (idempotent); the post must be visible to them.
    pub async fn unbookmark(
        &self,
        account: AccountId,
        status: StatusId,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                visible_author(conn, status, account)?;
                diesel::delete(
                    bookmarks::table
                        .filter(bookmarks::account_id.eq(account.0))
                        .filter(bookmarks::status_id.eq(status.0)),
                )
                .execute(conn)?;
                Ok(())
            })
        })
        .await
    }

    /// The live posts `account` favourited and may still see, newest favourite
    /// first, one keyset page over the favourites' own ids.
    pub async fn favourites(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> Result<Vec<Listed>, StorageError> {
        self.run(move |conn| {
            let mut query = favourites::table
                .filter(favourites::account_id.eq(account.0))
                .filter(
                    favourites::status_id
                        .nullable()
                        .eq_any(visible_status_ids(account.0)),
                )
                .select((favourites::id, favourites::status_id))
                .into_boxed();
            if let Some(max_id) = page.max_id {
                query = query.filter(favourites::id.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(favourites::id.gt(lower));
            }
            query = if page.ascending() {
                query.order(favourites::id.asc())
            } else {
                query.order(favourites::id.desc())
            };
            let rows: Vec<(i64, i64)> = query.limit(page.limit).load(conn)?;
            with_statuses(conn, rows, page)
        })
        .await
    }

    /// The live posts `account` bookmarked and may still see (a post in a private
    /// community they left drops out), newest bookmark first, one keyset page.
    pub async fn bookmarks(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> Result<Vec<Listed>, StorageError> {
        self.run(move |conn| {
            let mut query = bookmarks::table
                .filter(bookmarks::account_id.eq(account.0))
                .filter(
                    bookmarks::status_id
                        .nullable()
                        .eq_any(visible_status_ids(account.0)),
                )
                .select((bookmarks::id, bookmarks::status_id))
                .into_boxed();
            if let Some(max_id) = page.max_id {
                query = query.filter(bookmarks::id.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(bookmarks::id.gt(lower));
            }
            query = if page.ascending() {
                query.order(bookmarks::id.asc())
            } else {
                query.order(bookmarks::id.desc())
            };
            let rows: Vec<(i64, i64)> = query.limit(page.limit).load(conn)?;
            with_statuses(conn, rows, page)
        })
        .await
    }

    /// Who favourited `status`, newest first, one keyset page over the favourite
    /// ids; returns (favourite id, account). The caller checks the viewer may see
    /// the post.
    pub async fn favourited_by(
        &self,
        status: StatusId,
        page: PageRequest,
    ) -> Result<Vec<(i64, Account)>, StorageError> {
        self.run(move |conn| {
            let mut query = favourites::table
                .inner_join(accounts::table)
                .filter(favourites::status_id.eq(status.0))
                .select((favourites::id, AccountRow::as_select()))
                .into_boxed();
            if let Some(max_id) = page.max_id {
                query = query.filter(favourites::id.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(favourites::id.gt(lower));
            }
            query = if page.ascending() {
                query.order(favourites::id.asc())
            } else {
                query.order(favourites::id.desc())
            };
            let rows: Vec<(i64, AccountRow)> = query.limit(page.limit).load(conn)?;
            accounts_page(rows, page)
        })
        .await
    }

    /// Who gave `reaction` to `status`, newest first, one keyset page over the
    /// reaction ids. The caller checks the viewer may see the post.
    pub async fn reacted_by(
        &self,
        status: StatusId,
        reaction: Reaction,
        page: PageRequest,
    ) -> Result<Vec<(i64, Account)>, StorageError> {
        self.run(move |conn| {
            let mut query = reactions::table
                .inner_join(accounts::table)
                .filter(reactions::status_id.eq(status.0))
                .filter(reactions::name.eq(reaction.as_str()))
                .select((reactions::id, AccountRow::as_select()))
                .into_boxed();
            if let Some(max_id) = page.max_id {
                query = query.filter(reactions::id.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(reactions::id.gt(lower));
            }
            query = if page.ascending() {
                query.order(reactions::id.asc())
            } else {
                query.order(reactions::id.desc())
            };
            let rows: Vec<(i64, AccountRow)> = query.limit(page.limit).load(conn)?;
            accounts_page(rows, page)
        })
        .await
    }

    /// The live posts among `ids` that `viewer` may see, in no particular order
    /// (for rendering the posts of a page of notifications in one query).
    pub async fn visible_statuses(
        &self,
        ids: &[StatusId],
        viewer: AccountId,
    ) -> Result<Vec<Status>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        self.run(move |conn| {
            Ok(statuses::table
                .filter(statuses::id.eq_any(ids))
                .filter(statuses::deleted_at.is_null())
                .filter(visible_to(Some(viewer)))
                .select(StatusRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Status::from)
                .collect())
        })
        .await
    }

    /// Favourite and reaction counts of each post in `ids`, with `viewer`'s
    /// favourited, bookmarked and reacted flags: one query per kind for the
    /// whole page. Posts nobody touched are absent from the map.
    pub async fn interactions(
        &self,
        ids: &[StatusId],
        viewer: Option<AccountId>,
    ) -> Result<HashMap<StatusId, Interactions>, StorageError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        self.run(move |conn| {
            let mut out: HashMap<StatusId, Interactions> = HashMap::new();
            let counts: Vec<(i64, i64)> = favourites::table
                .filter(favourites::status_id.eq_any(&ids))
                .group_by(favourites::status_id)
                .select((favourites::status_id, diesel::dsl::count_star()))
                .load(conn)?;
            for (status, count) in counts {
                out.entry(StatusId(status)).or_default().favourites = count;
            }
            let reaction_counts: Vec<(i64, String, i64)> = reactions::table
                .filter(reactions::status_id.eq_any(&ids))
                .group_by((reactions::status_id, reactions::name))
                .select((
                    reactions::status_id,
                    reactions::name,
                    diesel::dsl::count_star(),
                ))
                .load(conn)?;
            let mut mine: HashSet<(i64, String)> = HashSet::new();
            if let Some(viewer) = viewer {
                let favourited: Vec<i64> = favourites::table
                    .filter(favourites::account_id.eq(viewer.0))
                    .filter(favourites::status_id.eq_any(&ids))
                    .select(favourites::status_id)
                    .load(conn)?;
                for status in favourited {
                    out.entry(StatusId(status)).or_default().favourited = true;
                }
                let bookmarked: Vec<i64> = bookmarks::table
                    .filter(bookmarks::account_id.eq(viewer.0))
                    .filter(bookmarks::status_id.eq_any(&ids))
                    .select(bookmarks::status_id)
                    .load(conn)?;
                for status in bookmarked {
                    out.entry(StatusId(status)).or_default().bookmarked = true;
                }
                mine = reactions::table
                    .filter(reactions::account_id.eq(viewer.0))
                    .filter(reactions::status_id.eq_any(&ids))
                    .select((reactions::status_id, reactions::name))
                    .load::<(i64, String)>(conn)?
                    .into_iter()
                    .collect();
            }
            for (status, name, count) in reaction_counts {
                let reaction: Reaction = name
                    .parse()
                    .map_err(|e| StorageError::Corrupt(format!("reaction on {status}: {e}")))?;
                let me = mine.contains(&(status, name));
                out.entry(StatusId(status))
                    .or_default()
                    .reactions
                    .push(ReactionCount {
                        reaction,
                        count,
                        me,
                    });
            }
            for interactions in out.values_mut() {
                interactions.reactions.sort_by_key(|count| count.reaction);
            }
            Ok(out)
        })
        .await
    }
}

/// The author of live post `status` if `viewer` may see it; `NotFound` otherwise.
pub(crate) fn visible_author(
    conn: &mut AnyConnection,
    status: StatusId,
    viewer: AccountId,
) -> Result<AccountId, StorageError> {
    statuses::table
        .find(status.0)
        .filter(statuses::deleted_at.is_null())
        .filter(visible_to(Some(viewer)))
        .select(statuses::account_id)
        .first::<i64>(conn)
        .optional()?
        .map(AccountId)
        .ok_or(StorageError::NotFound { what: "status" })
}

/// Removes the notification `from` caused on `status` with a favourite or reaction.
fn withdraw_notification(
    conn: &mut AnyConnection,
    from: AccountId,
    status: StatusId,
    kind: NotificationKind,
    reaction: Option<Reaction>,
) -> Result<(), StorageError> {
    let mine = notifications::table
        .filter(notifications::from_account_id.eq(from.0))
        .filter(notifications::status_id.eq(status.0))
        .filter(notifications::kind.eq(kind.as_str()));
    match reaction {
        Some(reaction) => {
            diesel::delete(mine.filter(notifications::reaction.eq(reaction.as_str())))
                .execute(conn)?
        }
        None => diesel::delete(mine).execute(conn)?,
    };
    Ok(())
}

/// Loads the posts of a page of (list id, status id) rows, in page order,
/// newest list entry first.
fn with_statuses(
    conn: &mut AnyConnection,
    mut rows: Vec<(i64, i64)>,
    page: PageRequest,
) -> Result<Vec<Listed>, StorageError> {
    if page.ascending() {
        rows.reverse();
    }
    let ids: Vec<i64> = rows.iter().map(|(_, status)| *status).collect();
    let mut posts: HashMap<i64, Status> = statuses::table
        .filter(statuses::id.eq_any(&ids))
        .select(StatusRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| {
            let status = Status::from(row);
            (status.id.0, status)
        })
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(id, status)| posts.remove(&status).map(|status| (id, status)))
        .collect())
}

/// Converts a page of (list id, account row), newest first.
fn accounts_page(
    mut rows: Vec<(i64, AccountRow)>,
    page: PageRequest,
) -> Result<Vec<(i64, Account)>, StorageError> {
    if page.ascending() {
        rows.reverse();
    }
    rows.into_iter()
        .map(|(id, row)| Ok((id, Account::try_from(row)?)))
        .collect()
}
