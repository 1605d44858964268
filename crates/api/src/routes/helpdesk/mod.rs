//! The help desk (`/api/v1/helpdesk/...`): the triage queue and ticket actions for
//! support, accepting answers for askers, settings and their history for managers.

pub mod accept;
pub mod bulk;
pub mod duplicate_of;
pub mod minutes;
pub mod open;
pub mod queue;
pub mod reopen;
pub mod settings_history;
pub mod settings_show;
pub mod settings_update;
pub mod settings_version;
pub mod show;
pub mod update;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::IdParam;
use crate::state::ApiState;
use hubbub_core::helpdesk::ticket::{Category, Priority, TicketState};
use hubbub_core::ids::{AccountId, CommunityId, TicketId};
use hubbub_core::role::Role;
use hubbub_storage::helpdesk::{Ticket, TicketChange};
use hubbub_storage::model::Account;
use serde::Deserialize;
use serde_json::Value;

/// Who may work the triage queue.
pub const SUPPORT: &[Role] = &[Role::Support, Role::Admin];
/// Who may read reports and edit settings.
pub const MANAGERS: &[Role] = &[Role::Manager, Role::Admin];

/// The caller's account, or 403 naming the roles that may do this.
pub async fn require_role(
    state: &ApiState,
    user: &CurrentUser,
    allowed: &[Role],
) -> Result<Account, ApiError> {
    let account = state
        .store
        .account(user.account_id)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?;
    if allowed.contains(&account.role) {
        Ok(account)
    } else {
        let names: Vec<&str> = allowed.iter().map(|role| role.as_str()).collect();
        Err(ApiError::Forbidden(format!(
            "This action needs the {} role",
            names.join(" or ")
        )))
    }
}

/// A ticket as JSON (ids as strings, times RFC 3339, as Mastodon writes them);
/// the same rendering the `helpdesk` stream carries.
pub fn ticket_json(ticket: &Ticket) -> Value {
    ticket.to_json()
}

/// The fields support may change on one or many tickets.
#[derive(Debug, Default, Deserialize)]
pub struct ChangeForm {
    category: Option<String>,
    priority: Option<String>,
    /// An account id, or `""`/`null`-like `"none"` to unassign.
    assignee_id: Option<IdParam>,
    state: Option<String>,
    escalation_ref: Option<String>,
}

impl ChangeForm {
    /// Parses the form into a change, naming the first bad field.
    pub fn parse(&self) -> Result<TicketChange, ApiError> {
        let assignee = match &self.assignee_id {
            None => None,
            Some(IdParam::Text(text)) if text.trim().eq_ignore_ascii_case("none") => Some(None),
            Some(raw) => Some(raw.parse("assignee_id")?.map(AccountId)),
        };
        Ok(TicketChange {
            category: self
                .category
                .as_deref()
                .map(str::parse::<Category>)
                .transpose()?,
            priority: self
                .priority
                .as_deref()
                .map(str::parse::<Priority>)
                .transpose()?,
            assignee,
            state: self
                .state
                .as_deref()
                .map(str::parse::<TicketState>)
                .transpose()?,
            escalation_ref: self.escalation_ref.clone(),
        })
    }
}

/// A ticket id from the path; 404 if it is not a number, not a ticket, or in a
/// private community `viewer` is not an active member of.
pub async fn existing_ticket(
    state: &ApiState,
    raw: &str,
    viewer: AccountId,
) -> Result<Ticket, ApiError> {
    let id: TicketId = crate::routes::path_id(raw)?;
    let ticket = state
        .store
        .ticket(id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if let Some(community) = ticket.community_id.map(CommunityId)
        && !state.store.may_see_community(viewer, community).await?
    {
        return Err(ApiError::not_found());
    }
    Ok(ticket)
}
