//! `POST /api/v2/media` (and `/api/v1/media`): upload an image to attach to a post.

use crate::auth::CurrentUser;
use crate::entities::MediaAttachment;
use crate::error::ApiError;
use crate::media::{delete_all, process, put_all};
use crate::multipart;
use crate::routes::media::description;
use crate::state::ApiState;
use actix_web::web::{self, Data};
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;
use hubbub_core::ids::MediaId;
use hubbub_storage::media::NewMedia;
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The text fields; the image comes as the multipart file `file`.
#[derive(Debug, Deserialize)]
pub struct Upload {
    description: Option<String>,
    // Sent by Mastodon clients; Hubbub crops nothing, so the focal point is unused.
    #[serde(rename = "focus")]
    _focus: Option<IgnoredAny>,
}

/// Checks the image (by its bytes), re-encodes it without metadata with a
/// preview, stores both files and records the upload. Files are removed again if
/// recording fails, so a failed request leaves nothing behind.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:media")?;
    let upload =
        multipart::read::<Upload>(&req, payload, &["file"], state.config.max_upload_bytes).await?;
    let description = description(upload.fields.description.as_deref())?;
    let Some(bytes) = upload.files.get("file").cloned() else {
        return Err(ApiError::field(
            "file",
            "ERR_BLANK",
            "is missing: send the image as the multipart field 'file'",
        ));
    };
    let max_pixels = state.config.max_image_pixels;
    let image = web::block(move || process::attachment(&bytes, max_pixels))
        .await?
        .map_err(|problem| ApiError::field("file", "ERR_INVALID", problem.to_string()))?;
    let now = state.clock.now();
    let id = MediaId(state.ids.next(now));
    let folder = format!("attachments/{}", uuid::Uuid::new_v4().simple());
    let file_key = format!("{folder}/original.{}", image.original.extension);
    let preview_key = format!("{folder}/small.{}", image.preview.extension);
    let new = NewMedia {
        id,
        account_id: user.account_id,
        content_type: image.original.content_type.to_owned(),
        file_key: file_key.clone(),
        preview_key: preview_key.clone(),
        width: i64::from(image.original.width),
        height: i64::from(image.original.height),
        preview_width: i64::from(image.preview.width),
        preview_height: i64::from(image.preview.height),
        file_size: image.original.bytes.len() as i64,
        description,
        created_at: now,
    };
    put_all(
        state.media.as_ref(),
        vec![
            (file_key.clone(), Bytes::from(image.original.bytes)),
            (preview_key.clone(), Bytes::from(image.preview.bytes)),
        ],
    )
    .await
    .map_err(|error| ApiError::internal("storing an upload", error))?;
    let media = match state.store.create_media(new).await {
        Ok(media) => media,
        Err(error) => {
            delete_all(state.media.as_ref(), &[file_key, preview_key]).await;
            return Err(error.into());
        }
    };
    Ok(HttpResponse::Ok().json(MediaAttachment::new(&media, &state.base_url(&req))))
}
