//! What people must not miss, read from the outbox. Each event kind that should
//! email someone is one arm here:
//!
//! - a new post: the author of the post it replies to (`Reply`) and the people it
//!   mentions (`Mention`, from the stored mentions);
//! - a help-desk ticket change: its asker, when an answer is accepted
//!   (`AcceptedAnswer`) or its state changes (`TicketUpdate`);
//! - an answer accepted on a question that is no ticket, by someone other than
//!   the asker: the asker (`AcceptedAnswer`), from their notification.
//!
//! Nobody is emailed about their own doing, nor about a post they may not see.

use hubbub_core::email::EmailKind;
use hubbub_core::event::{Event, EventBody};
use hubbub_core::helpdesk::ticket::EventKind;
use hubbub_core::ids::{AccountId, StatusId, TicketId};
use hubbub_storage::email::NewNotice;
use hubbub_storage::{StorageError, Store};

/// The notices an event gives, without ids.
pub(crate) async fn notices_for(
    store: &Store,
    event: &Event,
) -> Result<Vec<NewNotice>, StorageError> {
    match &event.body {
        EventBody::StatusCreated {
            author, status_id, ..
        } => post_notices(store, *author, *status_id).await,
        EventBody::HelpdeskTicketChanged {
            ticket_id, change, ..
        } => ticket_notices(store, event, *ticket_id, change).await,
        EventBody::NotificationCreated {
            account,
            notification_json,
        } => question_notices(store, event, *account, notification_json).await,
        _ => Ok(Vec::new()),
    }
}

/// A reply to someone's post, and mentions of people in it.
async fn post_notices(
    store: &Store,
    author: AccountId,
    status_id: StatusId,
) -> Result<Vec<NewNotice>, StorageError> {
    let Some(status) = store.status(status_id, Some(author)).await? else {
        return Ok(Vec::new());
    };
    let mut notices = Vec::new();
    let parent = match status.in_reply_to_id {
        Some(parent_id) => store.status(parent_id, Some(author)).await?,
        None => None,
    };
    let thread_id = match status.in_reply_to_id {
        Some(parent_id) => store.thread_root(parent_id).await?.unwrap_or(parent_id),
        None => status_id,
    };
    let mut replied_to = None;
    if let Some(parent) = parent {
        // Nobody needs an email about their own reply, nor about one they may
        // not see (a reply in a private community they are not in).
        if parent.account_id != author
            && store
                .status(status_id, Some(parent.account_id))
                .await?
                .is_some()
        {
            replied_to = Some(parent.account_id);
            notices.push(NewNotice {
                dedup_key: format!("reply:{}:{}", status_id, parent.account_id),
                account_id: parent.account_id,
                kind: EmailKind::Reply,
                thread_id,
                status_id,
                actor_id: author,
            });
        }
    }
    for mentioned in store.mentioned_accounts(status_id).await? {
        // The replied-to author hears about the reply already.
        if mentioned == author || Some(mentioned) == replied_to {
            continue;
        }
        if store.status(status_id, Some(mentioned)).await?.is_none() {
            continue;
        }
        notices.push(NewNotice {
            dedup_key: format!("mention:{status_id}:{mentioned}"),
            account_id: mentioned,
            kind: EmailKind::Mention,
            thread_id,
            status_id,
            actor_id: author,
        });
    }
    Ok(notices)
}

/// An accepted answer or a state change of a ticket, for its asker.
async fn ticket_notices(
    store: &Store,
    event: &Event,
    ticket_id: TicketId,
    change: &str,
) -> Result<Vec<NewNotice>, StorageError> {
    let Ok(change) = change.parse::<EventKind>() else {
        return Ok(Vec::new());
    };
    let kind = match change {
        EventKind::Accepted => EmailKind::AcceptedAnswer,
        EventKind::State | EventKind::Reopened | EventKind::DuplicateOf => EmailKind::TicketUpdate,
        _ => return Ok(Vec::new()),
    };
    let Some(ticket) = store.ticket(ticket_id).await? else {
        return Ok(Vec::new());
    };
    // The log entry this event announced: the latest of its kind.
    let log = store.ticket_log(ticket_id).await?;
    let Some(entry) = log.iter().rev().find(|e| e.entry.kind == change) else {
        return Ok(Vec::new());
    };
    let Some(actor) = entry.entry.actor else {
        return Ok(Vec::new());
    };
    if actor == ticket.asker_id {
        return Ok(Vec::new());
    }
    let starter = StatusId(ticket_id.0);
    let status_id = match kind {
        EmailKind::AcceptedAnswer => entry.entry.status_id.unwrap_or(starter),
        _ => starter,
    };
    if store
        .status(status_id, Some(ticket.asker_id))
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    Ok(vec![NewNotice {
        dedup_key: format!("ticket:{}:{}", event.id, ticket.asker_id),
        account_id: ticket.asker_id,
        kind,
        thread_id: starter,
        status_id,
        actor_id: actor,
    }])
}

/// The parts of a Notification entity the accepted-question email needs.
#[derive(serde::Deserialize)]
struct NotificationFacts {
    #[serde(rename = "type")]
    kind: String,
    account: IdOnly,
    status: Option<IdOnly>,
}

#[derive(serde::Deserialize)]
struct IdOnly {
    id: String,
}

/// An answer accepted on `recipient`'s own question (not a ticket: tickets
/// email through their log) by someone else, from the asker's notification.
async fn question_notices(
    store: &Store,
    event: &Event,
    recipient: AccountId,
    notification_json: &str,
) -> Result<Vec<NewNotice>, StorageError> {
    let Ok(facts) = serde_json::from_str::<NotificationFacts>(notification_json) else {
        return Ok(Vec::new());
    };
    let ids = (
        facts.account.id.parse().map(AccountId),
        facts.status.map(|status| status.id.parse().map(StatusId)),
    );
    let (Ok(actor), Some(Ok(answer))) = ids else {
        return Ok(Vec::new());
    };
    if facts.kind != "hubbub.answer_accepted" || actor == recipient {
        return Ok(Vec::new());
    }
    let Some(answer_post) = store.status(answer, Some(recipient)).await? else {
        return Ok(Vec::new());
    };
    let question = answer_post.thread_id;
    let asked = store
        .status(question, Some(recipient))
        .await?
        .is_some_and(|question| question.account_id == recipient);
    if !asked || store.ticket(TicketId(question.0)).await?.is_some() {
        return Ok(Vec::new());
    }
    Ok(vec![NewNotice {
        dedup_key: format!("question:{}:{}", event.id, recipient),
        account_id: recipient,
        kind: EmailKind::AcceptedAnswer,
        thread_id: question,
        status_id: answer,
        actor_id: actor,
    }])
}
