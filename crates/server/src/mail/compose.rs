//! Emails as text and HTML, from plain data (no I/O), so their content can be
//! checked against fixtures.

use hubbub_core::email::{EmailKind, weekday_name};
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
