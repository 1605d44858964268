//! Follows between accounts.

use super::*;
use crate::interactions::{NewNotification, NoticeJson};
use crate::schema::follows;
use hubbub_core::reaction::NotificationKind;

impl Store {
    /// `follower` follows `followee` (idempotent); records `Followed` when new.
    /// The followee's `follow` notification is stored without a live event; the
    /// API uses [`Store::follow_notifying`] to stream it.
    pub async fn follow(
        &self,
        follower: AccountId,
        followee: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.follow_notifying(follower, followee, now, None).await
    }

    /// [`Store::follow`]; when the follow is new, the followee is notified and,
    /// given the follower's Account entity JSON, the notification is streamed live.
    pub async fn follow_notifying(
        &self,
        follower: AccountId,
        followee: AccountId,
        now: DateTime<Utc>,
        follower_json: Option<String>,
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
                    let notification = NewNotification {
                        recipient: followee,
                        kind: NotificationKind::Follow,
                        from_account: follower,
                        status_id: None,
                        reaction: None,
                        created_at: now.and_utc(),
                        json: follower_json.map(|account| NoticeJson {
                            account,
                            status: None,
                        }),
                    };
                    add_notification(conn, &notification)?;
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
}
