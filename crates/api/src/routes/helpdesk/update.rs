//! `PATCH /api/v1/helpdesk/tickets/:id`: support triages one ticket (category,
//! priority, assignee, state, escalation reference).

use super::{ChangeForm, SUPPORT, existing_ticket, require_role, ticket_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};

/// Applies the change and returns the ticket.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<ChangeForm>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let support = require_role(&state, &user, SUPPORT).await?;
    let change = form.parse()?;
    let ticket = existing_ticket(&state, &id, user.account_id).await?;
    let updated = state
        .store
        .update_tickets(vec![ticket.id], change, support.id, state.clock.now())
        .await?;
    state.wake_relay();
    let ticket = updated.first().ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(ticket_json(ticket)))
}
