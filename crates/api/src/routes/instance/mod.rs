//! Instance metadata, which clients read first to choose features.

pub mod v1;
pub mod v2;

/// The version string clients parse: Mastodon's API level, then ours.
pub const VERSION: &str = concat!("4.3.0 (compatible; Hubbub ", env!("CARGO_PKG_VERSION"), ")");
