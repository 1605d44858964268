//! `POST /api/v1/helpdesk/tickets/:id/reopen`: the asker, support or an admin
//! reopens a resolved or closed ticket.

use super::{SUPPORT, existing_ticket, ticket_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};

/// Reopens the ticket.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let ticket = existing_ticket(&state, &id, user.account_id).await?;
    let caller = state
        .store
        .account(user.account_id)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?;
    if caller.id != ticket.asker_id && !SUPPORT.contains(&caller.role) {
        return Err(ApiError::Forbidden(
            "Only the asker, support or an admin may reopen a ticket".to_owned(),
        ));
    }
    let reopened = state
        .store
        .reopen_ticket(ticket.id, caller.id, state.clock.now())
        .await?;
    state.wake_relay();
    Ok(HttpResponse::Ok().json(ticket_json(&reopened)))
}
