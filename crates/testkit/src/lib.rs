//! Dev-only helpers for Hubbub's tests.
//!
//! - [`database`]: a fresh database per test, on SQLite always and on PostgreSQL
//!   when `HUBBUB_TEST_DATABASE_URL` is set.

pub mod database;
