//! Hubbub's storage: one diesel code path for PostgreSQL and SQLite.
//!
//! - [`store`]: [`Store`], the async face of the database (diesel runs on a bounded
//!   blocking pool, never on an async worker).
//! - [`model`]: read models and insert forms that cross the crate boundary.
//! - [`helpdesk`]: help-desk read models (tickets, their logs, settings versions).
//! - [`sso`], [`email`]: models of single sign-on and of email notifications.
//! - [`oauth`], [`moderation`]: models of authorization codes and browser
//!   sessions, and of reports and the moderation audit log.
//! - [`error`]: [`StorageError`], one enum for every failure.
//! - [`profile`]: profile updates, directory order, departments.
//! - [`interactions`]: favourites, reactions, bookmarks, notifications, markers.
//! - [`media`]: uploaded images (media attachments).
//! - `schema`, `rows`, `connection`, `migrations` (private): diesel tables, row
//!   structs and insert forms, the backend-dispatching connection and pool, and the
//!   embedded migrations (`migrations/{postgres,sqlite}` at the workspace root).

mod connection;
pub mod email;
pub mod error;
pub mod helpdesk;
pub mod interactions;
pub mod media;
mod migrations;
pub mod model;
pub mod moderation;
pub mod oauth;
pub mod profile;
mod rows;
mod schema;
pub mod sso;
pub mod store;

pub use error::StorageError;
pub use store::{Backend, Store};
