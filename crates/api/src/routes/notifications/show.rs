//! `GET /api/v1/notifications/:id`: one notification.

use super::own_notification;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::notices;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// The Notification, or 404 if it is not the viewer's or is about a post they
/// may no longer see.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:notifications")?;
    let notification = own_notification(&state, &id, user.account_id).await?;
    let base = state.base_url(&req);
    let rendered = notices::notifications(&state, &base, &[notification], user.account_id)
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(rendered))
}
