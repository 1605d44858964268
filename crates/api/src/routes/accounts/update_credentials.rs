//! `PATCH /api/v1/accounts/update_credentials`: edit your own profile.

use crate::auth::CurrentUser;
use crate::entities::CredentialAccount;
use crate::error::{ApiError, FieldError};
use crate::input::IdParam;
use crate::media::{delete_all, process, put_all};
use crate::multipart;
use crate::state::ApiState;
use actix_web::web::{self, Data};
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;
use hubbub_core::DomainError;
use hubbub_core::ids::AccountId;
use hubbub_core::input::DisplayName;
use hubbub_core::profile::{Note, ProfileText};
use hubbub_storage::profile::{AvatarKeys, ProfileOutcome, ProfileUpdate};
use serde::Deserialize;

/// The fields; absent ones stay as they are, blank ones clear the optional
/// fields. Other fields Mastodon clients send (`locked`, `bot`, `source[...]`,
/// `fields_attributes`, `header`) are accepted and ignored.
#[derive(Debug, Deserialize)]
pub struct UpdateCredentials {
    display_name: Option<String>,
    note: Option<String>,
    department: Option<String>,
    job_title: Option<String>,
    location: Option<String>,
    manager_id: Option<IdParam>,
}

/// The value of a field that parsed; a field that did not is added to `errors`.
fn take<T>(errors: &mut Vec<FieldError>, result: Result<T, DomainError>) -> Option<T> {
    result.map_err(|error| errors.push(error.into())).ok()
}

/// A one-line directory field: absent stays, blank clears.
fn directory_field(
    field: &'static str,
    raw: Option<&str>,
) -> Result<Option<Option<String>>, DomainError> {
    raw.map(|raw| ProfileText::parse(field, raw).map(|text| text.map(ProfileText::into_inner)))
        .transpose()
}

/// Every field is checked, so one response names every problem.
fn parse(form: &UpdateCredentials, me: AccountId) -> Result<ProfileUpdate, ApiError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let display_name = form
        .display_name
        .as_deref()
        .map(|raw| DisplayName::parse(raw).map(|name| name.as_str().to_owned()))
        .transpose();
    let note = form
        .note
        .as_deref()
        .map(|raw| Note::parse(raw).map(Note::into_inner))
        .transpose();
    let update = ProfileUpdate {
        display_name: take(&mut errors, display_name).flatten(),
        note: take(&mut errors, note).flatten(),
        department: take(
            &mut errors,
            directory_field("department", form.department.as_deref()),
        )
        .flatten(),
        job_title: take(
            &mut errors,
            directory_field("job_title", form.job_title.as_deref()),
        )
        .flatten(),
        location: take(
            &mut errors,
            directory_field("location", form.location.as_deref()),
        )
        .flatten(),
        manager_id: None,
        avatar: None,
    };
    let manager_id = match &form.manager_id {
        None => None,
        Some(raw) => match raw.parse("manager_id") {
            Ok(id) => Some(id.map(AccountId)),
            Err(ApiError::Validation(mut fields)) => {
                errors.append(&mut fields);
                None
            }
            Err(other) => return Err(other),
        },
    };
    if manager_id == Some(Some(me)) {
        errors.push(FieldError::new(
            "manager_id",
            "ERR_INVALID",
            "cannot be yourself",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(ProfileUpdate {
        manager_id,
        ..update
    })
}

/// Checks and re-encodes an avatar off the async workers, then stores both files.
async fn store_avatar(state: &ApiState, bytes: Bytes) -> Result<AvatarKeys, ApiError> {
    let max_pixels = state.config.max_image_pixels;
    let avatar = web::block(move || process::avatar(&bytes, max_pixels))
        .await?
        .map_err(|problem| ApiError::field("avatar", "ERR_INVALID", problem.to_string()))?;
    let folder = format!("avatars/{}", uuid::Uuid::new_v4().simple());
    let keys = AvatarKeys {
        full: format!(
            "{folder}/{}.{}",
            process::AVATAR_SIZE,
            avatar.full.extension
        ),
        small: format!(
            "{folder}/{}.{}",
            process::AVATAR_SMALL_SIZE,
            avatar.small.extension
        ),
    };
    put_all(
        state.media.as_ref(),
        vec![
            (keys.full.clone(), Bytes::from(avatar.full.bytes)),
            (keys.small.clone(), Bytes::from(avatar.small.bytes)),
        ],
    )
    .await
    .map_err(|error| ApiError::internal("storing an avatar", error))?;
    Ok(keys)
}

/// Saves the changes and returns the updated account. A new avatar's files are
/// written first and removed again if the update is refused or fails, so a
/// failed request leaves no files behind; the replaced avatar's files are
/// removed after the update commits.
pub async fn handle(
    state: Data<ApiState>,
    req: HttpRequest,
    user: CurrentUser,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("write:accounts")?;
    let upload = multipart::read::<UpdateCredentials>(
        &req,
        payload,
        &["avatar"],
        state.config.max_upload_bytes,
    )
    .await?;
    let mut update = parse(&upload.fields, user.account_id)?;
    if let Some(bytes) = upload.files.get("avatar") {
        update.avatar = Some(store_avatar(&state, bytes.clone()).await?);
    }
    let new_avatar = update.avatar.clone();
    let discard_new_avatar = || async {
        if let Some(keys) = &new_avatar {
            delete_all(
                state.media.as_ref(),
                &[keys.full.clone(), keys.small.clone()],
            )
            .await;
        }
    };
    let outcome = match state.store.update_profile(user.account_id, update).await {
        Ok(outcome) => outcome,
        Err(error) => {
            discard_new_avatar().await;
            return Err(error.into());
        }
    };
    let account = match outcome {
        ProfileOutcome::Updated {
            account,
            replaced_avatar,
        } => {
            if let Some(old) = replaced_avatar {
                delete_all(state.media.as_ref(), &[old.full, old.small]).await;
            }
            account
        }
        refused => {
            discard_new_avatar().await;
            return Err(match refused {
                ProfileOutcome::ManagerNotFound => {
                    ApiError::field("manager_id", "ERR_INVALID", "names no account")
                }
                ProfileOutcome::ManagerCycle => ApiError::field(
                    "manager_id",
                    "ERR_INVALID",
                    "would make a reporting loop (that person reports to you)",
                ),
                _ => ApiError::Unauthorized("The access token is invalid"),
            });
        }
    };
    let counts = state.store.account_counts(account.id).await?;
    Ok(HttpResponse::Ok().json(CredentialAccount::new(
        &account,
        counts,
        &state.base_url(&req),
    )))
}
