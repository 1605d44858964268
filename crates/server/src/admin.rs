//! `hubbub admin ...`: create users, set roles, disable and enable, reset
//! passwords, import an org directory from CSV, export one person's data or
//! the whole network. Every command works on the database directly (no
//! server needs to run); changes that others must see (revoked tokens) go
//! through the outbox like any other write, so running servers act on them.

use anyhow::{Context, anyhow};
use clap::Subcommand;
use hubbub_core::admin::{AccountRequest, parse_directory};
use hubbub_core::ids::{AccountId, IdGenerator};
use hubbub_core::input::Password;
use hubbub_core::role::Role;
use hubbub_storage::Store;
use hubbub_storage::model::Account;
use hubbub_storage::store::export::ExportWalk;
use std::io::Write;
use std::path::PathBuf;

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
    /// memberships, follows, posts and everything people did with them),
    /// streamed.
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
            let request = AccountRequest::parse(
                &username,
                &email,
                &name,
                &role,
                password.as_deref(),
                &mut rand::rng(),
            )
            .map_err(|errors| {
                let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
                anyhow!("{}", reasons.join("; "))
            })?;
            let generated = request
                .generated_password
                .then(|| request.password.expose().to_owned());
            let password_hash = hash(request.password.clone()).await?;
            let id = AccountId(IdGenerator::new().next(now));
            let account = store
                .admin_create_account(request, id, password_hash, now, None)
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
            store.set_role(account.id, role, None).await?;
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
            let (password, generated) =
                Password::given_or_generated(password.as_deref(), &mut rand::rng())
                    .map_err(|e| anyhow!("{e}"))?;
            let shown = generated.then(|| password.expose().to_owned());
            let password_hash = hash(password).await?;
            store
                .set_password_hash(account.id, password_hash, now, None)
                .await?;
            writeln!(
                out,
                "new password set for {}; they are signed out everywhere",
                account.username
            )?;
            if let Some(password) = shown {
                writeln!(out, "password: {password}")?;
            }
        }
        AdminCommand::ImportUsers { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let entries = parse_directory(&text, &IdGenerator::new(), now)
                .map_err(|e| anyhow!("{}: {e}", file.display()))?;
            let count = entries.len();
            let summary = store
                .import_directory(entries, now, None)
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
    let mut walk = ExportWalk::new();
    let mut written = 0;
    while let Some(chunk) = walk.next_chunk(store).await? {
        sink.write_all(&chunk.json_lines)?;
        written += chunk.records;
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

async fn hash(password: Password) -> anyhow::Result<String> {
    hubbub_api::credentials::hash_password(password)
        .await
        .map_err(|e| anyhow!("hashing the password: {e}"))
}
