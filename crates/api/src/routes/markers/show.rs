//! `GET /api/v1/markers?timeline[]=home&timeline[]=notifications`.

use super::{TIMELINES, markers_json};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};

/// The viewer's markers of the timelines asked for (both when none is named);
/// a timeline never marked is absent.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read:statuses")?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let mut timelines: Vec<String> = pairs
        .into_iter()
        .filter(|(key, _)| key == "timeline[]" || key == "timeline")
        .map(|(_, value)| value)
        .filter(|value| TIMELINES.contains(&value.as_str()))
        .collect();
    if timelines.is_empty() {
        timelines = TIMELINES.iter().map(|name| (*name).to_owned()).collect();
    }
    let markers = state.store.markers(user.account_id, timelines).await?;
    Ok(HttpResponse::Ok().json(markers_json(&markers)))
}
