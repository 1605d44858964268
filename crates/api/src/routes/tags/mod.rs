//! Topics: `GET /api/v1/tags/:name`, follow and unfollow, `GET /api/v1/followed_tags`.

pub mod follow;
pub mod followed;
pub mod show;

use crate::error::ApiError;
use hubbub_core::text::{TAG_MAX_CHARS, parse_tag_name};

/// The canonical topic name from a path segment; 422 naming `name` when it is
/// not a topic name (too long, or not letters, digits and `_`).
pub(crate) fn tag_name(raw: &str) -> Result<String, ApiError> {
    parse_tag_name(raw).ok_or_else(|| {
        ApiError::field(
            "name",
            "ERR_INVALID",
            format!(
                "is not a topic name (letters, digits and _, at least one letter, at most {TAG_MAX_CHARS} characters)"
            ),
        )
    })
}
