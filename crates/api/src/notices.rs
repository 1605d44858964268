//! Shared by the favourite, reaction, bookmark and notification routes: the post
//! a person acts on (404 unless they may see it), the entities a notification
//! shows rendered for its recipient, and a page of notifications rendered with
//! one query per kind of thing it shows.

use crate::error::ApiError;
use crate::render;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::{AccountId, StatusId};
use hubbub_storage::interactions::{NoticeJson, Notification};
use hubbub_storage::model;
use serde_json::Value;
use std::collections::HashMap;

/// The live post `raw` names, if `viewer` may see it; 404 otherwise.
pub async fn visible_status(
    state: &ApiState,
    raw: &str,
    viewer: AccountId,
) -> Result<model::Status, ApiError> {
    let id: StatusId = path_id(raw)?;
    state
        .store
        .status(id, Some(viewer))
        .await?
        .ok_or_else(ApiError::not_found)
}

/// The entities of a notification from `actor` about `status` (if any), as its
/// `recipient` sees them, for the live `notification` event.
pub async fn notice_json(
    state: &ApiState,
    base: &str,
    actor: AccountId,
    status: Option<&model::Status>,
    recipient: AccountId,
) -> Result<NoticeJson, ApiError> {
    let account = state
        .store
        .account(actor)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?;
    let account = render::accounts(state, base, std::slice::from_ref(&account)).await?;
    let status = match status {
        Some(status) => Some(json_text(
            &render::status(state, base, status, Some(recipient)).await?,
        )?),
        None => None,
    };
    Ok(NoticeJson {
        account: json_text(&account.first())?,
        status,
    })
}

/// The post after a change, rendered as `viewer` now sees it.
pub async fn status_response(
    state: &ApiState,
    req: &HttpRequest,
    status: &model::Status,
    viewer: AccountId,
) -> Result<HttpResponse, ApiError> {
    let entity = render::status(state, &state.base_url(req), status, Some(viewer)).await?;
    Ok(HttpResponse::Ok().json(entity))
}

/// Renders `recipient`'s notifications: the actors in one query, the posts in
/// one more (only those the recipient may see), then the posts' own batch.
pub async fn notifications(
    state: &ApiState,
    base: &str,
    page: &[Notification],
    recipient: AccountId,
) -> Result<Vec<Value>, ApiError> {
    let mut actor_ids: Vec<AccountId> = page.iter().map(|n| n.from_account).collect();
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let actors = state.store.accounts(&actor_ids).await?;
    let actors: HashMap<AccountId, Value> = actors
        .iter()
        .zip(render::accounts(state, base, &actors).await?)
        .map(|(account, entity)| Ok((account.id, to_value(&entity)?)))
        .collect::<Result<_, ApiError>>()?;
    let status_ids: Vec<StatusId> = page.iter().filter_map(|n| n.status_id).collect();
    let posts = state.store.visible_statuses(&status_ids, recipient).await?;
    let posts: HashMap<String, Value> = render::statuses(state, base, &posts, Some(recipient))
        .await?
        .into_iter()
        .map(|entity| Ok((entity.id.clone(), to_value(&entity)?)))
        .collect::<Result<_, ApiError>>()?;
    Ok(page
        .iter()
        .filter_map(|notification| {
            let actor = actors.get(&notification.from_account)?.clone();
            let status = match notification.status_id {
                Some(id) => Some(posts.get(&id.to_string())?.clone()),
                None => None,
            };
            Some(notification.to_json(actor, status))
        })
        .collect())
}

fn json_text(entity: &impl serde::Serialize) -> Result<String, ApiError> {
    serde_json::to_string(entity).map_err(|e| ApiError::internal("rendering an entity", e))
}

fn to_value(entity: &impl serde::Serialize) -> Result<Value, ApiError> {
    serde_json::to_value(entity).map_err(|e| ApiError::internal("rendering an entity", e))
}
