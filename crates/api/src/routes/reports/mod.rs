//! Reports filed by staff, and the notices moderation leaves them.

pub mod create;
pub mod warnings;
