//! Posts.

pub mod accept;
pub mod bookmark;
pub mod context;
pub mod create;
pub mod delete;
pub mod edit;
pub mod favourite;
pub mod favourited_by;
pub mod follow_thread;
pub mod history;
pub mod react;
pub mod reacted_by;
pub mod show;
