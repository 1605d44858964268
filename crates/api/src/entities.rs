//! Mastodon's JSON entities, built from storage models. Ids are strings and
//! times are ISO 8601 with milliseconds and `Z`, as Mastodon sends them, so
//! Mastodon client libraries parse these as they parse Mastodon's own.

use chrono::{DateTime, Utc};
use hubbub_core::ids::AccountId;
use hubbub_core::text::{escape_html, render_status_html};
use hubbub_storage::interactions::Interactions;
use hubbub_storage::model;
use serde::Serialize;
use serde_json::Value;

/// Formats a time as Mastodon does: `2024-01-02T03:04:05.678Z`.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Mastodon's `Account`.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// Id, as a string.
    pub id: String,
    /// Username.
    pub username: String,
    /// `username` for local accounts (every Hubbub account is local).
    pub acct: String,
    /// Display name, falling back to the username.
    pub display_name: String,
    /// Whether follows need approval (never, in Hubbub).
    pub locked: bool,
    /// Whether it is a bot.
    pub bot: bool,
    /// Whether it is listed in the directory.
    pub discoverable: bool,
    /// Whether it is a group actor.
    pub group: bool,
    /// When it registered.
    pub created_at: String,
    /// Profile bio as HTML.
    pub note: String,
    /// Profile page.
    pub url: String,
    /// Stable identifier.
    pub uri: String,
    /// Avatar image.
    pub avatar: String,
    /// Avatar image, not animated.
    pub avatar_static: String,
    /// Header image.
    pub header: String,
    /// Header image, not animated.
    pub header_static: String,
    /// Followers.
    pub followers_count: i64,
    /// Following.
    pub following_count: i64,
    /// Posts.
    pub statuses_count: i64,
    /// Day of the last post.
    pub last_status_at: Option<String>,
    /// Custom emoji (none).
    pub emojis: Vec<Value>,
    /// Profile fields (none).
    pub fields: Vec<Value>,
    /// Displayed roles (none).
    pub roles: Vec<Value>,
    /// Hubbub's directory fields.
    pub hubbub: HubbubProfile,
}

/// Hubbub's extension of `Account`: where the person sits in the organisation.
#[derive(Debug, Clone, Serialize)]
pub struct HubbubProfile {
    /// Department.
    pub department: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Office or city.
    pub location: Option<String>,
    /// The manager's account id.
    pub manager_id: Option<String>,
}

impl Account {
    /// The public view of `account`. `counts` are `None` where the caller did not
    /// load them (embedded in statuses), reported as zero.
    pub fn new(account: &model::Account, counts: Option<model::AccountCounts>, base: &str) -> Self {
        let counts = counts.unwrap_or_default();
        let url = format!("{base}/@{}", account.username);
        let display_name = if account.display_name.is_empty() {
            account.username.clone()
        } else {
            account.display_name.clone()
        };
        let (avatar, avatar_static) = match (&account.avatar_key, &account.avatar_static_key) {
            (Some(full), Some(small)) => (
                format!("{base}/media/{full}"),
                format!("{base}/media/{small}"),
            ),
            _ => {
                let missing = format!("{base}/avatars/original/missing.png");
                (missing.clone(), missing)
            }
        };
        let header = format!("{base}/headers/original/missing.png");
        Self {
            id: account.id.to_string(),
            username: account.username.clone(),
            acct: account.username.clone(),
            display_name,
            locked: false,
            bot: false,
            discoverable: true,
            group: false,
            created_at: timestamp(account.created_at),
            note: render_status_html(&account.note),
            uri: format!("{base}/users/{}", account.username),
            url,
            avatar_static,
            avatar,
            header_static: header.clone(),
            header,
            followers_count: counts.followers,
            following_count: counts.following,
            statuses_count: counts.statuses,
            last_status_at: None,
            emojis: Vec::new(),
            fields: Vec::new(),
            roles: Vec::new(),
            hubbub: HubbubProfile {
                department: account.department.clone(),
                job_title: account.job_title.clone(),
                location: account.location.clone(),
                manager_id: account.manager_id.map(|id| id.to_string()),
            },
        }
    }
}

impl Account {
    /// Fills in the counts (an embedded account is rendered before they are known).
    pub fn set_counts(&mut self, counts: Option<model::AccountCounts>) {
        let counts = counts.unwrap_or_default();
        self.followers_count = counts.followers;
        self.following_count = counts.following;
        self.statuses_count = counts.statuses;
    }
}

/// Mastodon's `CredentialAccount`: the signed-in person's own account.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialAccount {
    /// The public part.
    #[serde(flatten)]
    pub account: Account,
    /// Defaults for posting and the raw profile.
    pub source: Source,
    /// The person's role.
    pub role: RoleEntity,
}

/// Mastodon's `Account.source`.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// Default post visibility.
    pub privacy: &'static str,
    /// Mark media sensitive by default.
    pub sensitive: bool,
    /// Default post language.
    pub language: Option<String>,
    /// Bio as plain text.
    pub note: String,
    /// Profile fields.
    pub fields: Vec<Value>,
    /// Pending follow requests.
    pub follow_requests_count: i64,
}

/// Mastodon's `Role`.
#[derive(Debug, Clone, Serialize)]
pub struct RoleEntity {
    /// Id.
    pub id: String,
    /// Name (`member`, `support`, `manager`, `admin`).
    pub name: String,
    /// Permission bits as a string.
    pub permissions: String,
    /// Badge colour.
    pub color: String,
    /// Whether the role is shown on the profile.
    pub highlighted: bool,
}

impl CredentialAccount {
    /// The signed-in view of `account`.
    pub fn new(account: &model::Account, counts: model::AccountCounts, base: &str) -> Self {
        let role = account.role;
        Self {
            account: Account::new(account, Some(counts), base),
            source: Source {
                privacy: "public",
                sensitive: false,
                language: None,
                note: account.note.clone(),
                fields: Vec::new(),
                follow_requests_count: 0,
            },
            role: RoleEntity {
                id: role.as_str().to_owned(),
                name: role.as_str().to_owned(),
                permissions: "0".to_owned(),
                color: String::new(),
                highlighted: false,
            },
        }
    }
}

/// Mastodon's `Status`.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Id, as a string.
    pub id: String,
    /// Stable identifier.
    pub uri: String,
    /// Web page.
    pub url: String,
    /// When it was posted.
    pub created_at: String,
    /// The author.
    pub account: Account,
    /// The text as safe HTML.
    pub content: String,
    /// The text as written.
    pub text: String,
    /// Always `public` for now.
    pub visibility: &'static str,
    /// Content warning in force.
    pub sensitive: bool,
    /// Content warning text.
    pub spoiler_text: String,
    /// Attached images, in upload order.
    pub media_attachments: Vec<MediaAttachment>,
    /// The posting app.
    pub application: Option<Value>,
    /// Mentions (none yet).
    pub mentions: Vec<Value>,
    /// Hashtags (none yet).
    pub tags: Vec<Value>,
    /// Custom emoji (none).
    pub emojis: Vec<Value>,
    /// Boosts.
    pub reblogs_count: i64,
    /// Favourites.
    pub favourites_count: i64,
    /// Replies.
    pub replies_count: i64,
    /// The post it answers.
    pub in_reply_to_id: Option<String>,
    /// The author of the post it answers.
    pub in_reply_to_account_id: Option<String>,
    /// The boosted post.
    pub reblog: Option<Value>,
    /// Poll.
    pub poll: Option<Value>,
    /// Link preview.
    pub card: Option<Value>,
    /// Language.
    pub language: Option<String>,
    /// Last edit.
    pub edited_at: Option<String>,
    /// Viewer favourited it.
    pub favourited: bool,
    /// Viewer boosted it.
    pub reblogged: bool,
    /// Viewer muted the thread.
    pub muted: bool,
    /// Viewer bookmarked it.
    pub bookmarked: bool,
    /// Filter results (none).
    pub filtered: Vec<Value>,
    /// Hubbub's extension: community, thread, question, tombstone and reaction facts.
    pub hubbub: StatusExtension,
}

/// Hubbub's extension of `Status`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusExtension {
    /// The community it was posted in.
    pub community_id: Option<String>,
    /// A deleted post shown in a thread's context (its text and content are empty).
    pub deleted: bool,
    /// Set when the post is a question.
    pub question: Option<QuestionState>,
    /// This reply is the accepted answer of its question.
    pub accepted_answer: bool,
    /// The id of the thread's first post.
    pub thread_id: String,
    /// The viewer follows (or takes part in) this thread.
    pub thread_followed: bool,
    /// Reactions given to the post (only those with a count above zero).
    pub reactions: Vec<ReactionEntity>,
}

/// One reaction on a post: how many gave it and whether the viewer did.
#[derive(Debug, Clone, Serialize)]
pub struct ReactionEntity {
    /// The reaction's name (`same_here`, `thanks`, `insightful`, `celebrate`).
    pub name: &'static str,
    /// How many people gave it.
    pub count: i64,
    /// Whether the viewer did.
    pub me: bool,
}

/// The state of a question.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionState {
    /// An answer was accepted.
    pub answered: bool,
    /// The accepted answer.
    pub accepted_answer_id: Option<String>,
}

impl Status {
    /// The entity for `status` by `author`; `in_reply_to_account` is the author of
    /// the post it answers, when known.
    pub fn new(
        status: &model::Status,
        author: &model::Account,
        in_reply_to_account: Option<AccountId>,
        base: &str,
    ) -> Self {
        Self {
            id: status.id.to_string(),
            uri: format!("{base}/users/{}/statuses/{}", author.username, status.id),
            url: format!("{base}/@{}/{}", author.username, status.id),
            created_at: timestamp(status.created_at),
            account: Account::new(author, None, base),
            content: render_status_html(&status.text),
            text: status.text.clone(),
            visibility: "public",
            sensitive: false,
            spoiler_text: String::new(),
            media_attachments: Vec::new(),
            application: None,
            mentions: Vec::new(),
            tags: Vec::new(),
            emojis: Vec::new(),
            reblogs_count: 0,
            favourites_count: 0,
            replies_count: 0,
            in_reply_to_id: status.in_reply_to_id.map(|id| id.to_string()),
            in_reply_to_account_id: in_reply_to_account.map(|id| id.to_string()),
            reblog: None,
            poll: None,
            card: None,
            language: None,
            edited_at: status.edited_at.map(timestamp),
            favourited: false,
            reblogged: false,
            muted: false,
            bookmarked: false,
            filtered: Vec::new(),
            hubbub: StatusExtension {
                community_id: status.community_id.map(|id| id.to_string()),
                deleted: false,
                question: status.question.then(|| QuestionState {
                    answered: status.accepted_answer_id.is_some(),
                    accepted_answer_id: status.accepted_answer_id.map(|id| id.to_string()),
                }),
                accepted_answer: false,
                thread_id: status.thread_id.to_string(),
                thread_followed: false,
                reactions: Vec::new(),
            },
        }
    }

    /// Fills in favourite and reaction counts and the viewer's flags.
    pub fn set_interactions(&mut self, interactions: Option<&Interactions>) {
        let Some(interactions) = interactions else {
            return;
        };
        self.favourites_count = interactions.favourites;
        self.favourited = interactions.favourited;
        self.bookmarked = interactions.bookmarked;
        self.hubbub.reactions = interactions
            .reactions
            .iter()
            .map(|count| ReactionEntity {
                name: count.reaction.as_str(),
                count: count.count,
                me: count.me,
            })
            .collect();
    }
}

impl Status {
    /// The tombstone of a deleted post in a thread's context: who and when stay
    /// (so the replies under it make sense), the text, links and media go.
    pub fn into_tombstone(mut self) -> Self {
        self.text = String::new();
        self.content = String::new();
        self.media_attachments = Vec::new();
        self.mentions = Vec::new();
        self.tags = Vec::new();
        self.edited_at = None;
        self.hubbub.deleted = true;
        self
    }
}

/// Mastodon's `StatusEdit`: one version of a post.
#[derive(Debug, Clone, Serialize)]
pub struct StatusEdit {
    /// The text as safe HTML.
    pub content: String,
    /// Content warning text.
    pub spoiler_text: String,
    /// Content warning in force.
    pub sensitive: bool,
    /// When this version was written.
    pub created_at: String,
    /// The author.
    pub account: Account,
    /// Attached images (the current ones; Hubbub does not version media).
    pub media_attachments: Vec<MediaAttachment>,
    /// Custom emoji (none).
    pub emojis: Vec<Value>,
    /// Poll (none).
    pub poll: Option<Value>,
}

/// Mastodon's `StatusSource`: the text to edit.
#[derive(Debug, Clone, Serialize)]
pub struct StatusSource {
    /// Id, as a string.
    pub id: String,
    /// The text as written.
    pub text: String,
    /// Content warning text.
    pub spoiler_text: String,
}

/// Mastodon's `MediaAttachment` (images only).
#[derive(Debug, Clone, Serialize)]
pub struct MediaAttachment {
    /// Id, as a string.
    pub id: String,
    /// Always `image`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The full-size file.
    pub url: String,
    /// The preview.
    pub preview_url: String,
    /// Where it came from on another server (never).
    pub remote_url: Option<String>,
    /// Deprecated short link (none).
    pub text_url: Option<String>,
    /// Sizes of the file and its preview.
    pub meta: Value,
    /// Alt text.
    pub description: Option<String>,
    /// Blurred placeholder (not computed).
    pub blurhash: Option<String>,
}

impl MediaAttachment {
    /// The entity for a stored upload; `base` is the instance's URL.
    pub fn new(media: &hubbub_storage::media::MediaAttachment, base: &str) -> Self {
        let size = |width: i64, height: i64| {
            let aspect = if height > 0 {
                width as f64 / height as f64
            } else {
                1.0
            };
            serde_json::json!({
                "width": width,
                "height": height,
                "size": format!("{width}x{height}"),
                "aspect": aspect,
            })
        };
        Self {
            id: media.id.to_string(),
            kind: "image",
            url: format!("{base}/media/{}", media.file_key),
            preview_url: format!("{base}/media/{}", media.preview_key),
            remote_url: None,
            text_url: None,
            meta: serde_json::json!({
                "original": size(media.width, media.height),
                "small": size(media.preview_width, media.preview_height),
            }),
            description: if media.description.is_empty() {
                None
            } else {
                Some(media.description.clone())
            },
            blurhash: None,
        }
    }
}

/// Mastodon's `Relationship`.
#[derive(Debug, Clone, Serialize)]
pub struct Relationship {
    /// The other account's id.
    pub id: String,
    /// The viewer follows them.
    pub following: bool,
    /// Boosts shown.
    pub showing_reblogs: bool,
    /// Post notifications on.
    pub notifying: bool,
    /// Languages filtered (none).
    pub languages: Option<Vec<String>>,
    /// They follow the viewer.
    pub followed_by: bool,
    /// The viewer blocks them.
    pub blocking: bool,
    /// They block the viewer.
    pub blocked_by: bool,
    /// Muted.
    pub muting: bool,
    /// Notifications muted.
    pub muting_notifications: bool,
    /// Follow request pending.
    pub requested: bool,
    /// They asked to follow the viewer.
    pub requested_by: bool,
    /// Domain blocked.
    pub domain_blocking: bool,
    /// Featured on the profile.
    pub endorsed: bool,
    /// Private note.
    pub note: String,
}

impl Relationship {
    /// The viewer's relationship to `other`.
    pub fn new(other: AccountId, relationship: model::Relationship) -> Self {
        Self {
            id: other.to_string(),
            following: relationship.following,
            showing_reblogs: relationship.following,
            notifying: false,
            languages: None,
            followed_by: relationship.followed_by,
            blocking: false,
            blocked_by: false,
            muting: false,
            muting_notifications: false,
            requested: false,
            requested_by: false,
            domain_blocking: false,
            endorsed: false,
            note: String::new(),
        }
    }
}

/// Mastodon's `Application`, as returned when an app registers (with its secret).
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Homepage.
    pub website: Option<String>,
    /// Scopes it may ask for.
    pub scopes: Vec<String>,
    /// Redirect URIs, newline-separated (deprecated field, still read by clients).
    pub redirect_uri: String,
    /// Redirect URIs.
    pub redirect_uris: Vec<String>,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: String,
    /// Never expires.
    pub client_secret_expires_at: i64,
    /// Web push key (push is not offered).
    pub vapid_key: String,
}

impl Application {
    /// The registered app, secret included.
    pub fn new(app: &model::App) -> Self {
        Self {
            id: app.id.to_string(),
            name: app.name.clone(),
            website: app.website.clone(),
            scopes: app.scopes.split_whitespace().map(str::to_owned).collect(),
            redirect_uri: app.redirect_uris.clone(),
            redirect_uris: app.redirect_uris.lines().map(str::to_owned).collect(),
            client_id: app.client_id.clone(),
            client_secret: app.client_secret.clone(),
            client_secret_expires_at: 0,
            vapid_key: String::new(),
        }
    }
}

/// Mastodon's `Token`.
#[derive(Debug, Clone, Serialize)]
pub struct Token {
    /// The JWT.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Space-separated scopes granted.
    pub scope: String,
    /// Issued at, seconds since the epoch.
    pub created_at: i64,
}

/// A person-readable HTML description of the instance, for `description` fields.
pub fn instance_description(title: &str) -> String {
    format!(
        "{} is a place for colleagues to post, ask and answer.",
        escape_html(title)
    )
}
