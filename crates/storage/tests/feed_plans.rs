//! The feed queries use indexes, not a sequential scan of `statuses`, on a
//! realistically sized PostgreSQL table (`docs/feeds.md` records the plans).
//!
//! Runs when `HUBBUB_TEST_DATABASE_URL` is set. `HUBBUB_FEED_PLAN_POSTS` sets how
//! many posts are generated (default 200,000; `docs/feeds.md` also used 1,000,000).
//! The plans are printed with `--nocapture`.

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use hubbub_core::ids::{AccountId, CommunityId};
use hubbub_storage::Store;
use hubbub_testkit::database::{DATABASE_URL_ENV, TestDatabase};

/// Generates people, follows, communities, memberships, topics and `posts`
/// posts with `generate_series`, then refreshes the planner's statistics.
/// Account 1 is the viewer: 100 followees, 10 communities, 5 followed topics,
/// and a thread followed every 10,000 posts.
fn generate(url: &str, posts: i64) -> anyhow::Result<()> {
    let mut conn = PgConnection::establish(url).context("connecting to the test database")?;
    conn.batch_execute(&format!(
        "
        INSERT INTO accounts (id, username, username_canonical, display_name, email,
                              password_hash, role, created_at)
        SELECT n, 'u' || n, 'u' || n, '', 'u' || n || '@example.com', 'x', 'member', now()
        FROM generate_series(1, 10000) AS n;

        INSERT INTO follows (follower_id, followee_id, created_at)
        SELECT f, 1 + (f + k * 97) % 10000, now()
        FROM generate_series(1, 10000) AS f, generate_series(1, 100) AS k
        WHERE 1 + (f + k * 97) % 10000 <> f
        ON CONFLICT DO NOTHING;

        INSERT INTO communities (id, name, name_canonical, private, created_by, created_at)
        SELECT c, 'c' || c, 'c' || c, c % 10 = 0, 1, now()
        FROM generate_series(1, 200) AS c;

        INSERT INTO community_members (community_id, account_id, role, state, created_at)
        SELECT 1 + (a * 7 + k * 13) % 200, a, 'member', 'active', now()
        FROM generate_series(1, 10000) AS a, generate_series(1, 10) AS k
        ON CONFLICT DO NOTHING;

        -- Every fourth post replies to the first post of its block of 1,000.
        INSERT INTO statuses (id, account_id, text, created_at, community_id,
                              in_reply_to_id, thread_id)
        SELECT n, 1 + (n::bigint * 7919) % 10000, 'post ' || n, now(),
               CASE WHEN n % 5 = 0 THEN 1 + n % 200 END,
               CASE WHEN n % 4 = 0 THEN n - (n - 1) % 1000 END,
               CASE WHEN n % 4 = 0 THEN n - (n - 1) % 1000 ELSE n END
        FROM generate_series(1, {posts}) AS n;

        INSERT INTO thread_follows (account_id, thread_id, source, created_at)
        SELECT 1, n, 'follow', now() FROM generate_series(1, {posts}, 10000) AS n;

        INSERT INTO tags (name, created_at)
        SELECT 't' || t, now() FROM generate_series(1, 500) AS t;

        INSERT INTO status_tags (status_id, tag_id)
        SELECT n, (SELECT id FROM tags WHERE name = 't' || (1 + n % 500))
        FROM generate_series(3, {posts}, 3) AS n;

        INSERT INTO tag_follows (account_id, tag_id, created_at)
        SELECT 1, id, now() FROM tags WHERE name IN ('t1', 't2', 't3', 't4', 't5');

        ANALYZE;
        "
    ))
    .context("generating feed data")?;
    Ok(())
}

#[tokio::test]
async fn home_topic_and_community_feeds_read_statuses_through_indexes_not_a_sequential_scan()
-> anyhow::Result<()> {
    let Ok(admin) = std::env::var(DATABASE_URL_ENV) else {
        eprintln!("skipped: set {DATABASE_URL_ENV} to check the feed plans on PostgreSQL");
        return Ok(());
    };
    let posts: i64 = std::env::var("HUBBUB_FEED_PLAN_POSTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let database = TestDatabase::postgres(&admin).await?;
    let store = Store::connect(database.url(), 2).await?;
    store.migrate().await?;
    let url = database.url().to_owned();
    tokio::task::spawn_blocking(move || generate(&url, posts)).await??;

    // A community the viewer joined: 1 + (1 * 7 + 1 * 13) % 200 in the generator.
    let joined = CommunityId(21);
    let membership = store.membership(joined, AccountId(1)).await?;
    assert!(membership.is_some_and(|m| m.is_active()));
    let plans = store
        .explain_feeds(AccountId(1), "t3", joined, true)
        .await?;
    assert_eq!(
        plans.len(),
        6,
        "four home branches, the topic and the community feed"
    );
    for (name, plan) in &plans {
        println!("--- {name} ({posts} posts)\n{plan}\n");
        assert!(
            !plan.contains("Seq Scan on statuses"),
            "{name} scans statuses sequentially:\n{plan}"
        );
        assert!(
            !plan.contains("Seq Scan on status_tags"),
            "{name} scans status_tags sequentially:\n{plan}"
        );
        assert!(plan.contains("Index"), "{name} uses no index:\n{plan}");
    }
    // The pages themselves are full and newest first.
    let page = hubbub_core::page::PageRequest::new(None, None, None, Some(20));
    for feed in [
        store.home_timeline(AccountId(1), page).await?,
        store.tag_timeline("t3", Some(AccountId(1)), page).await?,
        store
            .community_timeline(joined, Some(AccountId(1)), page)
            .await?,
    ] {
        assert_eq!(feed.len(), 20);
        assert!(feed.windows(2).all(|pair| pair[0].id > pair[1].id));
    }
    Ok(())
}
