//! What an administrator asks for, checked before anything is written: a new
//! account ([`AccountRequest`]) and an org directory to import
//! ([`parse_directory`]). The command line and the admin API share both.

use crate::DomainError;
use crate::ids::{AccountId, IdGenerator};
use crate::input::{DisplayName, Email, Password, Username};
use crate::role::Role;
use crate::sso::username_candidate;
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// Longest department or job title an import accepts.
pub const DIRECTORY_FIELD_MAX: usize = 100;

/// A new account as an administrator asks for it, every field checked.
#[derive(Debug, Clone)]
pub struct AccountRequest {
    /// Username.
    pub username: Username,
    /// Email.
    pub email: Email,
    /// Display name (may be empty).
    pub display_name: DisplayName,
    /// Role.
    pub role: Role,
    /// The password, given or generated.
    pub password: Password,
    /// Whether the password was generated (and must be shown once).
    pub generated_password: bool,
}

impl AccountRequest {
    /// Checks every field, so one answer names every problem; a missing
    /// password is generated.
    pub fn parse(
        username: &str,
        email: &str,
        display_name: &str,
        role: &str,
        password: Option<&str>,
        rng: &mut impl rand::Rng,
    ) -> Result<Self, Vec<DomainError>> {
        let username = Username::parse(username.trim());
        let email = Email::parse(email);
        let display_name = DisplayName::parse(display_name);
        let role = role.trim().parse::<Role>();
        let password = Password::given_or_generated(password, rng);
        match (username, email, display_name, role, password) {
            (Ok(username), Ok(email), Ok(display_name), Ok(role), Ok((password, generated))) => {
                Ok(Self {
                    username,
                    email,
                    display_name,
                    role,
                    password,
                    generated_password: generated,
                })
            }
            (username, email, display_name, role, password) => Err([
                username.err(),
                email.err(),
                display_name.err(),
                role.err(),
                password.err(),
            ]
            .into_iter()
            .flatten()
            .collect()),
        }
    }
}

/// One person from an org-directory import, already checked.
#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    /// The CSV line it came from, for error messages.
    pub line: u64,
    /// Id to use if the person is new (time-ordered).
    pub new_id: AccountId,
    /// Username to use if the person is new; made unique by a numeric suffix.
    pub username: String,
    /// Email, lower-cased: the key that makes the import idempotent.
    pub email: String,
    /// Full name.
    pub display_name: String,
    /// Department.
    pub department: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// The manager's email, resolved when the import is written.
    pub manager_email: Option<String>,
}

/// Why an org-directory CSV was refused, naming its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct DirectoryError {
    /// The CSV line at fault (1 is the header).
    pub line: u64,
    /// What is wrong with it.
    pub message: String,
}

fn at(line: u64, message: impl Into<String>) -> DirectoryError {
    DirectoryError {
        line,
        message: message.into(),
    }
}

/// Reads and checks an org-directory CSV with the header
/// `name,email,department,title,manager_email`: every row, before anything is
/// written. New people get ids from `ids` at `now`.
pub fn parse_directory(
    text: &str,
    ids: &IdGenerator,
    now: DateTime<Utc>,
) -> Result<Vec<DirectoryEntry>, DirectoryError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| at(1, format!("not a CSV header: {e}")))?
        .clone();
    let column = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (Some(name), Some(email)) = (column(&["name"]), column(&["email"])) else {
        return Err(at(
            1,
            "the header must name the columns name,email,department,title,manager_email",
        ));
    };
    let department = column(&["department"]);
    let title = column(&["title", "job_title"]);
    let manager = column(&["manager_email", "manager"]);
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| at(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |index: Option<usize>| {
            index
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let display_name = field(Some(name)).ok_or_else(|| at(line, "name is empty"))?;
        DisplayName::parse(&display_name).map_err(|e| at(line, e.to_string()))?;
        let raw_email = field(Some(email)).ok_or_else(|| at(line, "email is empty"))?;
        let email = Email::parse(&raw_email)
            .map_err(|e| at(line, format!("'{raw_email}': {e}")))?
            .as_str()
            .to_owned();
        if !seen.insert(email.clone()) {
            return Err(at(line, format!("{email} appears twice in the file")));
        }
        let manager_email = match field(manager) {
            Some(raw) => {
                let manager = Email::parse(&raw)
                    .map_err(|e| at(line, format!("manager '{raw}': {e}")))?
                    .as_str()
                    .to_owned();
                if manager == email {
                    return Err(at(line, format!("{email} cannot be their own manager")));
                }
                Some(manager)
            }
            None => None,
        };
        let department = field(department);
        let job_title = field(title);
        for (what, value) in [("department", &department), ("title", &job_title)] {
            if value
                .as_ref()
                .is_some_and(|v| v.chars().count() > DIRECTORY_FIELD_MAX)
            {
                return Err(at(
                    line,
                    format!("{what} is longer than {DIRECTORY_FIELD_MAX} characters"),
                ));
            }
        }
        entries.push(DirectoryEntry {
            line,
            new_id: AccountId(ids.next(now)),
            username: username_candidate(None, &email),
            email,
            display_name,
            department,
            job_title,
            manager_email,
        });
    }
    if entries.is_empty() {
        return Err(at(2, "no rows after the header"));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(csv: &str) -> Result<Vec<DirectoryEntry>, DirectoryError> {
        parse_directory(csv, &IdGenerator::new(), Utc::now())
    }

    #[test]
    fn a_bad_email_is_reported_with_its_line_number() {
        let csv = "name,email,department,title,manager_email\nAda,ada@example.com,Eng,CTO,\nBob,not-an-email,Eng,Dev,ada@example.com\n";
        let error = parse(csv).err().map(|e| e.line);
        assert_eq!(error, Some(3));
    }

    #[test]
    fn a_missing_column_is_named() {
        let error = parse("who,what\nx,y\n").err().map(|e| e.to_string());
        assert!(
            error.as_deref().is_some_and(|e| e.contains("name,email")),
            "{error:?}"
        );
    }

    #[test]
    fn usernames_come_from_the_email() {
        let entries = parse("name,email\nJane,jane.doe-x@corp.example\nDot,..@corp.example\n")
            .unwrap_or_default();
        let names: Vec<&str> = entries.iter().map(|e| e.username.as_str()).collect();
        assert_eq!(names, ["jane_doe_x", "user"]);
    }

    #[test]
    fn an_account_request_names_every_bad_field_and_generates_a_missing_password() {
        let mut rng = rand::rng();
        let errors =
            AccountRequest::parse("no spaces", "nope", "", "wizard", Some("short"), &mut rng)
                .err()
                .unwrap_or_default();
        let fields: Vec<&str> = errors
            .iter()
            .map(|DomainError::Invalid { field, .. }| *field)
            .collect();
        assert_eq!(fields, ["username", "email", "role", "password"]);

        let request =
            AccountRequest::parse("ada", "ada@corp.example", "Ada", "support", None, &mut rng);
        let generated = request.map(|r| (r.generated_password, r.password.expose().len(), r.role));
        assert_eq!(generated, Ok((true, 16, Role::Support)));
    }
}
