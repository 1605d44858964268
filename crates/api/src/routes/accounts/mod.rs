//! Accounts: registration, profiles, follows.

pub mod follow;
pub mod lookup;
pub mod register;
pub mod relationships;
pub mod show;
pub mod statuses;
pub mod unfollow;
pub mod verify_credentials;
