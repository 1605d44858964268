//! Models of email: preferences, notices waiting to be batched, queued emails.

use chrono::{DateTime, Utc};
use hubbub_core::email::{DigestSchedule, EmailKind};
use hubbub_core::ids::{AccountId, StatusId};

/// One person's email preferences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailPreferences {
    /// Whose.
    pub account_id: AccountId,
    /// Kinds the person opted out of.
    pub disabled: Vec<EmailKind>,
    /// When the digest goes out.
    pub digest: DigestSchedule,
    /// When the next digest is due.
    pub next_digest_at: DateTime<Utc>,
    /// The secret in one-click unsubscribe links.
    pub unsubscribe_token: String,
}

impl EmailPreferences {
    /// Whether the person wants emails of `kind`.
    pub fn wants(&self, kind: EmailKind) -> bool {
        !self.disabled.contains(&kind)
    }
}

/// Something one person should hear about, before batching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    /// Makes a trigger seen twice count once, e.g. `reply:<status>:<recipient>`.
    pub dedup_key: String,
    /// Who should hear about it.
    pub account_id: AccountId,
    /// What kind of email it becomes.
    pub kind: EmailKind,
    /// The first post of the thread: emails are batched per thread.
    pub thread_id: StatusId,
    /// The post it is about.
    pub status_id: StatusId,
    /// Who did it.
    pub actor_id: AccountId,
}

/// A notice waiting for its email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Its id.
    pub id: i64,
    /// Who should hear about it.
    pub account_id: AccountId,
    /// Its kind.
    pub kind: EmailKind,
    /// Its thread.
    pub thread_id: StatusId,
    /// The post it is about.
    pub status_id: StatusId,
    /// Who did it.
    pub actor_id: AccountId,
    /// When it was noticed.
    pub created_at: DateTime<Utc>,
}

/// An email ready to be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail {
    /// Makes queuing the same email twice a no-op; also its `Message-ID`.
    pub dedup_key: String,
    /// The recipient.
    pub account_id: AccountId,
    /// `reply`, `digest`, ...
    pub kind: EmailKind,
    /// The thread it is about, for batching.
    pub thread_id: Option<StatusId>,
    /// The address.
    pub to_address: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text_body: String,
    /// HTML part.
    pub html_body: String,
    /// One-click unsubscribe URL (`List-Unsubscribe`).
    pub unsubscribe_url: String,
}

/// A queued email, as the sender sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedEmail {
    /// Its id.
    pub id: i64,
    /// Its de-duplication key.
    pub dedup_key: String,
    /// Its kind.
    pub kind: EmailKind,
    /// The address.
    pub to_address: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text_body: String,
    /// HTML part.
    pub html_body: String,
    /// One-click unsubscribe URL.
    pub unsubscribe_url: String,
    /// Delivery attempts so far, including the current one once claimed.
    pub attempts: i32,
    /// When it was sent, if it was.
    pub sent_at: Option<DateTime<Utc>>,
    /// The last delivery error.
    pub last_error: Option<String>,
}

/// A thread with how many replies it got in a period (for the digest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadActivity {
    /// The first post of the thread.
    pub thread_id: StatusId,
    /// Replies in the period.
    pub replies: i64,
}

impl EmailPreferences {
    /// Everyone's starting point: every email on, the digest on `schedule`'s default
    /// day and time in `time_zone`, first due at the next such time after `now`.
    pub fn starting(
        account_id: AccountId,
        time_zone: chrono_tz::Tz,
        now: DateTime<Utc>,
        unsubscribe_token: String,
    ) -> Self {
        let digest = DigestSchedule {
            time_zone,
            ..DigestSchedule::default()
        };
        Self {
            account_id,
            disabled: Vec::new(),
            next_digest_at: digest.next_at_or_after(now),
            digest,
            unsubscribe_token,
        }
    }
}
