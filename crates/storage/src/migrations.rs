//! The embedded migrations: one tree per backend, with the same version names so
//! `__diesel_schema_migrations` reads the same on both.

use crate::connection::AnyConnection;
use crate::error::StorageError;
use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// A fixed key for the PostgreSQL advisory lock that keeps two nodes starting at
/// once from running the same migration twice.
const MIGRATION_LOCK_KEY: i64 = 0x4855_4242_4d49_4752;

/// Runs the pending migrations for the connection's backend; returns how many ran.
pub(crate) fn run_pending(conn: &mut AnyConnection) -> Result<usize, StorageError> {
    match conn {
        AnyConnection::Postgresql(_) => {
            conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
            let ran = apply(conn, POSTGRES);
            let unlocked =
                conn.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"));
            let ran = ran?;
            unlocked?;
            Ok(ran)
        }
        AnyConnection::Sqlite(_) => apply(conn, SQLITE),
    }
}

fn apply(conn: &mut AnyConnection, migrations: EmbeddedMigrations) -> Result<usize, StorageError> {
    conn.run_pending_migrations(migrations)
        .map(|versions| versions.len())
        .map_err(|e| StorageError::Migration(e.to_string()))
}
