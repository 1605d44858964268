//! Notifications, written in the transaction of their cause with a live
//! `NotificationCreated` event, read back under the visibility rule; and the
//! read markers of the home and notifications timelines.

use super::visibility::{visible_status_ids, visible_to};
use super::*;
use crate::interactions::{Marker, NewNotification, NoticeJson, Notification, NotificationFilter};
use crate::schema::{markers, notifications, statuses};
use hubbub_core::reaction::{NotificationKind, Reaction};

/// A stored notification's columns, as read.
type NotificationColumns = (
    i64,
    i64,
    String,
    i64,
    Option<i64>,
    Option<String>,
    NaiveDateTime,
);

/// The columns of [`NotificationColumns`], in order.
const COLUMNS: (
    notifications::id,
    notifications::account_id,
    notifications::kind,
    notifications::from_account_id,
    notifications::status_id,
    notifications::reaction,
    notifications::created_at,
) = (
    notifications::id,
    notifications::account_id,
    notifications::kind,
    notifications::from_account_id,
    notifications::status_id,
    notifications::reaction,
    notifications::created_at,
);

impl Store {
    /// `account`'s notifications it may still see (a notification about a post
    /// it can no longer see is left out), newest first, one keyset page.
    pub async fn notifications(
        &self,
        account: AccountId,
        filter: NotificationFilter,
        page: PageRequest,
    ) -> Result<Vec<Notification>, StorageError> {
        self.run(move |conn| {
            let mut query = visible_notifications(account);
            if !filter.types.is_empty() {
                let types: Vec<&str> = filter.types.iter().map(|kind| kind.as_str()).collect();
                query = query.filter(notifications::kind.eq_any(types));
            }
            if !filter.exclude_types.is_empty() {
                let excluded: Vec<&str> = filter
                    .exclude_types
                    .iter()
                    .map(|kind| kind.as_str())
                    .collect();
                query = query.filter(notifications::kind.ne_all(excluded));
            }
            if let Some(max_id) = page.max_id {
                query = query.filter(notifications::id.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(notifications::id.gt(lower));
            }
            query = if page.ascending() {
                query.order(notifications::id.asc())
            } else {
                query.order(notifications::id.desc())
            };
            let mut rows: Vec<NotificationColumns> =
                query.select(COLUMNS).limit(page.limit).load(conn)?;
            if page.ascending() {
                rows.reverse();
            }
            rows.into_iter().map(from_row).collect()
        })
        .await
    }

    /// One of `account`'s notifications, if it exists and is still visible to it.
    pub async fn notification(
        &self,
        account: AccountId,
        id: i64,
    ) -> Result<Option<Notification>, StorageError> {
        self.run(move |conn| {
            visible_notifications(account)
                .filter(notifications::id.eq(id))
                .select(COLUMNS)
                .first::<NotificationColumns>(conn)
                .optional()?
                .map(from_row)
                .transpose()
        })
        .await
    }

    /// Deletes one of `account`'s notifications; `false` if it had none with that id.
    pub async fn dismiss_notification(
        &self,
        account: AccountId,
        id: i64,
    ) -> Result<bool, StorageError> {
        self.run(move |conn| {
            let removed = diesel::delete(
                notifications::table
                    .filter(notifications::account_id.eq(account.0))
                    .filter(notifications::id.eq(id)),
            )
            .execute(conn)?;
            Ok(removed > 0)
        })
        .await
    }

    /// Deletes all of `account`'s notifications.
    pub async fn clear_notifications(&self, account: AccountId) -> Result<(), StorageError> {
        self.run(move |conn| {
            diesel::delete(notifications::table.filter(notifications::account_id.eq(account.0)))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// How many of `account`'s visible notifications are newer than its
    /// `notifications` marker (all of them without one).
    pub async fn unread_notifications(&self, account: AccountId) -> Result<i64, StorageError> {
        self.run(move |conn| {
            let read: Option<i64> = markers::table
                .find((account.0, "notifications"))
                .select(markers::last_read_id)
                .first(conn)
                .optional()?;
            Ok(visible_notifications(account)
                .filter(notifications::id.gt(read.unwrap_or(0)))
                .count()
                .get_result(conn)?)
        })
        .await
    }

    /// `account`'s markers of the timelines named (`home`, `notifications`).
    pub async fn markers(
        &self,
        account: AccountId,
        timelines: Vec<String>,
    ) -> Result<Vec<Marker>, StorageError> {
        self.run(move |conn| {
            markers::table
                .filter(markers::account_id.eq(account.0))
                .filter(markers::timeline.eq_any(timelines))
                .order(markers::timeline.asc())
                .select((
                    markers::timeline,
                    markers::last_read_id,
                    markers::version,
                    markers::updated_at,
                ))
                .load::<(String, i64, i64, NaiveDateTime)>(conn)?
                .into_iter()
                .map(|(timeline, last_read_id, version, updated_at)| {
                    Ok(Marker {
                        timeline,
                        last_read_id,
                        version,
                        updated_at: updated_at.and_utc(),
                    })
                })
                .collect()
        })
        .await
    }

    /// Saves `account`'s read positions, each `(timeline, last_read_id)`; a
    /// saved marker's version goes up by one. Returns the markers saved.
    pub async fn save_markers(
        &self,
        account: AccountId,
        positions: Vec<(String, i64)>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Marker>, StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let mut saved = Vec::new();
                for (timeline, last_read_id) in positions {
                    let version: Option<i64> = markers::table
                        .find((account.0, timeline.as_str()))
                        .select(markers::version)
                        .first(conn)
                        .optional()?;
                    let version = match version {
                        Some(version) => {
                            diesel::update(markers::table.find((account.0, timeline.as_str())))
                                .set((
                                    markers::last_read_id.eq(last_read_id),
                                    markers::version.eq(version + 1),
                                    markers::updated_at.eq(now),
                                ))
                                .execute(conn)?;
                            version + 1
                        }
                        None => {
                            diesel::insert_into(markers::table)
                                .values((
                                    markers::account_id.eq(account.0),
                                    markers::timeline.eq(timeline.as_str()),
                                    markers::last_read_id.eq(last_read_id),
                                    markers::version.eq(1),
                                    markers::updated_at.eq(now),
                                ))
                                .execute(conn)
                                .map_err(|e| missing_account(e, "account"))?;
                            1
                        }
                    };
                    saved.push(Marker {
                        timeline,
                        last_read_id,
                        version,
                        updated_at: now.and_utc(),
                    });
                }
                Ok(saved)
            })
        })
        .await
    }
}

/// `account`'s notifications that are about nothing or about a live post it may see.
fn visible_notifications(
    account: AccountId,
) -> notifications::BoxedQuery<'static, crate::connection::MultiBackend> {
    notifications::table
        .filter(notifications::account_id.eq(account.0))
        .filter(
            notifications::status_id
                .is_null()
                .or(notifications::status_id.eq_any(visible_status_ids(account.0))),
        )
        .into_boxed()
}

fn from_row(row: NotificationColumns) -> Result<Notification, StorageError> {
    let (id, recipient, kind, from_account, status_id, reaction, created_at) = row;
    let corrupt = |what: &str| StorageError::Corrupt(format!("notification {id}: {what}"));
    let kind = NotificationKind::parse(&kind).ok_or_else(|| corrupt("unknown kind"))?;
    let reaction = reaction
        .map(|name| name.parse::<Reaction>())
        .transpose()
        .map_err(|_| corrupt("unknown reaction"))?;
    Ok(Notification {
        id,
        recipient: AccountId(recipient),
        kind,
        from_account: AccountId(from_account),
        status_id: status_id.map(StatusId),
        reaction,
        created_at: created_at.and_utc(),
    })
}

/// Stores a notification inside the caller's transaction (the one that made the
/// change it reports) and appends its live `NotificationCreated` event. Nothing
/// is written when the recipient is the actor, or when the post it is about is
/// one the recipient may not see. Returns the new notification's id.
pub(crate) fn add_notification(
    conn: &mut AnyConnection,
    new: &NewNotification,
) -> Result<Option<i64>, StorageError> {
    if new.recipient == new.from_account {
        return Ok(None);
    }
    if let Some(status) = new.status_id {
        let visible = statuses::table
            .find(status.0)
            .filter(statuses::deleted_at.is_null())
            .filter(visible_to(Some(new.recipient)))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if !visible {
            return Ok(None);
        }
    }
    let created_at = to_db(new.created_at);
    let id: i64 = diesel::insert_into(notifications::table)
        .values((
            notifications::account_id.eq(new.recipient.0),
            notifications::kind.eq(new.kind.as_str()),
            notifications::from_account_id.eq(new.from_account.0),
            notifications::status_id.eq(new.status_id.map(|id| id.0)),
            notifications::reaction.eq(new.reaction.map(|reaction| reaction.as_str())),
            notifications::created_at.eq(created_at),
        ))
        .returning(notifications::id)
        .get_result(conn)
        .map_err(|e| missing_account(e, "account"))?;
    let stored = Notification {
        id,
        recipient: new.recipient,
        kind: new.kind,
        from_account: new.from_account,
        status_id: new.status_id,
        reaction: new.reaction,
        created_at: created_at.and_utc(),
    };
    let Some(json) = &new.json else {
        return Ok(Some(id));
    };
    let parse = |json: &str| {
        serde_json::from_str::<serde_json::Value>(json)
            .map_err(|e| StorageError::Corrupt(format!("notification entity JSON: {e}")))
    };
    let account = parse(&json.account)?;
    let status = json.status.as_deref().map(parse).transpose()?;
    let event = EventBody::NotificationCreated {
        account: new.recipient,
        notification_json: stored.to_json(account, status).to_string(),
    };
    append_event(conn, &event, created_at)?;
    Ok(Some(id))
}

/// Called by `create_status` inside its transaction: everyone mentioned in the
/// new post (`mentioned`), and the author of the post it answers, gets a `mention` (as
/// Mastodon does for replies), once each and only if they may see it.
/// `status_json` is the post's Status entity; its `account` is the actor.
pub(crate) fn notify_post(
    conn: &mut AnyConnection,
    status: &Status,
    status_json: &str,
    mentioned: Vec<i64>,
) -> Result<(), StorageError> {
    let mut recipients = mentioned;
    if let Some(parent) = status.in_reply_to_id {
        let parent_author: Option<i64> = statuses::table
            .find(parent.0)
            .select(statuses::account_id)
            .first(conn)
            .optional()?;
        recipients.extend(parent_author);
    }
    recipients.sort_unstable();
    recipients.dedup();
    if recipients.is_empty() {
        return Ok(());
    }
    let entity: serde_json::Value = serde_json::from_str(status_json)
        .map_err(|e| StorageError::Corrupt(format!("status {} JSON: {e}", status.id)))?;
    let json = NoticeJson {
        account: entity["account"].to_string(),
        status: Some(status_json.to_owned()),
    };
    for recipient in recipients {
        add_notification(
            conn,
            &NewNotification {
                recipient: AccountId(recipient),
                kind: NotificationKind::Mention,
                from_account: status.account_id,
                status_id: Some(status.id),
                reaction: None,
                created_at: status.created_at,
                json: Some(json.clone()),
            },
        )?;
    }
    Ok(())
}
