//! The help desk: tickets opened from tagged posts or by support, their event log,
//! triage changes, accepted answers, duplicates, reuse, minutes, and the versioned
//! settings. Every change writes a log entry (who, when, whether they were support
//! at that moment) and an outbox event, in one transaction.

use super::*;
use crate::helpdesk::{
    QueueFilter, SettingsVersion, Ticket, TicketChange, TicketEventInsertForm, TicketEventRow,
    TicketInsertForm, TicketLogEntry, TicketRow,
};
use crate::schema::{
    accounts, communities, community_members, helpdesk_settings, helpdesk_ticket_events,
    helpdesk_tickets, statuses,
};
use hubbub_core::DomainError;
use hubbub_core::event::TicketSnapshot;
use hubbub_core::helpdesk::settings::HelpdeskSettings;
use hubbub_core::helpdesk::tags::{has_helpdesk_tag, hashtags, mapped_category};
use hubbub_core::helpdesk::ticket::{Category, EventKind, Priority, TicketState};
use hubbub_core::ids::{CommunityId, TicketId};
use hubbub_core::role::Role;
use hubbub_core::visibility::PostAudience;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most tickets the triage queue loads before its business-hour filters and sort.
pub const QUEUE_CAP: i64 = 5000;

/// The longest reply chain followed to find a thread's starter.
const MAX_THREAD_DEPTH: usize = 10_000;

impl Store {
    /// The help-desk settings in force (version 0, the defaults, until a manager saves some).
    pub async fn helpdesk_settings(&self) -> Result<SettingsVersion, StorageError> {
        self.run(load_settings).await
    }

    /// One page of the saved settings versions, newest first; the page's ids are
    /// version numbers. The built-in defaults (version 0) are not a saved version.
    pub async fn helpdesk_settings_history(
        &self,
        page: PageRequest,
    ) -> Result<Vec<SettingsVersion>, StorageError> {
        self.run(move |conn| {
            let mut query = helpdesk_settings::table
                .select(SETTINGS_COLUMNS)
                .into_boxed();
            if let Some(max_id) = page.max_id {
                query = query.filter(helpdesk_settings::version.lt(max_id));
            }
            if let Some(lower) = page.lower_bound() {
                query = query.filter(helpdesk_settings::version.gt(lower));
            }
            query = if page.ascending() {
                query.order(helpdesk_settings::version.asc())
            } else {
                query.order(helpdesk_settings::version.desc())
            };
            let mut rows: Vec<SettingsRow> = query.limit(page.limit).load(conn)?;
            if page.ascending() {
                rows.reverse();
            }
            rows.into_iter().map(settings_version).collect()
        })
        .await
    }

    /// Settings version `version`: 0 is the built-in defaults; `None` if no such
    /// version was saved.
    pub async fn helpdesk_settings_version(
        &self,
        version: i64,
    ) -> Result<Option<SettingsVersion>, StorageError> {
        if version == 0 {
            return Ok(Some(default_settings()));
        }
        self.run(move |conn| {
            helpdesk_settings::table
                .find(version)
                .select(SETTINGS_COLUMNS)
                .first::<SettingsRow>(conn)
                .optional()?
                .map(settings_version)
                .transpose()
        })
        .await
    }

    /// Saves `settings` as the next version. Validation happened when they were
    /// parsed, so a refused edit never reaches here and the previous version stays.
    pub async fn save_helpdesk_settings(
        &self,
        settings: HelpdeskSettings,
        by: AccountId,
        at: DateTime<Utc>,
    ) -> Result<SettingsVersion, StorageError> {
        let at = to_db(at);
        let saved = self
            .run(move |conn| {
                write_transaction(conn, |conn| {
                    let latest: Option<i64> = helpdesk_settings::table
                        .select(diesel::dsl::max(helpdesk_settings::version))
                        .first(conn)?;
                    let version = latest.unwrap_or(0) + 1;
                    let body = settings.to_json().to_string();
                    diesel::insert_into(helpdesk_settings::table)
                        .values((
                            helpdesk_settings::version.eq(version),
                            helpdesk_settings::body.eq(&body),
                            helpdesk_settings::created_by.eq(Some(by.0)),
                            helpdesk_settings::created_at.eq(at),
                        ))
                        .execute(conn)
                        .map_err(|e| missing_account(e, "account"))?;
                    Ok(SettingsVersion {
                        version,
                        settings,
                        created_by: Some(by),
                        created_at: Some(at.and_utc()),
                    })
                })
            })
            .await;
        self.helpdesk_settings.clear();
        saved
    }

    /// Support turns a thread starter into a ticket. Replies already in the thread
    /// are logged as they stand (their authors' support role as of now).
    pub async fn open_ticket(
        &self,
        status: StatusId,
        by: AccountId,
        category: Option<Category>,
        priority: Option<Priority>,
        at: DateTime<Utc>,
    ) -> Result<Ticket, StorageError> {
        let at = to_db(at);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let starter: StatusRow = statuses::table
                    .find(status.0)
                    .filter(statuses::deleted_at.is_null())
                    .select(StatusRow::as_select())
                    .first(conn)
                    .optional()?
                    .ok_or(StorageError::NotFound { what: "status_id" })?;
                let starter = Status::from(starter);
                if starter.in_reply_to_id.is_some() {
                    return Err(DomainError::invalid(
                        "status_id",
                        "is a reply: open the ticket on its thread's first post",
                    )
                    .into());
                }
                if load_ticket(conn, TicketId(status.0))?.is_some() {
                    return Err(DomainError::invalid("status_id", "is already a ticket").into());
                }
                let settings = load_settings(conn)?.settings;
                let category = category
                    .or_else(|| mapped_category(&starter.text, &settings))
                    .unwrap_or(Category::Other);
                let ticket = TicketId(status.0);
                create_ticket(conn, &starter, "support", category, by, at)?;
                if let Some(priority) = priority {
                    apply_change(
                        conn,
                        ticket,
                        &TicketChange {
                            priority: Some(priority),
                            ..TicketChange::default()
                        },
                        by,
                        at,
                    )?;
                }
                for reply in thread_replies(conn, status)? {
                    record_reply(conn, ticket, &reply)?;
                }
                load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })
            })
        })
        .await
    }

    /// A ticket.
    pub async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>, StorageError> {
        self.run(move |conn| load_ticket(conn, id)).await
    }

    /// A ticket's log, oldest first.
    pub async fn ticket_log(&self, id: TicketId) -> Result<Vec<TicketLogEntry>, StorageError> {
        self.run(move |conn| {
            helpdesk_ticket_events::table
                .filter(helpdesk_ticket_events::ticket_id.eq(id.0))
                .order(helpdesk_ticket_events::id.asc())
                .select(TicketEventRow::as_select())
                .load(conn)?
                .into_iter()
                .map(TicketLogEntry::try_from)
                .collect()
        })
        .await
    }

    /// Applies `change` to every ticket in `ids`, all or nothing, logging each field
    /// that actually changes.
    pub async fn update_tickets(
        &self,
        ids: Vec<TicketId>,
        change: TicketChange,
        by: AccountId,
        at: DateTime<Utc>,
    ) -> Result<Vec<Ticket>, StorageError> {
        let at = to_db(at);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                if let Some(Some(assignee)) = change.assignee
                    && !is_support(conn, assignee)?
                {
                    return Err(
                        DomainError::invalid("assignee_id", "must be a support account").into(),
                    );
                }
                let mut out = Vec::with_capacity(ids.len());
                for id in &ids {
                    apply_change(conn, *id, &change, by, at)?;
                    out.push(
                        load_ticket(conn, *id)?.ok_or(StorageError::NotFound { what: "ticket" })?,
                    );
                }
                Ok(out)
            })
        })
        .await
    }

    /// Marks `answer` (a reply in the ticket's thread) as the accepted answer: the
    /// ticket is resolved, by a peer unless the answer's author is support.
    /// Who may do it (the asker, support, an admin) is the caller's check.
    pub async fn accept_answer(
        &self,
        ticket: TicketId,
        answer: StatusId,
        by: AccountId,
        at: DateTime<Utc>,
    ) -> Result<Ticket, StorageError> {
        let at = to_db(at);
        self.run(move |conn| {
            write_transaction(conn, |conn| accept_in_ticket(conn, ticket, answer, by, at))
        })
        .await
    }

    /// Reopens a resolved or closed ticket; its accepted answer no longer stands.
    pub async fn reopen_ticket(
        &self,
        ticket: TicketId,
        by: AccountId,
        at: DateTime<Utc>,
    ) -> Result<Ticket, StorageError> {
        let at = to_db(at);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let current =
                    load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })?;
                if current.state.is_active() {
                    return Err(DomainError::invalid(
                        "state",
                        "only a resolved or closed ticket can be reopened",
                    )
                    .into());
                }
                apply_change(
                    conn,
                    ticket,
                    &TicketChange {
                        state: Some(TicketState::Open),
                        ..TicketChange::default()
                    },
                    by,
                    at,
                )?;
                load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })
            })
        })
        .await
    }

    /// Marks `ticket` a duplicate of `original` and closes it; the original logs the
    /// link, which counts as a reuse of its answer by the duplicate's asker.
    pub async fn mark_duplicate(
        &self,
        ticket: TicketId,
        original: TicketId,
        by: AccountId,
        at: DateTime<Utc>,
    ) -> Result<Ticket, StorageError> {
        let at = to_db(at);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let duplicate =
                    load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })?;
                let target = load_ticket(conn, original)?
                    .ok_or(StorageError::NotFound { what: "ticket_id" })?;
                if target.id == duplicate.id {
                    return Err(DomainError::invalid("ticket_id", "is this ticket itself").into());
                }
                if target.duplicate_of.is_some() {
                    return Err(DomainError::invalid(
                        "ticket_id",
                        "is itself a duplicate: link to its original",
                    )
                    .into());
                }
                if duplicate.duplicate_of.is_some() {
                    return Err(DomainError::invalid(
                        "ticket_id",
                        "this ticket is already a duplicate",
                    )
                    .into());
                }
                diesel::update(helpdesk_tickets::table.find(ticket.0))
                    .set((
                        helpdesk_tickets::duplicate_of_id.eq(Some(original.0)),
                        helpdesk_tickets::state.eq(TicketState::Closed.as_str()),
                        helpdesk_tickets::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                LogForm {
                    value: Some(original.to_string()),
                    ..LogForm::by(conn, ticket, EventKind::DuplicateOf, by, at)?
                }
                .write(conn)?;
                let asker_is_support = is_support(conn, duplicate.asker_id)?;
                LogForm {
                    subject: Some((duplicate.asker_id, asker_is_support)),
                    value: Some(ticket.to_string()),
                    ..LogForm::by(conn, original, EventKind::DuplicateLinked, by, at)?
                }
                .write(conn)?;
                load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })
            })
        })
        .await
    }

    /// Logs minutes support spent on a ticket (1 to 1440 at a time).
    pub async fn log_minutes(
        &self,
        ticket: TicketId,
        minutes: i64,
        by: AccountId,
        at: DateTime<Utc>,
    ) -> Result<Ticket, StorageError> {
        if !(1..=1440).contains(&minutes) {
            return Err(DomainError::invalid("minutes", "must be between 1 and 1440").into());
        }
        let at = to_db(at);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })?;
                LogForm {
                    minutes: Some(minutes),
                    ..LogForm::by(conn, ticket, EventKind::Minutes, by, at)?
                }
                .write(conn)?;
                load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })
            })
        })
        .await
    }

    /// Records that `viewer` opened the thread of `ticket` (the thread view calls
    /// this). Only a view after the standing resolution counts in the model, and
    /// each person once per resolution, so only the first such view is logged
    /// (quietly: nothing changed that the triage queue shows). Anything else, a
    /// post that is no ticket or a view by the asker, writes nothing.
    pub async fn record_ticket_view(
        &self,
        ticket: TicketId,
        viewer: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let at = to_db(now);
        self.run(move |conn| {
            let Some(found) = load_ticket(conn, ticket)? else {
                return Ok(());
            };
            let Some(resolved_at) = found.resolved_at else {
                return Ok(());
            };
            if found.asker_id == viewer {
                return Ok(());
            }
            write_transaction(conn, |conn| {
                let seen: i64 = helpdesk_ticket_events::table
                    .filter(helpdesk_ticket_events::ticket_id.eq(ticket.0))
                    .filter(helpdesk_ticket_events::kind.eq(EventKind::Viewed.as_str()))
                    .filter(helpdesk_ticket_events::actor_id.eq(viewer.0))
                    .filter(helpdesk_ticket_events::at.ge(to_db(resolved_at)))
                    .count()
                    .get_result(conn)?;
                if seen > 0 {
                    return Ok(());
                }
                LogForm::by(conn, ticket, EventKind::Viewed, viewer, at)?.write_quietly(conn)
            })
        })
        .await
    }

    /// Records that `account` reused the ticket's answer (a "same here" reaction).
    /// The social network's reaction code calls this; the model counts each person
    /// once, and only within `W` days after resolution, never the asker or support.
    pub async fn record_reuse(
        &self,
        ticket: TicketId,
        account: AccountId,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let at = to_db(at);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })?;
                write_reuse(conn, ticket, account, None, EventKind::Reuse, at)
            })
        })
        .await
    }

    /// The triage queue before business-hour filters: matching tickets, oldest
    /// first, at most [`QUEUE_CAP`].
    pub async fn triage_queue(&self, filter: QueueFilter) -> Result<Vec<Ticket>, StorageError> {
        self.run(move |conn| {
            let states: Vec<&'static str> = if filter.states.is_empty() {
                TicketState::ALL
                    .iter()
                    .filter(|state| state.is_active())
                    .map(|state| state.as_str())
                    .collect()
            } else {
                filter.states.iter().map(|state| state.as_str()).collect()
            };
            let mut query = helpdesk_tickets::table
                .filter(helpdesk_tickets::state.eq_any(states))
                .into_boxed();
            if let Some(category) = filter.category {
                query = query.filter(helpdesk_tickets::category.eq(category.as_str()));
            }
            if let Some(priority) = filter.priority {
                query = query.filter(helpdesk_tickets::priority.eq(priority.as_str()));
            }
            match filter.assignee {
                Some(Some(assignee)) => {
                    query = query.filter(helpdesk_tickets::assignee_id.eq(assignee.0))
                }
                Some(None) => query = query.filter(helpdesk_tickets::assignee_id.is_null()),
                None => {}
            }
            let private_communities = communities::table
                .filter(communities::private.eq(true))
                .select(communities::id.nullable());
            let memberships = community_members::table
                .filter(community_members::account_id.eq(filter.viewer.0))
                .filter(community_members::state.eq("active"))
                .select(community_members::community_id.nullable());
            query = query.filter(
                helpdesk_tickets::community_id
                    .is_null()
                    .nullable()
                    .or(diesel::dsl::not(
                        helpdesk_tickets::community_id.eq_any(private_communities),
                    )
                    .nullable())
                    .or(helpdesk_tickets::community_id.eq_any(memberships)),
            );
            if filter.peer_answered_awaiting_confirmation {
                query = query
                    .filter(helpdesk_tickets::first_peer_response_at.is_not_null())
                    .filter(helpdesk_tickets::answer_id.is_null());
            }
            query
                .order(helpdesk_tickets::id.asc())
                .limit(QUEUE_CAP)
                .select(TicketRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Ticket::try_from)
                .collect()
        })
        .await
    }
}

/// Called by `create_status` inside its transaction: a tagged thread starter
/// becomes a ticket; a reply anywhere under a ticket's starter is logged on it.
/// Returns whether the post opened a ticket (and so became a question).
pub(crate) fn on_status_created(
    conn: &mut AnyConnection,
    status: &Status,
    cache: &SettingsCache,
) -> Result<bool, StorageError> {
    let at = to_db(status.created_at);
    match status.in_reply_to_id {
        // A ticket needs a help-desk tag or community: most posts have neither,
        // and skip reading the settings.
        None if status.community_id.is_none() && hashtags(&status.text).is_empty() => {}
        None => {
            let settings = cache.get(conn)?;
            let source = if has_helpdesk_tag(&status.text, &settings.helpdesk_tags) {
                Some("tag")
            } else if in_helpdesk_community(conn, status)? {
                Some("community")
            } else {
                None
            };
            if let Some(source) = source {
                let category = mapped_category(&status.text, &settings).unwrap_or(Category::Other);
                create_ticket(conn, status, source, category, status.account_id, at)?;
                return Ok(true);
            }
        }
        Some(parent) => {
            let root = thread_root(conn, parent)?;
            if load_ticket(conn, TicketId(root))?.is_some() {
                record_reply(conn, TicketId(root), status)?;
            }
        }
    }
    Ok(false)
}

/// Called by reactions inside their transaction: "same here" on a post of a
/// ticket's thread (its starter or any reply) records a reuse by `account`;
/// taking the reaction back (`withdrawn`) logs that the reuse no longer stands.
/// Posts outside tickets' threads are left alone.
pub(crate) fn on_same_here(
    conn: &mut AnyConnection,
    status: StatusId,
    account: AccountId,
    withdrawn: bool,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    let ticket = TicketId(thread_root(conn, status)?);
    if load_ticket(conn, ticket)?.is_none() {
        return Ok(());
    }
    let kind = if withdrawn {
        EventKind::ReuseWithdrawn
    } else {
        EventKind::Reuse
    };
    write_reuse(conn, ticket, account, Some(status), kind, at)
}

/// Logs a reuse (or its withdrawal) of `ticket`'s answer by `account`.
fn write_reuse(
    conn: &mut AnyConnection,
    ticket: TicketId,
    account: AccountId,
    status: Option<StatusId>,
    kind: EventKind,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    let form = LogForm::by(conn, ticket, kind, account, at)?;
    LogForm {
        subject: Some((account, form.actor_is_support)),
        status_id: status,
        ..form
    }
    .write(conn)
}

/// Whether the post was made in a community marked as a help desk.
fn in_helpdesk_community(conn: &mut AnyConnection, status: &Status) -> Result<bool, StorageError> {
    let Some(community) = status.community_id else {
        return Ok(false);
    };
    Ok(crate::schema::communities::table
        .find(community.0)
        .filter(crate::schema::communities::helpdesk.eq(true))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// Whether the account is support staff now (support or admin).
fn is_support(conn: &mut AnyConnection, account: AccountId) -> Result<bool, StorageError> {
    let role: Option<String> = accounts::table
        .find(account.0)
        .select(accounts::role)
        .first(conn)
        .optional()?;
    Ok(matches!(
        role.as_deref().map(str::parse::<Role>),
        Some(Ok(Role::Support | Role::Admin))
    ))
}

/// A stored settings version: number, JSON body, author, time.
type SettingsRow = (i64, String, Option<i64>, NaiveDateTime);

const SETTINGS_COLUMNS: (
    helpdesk_settings::version,
    helpdesk_settings::body,
    helpdesk_settings::created_by,
    helpdesk_settings::created_at,
) = (
    helpdesk_settings::version,
    helpdesk_settings::body,
    helpdesk_settings::created_by,
    helpdesk_settings::created_at,
);

fn default_settings() -> SettingsVersion {
    SettingsVersion {
        version: 0,
        settings: HelpdeskSettings::default(),
        created_by: None,
        created_at: None,
    }
}

fn settings_version(
    (version, body, created_by, created_at): SettingsRow,
) -> Result<SettingsVersion, StorageError> {
    let settings = serde_json::from_str(&body)
        .map_err(|e| e.to_string())
        .and_then(|value| HelpdeskSettings::parse(&value).map_err(|e| e.to_string()))
        .map_err(|e| StorageError::Corrupt(format!("help-desk settings version {version}: {e}")))?;
    Ok(SettingsVersion {
        version,
        settings,
        created_by: created_by.map(AccountId),
        created_at: Some(created_at.and_utc()),
    })
}

/// How long the post path uses the settings it read: a change saved through
/// another node applies to posts here within this time (on this node at once).
const SETTINGS_CACHE_TTL: Duration = Duration::from_secs(1);

/// The help-desk settings as last read, for the post path: every post with a
/// topic or a community needs them, and they change a few times a year.
#[derive(Debug, Default)]
pub(crate) struct SettingsCache(Mutex<CachedSettings>);

#[derive(Debug, Default)]
struct CachedSettings {
    /// Bumped by every save on this node, so a read that raced a save is not kept.
    generation: u64,
    read: Option<(Instant, Arc<HelpdeskSettings>)>,
}

impl SettingsCache {
    /// The settings, read again when the copy is older than the TTL.
    fn get(&self, conn: &mut AnyConnection) -> Result<Arc<HelpdeskSettings>, StorageError> {
        let generation = match self.0.lock() {
            Ok(cached) => match &cached.read {
                Some((at, settings)) if at.elapsed() < SETTINGS_CACHE_TTL => {
                    return Ok(settings.clone());
                }
                _ => cached.generation,
            },
            // A panic while holding the lock: read from the database instead.
            Err(_) => return Ok(Arc::new(load_settings(conn)?.settings)),
        };
        let settings = Arc::new(load_settings(conn)?.settings);
        if let Ok(mut cached) = self.0.lock()
            && cached.generation == generation
        {
            cached.read = Some((Instant::now(), settings.clone()));
        }
        Ok(settings)
    }

    /// Forgets the copy: called once a new version is committed.
    fn clear(&self) {
        if let Ok(mut cached) = self.0.lock() {
            cached.generation += 1;
            cached.read = None;
        }
    }
}

fn load_settings(conn: &mut AnyConnection) -> Result<SettingsVersion, StorageError> {
    let latest: Option<SettingsRow> = helpdesk_settings::table
        .order(helpdesk_settings::version.desc())
        .select(SETTINGS_COLUMNS)
        .first(conn)
        .optional()?;
    latest.map_or_else(|| Ok(default_settings()), settings_version)
}

/// [`Store::accept_answer`] inside the caller's transaction (the questions'
/// accept uses it so a ticket's question is resolved in the same commit).
pub(crate) fn accept_in_ticket(
    conn: &mut AnyConnection,
    ticket: TicketId,
    answer: StatusId,
    by: AccountId,
    at: NaiveDateTime,
) -> Result<Ticket, StorageError> {
    load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })?;
    let reply: Option<StatusRow> = statuses::table
        .find(answer.0)
        .filter(statuses::deleted_at.is_null())
        .select(StatusRow::as_select())
        .first(conn)
        .optional()?;
    let reply = reply.map(Status::from);
    let in_thread = match &reply {
        Some(reply) if reply.id.0 != ticket.0 => thread_root(conn, reply.id)? == ticket.0,
        _ => false,
    };
    let Some(reply) = reply.filter(|_| in_thread) else {
        return Err(
            DomainError::invalid("answer_id", "is not a reply in this ticket's thread").into(),
        );
    };
    let author_is_support = is_support(conn, reply.account_id)?;
    diesel::update(helpdesk_tickets::table.find(ticket.0))
        .set((
            helpdesk_tickets::answer_id.eq(Some(answer.0)),
            helpdesk_tickets::resolved_at.eq(Some(at)),
            helpdesk_tickets::state.eq(TicketState::Resolved.as_str()),
            helpdesk_tickets::updated_at.eq(at),
        ))
        .execute(conn)?;
    // A ticket asked as a question shows the same answer as accepted.
    diesel::update(
        statuses::table
            .find(ticket.0)
            .filter(statuses::question.eq(true)),
    )
    .set(statuses::accepted_answer_id.eq(Some(answer.0)))
    .execute(conn)?;
    let entry = LogForm {
        subject: Some((reply.account_id, author_is_support)),
        status_id: Some(answer),
        ..LogForm::by(conn, ticket, EventKind::Accepted, by, at)?
    };
    entry.write(conn)?;
    load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })
}

/// Called when a question's accepted answer is taken back: a ticket that the
/// answer resolved is open again (logged as reopened by `by`); any other ticket,
/// or a post that is no ticket, is left alone.
pub(crate) fn on_answer_withdrawn(
    conn: &mut AnyConnection,
    ticket: TicketId,
    by: AccountId,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    match load_ticket(conn, ticket)? {
        Some(current) if current.state == TicketState::Resolved => apply_change(
            conn,
            ticket,
            &TicketChange {
                state: Some(TicketState::Open),
                ..TicketChange::default()
            },
            by,
            at,
        ),
        _ => Ok(()),
    }
}

/// The ticket as the `helpdesk` stream shows it now, with who may see it: the
/// audience of its starter post (a ticket in a private community reaches only
/// support staff who are members, as the triage queue shows it). A community
/// that cannot be read counts as private, so nothing leaks.
fn snapshot(
    conn: &mut AnyConnection,
    id: TicketId,
) -> Result<Option<TicketSnapshot>, StorageError> {
    let Some(ticket) = load_ticket(conn, id)? else {
        return Ok(None);
    };
    let community = ticket.community_id.map(CommunityId);
    let private = match community {
        Some(community) => communities::table
            .find(community.0)
            .select(communities::private)
            .first::<bool>(conn)
            .optional()?
            .unwrap_or(true),
        None => false,
    };
    Ok(Some(TicketSnapshot {
        audience: PostAudience::of(community, private),
        ticket_json: ticket.to_json().to_string(),
    }))
}

fn load_ticket(conn: &mut AnyConnection, id: TicketId) -> Result<Option<Ticket>, StorageError> {
    helpdesk_tickets::table
        .find(id.0)
        .select(TicketRow::as_select())
        .first(conn)
        .optional()?
        .map(Ticket::try_from)
        .transpose()
}

/// The id of the thread starter above `status` (itself if it is one).
fn thread_root(conn: &mut AnyConnection, status: StatusId) -> Result<i64, StorageError> {
    let mut current = status.0;
    for _ in 0..MAX_THREAD_DEPTH {
        let parent: Option<Option<i64>> = statuses::table
            .find(current)
            .select(statuses::in_reply_to_id)
            .first(conn)
            .optional()?;
        match parent.flatten() {
            Some(parent) => current = parent,
            None => return Ok(current),
        }
    }
    Ok(current)
}

/// Every live reply under `starter`, breadth first, one query per level.
fn thread_replies(
    conn: &mut AnyConnection,
    starter: StatusId,
) -> Result<Vec<Status>, StorageError> {
    let mut replies = Vec::new();
    let mut frontier = vec![starter.0];
    while !frontier.is_empty() && replies.len() < QUEUE_CAP as usize {
        let level: Vec<StatusRow> = statuses::table
            .filter(statuses::in_reply_to_id.eq_any(&frontier))
            .select(StatusRow::as_select())
            .load(conn)?;
        let level: Vec<Status> = level.into_iter().map(Status::from).collect();
        frontier = level.iter().map(|reply| reply.id.0).collect();
        replies.extend(level.into_iter().filter(|reply| reply.deleted_at.is_none()));
    }
    replies.sort_by_key(|reply| reply.id);
    Ok(replies)
}

fn create_ticket(
    conn: &mut AnyConnection,
    starter: &Status,
    source: &str,
    category: Category,
    by: AccountId,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    let created_at = to_db(starter.created_at);
    let form = TicketInsertForm {
        id: starter.id.0,
        asker_id: starter.account_id.0,
        community_id: starter.community_id.map(|community| community.0),
        source,
        category: category.as_str(),
        priority: Priority::Normal.as_str(),
        state: TicketState::Open.as_str(),
        created_at,
        updated_at: at,
    };
    diesel::insert_into(helpdesk_tickets::table)
        .values(&form)
        .execute(conn)?;
    // A ticket asks something: its starter is a question, so the asker (or a
    // community admin, or support) accepts an answer the same way as any other.
    diesel::update(statuses::table.find(starter.id.0))
        .set(statuses::question.eq(true))
        .execute(conn)?;
    let ticket = TicketId(starter.id.0);
    let asker_is_support = is_support(conn, starter.account_id)?;
    // Logged at the starter's time, whoever opened it: durations run from the question.
    LogForm {
        subject: Some((starter.account_id, asker_is_support)),
        status_id: Some(starter.id),
        value: Some(category.as_str().to_owned()),
        ..LogForm::by(conn, ticket, EventKind::Created, by, created_at)?
    }
    .write_quietly(conn)?;
    let snapshot = snapshot(conn, ticket)?;
    append_event(
        conn,
        &EventBody::HelpdeskTicketOpened {
            ticket_id: ticket,
            asker: starter.account_id,
            ticket: snapshot,
        },
        at,
    )
}

fn record_reply(
    conn: &mut AnyConnection,
    ticket: TicketId,
    reply: &Status,
) -> Result<(), StorageError> {
    let at = to_db(reply.created_at);
    let current = load_ticket(conn, ticket)?.ok_or(StorageError::NotFound { what: "ticket" })?;
    let form = LogForm {
        status_id: Some(reply.id),
        ..LogForm::by(conn, ticket, EventKind::Reply, reply.account_id, at)?
    };
    let by_other = reply.account_id != current.asker_id;
    let support = form.actor_is_support;
    let first_response = current
        .first_response_at
        .map(to_db)
        .or(by_other.then_some(at));
    let first_peer = current
        .first_peer_response_at
        .map(to_db)
        .or((by_other && !support).then_some(at));
    let first_support = current
        .first_support_response_at
        .map(to_db)
        .or(support.then_some(at));
    diesel::update(helpdesk_tickets::table.find(ticket.0))
        .set((
            helpdesk_tickets::first_response_at.eq(first_response),
            helpdesk_tickets::first_peer_response_at.eq(first_peer),
            helpdesk_tickets::first_support_response_at.eq(first_support),
            helpdesk_tickets::updated_at.eq(at),
        ))
        .execute(conn)?;
    form.write(conn)
}

/// Applies one change to one ticket, logging each field that differs.
fn apply_change(
    conn: &mut AnyConnection,
    id: TicketId,
    change: &TicketChange,
    by: AccountId,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    let ticket = load_ticket(conn, id)?.ok_or(StorageError::NotFound { what: "ticket" })?;
    // First, so each change's event carries the ticket as it now stands.
    diesel::update(helpdesk_tickets::table.find(id.0))
        .set(helpdesk_tickets::updated_at.eq(at))
        .execute(conn)?;
    if let Some(category) = change.category.filter(|c| *c != ticket.category) {
        diesel::update(helpdesk_tickets::table.find(id.0))
            .set(helpdesk_tickets::category.eq(category.as_str()))
            .execute(conn)?;
        LogForm {
            value: Some(category.as_str().to_owned()),
            ..LogForm::by(conn, id, EventKind::Category, by, at)?
        }
        .write(conn)?;
    }
    if let Some(priority) = change.priority.filter(|p| *p != ticket.priority) {
        diesel::update(helpdesk_tickets::table.find(id.0))
            .set(helpdesk_tickets::priority.eq(priority.as_str()))
            .execute(conn)?;
        LogForm {
            value: Some(priority.as_str().to_owned()),
            ..LogForm::by(conn, id, EventKind::Priority, by, at)?
        }
        .write(conn)?;
    }
    if let Some(assignee) = change.assignee.filter(|a| *a != ticket.assignee_id) {
        diesel::update(helpdesk_tickets::table.find(id.0))
            .set(helpdesk_tickets::assignee_id.eq(assignee.map(|a| a.0)))
            .execute(conn)?;
        let subject = match assignee {
            Some(account) => Some((account, is_support(conn, account)?)),
            None => None,
        };
        LogForm {
            subject,
            value: assignee.map(|a| a.to_string()),
            ..LogForm::by(conn, id, EventKind::Assigned, by, at)?
        }
        .write(conn)?;
    }
    if let Some(reference) = &change.escalation_ref {
        let reference = reference.trim();
        if reference.is_empty() || reference.chars().count() > 200 {
            return Err(
                DomainError::invalid("escalation_ref", "must be 1 to 200 characters").into(),
            );
        }
        diesel::update(helpdesk_tickets::table.find(id.0))
            .set(helpdesk_tickets::escalation_ref.eq(Some(reference)))
            .execute(conn)?;
        LogForm {
            value: Some(reference.to_owned()),
            ..LogForm::by(conn, id, EventKind::Escalated, by, at)?
        }
        .write(conn)?;
    }
    if let Some(state) = change.state.filter(|s| *s != ticket.state) {
        let done = matches!(ticket.state, TicketState::Resolved | TicketState::Closed);
        if state == TicketState::Resolved {
            return Err(DomainError::invalid(
                "state",
                "a ticket is resolved by accepting an answer (POST .../accept)",
            )
            .into());
        }
        let reopening = done && state.is_active();
        diesel::update(helpdesk_tickets::table.find(id.0))
            .set(helpdesk_tickets::state.eq(state.as_str()))
            .execute(conn)?;
        if reopening {
            // The accepted answer no longer stands; the log keeps that it once did.
            diesel::update(helpdesk_tickets::table.find(id.0))
                .set((
                    helpdesk_tickets::answer_id.eq(None::<i64>),
                    helpdesk_tickets::resolved_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            // The question shows no accepted answer either.
            diesel::update(statuses::table.find(id.0))
                .set(statuses::accepted_answer_id.eq(None::<i64>))
                .execute(conn)?;
        }
        let kind = if reopening {
            EventKind::Reopened
        } else {
            EventKind::State
        };
        LogForm {
            value: Some(state.as_str().to_owned()),
            ..LogForm::by(conn, id, kind, by, at)?
        }
        .write(conn)?;
    }
    Ok(())
}

/// One log entry about to be written.
struct LogForm {
    ticket: TicketId,
    kind: EventKind,
    actor: AccountId,
    actor_is_support: bool,
    subject: Option<(AccountId, bool)>,
    status_id: Option<StatusId>,
    minutes: Option<i64>,
    value: Option<String>,
    at: NaiveDateTime,
}

impl LogForm {
    /// An entry by `actor`, with whether they are support as of now (the event's time).
    fn by(
        conn: &mut AnyConnection,
        ticket: TicketId,
        kind: EventKind,
        actor: AccountId,
        at: NaiveDateTime,
    ) -> Result<Self, StorageError> {
        Ok(Self {
            ticket,
            kind,
            actor,
            actor_is_support: is_support(conn, actor)?,
            subject: None,
            status_id: None,
            minutes: None,
            value: None,
            at,
        })
    }

    /// Writes the entry and tells the `helpdesk` stream the ticket changed.
    fn write(self, conn: &mut AnyConnection) -> Result<(), StorageError> {
        let (ticket, kind, at) = (self.ticket, self.kind, self.at);
        self.write_quietly(conn)?;
        let snapshot = snapshot(conn, ticket)?;
        append_event(
            conn,
            &EventBody::HelpdeskTicketChanged {
                ticket_id: ticket,
                change: kind.as_str().to_owned(),
                ticket: snapshot,
            },
            at,
        )
    }

    /// Writes the entry only.
    fn write_quietly(self, conn: &mut AnyConnection) -> Result<(), StorageError> {
        let form = TicketEventInsertForm {
            ticket_id: self.ticket.0,
            kind: self.kind.as_str(),
            actor_id: Some(self.actor.0),
            actor_is_support: self.actor_is_support,
            subject_id: self.subject.map(|(who, _)| who.0),
            subject_is_support: self.subject.is_some_and(|(_, support)| support),
            status_id: self.status_id.map(|id| id.0),
            minutes: self.minutes,
            value: self.value,
            at: self.at,
        };
        diesel::insert_into(helpdesk_ticket_events::table)
            .values(&form)
            .execute(conn)
            .map_err(|e| missing_account(e, "account"))?;
        Ok(())
    }
}
