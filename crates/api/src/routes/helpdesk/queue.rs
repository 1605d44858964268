//! `GET /api/v1/helpdesk/tickets`: the triage queue (support).
//!
//! Filters: `state` (comma-separated), `category`, `priority`, `assignee_id`
//! (`none` for unassigned), `unanswered_for` (business hours without any response),
//! `awaiting_confirmation=true` (a peer answered, nobody accepted yet). Sort: `age`
//! (oldest first, the default) or `sla_risk` (longest business-hours wait for
//! support first). At most `limit` (default 50, max 200). Each ticket carries its
//! starter post as `post` (excerpt, author, created_at), loaded for the whole page.

use super::{SUPPORT, require_role, ticket_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::{Flag, IdParam};
use crate::render::accounts_by_id;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Query};
use hubbub_core::helpdesk::ticket::{Category, Priority, TicketState};
use hubbub_core::ids::{AccountId, StatusId};
use hubbub_storage::helpdesk::{QueueFilter, Ticket};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Characters of a post's text shown in the queue.
const EXCERPT_CHARS: usize = 280;

/// The starter posts of a page of tickets that `viewer` may see, as
/// `{excerpt, created_at, author: {id, acct, display_name}}`: one query for the
/// posts, one for their authors. A post the viewer may not see, or a deleted one,
/// is left out (the ticket's `post` is then null).
async fn page_posts(
    state: &ApiState,
    rows: &[(Ticket, f64, f64)],
    viewer: AccountId,
) -> Result<HashMap<StatusId, Value>, ApiError> {
    let ids: Vec<StatusId> = rows
        .iter()
        .map(|(ticket, ..)| StatusId(ticket.id.0))
        .collect();
    let statuses: Vec<_> = state
        .store
        .statuses_by_ids(&ids, viewer)
        .await?
        .into_iter()
        .filter(|status| status.deleted_at.is_none())
        .collect();
    let authors = accounts_by_id(state, statuses.iter().map(|status| status.account_id)).await?;
    Ok(statuses
        .into_iter()
        .map(|status| {
            let author = authors.get(&status.account_id).map(|account| {
                json!({
                    "id": account.id.to_string(),
                    "acct": account.username,
                    "display_name": account.display_name,
                })
            });
            let excerpt: String = status.text.chars().take(EXCERPT_CHARS).collect();
            let entity = json!({
                "excerpt": excerpt,
                "truncated": status.text.chars().count() > EXCERPT_CHARS,
                "created_at": status
                    .created_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "author": author,
            });
            (status.id, entity)
        })
        .collect())
}

/// The query.
#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    state: Option<String>,
    category: Option<String>,
    priority: Option<String>,
    assignee_id: Option<String>,
    unanswered_for: Option<String>,
    awaiting_confirmation: Option<Flag>,
    sort: Option<String>,
    limit: Option<String>,
}

/// Lists the matching tickets with how long each has waited, in business hours.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    Query(query): Query<QueueQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    require_role(&state, &user, SUPPORT).await?;
    let states = match query.state.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(list) => list
            .split(',')
            .map(str::parse::<TicketState>)
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let assignee = match query.assignee_id.as_deref() {
        None => None,
        Some(raw) if raw.trim().eq_ignore_ascii_case("none") => Some(None),
        Some(raw) => Some(
            IdParam::Text(raw.to_owned())
                .parse("assignee_id")?
                .map(AccountId),
        ),
    };
    let number = |field: &'static str, raw: Option<&str>| -> Result<Option<f64>, ApiError> {
        raw.filter(|s| !s.trim().is_empty())
            .map(|s| {
                s.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .ok_or_else(|| {
                        ApiError::field(field, "ERR_INVALID", "must be a number of at least 0")
                    })
            })
            .transpose()
    };
    let unanswered_for = number("unanswered_for", query.unanswered_for.as_deref())?;
    let limit = number("limit", query.limit.as_deref())?.map_or(50, |n| (n as usize).clamp(1, 200));
    let by_risk = match query.sort.as_deref().unwrap_or("age") {
        "age" => false,
        "sla_risk" => true,
        other => {
            return Err(ApiError::field(
                "sort",
                "ERR_INVALID",
                format!("must be age or sla_risk, got '{other}'"),
            ));
        }
    };
    let filter = QueueFilter {
        states,
        category: query
            .category
            .as_deref()
            .map(str::parse::<Category>)
            .transpose()?,
        priority: query
            .priority
            .as_deref()
            .map(str::parse::<Priority>)
            .transpose()?,
        assignee,
        peer_answered_awaiting_confirmation: query
            .awaiting_confirmation
            .as_ref()
            .is_some_and(Flag::is_set),
        viewer: user.account_id,
    };
    let settings = state.store.helpdesk_settings().await?;
    let calendar = settings.settings.business_calendar();
    let now = state.clock.now();
    let mut rows: Vec<_> = state
        .store
        .triage_queue(filter)
        .await?
        .into_iter()
        .map(|ticket| {
            let waiting =
                calendar.business_hours(ticket.created_at, ticket.first_response_at.unwrap_or(now));
            let waiting_for_support = calendar.business_hours(
                ticket.created_at,
                ticket.first_support_response_at.unwrap_or(now),
            );
            (ticket, waiting, waiting_for_support)
        })
        .filter(|(ticket, waiting, _)| {
            unanswered_for.is_none_or(|n| ticket.first_response_at.is_none() && *waiting > n)
        })
        .collect();
    if by_risk {
        rows.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.id.cmp(&b.0.id)));
    }
    rows.truncate(limit);
    let posts = page_posts(&state, &rows, user.account_id).await?;
    let body: Vec<_> = rows
        .iter()
        .map(|(ticket, waiting, waiting_for_support)| {
            let mut entity = ticket_json(ticket);
            entity["business_hours_waiting"] = json!(waiting);
            entity["business_hours_without_support"] = json!(waiting_for_support);
            entity["post"] = posts
                .get(&StatusId(ticket.id.0))
                .cloned()
                .unwrap_or(Value::Null);
            entity
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("X-Hubbub-Settings-Version", settings.version.to_string()))
        .json(body))
}
