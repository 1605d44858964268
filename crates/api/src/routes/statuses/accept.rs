//! `POST /api/v1/statuses/:reply_id/accept` and `POST /api/v1/statuses/:question_id/unaccept`:
//! settling a question.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::{IdParam, Input};
use crate::notices::notice_json;
use crate::render;
use crate::routes::path_id;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::{AccountId, StatusId};
use hubbub_core::role::Role;
use hubbub_storage::interactions::AcceptNotices;
use hubbub_storage::model::{CommunityRole, Status};
use serde::Deserialize;

/// The accept request: optionally the question the caller means, which must be
/// the one the reply is in.
#[derive(Debug, Deserialize)]
pub struct AcceptAnswer {
    question_id: Option<IdParam>,
}

/// 403 unless `account` may settle `question`: its asker, a community admin of
/// its community, or support staff (roles support and admin).
async fn require_settler(
    state: &ApiState,
    account: AccountId,
    question: &Status,
) -> Result<(), ApiError> {
    if question.account_id == account {
        return Ok(());
    }
    let role = state
        .store
        .account(account)
        .await?
        .ok_or(ApiError::Unauthorized("The access token is invalid"))?
        .role;
    if matches!(role, Role::Support | Role::Admin) {
        return Ok(());
    }
    if let Some(community) = question.community_id
        && state
            .store
            .membership(community, account)
            .await?
            .is_some_and(|m| m.is_active() && m.role == CommunityRole::Admin)
    {
        return Ok(());
    }
    Err(ApiError::Forbidden(
        "Only the asker, a community admin or support may settle a question".to_owned(),
    ))
}

/// Marks the reply as the accepted answer of the question its thread starts and
/// returns the question. A help-desk ticket's question is resolved with it.
pub async fn accept(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
    Input(form): Input<AcceptAnswer>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:statuses")?;
    let reply_id: StatusId = path_id(&id)?;
    let reply = state
        .store
        .status(reply_id, Some(user.account_id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    if let Some(raw) = &form.question_id
        && raw.parse("question_id")?.map(StatusId) != Some(reply.thread_id)
    {
        return Err(ApiError::field(
            "question_id",
            "ERR_INVALID",
            "the reply is not in this question's thread",
        ));
    }
    let question = state
        .store
        .status(reply.thread_id, Some(user.account_id))
        .await?
        .filter(|question| question.question && question.id != reply.id)
        .ok_or_else(|| {
            ApiError::field("id", "ERR_INVALID", "is not a reply in a question's thread")
        })?;
    require_settler(&state, user.account_id, &question).await?;
    let base = state.base_url(&req);
    let notices = AcceptNotices {
        answerer: Some(
            notice_json(
                &state,
                &base,
                user.account_id,
                Some(&reply),
                reply.account_id,
            )
            .await?,
        ),
        asker: Some(
            notice_json(
                &state,
                &base,
                user.account_id,
                Some(&reply),
                question.account_id,
            )
            .await?,
        ),
    };
    let question = state
        .store
        .set_accepted_answer(
            question.id,
            Some(reply.id),
            user.account_id,
            state.clock.now(),
            notices,
        )
        .await?;
    state.wake_relay();
    let entity = render::status(
        &state,
        &state.base_url(&req),
        &question,
        Some(user.account_id),
    )
    .await?;
    Ok(HttpResponse::Ok().json(entity))
}

/// Clears the question's accepted answer and returns the question.
pub async fn unaccept(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:statuses")?;
    let id: StatusId = path_id(&id)?;
    let question = state
        .store
        .status(id, Some(user.account_id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !question.question {
        return Err(ApiError::field("id", "ERR_INVALID", "is not a question"));
    }
    require_settler(&state, user.account_id, &question).await?;
    let question = state
        .store
        .set_accepted_answer(
            question.id,
            None,
            user.account_id,
            state.clock.now(),
            AcceptNotices::default(),
        )
        .await?;
    let entity = render::status(
        &state,
        &state.base_url(&req),
        &question,
        Some(user.account_id),
    )
    .await?;
    Ok(HttpResponse::Ok().json(entity))
}
