//! `GET /api/v2/instance` (and with a trailing slash): Mastodon's v2 Instance.

use crate::entities::instance_description;
use crate::routes::instance::VERSION;
use crate::state::ApiState;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// Describes the instance, its limits and where to stream from.
pub async fn handle(state: Data<ApiState>, req: HttpRequest) -> HttpResponse {
    let config = &state.config;
    let base = state.base_url(&req);
    HttpResponse::Ok().json(json!({
        "domain": state.domain(&req),
        "title": config.instance_title,
        "version": VERSION,
        "source_url": "",
        "description": instance_description(&config.instance_title),
        "usage": { "users": { "active_month": 0 } },
        "thumbnail": { "url": format!("{base}/favicon.ico") },
        "icon": [],
        "languages": ["en"],
        "configuration": {
            "urls": { "streaming": state.streaming_url(&req), "status": null },
            "vapid": { "public_key": "" },
            "accounts": { "max_featured_tags": 0, "max_pinned_statuses": 0 },
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
            },
            "translation": { "enabled": false }
        },
        "registrations": {
            "enabled": config.open_registration,
            "approval_required": false,
            "message": null,
            "url": null
        },
        "api_versions": { "mastodon": 2 },
        "contact": { "email": "", "account": null },
        "rules": []
    }))
}
