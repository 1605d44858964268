//! Hubbub's own extensions under `/api/v1/hubbub`.

pub mod departments;
pub mod password;
