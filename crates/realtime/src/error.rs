//! The realtime crate's error type.

use hubbub_storage::StorageError;

/// What went wrong on the bus, in the relay or in the gateway.
#[derive(Debug, thiserror::Error)]
pub enum RealtimeError {
    /// Redis refused, dropped or failed a command.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// Redis did not answer in time (e.g. a dead or unreachable server at start-up).
    #[error("redis at {addr} did not answer within {seconds} s")]
    RedisTimeout {
        /// The server that was tried (host and port; never the password).
        addr: String,
        /// How long we waited.
        seconds: u64,
    },
    /// An event could not be turned into or read from JSON.
    #[error("event JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A socket failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}
