//! `GET /media/{key}`: a stored image (an attachment, its preview, an avatar).

use crate::error::ApiError;
use crate::media::{content_type_of, is_valid_key};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::http::header::{CacheControl, CacheDirective, ContentEncoding};
use actix_web::web::{Data, Path};

/// Serves the file with its image type. Keys are never reused (a new upload gets
/// a new random folder), so the file may be cached for a year. `nosniff` and a
/// CSP that allows nothing keep a browser from treating it as anything but an
/// image; images are already compressed, so the response is sent as is.
pub async fn handle(state: Data<ApiState>, key: Path<String>) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let content_type = content_type_of(&key)
        .filter(|_| is_valid_key(&key))
        .ok_or_else(ApiError::not_found)?;
    let bytes = state
        .media
        .get(&key)
        .await
        .map_err(|error| ApiError::internal("reading a media file", error))?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(365 * 24 * 60 * 60),
            CacheDirective::Extension("immutable".to_owned(), None),
        ]))
        .insert_header(ContentEncoding::Identity)
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .body(bytes))
}
