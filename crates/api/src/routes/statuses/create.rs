//! `POST /api/v1/statuses`: post.

use crate::auth::CurrentUser;
use crate::entities;
use crate::error::ApiError;
use crate::input::{IdParam, Input};
use crate::state::ApiState;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::{CommunityId, StatusId};
use hubbub_core::input::StatusText;
use hubbub_core::text::extract;
use hubbub_storage::StorageError;
use hubbub_storage::model::{self, MentionedAccount, NewStatus, StatusLinks};
use serde::Deserialize;

/// The request. Mastodon clients also send `visibility`, `sensitive`,
/// `spoiler_text`, `language`, `media_ids`...; those are accepted and ignored.
#[derive(Debug, Deserialize)]
pub struct CreateStatus {
    status: Option<String>,
    in_reply_to_id: Option<IdParam>,
    /// Hubbub extension: the community to post in. Posting in a public community
    /// needs no membership (anyone may see and answer there); a private one needs
    /// active membership. A reply always lives in its parent's community.
    community_id: Option<IdParam>,
}

fn community_missing() -> ApiError {
    ApiError::NotFound("community_id not found".to_owned())
}

fn reply_target_missing() -> ApiError {
    ApiError::NotFound("The post you are trying to reply to does not appear to exist.".to_owned())
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
    let parent_author = match in_reply_to_id {
        Some(parent) => Some(
            state
                .store
                .status(parent, Some(user.account_id))
                .await?
                .ok_or_else(reply_target_missing)?
                .account_id,
        ),
        None => None,
    };
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
        community_id,
    };
    let base = state.base_url(&req);
    let found = extract(new.text.as_str());
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
    // The order the store reads them back in, so later reads match this response.
    links.tags.sort_unstable();
    links
        .mentions
        .sort_unstable_by_key(|mention| mention.username.to_ascii_lowercase());
    let entity =
        entities::Status::new(&draft, &author, parent_author, &base).with_links(&links, &base);
    let json = serde_json::to_string(&entity)
        .map_err(|error| ApiError::internal("rendering a status", error))?;
    match state.store.create_status(new, json).await {
        Ok(_) => {}
        Err(StorageError::NotFound {
            what: "community_id",
        }) => return Err(community_missing()),
        Err(StorageError::NotFound { .. }) => return Err(reply_target_missing()),
        Err(other) => return Err(other.into()),
    }
    state.wake_relay();
    Ok(HttpResponse::Ok().json(entity))
}
