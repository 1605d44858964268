//! `GET /api/v1/admin/export` (a Hubbub extension): the whole network as JSON
//! lines, streamed page by page, as `hubbub admin export-all` writes it.

use super::accounts::{log_export, require_admin};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::{Bytes, Data};
use hubbub_storage::moderation::ModerationKind;
use hubbub_storage::store::export::ExportWalk;

/// Logs `export_all`, then streams every table; memory stays bounded by one
/// page whatever the size of the network. A failure part-way ends the body
/// early (the log has the cause), so a download that stops short is visible.
pub async fn handle(state: Data<ApiState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "admin:read:accounts").await?;
    log_export(&state, &user, ModerationKind::ExportAll, None).await?;
    let store = state.store.clone();
    let body = futures_util::stream::unfold(Some(ExportWalk::new()), move |walk| {
        let store = store.clone();
        async move {
            let mut walk = walk?;
            match walk.next_chunk(&store).await {
                Ok(Some(chunk)) => Some((Ok(Bytes::from(chunk.json_lines)), Some(walk))),
                Ok(None) => None,
                Err(error) => {
                    tracing::error!(cause = %error, "the network export failed part-way");
                    Some((Err(ApiError::from(error)), None))
                }
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("hubbub-export.jsonl".to_owned())],
        })
        .streaming(body))
}
