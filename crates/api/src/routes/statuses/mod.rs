//! Posts.

pub mod bookmark;
pub mod create;
pub mod delete;
pub mod favourite;
pub mod favourited_by;
pub mod react;
pub mod reacted_by;
pub mod show;
