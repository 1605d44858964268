//! `POST /api/v1/statuses`: post.

use crate::auth::CurrentUser;
use crate::entities;
use crate::error::ApiError;
use crate::input::{Flag, IdParam, Input};
use crate::state::ApiState;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::{CommunityId, MediaId, StatusId};
use hubbub_core::input::StatusText;
use hubbub_core::text::extract;
use hubbub_storage::StorageError;
use hubbub_storage::model::{self, MentionedAccount, NewStatus, StatusLinks};
use hubbub_storage::store::MAX_ATTACHMENTS;
use serde::Deserialize;

/// The request. Mastodon clients also send `visibility`, `sensitive`,
/// `spoiler_text`, `language`...; those are accepted and ignored.
#[derive(Debug, Deserialize)]
pub struct CreateStatus {
    status: Option<String>,
    in_reply_to_id: Option<IdParam>,
    /// Hubbub extension: the community to post in. Posting in a public community
    /// needs no membership (anyone may see and answer there); a private one needs
    /// active membership. A reply always lives in its parent's community.
    community_id: Option<IdParam>,
    /// Uploads to attach (`media_ids[]` in forms).
    media_ids: Option<Vec<IdParam>>,
    /// Hubbub extension: the post asks a question (a thread's first post only).
    hubbub_question: Option<Flag>,
}

fn community_missing() -> ApiError {
    ApiError::NotFound("community_id not found".to_owned())
}

pub(crate) fn media_refused(message: &str) -> ApiError {
    ApiError::field("media_ids", "ERR_INVALID", message)
}

/// The requested media ids, once each, in order; at most [`MAX_ATTACHMENTS`].
pub(crate) fn media_ids(raw: Option<&Vec<IdParam>>) -> Result<Vec<MediaId>, ApiError> {
    let mut ids: Vec<MediaId> = Vec::new();
    for raw in raw.into_iter().flatten() {
        if let Some(id) = raw.parse("media_ids")?.map(MediaId)
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    if ids.len() > MAX_ATTACHMENTS {
        return Err(media_refused(&format!(
            "has {} ids, the maximum is {MAX_ATTACHMENTS}",
            ids.len()
        )));
    }
    Ok(ids)
}

fn reply_target_missing() -> ApiError {
    ApiError::NotFound("The post you are trying to reply to does not appear to exist.".to_owned())
}

/// The topics and mentions of `text` as the store will link them, in the order
/// it reads them back in, so a response rendered before storing matches later reads.
pub(crate) async fn links_of(state: &ApiState, text: &str) -> Result<StatusLinks, ApiError> {
    let found = extract(text);
    let mut links = StatusLinks {
        tags: found.tags,
        mentions: state
            .store
            .accounts_by_usernames(&found.mentions)
            .await?
            .into_iter()
            .map(|account| MentionedAccount {
                id: account.id,
                username: account.username,
            })
            .collect(),
    };
    links.tags.sort_unstable();
    links
        .mentions
        .sort_unstable_by_key(|mention| mention.username.to_ascii_lowercase());
    Ok(links)
}

/// Stores the post (and its outbox event) and returns it as a Status.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Input(form): Input<CreateStatus>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:statuses")?;
    let text = StatusText::parse(
        form.status.as_deref().unwrap_or_default(),
        state.config.max_status_chars,
    )?;
    let in_reply_to_id = match &form.in_reply_to_id {
        Some(raw) => raw.parse("in_reply_to_id")?.map(StatusId),
        None => None,
    };
    let question = form.hubbub_question.as_ref().is_some_and(Flag::is_set);
    if question && in_reply_to_id.is_some() {
        return Err(ApiError::field(
            "hubbub_question",
            "ERR_INVALID",
            "only a thread's first post can be a question",
        ));
    }
    let media_ids = media_ids(form.media_ids.as_ref())?;
    let media = state
        .store
        .attachable_media(user.account_id, &media_ids, None)
        .await?;
    if media.len() != media_ids.len() {
        return Err(media_refused(
            "names an upload that is not yours, is already attached or does not exist",
        ));
    }
    let parent = match in_reply_to_id {
        Some(parent) => Some(
            state
                .store
                .status(parent, Some(user.account_id))
                .await?
                .ok_or_else(reply_target_missing)?,
        ),
        None => None,
    };
    let parent_author = parent.as_ref().map(|parent| parent.account_id);
    let community_id = match &form.community_id {
        Some(raw) => raw.parse("community_id")?.map(CommunityId),
        None => None,
    };
    let author = state
        .store
        .account(user.account_id)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?;
    let now = state.clock.now();
    let new = NewStatus {
        id: StatusId(state.ids.next(now)),
        account_id: author.id,
        text,
        in_reply_to_id,
        community_id,
        created_at: now,
    };
    // The outbox event carries the rendered entity, so render before storing.
    let draft = model::Status {
        id: new.id,
        account_id: new.account_id,
        text: new.text.as_str().to_owned(),
        in_reply_to_id,
        created_at: now,
        deleted_at: None,
        // A reply lives in its parent's community and thread.
        community_id: parent
            .as_ref()
            .map_or(community_id, |parent| parent.community_id),
        thread_id: parent.as_ref().map_or(new.id, |parent| parent.thread_id),
        edited_at: None,
        question,
        accepted_answer_id: None,
    };
    let base = state.base_url(&req);
    let links = links_of(&state, new.text.as_str()).await?;
    let mut entity =
        entities::Status::new(&draft, &author, parent_author, &base).with_links(&links, &base);
    entity.media_attachments = media
        .iter()
        .map(|media| entities::MediaAttachment::new(media, &base))
        .collect();
    let json = serde_json::to_string(&entity)
        .map_err(|error| ApiError::internal("rendering a status", error))?;
    // The author takes part in the thread from now on (the event's copy is for
    // everyone, so it says nothing about who follows).
    entity.hubbub.thread_followed = true;
    match state
        .store
        .create_post(new, media_ids, question, json)
        .await
    {
        Ok(_) => {}
        Err(StorageError::NotFound {
            what: "community_id",
        }) => return Err(community_missing()),
        // Another request attached one of them first.
        Err(StorageError::NotFound { what: "media_ids" }) => {
            return Err(media_refused("names an upload that is already attached"));
        }
        Err(StorageError::NotFound { .. }) => return Err(reply_target_missing()),
        Err(other) => return Err(other.into()),
    }
    state.wake_relay();
    Ok(HttpResponse::Ok().json(entity))
}
