//! Input types that are valid by construction: parse at the edge, trust after.

use crate::DomainError;
use serde::Serialize;

/// Longest username accepted.
pub const USERNAME_MAX: usize = 30;
/// Shortest password accepted.
pub const PASSWORD_MIN: usize = 8;
/// Longest password accepted (argon2 input is bounded to keep hashing cheap).
pub const PASSWORD_MAX: usize = 256;
/// Length of a generated password (letters and digits: about 95 bits).
pub const GENERATED_PASSWORD_LEN: usize = 16;
/// Longest display name accepted.
pub const DISPLAY_NAME_MAX: usize = 100;
/// Default longest post, in characters.
pub const DEFAULT_STATUS_MAX_CHARS: usize = 5000;

/// A username: 1 to 30 ASCII letters, digits or underscores. Unique ignoring case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Parses a username as typed by a person.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        if raw.is_empty() {
            return Err(DomainError::invalid("username", "must not be empty"));
        }
        if raw.chars().count() > USERNAME_MAX {
            return Err(DomainError::invalid(
                "username",
                format!("must be at most {USERNAME_MAX} characters"),
            ));
        }
        if !raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(DomainError::invalid(
                "username",
                "may contain only letters, digits and underscores",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The username as the person spelled it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-folded form that uniqueness is checked on.
    pub fn canonical(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// An email address, checked for shape only (one `@`, a dot in the domain, no spaces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses an email address; stored lower-cased.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let trimmed = raw.trim();
        let invalid = || DomainError::invalid("email", "is not a valid email address");
        if trimmed.len() > 254 || trimmed.chars().any(char::is_whitespace) {
            return Err(invalid());
        }
        let (local, domain) = trimmed.split_once('@').ok_or_else(invalid)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err(invalid());
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    /// The address, lower-cased.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8 to 256 characters. Never serialised.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Parses a password chosen by a person.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let length = raw.chars().count();
        if length < PASSWORD_MIN {
            return Err(DomainError::invalid(
                "password",
                format!("must be at least {PASSWORD_MIN} characters"),
            ));
        }
        if length > PASSWORD_MAX {
            return Err(DomainError::invalid(
                "password",
                format!("must be at most {PASSWORD_MAX} characters"),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The secret itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A new random password of [`GENERATED_PASSWORD_LEN`] letters and digits,
    /// for an administrator to hand over once.
    pub fn generate(rng: &mut impl rand::Rng) -> Self {
        Self(
            (0..GENERATED_PASSWORD_LEN)
                .map(|_| char::from(rng.sample(rand::distr::Alphanumeric)))
                .collect(),
        )
    }

    /// The password an administrator gave, or a generated one when none was;
    /// `true` says it was generated (and must be shown once).
    pub fn given_or_generated(
        given: Option<&str>,
        rng: &mut impl rand::Rng,
    ) -> Result<(Self, bool), DomainError> {
        match given {
            Some(raw) => Ok((Self::parse(raw)?, false)),
            None => Ok((Self::generate(rng), true)),
        }
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A display name: trimmed, at most 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses a display name; an empty one is allowed (clients show the username).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let trimmed = raw.trim();
        if trimmed.chars().count() > DISPLAY_NAME_MAX {
            return Err(DomainError::invalid(
                "display_name",
                format!("must be at most {DISPLAY_NAME_MAX} characters"),
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                "display_name",
                "must not contain control characters",
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name as it will be shown.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The text of a post: not blank, at most the instance's character limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct StatusText(String);

impl StatusText {
    /// Parses post text against a limit of `max_chars` characters.
    pub fn parse(raw: &str, max_chars: usize) -> Result<Self, DomainError> {
        if raw.trim().is_empty() {
            return Err(DomainError::invalid("status", "can't be blank"));
        }
        let length = raw.chars().count();
        if length > max_chars {
            return Err(DomainError::invalid(
                "status",
                format!("is too long ({length} characters, the maximum is {max_chars})"),
            ));
        }
        if raw
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(DomainError::invalid(
                "status",
                "must not contain control characters",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_with_spaces_or_symbols_are_refused_naming_the_field() {
        for bad in ["", "has space", "dash-ed", "émile", &"a".repeat(31)] {
            let err = Username::parse(bad).unwrap_err();
            assert!(
                matches!(
                    err,
                    DomainError::Invalid {
                        field: "username",
                        ..
                    }
                ),
                "{bad}"
            );
        }
        assert_eq!(Username::parse("Ada_L").unwrap().canonical(), "ada_l");
    }

    #[test]
    fn emails_are_lower_cased_and_checked_for_shape() {
        assert_eq!(
            Email::parse(" Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_eight_characters_and_never_print() {
        assert!(Password::parse("short").is_err());
        let password = Password::parse("correct horse").unwrap();
        assert_eq!(format!("{password:?}"), "Password(<redacted>)");
    }

    #[test]
    fn status_text_must_not_be_blank_or_over_the_limit() {
        assert!(StatusText::parse("   \n", 10).is_err());
        assert!(StatusText::parse("ünïcødé!!!", 10).is_ok());
        let err = StatusText::parse("eleven char", 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "status: is too long (11 characters, the maximum is 10)"
        );
    }
}
