//! Turning user text into the safe HTML that Mastodon clients display, and finding
//! the #topics and @mentions in it.
//!
//! Everything a person typed is escaped; the only markup produced is paragraphs,
//! line breaks, links to `http(s)` URLs, topic links and links to accounts that
//! exist, all written by this module. [`extract`] and [`render_status_html_with`]
//! share one scanner, so what is stored as a topic or mention is exactly what is
//! linked. Nothing inside a URL or a `code` span (backticks, or a ``` fence) is a
//! topic or a mention.

use std::collections::HashSet;

/// Longest topic name accepted, in characters.
pub const TAG_MAX_CHARS: usize = 100;
/// Longest username a mention can name (the username limit).
const MENTION_MAX_CHARS: usize = crate::input::USERNAME_MAX;

/// Escapes text for use in HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The topics and mentions found in a post, each once, in order of first use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Canonical (lower-case) topic names.
    pub tags: Vec<String>,
    /// Canonical (lower-case) usernames.
    pub mentions: Vec<String>,
}

/// Finds the #topics and @mentions in `text`.
pub fn extract(text: &str) -> Extracted {
    let mut found = Extracted::default();
    for piece in scan(text) {
        match piece {
            Piece::Tag(name) => push_unique(&mut found.tags, canonical_tag(name)),
            Piece::Mention(name) => push_unique(&mut found.mentions, name.to_ascii_lowercase()),
            Piece::Text(_) | Piece::Url(_) | Piece::Break(_) => {}
        }
    }
    found
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The canonical form of a topic name: Unicode lower case.
pub fn canonical_tag(name: &str) -> String {
    name.to_lowercase()
}

/// Parses a topic name as a client sends it in a path (`vpn`, `#vpn`, `Café`):
/// the canonical name, or `None` when it is not a valid topic name.
pub fn parse_tag_name(raw: &str) -> Option<String> {
    let name = raw.strip_prefix('#').unwrap_or(raw);
    let valid = !name.is_empty()
        && name.chars().count() <= TAG_MAX_CHARS
        && name.chars().all(is_tag_char)
        && name.chars().any(char::is_alphabetic);
    valid.then(|| canonical_tag(name))
}

/// What the renderer needs to write links: the instance's base URL and which
/// mentioned usernames belong to existing accounts.
#[derive(Debug, Clone, Copy)]
pub struct Links<'a> {
    /// The instance URL without a trailing slash (`""` gives relative links).
    pub base: &'a str,
    /// Lower-case usernames of mentioned accounts that exist.
    pub accounts: &'a HashSet<String>,
}

/// Renders plain post text as HTML: paragraphs on blank lines, `<br>` on line
/// breaks, `http(s)` URLs as links, topics as links to `/tags/<name>`; mentions
/// stay text (no account is known to exist).
pub fn render_status_html(text: &str) -> String {
    render_status_html_with(
        text,
        Links {
            base: "",
            accounts: &HashSet::new(),
        },
    )
}

/// Renders plain post text as HTML with topic links under `links.base` and mention
/// links for the accounts in `links.accounts` (other `@names` stay text).
pub fn render_status_html_with(text: &str, links: Links<'_>) -> String {
    let mut html = String::with_capacity(text.len() + 32);
    let mut open = false;
    let mut pending_breaks = 0;
    for piece in scan(text) {
        if let Piece::Break(count) = piece {
            pending_breaks += count;
            continue;
        }
        if !open {
            html.push_str("<p>");
            open = true;
        } else if pending_breaks >= 2 {
            html.push_str("</p><p>");
        } else if pending_breaks == 1 {
            html.push_str("<br>");
        }
        pending_breaks = 0;
        match piece {
            Piece::Text(text) => html.push_str(&escape_html(text)),
            Piece::Url(url) => {
                let shown = url.split_once("://").map_or(url, |(_, after)| after);
                html.push_str(&format!(
                    "<a href=\"{href}\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">{text}</a>",
                    href = escape_html(url),
                    text = escape_html(shown),
                ));
            }
            Piece::Tag(name) => html.push_str(&format!(
                "<a href=\"{base}/tags/{path}\" class=\"mention hashtag\" rel=\"tag\">#<span>{text}</span></a>",
                base = escape_html(links.base),
                path = escape_html(&percent_encode(&canonical_tag(name))),
                text = escape_html(name),
            )),
            Piece::Mention(name) if links.accounts.contains(&name.to_ascii_lowercase()) => {
                html.push_str(&format!(
                    "<span class=\"h-card\"><a href=\"{base}/@{user}\" class=\"u-url mention\">@<span>{text}</span></a></span>",
                    base = escape_html(links.base),
                    user = escape_html(&name.to_ascii_lowercase()),
                    text = escape_html(name),
                ));
            }
            Piece::Mention(name) => {
                html.push('@');
                html.push_str(&escape_html(name));
            }
            Piece::Break(_) => {}
        }
    }
    if open {
        html.push_str("</p>");
    }
    html
}

/// Percent-encodes everything but ASCII letters, digits and `_` (topic names in paths).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One piece of scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    /// Plain text, shown escaped.
    Text(&'a str),
    /// An `http(s)` URL.
    Url(&'a str),
    /// A topic, without its `#`.
    Tag(&'a str),
    /// A mention, without its `@`.
    Mention(&'a str),
    /// Line breaks between lines of content (2 or more: a new paragraph).
    Break(usize),
}

/// Characters that end a URL when they close it, as in "see https://x.org."
const TRAILING_PUNCTUATION: &[char] = &['.', ',', ':', ';', '!', '?', ')', '\'', '"'];

/// Characters that cannot appear in a URL; a URL ends before the first of them.
const NOT_IN_URL: &[char] = &['"', '<', '>', '`', '{', '}', '|', '\\', '^'];

/// Splits text into pieces. Lines are handled one by one; a line that starts a
/// ``` fence, and every line up to the closing fence, is plain text, as is each
/// inline code span (a run of backticks up to the next run of the same length).
fn scan(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut in_fence = false;
    let mut breaks = 0;
    let mut started = false;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            breaks += 1;
            continue;
        }
        if started {
            pieces.push(Piece::Break(breaks + 1));
        }
        breaks = 0;
        started = true;
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            pieces.push(Piece::Text(line));
            continue;
        }
        if in_fence {
            pieces.push(Piece::Text(line));
            continue;
        }
        scan_line(line, &mut pieces);
    }
    pieces
}

/// Scans one line outside fences: code spans are text, the rest is scanned word by word.
fn scan_line<'a>(line: &'a str, pieces: &mut Vec<Piece<'a>>) {
    let mut rest = line;
    while let Some(open) = rest.find('`') {
        let run = rest[open..].chars().take_while(|&c| c == '`').count();
        let after = &rest[open + run..];
        match find_run(after, run) {
            Some(close) => {
                scan_words(&rest[..open], pieces);
                let end = open + run + close + run;
                pieces.push(Piece::Text(&rest[open..end]));
                rest = &rest[end..];
            }
            None => {
                // An unclosed run of backticks is literal text, not a code span.
                scan_words(&rest[..open + run], pieces);
                rest = after;
            }
        }
    }
    scan_words(rest, pieces);
}

/// The offset of the next run of exactly `run` backticks in `text`.
fn find_run(text: &str, run: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'`' {
            let length = bytes[index..].iter().take_while(|&&b| b == b'`').count();
            if length == run {
                return Some(index);
            }
            index += length;
        } else {
            index += 1;
        }
    }
    None
}

/// Scans space-separated words: URLs, then topics and mentions inside other words.
fn scan_words<'a>(text: &'a str, pieces: &mut Vec<Piece<'a>>) {
    for word in split_keeping_spaces(text) {
        if word.starts_with("https://") || word.starts_with("http://") {
            if word.len() > 8 {
                let end = word.find(NOT_IN_URL).unwrap_or(word.len());
                let url = word[..end].trim_end_matches(TRAILING_PUNCTUATION);
                if url.len() > url.find("://").map_or(0, |i| i + 3) {
                    pieces.push(Piece::Url(url));
                    push_text(pieces, &word[url.len()..]);
                    continue;
                }
            }
            push_text(pieces, word);
            continue;
        }
        if word.contains("://") || word.starts_with("www.") {
            // A URL without a link: nothing inside it is a topic or a mention.
            push_text(pieces, word);
            continue;
        }
        scan_word(word, pieces);
    }
}

/// Splits `text` into alternating runs of whitespace and non-whitespace.
fn split_keeping_spaces(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (index, c) in text.char_indices() {
        let space = c.is_whitespace();
        match in_space {
            Some(previous) if previous != space => {
                parts.push(&text[start..index]);
                start = index;
            }
            _ => {}
        }
        in_space = Some(space);
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    parts
}

/// Finds topics and mentions in one word; what is left is text.
fn scan_word<'a>(word: &'a str, pieces: &mut Vec<Piece<'a>>) {
    let mut text_start = 0;
    let mut previous: Option<char> = None;
    let mut chars = word.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let at_boundary = previous.is_none_or(|p| !is_word_char(p) && p != '@' && p != '#');
        if at_boundary && (c == '#' || c == '@') {
            let body_start = index + 1;
            let found = if c == '#' {
                tag_at(&word[body_start..])
            } else {
                mention_at(&word[body_start..])
            };
            if let Some(length) = found {
                push_text(pieces, &word[text_start..index]);
                let name = &word[body_start..body_start + length];
                pieces.push(if c == '#' {
                    Piece::Tag(name)
                } else {
                    Piece::Mention(name)
                });
                text_start = body_start + length;
                while chars.peek().is_some_and(|&(i, _)| i < text_start) {
                    chars.next();
                }
                previous = name.chars().last();
                continue;
            }
        }
        previous = Some(c);
    }
    push_text(pieces, &word[text_start..]);
}

fn push_text<'a>(pieces: &mut Vec<Piece<'a>>, text: &'a str) {
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
}

/// The length in bytes of a topic name at the start of `text`, if there is one:
/// letters, digits, `_` and combining marks, at least one letter, at most
/// [`TAG_MAX_CHARS`].
fn tag_at(text: &str) -> Option<usize> {
    let end = text
        .char_indices()
        .find(|&(_, c)| !is_tag_char(c))
        .map_or(text.len(), |(i, _)| i);
    let name = &text[..end];
    let valid = !name.is_empty()
        && name.chars().count() <= TAG_MAX_CHARS
        && name.chars().any(char::is_alphabetic);
    valid.then_some(end)
}

/// The length of a mentioned username at the start of `text`: ASCII letters,
/// digits and `_`, not followed by another `@` (a remote address or an email).
fn mention_at(text: &str) -> Option<usize> {
    let end = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(text.len(), |(i, _)| i);
    let next = text[end..].chars().next();
    let valid =
        end > 0 && end <= MENTION_MAX_CHARS && !next.is_some_and(|c| c == '@' || is_word_char(c));
    valid.then_some(end)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining_mark(c)
}

fn is_tag_char(c: char) -> bool {
    is_word_char(c)
}

/// Combining marks, so that a decomposed "é" (e + U+0301) stays inside a topic.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts(names: &[&str]) -> HashSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn render(text: &str, known: &[&str]) -> String {
        render_status_html_with(
            text,
            Links {
                base: "https://hub.example",
                accounts: &accounts(known),
            },
        )
    }

    #[test]
    fn markup_typed_by_a_person_is_shown_as_text() {
        let html = render_status_html("<script>alert(1)</script> <img src=x onerror=\"y\">");
        assert_eq!(
            html,
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;y&quot;&gt;</p>"
        );
    }

    #[test]
    fn urls_become_links_but_javascript_urls_do_not() {
        let html =
            render_status_html("see https://intranet.example/vpn?a=1&b=2. and javascript:alert(1)");
        assert_eq!(
            html,
            "<p>see <a href=\"https://intranet.example/vpn?a=1&amp;b=2\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">intranet.example/vpn?a=1&amp;b=2</a>. and javascript:alert(1)</p>"
        );
    }

    #[test]
    fn blank_lines_make_paragraphs_and_newlines_make_breaks() {
        assert_eq!(
            render_status_html("one\ntwo\n\nthree"),
            "<p>one<br>two</p><p>three</p>"
        );
        assert_eq!(render_status_html("a\r\n\r\n\r\nb"), "<p>a</p><p>b</p>");
    }

    #[test]
    fn a_quote_in_a_url_cannot_break_out_of_the_attribute() {
        let html = render_status_html("https://x.example/\"onmouseover=\"alert(1)");
        assert!(!html.contains("\"onmouseover"));
        assert!(html.contains("<a href=\"https://x.example/\""));
        assert!(html.contains("</a>&quot;onmouseover=&quot;alert(1)"));
    }

    #[test]
    fn topics_are_found_in_any_script_with_digits_and_underscores() {
        let found = extract("Is the #vpn down? #Café is closed, see #CI_2 and #日本 (#vpn again)");
        assert_eq!(found.tags, ["vpn", "café", "ci_2", "日本"]);
        let decomposed = extract("#cafe\u{301} open");
        assert_eq!(decomposed.tags, ["cafe\u{301}"]);
    }

    #[test]
    fn numbers_anchors_and_words_with_a_hash_inside_are_not_topics() {
        let found = extract(
            "issue #123, C# and f#x, ##double, https://wiki.example/page#vpn www.x.example/#ci",
        );
        assert!(found.tags.is_empty(), "{:?}", found.tags);
    }

    #[test]
    fn mentions_are_found_but_not_emails_or_remote_addresses() {
        let found =
            extract("@alice and (@Bob) ask ada@example.com and @carol@other.example; @dave.");
        assert_eq!(found.mentions, ["alice", "bob", "dave"]);
    }

    #[test]
    fn nothing_inside_code_spans_or_fences_is_a_topic_or_a_mention() {
        let text =
            "run `git log #vpn @alice` then #real\n```\n#fenced @bob\n```\n@carol ``unclosed #open";
        let found = extract(text);
        assert_eq!(found.tags, ["real", "open"]);
        assert_eq!(found.mentions, ["carol"]);
    }

    #[test]
    fn topics_link_to_the_web_client_and_mentions_only_link_existing_accounts() {
        let html = render("hi @Alice and @ghost about #Café", &["alice"]);
        assert_eq!(
            html,
            "<p>hi <span class=\"h-card\"><a href=\"https://hub.example/@alice\" class=\"u-url mention\">@<span>Alice</span></a></span> and @ghost about <a href=\"https://hub.example/tags/caf%C3%A9\" class=\"mention hashtag\" rel=\"tag\">#<span>Café</span></a></p>"
        );
    }

    #[test]
    fn injection_shaped_like_mentions_topics_and_links_stays_text() {
        let attempts = [
            "@alice\"><script>alert(1)</script>",
            "#vpn\"onmouseover=\"alert(1)",
            "@<img src=x onerror=alert(1)>",
            "#<b>bold</b>",
            "javascript:alert('x') <a href=\"javascript:alert(1)\">x</a>",
            "https://x.example/'onclick='alert(1)",
            "`<script>` @alice'\"",
        ];
        for attempt in attempts {
            let html = render(attempt, &["alice"]);
            assert!(!html.contains("<script"), "{attempt}: {html}");
            assert!(!html.contains("<img"), "{attempt}: {html}");
            assert!(!html.contains("<b>"), "{attempt}: {html}");
            assert!(!html.contains("href=\"javascript"), "{attempt}: {html}");
            assert!(!html.contains("\"onmouseover"), "{attempt}: {html}");
            assert!(!html.contains("'onclick"), "{attempt}: {html}");
            // Every tag in the output is one this module writes.
            for tag in html.split('<').skip(1) {
                let name: String = tag.chars().take_while(|c| *c != ' ' && *c != '>').collect();
                assert!(
                    ["p", "/p", "br", "a", "/a", "span", "/span"].contains(&name.as_str()),
                    "{attempt}: unexpected <{name}> in {html}"
                );
            }
        }
        let html = render("@alice\"><script>", &["alice"]);
        assert!(html.contains("@<span>alice</span></a></span>&quot;&gt;&lt;script&gt;"));
    }

    #[test]
    fn topic_names_from_paths_are_checked_and_made_canonical() {
        assert_eq!(parse_tag_name("VPN").as_deref(), Some("vpn"));
        assert_eq!(parse_tag_name("#Café").as_deref(), Some("café"));
        assert_eq!(parse_tag_name("123"), None);
        assert_eq!(parse_tag_name("a b"), None);
        assert_eq!(parse_tag_name(&"x".repeat(TAG_MAX_CHARS + 1)), None);
    }
}
