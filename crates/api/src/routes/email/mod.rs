//! Email preferences and one-click unsubscribe.
//!
//! - `GET/PUT /api/v1/hubbub/email_preferences`: the caller's preferences.
//! - `GET/POST /email/unsubscribe?token=..&kind=..`: the link in every email's
//!   footer and `List-Unsubscribe` header (RFC 8058 one-click is the POST).

pub mod preferences;
pub mod unsubscribe;

use crate::state::ApiState;
use hubbub_core::ids::AccountId;
use hubbub_storage::StorageError;
use hubbub_storage::email::EmailPreferences;

/// The stored preferences, or the starting ones (stored now, so the unsubscribe
/// token stays the same from here on).
pub(crate) async fn load_or_start(
    state: &ApiState,
    account: AccountId,
) -> Result<EmailPreferences, StorageError> {
    if let Some(prefs) = state.store.email_preferences(account).await? {
        return Ok(prefs);
    }
    let now = state.clock.now();
    let prefs = EmailPreferences::starting(
        account,
        state.email_time_zone,
        now,
        crate::sso::oidc::random_token(),
    );
    state
        .store
        .save_email_preferences(prefs.clone(), now)
        .await?;
    Ok(prefs)
}
