//! The backend-dispatching connection and its pool.
//!
//! The backend is chosen from the URL scheme here rather than by
//! `MultiConnection::establish`, which tries each backend in turn and swallows the
//! real error (an unreachable PostgreSQL would read "invalid connection url").

use crate::error::StorageError;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{CustomizeConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One connection to either backend; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub(crate) enum AnyConnection {
    // PostgreSQL first: the derive's `establish` tries variants in order, and libpq
    // rejects a SQLite path at once, while SQLite would happily create a file.
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// The r2d2 pool of [`AnyConnection`]s.
pub(crate) type Pool = r2d2::Pool<Manager>;

/// A connection idle for longer than this is pinged before it is handed out;
/// one in steady use is not, which saves a round trip per query under load.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// A pooled connection and when it was last given back to the pool.
pub(crate) struct Pooled {
    conn: AnyConnection,
    returned_at: Instant,
}

impl Deref for Pooled {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

/// How long a query waits for a free connection before failing, instead of r2d2's 30 s.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(5);

/// Per-connection SQLite settings: wait for locks instead of failing at once, enforce
/// foreign keys (off by default), WAL so readers never block the writer, and
/// `synchronous=NORMAL`, which is durable across application crashes under WAL.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                              PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

/// Where a database URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A libpq URL, passed through unchanged.
    Postgres(String),
    /// A SQLite database file.
    Sqlite(PathBuf),
}

impl Target {
    /// Reads the backend from the URL scheme: `postgres://`/`postgresql://`,
    /// `sqlite://path` or a plain path; anything else is unsupported.
    pub(crate) fn parse(url: &str) -> Result<Self, StorageError> {
        let unsupported = || StorageError::UnsupportedUrl(url.to_owned());
        if let Some((scheme, rest)) = url.split_once("://") {
            return match scheme.to_ascii_lowercase().as_str() {
                "postgres" | "postgresql" => Ok(Self::Postgres(url.to_owned())),
                "sqlite" if !rest.is_empty() => Ok(Self::Sqlite(PathBuf::from(rest))),
                _ => Err(unsupported()),
            };
        }
        // `mysql:x` or `sqlite:app.db` would otherwise become a file with that name;
        // a one-letter prefix is a Windows drive, not a scheme.
        if let Some((prefix, _)) = url.split_once(':')
            && prefix.len() > 1
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return Err(unsupported());
        }
        if url.trim().is_empty() {
            return Err(unsupported());
        }
        Ok(Self::Sqlite(PathBuf::from(url)))
    }
}

/// Opens connections for the pool, dispatching on the [`Target`] so that a failure
/// carries the backend's own message.
#[derive(Debug)]
pub(crate) struct Manager {
    target: Target,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Pooled;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Pooled, Self::Error> {
        let conn = match &self.target {
            Target::Postgres(url) => PgConnection::establish(url).map(AnyConnection::Postgresql),
            Target::Sqlite(path) => {
                SqliteConnection::establish(&path.to_string_lossy()).map(AnyConnection::Sqlite)
            }
        }
        .map_err(diesel::r2d2::Error::ConnectionError)?;
        Ok(Pooled {
            conn,
            returned_at: Instant::now(),
        })
    }

    /// Called on every checkout: pings only a connection that sat idle, since
    /// one that just finished a query is known to work. One that died in use
    /// (a database restart) never comes back here: libpq reports its session
    /// lost, diesel marks it broken, and `has_broken` has the pool discard it.
    fn is_valid(&self, conn: &mut Pooled) -> Result<(), Self::Error> {
        if conn.returned_at.elapsed() < PING_AFTER_IDLE {
            return Ok(());
        }
        conn.conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    /// Called when a connection is given back: the moment `is_valid` measures
    /// idleness from.
    fn has_broken(&self, conn: &mut Pooled) -> bool {
        conn.returned_at = Instant::now();
        std::thread::panicking() || conn.conn.is_broken()
    }
}

/// Applies [`SQLITE_PRAGMAS`] to every SQLite connection the pool hands out.
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<Pooled, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut Pooled) -> Result<(), diesel::r2d2::Error> {
        if let AnyConnection::Sqlite(sqlite) = &mut conn.conn {
            sqlite
                .batch_execute(SQLITE_PRAGMAS)
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Checks the target is reachable, with its real error, then builds the pool.
/// Blocking: call it from a blocking thread.
pub(crate) fn build_pool(target: Target, max_size: u32) -> Result<Pool, StorageError> {
    match &target {
        Target::Postgres(url) => {
            PgConnection::establish(url).map_err(|e| StorageError::Connect(e.to_string()))?;
        }
        Target::Sqlite(path) => {
            create_parent_dir(path)?;
            // Switch the file to WAL once, before several pooled connections race to.
            let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                .map_err(|e| StorageError::Connect(e.to_string()))?;
            conn.batch_execute(SQLITE_PRAGMAS)
                .map_err(|e| StorageError::Connect(format!("{}: {e}", path.display())))?;
        }
    }
    r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(CONNECTION_TIMEOUT)
        .connection_customizer(Box::new(SqlitePragmas))
        .build(Manager { target })
        .map_err(|e| StorageError::Connect(e.to_string()))
}

fn create_parent_dir(path: &Path) -> Result<(), StorageError> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            std::fs::create_dir_all(parent).map_err(|e| {
                StorageError::Connect(format!("could not create {}: {e}", parent.display()))
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_is_read_from_the_url_scheme() {
        assert_eq!(
            Target::parse("postgres://u@h/db").ok(),
            Some(Target::Postgres("postgres://u@h/db".into()))
        );
        assert_eq!(
            Target::parse("postgresql://h/db").ok(),
            Some(Target::Postgres("postgresql://h/db".into()))
        );
        assert_eq!(
            Target::parse("sqlite:///var/lib/hubbub/db.sqlite").ok(),
            Some(Target::Sqlite("/var/lib/hubbub/db.sqlite".into()))
        );
        assert_eq!(
            Target::parse("sqlite://data/h.db").ok(),
            Some(Target::Sqlite("data/h.db".into()))
        );
        assert_eq!(
            Target::parse("data/h.db").ok(),
            Some(Target::Sqlite("data/h.db".into()))
        );
    }

    #[test]
    fn other_schemes_are_refused_rather_than_taken_for_file_names() {
        for url in [
            "mysql://h/db",
            "sqlite:app.db",
            "redis://h",
            "sqlite://",
            "",
        ] {
            assert!(
                matches!(Target::parse(url), Err(StorageError::UnsupportedUrl(_))),
                "{url} should be unsupported"
            );
        }
    }
}
