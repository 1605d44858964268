//! Accounts: registration, profiles, follows.

pub mod follow;
pub mod followers;
pub mod following;
pub mod lookup;
pub mod register;
pub mod relationships;
pub mod show;
pub mod statuses;
pub mod unfollow;
pub mod update_credentials;
pub mod verify_credentials;
