//! The directory of people.

pub mod list;
