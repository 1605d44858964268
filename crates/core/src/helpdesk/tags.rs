//! Hashtags in post text, as the help desk reads them: `#` after a start or a
//! non-word character, then letters, digits or underscores; compared ignoring case.
//!
//! A small matcher of its own until the social-network text parser lands; both
//! follow Mastodon's rule that a tag is a whole word (`#helpdesk2` is not `#helpdesk`).

use super::settings::HelpdeskSettings;
use super::ticket::Category;

/// The hashtags of `text`, lower-cased, in order of appearance, without the `#`.
pub fn hashtags(text: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let at_word_start = previous.is_none_or(|p| !is_tag_char(p) && p != '#');
        if c == '#' && at_word_start {
            let start = index + c.len_utf8();
            let mut end = start;
            while let Some(&(next_index, next)) = chars.peek() {
                if !is_tag_char(next) {
                    break;
                }
                end = next_index + next.len_utf8();
                previous = Some(next);
                chars.next();
            }
            let tag = &text[start..end];
            // A tag needs at least one letter ("#1" is a number, not a topic).
            if tag.chars().any(char::is_alphabetic) {
                tags.push(tag.to_lowercase());
            }
            if end == start {
                previous = Some(c);
            }
            continue;
        }
        previous = Some(c);
    }
    tags
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `text` carries one of the help-desk tags (given without `#`, any case).
pub fn has_helpdesk_tag(text: &str, helpdesk_tags: &[String]) -> bool {
    hashtags(text).iter().any(|tag| {
        helpdesk_tags
            .iter()
            .any(|wanted| wanted.eq_ignore_ascii_case(tag))
    })
}

/// The category of the first tag in `text` that the settings map to one.
pub fn mapped_category(text: &str, settings: &HelpdeskSettings) -> Option<Category> {
    hashtags(text)
        .iter()
        .find_map(|tag| settings.category_tags.get(tag).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|tag| (*tag).to_owned()).collect()
    }

    #[test]
    fn the_helpdesk_tag_matches_whole_tags_in_any_case() {
        let wanted = tags(&["helpdesk"]);
        assert!(has_helpdesk_tag("VPN down again #HelpDesk", &wanted));
        assert!(has_helpdesk_tag("#helpdesk: printer jam", &wanted));
        assert!(has_helpdesk_tag("(#helpdesk) help", &wanted));
        assert!(!has_helpdesk_tag("#helpdesk2 is a different tag", &wanted));
        assert!(!has_helpdesk_tag("mail me at it#helpdesk", &wanted));
        assert!(!has_helpdesk_tag("helpdesk without a hash", &wanted));
        assert!(!has_helpdesk_tag("##helpdesk", &wanted));
    }

    #[test]
    fn hashtags_are_listed_lower_cased_and_numbers_are_not_tags() {
        assert_eq!(
            hashtags("#VPN and #wifi_5, not #1 or a#b; #Café"),
            vec!["vpn", "wifi_5", "café"]
        );
    }

    #[test]
    fn the_first_mapped_tag_gives_the_category() {
        let settings = HelpdeskSettings::default();
        assert_eq!(
            mapped_category("#helpdesk #vpn drops", &settings),
            Some(Category::Network)
        );
        assert_eq!(mapped_category("#helpdesk help", &settings), None);
    }
}
