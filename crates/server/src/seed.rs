//! `hubbub seed`: demo data for an empty instance, deterministic for a given
//! `--seed`, loaded in stages with progress on standard error.
//!
//! Stages (in order): `people` (departments, titles, managers, roles, IT
//! Support as support staff), `follows`, `communities` (public and private,
//! with members; "IT Help" is the help-desk community), `posts` (months of
//! posts back in time, threads with replies, @mentions and #topics),
//! `helpdesk` (tickets tagged or posted in the help-desk community, answered by
//! peers and support, with their event logs), `topics` (the topic and mention
//! links of every post), `threads` (who takes part in which thread),
//! `reactions` (favourites and reactions, "same here" on tickets) and
//! `notifications` (what the normal write paths would have notified).
//!
//! Everything is planned in memory first (`plan`, `helpdesk`), then loaded in
//! bulk (`write`): the rows are those `Store::create_status`, `react`,
//! `accept_answer` and the other write paths would have stored for the same
//! history, without their outbox events. Ids are time-ordered, so every post
//! id is minted from its back-dated timestamp, all posts in time order.

mod helpdesk;
mod plan;
mod write;

use anyhow::{Context, bail};
use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};
use hubbub_storage::Store;
use hubbub_storage::store::bulk::{BulkAccount, BulkCommunity, BulkFollow, BulkMembership};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use std::collections::{BTreeSet, HashSet};

/// The stages the seeder runs, in order.
pub const STAGES: [&str; 9] = [
    "people",
    "follows",
    "communities",
    "posts",
    "helpdesk",
    "topics",
    "threads",
    "reactions",
    "notifications",
];

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

/// The department whose staff (below its head) have the support role.
const IT_SUPPORT: usize = 1;

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
    /// Support staff in the help-desk model (the support or admin role).
    support: bool,
    /// Has the support role itself (answers tickets).
    support_role: bool,
}

/// A seeded community, as later stages need them.
struct Community {
    id: i64,
    private: bool,
    helpdesk: bool,
    /// Members by person index, in a shuffled order.
    members: Vec<usize>,
    member_set: HashSet<usize>,
}

/// Cut to microseconds, as the databases keep it.
fn db(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc().trunc_subsecs(6)
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
    let settings = store
        .helpdesk_settings()
        .await
        .context("reading the help-desk settings")?
        .settings;

    writeln!(
        progress,
        "seed {}: stages {}",
        options.seed,
        STAGES.join(", ")
    )?;
    let people = stage_people(store, options, &mut rng, start, &suffix, &password_hash).await?;
    let support = people.iter().filter(|p| p.support_role).count();
    writeln!(progress, "  people: {} ({support} support)", people.len())?;
    let follows = stage_follows(store, &people, &mut rng, options.now).await?;
    writeln!(progress, "  follows: {follows}")?;
    let communities = stage_communities(store, &people, &mut rng, start, &suffix).await?;
    writeln!(
        progress,
        "  communities: {} ({} memberships)",
        communities.len(),
        communities.iter().map(|c| c.members.len()).sum::<usize>()
    )?;
    let world = plan::World {
        people: &people,
        communities: &communities,
        settings: &settings,
        now: options.now,
    };
    let mut planned = plan::Plan::default();
    plan::posts(&world, &mut planned, options, &mut rng, start);
    helpdesk::tickets(&world, &mut planned, &mut rng, start);
    plan::interactions(&world, &mut planned, &mut rng);
    write::all(store, &world, planned, progress).await?;
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
    let mut minter = plan::Minter::default();
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
        // Two more for IT Support, so that the help desk has support staff.
        let department = if index < heads.len() {
            index
        } else if index < heads.len() + 2 {
            IT_SUPPORT
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
            let role = if department == IT_SUPPORT {
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
            support: matches!(role, "support" | "admin"),
            support_role: role == "support",
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
) -> anyhow::Result<Vec<Community>> {
    let mut minter = plan::Minter::default();
    let mut communities = Vec::new();
    let mut rows = Vec::new();
    let mut memberships = Vec::new();
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
        communities.push(Community {
            id,
            private: *private,
            helpdesk: index == 1,
            member_set: members.iter().copied().collect(),
            members,
        });
    }
    store
        .bulk_communities(rows)
        .await
        .context("seeding communities")?;
    store
        .bulk_memberships(memberships)
        .await
        .context("seeding community members")?;
    Ok(communities)
}
