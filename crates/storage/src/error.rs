//! The storage layer's error type.

/// What went wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A unique value is already taken; names the client-facing field.
    #[error("{field} is already taken")]
    Conflict {
        /// The request field whose value is taken.
        field: &'static str,
    },
    /// Something the operation depends on does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What was missing, e.g. "in_reply_to_id".
        what: &'static str,
    },
    /// A domain rule refused the change (e.g. an answer outside the ticket's thread).
    #[error(transparent)]
    Rejected(#[from] hubbub_core::DomainError),
    /// The request is understood but not allowed in the current state (joining
    /// twice, leaving a community one is not in); the text says why.
    #[error("{0}")]
    Refused(&'static str),
    /// The database URL names no supported backend.
    #[error("unsupported database URL '{0}': use postgres://..., sqlite://path or a file path")]
    UnsupportedUrl(String),
    /// Could not open a connection.
    #[error("could not connect to the database: {0}")]
    Connect(String),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    /// No connection could be had from the pool in time.
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    /// A stored value could not be read back (e.g. unknown role).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The blocking task running the query panicked or was cancelled.
    #[error("database task failed: {0}")]
    Task(String),
}
