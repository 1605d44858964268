//! Communities and their members: the data behind the visibility rule.

use super::*;
use crate::model::{Community, CommunityRole, MembershipState, NewCommunity};
use crate::rows::{CommunityInsertForm, CommunityMemberInsertForm, CommunityRow};
use crate::schema::{communities, community_members};
use hubbub_core::ids::CommunityId;

impl Store {
    /// Creates a community with its creator as an active admin. A name taken in
    /// any letter case gives `StorageError::Conflict { field: "name" }`.
    pub async fn create_community(
        &self,
        community: NewCommunity,
    ) -> Result<Community, StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let canonical = community.name.trim().to_lowercase();
                let taken = communities::table
                    .filter(communities::name_canonical.eq(&canonical))
                    .count()
                    .get_result::<i64>(conn)?
                    > 0;
                if taken {
                    return Err(StorageError::Conflict { field: "name" });
                }
                let created_at = to_db(community.created_at);
                let form = CommunityInsertForm {
                    id: community.id.0,
                    name: community.name.trim(),
                    name_canonical: &canonical,
                    description: &community.description,
                    private: community.private,
                    helpdesk: community.helpdesk,
                    created_by: community.created_by.0,
                    created_at,
                };
                diesel::insert_into(communities::table)
                    .values(&form)
                    .execute(conn)
                    .map_err(|error| match error {
                        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                            StorageError::Conflict { field: "name" }
                        }
                        other => missing_account(other, "created_by"),
                    })?;
                diesel::insert_into(community_members::table)
                    .values(&CommunityMemberInsertForm {
                        community_id: community.id.0,
                        account_id: community.created_by.0,
                        role: CommunityRole::Admin.as_str(),
                        state: MembershipState::Active.as_str(),
                        created_at,
                    })
                    .execute(conn)?;
                append_event(
                    conn,
                    &EventBody::CommunityJoined {
                        community: community.id,
                        account: community.created_by,
                    },
                    created_at,
                )?;
                Ok(Community {
                    id: community.id,
                    name: community.name.trim().to_owned(),
                    description: community.description,
                    private: community.private,
                    helpdesk: community.helpdesk,
                    created_by: community.created_by,
                    created_at: created_at.and_utc(),
                })
            })
        })
        .await
    }

    /// A community by id.
    pub async fn community(&self, id: CommunityId) -> Result<Option<Community>, StorageError> {
        self.run(move |conn| {
            let row = communities::table
                .find(id.0)
                .select(CommunityRow::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(Community::from))
        })
        .await
    }

    /// Adds `account` to `community`, or changes the role and state of an existing
    /// membership.
    pub async fn set_membership(
        &self,
        community: CommunityId,
        account: AccountId,
        role: CommunityRole,
        state: MembershipState,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let was_active = is_active_member(conn, community, account)?;
                let updated =
                    diesel::update(community_members::table.find((community.0, account.0)))
                        .set((
                            community_members::role.eq(role.as_str()),
                            community_members::state.eq(state.as_str()),
                        ))
                        .execute(conn)?;
                if updated == 0 {
                    diesel::insert_into(community_members::table)
                        .values(&CommunityMemberInsertForm {
                            community_id: community.0,
                            account_id: account.0,
                            role: role.as_str(),
                            state: state.as_str(),
                            created_at: now,
                        })
                        .execute(conn)
                        .map_err(|e| missing_account(e, "community_or_account"))?;
                }
                let active = state == MembershipState::Active;
                if active != was_active {
                    let body = if active {
                        EventBody::CommunityJoined { community, account }
                    } else {
                        EventBody::CommunityLeft { community, account }
                    };
                    append_event(conn, &body, now)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Whether `viewer` may see what is posted in `community`: it is public, or
    /// they are an active member (the visibility rule, for one community).
    pub async fn may_see_community(
        &self,
        viewer: AccountId,
        community: CommunityId,
    ) -> Result<bool, StorageError> {
        self.run(move |conn| {
            let private: Option<bool> = communities::table
                .find(community.0)
                .select(communities::private)
                .first(conn)
                .optional()?;
            match private {
                Some(false) => Ok(true),
                Some(true) => is_active_member(conn, community, viewer),
                None => Ok(false),
            }
        })
        .await
    }

    /// Removes `account` from `community`; returns whether they were in it. An
    /// active member's removal records `CommunityLeft`, so open streams stop
    /// delivering the community's private posts to them at once.
    pub async fn remove_membership(
        &self,
        community: CommunityId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let was_active = is_active_member(conn, community, account)?;
                let removed =
                    diesel::delete(community_members::table.find((community.0, account.0)))
                        .execute(conn)?;
                if was_active {
                    append_event(conn, &EventBody::CommunityLeft { community, account }, now)?;
                }
                Ok(removed > 0)
            })
        })
        .await
    }
}

/// Whether `account` is an active member of `community` (inside a transaction).
pub(crate) fn is_active_member(
    conn: &mut AnyConnection,
    community: CommunityId,
    account: AccountId,
) -> Result<bool, StorageError> {
    Ok(community_members::table
        .find((community.0, account.0))
        .filter(community_members::state.eq(MembershipState::Active.as_str()))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}
