//! The outbox relay: each committed event is published once, in order, by
//! whichever relay holds the lease, and nothing is lost when a relay dies.

use crate::support::WAIT;
use chrono::Utc;
use hubbub_core::event::Event;
use hubbub_core::ids::{AccountId, IdGenerator};
use hubbub_core::input::{DisplayName, Email, Username};
use hubbub_core::role::Role;
use hubbub_realtime::{Bus, RelayOptions, spawn_relay_with};
use hubbub_storage::Store;
use hubbub_storage::model::NewAccount;
use hubbub_testkit::database::{BackendUnderTest, all_backends};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, broadcast, watch};

fn fast() -> RelayOptions {
    RelayOptions {
        poll: Duration::from_millis(20),
        ..Default::default()
    }
}

/// Commits `count` events (one account following `count` new ones, named
/// after `prefix`) and returns their number.
async fn commit_events(store: &Store, prefix: &str, count: usize) -> anyhow::Result<usize> {
    let ids = IdGenerator::new();
    let now = Utc::now();
    let mut accounts = Vec::new();
    for n in 0..=count {
        let name = format!("{prefix}{n}");
        let account = store
            .create_account(NewAccount {
                id: AccountId(ids.next(now)),
                username: Username::parse(&name)?,
                email: Email::parse(&format!("{name}@example.com"))?,
                display_name: DisplayName::parse(&name)?,
                password_hash: "x".into(),
                role: Role::Member,
                created_at: now,
            })
            .await?;
        accounts.push(account.id);
    }
    for followee in &accounts[1..] {
        store.follow(accounts[0], *followee, now).await?;
    }
    Ok(count)
}

/// Collects `count` events from `events`, failing if they do not come in time.
async fn collect(
    events: &mut broadcast::Receiver<Arc<Event>>,
    count: usize,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    let deadline = tokio::time::Instant::now() + WAIT * 5;
    while ids.len() < count {
        let event = tokio::time::timeout_at(deadline, events.recv()).await??;
        ids.push(event.id.0);
    }
    Ok(ids)
}

#[tokio::test]
async fn events_committed_while_no_relay_runs_are_published_by_the_next_relay() -> anyhow::Result<()>
{
    for backend in all_backends() {
        let db = backend.create().await?;
        // The node that committed died before its relay published anything:
        // on PostgreSQL it even held the lease, which its death releases.
        let dead = Store::connect(db.url(), 2).await?;
        dead.migrate().await?;
        let count = commit_events(&dead, "user", 5).await?;
        let lease = dead.try_relay_lease().await?;
        assert!(lease.is_some(), "on {}", backend.name());
        drop(lease);
        drop(dead);

        let store = Store::connect(db.url(), 2).await?;
        let bus = Bus::in_process();
        let mut events = bus.subscribe();
        let (_stop, stopped) = watch::channel(false);
        spawn_relay_with(store.clone(), bus, Arc::new(Notify::new()), stopped, fast());

        let ids = collect(&mut events, count).await?;
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "in order: {ids:?}");
        let deadline = tokio::time::Instant::now() + WAIT;
        while !store.unpublished_events(10).await?.is_empty() {
            anyhow::ensure!(tokio::time::Instant::now() < deadline, "never marked");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    Ok(())
}

#[tokio::test]
async fn two_relays_on_one_postgresql_database_publish_each_event_exactly_once()
-> anyhow::Result<()> {
    let Some(backend) = all_backends()
        .into_iter()
        .find(|b| matches!(b, BackendUnderTest::Postgres { .. }))
    else {
        eprintln!("skipped: HUBBUB_TEST_DATABASE_URL is not set");
        return Ok(());
    };
    let db = backend.create().await?;
    let first = Store::connect(db.url(), 3).await?;
    first.migrate().await?;
    let second = Store::connect(db.url(), 3).await?;
    // One bus for both relays: a double publication would be seen twice.
    let bus = Bus::in_process();
    let mut events = bus.subscribe();
    let (stop, stopped) = watch::channel(false);
    let wake = Arc::new(Notify::new());
    let a = spawn_relay_with(
        first.clone(),
        bus.clone(),
        wake.clone(),
        stopped.clone(),
        fast(),
    );
    let b = spawn_relay_with(second.clone(), bus.clone(), wake.clone(), stopped, fast());

    let writer = first.clone();
    let count = 40;
    let writing = tokio::spawn(async move { commit_events(&writer, "user", count).await });
    let ids = collect(&mut events, count).await?;
    writing.await??;

    assert_eq!(ids.len(), count);
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "once each, in order: {ids:?}"
    );
    // No extra publication trails behind: the next event out is a new one.
    commit_events(&second, "marker", 1).await?;
    let next = collect(&mut events, 1).await?;
    assert!(next[0] > ids[count - 1], "an event was published twice");
    let _ = stop.send(true);
    a.await?;
    b.await?;
    Ok(())
}
