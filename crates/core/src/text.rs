//! Turning user text into the safe HTML that Mastodon clients display.
//!
//! Everything a person typed is escaped; the only markup produced is paragraphs,
//! line breaks and links to `http(s)` URLs that this module wrote itself.

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

/// Renders plain post text as HTML: paragraphs on blank lines, `<br>` on line
/// breaks, and `http(s)` URLs as links.
pub fn render_status_html(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n");
    let mut html = String::with_capacity(normalised.len() + 32);
    for paragraph in normalised.split("\n\n").filter(|p| !p.trim().is_empty()) {
        html.push_str("<p>");
        let lines: Vec<String> = paragraph
            .trim_matches('\n')
            .split('\n')
            .map(linkify_line)
            .collect();
        html.push_str(&lines.join("<br>"));
        html.push_str("</p>");
    }
    html
}

/// Characters that end a URL when they close it, as in "see https://x.org."
const TRAILING_PUNCTUATION: &[char] = &['.', ',', ':', ';', '!', '?', ')', '\'', '"'];

/// Characters that cannot appear in a URL; a URL ends before the first of them.
const NOT_IN_URL: &[char] = &['"', '<', '>', '`', '{', '}', '|', '\\', '^'];

fn linkify_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (index, word) in line.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let is_url =
            (word.starts_with("https://") || word.starts_with("http://")) && word.len() > 8;
        if !is_url {
            out.push_str(&escape_html(word));
            continue;
        }
        let end = word.find(NOT_IN_URL).unwrap_or(word.len());
        let url = word[..end].trim_end_matches(TRAILING_PUNCTUATION);
        let rest = &word[url.len()..];
        let shown = url.split_once("://").map_or(url, |(_, after)| after);
        out.push_str(&format!(
            "<a href=\"{href}\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">{text}</a>{rest}",
            href = escape_html(url),
            text = escape_html(shown),
            rest = escape_html(rest),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn a_quote_in_a_url_cannot_break_out_of_the_attribute() {
        let html = render_status_html("https://x.example/\"onmouseover=\"alert(1)");
        assert!(!html.contains("\"onmouseover"));
        assert!(html.contains("<a href=\"https://x.example/\""));
        assert!(html.contains("</a>&quot;onmouseover=&quot;alert(1)"));
    }
}
