//! The `hubbub` binary as an operator meets it: bad input and unreachable
//! servers give one clear line and a failing exit code, never a panic; the
//! seeder is deterministic (help desk and reactions included) and refuses a
//! non-empty instance.

use crate::helpers::data_dir;
use hubbub_server::seed::{SeedOptions, seed};
use hubbub_storage::Store;
use std::process::Command;

/// Runs `hubbub args...` with a scratch data folder; returns (exit code, stderr).
fn hubbub(args: &[&str]) -> anyhow::Result<(i32, String)> {
    let dir = data_dir()?;
    let output = Command::new(env!("CARGO_BIN_EXE_hubbub"))
        .args(args)
        .env("HUBBUB_DATA_DIR", dir.path())
        .env("HUBBUB_LISTEN", "127.0.0.1:0")
        .env("HUBBUB_STREAMING_LISTEN", "127.0.0.1:0")
        .env_remove("HUBBUB_DATABASE_URL")
        .env_remove("HUBBUB_REDIS_URL")
        .env_remove("HUBBUB_ROLE")
        .output()?;
    Ok((
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stderr)?,
    ))
}

/// The one line that explains the failure.
fn error_line(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.starts_with("hubbub:") || line.starts_with("error:"))
        .collect()
}

#[test]
fn bad_input_and_unreachable_servers_give_one_clear_line() -> anyhow::Result<()> {
    let cases: &[(&[&str], &str)] = &[
        (&["serve", "--role", "streaming"], "HUBBUB_ROLE"),
        (&["serve", "--role", "gateway"], "HUBBUB_ROLE"),
        (
            &[
                "migrate",
                "--database-url",
                "postgres://nobody@127.0.0.1:1/none",
            ],
            "HUBBUB_DATABASE_URL",
        ),
        (
            &["serve", "--redis-url", "redis://127.0.0.1:1"],
            "HUBBUB_REDIS_URL",
        ),
        (&["admin", "set-role", "somebody", "wizard"], "unknown role"),
        (&["admin", "disable", "nobody"], "no account 'nobody'"),
        (
            &["admin", "import-users", "/nonexistent/org.csv"],
            "cannot read",
        ),
        (
            &[
                "admin",
                "create-user",
                "--username",
                "bad name",
                "--email",
                "x@y.z",
            ],
            "username",
        ),
        (&["seed", "--people", "3"], "--people"),
        (&["bench", "api", "--people", "1"], "--people"),
        (&["admin", "frobnicate"], "unrecognized subcommand"),
    ];
    for (args, expected) in cases {
        let (code, stderr) = hubbub(args)?;
        assert_ne!(code, 0, "{args:?} succeeded");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        let lines = error_line(&stderr);
        assert_eq!(lines.len(), 1, "{args:?}: {stderr}");
        assert!(lines[0].contains(expected), "{args:?}: {stderr}");
    }
    Ok(())
}

fn options(now: chrono::DateTime<chrono::Utc>) -> SeedOptions {
    SeedOptions {
        seed: 7,
        people: 40,
        months: 1,
        force: false,
        now,
    }
}

async fn seeded_export(now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<String> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let store = Store::connect(database.url(), 2).await?;
    store.migrate().await?;
    seed(&store, &options(now), &mut std::io::sink()).await?;
    let mut export = Vec::new();
    hubbub_server::admin::export_all(&store, &mut export).await?;
    // The help desk and the reactions on it, which the export leaves out.
    let tickets = store
        .helpdesk_report_batch(
            now - chrono::Duration::days(60),
            now + chrono::Duration::days(1),
            hubbub_core::ids::AccountId(0),
            None,
            100_000,
        )
        .await?;
    let starters: Vec<_> = tickets
        .iter()
        .map(|t| hubbub_core::ids::StatusId(t.ticket.id.0))
        .collect();
    let reactions: std::collections::BTreeMap<_, _> = store
        .interactions(&starters, None)
        .await?
        .into_iter()
        .collect();
    anyhow::ensure!(!tickets.is_empty(), "no tickets were seeded");
    export.extend(format!("{tickets:?}\n{reactions:?}").into_bytes());
    let Err(again) = seed(&store, &options(now), &mut std::io::sink()).await else {
        anyhow::bail!("a second seeding of the same instance was accepted");
    };
    let again = again.to_string();
    assert!(again.contains("--force"), "{again}");
    Ok(String::from_utf8(export)?)
}

#[tokio::test]
async fn the_same_seed_gives_the_same_network_and_a_second_run_is_refused() -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let first = seeded_export(now).await?;
    let second = seeded_export(now).await?;
    assert_eq!(first, second);
    assert!(first.contains("\"type\":\"community\""));
    assert!(first.contains("\"in_reply_to_id\":\""), "has replies");
    assert!(first.contains(" #"), "has topics");
    assert!(first.contains("@"), "has mentions");
    assert!(first.contains("SameHere"), "has \"same here\" reactions");
    Ok(())
}
