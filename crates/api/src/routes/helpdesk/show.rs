//! `GET /api/v1/helpdesk/tickets/:id`: a ticket and its event log, for support and
//! for its asker (anyone else gets 404).

use super::{SUPPORT, existing_ticket, ticket_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};
use serde_json::json;

/// Returns the ticket with `events`: who did what, when.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let ticket = existing_ticket(&state, &id, user.account_id).await?;
    let viewer = state
        .store
        .account(user.account_id)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?;
    if viewer.id != ticket.asker_id && !SUPPORT.contains(&viewer.role) {
        return Err(ApiError::not_found());
    }
    let events: Vec<_> = state
        .store
        .ticket_log(ticket.id)
        .await?
        .into_iter()
        .map(|logged| {
            let entry = logged.entry;
            json!({
                "id": logged.id.to_string(),
                "kind": entry.kind,
                "at": entry.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "actor_id": entry.actor.map(|id| id.to_string()),
                "actor_is_support": entry.actor_is_support,
                "subject_id": entry.subject.map(|id| id.to_string()),
                "subject_is_support": entry.subject_is_support,
                "status_id": entry.status_id.map(|id| id.to_string()),
                "minutes": entry.minutes,
                "value": entry.value,
            })
        })
        .collect();
    let mut body = ticket_json(&ticket);
    body["events"] = json!(events);
    Ok(HttpResponse::Ok().json(body))
}
