//! `hubbub seed`: demo data for an empty instance, deterministic for a given
//! `--seed`, loaded in stages with progress on standard error.
//!
//! Stages (in order): `people` (departments, titles, managers, roles),
//! `follows`, `communities` (public and private, with members), `posts`
//! (months of posts back in time, threads with replies, @mentions and
//! #topics). Likes, reactions and help-desk tickets come with the features
//! that store them: add a stage to [`STAGES`] and a function below.
//!
//! Ids are time-ordered, so every id is minted from its back-dated timestamp,
//! in time order.

use anyhow::{Context, bail};
use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};
use hubbub_core::ids::min_id_at;
use hubbub_storage::Store;
use hubbub_storage::store::bulk::{
    BulkAccount, BulkCommunity, BulkFollow, BulkMembership, BulkStatus,
};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use std::collections::{BTreeSet, HashSet};

/// The stages the seeder runs, in order.
pub const STAGES: [&str; 4] = ["people", "follows", "communities", "posts"];

/// The demo password of every seeded person.
pub const DEMO_PASSWORD: &str = "hubbub-demo";

/// What to seed.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    /// Makes the data reproducible.
    pub seed: u64,
    /// How many people.
    pub people: usize,
    /// How many months of posts back from now.
    pub months: u32,
    /// Seed even if the instance is not empty.
    pub force: bool,
    /// "Now": the newest post is at most this recent.
    pub now: DateTime<Utc>,
}

const DEPARTMENTS: [(&str, &[&str]); 8] = [
    (
        "Engineering",
        &[
            "Software Engineer",
            "Senior Software Engineer",
            "Engineering Manager",
            "QA Engineer",
            "Site Reliability Engineer",
        ],
    ),
    (
        "IT Support",
        &[
            "Support Analyst",
            "Service Desk Technician",
            "Systems Administrator",
        ],
    ),
    (
        "Sales",
        &[
            "Account Executive",
            "Sales Development Rep",
            "Sales Manager",
        ],
    ),
    (
        "Marketing",
        &["Content Marketer", "Product Marketing Manager", "Designer"],
    ),
    (
        "Finance",
        &["Accountant", "Financial Analyst", "Controller"],
    ),
    (
        "People",
        &["HR Partner", "Recruiter", "People Operations Specialist"],
    ),
    (
        "Operations",
        &[
            "Operations Analyst",
            "Facilities Coordinator",
            "Office Manager",
        ],
    ),
    ("Legal", &["Counsel", "Paralegal", "Compliance Officer"]),
];

const FIRST: [&str; 40] = [
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi",
    "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Xavier", "Yara", "Zoe", "Amir", "Bea", "Carlos", "Dana", "Emil", "Fatima", "Gus",
    "Hana", "Ivan", "Julia", "Kai", "Lena", "Marco", "Nina",
];
const LAST: [&str; 30] = [
    "Adams", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Huang", "Ito", "Jensen",
    "Kowalski", "Lopez", "Meyer", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Singh",
    "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Novak", "Silva", "Moreau",
    "Hughes",
];
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
const OPENERS: [&str; 12] = [
    "Has anyone else seen the {t} issue this morning?",
    "Quick tip on {t}: restart the client before calling support.",
    "Great work on the {t} rollout, team!",
    "Where do I find the docs for {t}?",
    "Reminder: the {t} session is tomorrow at 10:00.",
    "We just shipped the new {t} process. Feedback welcome.",
    "Is {t} down for anyone else? Getting error 503.",
    "Lessons learned from last week's {t} incident, in a thread.",
    "Can someone from IT help me with {t}? Ticket is open since Monday.",
    "Sharing the slides from today's {t} talk.",
    "Who owns {t} these days?",
    "Thanks to everyone who joined the {t} workshop!",
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
const COMMUNITIES: [(&str, &str, bool); 12] = [
    ("All Company", "News and announcements for everyone", false),
    ("IT Help", "Ask IT anything: laptops, VPN, accounts", false),
    ("Engineering", "Builds, releases and architecture", false),
    ("Sales Wins", "Deals closed and lessons learned", false),
    ("Book Club", "What we are reading", false),
    ("Running", "Lunch runs and races", false),
    ("Parents", "Tips and support for working parents", false),
    ("Security Champions", "Security news and practice", false),
    ("Leadership", "For people managers", true),
    ("Incident Review", "Post-mortems in progress", true),
    ("Finance Close", "Month-end close coordination", true),
    ("Hiring Committee", "Candidate discussions", true),
];

/// A seeded person, as later stages need them.
struct Person {
    id: i64,
    username: String,
    department: usize,
    manager: Option<usize>,
    joined: DateTime<Utc>,
}

/// Cut to microseconds, as the databases keep it.
fn db(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc().trunc_subsecs(6)
}

/// Mints strictly increasing, time-ordered ids from ascending timestamps.
struct Minter {
    last: i64,
}

impl Minter {
    fn mint(&mut self, at: DateTime<Utc>) -> i64 {
        let id = min_id_at(at).max(self.last + 1);
        self.last = id;
        id
    }
}

/// Seeds `store`; progress goes to `progress`.
pub async fn seed(
    store: &Store,
    options: &SeedOptions,
    progress: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let existing = store.account_count().await?;
    if existing > 0 && !options.force {
        bail!(
            "this instance already has {existing} accounts; seed only an empty one (or pass --force)"
        );
    }
    if !(1..=100_000).contains(&options.people) || options.people < 10 {
        bail!("--people: give a number between 10 and 100000");
    }
    if !(1..=60).contains(&options.months) {
        bail!("--months: give a number between 1 and 60");
    }
    // A second seeding of the same instance needs names of its own.
    let suffix = if existing > 0 {
        format!("_{}", options.seed)
    } else {
        String::new()
    };
    let mut rng = StdRng::seed_from_u64(options.seed);
    let start = options.now - Duration::days(30 * i64::from(options.months));
    let password_hash =
        hubbub_api::credentials::hash_password(hubbub_core::input::Password::parse(DEMO_PASSWORD)?)
            .await
            .map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))?;

    writeln!(
        progress,
        "seed {}: stages {}",
        options.seed,
        STAGES.join(", ")
    )?;
    let people = stage_people(store, options, &mut rng, start, &suffix, &password_hash).await?;
    writeln!(progress, "  people: {}", people.len())?;
    let follows = stage_follows(store, &people, &mut rng, options.now).await?;
    writeln!(progress, "  follows: {follows}")?;
    let (communities, members) =
        stage_communities(store, &people, &mut rng, start, &suffix).await?;
    writeln!(
        progress,
        "  communities: {} ({} memberships)",
        communities.len(),
        members.iter().map(Vec::len).sum::<usize>()
    )?;
    let posts = stage_posts(
        store,
        options,
        &people,
        &communities,
        &members,
        &mut rng,
        start,
        progress,
    )
    .await?;
    writeln!(progress, "  posts: {posts}")?;
    writeln!(
        progress,
        "done: sign in as {} (admin) or anyone else with the password {DEMO_PASSWORD}",
        people.first().map(|p| p.username.as_str()).unwrap_or("-")
    )?;
    Ok(())
}

async fn stage_people(
    store: &Store,
    options: &SeedOptions,
    rng: &mut StdRng,
    start: DateTime<Utc>,
    suffix: &str,
    password_hash: &str,
) -> anyhow::Result<Vec<Person>> {
    let mut minter = Minter { last: 0 };
    let mut people: Vec<Person> = Vec::with_capacity(options.people);
    let mut rows = Vec::with_capacity(options.people);
    let mut used = HashSet::new();
    // Joined over the two weeks before the first post, in order.
    let joined_span = Duration::days(14).num_seconds();
    let mut joined: Vec<i64> = (0..options.people)
        .map(|_| rng.random_range(0..joined_span))
        .collect();
    joined.sort_unstable();
    // Heads of department first (so managers exist before their reports).
    let heads: Vec<usize> = (0..DEPARTMENTS.len()).collect();
    for (index, offset) in joined.into_iter().enumerate() {
        let at = start - Duration::days(14) + Duration::seconds(offset);
        let department = if index < heads.len() {
            index
        } else {
            rng.random_range(0..DEPARTMENTS.len())
        };
        let first = FIRST.choose(rng).copied().unwrap_or("Sam");
        let last = LAST.choose(rng).copied().unwrap_or("Smith");
        let mut username = format!("{}_{}", first.to_lowercase(), last.to_lowercase());
        let mut n = 2;
        while !used.insert(username.clone()) {
            username = format!("{}_{}{n}", first.to_lowercase(), last.to_lowercase());
            n += 1;
        }
        let username = format!("{username}{suffix}");
        let (dept_name, titles) = DEPARTMENTS[department];
        let (title, manager, role) = if index < heads.len() {
            (format!("Head of {dept_name}"), None, "manager")
        } else {
            // Reports go to the head or to an earlier person of the same department.
            let candidates: Vec<usize> = people
                .iter()
                .enumerate()
                .filter(|(_, p)| p.department == department)
                .map(|(i, _)| i)
                .take(6)
                .collect();
            let manager = candidates.choose(rng).copied();
            let title = titles.choose(rng).copied().unwrap_or("Staff").to_owned();
            let role = if dept_name == "IT Support" {
                "support"
            } else {
                "member"
            };
            (title, manager, role)
        };
        let role = if index == 0 { "admin" } else { role };
        let id = minter.mint(at);
        rows.push(BulkAccount {
            id,
            username_canonical: username.to_lowercase(),
            display_name: format!("{first} {last}"),
            email: format!("{username}@example.com"),
            username: username.clone(),
            password_hash: password_hash.to_owned(),
            role: role.to_owned(),
            disabled: false,
            created_at: db(at),
            note: format!("{title}, {dept_name}."),
            department: Some(dept_name.to_owned()),
            job_title: Some(title),
            location: Some(
                ["Berlin", "Lisbon", "Toronto", "Remote"]
                    .choose(rng)
                    .copied()
                    .unwrap_or("Remote")
                    .to_owned(),
            ),
            manager_id: manager.map(|m| people[m].id),
        });
        people.push(Person {
            id,
            username,
            department,
            manager,
            joined: at,
        });
    }
    for chunk in rows.chunks(2000) {
        store
            .bulk_accounts(chunk.to_vec())
            .await
            .context("seeding people")?;
    }
    Ok(people)
}

async fn stage_follows(
    store: &Store,
    people: &[Person],
    rng: &mut StdRng,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let mut edges = Vec::new();
    for (index, person) in people.iter().enumerate() {
        // Ordered, so that the generator draws in the same order every run.
        let mut followees = BTreeSet::new();
        if let Some(manager) = person.manager {
            followees.insert(manager);
        }
        // Some of the department, and a few from elsewhere.
        let colleagues: Vec<usize> = people
            .iter()
            .enumerate()
            .filter(|(i, p)| p.department == person.department && *i != index)
            .map(|(i, _)| i)
            .collect();
        for colleague in colleagues.choose_multiple(rng, 8) {
            followees.insert(*colleague);
        }
        for _ in 0..rng.random_range(3..12) {
            let other = rng.random_range(0..people.len());
            if other != index {
                followees.insert(other);
            }
        }
        for followee in followees {
            let since = person.joined.max(people[followee].joined);
            let at = since
                + Duration::seconds(rng.random_range(0..=(now - since).num_seconds().max(1) / 20));
            edges.push(BulkFollow {
                follower_id: person.id,
                followee_id: people[followee].id,
                created_at: db(at),
            });
        }
    }
    let count = edges.len();
    for chunk in edges.chunks(5000) {
        store
            .bulk_follows(chunk.to_vec())
            .await
            .context("seeding follows")?;
    }
    Ok(count)
}

async fn stage_communities(
    store: &Store,
    people: &[Person],
    rng: &mut StdRng,
    start: DateTime<Utc>,
    suffix: &str,
) -> anyhow::Result<(Vec<(i64, bool)>, Vec<Vec<usize>>)> {
    let mut minter = Minter { last: 0 };
    let mut communities = Vec::new();
    let mut rows = Vec::new();
    let mut memberships = Vec::new();
    let mut members_of = Vec::new();
    for (index, (name, description, private)) in COMMUNITIES.iter().enumerate() {
        let at = start - Duration::days(7) + Duration::hours(index as i64);
        let id = minter.mint(at);
        let creator = rng.random_range(0..people.len());
        let name = format!("{name}{}", suffix.replace('_', " "));
        rows.push(BulkCommunity {
            id,
            name_canonical: name.to_lowercase(),
            name,
            description: (*description).to_owned(),
            private: *private,
            // "IT Help" is where the help desk lives.
            helpdesk: index == 1,
            created_by: people[creator].id,
            created_at: db(at),
        });
        let share = if *private { 0.08 } else { 0.35 };
        let mut members: Vec<usize> = (0..people.len())
            .filter(|i| *i == creator || rng.random_bool(share))
            .collect();
        members.shuffle(rng);
        for member in &members {
            memberships.push(BulkMembership {
                community_id: id,
                account_id: people[*member].id,
                admin: *member == creator,
                created_at: db(at.max(people[*member].joined)),
            });
        }
        communities.push((id, *private));
        members_of.push(members);
    }
    store
        .bulk_communities(rows)
        .await
        .context("seeding communities")?;
    store
        .bulk_memberships(memberships)
        .await
        .context("seeding community members")?;
    Ok((communities, members_of))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call site; the stage's inputs"
)]
async fn stage_posts(
    store: &Store,
    options: &SeedOptions,
    people: &[Person],
    communities: &[(i64, bool)],
    members: &[Vec<usize>],
    rng: &mut StdRng,
    start: DateTime<Utc>,
    progress: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    let total = people.len() * 4 * options.months as usize;
    let span = (options.now - start).num_seconds().max(1);
    let mut times: Vec<i64> = (0..total).map(|_| rng.random_range(0..span)).collect();
    times.sort_unstable();
    let mut minter = Minter { last: 0 };
    // (id, author index, community) of recent starters, for replies.
    let mut recent: Vec<(i64, usize, Option<i64>)> = Vec::new();
    let mut batch = Vec::with_capacity(5000);
    let mut written = 0;
    for offset in times {
        let at = start + Duration::seconds(offset);
        let reply = !recent.is_empty() && rng.random_bool(0.35);
        let (author, text, in_reply_to_id, community_id) = if reply {
            let window = recent.len().min(200);
            let (parent, parent_author, community) =
                recent[recent.len() - 1 - rng.random_range(0..window)];
            let author = match community {
                Some(c) => {
                    let index = communities.iter().position(|(id, _)| *id == c).unwrap_or(0);
                    members[index].choose(rng).copied().unwrap_or(parent_author)
                }
                None => rng.random_range(0..people.len()),
            };
            let mut text = REPLIES.choose(rng).copied().unwrap_or("+1").to_owned();
            if rng.random_bool(0.3) {
                text = format!("@{} {text}", people[parent_author].username);
            }
            (author, text, Some(parent), community)
        } else {
            let in_community = rng.random_bool(0.4);
            let (author, community) = if in_community {
                let index = rng.random_range(0..communities.len());
                match members[index].choose(rng) {
                    Some(member) => (*member, Some(communities[index].0)),
                    None => (rng.random_range(0..people.len()), None),
                }
            } else {
                (rng.random_range(0..people.len()), None)
            };
            let topic = TOPICS.choose(rng).copied().unwrap_or("kudos");
            let mut text = OPENERS
                .choose(rng)
                .copied()
                .unwrap_or("{t}")
                .replace("{t}", &format!("#{topic}"));
            if rng.random_bool(0.2) {
                let other = rng.random_range(0..people.len());
                text.push_str(&format!(" cc @{}", people[other].username));
            }
            (author, text, None, community)
        };
        let id = minter.mint(at.max(people[author].joined));
        if in_reply_to_id.is_none() {
            recent.push((id, author, community_id));
        }
        batch.push(BulkStatus {
            id,
            account_id: people[author].id,
            text,
            in_reply_to_id,
            community_id,
            created_at: db(at.max(people[author].joined)),
            // Replies answer a thread starter (`recent` holds only those).
            thread_id: in_reply_to_id.unwrap_or(id),
        });
        if batch.len() == 5000 {
            written += batch.len();
            store
                .bulk_statuses(std::mem::take(&mut batch))
                .await
                .context("seeding posts")?;
            writeln!(progress, "  posts: {written}/{total}")?;
        }
    }
    written += batch.len();
    store.bulk_statuses(batch).await.context("seeding posts")?;
    Ok(written)
}
