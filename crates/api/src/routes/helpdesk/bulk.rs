//! `POST /api/v1/helpdesk/tickets/bulk`: one change to many tickets, all or nothing.

use super::{ChangeForm, SUPPORT, require_role, ticket_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::{IdParam, Input};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use hubbub_core::ids::TicketId;
use hubbub_storage::StorageError;
use serde::Deserialize;

/// Most tickets one bulk action may touch.
const MAX_BULK: usize = 200;

/// The request: `ids` and the change (JSON).
#[derive(Debug, Deserialize)]
pub struct BulkChange {
    #[serde(default)]
    ids: Vec<IdParam>,
    #[serde(flatten)]
    change: ChangeForm,
}

/// Applies the change to every ticket and returns them.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    Input(form): Input<BulkChange>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let support = require_role(&state, &user, SUPPORT).await?;
    if form.ids.is_empty() || form.ids.len() > MAX_BULK {
        return Err(ApiError::field(
            "ids",
            "ERR_INVALID",
            format!("must list 1 to {MAX_BULK} tickets"),
        ));
    }
    let ids = form
        .ids
        .iter()
        .map(|raw| raw.parse("ids").map(|id| id.map(TicketId)))
        .collect::<Result<Option<Vec<_>>, _>>()?
        .ok_or_else(|| ApiError::field("ids", "ERR_INVALID", "contains a blank id"))?;
    let change = form.change.parse()?;
    let updated = match state
        .store
        .update_tickets(ids, change, support.id, state.clock.now())
        .await
    {
        Err(StorageError::NotFound { .. }) => {
            return Err(ApiError::field(
                "ids",
                "ERR_INVALID",
                "names a ticket that does not exist",
            ));
        }
        other => other?,
    };
    state.wake_relay();
    Ok(HttpResponse::Ok().json(updated.iter().map(ticket_json).collect::<Vec<_>>()))
}
