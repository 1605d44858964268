//! The visibility rule, the one every read path applies: a post outside any
//! community or in a public community is visible to all staff; a post in a private
//! community is visible to that community's active members only.

use crate::ids::CommunityId;
use serde::{Deserialize, Serialize};

/// Who may see a post, decided by where it was posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PostAudience {
    /// Not in a community, or in a public one: everyone in the company.
    Everyone {
        /// The public community it was posted in, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        community: Option<CommunityId>,
    },
    /// In a private community: its active members only.
    Members {
        /// The private community.
        community: CommunityId,
    },
}

impl PostAudience {
    /// The audience of a post in `community` (if any), given whether that community is private.
    pub fn of(community: Option<CommunityId>, private: bool) -> Self {
        match community {
            Some(community) if private => Self::Members { community },
            community => Self::Everyone { community },
        }
    }

    /// The community the post lives in, if any.
    pub fn community(&self) -> Option<CommunityId> {
        match *self {
            Self::Everyone { community } => community,
            Self::Members { community } => Some(community),
        }
    }

    /// Whether a viewer may see the post, given a test of their active membership.
    pub fn visible_to(&self, is_active_member: impl FnOnce(CommunityId) -> bool) -> bool {
        match *self {
            Self::Everyone { .. } => true,
            Self::Members { community } => is_active_member(community),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_community_posts_are_for_members_only_and_everything_else_for_all() {
        let private = PostAudience::of(Some(CommunityId(7)), true);
        assert!(private.visible_to(|c| c == CommunityId(7)));
        assert!(!private.visible_to(|_| false));
        assert!(PostAudience::of(Some(CommunityId(7)), false).visible_to(|_| false));
        assert!(PostAudience::of(None, true).visible_to(|_| false));
    }
}
