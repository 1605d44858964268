//! `POST /api/v1/tags/:name/follow` and `/unfollow`: follow a topic (its posts
//! join the home feed), or stop.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::social_entities::Tag;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// Follows the topic (created if new; idempotent) and returns it.
pub async fn follow(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    name: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:follows")?;
    let name = super::tag_name(&name)?;
    state
        .store
        .follow_tag(user.account_id, &name, state.clock.now())
        .await?;
    state.wake_relay();
    Ok(HttpResponse::Ok().json(Tag::new(&name, true, &state.base_url(&req))))
}

/// Stops following the topic (idempotent); 404 for a topic that does not exist.
pub async fn unfollow(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    name: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:follows")?;
    let name = super::tag_name(&name)?;
    if !state
        .store
        .unfollow_tag(user.account_id, &name, state.clock.now())
        .await?
    {
        return Err(ApiError::not_found());
    }
    state.wake_relay();
    Ok(HttpResponse::Ok().json(Tag::new(&name, false, &state.base_url(&req))))
}
