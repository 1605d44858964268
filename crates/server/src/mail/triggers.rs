//! What people must not miss, read from the outbox. Each event kind that should
//! email someone is one arm here: today a reply to someone's post. Mentions,
//! accepted answers and ticket state changes arrive as their own events from the
//! social, questions and help-desk work, and become arms of the same `match`
//! (their `EmailKind`s and opt-outs exist already).

use hubbub_core::email::EmailKind;
use hubbub_core::event::{Event, EventBody};
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
        } => {
            let Some(status) = store.status(*status_id, Some(*author)).await? else {
                return Ok(Vec::new());
            };
            let Some(parent_id) = status.in_reply_to_id else {
                return Ok(Vec::new());
            };
            let Some(parent) = store.status(parent_id, Some(*author)).await? else {
                return Ok(Vec::new());
            };
            // Nobody needs an email about their own reply, nor about one they may
            // not see (a reply in a private community they are not in).
            if parent.account_id == *author
                || store
                    .status(*status_id, Some(parent.account_id))
                    .await?
                    .is_none()
            {
                return Ok(Vec::new());
            }
            let thread_id = store.thread_root(parent_id).await?.unwrap_or(parent_id);
            Ok(vec![NewNotice {
                dedup_key: format!("reply:{}:{}", status_id, parent.account_id),
                account_id: parent.account_id,
                kind: EmailKind::Reply,
                thread_id,
                status_id: *status_id,
                actor_id: *author,
            }])
        }
        _ => Ok(Vec::new()),
    }
}
