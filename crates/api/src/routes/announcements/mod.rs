//! Announcements: `GET /api/v1/announcements`, `POST /api/v1/announcements/:id/dismiss`,
//! and marking a post with `POST /api/v1/statuses/:id/announce` / `unannounce`.

pub mod dismiss;
pub mod list;
pub mod mark;
