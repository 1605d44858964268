//! Timelines.

pub mod community;
pub mod home;
pub mod public;
pub mod tag;
