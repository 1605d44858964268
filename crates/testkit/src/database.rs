//! A database per test: a SQLite file in a temporary directory, or a PostgreSQL
//! database with a unique name created on a shared server and dropped afterwards.
//!
//! This module hands out URLs only; it neither migrates nor knows Hubbub's schema,
//! so that the storage crate can use it without a dependency cycle.

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use std::sync::Once;
use tempfile::TempDir;

/// The environment variable naming a PostgreSQL server (admin URL) for real-server suites.
pub const DATABASE_URL_ENV: &str = "HUBBUB_TEST_DATABASE_URL";

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    owner: Owner,
}

/// What to clean up when the database is dropped.
#[derive(Debug)]
enum Owner {
    /// Deleting the directory deletes the file and its WAL.
    Sqlite { _dir: TempDir },
    /// Dropped through the admin connection.
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// A new SQLite database file in a temporary directory (not `:memory:`, which
    /// gives each pooled connection its own empty database).
    pub async fn sqlite() -> anyhow::Result<TestDatabase> {
        let dir = tempfile::Builder::new()
            .prefix("hubbub-test-")
            .tempdir()
            .context("creating a temporary directory for SQLite")?;
        let url = format!("sqlite://{}", dir.path().join("hubbub.db").display());
        Ok(TestDatabase {
            url,
            owner: Owner::Sqlite { _dir: dir },
        })
    }

    /// A new, empty PostgreSQL database named `hubbub_test_<uuid>` on the server
    /// that `admin_url` points at; dropped (forcibly) when this value is dropped.
    pub async fn postgres(admin_url: &str) -> anyhow::Result<TestDatabase> {
        let name = format!("hubbub_test_{}", uuid::Uuid::new_v4().simple());
        let url = with_database(admin_url, &name)?;
        let admin = admin_url.to_owned();
        let create = name.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut conn = PgConnection::establish(&admin)
                .with_context(|| format!("connecting to {admin}"))?;
            conn.batch_execute(&format!("CREATE DATABASE {create}"))
                .with_context(|| format!("creating database {create}"))?;
            Ok(())
        })
        .await
        .context("the database setup task failed")??;
        Ok(TestDatabase {
            url,
            owner: Owner::Postgres {
                admin_url: admin_url.to_owned(),
                name,
            },
        })
    }

    /// The URL to hand to the code under test.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Ends every session connected to this PostgreSQL database, as a server
    /// restart or failover would; returns how many. SQLite has none.
    pub async fn end_sessions(&self) -> anyhow::Result<usize> {
        let Owner::Postgres { admin_url, name } = &self.owner else {
            return Ok(0);
        };
        let (admin, name) = (admin_url.clone(), name.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
            let mut conn = PgConnection::establish(&admin)
                .with_context(|| format!("connecting to {admin}"))?;
            let ended = diesel::sql_query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind::<diesel::sql_types::Text, _>(&name)
            .execute(&mut conn)
            .with_context(|| format!("ending the sessions of {name}"))?;
            Ok(ended)
        })
        .await
        .context("the session-ending task failed")?
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Owner::Postgres { admin_url, name } = &self.owner {
            // Best effort: a leftover test database must not fail or hang a test.
            let dropped = PgConnection::establish(admin_url)
                .map_err(|e| e.to_string())
                .and_then(|mut conn| {
                    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .map_err(|e| e.to_string())
                });
            if let Err(error) = dropped {
                eprintln!("could not drop test database {name}: {error}");
            }
        }
    }
}

/// A database engine a suite runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendUnderTest {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server reached through this admin URL.
    Postgres {
        /// Where to create and drop test databases.
        admin_url: String,
    },
}

impl BackendUnderTest {
    /// A short name for test output.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres { .. } => "PostgreSQL",
        }
    }

    /// A fresh database on this backend.
    pub async fn create(&self) -> anyhow::Result<TestDatabase> {
        match self {
            Self::Sqlite => TestDatabase::sqlite().await,
            Self::Postgres { admin_url } => TestDatabase::postgres(admin_url).await,
        }
    }
}

/// SQLite always; PostgreSQL too when [`DATABASE_URL_ENV`] is set (otherwise says
/// once, on stderr, that the PostgreSQL suite was skipped).
pub fn all_backends() -> Vec<BackendUnderTest> {
    static SKIP_NOTICE: Once = Once::new();
    let mut backends = vec![BackendUnderTest::Sqlite];
    match std::env::var(DATABASE_URL_ENV) {
        Ok(admin_url) if !admin_url.trim().is_empty() => {
            backends.push(BackendUnderTest::Postgres { admin_url })
        }
        _ => SKIP_NOTICE.call_once(|| {
            eprintln!("skipping PostgreSQL suite: set {DATABASE_URL_ENV}=postgres://... to run it");
        }),
    }
    backends
}

/// `admin_url` with its database name replaced by `name` (query string kept).
fn with_database(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let (scheme, rest) = base
        .split_once("://")
        .with_context(|| format!("{admin_url} is not a postgres:// URL"))?;
    let authority = rest
        .split_once('/')
        .map_or(rest, |(authority, _)| authority);
    let mut url = format!("{scheme}://{authority}/{name}");
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_is_swapped_and_the_rest_of_the_url_kept() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1").unwrap(),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgresql://u:p@h/db?sslmode=disable", "t2").unwrap(),
            "postgresql://u:p@h/t2?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:1", "t3").unwrap(),
            "postgres://h:1/t3"
        );
    }
}
