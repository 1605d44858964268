//! Search.

pub mod v2;
