//! `hubbub bench api`: the API benchmark of issue 3 — home timeline latency
//! (first page and page 10) and post creation throughput, through the store
//! (server time: no HTTP, no JSON rendering), on data from a deterministic
//! generator loaded in bulk (multi-row INSERTs, batched transactions).
//!
//! A database the generator filled before is reused (same people count);
//! any other non-empty database is refused.

use anyhow::{Context, bail};
use chrono::{Duration, Utc};
use hubbub_core::ids::{AccountId, IdGenerator, StatusId, min_id_at};
use hubbub_core::input::StatusText;
use hubbub_core::page::PageRequest;
use hubbub_storage::Store;
use hubbub_storage::model::NewStatus;
use hubbub_storage::store::bulk::{
    BulkAccount, BulkCommunity, BulkFollow, BulkMembership, BulkStatus,
};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

/// The shape of the generated network and of the measurement.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// People.
    pub people: usize,
    /// Follows per person.
    pub follows: usize,
    /// Communities.
    pub communities: usize,
    /// Posts.
    pub posts: usize,
    /// Generator seed.
    pub seed: u64,
    /// Timed home-timeline reads per page.
    pub samples: usize,
    /// Posts created in the write test.
    pub writes: usize,
    /// Concurrent writers.
    pub concurrency: usize,
}

/// Loads (if needed) and measures; the report goes to `out`.
pub async fn run(store: &Store, options: &BenchOptions, out: &mut dyn Write) -> anyhow::Result<()> {
    if options.people < 2 || options.follows >= options.people || options.samples == 0 {
        bail!("--people must be at least 2, --follows below --people, --samples above 0");
    }
    let existing = store.account_count().await? as usize;
    let people = if existing == 0 {
        load(store, options, out).await?
    } else if existing == options.people {
        writeln!(out, "reusing the {existing} people already loaded")?;
        (0..options.people).map(|i| person_id(options, i)).collect()
    } else {
        bail!(
            "the database has {existing} accounts, not {} from an earlier `hubbub bench api`; use an empty database",
            options.people
        );
    };

    let mut rng = StdRng::seed_from_u64(options.seed ^ 0x5eed);
    // Warm the caches and the pool.
    for _ in 0..20 {
        let viewer = *people.choose(&mut rng).unwrap_or(&people[0]);
        store.home_timeline(AccountId(viewer), page(None)).await?;
    }
    let mut first = Vec::with_capacity(options.samples);
    let mut tenth = Vec::with_capacity(options.samples);
    for _ in 0..options.samples {
        let viewer = AccountId(*people.choose(&mut rng).unwrap_or(&people[0]));
        let started = Instant::now();
        let mut posts = store.home_timeline(viewer, page(None)).await?;
        first.push(started.elapsed().as_secs_f64() * 1000.0);
        for _ in 2..10 {
            let Some(last) = posts.last() else { break };
            posts = store.home_timeline(viewer, page(Some(last.id.0))).await?;
        }
        if let Some(last) = posts.last() {
            let started = Instant::now();
            store.home_timeline(viewer, page(Some(last.id.0))).await?;
            tenth.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    writeln!(
        out,
        "home timeline, 20 posts a page, {} viewers:",
        first.len()
    )?;
    report(out, "  page 1 ", &mut first)?;
    report(out, "  page 10", &mut tenth)?;

    let (rate, mut latencies) = writes(store, options, &people).await?;
    writeln!(
        out,
        "post creation: {} posts by {} concurrent writers, each its own durable transaction with its outbox event:",
        options.writes, options.concurrency
    )?;
    writeln!(out, "  {rate:.0} posts/s")?;
    report(out, "  commit ", &mut latencies)?;
    Ok(())
}

fn page(max_id: Option<i64>) -> PageRequest {
    PageRequest::new(max_id, None, None, Some(20))
}

/// Person `i`'s id: fixed by the options, so a reused database is found again.
fn person_id(options: &BenchOptions, i: usize) -> i64 {
    // Minted at a fixed instant (Sep 2020) plus the seed, before any real post.
    let base = 1_600_000_000_000 + options.seed as i64;
    (base << 16) + i as i64
}

fn report(out: &mut dyn Write, label: &str, samples: &mut [f64]) -> anyhow::Result<()> {
    if samples.is_empty() {
        writeln!(out, "{label}: no samples")?;
        return Ok(());
    }
    samples.sort_by(f64::total_cmp);
    let at =
        |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1];
    writeln!(
        out,
        "{label}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at(0.50),
        at(0.99),
        at(1.0)
    )?;
    Ok(())
}

async fn writes(
    store: &Store,
    options: &BenchOptions,
    people: &[i64],
) -> anyhow::Result<(f64, Vec<f64>)> {
    let ids = Arc::new(IdGenerator::new());
    let people = Arc::new(people.to_vec());
    let per_writer = options.writes.div_ceil(options.concurrency.max(1));
    // Roughly what the API renders for a short post.
    let status_json: Arc<str> =
        Arc::from(format!("{{\"content\":\"<p>{}</p>\"}}", "x".repeat(400)));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for writer in 0..options.concurrency.max(1) {
        let store = store.clone();
        let ids = ids.clone();
        let people = people.clone();
        let status_json = status_json.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(per_writer);
            for n in 0..per_writer {
                let author = people[(writer * 7919 + n * 31) % people.len()];
                let now = Utc::now();
                let post = NewStatus {
                    id: StatusId(ids.next(now)),
                    account_id: AccountId(author),
                    text: StatusText::parse("Benchmark post about #ci", 5000)?,
                    in_reply_to_id: None,
                    community_id: None,
                    created_at: now,
                };
                let began = Instant::now();
                store.create_status(post, status_json.to_string()).await?;
                latencies.push(began.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok(latencies)
        });
    }
    let mut latencies = Vec::with_capacity(options.writes);
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.context("a writer panicked")??);
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    Ok((rate, latencies))
}

/// Generates and bulk-loads the network; returns the people's ids.
async fn load(
    store: &Store,
    options: &BenchOptions,
    out: &mut dyn Write,
) -> anyhow::Result<Vec<i64>> {
    let mut rng = StdRng::seed_from_u64(options.seed);
    let started = Instant::now();
    let joined = chrono::DateTime::from_timestamp_millis(1_600_000_000_000)
        .unwrap_or_default()
        .naive_utc();
    let people: Vec<i64> = (0..options.people).map(|i| person_id(options, i)).collect();
    let accounts: Vec<BulkAccount> = people
        .iter()
        .enumerate()
        .map(|(i, id)| BulkAccount {
            id: *id,
            username: format!("bench{i}"),
            username_canonical: format!("bench{i}"),
            display_name: format!("Bench Person {i}"),
            email: format!("bench{i}@bench.example"),
            password_hash: hubbub_storage::store::admin::NO_PASSWORD.to_owned(),
            role: "member".to_owned(),
            disabled: false,
            created_at: joined,
            note: String::new(),
            department: Some(format!("Dept {}", i % 20)),
            job_title: None,
            location: None,
            manager_id: None,
        })
        .collect();
    for chunk in accounts.chunks(5000) {
        store.bulk_accounts(chunk.to_vec()).await?;
    }
    writeln!(out, "loaded {} people", people.len())?;

    let mut edges = Vec::with_capacity(options.people * options.follows);
    for (i, follower) in people.iter().enumerate() {
        let mut followees = HashSet::with_capacity(options.follows);
        while followees.len() < options.follows {
            let other = rng.random_range(0..people.len());
            if other != i {
                followees.insert(other);
            }
        }
        edges.extend(followees.into_iter().map(|f| BulkFollow {
            follower_id: *follower,
            followee_id: people[f],
            created_at: joined,
        }));
        if edges.len() >= 20_000 {
            store.bulk_follows(std::mem::take(&mut edges)).await?;
        }
    }
    store.bulk_follows(edges).await?;
    writeln!(out, "loaded {} follows", options.people * options.follows)?;

    let mut communities = Vec::with_capacity(options.communities);
    let mut members: Vec<Vec<usize>> = Vec::with_capacity(options.communities);
    let mut memberships = Vec::new();
    for c in 0..options.communities {
        let id = ((1_600_000_000_000_i64 + options.seed as i64) << 16) + c as i64;
        let private = c % 5 == 0;
        communities.push(BulkCommunity {
            id,
            name: format!("Bench community {c}"),
            name_canonical: format!("bench community {c}"),
            description: String::new(),
            private,
            helpdesk: false,
            created_by: people[c % people.len()],
            created_at: joined,
        });
        let count = rng.random_range(10..=100).min(people.len());
        let chosen: Vec<usize> = rand::seq::index::sample(&mut rng, people.len(), count).into_vec();
        memberships.extend(chosen.iter().map(|m| BulkMembership {
            community_id: id,
            account_id: people[*m],
            admin: false,
            created_at: joined,
        }));
        members.push(chosen);
    }
    let community_ids: Vec<i64> = communities.iter().map(|c| c.id).collect();
    store.bulk_communities(communities).await?;
    store.bulk_memberships(memberships).await?;
    writeln!(out, "loaded {} communities", options.communities)?;

    // Posts over the 180 days before now, minted in time order.
    let end = Utc::now() - Duration::hours(1);
    let span_ms = Duration::days(180).num_milliseconds();
    let mut offsets: Vec<i64> = (0..options.posts)
        .map(|_| rng.random_range(0..span_ms))
        .collect();
    offsets.sort_unstable();
    let mut last = 0_i64;
    let mut batch = Vec::with_capacity(10_000);
    let mut loaded = 0;
    for offset in offsets {
        let at = end - Duration::days(180) + Duration::milliseconds(offset);
        let id = min_id_at(at).max(last + 1);
        last = id;
        let (author, community_id) = if rng.random_bool(0.1) && !community_ids.is_empty() {
            let c = rng.random_range(0..community_ids.len());
            let member = members[c].choose(&mut rng).copied().unwrap_or(0);
            (people[member], Some(community_ids[c]))
        } else {
            (people[rng.random_range(0..people.len())], None)
        };
        batch.push(BulkStatus {
            id,
            account_id: author,
            text: format!("Generated post {loaded} about #topic{}", loaded % 50),
            in_reply_to_id: None,
            community_id,
            created_at: at.naive_utc(),
            thread_id: id,
            question: false,
        });
        loaded += 1;
        if batch.len() == 10_000 {
            store.bulk_statuses(std::mem::take(&mut batch)).await?;
            if loaded % 100_000 == 0 {
                writeln!(out, "  posts: {loaded}/{}", options.posts)?;
            }
        }
    }
    store.bulk_statuses(batch).await?;
    store.analyze().await?;
    let seconds = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "loaded {} posts; the whole load took {seconds:.0} s",
        options.posts
    )?;
    Ok(people)
}
