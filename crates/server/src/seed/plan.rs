//! The seeded history, planned in memory before anything is written: posts as
//! drafts (ids are minted later, all posts in time order), favourites and
//! reactions, notifications the posts do not imply, and help-desk tickets.

use super::{Community, Person, SeedOptions};
use chrono::{DateTime, Duration, Utc};
use hubbub_core::helpdesk::settings::HelpdeskSettings;
use hubbub_core::ids::min_id_at;
use hubbub_core::reaction::{NotificationKind, Reaction};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use std::collections::HashSet;

const TOPICS: [&str; 14] = [
    "vpn",
    "onboarding",
    "release",
    "security",
    "wifi",
    "laptop",
    "expenses",
    "q3planning",
    "kudos",
    "outage",
    "printer",
    "benefits",
    "ci",
    "townhall",
];

/// Thread starters, each with the reaction readers most often give it.
const OPENERS: [(&str, Option<Reaction>); 12] = [
    (
        "Has anyone else seen the {t} issue this morning?",
        Some(Reaction::SameHere),
    ),
    (
        "Quick tip on {t}: restart the client before calling support.",
        Some(Reaction::Thanks),
    ),
    (
        "Great work on the {t} rollout, team!",
        Some(Reaction::Celebrate),
    ),
    ("Where do I find the docs for {t}?", None),
    (
        "Reminder: the {t} session is tomorrow at 10:00.",
        Some(Reaction::Thanks),
    ),
    (
        "We just shipped the new {t} process. Feedback welcome.",
        Some(Reaction::Celebrate),
    ),
    (
        "Is {t} down for anyone else? Getting error 503.",
        Some(Reaction::SameHere),
    ),
    (
        "Lessons learned from last week's {t} incident, in a thread.",
        Some(Reaction::Insightful),
    ),
    (
        "Can someone from IT help me with {t}? It has been broken since Monday.",
        Some(Reaction::SameHere),
    ),
    (
        "Sharing the slides from today's {t} talk.",
        Some(Reaction::Insightful),
    ),
    ("Who owns {t} these days?", None),
    (
        "Thanks to everyone who joined the {t} workshop!",
        Some(Reaction::Celebrate),
    ),
];

const REPLIES: [&str; 8] = [
    "Same here, started after the update.",
    "Try reconnecting; that fixed it for me.",
    "Thanks, that worked!",
    "I'll look into it and report back.",
    "Adding this to the FAQ.",
    "+1, would love to see this.",
    "Fixed on our side now, please retry.",
    "Good question, I had the same one last week.",
];

/// What every planning step reads.
pub(super) struct World<'a> {
    pub(super) people: &'a [Person],
    pub(super) communities: &'a [Community],
    pub(super) settings: &'a HelpdeskSettings,
    /// Nothing happens after this.
    pub(super) now: DateTime<Utc>,
}

impl World<'_> {
    /// Whether `person` may see a post in `community` (the visibility rule:
    /// a private community's posts are for its members).
    pub(super) fn can_see(&self, person: usize, community: Option<usize>) -> bool {
        community.is_none_or(|c| {
            let community = &self.communities[c];
            !community.private || community.member_set.contains(&person)
        })
    }

    /// Someone who is not support staff, other than those in `not`.
    pub(super) fn peer(&self, rng: &mut StdRng, not: &[usize]) -> usize {
        let mut pick = rng.random_range(0..self.people.len());
        for _ in 0..50 {
            if !self.people[pick].support && !not.contains(&pick) {
                break;
            }
            pick = rng.random_range(0..self.people.len());
        }
        pick
    }

    /// Someone with the support role (there are always some).
    pub(super) fn support(&self, rng: &mut StdRng) -> usize {
        let staff: Vec<usize> = (0..self.people.len())
            .filter(|i| self.people[*i].support_role)
            .collect();
        staff.choose(rng).copied().unwrap_or(0)
    }
}

/// A post before its id is minted.
pub(super) struct Draft {
    pub(super) at: DateTime<Utc>,
    pub(super) author: usize,
    pub(super) text: String,
    /// The draft it answers.
    pub(super) parent: Option<usize>,
    /// The draft that starts its thread (itself for a starter).
    pub(super) root: usize,
    pub(super) community: Option<usize>,
    pub(super) question: bool,
    /// The reaction readers most often give it.
    pub(super) mood: Option<Reaction>,
    /// In a help-desk ticket's thread (its interactions are the ticket's own).
    pub(super) ticket: bool,
}

/// A favourite or a reaction.
#[derive(Clone, Copy)]
pub(super) enum Touch {
    Favourite,
    React(Reaction),
}

/// Someone favouriting or reacting to a draft.
pub(super) struct Interaction {
    pub(super) at: DateTime<Utc>,
    pub(super) who: usize,
    pub(super) draft: usize,
    pub(super) touch: Touch,
}

/// A notification that no post or interaction implies (an accepted answer).
pub(super) struct Notice {
    pub(super) at: DateTime<Utc>,
    pub(super) recipient: usize,
    pub(super) from: usize,
    pub(super) kind: NotificationKind,
    pub(super) draft: usize,
}

/// Everything planned.
#[derive(Default)]
pub(super) struct Plan {
    pub(super) drafts: Vec<Draft>,
    pub(super) interactions: Vec<Interaction>,
    pub(super) notices: Vec<Notice>,
    pub(super) tickets: Vec<super::helpdesk::TicketPlan>,
}

impl Plan {
    /// Adds a draft; a reply joins its parent's thread and community.
    pub(super) fn draft(
        &mut self,
        at: DateTime<Utc>,
        author: usize,
        text: String,
        parent: Option<usize>,
        community: Option<usize>,
    ) -> usize {
        let index = self.drafts.len();
        let (root, community, ticket) = match parent {
            Some(parent) => {
                let parent = &self.drafts[parent];
                (parent.root, parent.community, parent.ticket)
            }
            None => (index, community, false),
        };
        self.drafts.push(Draft {
            at,
            author,
            text,
            parent,
            root,
            community,
            question: false,
            mood: None,
            ticket,
        });
        index
    }
}

/// Mints strictly increasing, time-ordered ids from ascending timestamps.
#[derive(Default)]
pub(super) struct Minter {
    last: i64,
}

impl Minter {
    /// The next id, at `at` or just after the previous one.
    pub(super) fn mint(&mut self, at: DateTime<Utc>) -> i64 {
        let id = min_id_at(at).max(self.last + 1);
        self.last = id;
        id
    }
}

/// Months of posts: thread starters, some in communities (never the help-desk
/// ones: a post there is a ticket, which `helpdesk` plans), and replies
/// to recent starters by people who may see them.
pub(super) fn posts(
    world: &World<'_>,
    plan: &mut Plan,
    options: &SeedOptions,
    rng: &mut StdRng,
    start: DateTime<Utc>,
) {
    let people = world.people;
    let total = people.len() * 4 * options.months as usize;
    let span = (options.now - start).num_seconds().max(1);
    let mut times: Vec<i64> = (0..total).map(|_| rng.random_range(0..span)).collect();
    times.sort_unstable();
    // A topic that is also a help-desk tag would make the post a ticket.
    let topics: Vec<&str> = TOPICS
        .iter()
        .copied()
        .filter(|t| {
            !world
                .settings
                .helpdesk_tags
                .iter()
                .any(|h| h.eq_ignore_ascii_case(t))
        })
        .collect();
    let open: Vec<usize> = (0..world.communities.len())
        .filter(|c| !world.communities[*c].helpdesk)
        .collect();
    // Recent thread starters, for replies.
    let mut recent: Vec<usize> = Vec::new();
    for offset in times {
        let at = start + Duration::seconds(offset);
        if !recent.is_empty() && rng.random_bool(0.35) {
            let window = recent.len().min(200);
            let parent = recent[recent.len() - 1 - rng.random_range(0..window)];
            let (parent_author, community) = {
                let parent = &plan.drafts[parent];
                (parent.author, parent.community)
            };
            let author = match community {
                Some(c) => world.communities[c]
                    .members
                    .choose(rng)
                    .copied()
                    .unwrap_or(parent_author),
                None => rng.random_range(0..people.len()),
            };
            let mut text = REPLIES.choose(rng).copied().unwrap_or("+1").to_owned();
            if rng.random_bool(0.3) {
                text = format!("@{} {text}", people[parent_author].username);
            }
            plan.draft(at, author, text, Some(parent), None);
        } else {
            let (author, community) = if rng.random_bool(0.4) {
                let index = open.choose(rng).copied().unwrap_or(0);
                match world.communities[index].members.choose(rng) {
                    Some(member) => (*member, Some(index)),
                    None => (rng.random_range(0..people.len()), None),
                }
            } else {
                (rng.random_range(0..people.len()), None)
            };
            let topic = topics.choose(rng).copied().unwrap_or("kudos");
            let (opener, mood) = OPENERS.choose(rng).copied().unwrap_or(("{t}", None));
            let mut text = opener.replace("{t}", &format!("#{topic}"));
            if rng.random_bool(0.2) {
                let other = rng.random_range(0..people.len());
                text.push_str(&format!(" cc @{}", people[other].username));
            }
            let index = plan.draft(at, author, text, None, community);
            plan.drafts[index].mood = mood;
            recent.push(index);
        }
    }
}

/// A delay of up to `max_minutes`, mostly short: people react soon or not at all.
pub(super) fn soon(rng: &mut StdRng, max_minutes: f64) -> Duration {
    let u: f64 = rng.random();
    Duration::seconds(60 + (u * u * u * max_minutes * 60.0) as i64)
}

/// Favourites and reactions on the posts outside the help desk: a realistic
/// spread (most posts get a few, some many), by people who may see them.
pub(super) fn interactions(world: &World<'_>, plan: &mut Plan, rng: &mut StdRng) {
    const STARTER_FAVOURITES: [usize; 10] = [0, 0, 0, 1, 1, 2, 2, 3, 5, 8];
    const STARTER_REACTIONS: [usize; 8] = [0, 0, 1, 1, 2, 3, 4, 6];
    const REPLY_FAVOURITES: [usize; 6] = [0, 0, 0, 0, 1, 2];
    let mut favourited: HashSet<(usize, usize)> = HashSet::new();
    let mut reacted: HashSet<(usize, usize, Reaction)> = HashSet::new();
    let mut planned = Vec::new();
    for (index, draft) in plan.drafts.iter().enumerate() {
        if draft.ticket {
            continue;
        }
        let starter = draft.parent.is_none();
        let favourites = if starter {
            STARTER_FAVOURITES.choose(rng)
        } else {
            REPLY_FAVOURITES.choose(rng)
        }
        .copied()
        .unwrap_or(0);
        let (reactions, reaction) = match draft.mood {
            Some(mood) if starter => (STARTER_REACTIONS.choose(rng).copied().unwrap_or(0), mood),
            _ if rng.random_bool(0.1) => (1, Reaction::Thanks),
            _ => (0, Reaction::Thanks),
        };
        let touches = std::iter::repeat_n(Touch::Favourite, favourites)
            .chain(std::iter::repeat_n(Touch::React(reaction), reactions));
        for touch in touches {
            let who = match draft.community {
                Some(c) if world.communities[c].private => world.communities[c]
                    .members
                    .choose(rng)
                    .copied()
                    .unwrap_or(draft.author),
                _ => rng.random_range(0..world.people.len()),
            };
            let at = draft.at + soon(rng, 2.0 * 24.0 * 60.0);
            if who == draft.author || at > world.now || !world.can_see(who, draft.community) {
                continue;
            }
            let new = match touch {
                Touch::Favourite => favourited.insert((who, index)),
                Touch::React(reaction) => reacted.insert((who, index, reaction)),
            };
            if new {
                planned.push(Interaction {
                    at,
                    who,
                    draft: index,
                    touch,
                });
            }
        }
    }
    plan.interactions.extend(planned);
}
