//! Email settings (`HUBBUB_SMTP_URL`, `HUBBUB_EMAIL_*`).

use crate::settings::{SettingsError, bad, redact_url};
use clap::Args;
use std::path::Path;
use std::time::Duration;

/// Raw email settings; every field is optional and defaults are applied by `check`.
#[derive(Debug, Clone, Default, Args)]
pub struct RawEmailSettings {
    /// SMTP server, e.g. smtp://user:pass@host:587?tls=starttls or smtps://host:465;
    /// unset: emails are written as .eml files to <data dir>/mail/.
    #[arg(long, env = "HUBBUB_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of every email (default "Hubbub <hubbub@localhost>").
    #[arg(long, env = "HUBBUB_EMAIL_FROM")]
    pub email_from: Option<String>,
    /// At most one email per thread per this many seconds, per person (default 600).
    #[arg(long, env = "HUBBUB_EMAIL_BATCH_SECONDS")]
    pub email_batch_seconds: Option<String>,
    /// First retry delay after a failed delivery, in seconds; doubles each time (default 30).
    #[arg(long, env = "HUBBUB_EMAIL_RETRY_SECONDS")]
    pub email_retry_seconds: Option<String>,
    /// How often the email worker looks for work, in milliseconds (default 2000).
    #[arg(long, env = "HUBBUB_EMAIL_POLL_MS")]
    pub email_poll_ms: Option<String>,
    /// Time zone of new people's digest (default UTC), e.g. Europe/Berlin.
    #[arg(long, env = "HUBBUB_EMAIL_TIME_ZONE")]
    pub email_time_zone: Option<String>,
}

/// Where email goes.
#[derive(Clone, PartialEq, Eq)]
pub enum Delivery {
    /// An SMTP server (the URL, in lettre's form).
    Smtp(String),
    /// `.eml` files in this folder.
    Files(std::path::PathBuf),
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp(url) => write!(f, "Smtp({})", redact_url(url)),
            Self::Files(dir) => write!(f, "Files({})", dir.display()),
        }
    }
}

/// Checked email settings.
#[derive(Debug, Clone)]
pub struct EmailSettings {
    /// Where email goes.
    pub delivery: Delivery,
    /// The `From` mailbox.
    pub from: String,
    /// Batching window per thread and person.
    pub batch_window: Duration,
    /// First retry delay.
    pub retry_base: Duration,
    /// Worker poll interval.
    pub poll: Duration,
    /// Default digest time zone.
    pub time_zone: chrono_tz::Tz,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn seconds(
    raw: Option<&str>,
    default: u64,
    max: u64,
    variable: &'static str,
    flag: &'static str,
) -> Result<u64, SettingsError> {
    match raw {
        None => Ok(default),
        Some(raw) => raw
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| {
                bad(
                    variable,
                    flag,
                    format!("'{raw}' is not a whole number up to {max}"),
                )
            }),
    }
}

impl RawEmailSettings {
    /// Checks the values; `data_dir` holds the `mail/` folder when SMTP is not set.
    pub fn check(&self, data_dir: &Path) -> Result<EmailSettings, SettingsError> {
        let delivery = match given(&self.smtp_url) {
            None => Delivery::Files(data_dir.join("mail")),
            Some(url) => {
                // `tls=starttls` is the name people know; lettre calls it `required`.
                let url = url.replace("tls=starttls", "tls=required");
                if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    return Err(bad(
                        "HUBBUB_SMTP_URL",
                        "smtp-url",
                        format!("'{}' is not an smtp:// or smtps:// URL", redact_url(&url)),
                    ));
                }
                lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url).map_err(
                    |e| {
                        bad(
                            "HUBBUB_SMTP_URL",
                            "smtp-url",
                            format!("{}: {e}", redact_url(&url)),
                        )
                    },
                )?;
                Delivery::Smtp(url)
            }
        };
        let from = given(&self.email_from)
            .unwrap_or("Hubbub <hubbub@localhost>")
            .to_owned();
        from.parse::<lettre::message::Mailbox>().map_err(|e| {
            bad(
                "HUBBUB_EMAIL_FROM",
                "email-from",
                format!("'{from}' is not a mailbox: {e}"),
            )
        })?;
        let batch = seconds(
            given(&self.email_batch_seconds),
            600,
            86_400,
            "HUBBUB_EMAIL_BATCH_SECONDS",
            "email-batch-seconds",
        )?;
        let retry = seconds(
            given(&self.email_retry_seconds),
            30,
            3600,
            "HUBBUB_EMAIL_RETRY_SECONDS",
            "email-retry-seconds",
        )?
        .max(1);
        let poll = seconds(
            given(&self.email_poll_ms),
            2000,
            600_000,
            "HUBBUB_EMAIL_POLL_MS",
            "email-poll-ms",
        )?
        .max(10);
        let time_zone = given(&self.email_time_zone)
            .unwrap_or("UTC")
            .parse::<chrono_tz::Tz>()
            .map_err(|_| {
                bad(
                    "HUBBUB_EMAIL_TIME_ZONE",
                    "email-time-zone",
                    "is not an IANA time zone, e.g. Europe/Berlin",
                )
            })?;
        Ok(EmailSettings {
            delivery,
            from,
            batch_window: Duration::from_secs(batch),
            retry_base: Duration::from_secs(retry),
            poll: Duration::from_millis(poll),
            time_zone,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_smtp_mail_goes_to_files_in_the_data_folder() {
        let settings = RawEmailSettings::default()
            .check(Path::new("/tmp/d"))
            .unwrap();
        assert_eq!(settings.delivery, Delivery::Files("/tmp/d/mail".into()));
        assert_eq!(settings.batch_window, Duration::from_secs(600));
    }

    #[test]
    fn starttls_urls_are_accepted_and_their_password_is_never_shown() {
        let raw = RawEmailSettings {
            smtp_url: Some("smtp://mailer:pa55@mail.example.com:587?tls=starttls".into()),
            ..Default::default()
        };
        let settings = raw.check(Path::new("/tmp")).unwrap();
        assert!(!format!("{settings:?}").contains("pa55"));
        let bad_url = RawEmailSettings {
            smtp_url: Some("http://mail".into()),
            ..Default::default()
        };
        assert!(
            bad_url
                .check(Path::new("/tmp"))
                .unwrap_err()
                .to_string()
                .starts_with("HUBBUB_SMTP_URL")
        );
    }
}
