//! Loading the plan: posts minted in time order, then tickets with their logs,
//! topics and mentions, thread participation, favourites and reactions, and the
//! notifications, each stage in bulk with a progress line.

use super::helpdesk::{TicketPlan, Value};
use super::plan::{Plan, Touch, World};
use super::{Person, db};
use anyhow::Context;
use chrono::{DateTime, Utc};
use hubbub_core::helpdesk::ticket::{Category, EventKind, Priority, TicketState};
use hubbub_core::reaction::{NotificationKind, Reaction};
use hubbub_core::text::extract;
use hubbub_storage::Store;
use hubbub_storage::store::bulk::{
    BulkFavourite, BulkMention, BulkNotification, BulkParticipation, BulkReaction, BulkStatus,
    BulkStatusTag, BulkTicket, BulkTicketEvent,
};
use std::collections::{HashMap, HashSet};
use std::io::Write;

/// Posts per bulk call (and per progress line).
const POSTS_PER_CALL: usize = 5000;

/// Writes everything planned, stage by stage.
pub(super) async fn all(
    store: &Store,
    world: &World<'_>,
    plan: Plan,
    progress: &mut dyn Write,
) -> anyhow::Result<()> {
    let ids = statuses(store, world, &plan, progress).await?;
    tickets(store, world, &plan, &ids, progress).await?;
    let mentioned = links(store, world, &plan, &ids, progress).await?;
    participation(store, world, &plan, &ids, progress).await?;
    reactions(store, world, &plan, &ids, progress).await?;
    notifications(store, world, &plan, &ids, &mentioned, progress).await
}

/// Draft indices in the order their ids are minted: by time, a parent before
/// its replies.
fn minted_order(plan: &Plan) -> Vec<usize> {
    let mut order: Vec<usize> = (0..plan.drafts.len()).collect();
    order.sort_by_key(|index| (plan.drafts[*index].at, *index));
    order
}

/// Mints every post's id in time order and stores the posts; returns the id of
/// each draft.
async fn statuses(
    store: &Store,
    world: &World<'_>,
    plan: &Plan,
    progress: &mut dyn Write,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = vec![0; plan.drafts.len()];
    let mut minter = super::plan::Minter::default();
    let order = minted_order(plan);
    for index in &order {
        ids[*index] = minter.mint(plan.drafts[*index].at);
    }
    let total = order.len();
    let mut written = 0;
    for chunk in order.chunks(POSTS_PER_CALL) {
        let rows: Vec<BulkStatus> = chunk
            .iter()
            .map(|index| {
                let draft = &plan.drafts[*index];
                BulkStatus {
                    id: ids[*index],
                    account_id: world.people[draft.author].id,
                    text: draft.text.clone(),
                    in_reply_to_id: draft.parent.map(|parent| ids[parent]),
                    community_id: draft.community.map(|c| world.communities[c].id),
                    created_at: db(draft.at),
                    thread_id: ids[draft.root],
                    question: draft.question,
                }
            })
            .collect();
        written += rows.len();
        store.bulk_statuses(rows).await.context("seeding posts")?;
        if written < total {
            writeln!(progress, "  posts: {written}/{total}")?;
        }
    }
    let replies = plan.drafts.iter().filter(|d| d.parent.is_some()).count();
    writeln!(progress, "  posts: {total} ({replies} replies)")?;
    Ok(ids)
}

/// A person's account id and whether they are support staff (support or admin).
fn who(people: &[Person], index: usize) -> (i64, bool) {
    (people[index].id, people[index].support)
}

/// Folds a ticket's log (in time order) into the columns the ticket row caches,
/// as the write paths keep them: `record_reply`, `apply_change`,
/// `accept_in_ticket`, `mark_duplicate`.
fn fold(
    world: &World<'_>,
    plan: &Plan,
    ticket: &TicketPlan,
    log: &[BulkTicketEvent],
    ids: &[i64],
) -> BulkTicket {
    let starter = &plan.drafts[ticket.starter];
    let asker = world.people[ticket.asker].id;
    let created = db(starter.at);
    let mut row = BulkTicket {
        id: ids[ticket.starter],
        asker_id: asker,
        community_id: starter.community.map(|c| world.communities[c].id),
        source: ticket.source,
        category: Category::Other,
        priority: Priority::Normal,
        state: TicketState::Open,
        assignee_id: None,
        duplicate_of_id: None,
        escalation_ref: None,
        answer_id: None,
        created_at: created,
        first_response_at: None,
        first_peer_response_at: None,
        first_support_response_at: None,
        resolved_at: None,
        updated_at: created,
    };
    for event in log {
        let value = event.value.as_deref().unwrap_or_default();
        let at = event.at;
        match event.kind {
            EventKind::Created => {
                row.category = value.parse().unwrap_or(Category::Other);
            }
            EventKind::Reply => {
                let by_other = event.actor_id != Some(asker);
                let support = event.actor_is_support;
                row.first_response_at = row.first_response_at.or(by_other.then_some(at));
                row.first_peer_response_at = row
                    .first_peer_response_at
                    .or((by_other && !support).then_some(at));
                row.first_support_response_at =
                    row.first_support_response_at.or(support.then_some(at));
                row.updated_at = at;
            }
            EventKind::Category => {
                row.category = value.parse().unwrap_or(row.category);
                row.updated_at = at;
            }
            EventKind::Priority => {
                row.priority = value.parse().unwrap_or(row.priority);
                row.updated_at = at;
            }
            EventKind::Assigned => {
                row.assignee_id = value.parse().ok();
                row.updated_at = at;
            }
            EventKind::State => {
                row.state = value.parse().unwrap_or(row.state);
                row.updated_at = at;
            }
            EventKind::Escalated => {
                row.escalation_ref = Some(value.to_owned());
                row.updated_at = at;
            }
            EventKind::Reopened => {
                row.state = TicketState::Open;
                row.answer_id = None;
                row.resolved_at = None;
                row.updated_at = at;
            }
            EventKind::Accepted => {
                row.answer_id = event.status_id;
                row.resolved_at = Some(at);
                row.state = TicketState::Resolved;
                row.updated_at = at;
            }
            EventKind::DuplicateOf => {
                row.duplicate_of_id = value.parse().ok();
                row.state = TicketState::Closed;
                row.updated_at = at;
            }
            EventKind::DuplicateLinked
            | EventKind::Minutes
            | EventKind::Reuse
            | EventKind::ReuseWithdrawn
            | EventKind::Viewed => {}
        }
    }
    row
}

/// The tickets: their rows, logs and accepted answers.
async fn tickets(
    store: &Store,
    world: &World<'_>,
    plan: &Plan,
    ids: &[i64],
    progress: &mut dyn Write,
) -> anyhow::Result<()> {
    let people = world.people;
    let mut rows = Vec::with_capacity(plan.tickets.len());
    // (time, ticket, entry): the logs in one time order, so that ids follow it.
    let mut events: Vec<(DateTime<Utc>, BulkTicketEvent)> = Vec::new();
    let mut accepted = Vec::new();
    let mut peer_resolved = 0;
    for ticket in &plan.tickets {
        let mut planned: Vec<&super::helpdesk::PlanEvent> = ticket.events.iter().collect();
        planned.sort_by_key(|event| event.at);
        let log: Vec<BulkTicketEvent> = planned
            .iter()
            .map(|event| {
                let (actor, actor_is_support) = who(people, event.actor);
                let subject = event.subject.map(|s| who(people, s));
                BulkTicketEvent {
                    ticket_id: ids[ticket.starter],
                    kind: event.kind,
                    actor_id: Some(actor),
                    actor_is_support,
                    subject_id: subject.map(|(id, _)| id),
                    subject_is_support: subject.is_some_and(|(_, support)| support),
                    status_id: event.status.map(|draft| ids[draft]),
                    minutes: event.minutes,
                    value: match &event.value {
                        Value::None => None,
                        Value::Text(text) => Some(text.clone()),
                        Value::Person(person) => Some(people[*person].id.to_string()),
                        Value::Ticket(other) => Some(ids[plan.tickets[*other].starter].to_string()),
                    },
                    at: db(event.at),
                }
            })
            .collect();
        let row = fold(world, plan, ticket, &log, ids);
        let by_peer = log.iter().rev().find(|e| e.kind == EventKind::Accepted);
        if row.state == TicketState::Resolved && by_peer.is_some_and(|e| !e.subject_is_support) {
            peer_resolved += 1;
        }
        rows.push(row);
        // A question shows the answer last accepted (a reopen leaves it).
        if let Some(answer) = log
            .iter()
            .rev()
            .find(|event| event.kind == EventKind::Accepted)
            .and_then(|event| event.status_id)
        {
            accepted.push((ids[ticket.starter], answer));
        }
        events.extend(planned.iter().map(|e| e.at).zip(log));
    }
    events.sort_by_key(|(at, _)| *at);
    let entries = events.len();
    let count = |state: TicketState| rows.iter().filter(|t| t.state == state).count();
    let summary = format!(
        "  helpdesk: {} tickets ({} resolved, {peer_resolved} of them by peers; {} closed as duplicates or escalated; {} still open), {entries} log entries",
        rows.len(),
        count(TicketState::Resolved),
        count(TicketState::Closed),
        rows.len() - count(TicketState::Resolved) - count(TicketState::Closed),
    );
    store
        .bulk_tickets(rows, events.into_iter().map(|(_, e)| e).collect(), accepted)
        .await
        .context("seeding help-desk tickets")?;
    writeln!(progress, "{summary}")?;
    Ok(())
}

/// Topics and mentions of every post, as `store_links` stores them. Returns
/// each draft's mentioned people, for the notifications.
async fn links(
    store: &Store,
    world: &World<'_>,
    plan: &Plan,
    ids: &[i64],
    progress: &mut dyn Write,
) -> anyhow::Result<Vec<Vec<usize>>> {
    let by_name: HashMap<String, usize> = world
        .people
        .iter()
        .enumerate()
        .map(|(index, person)| (person.username.to_lowercase(), index))
        .collect();
    let order = minted_order(plan);
    let mut first_use: Vec<(String, chrono::NaiveDateTime)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut found = Vec::with_capacity(plan.drafts.len());
    let mut mentioned = vec![Vec::new(); plan.drafts.len()];
    for index in &order {
        let draft = &plan.drafts[*index];
        let extracted = extract(&draft.text);
        for tag in &extracted.tags {
            if seen.insert(tag.clone()) {
                first_use.push((tag.clone(), db(draft.at)));
            }
        }
        mentioned[*index] = extracted
            .mentions
            .iter()
            .filter_map(|name| by_name.get(name).copied())
            .collect();
        found.push((*index, extracted.tags));
    }
    let topics = store.bulk_tags(first_use).await.context("seeding topics")?;
    let mut tag_rows = Vec::new();
    for (index, tags) in found {
        for tag in tags {
            let tag_id = *topics
                .get(&tag)
                .with_context(|| format!("topic #{tag} was not stored"))?;
            tag_rows.push(BulkStatusTag {
                status_id: ids[index],
                tag_id,
            });
        }
    }
    let mention_rows: Vec<BulkMention> = order
        .iter()
        .flat_map(|index| {
            mentioned[*index].iter().map(|person| BulkMention {
                status_id: ids[*index],
                account_id: world.people[*person].id,
            })
        })
        .collect();
    let summary = format!(
        "  topics: {} topics on {} posts, {} mentions",
        topics.len(),
        tag_rows.len(),
        mention_rows.len()
    );
    store
        .bulk_status_links(tag_rows, mention_rows)
        .await
        .context("seeding topics and mentions")?;
    writeln!(progress, "{summary}")?;
    Ok(mentioned)
}

/// Everyone takes part in the threads they posted in, from their first post.
async fn participation(
    store: &Store,
    world: &World<'_>,
    plan: &Plan,
    ids: &[i64],
    progress: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for index in minted_order(plan) {
        let draft = &plan.drafts[index];
        if seen.insert((draft.author, draft.root)) {
            rows.push(BulkParticipation {
                account_id: world.people[draft.author].id,
                thread_id: ids[draft.root],
                created_at: db(draft.at),
            });
        }
    }
    let count = rows.len();
    store
        .bulk_thread_participation(rows)
        .await
        .context("seeding thread participation")?;
    writeln!(progress, "  threads: {count} people-in-thread")?;
    Ok(())
}

/// The interactions in time order (their ids follow it).
fn interactions_in_order(plan: &Plan) -> Vec<usize> {
    let mut order: Vec<usize> = (0..plan.interactions.len()).collect();
    order.sort_by_key(|index| (plan.interactions[*index].at, *index));
    order
}

/// Favourites and reactions.
async fn reactions(
    store: &Store,
    world: &World<'_>,
    plan: &Plan,
    ids: &[i64],
    progress: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut favourites = Vec::new();
    let mut reactions = Vec::new();
    for index in interactions_in_order(plan) {
        let touch = &plan.interactions[index];
        let account_id = world.people[touch.who].id;
        let status_id = ids[touch.draft];
        let created_at = db(touch.at);
        match touch.touch {
            Touch::Favourite => favourites.push(BulkFavourite {
                account_id,
                status_id,
                created_at,
            }),
            Touch::React(reaction) => reactions.push(BulkReaction {
                account_id,
                status_id,
                reaction,
                created_at,
            }),
        }
    }
    let same_here = reactions
        .iter()
        .filter(|r| r.reaction == Reaction::SameHere)
        .count();
    let summary = format!(
        "  reactions: {} favourites, {} reactions ({same_here} \"same here\")",
        favourites.len(),
        reactions.len()
    );
    store
        .bulk_favourites(favourites)
        .await
        .context("seeding favourites")?;
    store
        .bulk_reactions(reactions)
        .await
        .context("seeding reactions")?;
    writeln!(progress, "{summary}")?;
    Ok(())
}

/// What the write paths would have notified: mentions and replies
/// (`notify_post`), favourites and reactions, accepted answers; never the actor
/// themself, and only about posts the recipient may see.
async fn notifications(
    store: &Store,
    world: &World<'_>,
    plan: &Plan,
    ids: &[i64],
    mentioned: &[Vec<usize>],
    progress: &mut dyn Write,
) -> anyhow::Result<()> {
    struct Planned {
        at: DateTime<Utc>,
        recipient: usize,
        from: usize,
        kind: NotificationKind,
        draft: usize,
        reaction: Option<Reaction>,
    }
    let mut planned = Vec::new();
    for index in minted_order(plan) {
        let draft = &plan.drafts[index];
        let mut recipients: Vec<usize> = mentioned[index].clone();
        recipients.extend(draft.parent.map(|parent| plan.drafts[parent].author));
        recipients.sort_by_key(|person| world.people[*person].id);
        recipients.dedup();
        planned.extend(recipients.into_iter().map(|recipient| Planned {
            at: draft.at,
            recipient,
            from: draft.author,
            kind: NotificationKind::Mention,
            draft: index,
            reaction: None,
        }));
    }
    for index in interactions_in_order(plan) {
        let touch = &plan.interactions[index];
        let (kind, reaction) = match touch.touch {
            Touch::Favourite => (NotificationKind::Favourite, None),
            Touch::React(reaction) => (NotificationKind::Reaction, Some(reaction)),
        };
        planned.push(Planned {
            at: touch.at,
            recipient: plan.drafts[touch.draft].author,
            from: touch.who,
            kind,
            draft: touch.draft,
            reaction,
        });
    }
    planned.extend(plan.notices.iter().map(|notice| Planned {
        at: notice.at,
        recipient: notice.recipient,
        from: notice.from,
        kind: notice.kind,
        draft: notice.draft,
        reaction: None,
    }));
    // Stable: at the same instant, in the order the causes were listed.
    planned.sort_by_key(|notice| notice.at);
    let rows: Vec<BulkNotification> = planned
        .into_iter()
        .filter(|n| n.recipient != n.from)
        .filter(|n| world.can_see(n.recipient, plan.drafts[n.draft].community))
        .map(|n| BulkNotification {
            account_id: world.people[n.recipient].id,
            kind: n.kind,
            from_account_id: world.people[n.from].id,
            status_id: Some(ids[n.draft]),
            reaction: n.reaction,
            created_at: db(n.at),
        })
        .collect();
    let count = rows.len();
    for chunk in rows.chunks(20_000) {
        store
            .bulk_notifications(chunk.to_vec())
            .await
            .context("seeding notifications")?;
    }
    writeln!(progress, "  notifications: {count}")?;
    Ok(())
}
