//! `POST /api/v1/helpdesk/tickets/:id/duplicate_of`: support links a ticket to
//! the original it duplicates (closing it; the original counts a reuse).

use super::{SUPPORT, existing_ticket, require_role, ticket_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::{IdParam, Input};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};
use hubbub_core::ids::TicketId;
use hubbub_storage::StorageError;
use serde::Deserialize;

/// The request: the original ticket.
#[derive(Debug, Deserialize)]
pub struct DuplicateOf {
    ticket_id: Option<IdParam>,
}

/// Links the duplicate and returns it.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<DuplicateOf>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let support = require_role(&state, &user, SUPPORT).await?;
    let ticket = existing_ticket(&state, &id, user.account_id).await?;
    let original = form
        .ticket_id
        .as_ref()
        .map(|raw| raw.parse("ticket_id"))
        .transpose()?
        .flatten()
        .map(TicketId)
        .ok_or_else(|| ApiError::field("ticket_id", "ERR_BLANK", "can't be blank"))?;
    let linked = match state
        .store
        .mark_duplicate(ticket.id, original, support.id, state.clock.now())
        .await
    {
        Err(StorageError::NotFound { what: "ticket_id" }) => {
            return Err(ApiError::field(
                "ticket_id",
                "ERR_INVALID",
                "is not a ticket",
            ));
        }
        other => other?,
    };
    state.wake_relay();
    Ok(HttpResponse::Ok().json(ticket_json(&linked)))
}
