//! The viewer's notifications.

pub mod clear;
pub mod dismiss;
pub mod list;
pub mod show;
pub mod unread_count;

use crate::error::ApiError;
use crate::state::ApiState;
use hubbub_core::ids::AccountId;

/// The notification id in the path, if the viewer has such a notification and
/// may still see what it is about; 404 otherwise.
async fn own_notification(
    state: &ApiState,
    raw: &str,
    viewer: AccountId,
) -> Result<hubbub_storage::interactions::Notification, ApiError> {
    let id: i64 = super::path_id(raw)?;
    state
        .store
        .notification(viewer, id)
        .await?
        .ok_or_else(ApiError::not_found)
}
