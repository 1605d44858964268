//! Delivery: SMTP through lettre (STARTTLS or TLS, with auth), or `.eml` files.

use crate::settings_email::{Delivery, EmailSettings};
use anyhow::Context;
use hubbub_storage::email::QueuedEmail;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Where emails go.
pub(crate) enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Transport {
    /// Builds the transport; creates the mail folder for file delivery.
    pub(crate) fn new(settings: &EmailSettings) -> anyhow::Result<Self> {
        match &settings.delivery {
            Delivery::Smtp(url) => Ok(Self::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("HUBBUB_SMTP_URL")?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            )),
            Delivery::Files(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create the mail folder {}", dir.display()))?;
                Ok(Self::Files(AsyncFileTransport::new(dir)))
            }
        }
    }

    /// Sends one email; an error means it was not accepted.
    pub(crate) async fn send(&self, from: &str, email: &QueuedEmail) -> anyhow::Result<()> {
        let message = build(from, email)?;
        match self {
            Self::Smtp(smtp) => {
                smtp.send(message).await.context("SMTP")?;
            }
            Self::Files(files) => {
                files.send(message).await.context("writing the .eml file")?;
            }
        }
        Ok(())
    }
}

const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
const LIST_UNSUBSCRIBE_POST: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");

/// The MIME message: text and HTML alternatives, one-click unsubscribe (RFC 8058)
/// and a `Message-ID` derived from the de-duplication key.
fn build(from: &str, email: &QueuedEmail) -> anyhow::Result<Message> {
    let from: Mailbox = from.parse().context("HUBBUB_EMAIL_FROM")?;
    let to: Mailbox = email.to_address.parse().context("recipient address")?;
    let domain = from.email.domain().to_owned();
    let id: String = email
        .dedup_key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect();
    Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(format!("<{id}@{domain}>")))
        .raw_header(HeaderValue::new(
            LIST_UNSUBSCRIBE,
            format!("<{}>", email.unsubscribe_url),
        ))
        .raw_header(HeaderValue::new(
            LIST_UNSUBSCRIBE_POST,
            "List-Unsubscribe=One-Click".to_owned(),
        ))
        .multipart(MultiPart::alternative_plain_html(
            email.text_body.clone(),
            email.html_body.clone(),
        ))
        .context("building the email")
}
