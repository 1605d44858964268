//! The interest index: which local connections want which events.
//!
//! One [`Registry`] per gateway process, behind a mutex that is only held for
//! map look-ups and non-blocking queue pushes. An event costs work proportional
//! to the connections that want it: [`route`] names the interests it reaches
//! (its author, for followers' user streams; its community, for members' user
//! streams; its topics, for their followers' user streams; `public`, the
//! community's stream, its hashtags, the help desk), and
//! each interest's set holds exactly the connections subscribed through it,
//! with their queues. One [`Frame`] is built per (event, stream) and shared by
//! every recipient; its bytes are encoded once, lazily, outside the lock.
//!
//! Private communities: each connection knows its account's active
//! memberships (loaded at connect, kept current by join/leave events, like
//! follows). An event of a private community ([`Route::members_only`]) never
//! goes to `public` or hashtag streams nor to followers as such; it reaches the
//! user streams of the community's members, and on the community and help-desk
//! streams every recipient is checked for membership as the event is routed,
//! so someone who leaves (or is removed) stops receiving at once, even on a
//! community stream they opened while a member. Replay applies the same checks
//! through [`Registry::frames_for`].

use super::frame::Frame;
use super::streams::{StreamError, StreamKey};
use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::{AccountId, CommunityId, EventId, StatusId};
use hubbub_core::role::Role;
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
    /// Posts in this community, on the user streams of its active members.
    Member(CommunityId),
    /// Posts with this topic (canonical name), on the user streams of its followers.
    Topic(String),
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

/// What a connection's interests start from, read from storage at connect.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interests {
    /// Whom the account follows.
    pub(crate) followees: Vec<AccountId>,
    /// The communities it is an active member of.
    pub(crate) communities: Vec<CommunityId>,
    /// The topics it follows (canonical names).
    pub(crate) topics: Vec<String>,
    /// Whether it is support staff (role `support` or `admin`).
    pub(crate) staff: bool,
}

/// A change to a connection's interests seen while they were being loaded.
#[derive(Debug, Clone)]
enum Change {
    /// Started (`true`) or stopped following an account.
    Follow(AccountId, bool),
    /// Started (`true`) or stopped following a topic.
    Topic(String, bool),
    /// Became (`true`) or stopped being an active member of a community.
    Member(CommunityId, bool),
    /// Became (`true`) or stopped being support staff.
    Staff(bool),
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
    /// Communities the account is an active member of: their posts reach
    /// `user`, and their private events reach this connection at all.
    communities: HashSet<CommunityId>,
    /// Topics the account follows: their posts reach `user`.
    topics: HashSet<String>,
    /// Whether the account is support staff, who may read the help desk.
    staff: bool,
    /// Follow and membership changes seen while the interests were being
    /// loaded, replayed over them so a change racing with the load is not lost.
    pending: Option<Vec<Change>>,
    outbound: Outbound,
    close: oneshot::Sender<CloseReason>,
}

impl Conn {
    /// Whether this connection may receive an event confined to `members_only`.
    fn entitled(&self, members_only: Option<CommunityId>) -> bool {
        members_only.is_none_or(|community| self.communities.contains(&community))
    }
}

/// Where an event goes: what [`route`] reads from it.
pub(crate) struct Route {
    /// The author, whose followers' user streams receive it.
    author: Option<AccountId>,
    /// The community it was posted in, whose members' user streams receive it
    /// (home includes joined communities).
    community: Option<CommunityId>,
    /// A private community: only its active members may receive this event.
    members_only: Option<CommunityId>,
    /// The post's topics (lower-case), whose followers' user streams receive
    /// it; read only when someone listens to topics.
    tags: Vec<String>,
    /// The one account whose `user` and `user:notification` streams receive it
    /// (a notification), whoever it follows.
    recipient: Option<AccountId>,
    /// The streaming event name.
    event: &'static str,
    /// The payload, shared by every frame of this event.
    payload: Arc<str>,
    /// Streams that receive it as a whole (each recipient still checked
    /// against `members_only`).
    streams: Vec<StreamKey>,
}

/// Where `event` goes; `None` for events that only change the index.
/// Hashtags are read from the status JSON only when `with_tags` (someone
/// listens to a hashtag or follows a topic), so the common case parses nothing.
pub(crate) fn route(event: &Event, with_tags: bool) -> Option<Route> {
    match &event.body {
        EventBody::StatusCreated {
            author,
            audience,
            thread,
            status_json,
            ..
        }
        | EventBody::StatusUpdated {
            author,
            audience,
            thread,
            status_json,
            ..
        } => {
            let tags = if with_tags {
                hashtags(status_json)
            } else {
                Vec::new()
            };
            let name = match &event.body {
                EventBody::StatusUpdated { .. } => "status.update",
                _ => "update",
            };
            Some(status_route(
                *author,
                audience,
                *thread,
                name,
                Arc::from(status_json.as_str()),
                tags,
            ))
        }
        EventBody::StatusDeleted {
            author,
            status_id,
            thread,
            audience,
        } => Some(status_route(
            *author,
            audience,
            *thread,
            "delete",
            Arc::from(status_id.to_string()),
            Vec::new(),
        )),
        EventBody::HelpdeskTicketOpened {
            ticket: Some(ticket),
            ..
        }
        | EventBody::HelpdeskTicketChanged {
            ticket: Some(ticket),
            ..
        } => Some(Route {
            author: None,
            recipient: None,
            community: None,
            members_only: members_only(&ticket.audience),
            tags: Vec::new(),
            event: "hubbub.ticket",
            payload: Arc::from(ticket.ticket_json.as_str()),
            streams: vec![StreamKey::Helpdesk],
        }),
        // Written before tickets were carried: nobody can tell who may see them.
        EventBody::HelpdeskTicketOpened { ticket: None, .. }
        | EventBody::HelpdeskTicketChanged { ticket: None, .. } => None,
        EventBody::NotificationCreated {
            account,
            notification_json,
        } => Some(Route {
            author: None,
            recipient: Some(*account),
            community: None,
            members_only: None,
            tags: Vec::new(),
            event: "notification",
            payload: Arc::from(notification_json.as_str()),
            streams: Vec::new(),
        }),
        EventBody::Followed { .. }
        | EventBody::Unfollowed { .. }
        | EventBody::TopicFollowed { .. }
        | EventBody::TopicUnfollowed { .. }
        | EventBody::TokenRevoked { .. }
        | EventBody::RoleChanged { .. }
        | EventBody::CommunityJoined { .. }
        | EventBody::CommunityLeft { .. } => None,
    }
}

/// Where an event about a post goes: the author's followers and the
/// community's members on `user`, its thread's and community's streams, and, unless the
/// community is private, `public` and (for `tags`) the hashtag streams; the
/// followers of its topics on `user`. A private community's post reaches
/// followers (of its author or its topics) only if they are members too.
fn status_route(
    author: AccountId,
    audience: &PostAudience,
    thread: StatusId,
    event: &'static str,
    payload: Arc<str>,
    tags: Vec<String>,
) -> Route {
    let members_only = members_only(audience);
    let community = audience.community();
    // The thread stream is checked per recipient like `user` (members only
    // when the community is private).
    let mut streams = vec![StreamKey::Thread(thread.to_string())];
    if let Some(community) = community {
        streams.push(StreamKey::Community(community.to_string()));
    }
    if members_only.is_none() {
        streams.push(StreamKey::Public);
        streams.push(StreamKey::PublicLocal);
        for tag in &tags {
            streams.push(StreamKey::Hashtag(tag.clone()));
            streams.push(StreamKey::HashtagLocal(tag.clone()));
        }
    }
    Route {
        author: members_only.is_none().then_some(author),
        recipient: None,
        community,
        members_only,
        tags,
        event,
        payload,
        streams,
    }
}

/// The private community an audience is confined to, if any.
fn members_only(audience: &PostAudience) -> Option<CommunityId> {
    match *audience {
        PostAudience::Members { community } => Some(community),
        PostAudience::Everyone { .. } => None,
    }
}

/// The frames of a per-account event (a notification) for `conn`: on `user`
/// and `user:notification`, where it is subscribed, if it is the recipient.
fn personal_frames(conn: &Conn, id: EventId, route: &Route) -> Vec<Arc<Frame>> {
    if route.recipient != Some(conn.account) {
        return Vec::new();
    }
    let mut frames = Vec::new();
    if conn.user {
        frames.push(StreamKey::User);
    }
    if conn.streams.contains(&StreamKey::UserNotification) {
        frames.push(StreamKey::UserNotification);
    }
    frames
        .into_iter()
        .map(|key| Frame::new(id, key, route.event, route.payload.clone()))
        .collect()
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
    /// Account -> its connections, to apply its follow and membership changes
    /// and count them.
    by_account: HashMap<AccountId, HashSet<ConnId>>,
    /// Token id -> connections opened with it, to end them on revocation.
    by_token: HashMap<String, HashSet<ConnId>>,
    /// How many hashtag subscriptions exist (tags are parsed only if any do).
    hashtag_subscriptions: usize,
    /// How many (connection, followed topic) pairs are indexed on `user`.
    topic_interests: usize,
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
            topic_interests: 0,
            delivered: 0,
            cut_off_slow: 0,
        }
    }

    /// Adds a connection for `account`, opened with token `token_id`, following
    /// only itself and in no community until [`Registry::loaded`] widens that.
    /// `None` if the account already has as many connections as it may.
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
                communities: HashSet::new(),
                topics: HashSet::new(),
                staff: false,
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

    /// Sets whom `id`'s account follows, the communities it is an active member
    /// of, the topics it follows and whether it is support staff, as loaded from storage after it
    /// registered; changes dispatched meanwhile are applied over them.
    pub(crate) fn loaded(&mut self, id: ConnId, interests: &Interests) {
        let Some(conn) = self.conns.get_mut(&id) else {
            return;
        };
        let Some(pending) = conn.pending.take() else {
            return;
        };
        conn.staff = interests.staff;
        for &followee in &interests.followees {
            self.set_follow(id, followee, true);
        }
        for &community in &interests.communities {
            self.set_member(id, community, true);
        }
        for topic in &interests.topics {
            self.set_topic(id, topic, true);
        }
        for change in pending {
            self.apply(id, change);
        }
    }

    /// Turns `stream` on or off for connection `id`. Turning on more streams
    /// than a connection may have is refused, and so is the help desk for an
    /// account that is not support staff. Whether the account may read other
    /// streams is the caller's check.
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
        if on && stream == StreamKey::Helpdesk && !conn.staff {
            return Err(StreamError::HELPDESK_FORBIDDEN);
        }
        if on && usize::from(conn.user) + conn.streams.len() >= self.limits.max_subscriptions {
            return Err(StreamError::TOO_MANY);
        }
        let outbound = conn.outbound.clone();
        if stream == StreamKey::User {
            conn.user = on;
            let interests: Vec<Interest> = conn
                .followees
                .iter()
                .map(|followee| Interest::Author(*followee))
                .chain(conn.communities.iter().map(|c| Interest::Member(*c)))
                .chain(conn.topics.iter().map(|t| Interest::Topic(t.clone())))
                .collect();
            for interest in interests {
                self.index(interest, id, &outbound, on);
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
        let topic = matches!(interest, Interest::Topic(_));
        if on {
            let added = self
                .interested
                .entry(interest)
                .or_default()
                .insert(id, outbound.clone())
                .is_none();
            if added && topic {
                self.topic_interests += 1;
            }
        } else if let Some(ids) = self.interested.get_mut(&interest) {
            if ids.remove(&id).is_some() && topic {
                self.topic_interests = self.topic_interests.saturating_sub(1);
            }
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
    /// for follow and membership changes and ending streams of a revoked token.
    pub(crate) fn dispatch(&mut self, event: &Event) {
        match &event.body {
            EventBody::Followed { follower, followee } => {
                self.account_change(*follower, Change::Follow(*followee, true))
            }
            EventBody::Unfollowed { follower, followee } => {
                self.account_change(*follower, Change::Follow(*followee, false))
            }
            EventBody::TopicFollowed { account, tag } => {
                self.account_change(*account, Change::Topic(tag.clone(), true))
            }
            EventBody::TopicUnfollowed { account, tag } => {
                self.account_change(*account, Change::Topic(tag.clone(), false))
            }
            EventBody::CommunityJoined { community, account } => {
                self.account_change(*account, Change::Member(*community, true))
            }
            EventBody::CommunityLeft { community, account } => {
                self.account_change(*account, Change::Member(*community, false))
            }
            EventBody::RoleChanged { account, role } => {
                let staff = matches!(role, Role::Support | Role::Admin);
                self.account_change(*account, Change::Staff(staff))
            }
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
            | EventBody::StatusDeleted { .. }
            | EventBody::HelpdeskTicketOpened { .. }
            | EventBody::HelpdeskTicketChanged { .. }
            | EventBody::NotificationCreated { .. } => {
                let with_tags = self.hashtag_subscriptions > 0 || self.topic_interests > 0;
                if let Some(route) = route(event, with_tags) {
                    self.fan_out(event.id, route);
                }
            }
        }
    }

    fn fan_out(&mut self, id: EventId, route: Route) {
        let mut too_slow = Vec::new();
        if let Some(recipient) = route.recipient {
            for conn_id in self.by_account.get(&recipient).into_iter().flatten() {
                let Some(conn) = self.conns.get(conn_id) else {
                    continue;
                };
                for frame in personal_frames(conn, id, &route) {
                    match conn.outbound.try_send(frame) {
                        Ok(()) => self.delivered += 1,
                        Err(_) => too_slow.push(*conn_id),
                    }
                }
            }
        }
        let mut delivered = 0;
        let conns = &self.conns;
        let members_only = route.members_only;
        let mut send = |conn_id: &ConnId, outbound: &Outbound, frame: &Arc<Frame>| {
            if members_only.is_some()
                && !conns
                    .get(conn_id)
                    .is_some_and(|conn| conn.entitled(members_only))
            {
                return;
            }
            // A full queue means the client is not keeping up; a closed one
            // means it is ending anyway. Neither may hold up the others.
            match outbound.try_send(frame.clone()) {
                Ok(()) => delivered += 1,
                Err(_) => too_slow.push(*conn_id),
            }
        };
        // `user`: the author's followers, the community's members and the
        // topics' followers; someone in several of these gets the frame once.
        let groups: Vec<&HashMap<ConnId, Outbound>> = route
            .author
            .map(Interest::Author)
            .into_iter()
            .chain(route.community.map(Interest::Member))
            .chain(route.tags.iter().map(|tag| Interest::Topic(tag.clone())))
            .filter_map(|interest| self.interested.get(&interest))
            .collect();
        if !groups.is_empty() {
            let frame = Frame::new(id, StreamKey::User, route.event, route.payload.clone());
            for (i, group) in groups.iter().enumerate() {
                for (conn_id, outbound) in group.iter() {
                    if !groups[..i]
                        .iter()
                        .any(|earlier| earlier.contains_key(conn_id))
                    {
                        send(conn_id, outbound, &frame);
                    }
                }
            }
        }
        for key in route.streams {
            let Some(recipients) = self.interested.get(&Interest::Stream(key.clone())) else {
                continue;
            };
            let frame = Frame::new(id, key, route.event, route.payload.clone());
            for (conn_id, outbound) in recipients {
                send(conn_id, outbound, &frame);
            }
        }
        self.delivered += delivered;
        for conn_id in too_slow {
            // One connection can be in `too_slow` twice (user and another stream).
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
        if !conn.entitled(route.members_only) {
            return Vec::new();
        }
        let mut frames = personal_frames(conn, event.id, &route);
        let on_user = route
            .author
            .is_some_and(|author| conn.followees.contains(&author))
            || route
                .community
                .is_some_and(|community| conn.communities.contains(&community))
            || route.tags.iter().any(|tag| conn.topics.contains(tag));
        if conn.user && on_user {
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

    /// Applies a follow, membership or role change of `account` to its connections
    /// (and remembers it on those still loading their interests).
    fn account_change(&mut self, account: AccountId, change: Change) {
        let ids: Vec<ConnId> = match self.by_account.get(&account) {
            Some(ids) => ids.iter().copied().collect(),
            None => return,
        };
        for id in ids {
            if let Some(pending) = self
                .conns
                .get_mut(&id)
                .and_then(|conn| conn.pending.as_mut())
            {
                pending.push(change.clone());
            }
            self.apply(id, change.clone());
        }
    }

    fn apply(&mut self, id: ConnId, change: Change) {
        match change {
            Change::Follow(followee, following) => self.set_follow(id, followee, following),
            Change::Topic(tag, following) => self.set_topic(id, &tag, following),
            Change::Member(community, member) => self.set_member(id, community, member),
            Change::Staff(staff) => self.set_staff(id, staff),
        }
    }

    /// Records whether `id`'s account is support staff; one that is no longer
    /// loses its help-desk subscription at once.
    fn set_staff(&mut self, id: ConnId, staff: bool) {
        let Some(conn) = self.conns.get_mut(&id) else {
            return;
        };
        conn.staff = staff;
        if !staff && conn.streams.contains(&StreamKey::Helpdesk) {
            // Turning a stream off cannot fail.
            let _ = self.set_stream(id, StreamKey::Helpdesk, false);
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

    fn set_topic(&mut self, id: ConnId, tag: &str, following: bool) {
        let Some(conn) = self.conns.get_mut(&id) else {
            return;
        };
        let tag = tag.to_lowercase();
        let changed = if following {
            conn.topics.insert(tag.clone())
        } else {
            conn.topics.remove(&tag)
        };
        if changed && conn.user {
            let outbound = conn.outbound.clone();
            self.index(Interest::Topic(tag), id, &outbound, following);
        }
    }

    fn set_member(&mut self, id: ConnId, community: CommunityId, member: bool) {
        let Some(conn) = self.conns.get_mut(&id) else {
            return;
        };
        let changed = if member {
            conn.communities.insert(community)
        } else {
            conn.communities.remove(&community)
        };
        if changed && conn.user {
            let outbound = conn.outbound.clone();
            self.index(Interest::Member(community), id, &outbound, member);
        }
    }

    fn take(&mut self, id: ConnId) -> Option<Conn> {
        let conn = self.conns.remove(&id)?;
        if conn.user {
            for followee in &conn.followees {
                self.index(Interest::Author(*followee), id, &conn.outbound, false);
            }
            for community in &conn.communities {
                self.index(Interest::Member(*community), id, &conn.outbound, false);
            }
            for topic in &conn.topics {
                self.index(Interest::Topic(topic.clone()), id, &conn.outbound, false);
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
    use hubbub_core::event::TicketSnapshot;
    use hubbub_core::ids::{StatusId, TicketId};

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
    const DAVE: AccountId = AccountId(4);
    /// A private community.
    const SECRET: CommunityId = CommunityId(50);
    /// A public community.
    const OPEN: CommunityId = CommunityId(60);

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

    fn membership_event(id: i64, account: AccountId, community: CommunityId, on: bool) -> Event {
        let body = if on {
            EventBody::CommunityJoined { community, account }
        } else {
            EventBody::CommunityLeft { community, account }
        };
        Event {
            id: EventId(id),
            body,
        }
    }

    fn ticket_event(id: i64, audience: Option<PostAudience>) -> Event {
        Event {
            id: EventId(id),
            body: EventBody::HelpdeskTicketOpened {
                ticket_id: TicketId(id),
                asker: BOB,
                ticket: audience.map(|audience| TicketSnapshot {
                    audience,
                    ticket_json: format!("{{\"id\":\"{id}\",\"state\":\"open\"}}"),
                }),
            },
        }
    }

    /// A connection of `account`, a member of `communities`, on `streams`
    /// (support staff if the help desk is among them).
    fn connection_on(
        registry: &mut Registry,
        account: AccountId,
        communities: &[CommunityId],
        streams: &[StreamKey],
    ) -> Registration {
        let registration = registry
            .register(account, &format!("token-{}", account.0))
            .unwrap();
        registry.loaded(
            registration.id,
            &Interests {
                // Only support staff may be on the help desk.
                staff: streams.contains(&StreamKey::Helpdesk),
                ..member_of(communities)
            },
        );
        for stream in streams {
            registry
                .set_stream(registration.id, stream.clone(), true)
                .unwrap();
        }
        registration
    }

    fn member_of(communities: &[CommunityId]) -> Interests {
        Interests {
            communities: communities.to_vec(),
            ..Interests::default()
        }
    }

    fn community_stream(community: CommunityId) -> StreamKey {
        StreamKey::Community(community.to_string())
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
        registry.loaded(
            registration.id,
            &Interests {
                followees: followees.to_vec(),
                ..Interests::default()
            },
        );
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
    fn a_notification_reaches_only_its_recipient_on_user_and_user_notification() {
        let mut registry = Registry::new(limits(16));
        let mut alice = user_connection(&mut registry, ALICE, &[]);
        registry
            .set_stream(alice.id, StreamKey::UserNotification, true)
            .unwrap();
        let mut bob = user_connection(&mut registry, BOB, &[ALICE]);
        registry
            .set_stream(bob.id, StreamKey::UserNotification, true)
            .unwrap();
        let event = Event {
            id: EventId(9),
            body: EventBody::NotificationCreated {
                account: ALICE,
                notification_json: "{\"type\":\"follow\"}".to_owned(),
            },
        };
        registry.dispatch(&event);
        let frames = received(&mut alice);
        let streams: Vec<_> = frames.iter().map(|frame| frame["stream"].clone()).collect();
        assert_eq!(
            streams,
            [
                serde_json::json!(["user"]),
                serde_json::json!(["user:notification"])
            ]
        );
        assert!(frames.iter().all(|frame| frame["event"] == "notification"));
        assert!(
            received(&mut bob).is_empty(),
            "following alice is not enough"
        );
        assert_eq!(registry.frames_for(alice.id, &event).len(), 2, "replayed");
        assert!(registry.frames_for(bob.id, &event).is_empty());
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
    fn a_private_community_post_reaches_members_on_user_and_community_streams_and_nobody_else() {
        let mut registry = Registry::new(limits(16));
        // Alice follows the author but is not a member.
        let mut alice = user_connection(&mut registry, ALICE, &[BOB]);
        let mut carol = connection_on(&mut registry, CAROL, &[SECRET], &[StreamKey::User]);
        let mut dave = connection_on(
            &mut registry,
            DAVE,
            &[SECRET],
            &[community_stream(SECRET), StreamKey::Public],
        );
        let mut outsider = connection_on(
            &mut registry,
            AccountId(9),
            &[],
            &[
                StreamKey::Public,
                StreamKey::PublicLocal,
                StreamKey::Hashtag("rust".into()),
            ],
        );
        let private = PostAudience::of(Some(SECRET), true);
        let tagged = Event {
            id: EventId(12),
            body: EventBody::StatusCreated {
                author: BOB,
                status_id: StatusId(12),
                thread: StatusId(12),
                audience: private,
                status_json: r#"{"id":"12","tags":[{"name":"rust"}]}"#.into(),
            },
        };

        registry.dispatch(&tagged);

        assert!(
            received(&mut alice).is_empty(),
            "a follower who is no member"
        );
        assert!(
            received(&mut outsider).is_empty(),
            "public and hashtag streams"
        );
        let carols = received(&mut carol);
        assert_eq!(carols.len(), 1);
        assert_eq!(carols[0]["stream"], serde_json::json!(["user"]));
        let daves = received(&mut dave);
        assert_eq!(daves.len(), 1, "the community stream only, not public");
        assert_eq!(daves[0]["stream"], serde_json::json!(["community", "50"]));
        assert_eq!(daves[0]["event"], "update");
    }

    fn tagged(id: i64, author: AccountId, audience: PostAudience, tag: &str) -> Event {
        Event {
            id: EventId(id),
            body: EventBody::StatusCreated {
                author,
                status_id: StatusId(id),
                thread: StatusId(id),
                audience,
                status_json: format!("{{\"id\":\"{id}\",\"tags\":[{{\"name\":\"{tag}\"}}]}}"),
            },
        }
    }

    fn topic_event(id: i64, account: AccountId, tag: &str, on: bool) -> Event {
        let tag = tag.to_owned();
        let body = if on {
            EventBody::TopicFollowed { account, tag }
        } else {
            EventBody::TopicUnfollowed { account, tag }
        };
        Event {
            id: EventId(id),
            body,
        }
    }

    #[test]
    fn a_followed_topic_reaches_user_once_until_it_is_unfollowed() {
        let mut registry = Registry::new(limits(16));
        // Alice follows the topic from the start; Carol also follows the author.
        let registration = registry.register(ALICE, "a").unwrap();
        registry
            .set_stream(registration.id, StreamKey::User, true)
            .unwrap();
        registry.loaded(
            registration.id,
            &Interests {
                topics: vec!["vpn".into()],
                ..Interests::default()
            },
        );
        let mut alice = registration;
        let mut carol = user_connection(&mut registry, CAROL, &[BOB]);
        registry.dispatch(&topic_event(1, CAROL, "vpn", true));
        let mut dave = user_connection(&mut registry, DAVE, &[]);

        registry.dispatch(&tagged(2, BOB, PostAudience::of(None, false), "VPN"));
        let alices = received(&mut alice);
        assert_eq!(alices.len(), 1, "a followed topic's post on user");
        assert_eq!(alices[0]["stream"], serde_json::json!(["user"]));
        assert_eq!(received(&mut carol).len(), 1, "once, though reached twice");
        assert!(received(&mut dave).is_empty(), "nobody else");

        // A private community's post with the topic: only members get it.
        registry.dispatch(&tagged(3, BOB, PostAudience::of(Some(SECRET), true), "vpn"));
        assert!(received(&mut alice).is_empty(), "not a member");

        registry.dispatch(&topic_event(4, ALICE, "vpn", false));
        registry.dispatch(&tagged(5, BOB, PostAudience::of(None, false), "vpn"));
        assert!(received(&mut alice).is_empty(), "unfollowed at once");
        assert_eq!(received(&mut carol).len(), 1, "still follows the author");
    }

    #[test]
    fn a_public_community_post_reaches_members_followers_public_and_the_community_stream() {
        let mut registry = Registry::new(limits(16));
        // Alice is a member and follows the author: one frame on `user`, not two.
        let registration = registry.register(ALICE, "a").unwrap();
        registry
            .set_stream(registration.id, StreamKey::User, true)
            .unwrap();
        registry.loaded(
            registration.id,
            &Interests {
                followees: vec![BOB],
                communities: vec![OPEN],
                ..Interests::default()
            },
        );
        let mut alice = registration;
        let mut carol = connection_on(&mut registry, CAROL, &[OPEN], &[StreamKey::User]);
        let mut dave = connection_on(
            &mut registry,
            DAVE,
            &[],
            &[community_stream(OPEN), StreamKey::Public],
        );

        registry.dispatch(&posted_in(20, BOB, PostAudience::of(Some(OPEN), false)));

        assert_eq!(received(&mut alice).len(), 1);
        assert_eq!(received(&mut carol).len(), 1);
        let labels: HashSet<String> = received(&mut dave)
            .iter()
            .map(|frame| frame["stream"].to_string())
            .collect();
        assert_eq!(
            labels,
            HashSet::from([r#"["community","60"]"#.into(), r#"["public"]"#.into()])
        );
    }

    #[test]
    fn leaving_a_private_community_stops_its_posts_at_once_even_on_an_open_community_stream() {
        let mut registry = Registry::new(limits(16));
        let mut carol = connection_on(
            &mut registry,
            CAROL,
            &[SECRET],
            &[StreamKey::User, community_stream(SECRET)],
        );
        let private = PostAudience::of(Some(SECRET), true);

        registry.dispatch(&posted_in(1, BOB, private));
        assert_eq!(received(&mut carol).len(), 2, "user and community");

        registry.dispatch(&membership_event(2, CAROL, SECRET, false));
        registry.dispatch(&posted_in(3, BOB, private));
        registry.dispatch(&Event {
            id: EventId(4),
            body: EventBody::StatusDeleted {
                author: BOB,
                status_id: StatusId(1),
                thread: StatusId(1),
                audience: private,
            },
        });
        assert!(received(&mut carol).is_empty());

        registry.dispatch(&membership_event(5, CAROL, SECRET, true));
        registry.dispatch(&posted_in(6, BOB, private));
        assert_eq!(received(&mut carol).len(), 2, "back in, both streams again");
    }

    #[test]
    fn membership_changes_seen_while_interests_load_are_not_undone_by_the_load() {
        let mut registry = Registry::new(limits(16));
        let mut carol = registry.register(CAROL, "c").unwrap();
        registry
            .set_stream(carol.id, StreamKey::User, true)
            .unwrap();
        let mut dave = registry.register(DAVE, "d").unwrap();
        registry.set_stream(dave.id, StreamKey::User, true).unwrap();

        // Carol's load read her membership before she left; Dave's read none
        // before he was approved.
        registry.dispatch(&membership_event(1, CAROL, SECRET, false));
        registry.dispatch(&membership_event(2, DAVE, SECRET, true));
        registry.loaded(carol.id, &member_of(&[SECRET]));
        registry.loaded(dave.id, &Interests::default());
        registry.dispatch(&posted_in(3, BOB, PostAudience::of(Some(SECRET), true)));

        assert!(received(&mut carol).is_empty());
        assert_eq!(received(&mut dave).len(), 1);
    }

    #[test]
    fn tickets_reach_help_desk_streams_and_private_ones_only_members_among_them() {
        let mut registry = Registry::new(limits(16));
        let mut member = connection_on(&mut registry, CAROL, &[SECRET], &[StreamKey::Helpdesk]);
        let mut other = connection_on(&mut registry, DAVE, &[], &[StreamKey::Helpdesk]);
        let mut bystander = connection_on(
            &mut registry,
            ALICE,
            &[SECRET],
            &[StreamKey::User, StreamKey::Public, community_stream(SECRET)],
        );

        registry.dispatch(&ticket_event(1, Some(PostAudience::of(None, false))));
        registry.dispatch(&ticket_event(2, Some(PostAudience::of(Some(SECRET), true))));
        registry.dispatch(&ticket_event(3, None));

        let frames = received(&mut member);
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0]["stream"], serde_json::json!(["helpdesk"]));
        assert_eq!(frames[0]["event"], "hubbub.ticket");
        assert_eq!(frames[0]["payload"], r#"{"id":"1","state":"open"}"#);
        assert_eq!(frames[1]["id"], "2");
        let others = received(&mut other);
        assert_eq!(others.len(), 1, "not the private community's ticket");
        assert_eq!(others[0]["id"], "1");
        assert!(received(&mut bystander).is_empty());
    }

    #[test]
    fn support_staff_demoted_lose_the_help_desk_stream_at_once() {
        let mut registry = Registry::new(limits(16));
        let mut sam = registry.register(CAROL, "s").unwrap();
        registry.loaded(
            sam.id,
            &Interests {
                staff: true,
                ..Interests::default()
            },
        );
        registry
            .set_stream(sam.id, StreamKey::Helpdesk, true)
            .unwrap();
        let everyone = Some(PostAudience::of(None, false));
        registry.dispatch(&ticket_event(1, everyone));
        assert_eq!(received(&mut sam).len(), 1);

        registry.dispatch(&Event {
            id: EventId(2),
            body: EventBody::RoleChanged {
                account: CAROL,
                role: Role::Member,
            },
        });
        registry.dispatch(&ticket_event(3, everyone));

        assert!(received(&mut sam).is_empty());
        assert!(registry.interested.is_empty());
        assert_eq!(
            registry.set_stream(sam.id, StreamKey::Helpdesk, true),
            Err(StreamError::HELPDESK_FORBIDDEN),
            "and may not subscribe again"
        );
    }

    #[test]
    fn replay_applies_the_same_membership_checks_as_live_delivery() {
        let mut registry = Registry::new(limits(16));
        let member = connection_on(
            &mut registry,
            CAROL,
            &[SECRET],
            &[StreamKey::User, community_stream(SECRET)],
        );
        let outsider = connection_on(
            &mut registry,
            DAVE,
            &[],
            &[StreamKey::User, StreamKey::Public, community_stream(SECRET)],
        );
        let private = posted_in(7, BOB, PostAudience::of(Some(SECRET), true));

        assert_eq!(registry.frames_for(member.id, &private).len(), 2);
        assert!(registry.frames_for(outsider.id, &private).is_empty());
    }

    #[test]
    fn the_public_stream_gets_every_post_labelled_public() {
        let mut registry = Registry::new(limits(16));
        let mut carol = registry.register(CAROL, "c").unwrap();
        registry.loaded(carol.id, &Interests::default());
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
        registry.loaded(
            alice.id,
            &Interests {
                followees: vec![BOB],
                ..Interests::default()
            },
        );
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
        registry.loaded(alice.id, &member_of(&[SECRET, OPEN]));
        registry
            .set_stream(alice.id, StreamKey::Public, true)
            .unwrap();
        registry
            .set_stream(alice.id, StreamKey::Community(SECRET.to_string()), true)
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
        registry.loaded(carol.id, &Interests::default());
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
