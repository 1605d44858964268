//! Media: uploading images, describing them, and serving the stored files.

pub mod create;
pub mod serve;
pub mod show;
pub mod update;

/// Longest alt text accepted, in characters (Mastodon's limit).
pub const DESCRIPTION_MAX: usize = 1500;

use crate::error::ApiError;

/// Checks an alt text; `None` and blank mean none.
pub(crate) fn description(raw: Option<&str>) -> Result<String, ApiError> {
    let text = raw.unwrap_or_default().trim();
    let length = text.chars().count();
    if length > DESCRIPTION_MAX {
        return Err(ApiError::field(
            "description",
            "ERR_TOO_LONG",
            format!("is too long ({length} characters, the maximum is {DESCRIPTION_MAX})"),
        ));
    }
    Ok(text.to_owned())
}
