//! Events: written to the outbox in the same transaction as the change they
//! describe, published once to the bus, fanned out by the gateway.

use crate::ids::{AccountId, CommunityId, EventId, StatusId, TicketId};
use crate::role::Role;
use crate::visibility::PostAudience;
use serde::{Deserialize, Serialize};

/// One committed change that others may need to see, with its event id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The event id the relay gave it: increases by one in publish order;
    /// clients resume from it.
    pub id: EventId,
    /// What happened.
    pub body: EventBody,
}

/// What happened, with what the gateway needs to route it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    /// A post was created; `status_json` is its Mastodon Status entity, rendered once.
    StatusCreated {
        /// Who wrote it: they and their followers receive it.
        author: AccountId,
        /// The post.
        status_id: StatusId,
        /// The thread's first post (the post itself when it starts one).
        thread: StatusId,
        /// Who may see it: the gateway delivers it to nobody else.
        audience: PostAudience,
        /// The Status entity as JSON text.
        status_json: String,
    },
    /// A post was edited; `status_json` is its Status entity after the edit.
    StatusUpdated {
        /// Who wrote it.
        author: AccountId,
        /// The post.
        status_id: StatusId,
        /// The thread's first post.
        thread: StatusId,
        /// Who may see it.
        audience: PostAudience,
        /// The Status entity as JSON text.
        status_json: String,
    },
    /// A post was deleted.
    StatusDeleted {
        /// Who wrote it.
        author: AccountId,
        /// The post.
        status_id: StatusId,
        /// The thread's first post.
        thread: StatusId,
        /// Who could see it.
        audience: PostAudience,
    },
    /// `follower` started following `followee`: the gateway widens its interests.
    Followed {
        /// Who follows.
        follower: AccountId,
        /// Who is followed.
        followee: AccountId,
    },
    /// `follower` stopped following `followee`.
    Unfollowed {
        /// Who unfollowed.
        follower: AccountId,
        /// Who is no longer followed.
        followee: AccountId,
    },
    /// `account` started following the topic `tag` (canonical name): its posts
    /// reach their `user` stream, as they reach their home feed.
    TopicFollowed {
        /// Who follows.
        account: AccountId,
        /// The topic's canonical (lower-case) name.
        tag: String,
    },
    /// `account` stopped following the topic `tag`.
    TopicUnfollowed {
        /// Who unfollowed.
        account: AccountId,
        /// The topic's canonical (lower-case) name.
        tag: String,
    },
    /// `account` became an active member of `community` (joined a public one, or
    /// was approved): the gateway may start streaming its private posts to them.
    CommunityJoined {
        /// The community.
        community: CommunityId,
        /// The new member.
        account: AccountId,
    },
    /// `account` is no longer a member of `community` (left or was removed).
    CommunityLeft {
        /// The community.
        community: CommunityId,
        /// The former member.
        account: AccountId,
    },
    /// `account`'s staff role changed: if it is no longer support staff, the
    /// gateway ends its help-desk subscriptions at once.
    RoleChanged {
        /// Whose role.
        account: AccountId,
        /// The new role.
        role: Role,
    },
    /// An access token was revoked: streams opened with it end at once.
    TokenRevoked {
        /// The token's id (its `jti`).
        token_id: String,
    },
    /// A help-desk ticket was opened (for the `helpdesk` stream of support staff).
    HelpdeskTicketOpened {
        /// The ticket (its starter post's id).
        ticket_id: TicketId,
        /// Who asked.
        asker: AccountId,
        /// The ticket as the stream shows it; see [`TicketSnapshot`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket: Option<TicketSnapshot>,
    },
    /// A help-desk ticket changed; `change` is the logged event kind.
    HelpdeskTicketChanged {
        /// The ticket.
        ticket_id: TicketId,
        /// What changed, e.g. `reply`, `state`, `accepted`.
        change: String,
        /// The ticket after the change; see [`TicketSnapshot`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket: Option<TicketSnapshot>,
    },
    /// `account` got a notification; `notification_json` is its Mastodon
    /// Notification entity, rendered once for that recipient.
    NotificationCreated {
        /// The recipient: only their `user` and `user:notification` streams get it.
        account: AccountId,
        /// The Notification entity as JSON text.
        notification_json: String,
    },
}

/// A help-desk ticket as the `helpdesk` stream sends it, rendered once when the
/// change is written. Events written before tickets were carried have none;
/// the stream skips those rather than guess who may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSnapshot {
    /// Who may see the ticket: the audience of its starter post.
    pub audience: PostAudience,
    /// The ticket entity as JSON text (`GET /api/v1/helpdesk/tickets/:id`
    /// without its event log).
    pub ticket_json: String,
}

impl EventBody {
    /// The outbox `kind` column: a stable name for the variant.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::StatusCreated { .. } => "status_created",
            Self::StatusUpdated { .. } => "status_updated",
            Self::StatusDeleted { .. } => "status_deleted",
            Self::Followed { .. } => "followed",
            Self::Unfollowed { .. } => "unfollowed",
            Self::TopicFollowed { .. } => "topic_followed",
            Self::TopicUnfollowed { .. } => "topic_unfollowed",
            Self::CommunityJoined { .. } => "community_joined",
            Self::CommunityLeft { .. } => "community_left",
            Self::RoleChanged { .. } => "role_changed",
            Self::TokenRevoked { .. } => "token_revoked",
            Self::HelpdeskTicketOpened { .. } => "helpdesk_ticket_opened",
            Self::HelpdeskTicketChanged { .. } => "helpdesk_ticket_changed",
            Self::NotificationCreated { .. } => "notification_created",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_json_with_their_kind_as_tag() {
        let event = Event {
            id: EventId(7),
            body: EventBody::StatusDeleted {
                author: AccountId(1),
                status_id: StatusId(2),
                thread: StatusId(2),
                audience: PostAudience::of(None, false),
            },
        };
        let json = serde_json::to_string(&event).unwrap();
        assert!(json.contains("\"type\":\"status_deleted\""));
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
        assert_eq!(event.body.kind(), "status_deleted");
    }
}
