//! Community input: names and descriptions, valid by construction.

use crate::DomainError;

/// Longest community name, in characters.
pub const COMMUNITY_NAME_MAX: usize = 100;
/// Longest community description, in characters.
pub const COMMUNITY_DESCRIPTION_MAX: usize = 1000;

/// A community name: trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityName(String);

impl CommunityName {
    /// Parses a name as typed.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(DomainError::invalid("name", "can't be blank"));
        }
        if name.chars().count() > COMMUNITY_NAME_MAX {
            return Err(DomainError::invalid(
                "name",
                format!("is too long (the maximum is {COMMUNITY_NAME_MAX} characters)"),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                "name",
                "must not contain control characters",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A community description: at most 1000 characters, line breaks allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityDescription(String);

impl CommunityDescription {
    /// Parses a description as typed (trimmed; may be empty).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let text = raw.trim();
        if text.chars().count() > COMMUNITY_DESCRIPTION_MAX {
            return Err(DomainError::invalid(
                "description",
                format!("is too long (the maximum is {COMMUNITY_DESCRIPTION_MAX} characters)"),
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(DomainError::invalid(
                "description",
                "must not contain control characters",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The description.
    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_present_and_short_and_descriptions_short() {
        assert_eq!(
            CommunityName::parse("  IT help ").unwrap().as_str(),
            "IT help"
        );
        assert!(CommunityName::parse("   ").is_err());
        let long = CommunityName::parse(&"n".repeat(COMMUNITY_NAME_MAX + 1)).unwrap_err();
        assert!(long.to_string().starts_with("name: is too long"));
        assert!(CommunityDescription::parse("").is_ok());
        let long = CommunityDescription::parse(&"d".repeat(COMMUNITY_DESCRIPTION_MAX + 1));
        assert!(long.unwrap_err().to_string().starts_with("description:"));
    }
}
