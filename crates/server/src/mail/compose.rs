//! Emails as text and HTML, from plain data (no I/O), so their content can be
//! checked against fixtures.

use hubbub_core::email::{EmailKind, weekday_name};
use hubbub_core::helpdesk::ticket::TicketState;
use hubbub_core::text::escape_html;
use hubbub_storage::email::EmailPreferences;
use hubbub_storage::model::{Account, Status};

/// Subject, text and HTML of one email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part.
    pub html: String,
}

/// The web client's link to a post (and its thread), as the Status entity's `url`.
pub fn status_link(base: &str, author: &Account, status: &Status) -> String {
    format!("{base}/@{}/{}", author.username, status.id)
}

/// The one-click unsubscribe link for one kind of email.
pub fn unsubscribe_link(base: &str, prefs: &EmailPreferences, kind: EmailKind) -> String {
    format!(
        "{base}/email/unsubscribe?token={}&kind={}",
        prefs.unsubscribe_token,
        kind.as_str()
    )
}

/// Who someone is in an email: the display name, or the username.
pub fn name_of(account: &Account) -> &str {
    if account.display_name.trim().is_empty() {
        &account.username
    } else {
        &account.display_name
    }
}

/// At most `max` characters of a post, on one line.
pub fn excerpt(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        line
    } else {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

fn html_page(body: &str) -> String {
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"></head>\
<body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1b1b1f;max-width:36rem\">\n{body}</body></html>\n"
    )
}

/// Replies to the recipient's post, batched: one email for one or many replies.
/// `replies` are (reply, its author), oldest first.
pub fn replies_email(
    base: &str,
    recipient: &Account,
    prefs: &EmailPreferences,
    root: &Status,
    root_author: &Account,
    replies: &[(Status, Account)],
) -> Rendered {
    let link = status_link(base, root_author, root);
    let unsubscribe = unsubscribe_link(base, prefs, EmailKind::Reply);
    let subject = match replies {
        [(_, author)] => format!("{} replied to your post", name_of(author)),
        many => format!("{} new replies to your post", many.len()),
    };
    let root_line = excerpt(&root.text, 140);
    let mut text = format!(
        "Hi {},\n\n{subject}:\n\n  > {root_line}\n\n",
        name_of(recipient)
    );
    let mut items = String::new();
    for (reply, author) in replies {
        text.push_str(&format!(
            "{} (@{}): {}\n",
            name_of(author),
            author.username,
            excerpt(&reply.text, 280)
        ));
        items.push_str(&format!(
            "<li><strong>{}</strong> (@{}): {}</li>\n",
            escape_html(name_of(author)),
            escape_html(&author.username),
            escape_html(&excerpt(&reply.text, 280))
        ));
    }
    text.push_str(&format!(
        "\nOpen the thread: {link}\n\n-- \nYou get this email because someone replied to your post.\n\
Stop emails about replies: {unsubscribe}\n"
    ));
    let html = html_page(&format!(
        "<p>Hi {},</p>\n<p>{}:</p>\n<blockquote>{}</blockquote>\n<ul>\n{items}</ul>\n\
<p><a href=\"{}\">Open the thread</a></p>\n<hr>\n<p style=\"font-size:small\">You get this email \
because someone replied to your post. <a href=\"{}\">Stop emails about replies</a>.</p>\n",
        escape_html(name_of(recipient)),
        escape_html(&subject),
        escape_html(&root_line),
        escape_html(&link),
        escape_html(&unsubscribe),
    ));
    Rendered {
        subject,
        text,
        html,
    }
}

/// One thing to tell the recipient about a thread.
#[derive(Debug, Clone)]
pub struct ThreadNotice {
    /// What happened.
    pub kind: EmailKind,
    /// The post concerned: the reply, the post mentioning them, the accepted
    /// answer, or the ticket's first post for a state change.
    pub status: Status,
    /// That post's author.
    pub author: Account,
    /// Who did it (wrote the post, accepted the answer, changed the state).
    pub actor: Account,
}

/// The kinds in the order they lead an email's subject.
const LEADING: [EmailKind; 4] = [
    EmailKind::AcceptedAnswer,
    EmailKind::TicketUpdate,
    EmailKind::Mention,
    EmailKind::Reply,
];

/// A help-desk state in words.
pub fn state_words(state: TicketState) -> &'static str {
    match state {
        TicketState::Open => "open",
        TicketState::InProgress => "in progress",
        TicketState::WaitingOnAsker => "waiting for you",
        TicketState::Resolved => "resolved",
        TicketState::Closed => "closed",
    }
}

fn why(kind: EmailKind) -> (&'static str, &'static str) {
    match kind {
        EmailKind::Reply => ("someone replied to your post", "replies"),
        EmailKind::Mention => ("someone mentioned you", "mentions"),
        EmailKind::AcceptedAnswer => (
            "an answer was accepted on your question",
            "accepted answers",
        ),
        EmailKind::TicketUpdate => (
            "one of your help-desk tickets changed",
            "help-desk ticket changes",
        ),
        EmailKind::Digest => ("you asked for the weekly digest", "the weekly digest"),
    }
}

/// Everything waiting for the recipient about one thread, in one email (oldest
/// first); its kind is the one that leads the subject (an accepted answer, then a
/// ticket change, a mention, a reply). Only replies: the same email as
/// [`replies_email`]. `ticket_state` is the thread's help-desk state now, if it
/// is a ticket.
pub fn thread_email(
    base: &str,
    recipient: &Account,
    prefs: &EmailPreferences,
    root: &Status,
    root_author: &Account,
    ticket_state: Option<TicketState>,
    notices: &[ThreadNotice],
) -> Option<(EmailKind, Rendered)> {
    let lead = LEADING
        .into_iter()
        .find(|kind| notices.iter().any(|n| n.kind == *kind))?;
    if lead == EmailKind::Reply {
        let replies: Vec<_> = notices
            .iter()
            .map(|n| (n.status.clone(), n.author.clone()))
            .collect();
        return Some((
            lead,
            replies_email(base, recipient, prefs, root, root_author, &replies),
        ));
    }
    let link = status_link(base, root_author, root);
    let subject = match lead {
        EmailKind::AcceptedAnswer => "An answer was accepted on your question".to_owned(),
        EmailKind::TicketUpdate => match ticket_state {
            Some(state) => format!("Your help-desk ticket is now {}", state_words(state)),
            None => "Your help-desk ticket changed".to_owned(),
        },
        _ => {
            let mentions: Vec<_> = notices
                .iter()
                .filter(|n| n.kind == EmailKind::Mention)
                .collect();
            match mentions.as_slice() {
                [one] => format!("{} mentioned you", name_of(&one.actor)),
                many => format!("{} new mentions of you", many.len()),
            }
        }
    };
    let root_line = excerpt(&root.text, 140);
    let mut text = format!(
        "Hi {},\n\n{subject}:\n\n  > {root_line}\n\n",
        name_of(recipient)
    );
    let mut items = String::new();
    for notice in notices {
        let post = excerpt(&notice.status.text, 280);
        let (plain, html) = match notice.kind {
            EmailKind::AcceptedAnswer => (
                format!(
                    "{} accepted the answer by {} (@{}): {post}",
                    name_of(&notice.actor),
                    name_of(&notice.author),
                    notice.author.username
                ),
                format!(
                    "<strong>{}</strong> accepted the answer by <strong>{}</strong> (@{}): {}",
                    escape_html(name_of(&notice.actor)),
                    escape_html(name_of(&notice.author)),
                    escape_html(&notice.author.username),
                    escape_html(&post)
                ),
            ),
            EmailKind::TicketUpdate => (
                format!(
                    "{} (@{}) changed the ticket's state",
                    name_of(&notice.actor),
                    notice.actor.username
                ),
                format!(
                    "<strong>{}</strong> (@{}) changed the ticket&#39;s state",
                    escape_html(name_of(&notice.actor)),
                    escape_html(&notice.actor.username)
                ),
            ),
            kind => {
                let verb = if kind == EmailKind::Mention {
                    "mentioned you"
                } else {
                    "replied"
                };
                (
                    format!(
                        "{} (@{}) {verb}: {post}",
                        name_of(&notice.author),
                        notice.author.username
                    ),
                    format!(
                        "<strong>{}</strong> (@{}) {verb}: {}",
                        escape_html(name_of(&notice.author)),
                        escape_html(&notice.author.username),
                        escape_html(&post)
                    ),
                )
            }
        };
        text.push_str(&plain);
        text.push('\n');
        items.push_str(&format!("<li>{html}</li>\n"));
    }
    let mut state_html = String::new();
    if let Some(state) = ticket_state {
        text.push_str(&format!("\nThe ticket is {}.\n", state_words(state)));
        state_html = format!(
            "<p>The ticket is <strong>{}</strong>.</p>\n",
            state_words(state)
        );
    }
    let (reason, _) = why(lead);
    let mut stops_text = String::new();
    let mut stops_html = String::new();
    for kind in LEADING
        .into_iter()
        .filter(|kind| notices.iter().any(|n| n.kind == *kind))
    {
        let (_, what) = why(kind);
        let url = unsubscribe_link(base, prefs, kind);
        stops_text.push_str(&format!("Stop emails about {what}: {url}\n"));
        stops_html.push_str(&format!(
            " <a href=\"{}\">Stop emails about {what}</a>.",
            escape_html(&url)
        ));
    }
    text.push_str(&format!(
        "\nOpen the thread: {link}\n\n-- \nYou get this email because {reason}.\n{stops_text}"
    ));
    let html = html_page(&format!(
        "<p>Hi {},</p>\n<p>{}:</p>\n<blockquote>{}</blockquote>\n<ul>\n{items}</ul>\n{state_html}\
<p><a href=\"{}\">Open the thread</a></p>\n<hr>\n<p style=\"font-size:small\">You get this email \
because {reason}.{stops_html}</p>\n",
        escape_html(name_of(recipient)),
        escape_html(&subject),
        escape_html(&root_line),
        escape_html(&link),
    ));
    Some((
        lead,
        Rendered {
            subject,
            text,
            html,
        },
    ))
}

/// One line of a digest section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestItem {
    /// What to show, e.g. `Bob: "Where is the printer?" (4 replies)`.
    pub text: String,
    /// Where it opens in the web client.
    pub link: String,
}

/// A titled part of the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestSection {
    /// Heading, e.g. "Most active threads".
    pub title: String,
    /// Its lines; a section with none is left out.
    pub items: Vec<DigestItem>,
}

/// The weekly digest; `None` when there is nothing to say.
pub fn digest_email(
    base: &str,
    recipient: &Account,
    prefs: &EmailPreferences,
    week_to: chrono::DateTime<chrono::Utc>,
    sections: &[DigestSection],
) -> Option<Rendered> {
    let sections: Vec<&DigestSection> = sections.iter().filter(|s| !s.items.is_empty()).collect();
    if sections.is_empty() {
        return None;
    }
    let local_end = week_to.with_timezone(&prefs.digest.time_zone);
    let week = local_end.format("%A %-d %B %Y").to_string();
    let subject = format!("Your week on Hubbub, to {week}");
    let unsubscribe = unsubscribe_link(base, prefs, EmailKind::Digest);
    let day = weekday_name(prefs.digest.weekday);
    let day: String = day
        .chars()
        .take(1)
        .flat_map(char::to_uppercase)
        .chain(day.chars().skip(1))
        .collect();
    let when = format!(
        "every {day} at {} ({})",
        prefs.digest.time_text(),
        prefs.digest.time_zone.name()
    );
    let mut text = format!(
        "Hi {},\n\nHere is what happened on Hubbub in the week to {week}.\n",
        name_of(recipient)
    );
    let mut html = format!(
        "<p>Hi {},</p>\n<p>Here is what happened on Hubbub in the week to {}.</p>\n",
        escape_html(name_of(recipient)),
        escape_html(&week)
    );
    for section in sections {
        text.push_str(&format!("\n{}\n", section.title));
        html.push_str(&format!("<h2>{}</h2>\n<ul>\n", escape_html(&section.title)));
        for item in &section.items {
            text.push_str(&format!("- {}\n  {}\n", item.text, item.link));
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>\n",
                escape_html(&item.link),
                escape_html(&item.text)
            ));
        }
        html.push_str("</ul>\n");
    }
    text.push_str(&format!(
        "\n-- \nYou get this digest {when}; change that in your email preferences.\n\
Stop the weekly digest: {unsubscribe}\n"
    ));
    html.push_str(&format!(
        "<hr>\n<p style=\"font-size:small\">You get this digest {}; change that in your email \
preferences. <a href=\"{}\">Stop the weekly digest</a>.</p>\n",
        escape_html(&when),
        escape_html(&unsubscribe)
    ));
    Some(Rendered {
        subject,
        text,
        html: html_page(&html),
    })
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_are_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(excerpt("a\n b  c", 10), "a b c");
        assert_eq!(excerpt("abcdefghij", 5), "abcd…");
    }
}
