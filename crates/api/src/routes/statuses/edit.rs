//! `PUT /api/v1/statuses/:id`: edit one of your own posts.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Input;
use crate::render;
use crate::routes::path_id;
use crate::routes::statuses::create::links_of;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::StatusId;
use hubbub_core::input::StatusText;
use serde::Deserialize;

/// The request. Mastodon clients also send `spoiler_text`, `sensitive`,
/// `language`, `media_ids`...; those are accepted and ignored (media stay).
#[derive(Debug, Deserialize)]
pub struct EditStatus {
    status: Option<String>,
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
    // The event's copy is for everyone: it says nothing about who follows.
    entity.hubbub.thread_followed = false;
    let json = serde_json::to_string(&entity)
        .map_err(|error| ApiError::internal("rendering a status", error))?;
    let edited = state
        .store
        .edit_status(id, user.account_id, text, json, now)
        .await?
        .ok_or_else(ApiError::not_found)?;
    state.wake_relay();
    let entity = render::status(&state, &base, &edited, Some(user.account_id)).await?;
    Ok(HttpResponse::Ok().json(entity))
}
