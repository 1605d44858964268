//! `GET /auth/sso/options`: what the sign-in page should offer.

use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use serde_json::json;

/// `{"sso": bool, "password": bool, "registration": bool, "start_url": "/auth/sso/start"}`.
pub async fn handle(state: Data<ApiState>) -> HttpResponse {
    let sso_only = state.sso_only();
    HttpResponse::Ok().json(json!({
        "sso": state.sso.is_some(),
        "password": !sso_only,
        "registration": state.config.open_registration && !sso_only,
        "start_url": state.sso.as_ref().map(|_| "/auth/sso/start"),
    }))
}
