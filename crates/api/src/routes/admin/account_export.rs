//! `GET /api/v1/admin/accounts/:id/export` (a Hubbub extension): everything
//! stored about one person as JSON, as `hubbub admin export-user` writes it.

use super::accounts::{log_export, require_admin};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::{Data, Path};
use hubbub_core::ids::AccountId;
use hubbub_storage::moderation::ModerationKind;

/// The export, logged as `export_account`, offered as a file download.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "admin:read:accounts").await?;
    let id: AccountId = path_id(&id)?;
    let export = state
        .store
        .export_user(id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    log_export(&state, &user, ModerationKind::ExportAccount, Some(id)).await?;
    let file = format!("hubbub-{}.json", export.account.username);
    Ok(HttpResponse::Ok()
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file)],
        })
        .json(export))
}
