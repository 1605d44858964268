//! Profile fields, valid by construction: the bio and the directory fields.

use crate::DomainError;

/// Longest bio accepted, in characters (Mastodon's limit).
pub const NOTE_MAX: usize = 500;
/// Longest department, job title or location accepted, in characters.
pub const PROFILE_FIELD_MAX: usize = 100;

/// A bio: plain text, at most [`NOTE_MAX`] characters; line breaks allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(String);

impl Note {
    /// Parses a bio as typed; surrounding blanks are trimmed.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let trimmed = raw.trim();
        let length = trimmed.chars().count();
        if length > NOTE_MAX {
            return Err(DomainError::invalid(
                "note",
                format!("is too long ({length} characters, the maximum is {NOTE_MAX})"),
            ));
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(DomainError::invalid(
                "note",
                "must not contain control characters",
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The bio as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The bio, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A one-line directory field (department, job title, location); blank means
/// "clear it", which parses to `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileText(String);

impl ProfileText {
    /// Parses `raw` for the request field `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Option<Self>, DomainError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        if trimmed.chars().count() > PROFILE_FIELD_MAX {
            return Err(DomainError::invalid(
                field,
                format!("must be at most {PROFILE_FIELD_MAX} characters"),
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                field,
                "must not contain control characters or line breaks",
            ));
        }
        Ok(Some(Self(trimmed.to_owned())))
    }

    /// The value, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bio_over_the_limit_is_refused_naming_note() {
        assert!(Note::parse(&"é".repeat(NOTE_MAX)).is_ok());
        let err = Note::parse(&"a".repeat(NOTE_MAX + 1)).unwrap_err();
        assert!(matches!(err, DomainError::Invalid { field: "note", .. }));
        assert_eq!(
            Note::parse(" line one\nline two ").unwrap().as_str(),
            "line one\nline two"
        );
    }

    #[test]
    fn blank_directory_fields_clear_and_long_ones_are_refused() {
        assert_eq!(ProfileText::parse("department", "  ").unwrap(), None);
        assert_eq!(
            ProfileText::parse("location", " Leeds ")
                .unwrap()
                .unwrap()
                .into_inner(),
            "Leeds"
        );
        let err = ProfileText::parse("job_title", &"x".repeat(PROFILE_FIELD_MAX + 1)).unwrap_err();
        assert!(matches!(
            err,
            DomainError::Invalid {
                field: "job_title",
                ..
            }
        ));
        assert!(ProfileText::parse("department", "IT\nOps").is_err());
    }
}
