//! `GET /api/v1/timelines/questions`: questions, optionally (un)answered ones or
//! those of one community.

use crate::auth::MaybeToken;
use crate::error::ApiError;
use crate::pagination::PageParams;
use crate::render;
use crate::state::ApiState;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::CommunityId;
use hubbub_storage::store::QuestionFilter;
use serde::Deserialize;

/// The filters (paging parameters are read separately).
#[derive(Debug, Deserialize)]
pub struct QuestionParams {
    /// `unanswered` or `answered`; all questions when absent.
    state: Option<String>,
    /// Only the questions of this community.
    community_id: Option<String>,
}

/// Returns one page of questions the viewer may see, newest first, with a
/// `Link` header. An unknown `state` or a malformed `community_id` is 422.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    MaybeToken(token): MaybeToken,
    Query(params): Query<PageParams>,
    Query(filters): Query<QuestionParams>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:statuses")?;
    }
    let page = params.to_request()?;
    let filter = match filters.state.as_deref() {
        None | Some("") => QuestionFilter::All,
        Some("unanswered") => QuestionFilter::Unanswered,
        Some("answered") => QuestionFilter::Answered,
        Some(_) => {
            return Err(ApiError::field(
                "state",
                "ERR_INCLUSION",
                "must be unanswered or answered",
            ));
        }
    };
    let community = match filters.community_id.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(CommunityId(raw.parse().map_err(|_| {
            ApiError::field("community_id", "ERR_INVALID", "is not an id")
        })?)),
    };
    let viewer = token.as_ref().and_then(|token| token.account_id);
    let statuses = state
        .store
        .questions_timeline(viewer, filter, community, page)
        .await?;
    render::timeline(&state, &req, &page, &statuses, viewer).await
}
