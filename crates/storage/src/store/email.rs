//! Email: preferences, the notice planner's cursor over the outbox, notices
//! batched per thread, the email queue (claimed with a lease, retried with
//! back-off), and the thread queries the digest reads.

use super::*;
use crate::email::{EmailPreferences, NewEmail, NewNotice, Notice, QueuedEmail, ThreadActivity};
use crate::helpdesk::{Ticket, TicketRow};
use crate::schema::{
    accounts, community_members, email_cursor, email_notices, email_preferences, email_queue,
    helpdesk_tickets, mentions, outbox, status_tags, statuses, tag_follows,
};
use diesel::sql_types::{BigInt, Timestamp};
use hubbub_core::email::{DigestSchedule, EmailKind};
use hubbub_core::helpdesk::ticket::TicketState;

#[derive(diesel::Insertable, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = email_preferences, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct PreferencesRow {
    account_id: i64,
    disabled_kinds: String,
    digest_enabled: bool,
    digest_weekday: i32,
    digest_minute: i32,
    time_zone: String,
    next_digest_at: NaiveDateTime,
    unsubscribe_token: String,
    updated_at: NaiveDateTime,
}

impl TryFrom<PreferencesRow> for EmailPreferences {
    type Error = StorageError;
    fn try_from(row: PreferencesRow) -> Result<Self, StorageError> {
        let corrupt = |e: hubbub_core::DomainError| {
            StorageError::Corrupt(format!("email preferences of {}: {e}", row.account_id))
        };
        let mut disabled = row
            .disabled_kinds
            .split_whitespace()
            .map(|kind| kind.parse::<EmailKind>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(corrupt)?;
        // The digest switch has its own column so the schedule survives turning it off.
        if !row.digest_enabled && !disabled.contains(&EmailKind::Digest) {
            disabled.push(EmailKind::Digest);
        }
        let digest =
            DigestSchedule::from_stored(row.digest_weekday, row.digest_minute, &row.time_zone)
                .map_err(corrupt)?;
        Ok(Self {
            account_id: AccountId(row.account_id),
            disabled,
            digest,
            next_digest_at: row.next_digest_at.and_utc(),
            unsubscribe_token: row.unsubscribe_token,
        })
    }
}

fn preferences_row(prefs: &EmailPreferences, now: NaiveDateTime) -> PreferencesRow {
    PreferencesRow {
        account_id: prefs.account_id.0,
        disabled_kinds: prefs
            .disabled
            .iter()
            .filter(|kind| **kind != EmailKind::Digest)
            .map(|kind| kind.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        digest_enabled: prefs.wants(EmailKind::Digest),
        digest_weekday: prefs.digest.weekday_number(),
        digest_minute: i32::try_from(prefs.digest.minute).unwrap_or(0),
        time_zone: prefs.digest.time_zone.name().to_owned(),
        next_digest_at: to_db(prefs.next_digest_at),
        unsubscribe_token: prefs.unsubscribe_token.clone(),
        updated_at: now,
    }
}

#[derive(diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = email_notices, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct NoticeRow {
    id: i64,
    account_id: i64,
    kind: String,
    thread_id: i64,
    status_id: i64,
    actor_id: i64,
    created_at: NaiveDateTime,
}

impl TryFrom<NoticeRow> for Notice {
    type Error = StorageError;
    fn try_from(row: NoticeRow) -> Result<Self, StorageError> {
        Ok(Self {
            id: row.id,
            account_id: AccountId(row.account_id),
            kind: row
                .kind
                .parse()
                .map_err(|e| StorageError::Corrupt(format!("email notice {}: {e}", row.id)))?,
            thread_id: StatusId(row.thread_id),
            status_id: StatusId(row.status_id),
            actor_id: AccountId(row.actor_id),
            created_at: row.created_at.and_utc(),
        })
    }
}

#[derive(diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = email_queue, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct QueuedRow {
    id: i64,
    dedup_key: String,
    kind: String,
    to_address: String,
    subject: String,
    text_body: String,
    html_body: String,
    unsubscribe_url: String,
    attempts: i32,
    sent_at: Option<NaiveDateTime>,
    last_error: Option<String>,
}

impl TryFrom<QueuedRow> for QueuedEmail {
    type Error = StorageError;
    fn try_from(row: QueuedRow) -> Result<Self, StorageError> {
        Ok(Self {
            id: row.id,
            kind: row
                .kind
                .parse()
                .map_err(|e| StorageError::Corrupt(format!("queued email {}: {e}", row.id)))?,
            dedup_key: row.dedup_key,
            to_address: row.to_address,
            subject: row.subject,
            text_body: row.text_body,
            html_body: row.html_body,
            unsubscribe_url: row.unsubscribe_url,
            attempts: row.attempts,
            sent_at: row.sent_at.map(|at| at.and_utc()),
            last_error: row.last_error,
        })
    }
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(diesel::QueryableByName)]
struct ActivityRow {
    #[diesel(sql_type = BigInt)]
    thread_id: i64,
    #[diesel(sql_type = BigInt)]
    replies: i64,
}

impl Store {
    /// One person's email preferences, if stored.
    pub async fn email_preferences(
        &self,
        account: AccountId,
    ) -> Result<Option<EmailPreferences>, StorageError> {
        self.run(move |conn| {
            email_preferences::table
                .find(account.0)
                .select(PreferencesRow::as_select())
                .first(conn)
                .optional()?
                .map(EmailPreferences::try_from)
                .transpose()
        })
        .await
    }

    /// The preferences whose unsubscribe token this is.
    pub async fn email_preferences_by_token(
        &self,
        token: &str,
    ) -> Result<Option<EmailPreferences>, StorageError> {
        let token = token.to_owned();
        self.run(move |conn| {
            email_preferences::table
                .filter(email_preferences::unsubscribe_token.eq(&token))
                .select(PreferencesRow::as_select())
                .first(conn)
                .optional()?
                .map(EmailPreferences::try_from)
                .transpose()
        })
        .await
    }

    /// Stores preferences, replacing what was there.
    pub async fn save_email_preferences(
        &self,
        prefs: EmailPreferences,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let row = preferences_row(&prefs, to_db(now));
                diesel::delete(email_preferences::table.find(row.account_id)).execute(conn)?;
                diesel::insert_into(email_preferences::table)
                    .values(&row)
                    .execute(conn)
                    .map_err(|e| missing_account(e, "account_id"))?;
                Ok(())
            })
        })
        .await
    }

    /// Up to `limit` accounts that have no email preferences yet.
    pub async fn accounts_without_email_preferences(
        &self,
        limit: i64,
    ) -> Result<Vec<AccountId>, StorageError> {
        self.run(move |conn| {
            let ids: Vec<i64> = accounts::table
                .left_join(email_preferences::table)
                .filter(email_preferences::account_id.nullable().is_null())
                .order(accounts::id.asc())
                .limit(limit)
                .select(accounts::id)
                .load(conn)?;
            Ok(ids.into_iter().map(AccountId).collect())
        })
        .await
    }

    /// Preferences whose digest is due at `now`, oldest first.
    pub async fn due_digests(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<EmailPreferences>, StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            email_preferences::table
                .filter(email_preferences::next_digest_at.le(now))
                .order(email_preferences::next_digest_at.asc())
                .limit(limit)
                .select(PreferencesRow::as_select())
                .load(conn)?
                .into_iter()
                .map(EmailPreferences::try_from)
                .collect()
        })
        .await
    }

    /// Moves a person's digest on to `next`, queuing `email` in the same
    /// transaction if there is one (a digest with nothing to say is skipped).
    /// Only moves it if it is still due at `was_due` (another node may have done it).
    pub async fn finish_digest(
        &self,
        account: AccountId,
        was_due: DateTime<Utc>,
        next: DateTime<Utc>,
        email: Option<(i64, NewEmail)>,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let moved = diesel::update(
                    email_preferences::table
                        .find(account.0)
                        .filter(email_preferences::next_digest_at.eq(to_db(was_due))),
                )
                .set(email_preferences::next_digest_at.eq(to_db(next)))
                .execute(conn)?;
                if moved == 0 {
                    return Ok(false);
                }
                if let Some((id, email)) = email {
                    insert_email(conn, id, &email, to_db(now))?;
                }
                Ok(true)
            })
        })
        .await
    }

    /// The event id the notice planner has read up to. On first use it starts at
    /// the newest event, so history is not emailed.
    pub async fn email_cursor(&self, name: &str) -> Result<EventId, StorageError> {
        let name = name.to_owned();
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let found: Option<i64> = email_cursor::table
                    .find(&name)
                    .select(email_cursor::last_event_id)
                    .first(conn)
                    .optional()?;
                if let Some(id) = found {
                    return Ok(EventId(id));
                }
                let newest: Option<i64> = outbox::table
                    .select(diesel::dsl::max(outbox::seq))
                    .first(conn)?;
                let start = newest.unwrap_or(0);
                diesel::insert_into(email_cursor::table)
                    .values((
                        email_cursor::name.eq(&name),
                        email_cursor::last_event_id.eq(start),
                    ))
                    .execute(conn)?;
                Ok(EventId(start))
            })
        })
        .await
    }

    /// Records the notices an outbox event gave and moves the cursor past it, in one
    /// transaction: each event is planned exactly once, and a notice whose
    /// `dedup_key` exists already is skipped.
    pub async fn record_notices(
        &self,
        cursor: &str,
        event: EventId,
        notices: Vec<(i64, NewNotice)>,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let cursor = cursor.to_owned();
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                for (id, notice) in &notices {
                    let exists = email_notices::table
                        .filter(email_notices::dedup_key.eq(&notice.dedup_key))
                        .count()
                        .get_result::<i64>(conn)?
                        > 0;
                    if exists {
                        continue;
                    }
                    diesel::insert_into(email_notices::table)
                        .values((
                            email_notices::id.eq(id),
                            email_notices::dedup_key.eq(&notice.dedup_key),
                            email_notices::account_id.eq(notice.account_id.0),
                            email_notices::kind.eq(notice.kind.as_str()),
                            email_notices::thread_id.eq(notice.thread_id.0),
                            email_notices::status_id.eq(notice.status_id.0),
                            email_notices::actor_id.eq(notice.actor_id.0),
                            email_notices::created_at.eq(to_db(now)),
                        ))
                        .execute(conn)?;
                }
                diesel::update(email_cursor::table.find(&cursor))
                    .set(email_cursor::last_event_id.eq(event.0))
                    .execute(conn)?;
                Ok(())
            })
        })
        .await
    }

    /// Up to `limit` (recipient, thread) pairs with notices waiting, each with
    /// when the last email about that thread was queued for that recipient.
    pub async fn pending_notice_threads(
        &self,
        limit: i64,
    ) -> Result<Vec<(AccountId, StatusId, Option<DateTime<Utc>>)>, StorageError> {
        self.run(move |conn| {
            let pairs: Vec<(i64, i64)> = email_notices::table
                .filter(email_notices::handled_at.is_null())
                .select((email_notices::account_id, email_notices::thread_id))
                .distinct()
                .limit(limit)
                .load(conn)?;
            let mut out = Vec::with_capacity(pairs.len());
            // One indexed lookup per pair on the same connection; the pairs are few
            // (at most `limit`) and each reads one row.
            for (account, thread) in pairs {
                let last: Option<NaiveDateTime> = email_queue::table
                    .filter(email_queue::account_id.eq(account))
                    .filter(email_queue::thread_id.eq(thread))
                    .select(diesel::dsl::max(email_queue::created_at))
                    .first(conn)?;
                out.push((
                    AccountId(account),
                    StatusId(thread),
                    last.map(|at| at.and_utc()),
                ));
            }
            Ok(out)
        })
        .await
    }

    /// The notices waiting for one recipient about one thread, oldest first.
    pub async fn pending_notices(
        &self,
        account: AccountId,
        thread: StatusId,
    ) -> Result<Vec<Notice>, StorageError> {
        self.run(move |conn| {
            email_notices::table
                .filter(email_notices::handled_at.is_null())
                .filter(email_notices::account_id.eq(account.0))
                .filter(email_notices::thread_id.eq(thread.0))
                .order(email_notices::id.asc())
                .select(NoticeRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Notice::try_from)
                .collect()
        })
        .await
    }

    /// Queues an email (once per `dedup_key`) and marks the notices it tells of as
    /// handled, in one transaction; with no email, only marks them (opted out).
    pub async fn handle_notices(
        &self,
        notice_ids: Vec<i64>,
        email: Option<(i64, NewEmail)>,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                if let Some((id, email)) = email {
                    insert_email(conn, id, &email, now)?;
                }
                diesel::update(email_notices::table.filter(email_notices::id.eq_any(&notice_ids)))
                    .set(email_notices::handled_at.eq(now))
                    .execute(conn)?;
                Ok(())
            })
        })
        .await
    }

    /// Claims up to `limit` emails due at `now` for delivery: each is leased until
    /// `lease_until` (so no other worker sends it meanwhile) and its attempt counted.
    /// If the worker dies, the lease runs out and the email is sent again: at least once.
    pub async fn claim_due_emails(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<QueuedEmail>, StorageError> {
        let now = to_db(now);
        let lease_until = to_db(lease_until);
        self.run(move |conn| {
            let candidates: Vec<i64> = email_queue::table
                .filter(email_queue::sent_at.is_null())
                .filter(email_queue::next_attempt_at.le(now))
                .order(email_queue::next_attempt_at.asc())
                .limit(limit)
                .select(email_queue::id)
                .load(conn)?;
            let mut claimed = Vec::with_capacity(candidates.len());
            for id in candidates {
                // The conditional update is the claim: only one worker's succeeds.
                let won = diesel::update(
                    email_queue::table
                        .find(id)
                        .filter(email_queue::sent_at.is_null())
                        .filter(email_queue::next_attempt_at.le(now)),
                )
                .set((
                    email_queue::next_attempt_at.eq(lease_until),
                    email_queue::attempts.eq(email_queue::attempts + 1),
                ))
                .execute(conn)?;
                if won == 1 {
                    let row = email_queue::table
                        .find(id)
                        .select(QueuedRow::as_select())
                        .first(conn)?;
                    claimed.push(QueuedEmail::try_from(row)?);
                }
            }
            Ok(claimed)
        })
        .await
    }

    /// Records a delivered email.
    pub async fn email_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), StorageError> {
        self.run(move |conn| {
            diesel::update(email_queue::table.find(id))
                .set((
                    email_queue::sent_at.eq(to_db(now)),
                    email_queue::last_error.eq(None::<String>),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// Records a failed delivery; the email is tried again at `retry_at`.
    pub async fn email_failed(
        &self,
        id: i64,
        error: String,
        retry_at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            diesel::update(email_queue::table.find(id))
                .set((
                    email_queue::next_attempt_at.eq(to_db(retry_at)),
                    email_queue::last_error.eq(Some(error)),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// Every queued email of one recipient, oldest first (for tests and support).
    pub async fn queued_emails(
        &self,
        account: AccountId,
    ) -> Result<Vec<QueuedEmail>, StorageError> {
        self.run(move |conn| {
            email_queue::table
                .filter(email_queue::account_id.eq(account.0))
                .order(email_queue::id.asc())
                .select(QueuedRow::as_select())
                .load(conn)?
                .into_iter()
                .map(QueuedEmail::try_from)
                .collect()
        })
        .await
    }

    /// The first post of the thread `status` belongs to (itself if it answers none).
    pub async fn thread_root(&self, status: StatusId) -> Result<Option<StatusId>, StorageError> {
        self.run(move |conn| {
            let rows: Vec<IdRow> = diesel::sql_query(
                "WITH RECURSIVE chain(id, parent) AS ( \
                   SELECT id, in_reply_to_id FROM statuses WHERE id = $1 \
                   UNION ALL \
                   SELECT s.id, s.in_reply_to_id FROM statuses s JOIN chain c ON s.id = c.parent \
                 ) SELECT id FROM chain WHERE parent IS NULL",
            )
            .bind::<BigInt, _>(status.0)
            .load(conn)?;
            Ok(rows.first().map(|row| StatusId(row.id)))
        })
        .await
    }

    /// The threads with the most replies posted in `[from, to)` among those that
    /// concern `reader`: in a community they are an active member of, on a topic
    /// they follow, started by someone they follow, or a thread they take part in
    /// or follow. Most first, at most `limit`; deleted posts do not count. Not
    /// filtered by visibility: callers load the threads with `statuses_by_ids`,
    /// which applies it for the reader.
    pub async fn most_active_threads(
        &self,
        reader: AccountId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ThreadActivity>, StorageError> {
        let (from, to) = (to_db(from), to_db(to));
        self.run(move |conn| {
            let rows: Vec<ActivityRow> = diesel::sql_query(
                "SELECT r.id AS thread_id, COUNT(*) AS replies \
                   FROM statuses s JOIN statuses r ON r.id = s.thread_id \
                  WHERE s.in_reply_to_id IS NOT NULL AND s.deleted_at IS NULL \
                    AND s.created_at >= $1 AND s.created_at < $2 \
                    AND r.deleted_at IS NULL \
                    AND (r.community_id IN (SELECT community_id FROM community_members \
                                             WHERE account_id = $3 AND state = 'active') \
                      OR r.id IN (SELECT st.status_id FROM status_tags st \
                                    JOIN tag_follows tf ON tf.tag_id = st.tag_id \
                                   WHERE tf.account_id = $3) \
                      OR r.account_id IN (SELECT followee_id FROM follows WHERE follower_id = $3) \
                      OR r.id IN (SELECT thread_id FROM thread_follows WHERE account_id = $3)) \
                  GROUP BY r.id ORDER BY replies DESC, thread_id DESC LIMIT $4",
            )
            .bind::<Timestamp, _>(from)
            .bind::<Timestamp, _>(to)
            .bind::<BigInt, _>(reader.0)
            .bind::<BigInt, _>(limit)
            .load(conn)?;
            Ok(rows
                .into_iter()
                .map(|row| ThreadActivity {
                    thread_id: StatusId(row.thread_id),
                    replies: row.replies,
                })
                .collect())
        })
        .await
    }

    /// Posts by id that `viewer` may see (deleted ones included, so callers can
    /// tell), in one query.
    pub async fn statuses_by_ids(
        &self,
        ids: &[StatusId],
        viewer: AccountId,
    ) -> Result<Vec<Status>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        self.run(move |conn| {
            Ok(crate::schema::statuses::table
                .filter(crate::schema::statuses::id.eq_any(ids))
                .filter(crate::store::visibility::visible_to(Some(viewer)))
                .select(StatusRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Status::from)
                .collect())
        })
        .await
    }

    /// The people a post mentions (as stored with it), in one query.
    pub async fn mentioned_accounts(
        &self,
        status: StatusId,
    ) -> Result<Vec<AccountId>, StorageError> {
        self.run(move |conn| {
            Ok(mentions::table
                .filter(mentions::status_id.eq(status.0))
                .select(mentions::account_id)
                .order(mentions::account_id)
                .load::<i64>(conn)?
                .into_iter()
                .map(AccountId)
                .collect())
        })
        .await
    }

    /// Help-desk tickets nobody has answered yet that `viewer` might answer:
    /// still active, opened before `to` by someone else, visible to the viewer,
    /// and posted in a community the viewer is an active member of or tagged with
    /// a topic they follow. Their starter posts, newest first, at most `limit`.
    pub async fn unanswered_tickets_for(
        &self,
        viewer: AccountId,
        to: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Status>, StorageError> {
        let to = to_db(to);
        self.run(move |conn| {
            let active: Vec<&'static str> = TicketState::ALL
                .iter()
                .filter(|state| state.is_active())
                .map(|state| state.as_str())
                .collect();
            let unanswered: Vec<i64> = helpdesk_tickets::table
                .filter(helpdesk_tickets::state.eq_any(active))
                .filter(helpdesk_tickets::first_response_at.is_null())
                .filter(helpdesk_tickets::asker_id.ne(viewer.0))
                .filter(helpdesk_tickets::created_at.lt(to))
                .order(helpdesk_tickets::id.desc())
                .limit(UNANSWERED_CAP)
                .select(helpdesk_tickets::id)
                .load(conn)?;
            let my_communities = community_members::table
                .filter(community_members::account_id.eq(viewer.0))
                .filter(community_members::state.eq("active"))
                .select(community_members::community_id.nullable());
            let followed_tags = tag_follows::table
                .filter(tag_follows::account_id.eq(viewer.0))
                .select(tag_follows::tag_id);
            let tagged = status_tags::table
                .filter(status_tags::tag_id.eq_any(followed_tags))
                .select(status_tags::status_id);
            Ok(statuses::table
                .filter(statuses::id.eq_any(unanswered))
                .filter(statuses::deleted_at.is_null())
                .filter(
                    statuses::community_id
                        .eq_any(my_communities)
                        .or(statuses::id.eq_any(tagged).nullable()),
                )
                .filter(crate::store::visibility::visible_to(Some(viewer)))
                .order(statuses::id.desc())
                .limit(limit)
                .select(StatusRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Status::from)
                .collect())
        })
        .await
    }

    /// The help-desk tickets `asker` opened that are still active or changed since
    /// `since`, newest first, at most `limit`, each with its starter post (a
    /// deleted starter leaves its ticket out).
    pub async fn tickets_asked_by(
        &self,
        asker: AccountId,
        since: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(Ticket, Status)>, StorageError> {
        let since = to_db(since);
        self.run(move |conn| {
            let active: Vec<&'static str> = TicketState::ALL
                .iter()
                .filter(|state| state.is_active())
                .map(|state| state.as_str())
                .collect();
            let tickets: Vec<Ticket> = helpdesk_tickets::table
                .filter(helpdesk_tickets::asker_id.eq(asker.0))
                .filter(
                    helpdesk_tickets::state
                        .eq_any(active)
                        .or(helpdesk_tickets::updated_at.ge(since)),
                )
                .order(helpdesk_tickets::id.desc())
                .limit(limit)
                .select(TicketRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Ticket::try_from)
                .collect::<Result<_, _>>()?;
            let ids: Vec<i64> = tickets.iter().map(|ticket| ticket.id.0).collect();
            let starters: std::collections::HashMap<i64, Status> = statuses::table
                .filter(statuses::id.eq_any(ids))
                .filter(statuses::deleted_at.is_null())
                .filter(crate::store::visibility::visible_to(Some(asker)))
                .select(StatusRow::as_select())
                .load(conn)?
                .into_iter()
                .map(|row| {
                    let status = Status::from(row);
                    (status.id.0, status)
                })
                .collect();
            Ok(tickets
                .into_iter()
                .filter_map(|ticket| {
                    let starter = starters.get(&ticket.id.0)?.clone();
                    Some((ticket, starter))
                })
                .collect())
        })
        .await
    }
}

/// Most unanswered tickets the digest looks through for one person, newest first.
const UNANSWERED_CAP: i64 = 1000;

/// Inserts an email unless one with its `dedup_key` exists.
fn insert_email(
    conn: &mut AnyConnection,
    id: i64,
    email: &NewEmail,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    let exists = email_queue::table
        .filter(email_queue::dedup_key.eq(&email.dedup_key))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(());
    }
    diesel::insert_into(email_queue::table)
        .values((
            email_queue::id.eq(id),
            email_queue::dedup_key.eq(&email.dedup_key),
            email_queue::account_id.eq(email.account_id.0),
            email_queue::kind.eq(email.kind.as_str()),
            email_queue::thread_id.eq(email.thread_id.map(|id| id.0)),
            email_queue::to_address.eq(&email.to_address),
            email_queue::subject.eq(&email.subject),
            email_queue::text_body.eq(&email.text_body),
            email_queue::html_body.eq(&email.html_body),
            email_queue::unsubscribe_url.eq(&email.unsubscribe_url),
            email_queue::created_at.eq(now),
            email_queue::attempts.eq(0),
            email_queue::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
