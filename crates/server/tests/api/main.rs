//! End-to-end tests: the real server on random ports, driven over HTTP and WebSocket,
//! on SQLite and (with `HUBBUB_TEST_DATABASE_URL`) on PostgreSQL.

mod cli;
mod email;
mod helpers;
mod multi_node;
mod notifications;
mod oidc_provider;
mod ops;
mod private_streams;
mod restart;
mod seeded;
mod smtp_server;
mod social_path;
mod sso;
mod thread_stream;
mod web_client;
