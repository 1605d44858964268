//! `GET /api/v1/instance` (and with a trailing slash): Mastodon's v1 Instance.

use crate::entities::instance_description;
use crate::routes::instance::VERSION;
use crate::state::ApiState;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// Describes the instance, including where to stream from.
pub async fn handle(state: Data<ApiState>, req: HttpRequest) -> HttpResponse {
    let config = &state.config;
    let base = state.base_url(&req);
    HttpResponse::Ok().json(json!({
        "uri": state.domain(&req),
        "title": config.instance_title,
        "short_description": instance_description(&config.instance_title),
        "description": instance_description(&config.instance_title),
        "email": "",
        "version": VERSION,
        "urls": { "streaming_api": state.streaming_url(&req) },
        // Hubbub does not count users and posts for the public; zero is what
        // Mastodon reports when stats are hidden.
        "stats": { "user_count": 0, "status_count": 0, "domain_count": 0 },
        "thumbnail": format!("{base}/favicon.ico"),
        "languages": ["en"],
        "registrations": config.open_registration,
        "approval_required": false,
        "invites_enabled": false,
        "configuration": {
            "accounts": { "max_featured_tags": 0 },
            "statuses": {
                "max_characters": config.max_status_chars,
                "max_media_attachments": 0,
                "characters_reserved_per_url": 23
            },
            "media_attachments": {
                "supported_mime_types": [],
                "image_size_limit": 0,
                "image_matrix_limit": 0,
                "video_size_limit": 0,
                "video_frame_rate_limit": 0,
                "video_matrix_limit": 0
            },
            "polls": {
                "max_options": 0,
                "max_characters_per_option": 0,
                "min_expiration": 0,
                "max_expiration": 0
            }
        },
        "contact_account": null,
        "rules": []
    }))
}
