//! `GET /api/v1/announcements`: what the viewer has not dismissed yet, newest first.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Flag;
use crate::render;
use crate::social_entities::Announcement;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_storage::model;
use serde::Deserialize;

/// The query.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    with_dismissed: Option<String>,
}

/// Company-wide announcements and those of the viewer's communities; dismissed
/// ones only with `with_dismissed=true` (then `read` is true).
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let with_dismissed = query
        .with_dismissed
        .map(Flag::Text)
        .as_ref()
        .is_some_and(Flag::is_set);
    let announcements = state
        .store
        .announcements_for(user.account_id, with_dismissed)
        .await?;
    let posts: Vec<model::Status> = announcements.iter().map(|a| a.status.clone()).collect();
    let rendered =
        render::statuses(&state, &state.base_url(&req), &posts, Some(user.account_id)).await?;
    let body: Vec<Announcement> = announcements
        .iter()
        .zip(rendered)
        .map(|(announcement, status)| Announcement::new(announcement, status))
        .collect();
    Ok(HttpResponse::Ok().json(body))
}
