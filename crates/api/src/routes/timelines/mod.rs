//! Timelines.

pub mod home;
pub mod public;
