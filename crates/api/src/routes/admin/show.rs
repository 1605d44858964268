//! `GET /api/v1/admin/accounts/:id`: one account as an admin sees it.

use super::accounts::{AdminAccount, require_admin, target};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// Shows the account, or 404.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "admin:read:accounts").await?;
    let account = target(&state, &id).await?;
    Ok(HttpResponse::Ok().json(AdminAccount::new(&account, &state.base_url(&req))))
}
