//! Search queries: what a person typed, split into terms that both full-text
//! engines (PostgreSQL's and SQLite's FTS5) match the same way.
//!
//! A term is a run of non-blank characters; inside it, every character that is
//! not a letter or digit separates parts. The parts of one term must appear next
//! to each other, in order, the last (and on PostgreSQL every) part as a prefix:
//! `vpn.example.com` finds the host name, `ERR_CERT` finds `ERR_CERT_DATE_INVALID`,
//! `0x8007` finds `0x80070005`. Every term must match (AND).

use crate::DomainError;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Most terms used from one query; the rest are ignored.
pub const MAX_TERMS: usize = 8;

/// A parsed search query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    raw: String,
    terms: Vec<Vec<String>>,
}

impl SearchQuery {
    /// Parses the `q` parameter; blank or over-long queries are refused naming `q`.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(DomainError::invalid("q", "can't be blank"));
        }
        if trimmed.chars().count() > MAX_QUERY_CHARS {
            return Err(DomainError::invalid(
                "q",
                format!("must be at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        let terms = trimmed
            .split_whitespace()
            .map(|term| {
                term.split(|c: char| !c.is_alphanumeric())
                    .filter(|part| !part.is_empty())
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .filter(|parts| !parts.is_empty())
            .take(MAX_TERMS)
            .collect();
        Ok(Self {
            raw: trimmed.to_owned(),
            terms,
        })
    }

    /// The query as typed, trimmed (for matching names).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Whether no term has a letter or digit (such a query matches no post).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The query in PostgreSQL `to_tsquery` syntax: `'vpn example com':* & 'ci':*`.
    /// Parts hold only letters and digits, so nothing needs quoting.
    pub fn to_tsquery(&self) -> String {
        self.terms
            .iter()
            .map(|parts| format!("'{}':*", parts.join(" ")))
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// The query in SQLite FTS5 syntax: `"vpn example com"* "ci"*`.
    pub fn to_fts5(&self) -> String {
        self.terms
            .iter()
            .map(|parts| format!("\"{}\"*", parts.join(" ")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_and_codes_become_phrases_of_their_parts() {
        let query =
            SearchQuery::parse("  vpn.example.com ERR_CERT_DATE_INVALID 0x80070005 ").unwrap();
        assert_eq!(
            query.to_tsquery(),
            "'vpn example com':* & 'err cert date invalid':* & '0x80070005':*"
        );
        assert_eq!(
            query.to_fts5(),
            "\"vpn example com\"* \"err cert date invalid\"* \"0x80070005\"*"
        );
    }

    #[test]
    fn quotes_and_operators_typed_by_a_person_cannot_reach_the_query_syntax() {
        let query = SearchQuery::parse("it's \"NEAR\" a|b !x (y) C++").unwrap();
        assert_eq!(
            query.to_fts5(),
            "\"it s\"* \"near\"* \"a b\"* \"x\"* \"y\"* \"c\"*"
        );
        assert!(!query.to_tsquery().contains('|'));
        assert!(SearchQuery::parse("!!! ???").unwrap().is_empty());
    }

    #[test]
    fn blank_and_over_long_queries_are_refused_naming_q() {
        assert!(matches!(
            SearchQuery::parse("  "),
            Err(DomainError::Invalid { field: "q", .. })
        ));
        assert!(SearchQuery::parse(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }

    #[test]
    fn letters_outside_ascii_stay_in_their_words() {
        let query = SearchQuery::parse("Café Zürich").unwrap();
        assert_eq!(query.to_fts5(), "\"café\"* \"zürich\"*");
    }
}
