//! `POST /api/v1/statuses/:id/announce` and `/unannounce` (Hubbub extension): a
//! post in a community becomes an announcement there (pinned on top of its feed
//! and shown to its members until dismissed) when a community admin marks it; a
//! post outside communities becomes a company-wide announcement when an instance
//! admin marks it.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::render;
use crate::routes::communities::is_site_admin;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::StatusId;
use hubbub_storage::model::Status;

/// The post, if the viewer may see it (404) and may announce it (403).
async fn announceable(state: &ApiState, user: &CurrentUser, raw: &str) -> Result<Status, ApiError> {
    let id: StatusId = path_id(raw)?;
    let status = state
        .store
        .status(id, Some(user.account_id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let community_admin = match status.community_id {
        Some(community) => state
            .store
            .membership(community, user.account_id)
            .await?
            .is_some_and(|m| m.is_admin()),
        None => false,
    };
    if !community_admin && !is_site_admin(state, user.account_id).await? {
        return Err(ApiError::Forbidden(
            "Only admins, or a community's admins in their community, may announce".to_owned(),
        ));
    }
    Ok(status)
}

/// Marks the post as an announcement (idempotent) and returns it.
pub async fn announce(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let status = announceable(&state, &user, &id).await?;
    state
        .store
        .announce(&status, user.account_id, state.clock.now())
        .await?;
    let entity = render::status(
        &state,
        &state.base_url(&req),
        &status,
        Some(user.account_id),
    )
    .await?;
    Ok(HttpResponse::Ok().json(entity))
}

/// Unmarks it; 404 if it was not an announcement.
pub async fn unannounce(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let status = announceable(&state, &user, &id).await?;
    if !state.store.unannounce(status.id).await? {
        return Err(ApiError::not_found());
    }
    let entity = render::status(
        &state,
        &state.base_url(&req),
        &status,
        Some(user.account_id),
    )
    .await?;
    Ok(HttpResponse::Ok().json(entity))
}
