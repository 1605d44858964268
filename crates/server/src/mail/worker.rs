//! The email worker: one task per node, polling; each step is safe to run on many
//! nodes at once (cursor moves in a transaction, emails are claimed with a lease,
//! digests move on only if still due).

use super::compose::{ThreadNotice, thread_email};
use super::digest::{DigestContext, default_sources, sections};
use super::transport::Transport;
use super::triggers::notices_for;
use crate::settings_email::EmailSettings;
use chrono::{DateTime, Duration, Utc};
use hubbub_core::clock::Clock;
use hubbub_core::email::EmailKind;
use hubbub_core::ids::{IdGenerator, TicketId};
use hubbub_storage::Store;
use hubbub_storage::email::{EmailPreferences, NewEmail};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The planner's cursor name in `email_cursor`.
const CURSOR: &str = "notices";
/// How long a claimed email is reserved for the worker sending it.
const LEASE_SECS: i64 = 300;
/// The longest wait between delivery attempts.
const MAX_RETRY_SECS: i64 = 3600;

/// What the worker needs.
pub struct MailContext {
    /// The database.
    pub store: Store,
    /// Delivery and batching settings.
    pub settings: EmailSettings,
    /// Base URL of links in emails.
    pub base_url: String,
    /// Mints ids.
    pub ids: Arc<IdGenerator>,
    /// The time.
    pub clock: Arc<dyn Clock>,
}

/// Starts the worker; it stops when `stop` turns true.
pub fn spawn(ctx: MailContext, mut stop: watch::Receiver<bool>) -> anyhow::Result<JoinHandle<()>> {
    let transport = Transport::new(&ctx.settings)?;
    Ok(tokio::spawn(async move {
        tracing::info!(delivery = ?ctx.settings.delivery, "email worker started");
        loop {
            if let Err(error) = tick(&ctx, &transport).await {
                tracing::warn!(error = %format!("{error:#}"), "email worker: will retry");
            }
            tokio::select! {
                _ = tokio::time::sleep(ctx.settings.poll) => {}
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        break;
                    }
                }
            }
        }
    }))
}

async fn tick(ctx: &MailContext, transport: &Transport) -> anyhow::Result<()> {
    plan_notices(ctx).await?;
    ensure_preferences(ctx).await?;
    batch_notices(ctx).await?;
    schedule_digests(ctx).await?;
    deliver(ctx, transport).await
}

/// Reads new outbox events and records the notices they give.
async fn plan_notices(ctx: &MailContext) -> anyhow::Result<()> {
    let cursor = ctx.store.email_cursor(CURSOR).await?;
    let events = ctx.store.events_after(cursor, 200).await?;
    for event in events {
        let now = ctx.clock.now();
        let notices = notices_for(&ctx.store, &event)
            .await?
            .into_iter()
            .map(|notice| (ctx.ids.next(now), notice))
            .collect();
        ctx.store
            .record_notices(CURSOR, event.id, notices, now)
            .await?;
    }
    Ok(())
}

/// Gives everyone who has none the starting preferences (digest on).
async fn ensure_preferences(ctx: &MailContext) -> anyhow::Result<()> {
    for account in ctx.store.accounts_without_email_preferences(100).await? {
        let now = ctx.clock.now();
        let prefs = EmailPreferences::starting(
            account,
            ctx.settings.time_zone,
            now,
            hubbub_api::sso::oidc::random_token(),
        );
        ctx.store.save_email_preferences(prefs, now).await?;
    }
    Ok(())
}

/// Turns waiting notices into emails, one per person and thread, at most one per
/// batch window: notices that arrive within the window wait and go out together.
async fn batch_notices(ctx: &MailContext) -> anyhow::Result<()> {
    let window = Duration::from_std(ctx.settings.batch_window)?;
    for (account_id, thread_id, last_email) in ctx.store.pending_notice_threads(100).await? {
        let now = ctx.clock.now();
        if last_email.is_some_and(|last| now < last + window) {
            continue;
        }
        let notices = ctx.store.pending_notices(account_id, thread_id).await?;
        let Some(prefs) = ctx.store.email_preferences(account_id).await? else {
            continue;
        };
        let Some(recipient) = ctx.store.account(account_id).await? else {
            continue;
        };
        let ids: Vec<i64> = notices.iter().map(|n| n.id).collect();
        let wanted: Vec<_> = notices
            .iter()
            .filter(|n| !recipient.disabled && prefs.wants(n.kind))
            .collect();
        let Some(first) = wanted.first() else {
            ctx.store.handle_notices(ids, None, now).await?;
            continue;
        };
        let mut status_ids: Vec<_> = wanted.iter().map(|n| n.status_id).collect();
        status_ids.push(thread_id);
        let statuses: HashMap<_, _> = ctx
            .store
            .statuses_by_ids(&status_ids, account_id)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let mut account_ids: Vec<_> = statuses.values().map(|s| s.account_id).collect();
        account_ids.extend(wanted.iter().map(|n| n.actor_id));
        account_ids.sort();
        account_ids.dedup();
        let accounts: HashMap<_, _> = ctx
            .store
            .accounts(&account_ids)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let items: Vec<ThreadNotice> = wanted
            .iter()
            .filter_map(|n| {
                let status = statuses
                    .get(&n.status_id)
                    .filter(|s| s.deleted_at.is_none())?;
                Some(ThreadNotice {
                    kind: n.kind,
                    status: status.clone(),
                    author: accounts.get(&status.account_id)?.clone(),
                    actor: accounts.get(&n.actor_id)?.clone(),
                })
            })
            .collect();
        let root = statuses.get(&thread_id);
        let root_author = root.and_then(|r| accounts.get(&r.account_id));
        let (Some(root), Some(root_author)) = (root, root_author) else {
            ctx.store.handle_notices(ids, None, now).await?;
            continue;
        };
        let about_ticket = items
            .iter()
            .any(|n| matches!(n.kind, EmailKind::AcceptedAnswer | EmailKind::TicketUpdate));
        let ticket_state = if about_ticket {
            ctx.store
                .ticket(TicketId(thread_id.0))
                .await?
                .map(|ticket| ticket.state)
        } else {
            None
        };
        let Some((kind, rendered)) = thread_email(
            &ctx.base_url,
            &recipient,
            &prefs,
            root,
            root_author,
            ticket_state,
            &items,
        ) else {
            ctx.store.handle_notices(ids, None, now).await?;
            continue;
        };
        let email = NewEmail {
            dedup_key: format!("{}.{}.{}", kind.as_str(), account_id, first.id),
            account_id,
            kind,
            thread_id: Some(thread_id),
            to_address: mailbox(&recipient),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
            unsubscribe_url: super::compose::unsubscribe_link(&ctx.base_url, &prefs, kind),
        };
        ctx.store
            .handle_notices(ids, Some((ctx.ids.next(now), email)), now)
            .await?;
    }
    Ok(())
}

fn mailbox(account: &hubbub_storage::model::Account) -> String {
    let name = super::compose::name_of(account).replace(['"', '\\', '<', '>'], "");
    format!("\"{name}\" <{}>", account.email)
}

/// Queues the digests that are due (skipping empty ones) and moves each person's
/// next digest a week on.
async fn schedule_digests(ctx: &MailContext) -> anyhow::Result<()> {
    let sources = default_sources();
    for prefs in ctx.store.due_digests(ctx.clock.now(), 20).await? {
        let now = ctx.clock.now();
        let next = prefs.digest.next_at_or_after(now + Duration::minutes(1));
        let Some(recipient) = ctx.store.account(prefs.account_id).await? else {
            continue;
        };
        let email = if recipient.disabled || !prefs.wants(EmailKind::Digest) {
            None
        } else {
            let digest_ctx = DigestContext {
                store: &ctx.store,
                recipient: &recipient,
                from: now - Duration::weeks(1),
                to: now,
                base: &ctx.base_url,
            };
            let loaded = sections(&sources, &digest_ctx).await?;
            super::compose::digest_email(&ctx.base_url, &recipient, &prefs, now, &loaded).map(
                |rendered| NewEmail {
                    dedup_key: format!(
                        "digest.{}.{}",
                        prefs.account_id,
                        prefs.next_digest_at.timestamp()
                    ),
                    account_id: prefs.account_id,
                    kind: EmailKind::Digest,
                    thread_id: None,
                    to_address: mailbox(&recipient),
                    subject: rendered.subject,
                    text_body: rendered.text,
                    html_body: rendered.html,
                    unsubscribe_url: super::compose::unsubscribe_link(
                        &ctx.base_url,
                        &prefs,
                        EmailKind::Digest,
                    ),
                },
            )
        };
        let email = email.map(|email| (ctx.ids.next(now), email));
        ctx.store
            .finish_digest(prefs.account_id, prefs.next_digest_at, next, email, now)
            .await?;
    }
    Ok(())
}

/// Sends what is due; a failure is retried later with exponential back-off.
async fn deliver(ctx: &MailContext, transport: &Transport) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    let claimed = ctx
        .store
        .claim_due_emails(now, now + Duration::seconds(LEASE_SECS), 20)
        .await?;
    for email in claimed {
        match transport.send(&ctx.settings.from, &email).await {
            Ok(()) => {
                ctx.store.email_sent(email.id, ctx.clock.now()).await?;
                tracing::info!(id = email.id, kind = %email.kind, "email sent");
            }
            Err(error) => {
                let retry_at = retry_at(ctx, email.attempts, ctx.clock.now());
                tracing::warn!(id = email.id, attempts = email.attempts, %retry_at, error = %format!("{error:#}"), "email not sent; will retry");
                ctx.store
                    .email_failed(email.id, format!("{error:#}"), retry_at)
                    .await?;
            }
        }
    }
    Ok(())
}

/// base × 2^(attempts − 1), at most an hour.
fn retry_at(ctx: &MailContext, attempts: i32, now: DateTime<Utc>) -> DateTime<Utc> {
    let base = i64::try_from(ctx.settings.retry_base.as_secs()).unwrap_or(30);
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(0);
    let delay = base.saturating_mul(1_i64 << exponent).min(MAX_RETRY_SECS);
    now + Duration::seconds(delay)
}
