//! Hubbub's storage: one diesel code path for PostgreSQL and SQLite.
//!
//! - [`store`]: [`Store`], the async face of the database (diesel runs on a bounded
//!   blocking pool, never on an async worker).
//! - [`model`]: read models and insert forms that cross the crate boundary.
//! - [`error`]: [`StorageError`].
//! - `schema`, `connection`, `migrations`: diesel tables, the backend-dispatching
//!   connection and pool, embedded migrations (private).

mod connection;
pub mod error;
mod migrations;
pub mod model;
mod schema;
pub mod store;

pub use error::StorageError;
pub use store::{Backend, Store};
