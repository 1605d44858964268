//! The visibility rule as SQL: the one filter every read path over posts applies
//! (the same rule as `hubbub_core::visibility::PostAudience::visible_to`).

use crate::connection::MultiBackend;
use crate::schema::{communities, community_members, statuses};
use diesel::dsl::not;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use hubbub_core::ids::AccountId;

/// A filter over `statuses` rows.
pub(crate) type StatusFilter =
    Box<dyn BoxableExpression<statuses::table, MultiBackend, SqlType = Nullable<Bool>>>;

/// Posts `viewer` may see: outside communities, in public communities, or in
/// private communities where the viewer is an active member. With no viewer,
/// only what every member of staff may see.
pub(crate) fn visible_to(viewer: Option<AccountId>) -> StatusFilter {
    let private_communities = communities::table
        .filter(communities::private.eq(true))
        .select(communities::id.nullable());
    let everyone = statuses::community_id
        .is_null()
        .nullable()
        .or(not(statuses::community_id.eq_any(private_communities)).nullable());
    match viewer {
        None => Box::new(everyone),
        Some(viewer) => {
            let memberships = community_members::table
                .filter(community_members::account_id.eq(viewer.0))
                .filter(community_members::state.eq("active"))
                .select(community_members::community_id.nullable());
            Box::new(everyone.or(statuses::community_id.eq_any(memberships)))
        }
    }
}

/// The ids of live posts `viewer` may see, as a subquery for tables that point
/// at posts (`status_id IN (...)`): the same rule as [`visible_to`], built as a
/// concrete query because diesel cannot nest a boxed filter in a subquery.
#[diesel::dsl::auto_type]
pub(crate) fn visible_status_ids(viewer: i64) -> _ {
    statuses::table
        .filter(statuses::deleted_at.is_null())
        .filter(
            statuses::community_id
                .is_null()
                .nullable()
                .or(not(statuses::community_id.eq_any(
                    communities::table
                        .filter(communities::private.eq(true))
                        .select(communities::id.nullable()),
                ))
                .nullable())
                .or(statuses::community_id.eq_any(
                    community_members::table
                        .filter(community_members::account_id.eq(viewer))
                        .filter(community_members::state.eq("active"))
                        .select(community_members::community_id.nullable()),
                )),
        )
        .select(statuses::id.nullable())
}
