//! Threads: a post's context, the facts a page of posts shows about its threads,
//! edits with their history, questions with accepted answers, and the threads
//! someone follows or takes part in.

use super::helpdesk::{accept_in_ticket, on_answer_withdrawn};
use super::media::replace_media;
use super::notifications::add_notification;
use super::statuses::load_page;
use super::topics::replace_links;
use super::visibility::visible_to;
use super::*;
use crate::interactions::{AcceptNotices, NewNotification};
use crate::model::{StatusVersion, ThreadContext, ThreadFacts};
use crate::schema::{communities, helpdesk_tickets, status_edits, statuses, thread_follows};
use hubbub_core::ids::{CommunityId, MediaId, TicketId};
use hubbub_core::input::StatusText;
use hubbub_core::reaction::NotificationKind;
use hubbub_core::visibility::PostAudience;
use std::collections::{HashMap, HashSet};

/// Most posts of one thread a context reads.
const MAX_THREAD_POSTS: i64 = 5000;

/// How someone came to follow a thread.
pub(super) const BY_POSTING: &str = "post";
const BY_CHOICE: &str = "follow";

/// Which questions a questions timeline lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionFilter {
    /// Every question.
    All,
    /// Questions without an accepted answer.
    Unanswered,
    /// Questions with an accepted answer.
    Answered,
}

impl Store {
    /// The thread around `id` as `viewer` sees it, or `None` when the post is
    /// deleted or hidden from the viewer. The whole thread lives in one community,
    /// so it is visible or hidden as a whole; the visibility rule is applied anyway.
    pub async fn context(
        &self,
        id: StatusId,
        viewer: Option<AccountId>,
    ) -> Result<Option<ThreadContext>, StorageError> {
        self.run(move |conn| {
            let target: Option<StatusRow> = statuses::table
                .find(id.0)
                .filter(statuses::deleted_at.is_null())
                .filter(visible_to(viewer))
                .select(StatusRow::as_select())
                .first(conn)
                .optional()?;
            let Some(target) = target.map(Status::from) else {
                return Ok(None);
            };
            let thread: Vec<Status> = statuses::table
                .filter(statuses::thread_id.eq(target.thread_id.0))
                .filter(visible_to(viewer))
                .order(statuses::id.asc())
                .limit(MAX_THREAD_POSTS)
                .select(StatusRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Status::from)
                .collect();
            Ok(Some(arrange(&target, thread)))
        })
        .await
    }

    /// Live direct replies, accepted-answer flags and the viewer's followed
    /// threads for a page of posts: three queries whatever the page size.
    pub async fn thread_facts(
        &self,
        page: &[Status],
        viewer: Option<AccountId>,
    ) -> Result<ThreadFacts, StorageError> {
        let ids: Vec<i64> = page.iter().map(|status| status.id.0).collect();
        let mut threads: Vec<i64> = page.iter().map(|status| status.thread_id.0).collect();
        threads.sort_unstable();
        threads.dedup();
        if ids.is_empty() {
            return Ok(ThreadFacts::default());
        }
        self.run(move |conn| {
            let replies: Vec<(Option<i64>, i64)> = statuses::table
                .filter(statuses::in_reply_to_id.eq_any(&ids))
                .filter(statuses::deleted_at.is_null())
                .filter(visible_to(viewer))
                .group_by(statuses::in_reply_to_id)
                .select((statuses::in_reply_to_id, diesel::dsl::count_star()))
                .load(conn)?;
            let accepted: Vec<Option<i64>> = statuses::table
                .filter(statuses::accepted_answer_id.eq_any(&ids))
                .filter(statuses::deleted_at.is_null())
                .select(statuses::accepted_answer_id)
                .load(conn)?;
            let followed: Vec<i64> = match viewer {
                Some(viewer) => thread_follows::table
                    .filter(thread_follows::account_id.eq(viewer.0))
                    .filter(thread_follows::thread_id.eq_any(&threads))
                    .select(thread_follows::thread_id)
                    .load(conn)?,
                None => Vec::new(),
            };
            Ok(ThreadFacts {
                replies: replies
                    .into_iter()
                    .filter_map(|(parent, count)| Some((StatusId(parent?), count)))
                    .collect(),
                accepted: accepted.into_iter().flatten().map(StatusId).collect(),
                followed: followed.into_iter().map(StatusId).collect(),
            })
        })
        .await
    }

    /// Replaces the text of `author`'s live post `id` (and, when `media` is
    /// given, its attachments: see `replace_media`), keeping the previous text
    /// in `status_edits`, re-linking topics and mentions, and recording
    /// `StatusUpdated` with `status_json` (the entity after the edit), all in one
    /// transaction. `None` (nothing written) when there is no such post of theirs.
    pub async fn edit_status(
        &self,
        id: StatusId,
        author: AccountId,
        text: StatusText,
        media: Option<Vec<MediaId>>,
        status_json: String,
        now: DateTime<Utc>,
    ) -> Result<Option<Status>, StorageError> {
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let current: Option<StatusRow> = statuses::table
                    .find(id.0)
                    .filter(statuses::deleted_at.is_null())
                    .filter(statuses::account_id.eq(author.0))
                    .select(StatusRow::as_select())
                    .first(conn)
                    .optional()?;
                let Some(current) = current.map(Status::from) else {
                    return Ok(None);
                };
                let previous_at = current.edited_at.unwrap_or(current.created_at);
                diesel::insert_into(status_edits::table)
                    .values((
                        status_edits::status_id.eq(id.0),
                        status_edits::text.eq(&current.text),
                        status_edits::created_at.eq(to_db(previous_at)),
                    ))
                    .execute(conn)?;
                diesel::update(statuses::table.find(id.0))
                    .set((
                        statuses::text.eq(text.as_str()),
                        statuses::edited_at.eq(Some(now)),
                    ))
                    .execute(conn)?;
                let row: StatusRow = statuses::table
                    .find(id.0)
                    .select(StatusRow::as_select())
                    .first(conn)?;
                replace_links(conn, id, text.as_str(), now)?;
                if let Some(media) = &media {
                    replace_media(conn, author, id, media)?;
                }
                let event = EventBody::StatusUpdated {
                    author,
                    status_id: id,
                    thread: current.thread_id,
                    audience: post_audience(conn, current.community_id)?,
                    status_json,
                };
                append_event(conn, &event, now)?;
                Ok(Some(Status::from(row)))
            })
        })
        .await
    }

    /// Every version of a post's text, oldest first, the current one last.
    pub async fn status_history(
        &self,
        status: &Status,
    ) -> Result<Vec<StatusVersion>, StorageError> {
        let id = status.id;
        let current = StatusVersion {
            text: status.text.clone(),
            created_at: status.edited_at.unwrap_or(status.created_at),
        };
        self.run(move |conn| {
            let mut versions: Vec<StatusVersion> = status_edits::table
                .filter(status_edits::status_id.eq(id.0))
                .order(status_edits::id.asc())
                .select((status_edits::text, status_edits::created_at))
                .load::<(String, NaiveDateTime)>(conn)?
                .into_iter()
                .map(|(text, at)| StatusVersion {
                    text,
                    created_at: at.and_utc(),
                })
                .collect();
            versions.push(current);
            Ok(versions)
        })
        .await
    }

    /// `account` follows `thread` (a thread's first post). Following twice, or a
    /// thread they already take part in, changes nothing.
    pub async fn follow_thread(
        &self,
        account: AccountId,
        thread: StatusId,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let now = to_db(now);
        self.run(move |conn| follow(conn, account, thread, BY_CHOICE, now))
            .await
    }

    /// `account` stops following `thread`, whether they followed it or took part.
    pub async fn unfollow_thread(
        &self,
        account: AccountId,
        thread: StatusId,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            diesel::delete(
                thread_follows::table
                    .filter(thread_follows::account_id.eq(account.0))
                    .filter(thread_follows::thread_id.eq(thread.0)),
            )
            .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// Questions `viewer` may see, newest first, one keyset page; optionally only
    /// (un)answered ones and only those of one community.
    pub async fn questions_timeline(
        &self,
        viewer: Option<AccountId>,
        filter: QuestionFilter,
        community: Option<CommunityId>,
        page: PageRequest,
    ) -> Result<Vec<Status>, StorageError> {
        self.run(move |conn| {
            let mut query = statuses::table
                .filter(statuses::question.eq(true))
                .filter(statuses::deleted_at.is_null())
                .filter(visible_to(viewer))
                .into_boxed();
            query = match filter {
                QuestionFilter::All => query,
                QuestionFilter::Unanswered => query.filter(statuses::accepted_answer_id.is_null()),
                QuestionFilter::Answered => {
                    query.filter(statuses::accepted_answer_id.is_not_null())
                }
            };
            if let Some(community) = community {
                query = query.filter(statuses::community_id.eq(community.0));
            }
            load_page(conn, query, page)
        })
        .await
    }

    /// Marks `answer` as the accepted answer of `question` (or clears it with
    /// `None`). When the question is a help-desk ticket, accepting resolves the
    /// ticket in the same transaction, and clearing reopens it. The answer's author and the asker are
    /// notified, unless they did it themselves (`notices` is what each one's live
    /// notification shows). Who may do it, and that the answer is a reply in the
    /// question's thread, is the caller's check.
    pub async fn set_accepted_answer(
        &self,
        question: StatusId,
        answer: Option<StatusId>,
        by: AccountId,
        now: DateTime<Utc>,
        notices: AcceptNotices,
    ) -> Result<Status, StorageError> {
        let at = now;
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let updated = diesel::update(
                    statuses::table
                        .find(question.0)
                        .filter(statuses::deleted_at.is_null())
                        .filter(statuses::question.eq(true)),
                )
                .set(statuses::accepted_answer_id.eq(answer.map(|id| id.0)))
                .execute(conn)?;
                if updated == 0 {
                    return Err(StorageError::NotFound { what: "question" });
                }
                if answer.is_none() {
                    on_answer_withdrawn(conn, TicketId(question.0), by, now)?;
                }
                if let Some(answer) = answer {
                    let tickets: i64 = helpdesk_tickets::table
                        .find(question.0)
                        .count()
                        .get_result(conn)?;
                    if tickets > 0 {
                        accept_in_ticket(conn, TicketId(question.0), answer, by, now)?;
                    }
                    let author: i64 = statuses::table
                        .find(answer.0)
                        .select(statuses::account_id)
                        .first(conn)?;
                    let asker: i64 = statuses::table
                        .find(question.0)
                        .select(statuses::account_id)
                        .first(conn)?;
                    let mut told = vec![(author, notices.answerer)];
                    if asker != author {
                        told.push((asker, notices.asker));
                    }
                    for (recipient, json) in told {
                        add_notification(
                            conn,
                            &NewNotification {
                                recipient: AccountId(recipient),
                                kind: NotificationKind::AnswerAccepted,
                                from_account: by,
                                status_id: Some(answer),
                                reaction: None,
                                created_at: at,
                                json,
                            },
                        )?;
                    }
                }
                let row: StatusRow = statuses::table
                    .find(question.0)
                    .select(StatusRow::as_select())
                    .first(conn)?;
                Ok(Status::from(row))
            })
        })
        .await
    }
}

/// Records that `account` takes part in `thread` (called when they post in it).
pub(super) fn take_part(
    conn: &mut AnyConnection,
    account: AccountId,
    thread: StatusId,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    follow(conn, account, thread, BY_POSTING, now)
}

fn follow(
    conn: &mut AnyConnection,
    account: AccountId,
    thread: StatusId,
    source: &'static str,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    let insert = diesel::insert_into(thread_follows::table).values((
        thread_follows::account_id.eq(account.0),
        thread_follows::thread_id.eq(thread.0),
        thread_follows::source.eq(source),
        thread_follows::created_at.eq(now),
    ));
    match conn {
        AnyConnection::Postgresql(pg) => insert.on_conflict_do_nothing().execute(pg)?,
        AnyConnection::Sqlite(sqlite) => insert.on_conflict_do_nothing().execute(sqlite)?,
    };
    Ok(())
}

/// Who may see a post in `community` (a post's audience, whoever asks).
fn post_audience(
    conn: &mut AnyConnection,
    community: Option<CommunityId>,
) -> Result<PostAudience, StorageError> {
    let private = match community {
        Some(community) => communities::table
            .find(community.0)
            .select(communities::private)
            .first::<bool>(conn)?,
        None => false,
    };
    Ok(PostAudience::of(community, private))
}

/// Splits a thread (in id order) into the ancestors and descendants of `target`.
fn arrange(target: &Status, thread: Vec<Status>) -> ThreadContext {
    // A deleted post stays (as a tombstone) while a live reply hangs under it.
    // Replies have larger ids than their parents, so one backwards pass decides.
    let mut needed: HashSet<StatusId> = HashSet::new();
    for status in thread.iter().rev() {
        let keep = status.deleted_at.is_none() || needed.contains(&status.id);
        if keep && let Some(parent) = status.in_reply_to_id {
            needed.insert(parent);
        }
    }
    let by_id: HashMap<StatusId, &Status> = thread.iter().map(|s| (s.id, s)).collect();
    let mut ancestors = Vec::new();
    let mut parent = target.in_reply_to_id;
    while let Some(id) = parent {
        let Some(status) = by_id.get(&id) else { break };
        ancestors.push((*status).clone());
        parent = status.in_reply_to_id;
        if ancestors.len() > thread.len() {
            break;
        }
    }
    ancestors.reverse();
    let mut children: HashMap<StatusId, Vec<&Status>> = HashMap::new();
    for status in &thread {
        let kept = status.deleted_at.is_none() || needed.contains(&status.id);
        if kept && let Some(parent) = status.in_reply_to_id {
            children.entry(parent).or_default().push(status);
        }
    }
    let mut descendants = Vec::new();
    let mut stack: Vec<&Status> = children
        .get(&target.id)
        .map(|kids| kids.iter().rev().copied().collect())
        .unwrap_or_default();
    while let Some(status) = stack.pop() {
        descendants.push(status.clone());
        if let Some(kids) = children.get(&status.id) {
            stack.extend(kids.iter().rev().copied());
        }
        if descendants.len() > thread.len() {
            break;
        }
    }
    ThreadContext {
        ancestors,
        descendants,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: i64, parent: Option<i64>, deleted: bool) -> Status {
        Status {
            id: StatusId(id),
            account_id: AccountId(1),
            text: format!("post {id}"),
            in_reply_to_id: parent.map(StatusId),
            created_at: Utc::now(),
            deleted_at: deleted.then(Utc::now),
            community_id: None,
            thread_id: StatusId(1),
            edited_at: None,
            question: false,
            accepted_answer_id: None,
        }
    }

    fn ids(statuses: &[Status]) -> Vec<i64> {
        statuses.iter().map(|status| status.id.0).collect()
    }

    #[test]
    fn descendants_are_depth_first_and_deleted_posts_stay_only_above_live_replies() {
        // 1 <- 2 (deleted) <- 4;  1 <- 3 (deleted, no replies);  1 <- 5 <- 6
        let thread = vec![
            post(1, None, false),
            post(2, Some(1), true),
            post(3, Some(1), true),
            post(4, Some(2), false),
            post(5, Some(1), false),
            post(6, Some(5), false),
        ];
        let context = arrange(&thread[0], thread.clone());
        assert!(context.ancestors.is_empty());
        assert_eq!(ids(&context.descendants), vec![2, 4, 5, 6]);

        let context = arrange(&thread[3], thread.clone());
        assert_eq!(ids(&context.ancestors), vec![1, 2]);
        assert!(context.descendants.is_empty());
    }
}
