//! Feeds computed on read (fan-out on read; `docs/feeds.md` says why): home,
//! topic and community timelines, and the `EXPLAIN` of their queries.
//!
//! The home feed is a union of *branches*, each a query over live posts with its
//! own `ORDER BY id` and `LIMIT`, so each runs as a short range read on one index.
//! The pages are merged here: the newest `limit` posts of the union are always
//! among the newest `limit` of some branch, so the merge is exact, and a post
//! reached by two branches (a followed person's post in a joined community) is
//! kept once.

use super::statuses::{StatusQuery, load_page};
use super::threads::followed_threads_query;
use super::topics::tag_id;
use super::visibility::visible_to;
use super::*;
use crate::connection::MultiBackend;
use crate::schema::{community_members, follows, status_tags, statuses, tag_follows};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::Text;
use hubbub_core::ids::CommunityId;

/// A named query of the home feed, for the `EXPLAIN` check.
type Branch = (&'static str, StatusQuery<'static>);

/// The home feed of `viewer` as branches, each already restricted to live posts
/// the viewer may see. THE place that decides what "home" means: own posts and
/// followed people, joined communities, followed topics, and threads the viewer
/// takes part in or follows.
fn home_branches(viewer: AccountId) -> Vec<Branch> {
    let live = || {
        statuses::table
            .filter(statuses::deleted_at.is_null())
            .filter(visible_to(Some(viewer)))
            .into_boxed()
    };
    let followees = follows::table
        .filter(follows::follower_id.eq(viewer.0))
        .select(follows::followee_id);
    let people = live().filter(
        statuses::account_id
            .eq(viewer.0)
            .or(statuses::account_id.eq_any(followees)),
    );
    let joined = community_members::table
        .filter(community_members::account_id.eq(viewer.0))
        .filter(community_members::state.eq("active"))
        .select(community_members::community_id.nullable());
    let communities = live().filter(statuses::community_id.eq_any(joined));
    let followed_tags = tag_follows::table
        .filter(tag_follows::account_id.eq(viewer.0))
        .select(tag_follows::tag_id);
    let tagged = status_tags::table
        .filter(status_tags::tag_id.eq_any(followed_tags))
        .select(status_tags::status_id);
    let topics = live().filter(statuses::id.eq_any(tagged));
    vec![
        ("people", people),
        ("communities", communities),
        ("topics", topics),
        ("threads", followed_threads_query(viewer)),
    ]
}

/// The live posts of one topic that `viewer` may see.
fn tag_query(tag: i64, viewer: Option<AccountId>) -> StatusQuery<'static> {
    let tagged = status_tags::table
        .filter(status_tags::tag_id.eq(tag))
        .select(status_tags::status_id);
    statuses::table
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::id.eq_any(tagged))
        .filter(visible_to(viewer))
        .into_boxed()
}

/// The live posts of one community that `viewer` may see.
fn community_query(community: CommunityId, viewer: Option<AccountId>) -> StatusQuery<'static> {
    statuses::table
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::community_id.eq(community.0))
        .filter(visible_to(viewer))
        .into_boxed()
}

impl Store {
    /// Home timeline: own posts, followed people, joined communities, followed
    /// topics and followed threads, newest first, one keyset page, no post twice.
    pub async fn home_timeline(
        &self,
        viewer: AccountId,
        page: PageRequest,
    ) -> Result<Vec<Status>, StorageError> {
        self.run(move |conn| {
            let mut merged: Vec<Status> = Vec::new();
            for (_, branch) in home_branches(viewer) {
                merged.extend(load_page(conn, branch, page)?);
            }
            merged.sort_unstable_by_key(|status| std::cmp::Reverse(status.id));
            merged.dedup_by_key(|status| status.id);
            let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
            if page.ascending() {
                // Reading upwards from min_id: the page is the oldest `limit` above it.
                let skip = merged.len().saturating_sub(limit);
                merged.drain(..skip);
            } else {
                merged.truncate(limit);
            }
            Ok(merged)
        })
        .await
    }

    /// Posts with the topic `tag` (canonical name) that `viewer` may see, newest
    /// first; empty for a topic nobody used.
    pub async fn tag_timeline(
        &self,
        tag: &str,
        viewer: Option<AccountId>,
        page: PageRequest,
    ) -> Result<Vec<Status>, StorageError> {
        let tag = tag.to_owned();
        self.run(move |conn| match tag_id(conn, &tag)? {
            Some(id) => load_page(conn, tag_query(id, viewer), page),
            None => Ok(Vec::new()),
        })
        .await
    }

    /// Posts in `community` that `viewer` may see, newest first. The caller checks
    /// that the viewer may see the community at all (404 otherwise).
    pub async fn community_timeline(
        &self,
        community: CommunityId,
        viewer: Option<AccountId>,
        page: PageRequest,
    ) -> Result<Vec<Status>, StorageError> {
        self.run(move |conn| load_page(conn, community_query(community, viewer), page))
            .await
    }

    /// PostgreSQL's plan (`EXPLAIN`, or `EXPLAIN ANALYZE` with `analyze`) for the
    /// first page of each feed query exactly as the feeds run it: the home
    /// branches of `viewer`, the topic feed of `tag` and the feed of `community`.
    /// Returns (query name, plan text). On SQLite, returns nothing.
    pub async fn explain_feeds(
        &self,
        viewer: AccountId,
        tag: &str,
        community: CommunityId,
        analyze: bool,
    ) -> Result<Vec<(String, String)>, StorageError> {
        if self.backend == Backend::Sqlite {
            return Ok(Vec::new());
        }
        let tag = tag.to_owned();
        self.run(move |conn| {
            let page = PageRequest::new(None, None, None, None);
            let mut queries: Vec<(String, StatusQuery<'static>)> = home_branches(viewer)
                .into_iter()
                .map(|(name, query)| (format!("home/{name}"), query))
                .collect();
            let tag = tag_id(conn, &tag)?.ok_or(StorageError::NotFound { what: "tag" })?;
            queries.push(("tag".to_owned(), tag_query(tag, Some(viewer))));
            queries.push((
                "community".to_owned(),
                community_query(community, Some(viewer)),
            ));
            let mut plans = Vec::new();
            for (name, query) in queries {
                let query = query
                    .order(statuses::id.desc())
                    .limit(page.limit)
                    .select(statuses::id);
                let lines: Vec<String> = Explain { query, analyze }.load(conn)?;
                plans.push((name, lines.join("\n")));
            }
            Ok(plans)
        })
        .await
    }
}

/// `EXPLAIN <query>`: the plan PostgreSQL would use, one line per row.
struct Explain<Q> {
    query: Q,
    analyze: bool,
}

impl<Q> QueryId for Explain<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql(if self.analyze {
            "EXPLAIN (ANALYZE, BUFFERS) "
        } else {
            "EXPLAIN "
        });
        self.query.walk_ast(out.reborrow())
    }
}

impl<Q> diesel::query_builder::Query for Explain<Q> {
    type SqlType = Text;
}

impl<Q> RunQueryDsl<AnyConnection> for Explain<Q> {}
