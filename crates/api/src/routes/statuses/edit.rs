//! `PUT /api/v1/statuses/:id`: edit one of your own posts.

use crate::auth::CurrentUser;
use crate::entities;
use crate::error::ApiError;
use crate::input::IdParam;
use crate::input::Input;
use crate::render;
use crate::routes::path_id;
use crate::routes::statuses::create::{links_of, media_ids, media_refused};
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::StatusId;
use hubbub_core::input::StatusText;
use hubbub_storage::StorageError;
use serde::Deserialize;

/// The request. Mastodon clients also send `spoiler_text`, `sensitive`,
/// `language`...; those are accepted and ignored.
#[derive(Debug, Deserialize)]
pub struct EditStatus {
    status: Option<String>,
    /// The post's attachments after the edit (`media_ids[]` in forms): ones it
    /// has and new uploads; left out, the attachments stay as they are.
    media_ids: Option<Vec<IdParam>>,
}

/// Replaces the text (topics and mentions re-parsed), keeps the previous version
/// in the history and streams `status.update`. Someone else's post is 403; one
/// the viewer may not see, or a deleted one, is 404.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<EditStatus>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:statuses")?;
    let id: StatusId = path_id(&id)?;
    let current = state
        .store
        .status(id, Some(user.account_id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    if current.account_id != user.account_id {
        return Err(ApiError::Forbidden(
            "Only the author may edit a post".to_owned(),
        ));
    }
    let text = StatusText::parse(
        form.status.as_deref().unwrap_or_default(),
        state.config.max_status_chars,
    )?;
    let media = match &form.media_ids {
        Some(raw) => {
            let ids = media_ids(Some(raw))?;
            let media = state
                .store
                .attachable_media(user.account_id, &ids, Some(id))
                .await?;
            if media.len() != ids.len() {
                return Err(media_refused(
                    "names an upload that is not yours, is attached to another post or does not exist",
                ));
            }
            Some((ids, media))
        }
        None => None,
    };
    let now = state.clock.now();
    let base = state.base_url(&req);
    // The outbox event carries the entity after the edit, for everyone.
    let draft = hubbub_storage::model::Status {
        text: text.as_str().to_owned(),
        edited_at: Some(now),
        ..current
    };
    let links = links_of(&state, text.as_str()).await?;
    let mut entity = render::status(&state, &base, &draft, Some(user.account_id))
        .await?
        .with_links(&links, &base);
    if let Some((_, media)) = &media {
        entity.media_attachments = media
            .iter()
            .map(|media| entities::MediaAttachment::new(media, &base))
            .collect();
    }
    // The event's copy is for everyone: it says nothing about who follows.
    entity.hubbub.thread_followed = false;
    let json = serde_json::to_string(&entity)
        .map_err(|error| ApiError::internal("rendering a status", error))?;
    let media_ids = media.map(|(ids, _)| ids);
    let edited = match state
        .store
        .edit_status(id, user.account_id, text, media_ids, json, now)
        .await
    {
        Ok(edited) => edited.ok_or_else(ApiError::not_found)?,
        // Another request attached one of them first.
        Err(StorageError::NotFound { what: "media_ids" }) => {
            return Err(media_refused("names an upload that is already attached"));
        }
        Err(other) => return Err(other.into()),
    };
    state.wake_relay();
    let entity = render::status(&state, &base, &edited, Some(user.account_id)).await?;
    Ok(HttpResponse::Ok().json(entity))
}
