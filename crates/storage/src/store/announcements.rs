//! Announcements: posts marked by admins (company-wide) or community admins (in
//! their community), shown on top until each person dismisses them.

use super::visibility::visible_to;
use super::*;
use crate::model::Announcement;
use crate::schema::{announcement_dismissals, announcements, community_members, statuses};
use hubbub_core::ids::CommunityId;

impl Store {
    /// Marks the post `status` as an announcement in its community (company-wide
    /// when it has none); idempotent. The caller checks who may do it.
    pub async fn announce(
        &self,
        status: &Status,
        by: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let (id, community) = (status.id, status.community_id);
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let exists = announcements::table
                    .find(id.0)
                    .count()
                    .get_result::<i64>(conn)?
                    > 0;
                if !exists {
                    diesel::insert_into(announcements::table)
                        .values((
                            announcements::status_id.eq(id.0),
                            announcements::community_id.eq(community.map(|c| c.0)),
                            announcements::created_by.eq(by.0),
                            announcements::created_at.eq(now),
                        ))
                        .execute(conn)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Unmarks an announcement; returns whether it was one.
    pub async fn unannounce(&self, status: StatusId) -> Result<bool, StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                diesel::delete(
                    announcement_dismissals::table
                        .filter(announcement_dismissals::status_id.eq(status.0)),
                )
                .execute(conn)?;
                Ok(diesel::delete(announcements::table.find(status.0)).execute(conn)? > 0)
            })
        })
        .await
    }

    /// The announcements `viewer` should see: company-wide ones and those of
    /// communities they are an active member of, of live posts they may see,
    /// newest first; dismissed ones only with `with_dismissed`.
    pub async fn announcements_for(
        &self,
        viewer: AccountId,
        with_dismissed: bool,
    ) -> Result<Vec<Announcement>, StorageError> {
        self.run(move |conn| {
            let joined = community_members::table
                .filter(community_members::account_id.eq(viewer.0))
                .filter(community_members::state.eq("active"))
                .select(community_members::community_id.nullable());
            let marked: Vec<(i64, Option<i64>, NaiveDateTime)> = announcements::table
                .filter(
                    announcements::community_id
                        .is_null()
                        .or(announcements::community_id.eq_any(joined)),
                )
                .order(announcements::status_id.desc())
                .select((
                    announcements::status_id,
                    announcements::community_id,
                    announcements::created_at,
                ))
                .load(conn)?;
            let ids: Vec<i64> = marked.iter().map(|(id, _, _)| *id).collect();
            let dismissed: Vec<i64> = announcement_dismissals::table
                .filter(announcement_dismissals::account_id.eq(viewer.0))
                .filter(announcement_dismissals::status_id.eq_any(&ids))
                .select(announcement_dismissals::status_id)
                .load(conn)?;
            let rows: Vec<StatusRow> = statuses::table
                .filter(statuses::id.eq_any(&ids))
                .filter(statuses::deleted_at.is_null())
                .filter(visible_to(Some(viewer)))
                .select(StatusRow::as_select())
                .load(conn)?;
            let mut posts: Vec<Status> = rows.into_iter().map(Status::from).collect();
            let mut result = Vec::new();
            for (id, community, at) in marked {
                let is_dismissed = dismissed.contains(&id);
                if is_dismissed && !with_dismissed {
                    continue;
                }
                if let Some(index) = posts.iter().position(|s| s.id.0 == id) {
                    result.push(Announcement {
                        status: posts.swap_remove(index),
                        community_id: community.map(CommunityId),
                        announced_at: at.and_utc(),
                        dismissed: is_dismissed,
                    });
                }
            }
            Ok(result)
        })
        .await
    }

    /// `viewer` dismisses the announcement `status` (idempotent);
    /// `NotFound { what: "announcement" }` if it is not one they are shown.
    pub async fn dismiss_announcement(
        &self,
        viewer: AccountId,
        status: StatusId,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let shown = self.announcements_for(viewer, true).await?;
        if !shown.iter().any(|a| a.status.id == status) {
            return Err(StorageError::NotFound {
                what: "announcement",
            });
        }
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let done = announcement_dismissals::table
                    .find((viewer.0, status.0))
                    .count()
                    .get_result::<i64>(conn)?
                    > 0;
                if !done {
                    diesel::insert_into(announcement_dismissals::table)
                        .values((
                            announcement_dismissals::account_id.eq(viewer.0),
                            announcement_dismissals::status_id.eq(status.0),
                            announcement_dismissals::created_at.eq(now),
                        ))
                        .execute(conn)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// The posts pinned (announced) in `community` that `viewer` may see, newest first.
    pub async fn pinned_in_community(
        &self,
        community: CommunityId,
        viewer: Option<AccountId>,
    ) -> Result<Vec<Status>, StorageError> {
        self.run(move |conn| {
            let pinned = announcements::table
                .filter(announcements::community_id.eq(community.0))
                .select(announcements::status_id);
            let rows: Vec<StatusRow> = statuses::table
                .filter(statuses::id.eq_any(pinned))
                .filter(statuses::deleted_at.is_null())
                .filter(visible_to(viewer))
                .order(statuses::id.desc())
                .select(StatusRow::as_select())
                .load(conn)?;
            Ok(rows.into_iter().map(Status::from).collect())
        })
        .await
    }
}
