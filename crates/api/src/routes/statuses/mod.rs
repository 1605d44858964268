//! Posts.

pub mod accept;
pub mod context;
pub mod create;
pub mod delete;
pub mod edit;
pub mod follow_thread;
pub mod history;
pub mod show;
