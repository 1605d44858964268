//! The viewer's bookmarks.

pub mod list;
