//! `POST /api/v1/helpdesk/tickets`: support turns a post into a ticket.

use super::{SUPPORT, require_role, ticket_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::{IdParam, Input};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use hubbub_core::helpdesk::ticket::{Category, Priority};
use hubbub_core::ids::StatusId;
use serde::Deserialize;

/// The request: the thread starter, and optionally its category and priority.
#[derive(Debug, Deserialize)]
pub struct OpenTicket {
    status_id: Option<IdParam>,
    category: Option<String>,
    priority: Option<String>,
}

/// Opens the ticket and returns it.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    Input(form): Input<OpenTicket>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let support = require_role(&state, &user, SUPPORT).await?;
    let status = form
        .status_id
        .as_ref()
        .map(|raw| raw.parse("status_id"))
        .transpose()?
        .flatten()
        .map(StatusId)
        .ok_or_else(|| ApiError::field("status_id", "ERR_BLANK", "can't be blank"))?;
    let category = form
        .category
        .as_deref()
        .map(str::parse::<Category>)
        .transpose()?;
    let priority = form
        .priority
        .as_deref()
        .map(str::parse::<Priority>)
        .transpose()?;
    let ticket = state
        .store
        .open_ticket(status, support.id, category, priority, state.clock.now())
        .await?;
    state.wake_relay();
    Ok(HttpResponse::Ok().json(ticket_json(&ticket)))
}
