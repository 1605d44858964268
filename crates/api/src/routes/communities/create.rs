//! `POST /api/v1/communities`: create a community (the creator becomes its admin).

use super::is_site_admin;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::{Flag, Input};
use crate::social_entities::Community;
use crate::state::ApiState;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::community::{CommunityDescription, CommunityName};
use hubbub_core::ids::CommunityId;
use hubbub_storage::model::{CommunityRole, Membership, MembershipState, NewCommunity};
use serde::Deserialize;

/// The request.
#[derive(Debug, Deserialize)]
pub struct CreateCommunity {
    name: Option<String>,
    description: Option<String>,
    private: Option<Flag>,
    helpdesk: Option<Flag>,
}

/// Creates it; `helpdesk` is for instance admins only (403 otherwise).
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    Input(form): Input<CreateCommunity>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write")?;
    let name = CommunityName::parse(form.name.as_deref().unwrap_or_default())?;
    let description = CommunityDescription::parse(form.description.as_deref().unwrap_or_default())?;
    let helpdesk = form.helpdesk.as_ref().is_some_and(Flag::is_set);
    if helpdesk && !is_site_admin(&state, user.account_id).await? {
        return Err(ApiError::Forbidden(
            "Only admins may create a help-desk community".to_owned(),
        ));
    }
    let now = state.clock.now();
    let community = state
        .store
        .create_community(NewCommunity {
            id: CommunityId(state.ids.next(now)),
            name: name.as_str().to_owned(),
            description: description.into_string(),
            private: form.private.as_ref().is_some_and(Flag::is_set),
            helpdesk,
            created_by: user.account_id,
            created_at: now,
        })
        .await?;
    let membership = Membership {
        role: CommunityRole::Admin,
        state: MembershipState::Active,
    };
    Ok(HttpResponse::Ok().json(Community::new(
        &community,
        Some(membership),
        &state.base_url(&req),
    )))
}
