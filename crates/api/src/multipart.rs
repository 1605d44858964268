//! Bodies that may carry files: `multipart/form-data` (what Mastodon clients send
//! for uploads and profile edits with an avatar), or, when no file is sent, JSON
//! or form data exactly as [`Input`] reads them.
//!
//! Files are read into memory up to a limit, and a larger one is refused with 413
//! as soon as it passes the limit, before the rest is read. Text fields become the
//! fields of `T`, with `name[]` fields collected into lists as in form bodies.

use crate::error::ApiError;
use crate::input::{Input, form_fields_to_json};
use actix_multipart::{Multipart, MultipartError};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, web};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// Largest text field accepted in a multipart body.
const MAX_TEXT_FIELD: usize = 64 * 1024;
/// Most parts accepted in one multipart body.
const MAX_PARTS: usize = 32;

/// A body read by [`read`]: its fields, and the files among the expected ones.
#[derive(Debug)]
pub struct Upload<T> {
    /// The text fields.
    pub fields: T,
    /// File fields by name (only the names the endpoint expects).
    pub files: HashMap<&'static str, Bytes>,
}

/// Reads the request body into `T` plus the files named in `file_fields`, each at
/// most `max_file_bytes` (413 naming the field if larger).
pub async fn read<T: DeserializeOwned + 'static>(
    req: &HttpRequest,
    payload: web::Payload,
    file_fields: &[&'static str],
    max_file_bytes: usize,
) -> Result<Upload<T>, ApiError> {
    let is_multipart = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim().to_ascii_lowercase().starts_with("multipart/"));
    if !is_multipart {
        let mut payload = payload.into_inner();
        let Input(fields) = Input::<T>::from_request(req, &mut payload).await?;
        return Ok(Upload {
            fields,
            files: HashMap::new(),
        });
    }
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut files = HashMap::new();
    let mut parts = 0;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(multipart_error)?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(ApiError::BadRequest(format!(
                "too many parts in the multipart body (at most {MAX_PARTS})"
            )));
        }
        let name = field.name().unwrap_or_default().to_owned();
        let file_field = file_fields.iter().copied().find(|wanted| *wanted == name);
        let limit = if file_field.is_some() {
            max_file_bytes
        } else {
            MAX_TEXT_FIELD
        };
        let mut bytes = BytesMut::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(multipart_error)?;
            if bytes.len() + chunk.len() > limit {
                return Err(match file_field {
                    Some(field) => ApiError::FileTooLarge { field, limit },
                    None => ApiError::PayloadTooLarge { limit },
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        match file_field {
            Some(field) => {
                files.insert(field, bytes.freeze());
            }
            None => {
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    ApiError::BadRequest(format!("field {name} is not valid UTF-8"))
                })?;
                texts.push((name, text));
            }
        }
    }
    let fields = serde_json::from_value(form_fields_to_json(texts))
        .map_err(|error| ApiError::Unprocessable(error.to_string()))?;
    Ok(Upload { fields, files })
}

fn multipart_error(error: MultipartError) -> ApiError {
    match error {
        MultipartError::Payload(error) => {
            ApiError::BadRequest(format!("could not read the request body: {error}"))
        }
        other => ApiError::BadRequest(format!("malformed multipart body: {other}")),
    }
}
