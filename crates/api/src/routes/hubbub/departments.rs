//! `GET /api/v1/hubbub/departments`: the departments in the directory, with how
//! many people each has (for the directory's department filter).

use crate::auth::MaybeToken;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use serde::Serialize;

/// One department.
#[derive(Debug, Serialize)]
pub struct Department {
    name: String,
    accounts_count: i64,
}

/// Returns every department, by name.
pub async fn handle(
    state: Data<ApiState>,
    MaybeToken(token): MaybeToken,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &token {
        token.require_scope("read:accounts")?;
    }
    let departments: Vec<Department> = state
        .store
        .departments()
        .await?
        .into_iter()
        .map(|department| Department {
            name: department.name,
            accounts_count: department.accounts,
        })
        .collect();
    Ok(HttpResponse::Ok().json(departments))
}
