//! Entities for topics, communities and announcements, and the links (topics,
//! mentions) of a Status. Tag and Announcement follow Mastodon's shapes;
//! Community and CommunityMember are Hubbub extensions.

use crate::entities::{self, Account, timestamp};
use hubbub_core::text::{Links, render_status_html_with};
use hubbub_storage::model;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashSet;

/// The URL of a topic page in the web client.
fn tag_url(base: &str, name: &str) -> String {
    format!("{base}/tags/{name}")
}

/// A Status's `tags` entry.
fn status_tag(base: &str, name: &str) -> Value {
    json!({ "name": name, "url": tag_url(base, name) })
}

/// A Status's `mentions` entry.
fn status_mention(base: &str, account: &model::MentionedAccount) -> Value {
    json!({
        "id": account.id.to_string(),
        "username": account.username,
        "acct": account.username,
        "url": format!("{base}/@{}", account.username),
    })
}

/// Renders `text` with links for `links`' topics and existing mentioned accounts.
fn content(text: &str, links: &model::StatusLinks, base: &str) -> String {
    let accounts: HashSet<String> = links
        .mentions
        .iter()
        .map(|mention| mention.username.to_ascii_lowercase())
        .collect();
    render_status_html_with(
        text,
        Links {
            base,
            accounts: &accounts,
        },
    )
}

impl entities::Status {
    /// Fills `content`, `tags` and `mentions` from the post's stored links: topics
    /// link to the web client's topic page, mentions of existing accounts to
    /// their profile.
    pub fn with_links(mut self, links: &model::StatusLinks, base: &str) -> Self {
        self.content = content(&self.text, links, base);
        self.tags = links
            .tags
            .iter()
            .map(|name| status_tag(base, name))
            .collect();
        self.mentions = links
            .mentions
            .iter()
            .map(|mention| status_mention(base, mention))
            .collect();
        self
    }
}

/// Mastodon's `Tag`.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    /// Canonical name, without `#`.
    pub name: String,
    /// The topic page.
    pub url: String,
    /// Daily use (not tracked).
    pub history: Vec<Value>,
    /// Whether the viewer follows it.
    pub following: bool,
}

impl Tag {
    /// The topic `name` as the viewer sees it.
    pub fn new(name: &str, following: bool, base: &str) -> Self {
        Self {
            name: name.to_owned(),
            url: tag_url(base, name),
            history: Vec::new(),
            following,
        }
    }
}

/// The viewer's membership in a community.
#[derive(Debug, Clone, Serialize)]
pub struct MembershipEntity {
    /// `member` or `admin`.
    pub role: &'static str,
    /// `active`, or `pending` for a request to join.
    pub state: &'static str,
}

impl From<model::Membership> for MembershipEntity {
    fn from(membership: model::Membership) -> Self {
        Self {
            role: membership.role.as_str(),
            state: membership.state.as_str(),
        }
    }
}

/// A community (Hubbub extension).
#[derive(Debug, Clone, Serialize)]
pub struct Community {
    /// Id, as a string.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description as written.
    pub description: String,
    /// Description as safe HTML.
    pub description_html: String,
    /// Posts visible to members only.
    pub private: bool,
    /// Posts become help-desk tickets.
    pub helpdesk: bool,
    /// When it was created.
    pub created_at: String,
    /// Its page in the web client.
    pub url: String,
    /// The viewer's membership, if any.
    pub membership: Option<MembershipEntity>,
}

impl Community {
    /// The community as `membership`'s holder sees it.
    pub fn new(
        community: &model::Community,
        membership: Option<model::Membership>,
        base: &str,
    ) -> Self {
        Self {
            id: community.id.to_string(),
            name: community.name.clone(),
            description: community.description.clone(),
            description_html: hubbub_core::text::render_status_html(&community.description),
            private: community.private,
            helpdesk: community.helpdesk,
            created_at: timestamp(community.created_at),
            url: format!("{base}/communities/{}", community.id),
            membership: membership.map(MembershipEntity::from),
        }
    }
}

/// A member of a community with their role (Hubbub extension).
#[derive(Debug, Clone, Serialize)]
pub struct CommunityMember {
    /// The person.
    pub account: Account,
    /// `member` or `admin`.
    pub role: &'static str,
    /// When they joined (or asked to).
    pub since: String,
}

impl CommunityMember {
    /// The entity for `member`.
    pub fn new(member: &model::CommunityMember, base: &str) -> Self {
        Self {
            account: Account::new(&member.account, None, base),
            role: member.membership.role.as_str(),
            since: timestamp(member.since),
        }
    }
}

/// Mastodon's `Announcement`, built from an announced post; `status` (the post
/// itself) and `community_id` are Hubbub extensions.
#[derive(Debug, Clone, Serialize)]
pub struct Announcement {
    /// The post's id.
    pub id: String,
    /// The post as safe HTML.
    pub content: String,
    /// Always shown from publication.
    pub starts_at: Option<String>,
    /// Never ends on its own.
    pub ends_at: Option<String>,
    /// Not an all-day event.
    pub all_day: bool,
    /// When it was announced.
    pub published_at: String,
    /// When it was last changed.
    pub updated_at: String,
    /// Whether the viewer dismissed it.
    pub read: bool,
    /// Mentioned accounts.
    pub mentions: Vec<Value>,
    /// Linked posts (none).
    pub statuses: Vec<Value>,
    /// Topics.
    pub tags: Vec<Value>,
    /// Custom emoji (none).
    pub emojis: Vec<Value>,
    /// Reactions (none).
    pub reactions: Vec<Value>,
    /// Where it is shown: a community, or `null` company-wide.
    pub community_id: Option<String>,
    /// The post.
    pub status: entities::Status,
}

impl Announcement {
    /// The entity for `announcement`, whose post is already rendered as `status`.
    pub fn new(announcement: &model::Announcement, status: entities::Status) -> Self {
        Self {
            id: announcement.status.id.to_string(),
            content: status.content.clone(),
            starts_at: None,
            ends_at: None,
            all_day: false,
            published_at: timestamp(announcement.announced_at),
            updated_at: timestamp(announcement.announced_at),
            read: announcement.dismissed,
            mentions: status.mentions.clone(),
            statuses: Vec::new(),
            tags: status.tags.clone(),
            emojis: Vec::new(),
            reactions: Vec::new(),
            community_id: announcement.community_id.map(|id| id.to_string()),
            status,
        }
    }
}
