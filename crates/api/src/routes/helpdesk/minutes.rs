//! `POST /api/v1/helpdesk/tickets/:id/minutes`: support logs minutes spent.

use super::{SUPPORT, existing_ticket, require_role, ticket_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::{IdParam, Input};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};
use serde::Deserialize;

/// The request: whole minutes, 1 to 1440.
#[derive(Debug, Deserialize)]
pub struct LogMinutes {
    minutes: Option<IdParam>,
}

/// Logs the minutes and returns the ticket.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<LogMinutes>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let support = require_role(&state, &user, SUPPORT).await?;
    let ticket = existing_ticket(&state, &id, user.account_id).await?;
    let minutes = form
        .minutes
        .as_ref()
        .map(|raw| raw.parse("minutes"))
        .transpose()?
        .flatten()
        .ok_or_else(|| ApiError::field("minutes", "ERR_BLANK", "can't be blank"))?;
    let logged = state
        .store
        .log_minutes(ticket.id, minutes, support.id, state.clock.now())
        .await?;
    state.wake_relay();
    Ok(HttpResponse::Ok().json(ticket_json(&logged)))
}
