//! `GET /api/v1/statuses/:id/history` and `GET /api/v1/statuses/:id/source`.

use crate::auth::{CurrentUser, MaybeToken};
use crate::entities::{self, StatusEdit, StatusSource};
use crate::error::ApiError;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::StatusId;
use hubbub_core::text::render_status_html;

/// Every version of the post, oldest first, the current one last (Mastodon's
/// `StatusEdit` list); 404 for a post the viewer may not see.
pub async fn history(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:statuses")?;
    }
    let id: StatusId = path_id(&id)?;
    let viewer = token.as_ref().and_then(|token| token.account_id);
    let status = state
        .store
        .status(id, viewer)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let author = state
        .store
        .account(status.account_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let base = state.base_url(&req);
    let media: Vec<entities::MediaAttachment> = state
        .store
        .media_for_statuses(&[status.id])
        .await?
        .remove(&status.id)
        .unwrap_or_default()
        .iter()
        .map(|media| entities::MediaAttachment::new(media, &base))
        .collect();
    let account = entities::Account::new(&author, None, &base);
    let versions: Vec<StatusEdit> = state
        .store
        .status_history(&status)
        .await?
        .into_iter()
        .map(|version| StatusEdit {
            content: render_status_html(&version.text),
            spoiler_text: String::new(),
            sensitive: false,
            created_at: entities::timestamp(version.created_at),
            account: account.clone(),
            media_attachments: media.clone(),
            emojis: Vec::new(),
            poll: None,
        })
        .collect();
    Ok(HttpResponse::Ok().json(versions))
}

/// The text as written, to edit (Mastodon's `StatusSource`); the author only.
pub async fn source(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:statuses")?;
    let id: StatusId = path_id(&id)?;
    let status = state
        .store
        .status(id, Some(user.account_id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    if status.account_id != user.account_id {
        return Err(ApiError::Forbidden(
            "Only the author may read a post's source".to_owned(),
        ));
    }
    Ok(HttpResponse::Ok().json(StatusSource {
        id: status.id.to_string(),
        text: status.text,
        spoiler_text: String::new(),
    }))
}
