//! Media attachments (uploaded images): the read model, the insert form, the row.

use crate::schema::media_attachments;
use chrono::{DateTime, NaiveDateTime, Utc};
use hubbub_core::ids::{AccountId, MediaId, StatusId};

/// An uploaded image and its preview, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaAttachment {
    /// Its id.
    pub id: MediaId,
    /// Who uploaded it.
    pub account_id: AccountId,
    /// The post it is attached to, once attached.
    pub status_id: Option<StatusId>,
    /// MIME type of the stored (re-encoded) file.
    pub content_type: String,
    /// Media-store key of the full-size file.
    pub file_key: String,
    /// Media-store key of the preview.
    pub preview_key: String,
    /// Width of the full-size file, in pixels.
    pub width: i64,
    /// Height of the full-size file, in pixels.
    pub height: i64,
    /// Width of the preview.
    pub preview_width: i64,
    /// Height of the preview.
    pub preview_height: i64,
    /// Size of the full-size file, in bytes.
    pub file_size: i64,
    /// Alt text.
    pub description: String,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
}

/// An upload about to be recorded (its files are already in the media store).
#[derive(Debug, Clone)]
pub struct NewMedia {
    /// Its id.
    pub id: MediaId,
    /// Who uploads it.
    pub account_id: AccountId,
    /// MIME type of the stored file.
    pub content_type: String,
    /// Key of the full-size file.
    pub file_key: String,
    /// Key of the preview.
    pub preview_key: String,
    /// Full-size width.
    pub width: i64,
    /// Full-size height.
    pub height: i64,
    /// Preview width.
    pub preview_width: i64,
    /// Preview height.
    pub preview_height: i64,
    /// Full-size bytes.
    pub file_size: i64,
    /// Alt text.
    pub description: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = media_attachments, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct MediaRow {
    id: i64,
    account_id: i64,
    status_id: Option<i64>,
    content_type: String,
    file_key: String,
    preview_key: String,
    width: i64,
    height: i64,
    preview_width: i64,
    preview_height: i64,
    file_size: i64,
    description: String,
    created_at: NaiveDateTime,
}

impl From<MediaRow> for MediaAttachment {
    fn from(row: MediaRow) -> Self {
        Self {
            id: MediaId(row.id),
            account_id: AccountId(row.account_id),
            status_id: row.status_id.map(StatusId),
            content_type: row.content_type,
            file_key: row.file_key,
            preview_key: row.preview_key,
            width: row.width,
            height: row.height,
            preview_width: row.preview_width,
            preview_height: row.preview_height,
            file_size: row.file_size,
            description: row.description,
            created_at: row.created_at.and_utc(),
        }
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = media_attachments)]
pub(crate) struct MediaInsertForm<'a> {
    pub(crate) id: i64,
    pub(crate) account_id: i64,
    pub(crate) content_type: &'a str,
    pub(crate) file_key: &'a str,
    pub(crate) preview_key: &'a str,
    pub(crate) width: i64,
    pub(crate) height: i64,
    pub(crate) preview_width: i64,
    pub(crate) preview_height: i64,
    pub(crate) file_size: i64,
    pub(crate) description: &'a str,
    pub(crate) created_at: NaiveDateTime,
}
