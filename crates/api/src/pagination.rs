//! Keyset pagination as Mastodon clients use it: `limit`, `max_id`, `since_id`,
//! `min_id` in, a `Link` header with `rel="next"` and `rel="prev"` out.

use crate::error::ApiError;
use hubbub_core::page::PageRequest;
use serde::Deserialize;

/// The query parameters of a paginated list. Extra parameters (Mastodon clients
/// send `local`, `only_media`, ...) are ignored.
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    /// Page size.
    pub limit: Option<String>,
    /// Older than this id.
    pub max_id: Option<String>,
    /// Newer than this id, newest first.
    pub since_id: Option<String>,
    /// Newer than this id, the ones right after it.
    pub min_id: Option<String>,
}

fn number(name: &'static str, raw: Option<&String>) -> Result<Option<i64>, ApiError> {
    match raw.map(|value| value.trim()) {
        None | Some("") => Ok(None),
        Some(value) => value
            .parse()
            .map(Some)
            .map_err(|_| ApiError::BadRequest(format!("{name} must be a number, got '{value}'"))),
    }
}

impl PageParams {
    /// The page request, with the limit clamped.
    pub fn to_request(&self) -> Result<PageRequest, ApiError> {
        Ok(PageRequest::new(
            number("max_id", self.max_id.as_ref())?,
            number("since_id", self.since_id.as_ref())?,
            number("min_id", self.min_id.as_ref())?,
            number("limit", self.limit.as_ref())?,
        ))
    }
}

/// The paging parameters, which [`link_header`] replaces; every other query
/// parameter (a list's filters) is kept in the links.
const PAGING_KEYS: [&str; 4] = ["limit", "max_id", "since_id", "min_id"];

/// The URL a request asked for: `base`, its path and its query string.
pub fn request_url(base: &str, req: &actix_web::HttpRequest) -> String {
    match req.query_string() {
        "" => format!("{base}{}", req.path()),
        query => format!("{base}{}?{query}", req.path()),
    }
}

/// The `Link` header for a page whose items have ids `newest` … `oldest`
/// (newest first), or `None` for an empty page. `url` is the request's URL
/// (see [`request_url`]): its filters stay, its paging parameters are replaced.
pub fn link_header(url: &str, page: &PageRequest, ids: &[i64]) -> Option<String> {
    let (newest, oldest) = (ids.first()?, ids.last()?);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let filters: String = query
        .split('&')
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(key, _)| key);
            !pair.is_empty() && !PAGING_KEYS.contains(&key)
        })
        .map(|pair| format!("&{pair}"))
        .collect();
    Some(format!(
        "<{path}?limit={limit}&max_id={oldest}{filters}>; rel=\"next\", <{path}?limit={limit}&min_id={newest}{filters}>; rel=\"prev\"",
        limit = page.limit
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_header_points_older_with_max_id_and_newer_with_min_id() {
        let page = PageRequest::new(None, None, None, Some(2));
        let link = link_header("http://h/api/v1/timelines/home", &page, &[9, 7]).unwrap();
        assert_eq!(
            link,
            "<http://h/api/v1/timelines/home?limit=2&max_id=7>; rel=\"next\", <http://h/api/v1/timelines/home?limit=2&min_id=9>; rel=\"prev\""
        );
        assert!(link_header("x", &page, &[]).is_none());
    }

    #[test]
    fn the_link_header_keeps_the_filters_and_replaces_the_paging_parameters() {
        let page = PageRequest::new(Some(50), None, None, Some(2));
        let url =
            "http://h/api/v1/timelines/questions?state=unanswered&max_id=50&limit=2&community_id=7";
        let link = link_header(url, &page, &[9, 7]).unwrap();
        assert_eq!(
            link,
            "<http://h/api/v1/timelines/questions?limit=2&max_id=7&state=unanswered&community_id=7>; rel=\"next\", <http://h/api/v1/timelines/questions?limit=2&min_id=9&state=unanswered&community_id=7>; rel=\"prev\""
        );
    }

    #[test]
    fn non_numeric_ids_are_refused_naming_the_parameter() {
        let params = PageParams {
            max_id: Some("abc".into()),
            ..PageParams::default()
        };
        assert!(
            matches!(params.to_request(), Err(ApiError::BadRequest(m)) if m.contains("max_id"))
        );
    }
}
