//! `GET /api/v1/accounts/relationships?id[]=..`: how the caller relates to others.

use crate::auth::CurrentUser;
use crate::entities::Relationship;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;
use std::collections::HashSet;

/// Most ids answered in one request.
const MAX_IDS: usize = 40;

/// The `id[]` (or `id`) values of a query string, in order. Parsed by hand because
/// the Rails-style `[]` suffix is not something serde's form decoder understands.
fn requested_ids(query: &str) -> Vec<AccountId> {
    let mut seen = HashSet::new();
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .filter(|(key, _)| key == "id[]" || key == "id")
        .filter_map(|(_, value)| value.trim().parse().ok())
        .filter(|id| seen.insert(*id))
        .take(MAX_IDS)
        .collect()
}

/// Returns a Relationship for each requested account that exists, in request
/// order, from ONE query whatever the number of ids.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:follows")?;
    let ids = requested_ids(req.query_string());
    let found = state.store.relationships(user.account_id, &ids).await?;
    let relationships: Vec<Relationship> = ids
        .into_iter()
        .filter_map(|id| Some(Relationship::new(id, *found.get(&id)?)))
        .collect();
    Ok(HttpResponse::Ok().json(relationships))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_and_plain_ids_are_read_once_each() {
        let ids = requested_ids("id%5B%5D=1&id[]=2&id=1&id[]=x&other=3");
        assert_eq!(ids, vec![AccountId(1), AccountId(2)]);
    }
}
