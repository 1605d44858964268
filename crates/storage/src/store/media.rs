//! Media attachments: recording uploads, reading them back, attaching them to posts.

use super::*;
use crate::media::{MediaAttachment, MediaInsertForm, MediaRow, NewMedia};
use crate::schema::media_attachments;
use hubbub_core::ids::MediaId;
use std::collections::HashMap;

/// Most attachments one post may carry (Mastodon's limit).
pub const MAX_ATTACHMENTS: usize = 4;

impl Store {
    /// Records an upload whose files are already in the media store.
    pub async fn create_media(&self, media: NewMedia) -> Result<MediaAttachment, StorageError> {
        self.run(move |conn| {
            let form = MediaInsertForm {
                id: media.id.0,
                account_id: media.account_id.0,
                content_type: &media.content_type,
                file_key: &media.file_key,
                preview_key: &media.preview_key,
                width: media.width,
                height: media.height,
                preview_width: media.preview_width,
                preview_height: media.preview_height,
                file_size: media.file_size,
                description: &media.description,
                created_at: to_db(media.created_at),
            };
            let row: MediaRow = diesel::insert_into(media_attachments::table)
                .values(&form)
                .get_result(conn)
                .map_err(|e| missing_account(e, "account_id"))?;
            Ok(row.into())
        })
        .await
    }

    /// An upload of `owner`'s that is not attached to a post yet (Mastodon lets
    /// only those be read and edited through `/api/v1/media/:id`).
    pub async fn unattached_media(
        &self,
        id: MediaId,
        owner: AccountId,
    ) -> Result<Option<MediaAttachment>, StorageError> {
        self.run(move |conn| {
            let row = media_attachments::table
                .find(id.0)
                .filter(media_attachments::account_id.eq(owner.0))
                .filter(media_attachments::status_id.is_null())
                .select(MediaRow::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(MediaAttachment::from))
        })
        .await
    }

    /// Changes the alt text of an unattached upload of `owner`'s; `None` if there
    /// is no such upload.
    pub async fn describe_media(
        &self,
        id: MediaId,
        owner: AccountId,
        description: String,
    ) -> Result<Option<MediaAttachment>, StorageError> {
        self.run(move |conn| {
            let row = diesel::update(
                media_attachments::table
                    .find(id.0)
                    .filter(media_attachments::account_id.eq(owner.0))
                    .filter(media_attachments::status_id.is_null()),
            )
            .set(media_attachments::description.eq(&description))
            .get_result::<MediaRow>(conn)
            .optional()?;
            Ok(row.map(MediaAttachment::from))
        })
        .await
    }

    /// `owner`'s unattached uploads among `ids` (and, with `on`, the attachments
    /// that post already has), in the order of `ids`; ids that are someone
    /// else's, attached elsewhere or unknown are left out.
    pub async fn attachable_media(
        &self,
        owner: AccountId,
        ids: &[MediaId],
        on: Option<StatusId>,
    ) -> Result<Vec<MediaAttachment>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let on = on.map(|status| status.0);
        self.run(move |conn| {
            let mut found: HashMap<i64, MediaAttachment> = media_attachments::table
                .filter(media_attachments::id.eq_any(&wanted))
                .filter(media_attachments::account_id.eq(owner.0))
                .filter(
                    media_attachments::status_id
                        .is_null()
                        .or(media_attachments::status_id.eq(on)),
                )
                .select(MediaRow::as_select())
                .load(conn)?
                .into_iter()
                .map(|row| {
                    let media = MediaAttachment::from(row);
                    (media.id.0, media)
                })
                .collect();
            Ok(wanted.iter().filter_map(|id| found.remove(id)).collect())
        })
        .await
    }

    /// The attachments of each post in `statuses`, in ONE query, each post's in
    /// upload order.
    pub async fn media_for_statuses(
        &self,
        statuses: &[StatusId],
    ) -> Result<HashMap<StatusId, Vec<MediaAttachment>>, StorageError> {
        if statuses.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Option<i64>> = statuses.iter().map(|id| Some(id.0)).collect();
        self.run(move |conn| {
            let rows: Vec<MediaRow> = media_attachments::table
                .filter(media_attachments::status_id.eq_any(ids))
                .order((
                    media_attachments::status_id.asc(),
                    media_attachments::id.asc(),
                ))
                .select(MediaRow::as_select())
                .load(conn)?;
            let mut by_status: HashMap<StatusId, Vec<MediaAttachment>> = HashMap::new();
            for media in rows.into_iter().map(MediaAttachment::from) {
                if let Some(status) = media.status_id {
                    by_status.entry(status).or_default().push(media);
                }
            }
            Ok(by_status)
        })
        .await
    }
}

/// Attaches `media` (all `author`'s, all unattached) to `status`, inside the
/// transaction that creates the post. Anything else (someone else's upload, one
/// already attached, too many) is `StorageError::NotFound { what: "media_ids" }`,
/// and the caller's transaction rolls back.
/// Makes `media` exactly the attachments of `author`'s post `status` (an edit,
/// inside its transaction): attachments left out are detached (back among the
/// author's uploads), new ones must be the author's unattached uploads;
/// otherwise `StorageError::NotFound { what: "media_ids" }`.
pub(crate) fn replace_media(
    conn: &mut AnyConnection,
    author: AccountId,
    status: StatusId,
    media: &[MediaId],
) -> Result<(), StorageError> {
    let keep: Vec<i64> = media.iter().map(|id| id.0).collect();
    diesel::update(
        media_attachments::table
            .filter(media_attachments::status_id.eq(status.0))
            .filter(media_attachments::id.ne_all(&keep)),
    )
    .set(media_attachments::status_id.eq(None::<i64>))
    .execute(conn)?;
    let already: Vec<i64> = media_attachments::table
        .filter(media_attachments::status_id.eq(status.0))
        .select(media_attachments::id)
        .load(conn)?;
    let new: Vec<MediaId> = media
        .iter()
        .copied()
        .filter(|id| !already.contains(&id.0))
        .collect();
    attach_media(conn, author, status, &new)
}

pub(crate) fn attach_media(
    conn: &mut AnyConnection,
    author: AccountId,
    status: StatusId,
    media: &[MediaId],
) -> Result<(), StorageError> {
    if media.is_empty() {
        return Ok(());
    }
    if media.len() > MAX_ATTACHMENTS {
        return Err(StorageError::NotFound { what: "media_ids" });
    }
    let ids: Vec<i64> = media.iter().map(|id| id.0).collect();
    let attached = diesel::update(
        media_attachments::table
            .filter(media_attachments::id.eq_any(&ids))
            .filter(media_attachments::account_id.eq(author.0))
            .filter(media_attachments::status_id.is_null()),
    )
    .set(media_attachments::status_id.eq(status.0))
    .execute(conn)?;
    if attached != ids.len() {
        return Err(StorageError::NotFound { what: "media_ids" });
    }
    Ok(())
}
