//! `POST /api/v1/admin/accounts/:id/action`: Mastodon's moderation action.
//! Hubbub knows `disable` (sign-in refused, every token revoked at once, open
//! streams end) and `none`; `suspend`/`silence`/`sensitive` are refused (422).

use super::{require_admin, target};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};
use serde::Deserialize;

/// The action.
#[derive(Debug, Deserialize)]
pub struct Action {
    #[serde(rename = "type")]
    kind: Option<String>,
    // Mastodon sends these; Hubbub's moderation log is issue 3's.
    #[serde(rename = "text")]
    _text: Option<String>,
    #[serde(rename = "send_email_notification")]
    _notify: Option<serde::de::IgnoredAny>,
    #[serde(rename = "report_id")]
    _report_id: Option<serde::de::IgnoredAny>,
    #[serde(rename = "warning_preset_id")]
    _warning: Option<serde::de::IgnoredAny>,
}

/// Applies the action; 200 with an empty object, like Mastodon.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    id: Path<String>,
    Input(action): Input<Action>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &user, "write").await?;
    let account = target(&state, &id).await?;
    match action.kind.as_deref() {
        Some("disable") => {
            if account.id == user.account_id {
                return Err(ApiError::field(
                    "type",
                    "ERR_INVALID",
                    "admins cannot disable themselves",
                ));
            }
            state
                .store
                .set_disabled(account.id, true, state.clock.now())
                .await?;
            state.wake_relay();
        }
        Some("none") => {}
        Some(other) => {
            return Err(ApiError::field(
                "type",
                "ERR_INVALID",
                format!("'{other}' is not supported; use disable or none"),
            ));
        }
        None => return Err(ApiError::field("type", "ERR_BLANK", "can't be blank")),
    }
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}
