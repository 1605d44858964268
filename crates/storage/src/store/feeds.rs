//! Feeds computed on read (fan-out on read; `docs/feeds.md` says why): home,
//! topic and community timelines, and the `EXPLAIN` of their queries.
//!
//! The home feed is a union of *branches*, each a query over live posts with its
//! own `ORDER BY id` and `LIMIT`, so each runs as a short range read on one index.
//! The pages are merged here: the newest `limit` posts of the union are always
//! among the newest `limit` of some branch, so the merge is exact, and a post
//! reached by two branches (a followed person's post in a joined community) is
//! kept once.
//!
//! The people branch walks the newest posts and keeps the followed people's: they
//! are dense among recent posts. Communities, topics and threads are sparse, so
//! walking the newest posts for them can read the whole table (a viewer in one
//! quiet community); their branches read each member's own index range instead.
//! On PostgreSQL that is one `LATERAL` join over the viewer's members, each with
//! its own `LIMIT`; on SQLite, one query over the listed members.

use super::statuses::{StatusQuery, in_page, load_page, newest_first};
use super::topics::tag_id;
use super::visibility::visible_to;
use super::*;
use crate::connection::MultiBackend;
use crate::rows::StatusRow;
use crate::schema::{
    community_members, follows, status_tags, statuses, tag_follows, thread_follows,
};
use diesel::dsl::sql;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Nullable, Text};
use hubbub_core::ids::CommunityId;

/// Live posts `viewer` may see: where every home branch starts.
fn live(viewer: AccountId) -> StatusQuery<'static> {
    statuses::table
        .filter(statuses::deleted_at.is_null())
        .filter(visible_to(Some(viewer)))
        .into_boxed()
}

/// The people branch: the viewer's own posts and those of people they follow.
fn people_query(viewer: AccountId) -> StatusQuery<'static> {
    let followees = follows::table
        .filter(follows::follower_id.eq(viewer.0))
        .select(follows::followee_id);
    live(viewer).filter(
        statuses::account_id
            .eq(viewer.0)
            .or(statuses::account_id.eq_any(followees)),
    )
}

/// A sparse source of the home feed, read member by member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Communities the viewer is an active member of.
    Communities,
    /// Topics the viewer follows.
    Topics,
    /// Threads the viewer takes part in or follows.
    Threads,
}

impl Source {
    const ALL: [Source; 3] = [Source::Communities, Source::Topics, Source::Threads];

    /// The branch's name in the `EXPLAIN` output.
    fn name(self) -> &'static str {
        match self {
            Source::Communities => "communities",
            Source::Topics => "topics",
            Source::Threads => "threads",
        }
    }

    /// The ids of the viewer's members of this source. THE place that decides
    /// what home means, with [`people_query`]: joined communities (active
    /// membership), followed topics, threads taken part in or followed.
    fn members(self, conn: &mut AnyConnection, viewer: AccountId) -> QueryResult<Vec<i64>> {
        match self {
            Source::Communities => community_members::table
                .filter(community_members::account_id.eq(viewer.0))
                .filter(community_members::state.eq("active"))
                .select(community_members::community_id)
                .load(conn),
            Source::Topics => tag_follows::table
                .filter(tag_follows::account_id.eq(viewer.0))
                .select(tag_follows::tag_id)
                .load(conn),
            Source::Threads => thread_follows::table
                .filter(thread_follows::account_id.eq(viewer.0))
                .select(thread_follows::thread_id)
                .load(conn),
        }
    }

    /// Live posts the viewer may see from `members` of this source.
    fn query(self, viewer: AccountId, members: Members) -> StatusQuery<'static> {
        let query = live(viewer);
        match (self, members) {
            (Source::Communities, Members::Listed(ids)) => {
                query.filter(statuses::community_id.eq_any(ids))
            }
            (Source::Communities, Members::Lateral) => {
                query.filter(statuses::community_id.eq(sql::<Nullable<BigInt>>(LATERAL_MEMBER)))
            }
            (Source::Topics, Members::Listed(ids)) => query.filter(
                statuses::id.eq_any(
                    status_tags::table
                        .filter(status_tags::tag_id.eq_any(ids))
                        .select(status_tags::status_id),
                ),
            ),
            (Source::Topics, Members::Lateral) => query.filter(
                statuses::id.eq_any(
                    status_tags::table
                        .filter(status_tags::tag_id.eq(sql::<BigInt>(LATERAL_MEMBER)))
                        .select(status_tags::status_id),
                ),
            ),
            (Source::Threads, Members::Listed(ids)) => {
                query.filter(statuses::thread_id.eq_any(ids))
            }
            (Source::Threads, Members::Lateral) => {
                query.filter(statuses::thread_id.eq(sql::<BigInt>(LATERAL_MEMBER)))
            }
        }
    }
}

/// Which members of a source a branch query reads.
enum Members {
    /// These ids, as values of the query.
    Listed(Vec<i64>),
    /// The current member of the `LATERAL` join ([`PerMember`]).
    Lateral,
}

/// The column a `LATERAL` branch query reads its member from.
const LATERAL_MEMBER: &str = "home_member.id";

/// One page of a source's branch: nothing when the viewer has no members in it,
/// one `LATERAL` query over the members on PostgreSQL, one listed query on SQLite.
fn source_page(
    conn: &mut AnyConnection,
    backend: Backend,
    source: Source,
    viewer: AccountId,
    page: PageRequest,
) -> Result<Vec<Status>, StorageError> {
    let members = source.members(conn, viewer)?;
    if members.is_empty() {
        return Ok(Vec::new());
    }
    match backend {
        Backend::Postgres => load_per_member(conn, source, viewer, &members, page),
        Backend::Sqlite => load_page(conn, source.query(viewer, Members::Listed(members)), page),
    }
}

/// `branch` run once per member on PostgreSQL, each run with its own page
/// LIMIT on the member's index range, and the union cut to one page.
fn load_per_member(
    conn: &mut AnyConnection,
    source: Source,
    viewer: AccountId,
    members: &[i64],
    page: PageRequest,
) -> Result<Vec<Status>, StorageError> {
    let rows: Vec<StatusRow> = per_member(source, viewer, members, page).load(conn)?;
    Ok(newest_first(rows, page))
}

/// The [`PerMember`] query of one source and page.
fn per_member(
    source: Source,
    viewer: AccountId,
    members: &[i64],
    page: PageRequest,
) -> PerMember<impl QueryFragment<MultiBackend> + Query<SqlType = StatusRowSql>> {
    let branch = in_page(source.query(viewer, Members::Lateral), page)
        .select(StatusRow::as_select())
        .limit(page.limit);
    PerMember {
        members: members.to_vec(),
        branch,
        ascending: page.ascending(),
        limit: page.limit,
    }
}

/// The SQL type of a selected [`StatusRow`].
type StatusRowSql = diesel::dsl::AsSelect<StatusRow, MultiBackend>;

/// `SELECT home_page.* FROM (VALUES (m1), (m2), ...) AS home_member (id)
/// CROSS JOIN LATERAL (<branch>) AS home_page ORDER BY home_page.id LIMIT n`:
/// PostgreSQL reads each member's newest posts with one short index range scan.
struct PerMember<Q> {
    members: Vec<i64>,
    branch: Q,
    ascending: bool,
    limit: i64,
}

impl<Q> QueryId for PerMember<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for PerMember<Q> {
    type SqlType = Q::SqlType;
}

impl<Q> RunQueryDsl<AnyConnection> for PerMember<Q> {}

impl<Q: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for PerMember<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("SELECT home_page.* FROM (VALUES ");
        for (i, member) in self.members.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            // Ids read from the database a moment ago: integers, not input.
            out.push_sql(&format!("({member}::bigint)"));
        }
        out.push_sql(") AS home_member (id) CROSS JOIN LATERAL (");
        self.branch.walk_ast(out.reborrow())?;
        out.push_sql(if self.ascending {
            ") AS home_page ORDER BY home_page.id ASC LIMIT "
        } else {
            ") AS home_page ORDER BY home_page.id DESC LIMIT "
        });
        out.push_bind_param::<BigInt, _>(&self.limit)?;
        Ok(())
    }
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
        let backend = self.backend;
        self.run(move |conn| {
            let mut merged = load_page(conn, people_query(viewer), page)?;
            for source in Source::ALL {
                merged.extend(source_page(conn, backend, source, viewer, page)?);
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

    /// The newest posts of the threads `viewer` follows or takes part in, newest
    /// first, one keyset page (the home feed's threads branch on its own).
    pub async fn threads_timeline(
        &self,
        viewer: AccountId,
        page: PageRequest,
    ) -> Result<Vec<Status>, StorageError> {
        let backend = self.backend;
        self.run(move |conn| source_page(conn, backend, Source::Threads, viewer, page))
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
            let first_page = |query: StatusQuery<'static>| {
                in_page(query, page)
                    .select(StatusRow::as_select())
                    .limit(page.limit)
            };
            let mut plans = vec![explain(
                conn,
                "home/people",
                first_page(people_query(viewer)),
                analyze,
            )?];
            for source in Source::ALL {
                let members = source.members(conn, viewer)?;
                if !members.is_empty() {
                    let name = format!("home/{}", source.name());
                    let query = per_member(source, viewer, &members, page);
                    plans.push(explain(conn, &name, query, analyze)?);
                }
            }
            let tag = tag_id(conn, &tag)?.ok_or(StorageError::NotFound { what: "tag" })?;
            plans.push(explain(
                conn,
                "tag",
                first_page(tag_query(tag, Some(viewer))),
                analyze,
            )?);
            plans.push(explain(
                conn,
                "community",
                first_page(community_query(community, Some(viewer))),
                analyze,
            )?);
            Ok(plans)
        })
        .await
    }
}

/// The plan of `query` as (name, plan text).
fn explain<Q: QueryFragment<MultiBackend>>(
    conn: &mut AnyConnection,
    name: &str,
    query: Q,
    analyze: bool,
) -> Result<(String, String), StorageError> {
    let lines: Vec<String> = Explain { query, analyze }.load(conn)?;
    Ok((name.to_owned(), lines.join("\n")))
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

impl<Q> Query for Explain<Q> {
    type SqlType = Text;
}

impl<Q> RunQueryDsl<AnyConnection> for Explain<Q> {}
