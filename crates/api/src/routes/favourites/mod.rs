//! The viewer's favourites.

pub mod list;
