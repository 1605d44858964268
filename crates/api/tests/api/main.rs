//! The API driven through actix's test service, with a real `Store` on a SQLite
//! file and, when `HUBBUB_TEST_DATABASE_URL` is set, on PostgreSQL too.

mod accounts;
mod admin_accounts;
mod announcements;
mod auth;
mod bad_input;
mod communities;
mod feeds;
mod fixtures;
mod helpdesk;
mod helpers;
mod instance;
mod media;
mod moderation;
mod notifications;
mod oauth;
mod profiles;
mod rate_limits;
mod reactions;
mod search;
mod social_support;
mod statuses;
mod threads;
mod timelines;
mod topics;
