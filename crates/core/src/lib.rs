//! Hubbub's domain, free of I/O.
//!
//! - [`admin`]: what administrators ask for: new accounts, org-directory imports.
//! - [`ids`]: typed 64-bit, time-ordered ids and their generator.
//! - [`community`]: community names and descriptions.
//! - [`clock`]: the [`clock::Clock`] that every time-dependent rule reads.
//! - [`input`]: parse-don't-validate input types (usernames, passwords, post text).
//! - [`text`]: rendering user text to safe HTML.
//! - [`role`]: staff roles.
//! - [`helpdesk`]: tickets, the business-hours calendar, settings and the time-saved model.
//! - [`search`]: search queries split into terms both full-text engines match alike.
//! - [`profile`]: validated profile fields (bio, department, job title, location).
//! - [`page`]: keyset pagination requests.
//! - [`reaction`]: the fixed set of reactions and the kinds of notification.
//! - [`event`]: the events written to the outbox and fanned out by the gateway.
//! - [`token`]: signing and verifying JWT access tokens (shared by API and gateway).
//! - [`email`]: email kinds people opt out of, and the weekly digest's schedule.
//! - [`sso`]: single sign-on rules: group to role mapping, usernames for new accounts.
//! - [`visibility`]: the rule deciding who may see a post (private communities).
//! - [`error`]: [`DomainError`], with a stable `code()`.

pub mod admin;
pub mod clock;
pub mod community;
pub mod email;
pub mod error;
pub mod event;
pub mod helpdesk;
pub mod ids;
pub mod input;
pub mod page;
pub mod profile;
pub mod reaction;
pub mod role;
pub mod search;
pub mod sso;
pub mod text;
pub mod token;
pub mod visibility;

pub use error::DomainError;
