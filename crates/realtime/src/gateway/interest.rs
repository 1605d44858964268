//! The interest index: which local connections want which events.
//!
//! One [`Registry`] per gateway process, behind a mutex that is only held for
//! map look-ups and non-blocking queue pushes. An event costs work proportional
//! to the connections that want it: [`route`] names the interests it reaches
//! (its author, for followers' user streams; `public`; its hashtags), and each
//! interest's set holds exactly the connections subscribed through it, with
//! their queues. One [`Frame`] is built per (event, stream) and shared by every
//! recipient; its bytes are encoded once, lazily, outside the lock.
//!
//! New kinds of interest (community members, thread watchers, topics) slot in
//! as [`Interest`] variants kept current by their join/leave events, the way
//! `Author` is by follow events. Posts in private communities are not routed
//! at all until the index knows memberships (withholding them can never leak
//! one to a non-member); then their audience joins [`Route`], checked per
//! recipient, and replay gets the same check for free through [`route`].

use super::frame::Frame;
use super::streams::{StreamError, StreamKey};
use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::{AccountId, EventId};
use hubbub_core::visibility::PostAudience;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// A connection's id, unique within this gateway process.
pub(crate) type ConnId = u64;

/// A connection's queue of frames to send.
type Outbound = mpsc::Sender<Arc<Frame>>;

/// What connections can be interested in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Interest {
    /// Posts by this account, on the user streams of its followers and its own.
    Author(AccountId),
    /// Events addressed to a stream as a whole (`public`, `hashtag:x`, ...).
    Stream(StreamKey),
}

/// Why the gateway ends a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CloseReason {
    /// The token it was opened with was revoked.
    Revoked,
    /// Its outbound queue filled up: the client does not read fast enough.
    TooSlow,
    /// The gateway is shutting down.
    Shutdown,
}

/// What a newly registered connection gets to read from.
pub(crate) struct Registration {
    /// Its id, to name it in later calls.
    pub(crate) id: ConnId,
    /// Frames to send.
    pub(crate) outbound: mpsc::Receiver<Arc<Frame>>,
    /// Fires once if the gateway ends the connection.
    pub(crate) closed: oneshot::Receiver<CloseReason>,
}

/// Limits the registry enforces.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RegistryLimits {
    /// Frames a connection may have waiting.
    pub(crate) queue_capacity: usize,
    /// Streams one connection may be subscribed to at once.
    pub(crate) max_subscriptions: usize,
    /// Open connections one account may have in this process.
    pub(crate) max_connections_per_account: usize,
}

struct Conn {
    account: AccountId,
    token_id: String,
    /// Whether the `user` stream is on.
    user: bool,
    /// The other streams it is subscribed to.
    streams: HashSet<StreamKey>,
    /// Accounts whose posts this connection receives on `user`, itself included.
    followees: HashSet<AccountId>,
    /// Follow changes seen while the followee list was being loaded, replayed
    /// over that list so a change racing with the load is not lost.
    pending: Option<Vec<(AccountId, bool)>>,
    outbound: Outbound,
    close: oneshot::Sender<CloseReason>,
}

/// Where an event goes: what [`route`] reads from it.
pub(crate) struct Route {
    /// The author, whose followers' user streams receive it.
    author: Option<AccountId>,
    /// The streaming event name.
    event: &'static str,
    /// The payload, shared by every frame of this event.
    payload: Arc<str>,
    /// Streams that receive it as a whole.
    streams: Vec<StreamKey>,
}

/// Where `event` goes; `None` for events that only change the index.
/// Hashtags are read from the status JSON only when `with_tags` (someone
/// listens to a hashtag), so the common case parses nothing.
pub(crate) fn route(event: &Event, with_tags: bool) -> Option<Route> {
    match &event.body {
        EventBody::StatusCreated {
            audience: PostAudience::Members { .. },
            ..
        }
        | EventBody::StatusUpdated {
            audience: PostAudience::Members { .. },
            ..
        }
        | EventBody::StatusDeleted {
            audience: PostAudience::Members { .. },
            ..
        } => None,
        EventBody::StatusCreated {
            author,
            thread,
            status_json,
            ..
        }
        | EventBody::StatusUpdated {
            author,
            thread,
            status_json,
            ..
        } => {
            let mut streams = vec![
                StreamKey::Public,
                StreamKey::PublicLocal,
                StreamKey::Thread(thread.to_string()),
            ];
            if with_tags {
                for tag in hashtags(status_json) {
                    streams.push(StreamKey::Hashtag(tag.clone()));
                    streams.push(StreamKey::HashtagLocal(tag));
                }
            }
            let event = match &event.body {
                EventBody::StatusUpdated { .. } => "status.update",
                _ => "update",
            };
            Some(Route {
                author: Some(*author),
                event,
                payload: Arc::from(status_json.as_str()),
                streams,
            })
        }
        EventBody::StatusDeleted {
            author,
            status_id,
            thread,
            ..
        } => Some(Route {
            author: Some(*author),
            event: "delete",
            payload: Arc::from(status_id.to_string()),
            streams: vec![
                StreamKey::Public,
                StreamKey::PublicLocal,
                StreamKey::Thread(thread.to_string()),
            ],
        }),
        EventBody::Followed { .. }
        | EventBody::Unfollowed { .. }
        | EventBody::TokenRevoked { .. }
        | EventBody::HelpdeskTicketOpened { .. }
        | EventBody::HelpdeskTicketChanged { .. }
        | EventBody::CommunityJoined { .. }
        | EventBody::CommunityLeft { .. } => None,
    }
}

/// The lower-cased names of the Status entity's `tags`.
fn hashtags(status_json: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Tag {
        name: String,
    }
    #[derive(serde::Deserialize)]
    struct Tags {
        #[serde(default)]
        tags: Vec<Tag>,
    }
    serde_json::from_str::<Tags>(status_json)
        .map(|parsed| {
            parsed
                .tags
                .into_iter()
                .map(|tag| tag.name.to_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// The interest index and the connections it points at.
pub(crate) struct Registry {
    limits: RegistryLimits,
    next_id: ConnId,
    conns: HashMap<ConnId, Conn>,
    /// Interest -> the connections subscribed through it, with their queues.
    interested: HashMap<Interest, HashMap<ConnId, Outbound>>,
    /// Account -> its connections, to apply its follow changes and count them.
    by_account: HashMap<AccountId, HashSet<ConnId>>,
    /// Token id -> connections opened with it, to end them on revocation.
    by_token: HashMap<String, HashSet<ConnId>>,
    /// How many hashtag subscriptions exist (tags are parsed only if any do).
    hashtag_subscriptions: usize,
    /// Frames queued for clients, ever (for metrics).
    pub(crate) delivered: u64,
    /// Connections cut off for not keeping up, ever (for metrics).
    pub(crate) cut_off_slow: u64,
}

impl Registry {
    /// An empty index.
    pub(crate) fn new(limits: RegistryLimits) -> Self {
        Self {
            limits: RegistryLimits {
                queue_capacity: limits.queue_capacity.max(1),
                ..limits
            },
            next_id: 0,
            conns: HashMap::new(),
            interested: HashMap::new(),
            by_account: HashMap::new(),
            by_token: HashMap::new(),
            hashtag_subscriptions: 0,
            delivered: 0,
            cut_off_slow: 0,
        }
    }

    /// Adds a connection for `account`, opened with token `token_id`, following
    /// only itself until [`Registry::loaded_followees`] widens that. `None` if
    /// the account already has as many connections as it may.
    pub(crate) fn register(&mut self, account: AccountId, token_id: &str) -> Option<Registration> {
        let open = self.by_account.get(&account).map_or(0, HashSet::len);
        if open >= self.limits.max_connections_per_account {
            return None;
        }
        self.next_id += 1;
        let id = self.next_id;
        let (outbound_tx, outbound) = mpsc::channel(self.limits.queue_capacity);
        let (close, closed) = oneshot::channel();
        self.conns.insert(
            id,
            Conn {
                account,
                token_id: token_id.to_owned(),
                user: false,
                streams: HashSet::new(),
                followees: HashSet::from([account]),
                pending: Some(Vec::new()),
                outbound: outbound_tx,
                close,
            },
        );
        self.by_account.entry(account).or_default().insert(id);
        self.by_token
            .entry(token_id.to_owned())
            .or_default()
            .insert(id);
        Some(Registration {
            id,
            outbound,
            closed,
        })
    }

    /// Sets the accounts `id` follows, as loaded from storage after it registered.
    pub(crate) fn loaded_followees(&mut self, id: ConnId, followees: &[AccountId]) {
        let Some(pending) = self.conns.get_mut(&id).and_then(|conn| conn.pending.take()) else {
            return;
        };
        for &followee in followees {
            self.set_follow(id, followee, true);
        }
        for (followee, following) in pending {
            self.set_follow(id, followee, following);
        }
    }

    /// Turns `stream` on or off for connection `id`. Turning on more streams
    /// than a connection may have is refused.
    pub(crate) fn set_stream(
        &mut self,
        id: ConnId,
        stream: StreamKey,
        on: bool,
    ) -> Result<(), StreamError> {
        let Some(conn) = self.conns.get_mut(&id) else {
            return Ok(());
        };
        let already = match &stream {
            StreamKey::User => conn.user,
            other => conn.streams.contains(other),
        };
        if already == on {
            return Ok(());
        }
        if on && usize::from(conn.user) + conn.streams.len() >= self.limits.max_subscriptions {
            return Err(StreamError::TOO_MANY);
        }
        let outbound = conn.outbound.clone();
        if stream == StreamKey::User {
            conn.user = on;
            let followees: Vec<AccountId> = conn.followees.iter().copied().collect();
            for followee in followees {
                self.index(Interest::Author(followee), id, &outbound, on);
            }
            return Ok(());
        }
        if matches!(stream, StreamKey::Hashtag(_) | StreamKey::HashtagLocal(_)) {
            if on {
                self.hashtag_subscriptions += 1;
            } else {
                self.hashtag_subscriptions = self.hashtag_subscriptions.saturating_sub(1);
            }
        }
        if on {
            conn.streams.insert(stream.clone());
        } else {
            conn.streams.remove(&stream);
        }
        self.index(Interest::Stream(stream), id, &outbound, on);
        Ok(())
    }

    fn index(&mut self, interest: Interest, id: ConnId, outbound: &Outbound, on: bool) {
        if on {
            self.interested
                .entry(interest)
                .or_default()
                .insert(id, outbound.clone());
        } else if let Some(ids) = self.interested.get_mut(&interest) {
            ids.remove(&id);
            if ids.is_empty() {
                self.interested.remove(&interest);
            }
        }
    }

    /// Forgets connection `id` (it ended). Harmless if already gone.
    pub(crate) fn remove(&mut self, id: ConnId) {
        self.take(id);
    }

    /// Ends connection `id`, telling it why.
    fn close(&mut self, id: ConnId, reason: CloseReason) {
        if let Some(conn) = self.take(id) {
            // The connection may be gone already; then there is nobody to tell.
            let _ = conn.close.send(reason);
        }
    }

    /// Ends every connection (gateway shutdown).
    pub(crate) fn close_all(&mut self, reason: CloseReason) {
        let ids: Vec<ConnId> = self.conns.keys().copied().collect();
        for id in ids {
            self.close(id, reason);
        }
    }

    /// How many connections are open.
    pub(crate) fn len(&self) -> usize {
        self.conns.len()
    }

    /// Routes one event to the connections that want it, updating the index
    /// for follow changes and ending streams of a revoked token.
    pub(crate) fn dispatch(&mut self, event: &Event) {
        match &event.body {
            EventBody::Followed { follower, followee } => {
                self.follow_change(*follower, *followee, true)
            }
            EventBody::Unfollowed { follower, followee } => {
                self.follow_change(*follower, *followee, false)
            }
            // Membership changes matter once private-community posts are streamed to
            // members; until then `route` withholds those posts from everyone.
            EventBody::CommunityJoined { .. } | EventBody::CommunityLeft { .. } => {}
            EventBody::TokenRevoked { token_id } => {
                let ids: Vec<ConnId> = self
                    .by_token
                    .get(token_id)
                    .map(|ids| ids.iter().copied().collect())
                    .unwrap_or_default();
                for id in ids {
                    self.close(id, CloseReason::Revoked);
                }
            }
            EventBody::StatusCreated { .. }
            | EventBody::StatusUpdated { .. }
            | EventBody::StatusDeleted { .. } => {
                if let Some(route) = route(event, self.hashtag_subscriptions > 0) {
                    self.fan_out(event.id, route);
                }
            }
            // The `helpdesk` stream for support staff is not served yet; the events
            // are in the outbox (and so in replay) for when it is.
            EventBody::HelpdeskTicketOpened { .. } | EventBody::HelpdeskTicketChanged { .. } => {}
        }
    }

    fn fan_out(&mut self, id: EventId, route: Route) {
        let mut too_slow = Vec::new();
        let targets = route
            .author
            .map(|author| (Interest::Author(author), StreamKey::User))
            .into_iter()
            .chain(
                route
                    .streams
                    .into_iter()
                    .map(|key| (Interest::Stream(key.clone()), key)),
            );
        for (interest, label) in targets {
            let Some(recipients) = self.interested.get(&interest) else {
                continue;
            };
            let frame = Frame::new(id, label, route.event, route.payload.clone());
            for (conn_id, outbound) in recipients {
                // A full queue means the client is not keeping up; a closed one
                // means it is ending anyway. Neither may hold up the others.
                match outbound.try_send(frame.clone()) {
                    Ok(()) => self.delivered += 1,
                    Err(_) => too_slow.push(*conn_id),
                }
            }
        }
        for conn_id in too_slow {
            // One connection can be in `too_slow` twice (author and stream).
            if self.conns.contains_key(&conn_id) {
                self.cut_off_slow += 1;
            }
            self.close(conn_id, CloseReason::TooSlow);
        }
    }

    /// The frames connection `id` would have received for `event`: what a
    /// resuming client is replayed.
    pub(crate) fn frames_for(&self, id: ConnId, event: &Event) -> Vec<Arc<Frame>> {
        let (Some(conn), Some(route)) = (self.conns.get(&id), route(event, true)) else {
            return Vec::new();
        };
        let mut frames = Vec::new();
        if conn.user
            && route
                .author
                .is_some_and(|author| conn.followees.contains(&author))
        {
            frames.push(Frame::new(
                event.id,
                StreamKey::User,
                route.event,
                route.payload.clone(),
            ));
        }
        for key in route.streams {
            if conn.streams.contains(&key) {
                frames.push(Frame::new(
                    event.id,
                    key,
                    route.event,
                    route.payload.clone(),
                ));
            }
        }
        frames
    }

    fn follow_change(&mut self, follower: AccountId, followee: AccountId, following: bool) {
        let ids: Vec<ConnId> = match self.by_account.get(&follower) {
            Some(ids) => ids.iter().copied().collect(),
            None => return,
        };
        for id in ids {
            if let Some(pending) = self
                .conns
                .get_mut(&id)
                .and_then(|conn| conn.pending.as_mut())
            {
                pending.push((followee, following));
            }
            self.set_follow(id, followee, following);
        }
    }

    fn set_follow(&mut self, id: ConnId, followee: AccountId, following: bool) {
        let Some(conn) = self.conns.get_mut(&id) else {
            return;
        };
        // One's own posts are always on one's own stream.
        if !following && followee == conn.account {
            return;
        }
        let changed = if following {
            conn.followees.insert(followee)
        } else {
            conn.followees.remove(&followee)
        };
        if changed && conn.user {
            let outbound = conn.outbound.clone();
            self.index(Interest::Author(followee), id, &outbound, following);
        }
    }

    fn take(&mut self, id: ConnId) -> Option<Conn> {
        let conn = self.conns.remove(&id)?;
        if conn.user {
            for followee in &conn.followees {
                self.index(Interest::Author(*followee), id, &conn.outbound, false);
            }
        }
        for stream in &conn.streams {
            if matches!(stream, StreamKey::Hashtag(_) | StreamKey::HashtagLocal(_)) {
                self.hashtag_subscriptions = self.hashtag_subscriptions.saturating_sub(1);
            }
            self.index(Interest::Stream(stream.clone()), id, &conn.outbound, false);
        }
        remove_from(&mut self.by_account, &conn.account, id);
        remove_from(&mut self.by_token, &conn.token_id, id);
        Some(conn)
    }
}

/// Removes `id` from the set at `key`, dropping the set when it empties so the
/// maps do not keep one entry per account ever seen.
fn remove_from<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, HashSet<ConnId>>,
    key: &K,
    id: ConnId,
) {
    if let Some(ids) = map.get_mut(key) {
        ids.remove(&id);
        if ids.is_empty() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hubbub_core::ids::StatusId;

    fn limits(queue_capacity: usize) -> RegistryLimits {
        RegistryLimits {
            queue_capacity,
            max_subscriptions: 4,
            max_connections_per_account: 2,
        }
    }

    const ALICE: AccountId = AccountId(1);
    const BOB: AccountId = AccountId(2);
    const CAROL: AccountId = AccountId(3);

    fn posted(id: i64, author: AccountId) -> Event {
        posted_in(id, author, PostAudience::of(None, false))
    }

    fn posted_in(id: i64, author: AccountId, audience: PostAudience) -> Event {
        Event {
            id: EventId(id),
            body: EventBody::StatusCreated {
                author,
                status_id: StatusId(id),
                thread: StatusId(id),
                audience,
                status_json: format!("{{\"id\":\"{id}\"}}"),
            },
        }
    }

    fn follow_event(id: i64, follower: AccountId, followee: AccountId, on: bool) -> Event {
        let body = if on {
            EventBody::Followed { follower, followee }
        } else {
            EventBody::Unfollowed { follower, followee }
        };
        Event {
            id: EventId(id),
            body,
        }
    }

    fn user_connection(
        registry: &mut Registry,
        account: AccountId,
        followees: &[AccountId],
    ) -> Registration {
        let registration = registry
            .register(account, &format!("token-{}", account.0))
            .unwrap();
        registry
            .set_stream(registration.id, StreamKey::User, true)
            .unwrap();
        registry.loaded_followees(registration.id, followees);
        registration
    }

    fn received(registration: &mut Registration) -> Vec<serde_json::Value> {
        let mut frames = Vec::new();
        while let Ok(frame) = registration.outbound.try_recv() {
            frames.push(serde_json::from_str(frame.ws().as_str()).unwrap());
        }
        frames
    }

    #[test]
    fn a_post_reaches_its_author_and_followers_but_not_others_on_the_user_stream() {
        let mut registry = Registry::new(limits(16));
        let mut alice = user_connection(&mut registry, ALICE, &[BOB]);
        let mut bob = user_connection(&mut registry, BOB, &[]);
        let mut carol = user_connection(&mut registry, CAROL, &[]);

        registry.dispatch(&posted(10, BOB));

        let frames = received(&mut alice);
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0]["stream"], serde_json::json!(["user"]));
        assert_eq!(frames[0]["event"], "update");
        assert_eq!(frames[0]["payload"], "{\"id\":\"10\"}");
        assert_eq!(frames[0]["id"], "10");
        assert_eq!(received(&mut bob).len(), 1);
        assert!(received(&mut carol).is_empty());
    }

    #[test]
    fn a_post_in_a_private_community_is_streamed_to_nobody_not_even_followers() {
        let mut registry = Registry::new(limits(16));
        let mut alice = user_connection(&mut registry, ALICE, &[BOB]);
        let mut carol = registry.register(CAROL, "c").unwrap();
        registry.loaded_followees(carol.id, &[]);
        registry
            .set_stream(carol.id, StreamKey::Public, true)
            .unwrap();
        let private = PostAudience::of(Some(hubbub_core::ids::CommunityId(5)), true);

        registry.dispatch(&posted_in(12, BOB, private));

        assert!(received(&mut alice).is_empty());
        assert!(received(&mut carol).is_empty());
    }

    #[test]
    fn the_public_stream_gets_every_post_labelled_public() {
        let mut registry = Registry::new(limits(16));
        let mut carol = registry.register(CAROL, "c").unwrap();
        registry.loaded_followees(carol.id, &[]);
        registry
            .set_stream(carol.id, StreamKey::Public, true)
            .unwrap();

        registry.dispatch(&posted(11, BOB));

        let frames = received(&mut carol);
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0]["stream"], serde_json::json!(["public"]));
    }

    #[test]
    fn follow_and_unfollow_events_widen_and_narrow_the_user_stream() {
        let mut registry = Registry::new(limits(16));
        let mut alice = user_connection(&mut registry, ALICE, &[]);

        registry.dispatch(&follow_event(1, ALICE, BOB, true));
        registry.dispatch(&posted(2, BOB));
        assert_eq!(received(&mut alice).len(), 1);

        registry.dispatch(&follow_event(3, ALICE, BOB, false));
        registry.dispatch(&posted(4, BOB));
        assert!(received(&mut alice).is_empty());
    }

    #[test]
    fn an_unfollow_seen_while_followees_load_is_not_undone_by_the_load() {
        let mut registry = Registry::new(limits(16));
        let mut alice = registry.register(ALICE, "a").unwrap();
        registry
            .set_stream(alice.id, StreamKey::User, true)
            .unwrap();

        // The load read the follow before the unfollow committed, but the
        // unfollow event was dispatched before the load finished.
        registry.dispatch(&follow_event(1, ALICE, BOB, false));
        registry.loaded_followees(alice.id, &[BOB]);
        registry.dispatch(&posted(2, BOB));

        assert!(received(&mut alice).is_empty());
    }

    #[test]
    fn a_revoked_token_ends_only_the_streams_opened_with_it() {
        let mut registry = Registry::new(limits(16));
        let mut alice = user_connection(&mut registry, ALICE, &[]);
        let mut bob = user_connection(&mut registry, BOB, &[]);

        registry.dispatch(&Event {
            id: EventId(5),
            body: EventBody::TokenRevoked {
                token_id: "token-1".into(),
            },
        });

        assert_eq!(alice.closed.try_recv(), Ok(CloseReason::Revoked));
        assert!(bob.closed.try_recv().is_err());
        assert_eq!(registry.len(), 1);
    }

    #[test]
    fn a_connection_whose_queue_is_full_is_closed_as_too_slow_without_blocking() {
        let mut registry = Registry::new(limits(2));
        let mut alice = user_connection(&mut registry, ALICE, &[]);
        let mut bob = user_connection(&mut registry, BOB, &[ALICE]);

        registry.dispatch(&posted(1, ALICE));
        registry.dispatch(&posted(2, ALICE));
        assert_eq!(received(&mut bob).len(), 2);
        registry.dispatch(&posted(3, ALICE));

        assert_eq!(alice.closed.try_recv(), Ok(CloseReason::TooSlow));
        assert_eq!(received(&mut bob).len(), 1);
        assert!(bob.closed.try_recv().is_err());
    }

    #[test]
    fn removing_connections_leaves_no_index_entries_behind() {
        let mut registry = Registry::new(limits(4));
        let alice = user_connection(&mut registry, ALICE, &[BOB, CAROL]);
        registry
            .set_stream(alice.id, StreamKey::Public, true)
            .unwrap();

        registry.remove(alice.id);

        assert!(registry.interested.is_empty());
        assert!(registry.by_account.is_empty());
        assert!(registry.by_token.is_empty());
    }

    #[test]
    fn an_account_may_not_open_more_connections_than_allowed() {
        let mut registry = Registry::new(limits(4));
        let first = registry.register(ALICE, "a").unwrap();
        let _second = registry.register(ALICE, "a").unwrap();
        assert!(registry.register(ALICE, "a").is_none());
        registry.remove(first.id);
        assert!(registry.register(ALICE, "a").is_some());
    }

    #[test]
    fn a_connection_may_not_subscribe_to_more_streams_than_allowed() {
        let mut registry = Registry::new(limits(4));
        let alice = registry.register(ALICE, "a").unwrap();
        for tag in ["a", "b", "c", "d"] {
            registry
                .set_stream(alice.id, StreamKey::Hashtag(tag.into()), true)
                .unwrap();
        }
        assert_eq!(
            registry.set_stream(alice.id, StreamKey::User, true),
            Err(StreamError::TOO_MANY)
        );
    }

    #[test]
    fn a_hashtag_stream_gets_posts_tagged_with_it_labelled_with_the_tag() {
        let mut registry = Registry::new(limits(4));
        let mut carol = registry.register(CAROL, "c").unwrap();
        registry.loaded_followees(carol.id, &[]);
        registry
            .set_stream(carol.id, StreamKey::Hashtag("rust".into()), true)
            .unwrap();
        let tagged = Event {
            id: EventId(7),
            body: EventBody::StatusCreated {
                author: BOB,
                status_id: StatusId(7),
                thread: StatusId(7),
                audience: PostAudience::of(None, false),
                status_json: r#"{"id":"7","tags":[{"name":"Rust"}]}"#.into(),
            },
        };

        registry.dispatch(&posted(6, BOB));
        registry.dispatch(&tagged);

        let frames = received(&mut carol);
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0]["stream"], serde_json::json!(["hashtag", "rust"]));
        assert_eq!(frames[0]["id"], "7");
    }
}
