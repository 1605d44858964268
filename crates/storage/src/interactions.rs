//! Read models of favourites, reactions, bookmarks, notifications and markers.
//! Times are UTC.

use chrono::{DateTime, Utc};
use hubbub_core::ids::{AccountId, StatusId};
use hubbub_core::reaction::{NotificationKind, Reaction};

/// How many people gave one reaction to a post, and whether the viewer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionCount {
    /// The reaction.
    pub reaction: Reaction,
    /// How many people gave it.
    pub count: i64,
    /// Whether the viewer is one of them.
    pub me: bool,
}

/// Counts and the viewer's flags for one post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interactions {
    /// People who favourited it.
    pub favourites: i64,
    /// The viewer favourited it.
    pub favourited: bool,
    /// The viewer bookmarked it.
    pub bookmarked: bool,
    /// Reactions with a count above zero, in [`Reaction::ALL`] order.
    pub reactions: Vec<ReactionCount>,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Its id (grows with time).
    pub id: i64,
    /// Who receives it.
    pub recipient: AccountId,
    /// What happened.
    pub kind: NotificationKind,
    /// Who did it.
    pub from_account: AccountId,
    /// The post it is about, if any.
    pub status_id: Option<StatusId>,
    /// For `hubbub.reaction`: which one.
    pub reaction: Option<Reaction>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl Notification {
    /// Mastodon's `group_key`: favourites and reactions on one post share a group;
    /// every other notification is a group of its own.
    pub fn group_key(&self) -> String {
        match (self.kind, self.status_id) {
            (NotificationKind::Favourite | NotificationKind::Reaction, Some(status)) => {
                format!("{}-{status}", self.kind.as_str())
            }
            _ => format!("ungrouped-{}", self.id),
        }
    }

    /// The Mastodon `Notification` entity, given its actor's Account entity and
    /// its post's Status entity (as the recipient sees them). The one place its
    /// shape is decided: the list endpoints and the live event both use it.
    pub fn to_json(
        &self,
        account: serde_json::Value,
        status: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let mut body = serde_json::json!({
            "id": self.id.to_string(),
            "type": self.kind.as_str(),
            "created_at": self.created_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            "group_key": self.group_key(),
            "account": account,
            "status": status,
        });
        if let Some(reaction) = self.reaction {
            body["hubbub_reaction"] = serde_json::Value::from(reaction.as_str());
        }
        body
    }
}

/// Which notifications a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationFilter {
    /// Only these kinds (empty: all).
    pub types: Vec<NotificationKind>,
    /// Never these kinds.
    pub exclude_types: Vec<NotificationKind>,
}

/// A notification about to be written, with the entity JSON of its actor and
/// post as the recipient sees them, for the live `notification` event.
#[derive(Debug, Clone)]
pub struct NewNotification {
    /// Who receives it (never the actor: a notification to oneself is dropped).
    pub recipient: AccountId,
    /// What happened.
    pub kind: NotificationKind,
    /// Who did it.
    pub from_account: AccountId,
    /// The post it is about.
    pub status_id: Option<StatusId>,
    /// For `hubbub.reaction`: which one.
    pub reaction: Option<Reaction>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The entities it shows, for the live event (none: stored, not streamed).
    pub json: Option<NoticeJson>,
}

/// The entities a notification shows, rendered by the API as the recipient sees
/// them, so the live `notification` event carries the same JSON the list does.
#[derive(Debug, Clone, Default)]
pub struct NoticeJson {
    /// The actor's Account entity as JSON.
    pub account: String,
    /// The post's Status entity as JSON.
    pub status: Option<String>,
}

/// A read position (Mastodon's `Marker`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// `home` or `notifications`.
    pub timeline: String,
    /// The last item read.
    pub last_read_id: i64,
    /// Increases with every save.
    pub version: i64,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

/// What the live `hubbub.answer_accepted` notifications show, rendered for each
/// recipient: the answer's author and the asker (`None`: stored, not streamed).
#[derive(Debug, Clone, Default)]
pub struct AcceptNotices {
    /// For the person whose reply was accepted.
    pub answerer: Option<NoticeJson>,
    /// For the person who asked.
    pub asker: Option<NoticeJson>,
}
