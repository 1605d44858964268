//! What both transports do before streaming: authenticate, register in the
//! interest index, load follows, community memberships and role, authorise and
//! subscribe streams, and replay what a resuming client missed.
//!
//! Resume without gap or duplicate: the connection is registered (so every
//! event dispatched from then on lands in its queue) BEFORE the outbox is read
//! for replay. Any event is therefore in the replay (numbered by the relay before
//! the read), in the queue (numbered, so dispatched, after registration), or
//! both; the transport writes the replay, then drops queued frames whose id the
//! replay already covered. The relay numbers events without holes, in the order
//! it publishes them, so the replay is a prefix of the live sequence.

use super::Shared;
use super::frame::Frame;
use super::handshake::{self, Credentials};
use super::interest::{CloseReason, ConnId, Interests, Registration};
use super::streams::{StreamError, StreamKey};
use hubbub_core::ids::{AccountId, CommunityId, EventId};
use hubbub_core::role::Role;
use hubbub_core::token::{TokenClaims, TokenError};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::handshake::server::Request;

/// Outbox rows read per replay query.
const REPLAY_PAGE: i64 = 500;

/// The scope a token needs to read streams.
const READ_SCOPE: &str = "read:statuses";

/// An HTTP refusal sent instead of streaming.
#[derive(Debug)]
pub(crate) struct Refusal {
    /// Status line, e.g. `401 Unauthorized`.
    pub(crate) status: &'static str,
    /// The JSON body.
    pub(crate) body: String,
}

impl Refusal {
    fn new(status: &'static str, message: &str) -> Self {
        Self {
            status,
            body: serde_json::json!({ "error": message }).to_string(),
        }
    }

    /// A refused stream, in Mastodon's form with its status.
    pub(crate) fn stream(error: StreamError) -> Self {
        let status = match error.status {
            401 => "401 Unauthorized",
            404 => "404 Not Found",
            503 => "503 Service Unavailable",
            _ => "400 Bad Request",
        };
        Self {
            status,
            body: error.json(),
        }
    }
}

/// What the client missed while away.
pub(crate) enum Replay {
    /// It did not ask to resume.
    Nothing,
    /// Its missed frames, oldest first; queued frames up to `through` are
    /// already covered.
    Frames {
        frames: Vec<Arc<Frame>>,
        through: EventId,
    },
    /// Too far behind: it must refetch over HTTP.
    Resync,
}

/// Removes the connection from the index however the task ends.
pub(crate) struct Registered {
    shared: Arc<Shared>,
    /// The connection's id.
    pub(crate) id: ConnId,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.shared.registry().remove(self.id);
    }
}

/// A registered, authorised connection, ready to stream.
pub(crate) struct Session {
    /// Keeps it in the index until dropped.
    pub(crate) registered: Registered,
    /// The account streaming.
    pub(crate) account: AccountId,
    /// Live frames.
    pub(crate) outbound: mpsc::Receiver<Arc<Frame>>,
    /// Fires once if the gateway ends the connection.
    pub(crate) closed: oneshot::Receiver<CloseReason>,
}

/// The query parameters of a streaming request, percent-decoded.
pub(crate) fn params(request: &Request) -> HashMap<String, String> {
    request
        .uri()
        .query()
        .and_then(|query| serde_urlencoded::from_str::<Vec<(String, String)>>(query).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .collect()
}

/// The event id a client resumes from: `Last-Event-ID` (SSE reconnects send
/// it), else `?since=`. A malformed value is ignored, as if absent.
pub(crate) fn resume_point(request: &Request, params: &HashMap<String, String>) -> Option<EventId> {
    request
        .headers()
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .or(params.get("since").map(String::as_str))
        .and_then(|value| value.trim().parse().ok())
}

/// Authenticates the request and registers the connection.
pub(crate) async fn open(
    shared: &Arc<Shared>,
    request: &Request,
    params: &HashMap<String, String>,
) -> Result<(Session, Option<String>), Refusal> {
    let Credentials { token, protocol } =
        handshake::credentials(request, params.get("access_token").map(String::as_str));
    let claims = authenticate(shared, token.as_deref())
        .map_err(|message| Refusal::new("401 Unauthorized", message))?;
    let account = claims
        .account_id()
        .ok_or_else(|| Refusal::new("401 Unauthorized", "Streaming needs a user token"))?;

    // Register before checking the token in storage: a revocation committed
    // after that check is then dispatched to this connection, and one committed
    // before it is seen by the check. No window is left in between.
    let Registration {
        id,
        outbound,
        closed,
    } = shared
        .registry()
        .register(account, &claims.jti)
        .ok_or_else(|| {
            Refusal::new(
                "429 Too Many Requests",
                "Too many streaming connections for this account",
            )
        })?;
    let registered = Registered {
        shared: shared.clone(),
        id,
    };
    match load(shared, &claims, account).await {
        Ok(Some(interests)) => shared.registry().loaded(id, &interests),
        Ok(None) => {
            return Err(Refusal::new(
                "401 Unauthorized",
                "The access token was revoked or has expired",
            ));
        }
        Err(error) => {
            tracing::error!(%error, "streaming: could not load the connection's token or interests");
            return Err(Refusal::new(
                "503 Service Unavailable",
                "Service unavailable",
            ));
        }
    }
    Ok((
        Session {
            registered,
            account,
            outbound,
            closed,
        },
        protocol,
    ))
}

impl Session {
    /// Subscribes (or unsubscribes) `stream`, if this account may read it.
    pub(crate) async fn set_stream(&self, stream: StreamKey, on: bool) -> Result<(), StreamError> {
        if on {
            self.authorize(&stream).await?;
        }
        self.registered
            .shared
            .registry()
            .set_stream(self.registered.id, stream, on)
    }

    /// What the client missed since `since` (nothing if `None`).
    pub(crate) async fn replay(&self, since: Option<EventId>) -> Replay {
        let Some(since) = since else {
            return Replay::Nothing;
        };
        match self.read_replay(since).await {
            Ok(replay) => replay,
            Err(error) => {
                // Without the outbox we cannot prove what was missed.
                tracing::warn!(%error, "streaming: replay failed; asking the client to resync");
                Replay::Resync
            }
        }
    }

    /// Whether this account may subscribe to `stream`: checked here once, at
    /// subscribe time; per-event checks (private communities) ride on each
    /// event's route. Streams of things Hubbub does not serve yet (lists,
    /// threads) are refused as not found.
    async fn authorize(&self, stream: &StreamKey) -> Result<(), StreamError> {
        match stream {
            StreamKey::User
            | StreamKey::UserNotification
            | StreamKey::Public
            | StreamKey::PublicLocal
            | StreamKey::Hashtag(_)
            | StreamKey::HashtagLocal(_) => Ok(()),
            // Open to all: each post's route confines a private community's
            // thread to its members, recipient by recipient.
            StreamKey::Thread(_) => Ok(()),
            StreamKey::Community(id) => {
                let Ok(community) = id.parse::<CommunityId>() else {
                    return Err(StreamError::COMMUNITY_FORBIDDEN);
                };
                let store = &self.registered.shared.store;
                match store.may_see_community(self.account, community).await {
                    Ok(true) => Ok(()),
                    Ok(false) => Err(StreamError::COMMUNITY_FORBIDDEN),
                    Err(error) => {
                        tracing::error!(%error, "streaming: could not check a community's visibility");
                        Err(StreamError::UNAVAILABLE)
                    }
                }
            }
            // Support staff only: the registry checks that as it subscribes,
            // so a role change cannot slip in between check and subscription.
            StreamKey::Helpdesk => Ok(()),
            StreamKey::List(_) => Err(StreamError {
                message: "Not found",
                status: 404,
            }),
        }
    }

    async fn read_replay(&self, since: EventId) -> Result<Replay, hubbub_storage::StorageError> {
        let shared = &self.registered.shared;
        if let Some(oldest) = shared.store.oldest_event_id().await?
            && since.0.saturating_add(1) < oldest.0
        {
            return Ok(Replay::Resync);
        }
        let mut frames = Vec::new();
        let mut through = since;
        let mut read = 0usize;
        loop {
            let page = shared
                .store
                .committed_events_after(through, REPLAY_PAGE)
                .await?;
            {
                let registry = shared.registry();
                for event in &page {
                    frames.extend(registry.frames_for(self.registered.id, event));
                    through = event.id;
                }
            }
            read += page.len();
            if read > shared.limits.max_replay {
                return Ok(Replay::Resync);
            }
            if (page.len() as i64) < REPLAY_PAGE {
                return Ok(Replay::Frames { frames, through });
            }
        }
    }
}

/// Checks the token's signature, expiry and scope; the message is the 401's.
fn authenticate(shared: &Shared, token: Option<&str>) -> Result<TokenClaims, &'static str> {
    let token = token.ok_or("Missing access token")?;
    let claims = shared.keys.verify(token).map_err(|error| match error {
        TokenError::Expired => "The access token has expired",
        TokenError::Invalid | TokenError::Signing => "The access token is invalid",
    })?;
    if !claims.has_scope(READ_SCOPE) {
        return Err("The access token does not grant the read scope");
    }
    Ok(claims)
}

/// Confirms the token is still live in storage (and its account not
/// suspended) and loads whom the user follows, which communities they are in,
/// which topics they follow and whether they are support staff; `None` if the token was revoked,
/// expired or belongs elsewhere.
async fn load(
    shared: &Shared,
    claims: &TokenClaims,
    account: AccountId,
) -> Result<Option<Interests>, hubbub_storage::StorageError> {
    let now = shared.clock.now();
    let Some(token) = shared.store.active_token(&claims.jti, now).await? else {
        return Ok(None);
    };
    if token.account_id != Some(account) {
        return Ok(None);
    }
    let (owner, followees, communities, topics) = tokio::try_join!(
        shared.store.account(account),
        shared.store.followee_ids(account),
        shared.store.active_community_ids(account),
        shared.store.followed_tag_names(account),
    )?;
    let Some(owner) = owner.filter(|owner| !owner.disabled) else {
        return Ok(None);
    };
    Ok(Some(Interests {
        followees,
        communities,
        topics,
        staff: matches!(owner.role, Role::Support | Role::Admin),
    }))
}
