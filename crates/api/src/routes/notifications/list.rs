//! `GET /api/v1/notifications`: mentions, replies, follows, favourites, reactions.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::notices;
use crate::pagination::{PageParams, link_header, request_url};
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::reaction::NotificationKind;
use hubbub_storage::interactions::NotificationFilter;

/// The `types[]` and `exclude_types[]` of a query string (also without `[]`).
/// Kinds Hubbub does not have (`reblog`, `poll`, ...) are skipped. Returns the
/// filter and whether `types` named only such kinds (so nothing can match).
fn parse_filter(query: &str) -> (NotificationFilter, bool) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let mut filter = NotificationFilter::default();
    let mut asked_types = false;
    for (key, value) in pairs {
        let key = key.strip_suffix("[]").unwrap_or(&key);
        let kind = NotificationKind::parse(value.trim());
        match key {
            "types" => {
                asked_types = true;
                filter.types.extend(kind);
            }
            "exclude_types" => filter.exclude_types.extend(kind),
            _ => {}
        }
    }
    let nothing = asked_types && filter.types.is_empty();
    (filter, nothing)
}

/// One page of Notifications about what the viewer may still see, newest first,
/// with a `Link` header.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Query(params): Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:notifications")?;
    let page = params.to_request()?;
    let (filter, nothing) = parse_filter(req.query_string());
    if nothing {
        return Ok(HttpResponse::Ok().json(Vec::<()>::new()));
    }
    let list = state
        .store
        .notifications(user.account_id, filter, page)
        .await?;
    let base = state.base_url(&req);
    let rendered = notices::notifications(&state, &base, &list, user.account_id).await?;
    let ids: Vec<i64> = list.iter().map(|notification| notification.id).collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, &req), &page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(rendered))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_and_plain_types_are_read_and_unknown_kinds_skipped() {
        let (filter, nothing) = parse_filter(
            "types[]=mention&types=follow&exclude_types%5B%5D=reblog&exclude_types[]=favourite",
        );
        assert_eq!(
            filter.types,
            vec![NotificationKind::Mention, NotificationKind::Follow]
        );
        assert_eq!(filter.exclude_types, vec![NotificationKind::Favourite]);
        assert!(!nothing);
        assert!(parse_filter("types[]=poll").1);
    }
}
