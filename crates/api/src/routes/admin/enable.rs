//! `POST /api/v1/admin/accounts/:id/enable`: lets a disabled account sign in again.

use super::{AdminAccount, require_admin, target};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};

/// Enables the account; returns it.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "write").await?;
    let account = target(&state, &id).await?;
    state
        .store
        .set_disabled(account.id, false, state.clock.now())
        .await?;
    let account = target(&state, &id).await?;
    Ok(HttpResponse::Ok().json(AdminAccount::new(&account, &state.base_url(&req))))
}
