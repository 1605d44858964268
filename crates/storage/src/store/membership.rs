//! Joining, leaving and running communities: requests, approvals, roles, the
//! directory of communities. Changes of active membership append
//! `CommunityJoined` / `CommunityLeft` to the outbox in the same transaction.

use super::*;
use crate::model::{Community, CommunityMember, CommunityRole, Membership, MembershipState};
use crate::rows::{CommunityMemberInsertForm, CommunityRow};
use crate::schema::{accounts, communities, community_members};
use hubbub_core::ids::CommunityId;

/// A membership row as read: role, state, since.
type MemberRow = (String, String, NaiveDateTime);

fn membership_of(role: &str, state: &str) -> Result<Membership, StorageError> {
    let role = match role {
        "admin" => CommunityRole::Admin,
        "member" => CommunityRole::Member,
        other => return Err(StorageError::Corrupt(format!("community role '{other}'"))),
    };
    let state = match state {
        "active" => MembershipState::Active,
        "pending" => MembershipState::Pending,
        other => return Err(StorageError::Corrupt(format!("membership state '{other}'"))),
    };
    Ok(Membership { role, state })
}

/// The membership of `account` in `community`, if any (inside a transaction).
fn read_membership(
    conn: &mut AnyConnection,
    community: CommunityId,
    account: AccountId,
) -> Result<Option<Membership>, StorageError> {
    let row: Option<MemberRow> = community_members::table
        .find((community.0, account.0))
        .select((
            community_members::role,
            community_members::state,
            community_members::created_at,
        ))
        .first(conn)
        .optional()?;
    row.map(|(role, state, _)| membership_of(&role, &state))
        .transpose()
}

impl Store {
    /// The membership of `account` in `community`, if any.
    pub async fn membership(
        &self,
        community: CommunityId,
        account: AccountId,
    ) -> Result<Option<Membership>, StorageError> {
        self.run(move |conn| read_membership(conn, community, account))
            .await
    }

    /// The communities `account` is an active member of: what the streaming
    /// gateway loads at connect, then keeps current from join/leave events.
    pub async fn active_community_ids(
        &self,
        account: AccountId,
    ) -> Result<Vec<CommunityId>, StorageError> {
        self.run(move |conn| {
            let ids: Vec<i64> = community_members::table
                .filter(community_members::account_id.eq(account.0))
                .filter(community_members::state.eq(MembershipState::Active.as_str()))
                .select(community_members::community_id)
                .order(community_members::community_id.asc())
                .load(conn)?;
            Ok(ids.into_iter().map(CommunityId).collect())
        })
        .await
    }

    /// Communities `viewer` can discover: every public one and every one they are
    /// in or asked to join, newest first, one keyset page over community ids; each
    /// with the viewer's membership.
    pub async fn discover_communities(
        &self,
        viewer: AccountId,
        page: PageRequest,
    ) -> Result<Vec<(Community, Option<Membership>)>, StorageError> {
        self.run(move |conn| {
            let mine = community_members::table
                .filter(community_members::account_id.eq(viewer.0))
                .select(community_members::community_id);
            let mut query = communities::table
                .filter(
                    communities::private
                        .eq(false)
                        .or(communities::id.eq_any(mine)),
                )
                .select(CommunityRow::as_select())
                .into_boxed();
            if let Some(max_id) = page.max_id {
                query = query.filter(communities::id.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(communities::id.gt(lower));
            }
            query = if page.ascending() {
                query.order(communities::id.asc())
            } else {
                query.order(communities::id.desc())
            };
            let mut rows: Vec<CommunityRow> = query.limit(page.limit).load(conn)?;
            if page.ascending() {
                rows.reverse();
            }
            let ids: Vec<i64> = rows.iter().map(CommunityRow::id).collect();
            let memberships: Vec<(i64, String, String)> = community_members::table
                .filter(community_members::account_id.eq(viewer.0))
                .filter(community_members::community_id.eq_any(ids))
                .select((
                    community_members::community_id,
                    community_members::role,
                    community_members::state,
                ))
                .load(conn)?;
            rows.into_iter()
                .map(|row| {
                    let membership = memberships
                        .iter()
                        .find(|(id, _, _)| *id == row.id())
                        .map(|(_, role, state)| membership_of(role, state))
                        .transpose()?;
                    Ok((Community::from(row), membership))
                })
                .collect()
        })
        .await
    }

    /// Changes a community's description.
    pub async fn update_community_description(
        &self,
        community: CommunityId,
        description: String,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            let updated = diesel::update(communities::table.find(community.0))
                .set(communities::description.eq(description))
                .execute(conn)?;
            if updated == 0 {
                return Err(StorageError::NotFound { what: "community" });
            }
            Ok(())
        })
        .await
    }

    /// `account` joins `community`: at once if it is public (recording
    /// `CommunityJoined`), as a pending request if it is private. Returns the new
    /// state. Joining again, or asking twice, is refused and changes nothing.
    pub async fn join_community(
        &self,
        community: CommunityId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<MembershipState, StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let private: bool = communities::table
                    .find(community.0)
                    .select(communities::private)
                    .first(conn)
                    .optional()?
                    .ok_or(StorageError::NotFound { what: "community" })?;
                match read_membership(conn, community, account)? {
                    Some(m) if m.is_active() => {
                        return Err(StorageError::Refused(
                            "You are already a member of this community",
                        ));
                    }
                    Some(_) => {
                        return Err(StorageError::Refused(
                            "You have already asked to join this community",
                        ));
                    }
                    None => {}
                }
                let state = if private {
                    MembershipState::Pending
                } else {
                    MembershipState::Active
                };
                diesel::insert_into(community_members::table)
                    .values(&CommunityMemberInsertForm {
                        community_id: community.0,
                        account_id: account.0,
                        role: CommunityRole::Member.as_str(),
                        state: state.as_str(),
                        created_at: now,
                    })
                    .execute(conn)
                    .map_err(|e| missing_account(e, "account"))?;
                if state == MembershipState::Active {
                    append_event(
                        conn,
                        &EventBody::CommunityJoined { community, account },
                        now,
                    )?;
                }
                Ok(state)
            })
        })
        .await
    }

    /// The company directory vouches for `account` in the communities `names`
    /// (a community's name in any letter case, or its id): each becomes an active
    /// membership, even in a private community, recording `CommunityJoined` as a
    /// normal join does; a pending request is approved. Existing memberships are
    /// kept as they are and nobody is removed. Unknown names are skipped. Returns
    /// the communities newly joined, in one transaction.
    pub async fn join_communities_from_directory(
        &self,
        account: AccountId,
        names: Vec<String>,
        now: DateTime<Utc>,
    ) -> Result<Vec<CommunityId>, StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let canonical: Vec<String> =
                    names.iter().map(|n| n.trim().to_lowercase()).collect();
                let ids: Vec<i64> = names
                    .iter()
                    .filter_map(|n| n.trim().parse::<i64>().ok())
                    .collect();
                let mut found: Vec<i64> = communities::table
                    .filter(
                        communities::name_canonical
                            .eq_any(&canonical)
                            .or(communities::id.eq_any(&ids)),
                    )
                    .select(communities::id)
                    .load(conn)?;
                found.sort_unstable();
                found.dedup();
                let mut joined = Vec::new();
                for id in found {
                    let community = CommunityId(id);
                    match read_membership(conn, community, account)? {
                        Some(m) if m.is_active() => continue,
                        Some(_) => {
                            diesel::update(community_members::table.find((id, account.0)))
                                .set(community_members::state.eq(MembershipState::Active.as_str()))
                                .execute(conn)?;
                        }
                        None => {
                            diesel::insert_into(community_members::table)
                                .values(&CommunityMemberInsertForm {
                                    community_id: id,
                                    account_id: account.0,
                                    role: CommunityRole::Member.as_str(),
                                    state: MembershipState::Active.as_str(),
                                    created_at: now,
                                })
                                .execute(conn)
                                .map_err(|e| missing_account(e, "account"))?;
                        }
                    }
                    append_event(
                        conn,
                        &EventBody::CommunityJoined { community, account },
                        now,
                    )?;
                    joined.push(community);
                }
                Ok(joined)
            })
        })
        .await
    }

    /// `account` leaves `community` (or withdraws a pending request). Refused for
    /// someone not in it, and for its last admin while others remain.
    pub async fn leave_community(
        &self,
        community: CommunityId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let Some(membership) = read_membership(conn, community, account)? else {
                    return Err(StorageError::Refused(
                        "You are not a member of this community",
                    ));
                };
                if membership.is_admin() {
                    let active: Vec<String> = community_members::table
                        .filter(community_members::community_id.eq(community.0))
                        .filter(community_members::state.eq(MembershipState::Active.as_str()))
                        .select(community_members::role)
                        .load(conn)?;
                    let admins = active.iter().filter(|r| *r == "admin").count();
                    if admins == 1 && active.len() > 1 {
                        return Err(StorageError::Refused(
                            "The last admin cannot leave: promote another member first",
                        ));
                    }
                }
                diesel::delete(community_members::table.find((community.0, account.0)))
                    .execute(conn)?;
                if membership.is_active() {
                    append_event(conn, &EventBody::CommunityLeft { community, account }, now)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Approves (`CommunityJoined`) or rejects a pending request of `account`.
    /// `NotFound { what: "request" }` when there is no pending request.
    pub async fn decide_join_request(
        &self,
        community: CommunityId,
        account: AccountId,
        approve: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let pending = community_members::table
                    .find((community.0, account.0))
                    .filter(community_members::state.eq(MembershipState::Pending.as_str()));
                if approve {
                    let updated = diesel::update(pending)
                        .set(community_members::state.eq(MembershipState::Active.as_str()))
                        .execute(conn)?;
                    if updated == 0 {
                        return Err(StorageError::NotFound { what: "request" });
                    }
                    append_event(
                        conn,
                        &EventBody::CommunityJoined { community, account },
                        now,
                    )?;
                } else if diesel::delete(pending).execute(conn)? == 0 {
                    return Err(StorageError::NotFound { what: "request" });
                }
                Ok(())
            })
        })
        .await
    }

    /// Makes an active member a community admin; `NotFound { what: "member" }` otherwise.
    pub async fn promote_member(
        &self,
        community: CommunityId,
        account: AccountId,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            let updated = diesel::update(
                community_members::table
                    .find((community.0, account.0))
                    .filter(community_members::state.eq(MembershipState::Active.as_str())),
            )
            .set(community_members::role.eq(CommunityRole::Admin.as_str()))
            .execute(conn)?;
            if updated == 0 {
                return Err(StorageError::NotFound { what: "member" });
            }
            Ok(())
        })
        .await
    }

    /// Members of `community` in `state` with their accounts, one keyset page over
    /// account ids (newest account first).
    pub async fn community_members(
        &self,
        community: CommunityId,
        state: MembershipState,
        page: PageRequest,
    ) -> Result<Vec<CommunityMember>, StorageError> {
        self.run(move |conn| {
            let mut query = community_members::table
                .inner_join(accounts::table)
                .filter(community_members::community_id.eq(community.0))
                .filter(community_members::state.eq(state.as_str()))
                .select((
                    AccountRow::as_select(),
                    (
                        community_members::role,
                        community_members::state,
                        community_members::created_at,
                    ),
                ))
                .into_boxed();
            if let Some(max_id) = page.max_id {
                query = query.filter(accounts::id.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(accounts::id.gt(lower));
            }
            query = if page.ascending() {
                query.order(accounts::id.asc())
            } else {
                query.order(accounts::id.desc())
            };
            let mut rows: Vec<(AccountRow, MemberRow)> = query.limit(page.limit).load(conn)?;
            if page.ascending() {
                rows.reverse();
            }
            rows.into_iter()
                .map(|(account, (role, state, since))| {
                    Ok(CommunityMember {
                        account: Account::try_from(account)?,
                        membership: membership_of(&role, &state)?,
                        since: since.and_utc(),
                    })
                })
                .collect()
        })
        .await
    }
}
