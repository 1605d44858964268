//! Client applications.

pub mod create;
