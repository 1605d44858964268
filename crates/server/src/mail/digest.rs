//! The weekly digest's sections. Each is a [`DigestSource`]; the digest asks every
//! source in order and leaves out empty sections, and is skipped entirely when all
//! are empty.
//!
//! The sections: [`ActiveThreads`] (the busiest threads that concern the person),
//! [`UnansweredTickets`] (help-desk tickets nobody answered yet, in the person's
//! communities and topics) and [`MyTickets`] (the state of the tickets they
//! opened). Another section is a struct implementing `DigestSource`, added to
//! [`default_sources`].

use super::compose::{DigestItem, DigestSection, excerpt, name_of, state_words, status_link};
use chrono::{DateTime, Utc};
use hubbub_storage::model::Account;
use hubbub_storage::{StorageError, Store};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

/// What a section needs to know.
pub struct DigestContext<'a> {
    /// The database.
    pub store: &'a Store,
    /// Who the digest is for.
    pub recipient: &'a Account,
    /// The period covered, `[from, to)`.
    pub from: DateTime<Utc>,
    /// End of the period.
    pub to: DateTime<Utc>,
    /// Base URL for links.
    pub base: &'a str,
}

/// A boxed future, so sources can be kept in a list.
pub type SectionFuture<'a> =
    Pin<Box<dyn Future<Output = Result<DigestSection, StorageError>> + Send + 'a>>;

/// One section of the digest.
pub trait DigestSource: Send + Sync {
    /// Loads the section for one person (possibly with no items).
    fn load<'a>(&'a self, ctx: &'a DigestContext<'a>) -> SectionFuture<'a>;
}

/// The sections every digest has, in order.
pub fn default_sources() -> Vec<Box<dyn DigestSource>> {
    vec![
        Box::new(ActiveThreads { limit: 5 }),
        Box::new(UnansweredTickets { limit: 5 }),
        Box::new(MyTickets { limit: 10 }),
    ]
}

/// The threads with the most replies in the period in the person's communities
/// and topics, by people they follow, or that they take part in or follow; only
/// those they may see (a thread in a private community they are not in is left out).
pub struct ActiveThreads {
    /// At most this many threads.
    pub limit: i64,
}

impl DigestSource for ActiveThreads {
    fn load<'a>(&'a self, ctx: &'a DigestContext<'a>) -> SectionFuture<'a> {
        Box::pin(async move {
            // Ask for more than shown: some may be in private communities.
            let activity = ctx
                .store
                .most_active_threads(
                    ctx.recipient.id,
                    ctx.from,
                    ctx.to,
                    self.limit.saturating_mul(4),
                )
                .await?;
            let ids: Vec<_> = activity.iter().map(|a| a.thread_id).collect();
            let roots = ctx.store.statuses_by_ids(&ids, ctx.recipient.id).await?;
            let author_ids: Vec<_> = roots.iter().map(|s| s.account_id).collect();
            let authors: HashMap<_, _> = ctx
                .store
                .accounts(&author_ids)
                .await?
                .into_iter()
                .map(|a| (a.id, a))
                .collect();
            let roots: HashMap<_, _> = roots.into_iter().map(|s| (s.id, s)).collect();
            let items = activity
                .iter()
                .filter_map(|a| {
                    let root = roots.get(&a.thread_id)?;
                    let author = authors.get(&root.account_id)?;
                    let replies = if a.replies == 1 {
                        "1 reply".to_owned()
                    } else {
                        format!("{} replies", a.replies)
                    };
                    Some(DigestItem {
                        text: format!(
                            "{}: \"{}\" ({replies})",
                            name_of(author),
                            excerpt(&root.text, 80)
                        ),
                        link: status_link(ctx.base, author, root),
                    })
                })
                .take(usize::try_from(self.limit).unwrap_or(5))
                .collect();
            Ok(DigestSection {
                title: "Most active threads".to_owned(),
                items,
            })
        })
    }
}

/// Help-desk tickets nobody has answered yet that the person might answer: in a
/// community they are in or tagged with a topic they follow, visible to them, not
/// their own; newest first.
pub struct UnansweredTickets {
    /// At most this many tickets.
    pub limit: i64,
}

impl DigestSource for UnansweredTickets {
    fn load<'a>(&'a self, ctx: &'a DigestContext<'a>) -> SectionFuture<'a> {
        Box::pin(async move {
            let starters = ctx
                .store
                .unanswered_tickets_for(ctx.recipient.id, ctx.to, self.limit)
                .await?;
            let author_ids: Vec<_> = starters.iter().map(|s| s.account_id).collect();
            let authors: HashMap<_, _> = ctx
                .store
                .accounts(&author_ids)
                .await?
                .into_iter()
                .map(|a| (a.id, a))
                .collect();
            let items = starters
                .iter()
                .filter_map(|starter| {
                    let author = authors.get(&starter.account_id)?;
                    Some(DigestItem {
                        text: format!("{}: \"{}\"", name_of(author), excerpt(&starter.text, 80)),
                        link: status_link(ctx.base, author, starter),
                    })
                })
                .collect();
            Ok(DigestSection {
                title: "Unanswered questions you might answer".to_owned(),
                items,
            })
        })
    }
}

/// The help-desk tickets the person opened that are still open or changed in the
/// period, with their state; newest first.
pub struct MyTickets {
    /// At most this many tickets.
    pub limit: i64,
}

impl DigestSource for MyTickets {
    fn load<'a>(&'a self, ctx: &'a DigestContext<'a>) -> SectionFuture<'a> {
        Box::pin(async move {
            let tickets = ctx
                .store
                .tickets_asked_by(ctx.recipient.id, ctx.from, self.limit)
                .await?;
            let items = tickets
                .iter()
                .map(|(ticket, starter)| {
                    let answered = if ticket.answer_id.is_some() {
                        ", answer accepted"
                    } else if ticket.first_response_at.is_none() {
                        ", no answer yet"
                    } else {
                        ""
                    };
                    DigestItem {
                        text: format!(
                            "\"{}\": {}{answered}",
                            excerpt(&starter.text, 80),
                            state_words(ticket.state)
                        ),
                        link: status_link(ctx.base, ctx.recipient, starter),
                    }
                })
                .collect();
            Ok(DigestSection {
                title: "Your help-desk tickets".to_owned(),
                items,
            })
        })
    }
}

/// Loads every section.
pub async fn sections(
    sources: &[Box<dyn DigestSource>],
    ctx: &DigestContext<'_>,
) -> Result<Vec<DigestSection>, StorageError> {
    let mut out = Vec::with_capacity(sources.len());
    for source in sources {
        out.push(source.load(ctx).await?);
    }
    Ok(out)
}
