//! The interest index: which local connections want which events.
//!
//! One [`Registry`] per gateway process, behind a mutex that is only held for
//! map look-ups and non-blocking queue pushes. An event costs work proportional
//! to the connections that want it: a post is looked up by its author in
//! `interested`, plus the `public` set; each frame is serialised once per
//! (event, stream) and the same bytes are shared by every recipient.

use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::{AccountId, EventId};
use hubbub_core::visibility::PostAudience;
use std::collections::{HashMap, HashSet};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// A connection's id, unique within this gateway process.
pub(crate) type ConnId = u64;

/// A stream a connection can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum StreamKind {
    /// The user's own posts and those of the accounts they follow.
    User,
    /// Every post.
    Public,
}

impl StreamKind {
    /// The stream named by a client, if Hubbub has it.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "user" => Some(Self::User),
            "public" => Some(Self::Public),
            _ => None,
        }
    }

    /// The name clients use, also the label on every frame.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Public => "public",
        }
    }
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
    /// Frames to send, already serialised.
    pub(crate) outbound: mpsc::Receiver<Utf8Bytes>,
    /// Fires once if the gateway ends the connection.
    pub(crate) closed: oneshot::Receiver<CloseReason>,
}

struct Conn {
    account: AccountId,
    token_id: String,
    user: bool,
    /// Accounts whose posts this connection receives on `user`, itself included.
    followees: HashSet<AccountId>,
    /// Follow changes seen while the followee list was being loaded, replayed
    /// over that list so a change racing with the load is not lost.
    pending: Option<Vec<(AccountId, bool)>>,
    outbound: mpsc::Sender<Utf8Bytes>,
    close: oneshot::Sender<CloseReason>,
}

/// The interest index and the connections it points at.
pub(crate) struct Registry {
    queue_capacity: usize,
    next_id: ConnId,
    conns: HashMap<ConnId, Conn>,
    /// Author -> connections that receive the author's posts on `user`.
    interested: HashMap<AccountId, HashSet<ConnId>>,
    /// Account -> its connections, to apply its follow changes.
    by_account: HashMap<AccountId, HashSet<ConnId>>,
    /// Token id -> connections opened with it, to end them on revocation.
    by_token: HashMap<String, HashSet<ConnId>>,
    /// Connections subscribed to `public`.
    public: HashSet<ConnId>,
}

impl Registry {
    /// An empty index whose connections queue at most `queue_capacity` frames.
    pub(crate) fn new(queue_capacity: usize) -> Self {
        Self {
            queue_capacity: queue_capacity.max(1),
            next_id: 0,
            conns: HashMap::new(),
            interested: HashMap::new(),
            by_account: HashMap::new(),
            by_token: HashMap::new(),
            public: HashSet::new(),
        }
    }

    /// Adds a connection for `account`, opened with token `token_id`, interested
    /// in its own posts until [`Registry::loaded_followees`] widens that.
    pub(crate) fn register(&mut self, account: AccountId, token_id: &str) -> Registration {
        self.next_id += 1;
        let id = self.next_id;
        let (outbound_tx, outbound) = mpsc::channel(self.queue_capacity);
        let (close, closed) = oneshot::channel();
        self.conns.insert(
            id,
            Conn {
                account,
                token_id: token_id.to_owned(),
                user: false,
                followees: HashSet::from([account]),
                pending: Some(Vec::new()),
                outbound: outbound_tx,
                close,
            },
        );
        self.interested.entry(account).or_default().insert(id);
        self.by_account.entry(account).or_default().insert(id);
        self.by_token
            .entry(token_id.to_owned())
            .or_default()
            .insert(id);
        Registration {
            id,
            outbound,
            closed,
        }
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

    /// Turns `stream` on or off for connection `id`.
    pub(crate) fn set_stream(&mut self, id: ConnId, stream: StreamKind, on: bool) {
        let Some(conn) = self.conns.get_mut(&id) else {
            return;
        };
        match stream {
            StreamKind::User => conn.user = on,
            StreamKind::Public if on => {
                self.public.insert(id);
            }
            StreamKind::Public => {
                self.public.remove(&id);
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
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.conns.len()
    }

    /// Routes one event to the connections that want it, updating the index
    /// for follow changes and ending streams of a revoked token.
    pub(crate) fn dispatch(&mut self, event: &Event) {
        match &event.body {
            // Posts in private communities are not streamed until the index knows
            // memberships: withholding them can never leak one to a non-member.
            EventBody::StatusCreated {
                audience: PostAudience::Members { .. },
                ..
            }
            | EventBody::StatusDeleted {
                audience: PostAudience::Members { .. },
                ..
            } => {}
            EventBody::StatusCreated {
                author,
                status_json,
                ..
            } => self.fan_out(*author, event.id, "update", status_json),
            EventBody::StatusDeleted {
                author, status_id, ..
            } => self.fan_out(*author, event.id, "delete", &status_id.to_string()),
            EventBody::Followed { follower, followee } => {
                self.follow_change(*follower, *followee, true)
            }
            EventBody::Unfollowed { follower, followee } => {
                self.follow_change(*follower, *followee, false)
            }
            // Membership changes matter once private-community posts are streamed to
            // members; until then those posts are withheld from everyone (above).
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
        }
    }

    fn fan_out(&mut self, author: AccountId, id: EventId, kind: &str, payload: &str) {
        let mut too_slow = Vec::new();
        if let Some(ids) = self.interested.get(&author) {
            let mut frame = None;
            for conn_id in ids {
                let Some(conn) = self.conns.get(conn_id) else {
                    continue;
                };
                if !conn.user {
                    continue;
                }
                let frame =
                    frame.get_or_insert_with(|| encode(StreamKind::User, kind, payload, id));
                if conn.outbound.try_send(frame.clone()).is_err() {
                    too_slow.push(*conn_id);
                }
            }
        }
        if !self.public.is_empty() {
            let frame = encode(StreamKind::Public, kind, payload, id);
            for conn_id in &self.public {
                if let Some(conn) = self.conns.get(conn_id)
                    && conn.outbound.try_send(frame.clone()).is_err()
                {
                    too_slow.push(*conn_id);
                }
            }
        }
        // A full queue means the client is not keeping up; a closed one means it
        // is ending anyway. Either way it must not hold up the others.
        for conn_id in too_slow {
            self.close(conn_id, CloseReason::TooSlow);
        }
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
        if following {
            conn.followees.insert(followee);
            self.interested.entry(followee).or_default().insert(id);
        } else if followee != conn.account {
            // One's own posts are always on one's own stream.
            conn.followees.remove(&followee);
            remove_from(&mut self.interested, &followee, id);
        }
    }

    fn take(&mut self, id: ConnId) -> Option<Conn> {
        let conn = self.conns.remove(&id)?;
        for followee in &conn.followees {
            remove_from(&mut self.interested, followee, id);
        }
        remove_from(&mut self.by_account, &conn.account, id);
        remove_from(&mut self.by_token, &conn.token_id, id);
        self.public.remove(&id);
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

/// One frame in Mastodon's WebSocket form. `id` is Hubbub's extra field for
/// resuming; Mastodon clients ignore it.
pub(crate) fn encode(stream: StreamKind, event: &str, payload: &str, id: EventId) -> Utf8Bytes {
    serde_json::json!({
        "stream": [stream.name()],
        "event": event,
        "payload": payload,
        "id": id.to_string(),
    })
    .to_string()
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hubbub_core::ids::StatusId;

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
        let registration = registry.register(account, &format!("token-{}", account.0));
        registry.set_stream(registration.id, StreamKind::User, true);
        registry.loaded_followees(registration.id, followees);
        registration
    }

    fn received(registration: &mut Registration) -> Vec<serde_json::Value> {
        let mut frames = Vec::new();
        while let Ok(frame) = registration.outbound.try_recv() {
            frames.push(serde_json::from_str(frame.as_str()).unwrap());
        }
        frames
    }

    #[test]
    fn a_post_reaches_its_author_and_followers_but_not_others_on_the_user_stream() {
        let mut registry = Registry::new(16);
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
        let mut registry = Registry::new(16);
        let mut alice = user_connection(&mut registry, ALICE, &[BOB]);
        let mut carol = registry.register(CAROL, "c");
        registry.loaded_followees(carol.id, &[]);
        registry.set_stream(carol.id, StreamKind::Public, true);
        let private = PostAudience::of(Some(hubbub_core::ids::CommunityId(5)), true);

        registry.dispatch(&posted_in(12, BOB, private));

        assert!(received(&mut alice).is_empty());
        assert!(received(&mut carol).is_empty());
    }

    #[test]
    fn the_public_stream_gets_every_post_labelled_public() {
        let mut registry = Registry::new(16);
        let mut carol = registry.register(CAROL, "c");
        registry.loaded_followees(carol.id, &[]);
        registry.set_stream(carol.id, StreamKind::Public, true);

        registry.dispatch(&posted(11, BOB));

        let frames = received(&mut carol);
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0]["stream"], serde_json::json!(["public"]));
    }

    #[test]
    fn follow_and_unfollow_events_widen_and_narrow_the_user_stream() {
        let mut registry = Registry::new(16);
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
        let mut registry = Registry::new(16);
        let mut alice = registry.register(ALICE, "a");
        registry.set_stream(alice.id, StreamKind::User, true);

        // The load read the follow before the unfollow committed, but the
        // unfollow event was dispatched before the load finished.
        registry.dispatch(&follow_event(1, ALICE, BOB, false));
        registry.loaded_followees(alice.id, &[BOB]);
        registry.dispatch(&posted(2, BOB));

        assert!(received(&mut alice).is_empty());
    }

    #[test]
    fn a_revoked_token_ends_only_the_streams_opened_with_it() {
        let mut registry = Registry::new(16);
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
        let mut registry = Registry::new(2);
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
        let mut registry = Registry::new(4);
        let alice = user_connection(&mut registry, ALICE, &[BOB, CAROL]);
        registry.set_stream(alice.id, StreamKind::Public, true);

        registry.remove(alice.id);

        assert!(registry.interested.is_empty());
        assert!(registry.by_account.is_empty());
        assert!(registry.by_token.is_empty());
        assert!(registry.public.is_empty());
    }
}
