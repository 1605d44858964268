//! Group → community auto-join, kept apart from sign-in: at every sign-in the
//! communities that `HUBBUB_OIDC_COMMUNITY_MAP` names for the person's groups are
//! joined (active at once, even private ones: the company directory vouches).
//! Memberships the person made themselves are never removed, and leaving a
//! group does not remove them from its community.

use super::{SsoConfig, SsoError};
use crate::state::ApiState;
use hubbub_core::ids::AccountId;

/// The communities (names or ids) the person's groups say they belong in.
pub fn communities_for(config: &SsoConfig, groups: &[String]) -> Vec<String> {
    let mut names: Vec<String> = config.community_map.matching(groups).cloned().collect();
    names.sort();
    names.dedup();
    names
}

/// Joins the person to the communities their groups name, recording
/// `CommunityJoined` for each new membership. A mapped community that does not
/// exist is skipped (and logged).
pub async fn join(
    state: &ApiState,
    config: &SsoConfig,
    account: AccountId,
    groups: &[String],
) -> Result<(), SsoError> {
    let communities = communities_for(config, groups);
    if communities.is_empty() {
        return Ok(());
    }
    let joined = state
        .store
        .join_communities_from_directory(account, communities.clone(), state.clock.now())
        .await?;
    tracing::debug!(%account, ?communities, ?joined, "communities joined from the directory");
    Ok(())
}
