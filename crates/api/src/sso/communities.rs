//! Group → community auto-join, kept apart from sign-in so that it plugs in when
//! communities exist.
//!
//! Communities come from another branch. Until they land this step is a no-op: the
//! mapping (`HUBBUB_OIDC_COMMUNITY_MAP`) is parsed and checked at start-up, and the
//! communities a person's groups name are computed and logged, but nothing is
//! joined. When communities arrive, `join` calls the store's join for each one
//! (idempotent), after the account is signed in and before the hand-over.

use super::SsoConfig;
use hubbub_core::ids::AccountId;

/// The communities the person's groups say they belong in.
pub fn communities_for(config: &SsoConfig, groups: &[String]) -> Vec<String> {
    let mut names: Vec<String> = config.community_map.matching(groups).cloned().collect();
    names.sort();
    names.dedup();
    names
}

/// Joins the person to the communities their groups name. A no-op until
/// communities exist (see the module documentation).
pub fn join(config: &SsoConfig, account: AccountId, groups: &[String]) {
    let communities = communities_for(config, groups);
    if !communities.is_empty() {
        tracing::debug!(
            %account,
            ?communities,
            "community auto-join is configured but communities do not exist yet"
        );
    }
}
