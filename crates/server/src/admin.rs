//! `hubbub admin ...`: create users, set roles, disable and enable, reset
//! passwords, import an org directory from CSV, export one person's data or
//! the whole network. Every command works on the database directly (no
//! server needs to run); changes that others must see (revoked tokens) go
//! through the outbox like any other write, so running servers act on them.

use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use hubbub_core::ids::{AccountId, IdGenerator};
use hubbub_core::input::{DisplayName, Email, Password, Username};
use hubbub_core::role::Role;
use hubbub_storage::Store;
use hubbub_storage::model::{Account, NewAccount};
use hubbub_storage::store::admin::{DirectoryEntry, ExportTable};
use rand::Rng;
use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

/// A password hash no password matches: imported people sign in after a reset.
pub const NO_PASSWORD: &str = "!";

/// The admin commands.
#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Creates an account; prints the password if none was given.
    CreateUser {
        /// Username (letters, digits, underscores).
        #[arg(long)]
        username: String,
        /// Email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long, default_value = "")]
        name: String,
        /// member, support, manager or admin.
        #[arg(long, default_value = "member")]
        role: String,
        /// Password (8+ characters); generated and printed when left out.
        #[arg(long)]
        password: Option<String>,
    },
    /// Sets the role of an account (member, support, manager, admin).
    SetRole {
        /// Username, email or id.
        user: String,
        /// The new role.
        role: String,
    },
    /// Disables an account: it cannot sign in, and its tokens stop working at once.
    Disable {
        /// Username, email or id.
        user: String,
    },
    /// Enables a disabled account again (it signs in anew).
    Enable {
        /// Username, email or id.
        user: String,
    },
    /// Sets a new password (printed when not given) and signs the person out everywhere.
    ResetPassword {
        /// Username, email or id.
        user: String,
        /// The new password; generated and printed when left out.
        #[arg(long)]
        password: Option<String>,
    },
    /// Imports people from an org-directory CSV with the header
    /// name,email,department,title,manager_email. Idempotent (matched by email);
    /// all or nothing.
    ImportUsers {
        /// The CSV file.
        file: PathBuf,
    },
    /// Writes everything stored about one person as JSON.
    ExportUser {
        /// Username, email or id.
        user: String,
        /// File to write (default: standard output).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Writes the whole network as JSON lines (accounts, communities,
    /// memberships, follows, posts), streamed.
    ExportAll {
        /// File to write (default: standard output).
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// Runs one admin command; what it reports goes to `out`.
pub async fn run(store: &Store, command: AdminCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    match command {
        AdminCommand::CreateUser {
            username,
            email,
            name,
            role,
            password,
        } => {
            let username = Username::parse(&username).map_err(|e| anyhow!("{e}"))?;
            let email = Email::parse(&email).map_err(|e| anyhow!("{e}"))?;
            let display_name = DisplayName::parse(&name).map_err(|e| anyhow!("{e}"))?;
            let role: Role = role.parse().map_err(|e| anyhow!("{e}"))?;
            let (password, generated) = password_or_generated(password)?;
            let password_hash = hash(password).await?;
            let account = store
                .create_account(NewAccount {
                    id: AccountId(IdGenerator::new().next(now)),
                    username,
                    email,
                    display_name,
                    password_hash,
                    role,
                    created_at: now,
                })
                .await
                .map_err(|e| anyhow!("cannot create the account: {e}"))?;
            writeln!(
                out,
                "created {} ({}) with role {}, id {}",
                account.username, account.email, account.role, account.id
            )?;
            if let Some(password) = generated {
                writeln!(out, "password: {password}")?;
            }
        }
        AdminCommand::SetRole { user, role } => {
            let role: Role = role.parse().map_err(|e| anyhow!("{e}"))?;
            let account = find(store, &user).await?;
            store.set_role(account.id, role).await?;
            writeln!(out, "{} is now {role}", account.username)?;
        }
        AdminCommand::Disable { user } => {
            let account = find(store, &user).await?;
            store.set_disabled(account.id, true, now).await?;
            writeln!(
                out,
                "{} is disabled; their tokens are revoked",
                account.username
            )?;
        }
        AdminCommand::Enable { user } => {
            let account = find(store, &user).await?;
            store.set_disabled(account.id, false, now).await?;
            writeln!(out, "{} is enabled", account.username)?;
        }
        AdminCommand::ResetPassword { user, password } => {
            let account = find(store, &user).await?;
            let (password, generated) = password_or_generated(password)?;
            let password_hash = hash(password).await?;
            store
                .set_password_hash(account.id, password_hash, now)
                .await?;
            writeln!(
                out,
                "new password set for {}; they are signed out everywhere",
                account.username
            )?;
            if let Some(password) = generated {
                writeln!(out, "password: {password}")?;
            }
        }
        AdminCommand::ImportUsers { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let entries =
                parse_directory(&text, now).map_err(|e| anyhow!("{}: {e}", file.display()))?;
            let count = entries.len();
            let summary = store
                .import_directory(entries, NO_PASSWORD.to_owned(), now)
                .await
                .map_err(|e| anyhow!("{}: {e}; nothing was imported", file.display()))?;
            writeln!(
                out,
                "imported {count} people: {} created, {} updated",
                summary.created, summary.updated
            )?;
            if summary.created > 0 {
                writeln!(
                    out,
                    "new accounts have no password yet: use `hubbub admin reset-password`"
                )?;
            }
        }
        AdminCommand::ExportUser { user, output } => {
            let account = find(store, &user).await?;
            let export = store
                .export_user(account.id)
                .await?
                .ok_or_else(|| anyhow!("account {user} disappeared"))?;
            let mut sink = sink(output.as_ref(), out)?;
            serde_json::to_writer_pretty(&mut sink, &export)?;
            writeln!(sink)?;
        }
        AdminCommand::ExportAll { output } => {
            let mut sink = sink(output.as_ref(), out)?;
            let lines = export_all(store, &mut sink).await?;
            sink.flush()?;
            eprintln!("exported {lines} records");
        }
    }
    Ok(())
}

/// Streams every table as JSON lines; returns how many lines.
pub async fn export_all(store: &Store, sink: &mut dyn Write) -> anyhow::Result<u64> {
    let mut written = 0;
    for table in ExportTable::ALL {
        let mut cursor = None;
        loop {
            let (lines, next) = store.export_page(table, cursor, 1000).await?;
            for line in &lines {
                serde_json::to_writer(&mut *sink, line)?;
                sink.write_all(b"\n")?;
                written += 1;
            }
            match next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
    }
    Ok(written)
}

enum Sink<'a> {
    File(std::io::BufWriter<std::fs::File>),
    Out(&'a mut dyn Write),
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::File(file) => file.write(buf),
            Sink::Out(out) => out.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::File(file) => file.flush(),
            Sink::Out(out) => out.flush(),
        }
    }
}

fn sink<'a>(output: Option<&PathBuf>, out: &'a mut dyn Write) -> anyhow::Result<Sink<'a>> {
    Ok(match output {
        Some(path) => Sink::File(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("--output: cannot create {}", path.display()))?,
        )),
        None => Sink::Out(out),
    })
}

/// An account by username, email or id; a clear error if there is none.
pub async fn find(store: &Store, user: &str) -> anyhow::Result<Account> {
    let by_login = store.account_by_login(user).await?;
    let found = match by_login {
        Some(account) => Some(account),
        None => match user.trim().parse::<i64>() {
            Ok(id) => store.account(AccountId(id)).await?,
            Err(_) => None,
        },
    };
    found.ok_or_else(|| anyhow!("no account '{user}' (give a username, an email or an id)"))
}

fn password_or_generated(given: Option<String>) -> anyhow::Result<(Password, Option<String>)> {
    match given {
        Some(raw) => Ok((Password::parse(&raw).map_err(|e| anyhow!("{e}"))?, None)),
        None => {
            let mut rng = rand::rng();
            let raw: String = (0..16)
                .map(|_| char::from(rng.sample(rand::distr::Alphanumeric)))
                .collect();
            Ok((Password::parse(&raw)?, Some(raw)))
        }
    }
}

async fn hash(password: Password) -> anyhow::Result<String> {
    hubbub_api::credentials::hash_password(password)
        .await
        .map_err(|e| anyhow!("hashing the password: {e}"))
}

/// A username from an email's local part: `jane.doe-x` becomes `jane_doe_x`.
fn username_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or_default();
    let mut name: String = local
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(hubbub_core::input::USERNAME_MAX - 4)
        .collect();
    if name.trim_matches('_').is_empty() {
        name = "user".to_owned();
    }
    name
}

/// Reads and checks an org-directory CSV: every row, before anything is
/// written. Errors name the line.
pub fn parse_directory(
    text: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Vec<DirectoryEntry>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| anyhow!("line 1: not a CSV header: {e}"))?
        .clone();
    let column = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (Some(name), Some(email)) = (column(&["name"]), column(&["email"])) else {
        bail!("line 1: the header must name the columns name,email,department,title,manager_email");
    };
    let department = column(&["department"]);
    let title = column(&["title", "job_title"]);
    let manager = column(&["manager_email", "manager"]);
    let ids = IdGenerator::new();
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            anyhow!("line {line}: {e}")
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |index: Option<usize>| {
            index
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let display_name =
            field(Some(name)).ok_or_else(|| anyhow!("line {line}: name is empty"))?;
        DisplayName::parse(&display_name).map_err(|e| anyhow!("line {line}: {e}"))?;
        let raw_email = field(Some(email)).ok_or_else(|| anyhow!("line {line}: email is empty"))?;
        let parsed =
            Email::parse(&raw_email).map_err(|e| anyhow!("line {line}: '{raw_email}': {e}"))?;
        let email = parsed.as_str().to_owned();
        if !seen.insert(email.clone()) {
            bail!("line {line}: {email} appears twice in the file");
        }
        let manager_email = match field(manager) {
            Some(raw) => {
                let manager = Email::parse(&raw)
                    .map_err(|e| anyhow!("line {line}: manager '{raw}': {e}"))?
                    .as_str()
                    .to_owned();
                if manager == email {
                    bail!("line {line}: {email} cannot be their own manager");
                }
                Some(manager)
            }
            None => None,
        };
        let department = field(department);
        let job_title = field(title);
        for (what, value) in [("department", &department), ("title", &job_title)] {
            if value.as_ref().is_some_and(|v| v.chars().count() > 100) {
                bail!("line {line}: {what} is longer than 100 characters");
            }
        }
        entries.push(DirectoryEntry {
            line,
            new_id: AccountId(ids.next(now)),
            username: username_from_email(&email),
            email,
            display_name,
            department,
            job_title,
            manager_email,
        });
    }
    if entries.is_empty() {
        bail!("no rows after the header");
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_email_is_reported_with_its_line_number() {
        let csv = "name,email,department,title,manager_email\nAda,ada@example.com,Eng,CTO,\nBob,not-an-email,Eng,Dev,ada@example.com\n";
        let error = parse_directory(csv, chrono::Utc::now())
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("line 3:"), "{error}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let error = parse_directory("who,what\nx,y\n", chrono::Utc::now())
            .unwrap_err()
            .to_string();
        assert!(error.contains("name,email"), "{error}");
    }

    #[test]
    fn usernames_come_from_the_email() {
        assert_eq!(username_from_email("jane.doe-x@corp.example"), "jane_doe_x");
        assert_eq!(username_from_email("..@corp.example"), "user");
    }
}
