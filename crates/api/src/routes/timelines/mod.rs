//! Timelines.

pub mod community;
pub mod home;
pub mod public;
pub mod questions;
pub mod tag;
pub mod threads;
