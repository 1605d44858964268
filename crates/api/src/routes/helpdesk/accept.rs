//! `POST /api/v1/helpdesk/tickets/:id/accept`: the asker, support or an admin
//! marks a reply in the thread as the accepted answer.
//!
//! The social network's "accept answer" on questions calls the same storage
//! function, `Store::accept_answer`.

use super::{SUPPORT, existing_ticket, ticket_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::{IdParam, Input};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};
use hubbub_core::ids::StatusId;
use serde::Deserialize;

/// The request: the reply that answers the question.
#[derive(Debug, Deserialize)]
pub struct Accept {
    answer_id: Option<IdParam>,
}

/// Resolves the ticket with that answer.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<Accept>,
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
            "Only the asker, support or an admin may accept an answer".to_owned(),
        ));
    }
    let answer = form
        .answer_id
        .as_ref()
        .map(|raw| raw.parse("answer_id"))
        .transpose()?
        .flatten()
        .map(StatusId)
        .ok_or_else(|| ApiError::field("answer_id", "ERR_BLANK", "can't be blank"))?;
    let resolved = state
        .store
        .accept_answer(ticket.id, answer, caller.id, state.clock.now())
        .await?;
    state.wake_relay();
    Ok(HttpResponse::Ok().json(ticket_json(&resolved)))
}
