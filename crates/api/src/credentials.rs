//! Passwords (argon2id, hashed off the async workers) and access-token issuing.

use crate::entities;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::web;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use hubbub_core::ids::{AccountId, AppId};
use hubbub_core::input::Password;
use hubbub_core::token::TokenClaims;
use hubbub_storage::model::NewAccessToken;
use std::num::NonZeroUsize;
use std::sync::OnceLock;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Password hashes computed at once: one per core. Argon2 is CPU-bound, so more
/// at once only wait for a core, each holding 19 MiB while it does (a burst of
/// sign-ups on the unbounded blocking pool grew the server past 1 GiB).
fn hashing_slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        Semaphore::new(std::thread::available_parallelism().map_or(2, NonZeroUsize::get))
    })
}

/// Waits for a hashing slot.
async fn hashing_slot() -> Result<SemaphorePermit<'static>, ApiError> {
    hashing_slots()
        .acquire()
        .await
        .map_err(|error| ApiError::internal("waiting to hash a password", error))
}

/// Hashes a new password into a PHC string. CPU-heavy: runs on the blocking pool.
pub async fn hash_password(password: Password) -> Result<String, ApiError> {
    let _slot = hashing_slot().await?;
    web::block(move || {
        Argon2::default()
            .hash_password(password.expose().as_bytes())
            .map(|hash| hash.to_string())
    })
    .await?
    .map_err(|error| ApiError::internal("hashing a password", error))
}

/// Whether `password` matches the stored PHC `hash`. Runs on the blocking pool.
pub async fn verify_password(password: String, hash: String) -> Result<bool, ApiError> {
    let _slot = hashing_slot().await?;
    Ok(web::block(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await?)
}

/// Signs a new access token, stores its id for revocation, and returns the
/// Mastodon `Token` entity.
pub async fn issue_token(
    state: &ApiState,
    account: Option<AccountId>,
    app: Option<AppId>,
    scope: String,
) -> Result<entities::Token, ApiError> {
    let now = state.clock.now();
    let expires_at = now + state.config.token_lifetime;
    let claims = TokenClaims {
        sub: account.map(|id| id.to_string()),
        jti: uuid::Uuid::new_v4().to_string(),
        app: app.map(|id| id.0),
        scope: scope.clone(),
        iat: now.timestamp(),
        exp: expires_at.timestamp(),
    };
    let access_token = state
        .keys
        .sign(&claims)
        .map_err(|error| ApiError::internal("signing a token", error))?;
    state
        .store
        .create_token(NewAccessToken {
            id: claims.jti,
            account_id: account,
            app_id: app,
            scopes: scope.clone(),
            created_at: now,
            expires_at: Some(expires_at),
        })
        .await?;
    Ok(entities::Token {
        access_token,
        token_type: "Bearer",
        scope,
        created_at: now.timestamp(),
    })
}
