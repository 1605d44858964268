//! Posts.

pub mod create;
pub mod delete;
pub mod show;
