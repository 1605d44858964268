//! Communities (Hubbub extension, `/api/v1/communities`): who may see and run one.
//!
//! A community's card (name, description, private flag) is visible to all staff,
//! so that a link to a private community lets someone ask to join; its posts and
//! member list are for active members only when it is private (404 otherwise).
//! The list of communities shows public ones and the viewer's own.

pub mod create;
pub mod join;
pub mod leave;
pub mod list;
pub mod members;
pub mod promote;
pub mod requests;
pub mod show;
pub mod update;

use crate::error::ApiError;
use crate::routes::path_id;
use crate::state::ApiState;
use hubbub_core::ids::{AccountId, CommunityId};
use hubbub_core::role::Role;
use hubbub_storage::model::{Community, Membership};

/// A community and the viewer's membership in it.
pub(crate) struct Access {
    /// The community.
    pub community: Community,
    /// The viewer's membership, if any.
    pub membership: Option<Membership>,
}

impl Access {
    /// Whether the viewer is an active member.
    pub fn is_member(&self) -> bool {
        self.membership.is_some_and(|m| m.is_active())
    }

    /// 404 unless the viewer may see the community's posts and members.
    pub fn require_content(&self) -> Result<(), ApiError> {
        if self.community.private && !self.is_member() {
            return Err(ApiError::not_found());
        }
        Ok(())
    }
}

/// Loads the community named by the path segment `raw` for `viewer`; 404 if none.
pub(crate) async fn load(
    state: &ApiState,
    raw: &str,
    viewer: AccountId,
) -> Result<Access, ApiError> {
    let id: CommunityId = path_id(raw)?;
    let community = state
        .store
        .community(id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let membership = state.store.membership(id, viewer).await?;
    Ok(Access {
        community,
        membership,
    })
}

/// Whether `account` is an instance admin.
pub(crate) async fn is_site_admin(state: &ApiState, account: AccountId) -> Result<bool, ApiError> {
    Ok(state
        .store
        .account(account)
        .await?
        .is_some_and(|account| account.role == Role::Admin))
}

/// 403 unless the viewer runs the community (a community admin, or an instance
/// admin); 404 first if they may not even see its content.
pub(crate) async fn require_admin(
    state: &ApiState,
    access: &Access,
    viewer: AccountId,
) -> Result<(), ApiError> {
    if access.membership.is_some_and(|m| m.is_admin()) || is_site_admin(state, viewer).await? {
        return Ok(());
    }
    access.require_content()?;
    Err(ApiError::Forbidden(
        "Only the community's admins may do this".to_owned(),
    ))
}
