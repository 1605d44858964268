//! Reports, moderation actions and their audit log.

use super::statuses::mark_deleted;
use super::visibility::visible_to;
use super::*;
use crate::moderation::{
    Audit, ModerationAction, ModerationKind, ModerationScope, NewModerationAction, NewReport,
    Report, ReportFilter,
};
use crate::schema::{
    access_tokens, accounts, community_members, moderation_actions, report_statuses, reports,
    statuses, web_sessions,
};
use hubbub_core::ids::{CommunityId, ModerationActionId, ReportId};
use std::collections::HashMap;

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = reports, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct ReportRow {
    id: i64,
    account_id: i64,
    target_account_id: i64,
    community_id: Option<i64>,
    category: String,
    comment: String,
    action_taken_at: Option<NaiveDateTime>,
    action_taken_by: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl ReportRow {
    fn into_report(self, status_ids: Vec<StatusId>) -> Report {
        Report {
            id: ReportId(self.id),
            account_id: AccountId(self.account_id),
            target_account_id: AccountId(self.target_account_id),
            community_id: self.community_id.map(CommunityId),
            category: self.category,
            comment: self.comment,
            status_ids,
            action_taken_at: self.action_taken_at.map(|at| at.and_utc()),
            action_taken_by: self.action_taken_by.map(AccountId),
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        }
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = reports)]
struct ReportInsertForm<'a> {
    id: i64,
    account_id: i64,
    target_account_id: i64,
    community_id: Option<i64>,
    category: &'a str,
    comment: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = report_statuses)]
struct ReportStatusInsertForm {
    report_id: i64,
    status_id: i64,
}

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = moderation_actions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct ActionRow {
    id: i64,
    actor_id: i64,
    action: String,
    target_account_id: Option<i64>,
    target_status_id: Option<i64>,
    report_id: Option<i64>,
    community_id: Option<i64>,
    reason: String,
    created_at: NaiveDateTime,
}

impl TryFrom<ActionRow> for ModerationAction {
    type Error = StorageError;

    fn try_from(row: ActionRow) -> Result<Self, StorageError> {
        let kind = ModerationKind::parse(&row.action).ok_or_else(|| {
            StorageError::Corrupt(format!("moderation action {}: {}", row.id, row.action))
        })?;
        Ok(Self {
            id: ModerationActionId(row.id),
            actor_id: AccountId(row.actor_id),
            kind,
            target_account_id: row.target_account_id.map(AccountId),
            target_status_id: row.target_status_id.map(StatusId),
            report_id: row.report_id.map(ReportId),
            community_id: row.community_id.map(CommunityId),
            reason: row.reason,
            created_at: row.created_at.and_utc(),
        })
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = moderation_actions)]
struct ActionInsertForm<'a> {
    id: i64,
    actor_id: i64,
    action: &'a str,
    target_account_id: Option<i64>,
    target_status_id: Option<i64>,
    report_id: Option<i64>,
    community_id: Option<i64>,
    reason: &'a str,
    created_at: NaiveDateTime,
}

/// Communities `account` is an active admin of, as a subquery (a macro: the
/// subquery's diesel type is too long to spell).
macro_rules! administered_by {
    ($account:expr) => {
        community_members::table
            .filter(community_members::account_id.eq($account.0))
            .filter(community_members::role.eq("admin"))
            .filter(community_members::state.eq("active"))
            .select(community_members::community_id.nullable())
    };
}

/// The reported post ids of each report, in one query.
fn load_status_ids(
    conn: &mut AnyConnection,
    report_ids: &[i64],
) -> Result<HashMap<i64, Vec<StatusId>>, StorageError> {
    let mut by_report: HashMap<i64, Vec<StatusId>> = HashMap::new();
    if report_ids.is_empty() {
        return Ok(by_report);
    }
    let pairs: Vec<(i64, i64)> = report_statuses::table
        .filter(report_statuses::report_id.eq_any(report_ids))
        .order((report_statuses::report_id, report_statuses::status_id))
        .select((report_statuses::report_id, report_statuses::status_id))
        .load(conn)?;
    for (report, status) in pairs {
        by_report.entry(report).or_default().push(StatusId(status));
    }
    Ok(by_report)
}

fn load_report(conn: &mut AnyConnection, id: ReportId) -> Result<Option<Report>, StorageError> {
    let Some(row) = reports::table
        .find(id.0)
        .select(ReportRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let mut status_ids = load_status_ids(conn, &[row.id])?;
    let ids = status_ids.remove(&row.id).unwrap_or_default();
    Ok(Some(row.into_report(ids)))
}

impl Store {
    /// Files a report. The target must exist (else `NotFound { what: "account_id" }`)
    /// and every post must be a live post of the target that the reporter may see
    /// (else `NotFound { what: "status_ids" }`); nothing is written otherwise.
    pub async fn create_report(&self, report: NewReport) -> Result<Report, StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let target_exists = accounts::table
                    .find(report.target_account_id.0)
                    .count()
                    .get_result::<i64>(conn)?
                    > 0;
                if !target_exists {
                    return Err(StorageError::NotFound { what: "account_id" });
                }
                let mut wanted: Vec<i64> = report.status_ids.iter().map(|id| id.0).collect();
                wanted.sort_unstable();
                wanted.dedup();
                let found: Vec<(i64, Option<i64>)> = if wanted.is_empty() {
                    Vec::new()
                } else {
                    statuses::table
                        .filter(statuses::id.eq_any(&wanted))
                        .filter(statuses::account_id.eq(report.target_account_id.0))
                        .filter(statuses::deleted_at.is_null())
                        .filter(visible_to(Some(report.account_id)))
                        .select((statuses::id, statuses::community_id))
                        .load(conn)?
                };
                if found.len() != wanted.len() {
                    return Err(StorageError::NotFound { what: "status_ids" });
                }
                // One community for all reported posts: its admins may handle it.
                let community_id = match found.split_first() {
                    Some((first, rest)) if rest.iter().all(|(_, c)| *c == first.1) => first.1,
                    _ => None,
                };
                let created_at = to_db(report.created_at);
                diesel::insert_into(reports::table)
                    .values(&ReportInsertForm {
                        id: report.id.0,
                        account_id: report.account_id.0,
                        target_account_id: report.target_account_id.0,
                        community_id,
                        category: &report.category,
                        comment: &report.comment,
                        created_at,
                        updated_at: created_at,
                    })
                    .execute(conn)?;
                for status_id in &wanted {
                    diesel::insert_into(report_statuses::table)
                        .values(&ReportStatusInsertForm {
                            report_id: report.id.0,
                            status_id: *status_id,
                        })
                        .execute(conn)?;
                }
                load_report(conn, report.id)?.ok_or(StorageError::NotFound { what: "report" })
            })
        })
        .await
    }

    /// One report.
    pub async fn report(&self, id: ReportId) -> Result<Option<Report>, StorageError> {
        self.run(move |conn| load_report(conn, id)).await
    }

    /// One page of reports, newest first, with their post ids in one more query.
    pub async fn reports(
        &self,
        filter: ReportFilter,
        page: PageRequest,
    ) -> Result<Vec<Report>, StorageError> {
        self.run(move |conn| {
            let mut query = reports::table.into_boxed();
            if let ModerationScope::CommunitiesOf(admin) = filter.scope {
                query = query.filter(reports::community_id.eq_any(administered_by!(admin)));
            }
            match filter.resolved {
                Some(true) => query = query.filter(reports::action_taken_at.is_not_null()),
                Some(false) => query = query.filter(reports::action_taken_at.is_null()),
                None => {}
            }
            if let Some(account) = filter.account_id {
                query = query.filter(reports::account_id.eq(account.0));
            }
            if let Some(target) = filter.target_account_id {
                query = query.filter(reports::target_account_id.eq(target.0));
            }
            if let Some(max_id) = page.max_id {
                query = query.filter(reports::id.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(reports::id.gt(lower));
            }
            query = if page.ascending() {
                query.order(reports::id.asc())
            } else {
                query.order(reports::id.desc())
            };
            let mut rows: Vec<ReportRow> = query
                .select(ReportRow::as_select())
                .limit(page.limit)
                .load(conn)?;
            if page.ascending() {
                rows.reverse();
            }
            let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
            let mut status_ids = load_status_ids(conn, &ids)?;
            Ok(rows
                .into_iter()
                .map(|row| {
                    let ids = status_ids.remove(&row.id).unwrap_or_default();
                    row.into_report(ids)
                })
                .collect())
        })
        .await
    }

    /// Whether `account` is an active admin of `community`.
    pub async fn is_community_admin(
        &self,
        account: AccountId,
        community: CommunityId,
    ) -> Result<bool, StorageError> {
        self.run(move |conn| {
            Ok(community_members::table
                .find((community.0, account.0))
                .filter(community_members::role.eq("admin"))
                .filter(community_members::state.eq("active"))
                .count()
                .get_result::<i64>(conn)?
                > 0)
        })
        .await
    }

    /// A post by id whether or not it is deleted, ignoring the visibility rule:
    /// for moderators deciding on a report, never for feeds.
    pub async fn statuses_for_moderation(
        &self,
        ids: &[StatusId],
    ) -> Result<Vec<Status>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        self.run(move |conn| {
            let rows: Vec<StatusRow> = statuses::table
                .filter(statuses::id.eq_any(ids))
                .order(statuses::id.desc())
                .select(StatusRow::as_select())
                .load(conn)?;
            Ok(rows.into_iter().map(Status::from).collect())
        })
        .await
    }

    /// Carries out a moderation action and logs it, in one transaction:
    ///
    /// - `RemoveStatus`: the post is soft-deleted through the one delete path (its
    ///   `StatusDeleted` event included); its author and community are logged.
    /// - `Suspend`: the account is disabled, every live token revoked with a
    ///   `TokenRevoked` event each (so open streams end) and its browser sessions
    ///   ended. `Unsuspend` enables it again. `Warn` only logs.
    /// - `ResolveReport` / `ReopenReport` change the report; any other action with a
    ///   `report_id` resolves that report too.
    ///
    /// A missing target is `NotFound` naming it, and nothing is written.
    pub async fn apply_moderation(
        &self,
        action: NewModerationAction,
    ) -> Result<ModerationAction, StorageError> {
        self.run(move |conn| write_transaction(conn, |conn| apply(conn, action)))
            .await
    }

    /// One page of the audit log, newest first.
    pub async fn moderation_log(
        &self,
        scope: ModerationScope,
        page: PageRequest,
    ) -> Result<Vec<ModerationAction>, StorageError> {
        self.run(move |conn| {
            let mut query = moderation_actions::table.into_boxed();
            if let ModerationScope::CommunitiesOf(admin) = scope {
                query =
                    query.filter(moderation_actions::community_id.eq_any(administered_by!(admin)));
            }
            load_actions(conn, query, page)
        })
        .await
    }

    /// The moderation notices of one account (warnings, removed posts,
    /// suspensions), newest first.
    pub async fn moderation_notices(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> Result<Vec<ModerationAction>, StorageError> {
        self.run(move |conn| {
            let kinds: Vec<&str> = [
                ModerationKind::RemoveStatus,
                ModerationKind::Warn,
                ModerationKind::Suspend,
                ModerationKind::Unsuspend,
            ]
            .into_iter()
            .map(ModerationKind::as_str)
            .collect();
            let query = moderation_actions::table
                .filter(moderation_actions::target_account_id.eq(account.0))
                .filter(moderation_actions::action.eq_any(kinds))
                .into_boxed();
            load_actions(conn, query, page)
        })
        .await
    }
}

type ActionQuery<'a> = moderation_actions::BoxedQuery<'a, crate::connection::MultiBackend>;

fn load_actions(
    conn: &mut AnyConnection,
    mut query: ActionQuery<'_>,
    page: PageRequest,
) -> Result<Vec<ModerationAction>, StorageError> {
    if let Some(max_id) = page.max_id {
        query = query.filter(moderation_actions::id.lt(max_id));
    }
    if let Some(lower) = page.lower_bound() {
        query = query.filter(moderation_actions::id.gt(lower));
    }
    query = if page.ascending() {
        query.order(moderation_actions::id.asc())
    } else {
        query.order(moderation_actions::id.desc())
    };
    let mut rows: Vec<ActionRow> = query
        .select(ActionRow::as_select())
        .limit(page.limit)
        .load(conn)?;
    if page.ascending() {
        rows.reverse();
    }
    rows.into_iter().map(ModerationAction::try_from).collect()
}

fn apply(
    conn: &mut AnyConnection,
    action: NewModerationAction,
) -> Result<ModerationAction, StorageError> {
    let now = to_db(action.created_at);
    let mut target_account = action.target_account_id;
    let mut community = None;
    let report = match action.report_id {
        Some(id) => Some(load_report(conn, id)?.ok_or(StorageError::NotFound { what: "report" })?),
        None => None,
    };
    if let Some(report) = &report {
        community = report.community_id;
        target_account = target_account.or(Some(report.target_account_id));
    }
    match action.kind {
        ModerationKind::RemoveStatus => {
            let status = action
                .target_status_id
                .ok_or(StorageError::NotFound { what: "status" })?;
            let (author, status_community) = mark_deleted(conn, status, now)?
                .ok_or(StorageError::NotFound { what: "status" })?;
            target_account = Some(author);
            community = status_community;
        }
        ModerationKind::Warn => {
            require_account(conn, target_account)?;
        }
        ModerationKind::Suspend | ModerationKind::Unsuspend => {
            let account = require_account(conn, target_account)?;
            set_disabled(conn, account, action.kind == ModerationKind::Suspend, now)?;
        }
        ModerationKind::ResolveReport | ModerationKind::ReopenReport => {
            if report.is_none() {
                return Err(StorageError::NotFound { what: "report" });
            }
        }
        // Administration is carried out by its own store method, in the same
        // transaction (see `log_audit`); here it is only logged.
        ModerationKind::CreateAccount
        | ModerationKind::ResetPassword
        | ModerationKind::ExportAccount
        | ModerationKind::SetRole => {
            require_account(conn, target_account)?;
        }
        ModerationKind::ImportAccounts | ModerationKind::ExportAll => {}
    }
    if let Some(report) = &report {
        let resolved = action.kind != ModerationKind::ReopenReport;
        diesel::update(reports::table.find(report.id.0))
            .set((
                reports::action_taken_at.eq(resolved.then_some(now)),
                reports::action_taken_by.eq(resolved.then_some(action.actor_id.0)),
                reports::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(moderation_actions::table)
        .values(&ActionInsertForm {
            id: action.id.0,
            actor_id: action.actor_id.0,
            action: action.kind.as_str(),
            target_account_id: target_account.map(|id| id.0),
            target_status_id: action.target_status_id.map(|id| id.0),
            report_id: action.report_id.map(|id| id.0),
            community_id: community.map(|id| id.0),
            reason: &action.reason,
            created_at: now,
        })
        .execute(conn)?;
    Ok(ModerationAction {
        id: action.id,
        actor_id: action.actor_id,
        kind: action.kind,
        target_account_id: target_account,
        target_status_id: action.target_status_id,
        report_id: action.report_id,
        community_id: community,
        reason: action.reason,
        created_at: now.and_utc(),
    })
}

fn require_account(
    conn: &mut AnyConnection,
    account: Option<AccountId>,
) -> Result<AccountId, StorageError> {
    let missing = StorageError::NotFound { what: "account" };
    let account = account.ok_or(StorageError::NotFound { what: "account" })?;
    let exists = accounts::table
        .find(account.0)
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists { Ok(account) } else { Err(missing) }
}

/// Disables or enables an account; disabling ends its sign-ins (see
/// [`end_sign_ins`]). Returns whether the account exists. Suspension and the
/// `hubbub admin disable` command both come here.
pub(super) fn set_disabled(
    conn: &mut AnyConnection,
    account: AccountId,
    disabled: bool,
    now: NaiveDateTime,
) -> Result<bool, StorageError> {
    let found = diesel::update(accounts::table.find(account.0))
        .set(accounts::disabled.eq(disabled))
        .execute(conn)?
        > 0;
    if found && disabled {
        end_sign_ins(conn, account, now)?;
    }
    Ok(found)
}

/// Logs an administrative change in the caller's transaction, when an
/// account acts (`audit` is `None` from the command line).
pub(super) fn log_audit(
    conn: &mut AnyConnection,
    audit: Option<Audit>,
    kind: ModerationKind,
    target: Option<AccountId>,
    reason: String,
) -> Result<(), StorageError> {
    if let Some(audit) = audit {
        apply(
            conn,
            NewModerationAction {
                id: audit.id,
                actor_id: audit.actor_id,
                kind,
                target_account_id: target,
                target_status_id: None,
                report_id: None,
                reason,
                created_at: audit.at,
            },
        )?;
    }
    Ok(())
}

/// Revokes every live token of `account` (a `TokenRevoked` event each, so the
/// gateway closes its streams) and ends its browser sessions, so no new token
/// can be issued from a session opened before. Returns how many tokens went.
pub(super) fn end_sign_ins(
    conn: &mut AnyConnection,
    account: AccountId,
    now: NaiveDateTime,
) -> Result<usize, StorageError> {
    let live: Vec<String> = access_tokens::table
        .filter(access_tokens::account_id.eq(account.0))
        .filter(access_tokens::revoked_at.is_null())
        .filter(
            access_tokens::expires_at
                .is_null()
                .or(access_tokens::expires_at.gt(now)),
        )
        .select(access_tokens::id)
        .load(conn)?;
    diesel::update(access_tokens::table.filter(access_tokens::id.eq_any(&live)))
        .set(access_tokens::revoked_at.eq(now))
        .execute(conn)?;
    let revoked = live.len();
    for token_id in live {
        append_event(conn, &EventBody::TokenRevoked { token_id }, now)?;
    }
    diesel::update(
        web_sessions::table
            .filter(web_sessions::account_id.eq(account.0))
            .filter(web_sessions::revoked_at.is_null()),
    )
    .set(web_sessions::revoked_at.eq(now))
    .execute(conn)?;
    Ok(revoked)
}

impl Store {
    /// Whether `account` is an active admin of any community.
    pub async fn administers_any_community(
        &self,
        account: AccountId,
    ) -> Result<bool, StorageError> {
        self.run(move |conn| Ok(administered_by!(account).count().get_result::<i64>(conn)? > 0))
            .await
    }

    /// Changes an account's role, with a `RoleChanged` event so open help-desk
    /// streams of demoted staff end; with `audit` (an admin through the API),
    /// logged as `set_role` naming the new role.
    pub async fn set_role(
        &self,
        account: AccountId,
        role: hubbub_core::role::Role,
        audit: Option<Audit>,
    ) -> Result<bool, StorageError> {
        let now = to_db(Utc::now());
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let updated = diesel::update(accounts::table.find(account.0))
                    .set(accounts::role.eq(role.as_str()))
                    .execute(conn)?;
                if updated == 1 {
                    append_event(conn, &EventBody::RoleChanged { account, role }, now)?;
                    log_audit(
                        conn,
                        audit,
                        ModerationKind::SetRole,
                        Some(account),
                        role.as_str().to_owned(),
                    )?;
                }
                Ok(updated == 1)
            })
        })
        .await
    }
}
