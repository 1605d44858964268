//! Email: immediate notices (batched per thread) and the weekly digest, sent by
//! one background task that never blocks a request.
//!
//! - `triggers`: outbox events → notices ("Bob replied to your post").
//! - [`compose`]: notices and digests → text and HTML emails.
//! - [`digest`]: the digest's sections, each a pluggable [`digest::DigestSource`].
//! - `transport`: SMTP via lettre, or `.eml` files in the data folder.
//! - `worker`: the loop: plan notices, batch them into emails, schedule digests,
//!   deliver the queue with retries.
//!
//! The pipeline is at-least-once end to end: the planner records notices and moves
//! its outbox cursor in one transaction (and skips a notice whose key it has), an
//! email is queued and its notices marked in one transaction (once per key), and
//! the sender claims an email with a lease and marks it sent only after the SMTP
//! server accepted it; a crash in between sends it again with the same
//! `Message-ID`, which mail clients use to drop the duplicate.

pub mod compose;
pub mod digest;
mod transport;
mod triggers;
mod worker;

pub use worker::{MailContext, spawn};
