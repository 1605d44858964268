//! Profiles: editing one's own, counts and relationships for a page of accounts
//! in one query each, followers and following lists, the directory and departments.

use super::*;
use crate::profile::{AvatarKeys, DepartmentCount, DirectoryOrder, ProfileOutcome, ProfileUpdate};
use crate::schema::{accounts, follows};
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use std::collections::HashMap;

diesel::define_sql_function! {
    /// SQL `lower()`, on both backends.
    fn lower(x: Nullable<Text>) -> Nullable<Text>;
}

/// The longest management chain walked when checking for a loop; deeper than
/// any real organisation, and a bound on the work a malicious chain could cause.
const MAX_CHAIN: usize = 1000;

#[derive(diesel::AsChangeset)]
#[diesel(table_name = accounts)]
struct ProfileChangeset<'a> {
    display_name: Option<&'a str>,
    note: Option<&'a str>,
    department: Option<Option<&'a str>>,
    job_title: Option<Option<&'a str>>,
    location: Option<Option<&'a str>>,
    manager_id: Option<Option<i64>>,
    avatar_key: Option<Option<&'a str>>,
    avatar_static_key: Option<Option<&'a str>>,
}

#[derive(diesel::QueryableByName)]
struct CountsRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    statuses: i64,
    #[diesel(sql_type = BigInt)]
    followers: i64,
    #[diesel(sql_type = BigInt)]
    following: i64,
}

#[derive(diesel::QueryableByName)]
struct RelationshipRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Bool)]
    following: bool,
    #[diesel(sql_type = Bool)]
    followed_by: bool,
}

/// `1, 2, 3` for an SQL `IN (...)` list. The ids are integers formatted here,
/// so nothing a client sent reaches the SQL text.
fn id_list(ids: &[AccountId]) -> String {
    ids.iter()
        .map(|id| id.0.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Applies `update` to `account` in one transaction. A manager must exist, must
    /// not be the person and must not report to them, however indirectly;
    /// otherwise nothing changes and the outcome says why.
    pub async fn update_profile(
        &self,
        account: AccountId,
        update: ProfileUpdate,
    ) -> Result<ProfileOutcome, StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let current: Option<AccountRow> = accounts::table
                    .find(account.0)
                    .select(AccountRow::as_select())
                    .first(conn)
                    .optional()?;
                let Some(current) = current else {
                    return Ok(ProfileOutcome::AccountNotFound);
                };
                let current = Account::try_from(current)?;
                if let Some(Some(manager)) = update.manager_id
                    && let Some(problem) = manager_problem(conn, account, manager)?
                {
                    return Ok(problem);
                }
                let changes = ProfileChangeset {
                    display_name: update.display_name.as_deref(),
                    note: update.note.as_deref(),
                    department: update.department.as_ref().map(Option::as_deref),
                    job_title: update.job_title.as_ref().map(Option::as_deref),
                    location: update.location.as_ref().map(Option::as_deref),
                    manager_id: update.manager_id.map(|m| m.map(|id| id.0)),
                    avatar_key: update.avatar.as_ref().map(|keys| Some(keys.full.as_str())),
                    avatar_static_key: update.avatar.as_ref().map(|keys| Some(keys.small.as_str())),
                };
                let nothing_to_change = update.display_name.is_none()
                    && update.note.is_none()
                    && update.department.is_none()
                    && update.job_title.is_none()
                    && update.location.is_none()
                    && update.manager_id.is_none()
                    && update.avatar.is_none();
                if !nothing_to_change {
                    diesel::update(accounts::table.find(account.0))
                        .set(&changes)
                        .execute(conn)?;
                }
                let replaced_avatar = match (
                    &update.avatar,
                    current.avatar_key,
                    current.avatar_static_key,
                ) {
                    (Some(_), Some(full), Some(small)) => Some(AvatarKeys { full, small }),
                    _ => None,
                };
                let account = accounts::table
                    .find(account.0)
                    .select(AccountRow::as_select())
                    .first(conn)?
                    .try_into()?;
                Ok(ProfileOutcome::Updated {
                    account: Box::new(account),
                    replaced_avatar,
                })
            })
        })
        .await
    }

    /// Post, follower and following counts of each account in `ids`, in ONE
    /// query (index lookups per account); missing accounts are left out.
    pub async fn account_counts_many(
        &self,
        ids: &[AccountId],
    ) -> Result<HashMap<AccountId, AccountCounts>, StorageError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT a.id AS id, \
             (SELECT count(*) FROM statuses s WHERE s.account_id = a.id AND s.deleted_at IS NULL) AS statuses, \
             (SELECT count(*) FROM follows f WHERE f.followee_id = a.id) AS followers, \
             (SELECT count(*) FROM follows f WHERE f.follower_id = a.id) AS following \
             FROM accounts a WHERE a.id IN ({})",
            id_list(ids)
        );
        self.run(move |conn| {
            let rows: Vec<CountsRow> = diesel::sql_query(sql).load(conn)?;
            Ok(rows
                .into_iter()
                .map(|row| {
                    (
                        AccountId(row.id),
                        AccountCounts {
                            statuses: row.statuses,
                            followers: row.followers,
                            following: row.following,
                        },
                    )
                })
                .collect())
        })
        .await
    }

    /// How `viewer` relates to each existing account in `others`, in ONE query;
    /// ids of accounts that do not exist are left out.
    pub async fn relationships(
        &self,
        viewer: AccountId,
        others: &[AccountId],
    ) -> Result<HashMap<AccountId, Relationship>, StorageError> {
        if others.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT a.id AS id, \
             EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = {viewer} AND f.followee_id = a.id) AS following, \
             EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = a.id AND f.followee_id = {viewer}) AS followed_by \
             FROM accounts a WHERE a.id IN ({})",
            id_list(others),
            viewer = viewer.0,
        );
        self.run(move |conn| {
            let rows: Vec<RelationshipRow> = diesel::sql_query(sql).load(conn)?;
            Ok(rows
                .into_iter()
                .map(|row| {
                    (
                        AccountId(row.id),
                        Relationship {
                            following: row.following,
                            followed_by: row.followed_by,
                        },
                    )
                })
                .collect())
        })
        .await
    }

    /// People following `account`, one keyset page over their account ids,
    /// highest id first.
    pub async fn followers(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> Result<Vec<Account>, StorageError> {
        self.run(move |conn| {
            let edges = follows::table
                .filter(follows::followee_id.eq(account.0))
                .select(follows::follower_id);
            let query = accounts::table
                .filter(accounts::id.eq_any(edges))
                .into_boxed();
            load_account_page(conn, query, page)
        })
        .await
    }

    /// People `account` follows, one keyset page over their account ids.
    pub async fn following(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> Result<Vec<Account>, StorageError> {
        self.run(move |conn| {
            let edges = follows::table
                .filter(follows::follower_id.eq(account.0))
                .select(follows::followee_id);
            let query = accounts::table
                .filter(accounts::id.eq_any(edges))
                .into_boxed();
            load_account_page(conn, query, page)
        })
        .await
    }

    /// The directory: enabled accounts, optionally of one department (ignoring
    /// case), by recent activity or newest first, `limit` from `offset`.
    pub async fn directory(
        &self,
        department: Option<String>,
        order: DirectoryOrder,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Account>, StorageError> {
        self.run(move |conn| {
            let mut query = accounts::table
                .filter(accounts::disabled.eq(false))
                .into_boxed();
            if let Some(department) = department {
                query = query
                    .filter(lower(accounts::department).eq(Some(department.trim().to_lowercase())));
            }
            query = match order {
                // The newest live post per author comes from the (account_id, id)
                // partial index; people who never posted sort last.
                DirectoryOrder::Active => query
                    .order(
                        diesel::dsl::sql::<BigInt>(
                            "COALESCE((SELECT max(s.id) FROM statuses s \
                             WHERE s.account_id = accounts.id AND s.deleted_at IS NULL), 0)",
                        )
                        .desc(),
                    )
                    .then_order_by(accounts::id.desc()),
                DirectoryOrder::New => query.order(accounts::id.desc()),
            };
            query
                .select(AccountRow::as_select())
                .offset(offset)
                .limit(limit)
                .load(conn)?
                .into_iter()
                .map(Account::try_from)
                .collect()
        })
        .await
    }

    /// Departments of enabled accounts with how many people each has, by name;
    /// spellings that differ only in case count as one department.
    pub async fn departments(&self) -> Result<Vec<DepartmentCount>, StorageError> {
        self.run(move |conn| {
            let rows: Vec<(Option<String>, i64)> = accounts::table
                .filter(accounts::disabled.eq(false))
                .filter(accounts::department.is_not_null())
                .group_by(lower(accounts::department))
                .select((
                    diesel::dsl::min(accounts::department),
                    diesel::dsl::count_star(),
                ))
                .load(conn)?;
            // One row per department: sorting them here costs nothing.
            let mut departments: Vec<DepartmentCount> = rows
                .into_iter()
                .filter_map(|(name, accounts)| {
                    Some(DepartmentCount {
                        name: name?,
                        accounts,
                    })
                })
                .collect();
            departments.sort_by_cached_key(|department| department.name.to_lowercase());
            Ok(departments)
        })
        .await
    }

    /// Accounts whose username, display name (or a word of it) or department
    /// starts with `query`, ignoring case; enabled accounts only, by username.
    pub async fn search_accounts(
        &self,
        query: String,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Account>, StorageError> {
        let needle = like_escape(&query.trim().trim_start_matches('@').to_lowercase());
        let prefix = format!("{needle}%");
        let word_prefix = format!("% {needle}%");
        self.run(move |conn| {
            accounts::table
                .filter(accounts::disabled.eq(false))
                .filter(
                    accounts::username_canonical
                        .like(prefix.clone())
                        .escape('\\')
                        .nullable()
                        .or(lower(accounts::display_name.nullable())
                            .like(prefix.clone())
                            .escape('\\'))
                        .or(lower(accounts::display_name.nullable())
                            .like(word_prefix)
                            .escape('\\'))
                        .or(lower(accounts::department).like(prefix).escape('\\')),
                )
                .order(accounts::username_canonical.asc())
                .select(AccountRow::as_select())
                .offset(offset)
                .limit(limit)
                .load(conn)?
                .into_iter()
                .map(Account::try_from)
                .collect()
        })
        .await
    }
}

/// Escapes LIKE's wildcards so that what a person typed matches literally.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Why `manager` cannot be `account`'s manager, if it cannot: it does not exist,
/// it is the person, or following its chain of managers leads back to the person.
fn manager_problem(
    conn: &mut AnyConnection,
    account: AccountId,
    manager: AccountId,
) -> Result<Option<ProfileOutcome>, StorageError> {
    if manager == account {
        return Ok(Some(ProfileOutcome::ManagerCycle));
    }
    let mut next: Option<Option<i64>> = accounts::table
        .find(manager.0)
        .select(accounts::manager_id)
        .first(conn)
        .optional()?;
    if next.is_none() {
        return Ok(Some(ProfileOutcome::ManagerNotFound));
    }
    for _ in 0..MAX_CHAIN {
        match next {
            Some(Some(above)) if above == account.0 => {
                return Ok(Some(ProfileOutcome::ManagerCycle));
            }
            Some(Some(above)) => {
                next = accounts::table
                    .find(above)
                    .select(accounts::manager_id)
                    .first(conn)
                    .optional()?;
            }
            _ => return Ok(None),
        }
    }
    // A chain this long is itself a loop that does not pass through the person,
    // or absurd; refuse rather than extend it.
    Ok(Some(ProfileOutcome::ManagerCycle))
}

/// A boxed query over accounts, before paging.
type AccountQuery<'a> = accounts::BoxedQuery<'a, crate::connection::MultiBackend>;

/// Applies a keyset page over account ids (newest first; `min_id` reads upwards
/// and is reversed), as timelines do over post ids.
fn load_account_page(
    conn: &mut AnyConnection,
    mut query: AccountQuery<'_>,
    page: PageRequest,
) -> Result<Vec<Account>, StorageError> {
    if let Some(max_id) = page.max_id {
        query = query.filter(accounts::id.lt(max_id));
    }
    if let Some(lower) = page.lower_bound() {
        query = query.filter(accounts::id.gt(lower));
    }
    query = if page.ascending() {
        query.order(accounts::id.asc())
    } else {
        query.order(accounts::id.desc())
    };
    let mut rows: Vec<AccountRow> = query
        .select(AccountRow::as_select())
        .limit(page.limit)
        .load(conn)?;
    if page.ascending() {
        rows.reverse();
    }
    rows.into_iter().map(Account::try_from).collect()
}
