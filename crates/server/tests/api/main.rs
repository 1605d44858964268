//! End-to-end tests: the real server on random ports, driven over HTTP and WebSocket,
//! on SQLite and (with `HUBBUB_TEST_DATABASE_URL`) on PostgreSQL.

mod cli;
mod helpers;
mod multi_node;
mod ops;
mod restart;
mod social_path;
mod web_client;
