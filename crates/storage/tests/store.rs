//! The storage story, told once and checked on every backend: SQLite always,
//! PostgreSQL when `HUBBUB_TEST_DATABASE_URL` is set. Each scenario gets its own
//! freshly migrated database.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::{AccountId, CommunityId, EventId, IdGenerator, StatusId};
use hubbub_core::input::{DisplayName, Email, StatusText, Username};
use hubbub_core::page::PageRequest;
use hubbub_core::role::Role;
use hubbub_core::visibility::PostAudience;
use hubbub_storage::model::{
    Account, CommunityRole, MembershipState, NewAccessToken, NewAccount, NewCommunity, NewStatus,
    Relationship, Status,
};
use hubbub_storage::{Backend, StorageError, Store};
use hubbub_testkit::database::{BackendUnderTest, TestDatabase, all_backends};
use std::future::Future;
use std::sync::LazyLock;

static IDS: LazyLock<IdGenerator> = LazyLock::new(IdGenerator::new);

/// A connected store on a fresh, unmigrated database. The database is returned
/// too: dropping it drops the PostgreSQL database, so it must outlive the store.
async fn fresh_store(backend: &BackendUnderTest) -> anyhow::Result<(TestDatabase, Store)> {
    let db = backend.create().await?;
    let store = Store::connect(db.url(), 4)
        .await
        .with_context(|| format!("connecting to {}", db.url()))?;
    Ok((db, store))
}

/// Runs `scenario` against a migrated store on every backend under test.
async fn on_every_backend<F, Fut>(scenario: F) -> anyhow::Result<()>
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    for backend in all_backends() {
        eprintln!("running on {}", backend.name());
        let (_db, store) = fresh_store(&backend).await?;
        store.migrate().await.context("migrating")?;
        scenario(store)
            .await
            .with_context(|| format!("on {}", backend.name()))?;
    }
    Ok(())
}

fn new_account(username: &str, email: &str) -> anyhow::Result<NewAccount> {
    let now = Utc::now();
    Ok(NewAccount {
        id: AccountId(IDS.next(now)),
        username: Username::parse(username)?,
        email: Email::parse(email)?,
        display_name: DisplayName::parse(username)?,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        role: Role::Member,
        created_at: now,
    })
}

async fn account(store: &Store, username: &str) -> anyhow::Result<Account> {
    let email = format!("{}@example.com", username.to_lowercase());
    Ok(store.create_account(new_account(username, &email)?).await?)
}

fn status_json(id: StatusId, text: &str) -> String {
    format!(r#"{{"id":"{id}","content":"<p>{text}</p>"}}"#)
}

async fn post(store: &Store, author: &Account, text: &str) -> anyhow::Result<Status> {
    post_reply(store, author, text, None).await
}

async fn post_reply(
    store: &Store,
    author: &Account,
    text: &str,
    in_reply_to_id: Option<StatusId>,
) -> anyhow::Result<Status> {
    post_in(store, author, text, in_reply_to_id, None)
        .await
        .map_err(anyhow::Error::from)
}

/// Posts `text`, optionally as a reply and in a community; storage errors are
/// returned as they are, for the tests that expect one.
async fn post_in(
    store: &Store,
    author: &Account,
    text: &str,
    in_reply_to_id: Option<StatusId>,
    community_id: Option<CommunityId>,
) -> Result<Status, StorageError> {
    let now = Utc::now();
    let id = StatusId(IDS.next(now));
    let status = NewStatus {
        id,
        account_id: author.id,
        text: StatusText::parse(text, 500).map_err(|e| StorageError::Corrupt(e.to_string()))?,
        in_reply_to_id,
        community_id,
        created_at: now,
    };
    store.create_status(status, status_json(id, text)).await
}

fn page(
    max_id: Option<StatusId>,
    since_id: Option<StatusId>,
    min_id: Option<StatusId>,
    limit: i64,
) -> PageRequest {
    PageRequest::new(
        max_id.map(|id| id.0),
        since_id.map(|id| id.0),
        min_id.map(|id| id.0),
        Some(limit),
    )
}

fn ids(statuses: &[Status]) -> Vec<StatusId> {
    statuses.iter().map(|status| status.id).collect()
}

fn bodies(events: &[Event]) -> Vec<EventBody> {
    events.iter().map(|event| event.body.clone()).collect()
}

fn token(
    id: &str,
    account: &Account,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> NewAccessToken {
    NewAccessToken {
        id: id.to_owned(),
        account_id: Some(account.id),
        app_id: None,
        scopes: "read write".to_owned(),
        created_at: now,
        expires_at,
    }
}

#[tokio::test]
async fn a_username_taken_in_another_letter_case_is_a_conflict_and_nothing_is_stored()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "Alice").await?;

        let second = new_account("aLICE", "someone.else@example.com")?;
        let second_id = second.id;
        let result = store.create_account(second).await;

        assert!(
            matches!(result, Err(StorageError::Conflict { field: "username" })),
            "{result:?}"
        );
        assert_eq!(store.account(second_id).await?, None);
        assert_eq!(
            store.account_by_login("someone.else@example.com").await?,
            None
        );
        assert_eq!(store.account_by_login("ALICE").await?, Some(alice));
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_simultaneous_sign_ups_for_one_username_exactly_one_wins() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let attempts: Vec<_> = (0..8)
            .map(|n| {
                let store = store.clone();
                let spelling = if n % 2 == 0 { "Dana" } else { "dana" };
                let form = new_account(spelling, &format!("dana{n}@example.com"));
                tokio::spawn(async move {
                    store
                        .create_account(form?)
                        .await
                        .map_err(anyhow::Error::from)
                })
            })
            .collect();

        let mut created = 0;
        for attempt in attempts {
            match attempt.await? {
                Ok(_) => created += 1,
                Err(error) => assert!(
                    matches!(
                        error.downcast_ref::<StorageError>(),
                        Some(StorageError::Conflict { field: "username" })
                    ),
                    "{error:?}"
                ),
            }
        }

        assert_eq!(created, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_taken_email_is_a_conflict_on_the_email_field() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        store
            .create_account(new_account("alice", "shared@example.com")?)
            .await?;

        let result = store
            .create_account(new_account("bob", "Shared@Example.com")?)
            .await;

        assert!(
            matches!(result, Err(StorageError::Conflict { field: "email" })),
            "{result:?}"
        );
        assert_eq!(store.account_by_login("bob").await?, None);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_account_is_found_by_username_in_any_case_or_by_email_and_by_id() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "Alice").await?;
        let bob = account(&store, "bob").await?;

        assert_eq!(store.account_by_login("alice").await?, Some(alice.clone()));
        assert_eq!(
            store.account_by_login("ALICE@example.com").await?,
            Some(alice.clone())
        );
        assert_eq!(store.account(alice.id).await?, Some(alice.clone()));
        assert_eq!(alice.username, "Alice");
        assert_eq!(alice.role, Role::Member);
        assert!(!alice.disabled);

        let mut found = store.accounts(&[bob.id, alice.id, AccountId(1)]).await?;
        found.sort_by_key(|a| a.id);
        assert_eq!(found, vec![alice, bob]);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn following_is_idempotent_and_the_relationship_reads_both_ways() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let bob = account(&store, "bob").await?;

        store.follow(alice.id, bob.id, Utc::now()).await?;
        store.follow(alice.id, bob.id, Utc::now()).await?;

        assert_eq!(
            store.relationship(alice.id, bob.id).await?,
            Relationship {
                following: true,
                followed_by: false
            }
        );
        assert_eq!(
            store.relationship(bob.id, alice.id).await?,
            Relationship {
                following: false,
                followed_by: true
            }
        );
        assert_eq!(store.followee_ids(alice.id).await?, vec![bob.id]);
        assert_eq!(store.account_counts(bob.id).await?.followers, 1);
        assert_eq!(store.account_counts(alice.id).await?.following, 1);
        let followed = EventBody::Followed {
            follower: alice.id,
            followee: bob.id,
        };
        assert_eq!(
            bodies(&store.unpublished_events(100).await?),
            vec![followed.clone()]
        );

        store.unfollow(alice.id, bob.id).await?;
        store.unfollow(alice.id, bob.id).await?;

        assert_eq!(
            store.relationship(alice.id, bob.id).await?,
            Relationship::default()
        );
        let unfollowed = EventBody::Unfollowed {
            follower: alice.id,
            followee: bob.id,
        };
        assert_eq!(
            bodies(&store.unpublished_events(100).await?),
            vec![followed, unfollowed]
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn following_someone_who_does_not_exist_is_not_found() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;

        let result = store.follow(alice.id, AccountId(42), Utc::now()).await;

        assert!(
            matches!(result, Err(StorageError::NotFound { .. })),
            "{result:?}"
        );
        assert!(store.unpublished_events(100).await?.is_empty());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_home_timeline_shows_own_and_followed_posts_and_no_one_elses() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let bob = account(&store, "bob").await?;
        let carol = account(&store, "carol").await?;
        store.follow(alice.id, bob.id, Utc::now()).await?;
        let own = post(&store, &alice, "mine").await?;
        let followed = post(&store, &bob, "from bob").await?;
        let stranger = post(&store, &carol, "from carol").await?;

        let home = store
            .home_timeline(alice.id, page(None, None, None, 20))
            .await?;
        let public = store.public_timeline(page(None, None, None, 20)).await?;
        let carols = store
            .account_statuses(carol.id, None, page(None, None, None, 20))
            .await?;

        assert_eq!(ids(&home), vec![followed.id, own.id]);
        assert_eq!(ids(&public), vec![stranger.id, followed.id, own.id]);
        assert_eq!(carols, vec![stranger]);
        assert_eq!(home[1], own);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn paging_with_max_id_visits_every_post_once_newest_first() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let mut posted = Vec::new();
        for n in 0..7 {
            posted.push(post(&store, &alice, &format!("post {n}")).await?.id);
        }
        posted.reverse();

        let first = store
            .home_timeline(alice.id, page(None, None, None, 3))
            .await?;
        let second = store
            .home_timeline(alice.id, page(first.last().map(|s| s.id), None, None, 3))
            .await?;
        let third = store
            .home_timeline(alice.id, page(second.last().map(|s| s.id), None, None, 3))
            .await?;
        let beyond = store
            .home_timeline(alice.id, page(third.last().map(|s| s.id), None, None, 3))
            .await?;

        assert_eq!((first.len(), second.len(), third.len()), (3, 3, 1));
        let seen: Vec<StatusId> = [first, second, third].iter().flat_map(|p| ids(p)).collect();
        assert_eq!(seen, posted);
        assert!(beyond.is_empty());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn since_id_gives_the_newest_posts_and_min_id_the_ones_just_after_it() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let mut posted = Vec::new();
        for n in 0..6 {
            posted.push(post(&store, &alice, &format!("post {n}")).await?.id);
        }
        let anchor = Some(posted[1]);

        let since = store.public_timeline(page(None, anchor, None, 2)).await?;
        let min = store.public_timeline(page(None, None, anchor, 2)).await?;
        let between = store
            .public_timeline(page(Some(posted[5]), None, anchor, 10))
            .await?;

        assert_eq!(ids(&since), vec![posted[5], posted[4]]);
        assert_eq!(ids(&min), vec![posted[3], posted[2]]);
        assert_eq!(ids(&between), vec![posted[4], posted[3], posted[2]]);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_deleted_post_leaves_every_timeline_and_records_status_deleted() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let kept = post(&store, &alice, "kept").await?;
        let gone = post(&store, &alice, "gone").await?;

        assert!(store.delete_status(gone.id, Utc::now()).await?);
        assert!(!store.delete_status(gone.id, Utc::now()).await?);
        assert!(!store.delete_status(StatusId(12345), Utc::now()).await?);

        let everyone = page(None, None, None, 20);
        assert_eq!(
            ids(&store.home_timeline(alice.id, everyone).await?),
            vec![kept.id]
        );
        assert_eq!(ids(&store.public_timeline(everyone).await?), vec![kept.id]);
        assert_eq!(
            ids(&store.account_statuses(alice.id, None, everyone).await?),
            vec![kept.id]
        );
        assert_eq!(store.status(gone.id, None).await?, None);
        assert_eq!(store.account_counts(alice.id).await?.statuses, 1);
        let deleted: Vec<EventBody> = bodies(&store.unpublished_events(100).await?)
            .into_iter()
            .filter(|body| matches!(body, EventBody::StatusDeleted { .. }))
            .collect();
        assert_eq!(
            deleted,
            vec![EventBody::StatusDeleted {
                audience: PostAudience::of(None, false),
                author: alice.id,
                status_id: gone.id,
                thread: gone.id,
            }]
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn creating_a_post_records_exactly_one_status_created_event_with_its_json()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;

        let status = post(&store, &alice, "hello #team").await?;

        assert_eq!(status.text, "hello #team");
        assert_eq!(status.account_id, alice.id);
        assert_eq!(store.status(status.id, None).await?, Some(status.clone()));
        let expected = EventBody::StatusCreated {
            author: alice.id,
            status_id: status.id,
            thread: status.id,
            audience: PostAudience::of(None, false),
            status_json: status_json(status.id, "hello #team"),
        };
        assert_eq!(
            bodies(&store.unpublished_events(100).await?),
            vec![expected]
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_reply_threads_under_its_parent() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let question = post(&store, &alice, "question").await?;

        let answer = post_reply(&store, &alice, "answer", Some(question.id)).await?;

        assert_eq!(answer.in_reply_to_id, Some(question.id));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_reply_to_a_missing_or_deleted_post_is_not_found_and_nothing_is_written()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let deleted = post(&store, &alice, "soon gone").await?;
        store.delete_status(deleted.id, Utc::now()).await?;
        let events_before = store.unpublished_events(100).await?.len();

        let to_missing = post_reply(&store, &alice, "to nothing", Some(StatusId(999))).await;
        let to_deleted = post_reply(&store, &alice, "to the void", Some(deleted.id)).await;

        for result in [to_missing, to_deleted] {
            let error = result.err().context("the reply should have failed")?;
            assert!(
                matches!(
                    error.downcast_ref::<StorageError>(),
                    Some(StorageError::NotFound {
                        what: "in_reply_to_id"
                    })
                ),
                "{error:?}"
            );
        }
        assert!(
            store
                .public_timeline(page(None, None, None, 20))
                .await?
                .is_empty()
        );
        assert_eq!(store.unpublished_events(100).await?.len(), events_before);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_revoked_token_is_no_longer_active_and_records_token_revoked() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let now = Utc::now();
        store
            .create_token(token("jti-1", &alice, now, Some(now + Duration::hours(1))))
            .await?;
        let active = store
            .active_token("jti-1", now)
            .await?
            .context("token should be active")?;
        assert_eq!(active.account_id, Some(alice.id));
        assert_eq!(active.scopes, "read write");

        assert!(store.revoke_token("jti-1", now).await?);
        assert!(!store.revoke_token("jti-1", now).await?);
        assert!(!store.revoke_token("no-such-token", now).await?);

        assert_eq!(store.active_token("jti-1", now).await?, None);
        assert_eq!(
            bodies(&store.unpublished_events(100).await?),
            vec![EventBody::TokenRevoked {
                token_id: "jti-1".to_owned()
            }]
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_token_is_inactive_once_it_has_expired() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let now = Utc::now();
        store
            .create_token(token(
                "short",
                &alice,
                now,
                Some(now + Duration::minutes(5)),
            ))
            .await?;
        store
            .create_token(token("forever", &alice, now, None))
            .await?;

        assert!(
            store
                .active_token("short", now + Duration::minutes(4))
                .await?
                .is_some()
        );
        assert_eq!(
            store
                .active_token("short", now + Duration::minutes(6))
                .await?,
            None
        );
        assert!(
            store
                .active_token("forever", now + Duration::days(3650))
                .await?
                .is_some()
        );
        assert!(
            !store
                .revoke_token("short", now + Duration::minutes(6))
                .await?
        );
        assert!(store.unpublished_events(100).await?.is_empty());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_relay_numbers_events_in_sequence_and_replay_follows_it() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        for n in 0..3 {
            post(&store, &alice, &format!("post {n}")).await?;
        }
        assert_eq!(store.unpublished_events(10).await?.len(), 3);
        assert!(store.events_after(EventId(0), 10).await?.is_empty());

        let mut lease = store
            .try_relay_lease()
            .await?
            .context("no other relay runs")?;
        let first_two = lease.unpublished_events(2).await?;
        assert_eq!(
            first_two.iter().map(|event| event.id).collect::<Vec<_>>(),
            vec![EventId(1), EventId(2)]
        );
        // Numbered but not published: handed out again, with the same ids.
        assert_eq!(lease.unpublished_events(2).await?, first_two);
        assert_eq!(
            store.committed_events_after(EventId(0), 10).await?,
            first_two
        );
        assert!(store.events_after(EventId(0), 10).await?.is_empty());

        lease
            .mark_published(&[first_two[0].id, first_two[1].id], Utc::now())
            .await?;
        let third = lease.unpublished_events(10).await?;
        assert_eq!(third.len(), 1);
        assert_eq!(third[0].id, EventId(3));
        assert_eq!(store.events_after(EventId(0), 10).await?, first_two);
        assert_eq!(
            store.events_after(EventId(1), 10).await?,
            vec![first_two[1].clone()]
        );

        lease.mark_published(&[third[0].id], Utc::now()).await?;
        assert!(lease.unpublished_events(10).await?.is_empty());
        assert!(store.unpublished_events(10).await?.is_empty());
        assert_eq!(store.events_after(EventId(2), 10).await?, third);
        assert_eq!(store.oldest_event_id().await?, Some(EventId(1)));
        Ok(())
    })
    .await
}

/// Two writers commit out of insert order (only possible on PostgreSQL, where
/// writers run concurrently): the later commit is published later, so a client
/// that saw the first published event and resumes from it misses nothing.
#[tokio::test]
async fn an_event_committed_late_is_published_after_the_events_before_it() -> anyhow::Result<()> {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, PgConnection};

    for backend in all_backends() {
        if !matches!(backend, BackendUnderTest::Postgres { .. }) {
            continue;
        }
        let (db, store) = fresh_store(&backend).await?;
        store.migrate().await?;
        let alice = account(&store, "alice").await?;
        let bob = account(&store, "bob").await?;

        // A writer that inserts its outbox row first and commits last.
        let slow_body = EventBody::Followed {
            follower: bob.id,
            followee: alice.id,
        };
        let mut slow_writer = PgConnection::establish(db.url())?;
        slow_writer.batch_execute(&format!(
            "BEGIN; INSERT INTO outbox (kind, payload, created_at) VALUES ('followed', '{}', now())",
            serde_json::to_string(&slow_body)?.replace('\'', "''")
        ))?;
        post(&store, &alice, "committed first").await?;

        let mut lease = store
            .try_relay_lease()
            .await?
            .context("no other relay runs")?;
        let published_first = lease.unpublished_events(10).await?;
        assert_eq!(
            published_first.len(),
            1,
            "only the committed row is visible"
        );
        assert!(matches!(
            published_first[0].body,
            EventBody::StatusCreated { .. }
        ));
        lease
            .mark_published(&[published_first[0].id], Utc::now())
            .await?;

        slow_writer.batch_execute("COMMIT")?;
        let published_second = lease.unpublished_events(10).await?;
        assert_eq!(bodies(&published_second), vec![slow_body]);
        assert!(published_second[0].id > published_first[0].id);
        assert_eq!(
            store
                .committed_events_after(published_first[0].id, 10)
                .await?,
            published_second,
            "a client resuming after the first event gets the late one"
        );
    }
    Ok(())
}

#[tokio::test]
async fn migrating_a_second_time_does_nothing() -> anyhow::Result<()> {
    for backend in all_backends() {
        let (_db, store) = fresh_store(&backend).await?;

        let first = store.migrate().await?;
        let second = store.migrate().await?;

        assert!(
            first >= 1,
            "{}: the first run applied {first}",
            backend.name()
        );
        assert_eq!(second, 0, "{}", backend.name());
        store.ping().await?;
        let expected = match backend {
            BackendUnderTest::Sqlite => Backend::Sqlite,
            BackendUnderTest::Postgres { .. } => Backend::Postgres,
        };
        assert_eq!(store.backend(), expected);
    }
    Ok(())
}

#[tokio::test]
async fn a_sqlite_file_in_a_missing_folder_is_created() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("data").join("nested").join("hubbub.db");

    let store = Store::connect(&path.to_string_lossy(), 2).await?;
    store.migrate().await?;

    assert!(path.exists());
    assert_eq!(store.backend(), Backend::Sqlite);
    Ok(())
}

#[tokio::test]
async fn an_unsupported_url_scheme_is_refused() {
    for url in ["mysql://root@localhost/hubbub", "sqlite:hubbub.db"] {
        let result = Store::connect(url, 2).await;

        assert!(
            matches!(result, Err(StorageError::UnsupportedUrl(_))),
            "{url}: {result:?}"
        );
    }
}

/// After PostgreSQL ends every session (a restart, a failover), the pool heals:
/// each dead connection fails one call at most, then is replaced, although the
/// pool no longer pings a connection that worked a moment before.
#[tokio::test]
async fn the_store_recovers_when_the_database_ends_its_sessions() -> anyhow::Result<()> {
    for backend in all_backends() {
        if !matches!(backend, BackendUnderTest::Postgres { .. }) {
            continue;
        }
        let (db, store) = fresh_store(&backend).await?;
        store.ping().await?;

        let ended = db.end_sessions().await?;

        assert!(ended >= 1, "the store's sessions should have been open");
        let mut failures = 0;
        while store.ping().await.is_err() {
            failures += 1;
            // fresh_store's pool holds 4 connections.
            anyhow::ensure!(failures <= 4, "still failing after {failures} calls");
        }
        for _ in 0..3 {
            store.ping().await?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn an_unreachable_postgres_fails_fast_with_the_real_cause() -> anyhow::Result<()> {
    let attempt = Store::connect("postgres://postgres@127.0.0.1:1/postgres", 2);

    let result = tokio::time::timeout(std::time::Duration::from_secs(5), attempt)
        .await
        .context("connecting to a closed port should fail within 5 s")?;

    match result {
        Err(StorageError::Connect(message)) => {
            assert!(message.contains("127.0.0.1"), "{message}");
            Ok(())
        }
        other => anyhow::bail!("expected a Connect error, got {other:?}"),
    }
}

async fn community(
    store: &Store,
    owner: &Account,
    name: &str,
    private: bool,
) -> anyhow::Result<CommunityId> {
    let now = Utc::now();
    let created = store
        .create_community(NewCommunity {
            id: CommunityId(IDS.next(now)),
            name: name.to_owned(),
            description: String::new(),
            private,
            helpdesk: false,
            created_by: owner.id,
            created_at: now,
        })
        .await?;
    Ok(created.id)
}

#[tokio::test]
async fn a_private_community_post_is_seen_by_active_members_only_on_every_read_path()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let bob = account(&store, "bob").await?;
        let secret = community(&store, &alice, "Payroll", true).await?;
        store.follow(bob.id, alice.id, Utc::now()).await?;
        let hidden = post_in(&store, &alice, "salaries", None, Some(secret)).await?;
        let reply = post_reply(&store, &alice, "inside the thread", Some(hidden.id)).await?;
        let open = post(&store, &alice, "lunch?").await?;
        let everything = page(None, None, None, 20);

        assert_eq!(
            reply.community_id,
            Some(secret),
            "a reply stays in its thread's community"
        );
        assert_eq!(
            ids(&store.home_timeline(bob.id, everything).await?),
            vec![open.id]
        );
        assert_eq!(
            ids(&store.public_timeline(everything).await?),
            vec![open.id]
        );
        assert_eq!(
            ids(&store
                .account_statuses(alice.id, Some(bob.id), everything)
                .await?),
            vec![open.id]
        );
        assert_eq!(store.status(hidden.id, Some(bob.id)).await?, None);
        assert_eq!(store.status(hidden.id, None).await?, None);
        assert!(matches!(
            post_in(&store, &bob, "peek", Some(hidden.id), None).await,
            Err(StorageError::NotFound {
                what: "in_reply_to_id"
            })
        ));
        assert!(matches!(
            post_in(&store, &bob, "sneak in", None, Some(secret)).await,
            Err(StorageError::NotFound {
                what: "community_id"
            })
        ));

        assert_eq!(
            ids(&store.home_timeline(alice.id, everything).await?),
            vec![open.id, reply.id, hidden.id]
        );
        assert_eq!(
            store.status(hidden.id, Some(alice.id)).await?,
            Some(hidden.clone())
        );

        store
            .set_membership(
                secret,
                bob.id,
                CommunityRole::Member,
                MembershipState::Pending,
                Utc::now(),
            )
            .await?;
        assert_eq!(
            store.status(hidden.id, Some(bob.id)).await?,
            None,
            "a pending request sees nothing"
        );
        store
            .set_membership(
                secret,
                bob.id,
                CommunityRole::Member,
                MembershipState::Active,
                Utc::now(),
            )
            .await?;
        assert_eq!(
            store.status(hidden.id, Some(bob.id)).await?,
            Some(hidden.clone())
        );
        assert_eq!(
            ids(&store.home_timeline(bob.id, everything).await?),
            vec![open.id, reply.id, hidden.id]
        );
        assert!(store.remove_membership(secret, bob.id, Utc::now()).await?);
        assert_eq!(store.status(hidden.id, Some(bob.id)).await?, None);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn events_of_private_community_posts_say_so_and_public_community_posts_are_for_everyone()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let bob = account(&store, "bob").await?;
        let secret = community(&store, &alice, "Payroll", true).await?;
        let open = community(&store, &alice, "Running club", false).await?;
        let hidden = post_in(&store, &alice, "salaries", None, Some(secret)).await?;
        let shared = post_in(&store, &bob, "5k on Friday", None, Some(open)).await?;

        assert_eq!(
            store
                .status(shared.id, Some(alice.id))
                .await?
                .map(|s| s.community_id),
            Some(Some(open))
        );
        assert!(store.delete_status(hidden.id, Utc::now()).await?);
        let audiences: Vec<PostAudience> = store
            .unpublished_events(10)
            .await?
            .into_iter()
            .filter_map(|event| match event.body {
                EventBody::StatusCreated { audience, .. }
                | EventBody::StatusDeleted { audience, .. } => Some(audience),
                _ => None,
            })
            .collect();
        assert_eq!(
            audiences,
            vec![
                PostAudience::Members { community: secret },
                PostAudience::Everyone {
                    community: Some(open)
                },
                PostAudience::Members { community: secret },
            ]
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_community_name_taken_in_another_case_is_a_conflict_on_name() -> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        community(&store, &alice, "IT Help", false).await?;
        let again = community(&store, &alice, "it help", true).await;
        let err = again.err().and_then(|e| e.downcast::<StorageError>().ok());
        assert!(matches!(
            err,
            Some(StorageError::Conflict { field: "name" })
        ));
        Ok(())
    })
    .await
}

#[path = "store/helpdesk.rs"]
mod helpdesk;

#[tokio::test]
async fn the_directory_joins_communities_by_name_or_id_approves_requests_and_removes_nobody()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let owner = account(&store, "owner").await?;
        let bob = account(&store, "bob").await?;
        let it_help = community(&store, &owner, "IT Help", true).await?;
        let sales = community(&store, &owner, "Sales", true).await?;
        let social = community(&store, &owner, "Social", false).await?;
        let chess = community(&store, &owner, "Chess", false).await?;
        // Bob asked to join Sales (pending) and joined Chess himself.
        let now = Utc::now();
        store.join_community(sales, bob.id, now).await?;
        store.join_community(chess, bob.id, now).await?;
        let before = store.unpublished_events(1000).await?.len();

        let joined = store
            .join_communities_from_directory(
                bob.id,
                vec![
                    "it help".into(),
                    sales.to_string(),
                    "Chess".into(),
                    "No such community".into(),
                ],
                now,
            )
            .await?;
        let mut expected = vec![it_help, sales];
        expected.sort_by_key(|id| id.0);
        assert_eq!(joined, expected);
        for community in [it_help, sales, chess] {
            let membership = store
                .membership(community, bob.id)
                .await?
                .context("membership")?;
            assert_eq!(membership.state, MembershipState::Active);
            assert_eq!(membership.role, CommunityRole::Member);
        }
        assert!(store.membership(social, bob.id).await?.is_none());
        let events = store.unpublished_events(1000).await?;
        let new: Vec<_> = bodies(&events[before..]);
        assert_eq!(new.len(), 2, "{new:?}");
        assert!(new.iter().all(|body| matches!(
            body,
            EventBody::CommunityJoined { account, .. } if *account == bob.id
        )));

        // Again: nothing changes, nothing is announced.
        let again = store
            .join_communities_from_directory(bob.id, vec!["IT Help".into()], now)
            .await?;
        assert!(again.is_empty());
        assert_eq!(store.unpublished_events(1000).await?.len(), events.len());
        Ok(())
    })
    .await
}
