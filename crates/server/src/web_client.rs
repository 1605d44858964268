//! Serves the web client built into `web/dist`, embedded in the binary (in debug
//! builds read from disk). Unknown paths outside the API get `index.html`, so the
//! client's own routes survive a reload; so does `/oauth/callback`, where the
//! client finishes signing in.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, http::Method};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Assets;

/// Answers any request no API route took.
pub async fn serve(request: HttpRequest) -> HttpResponse {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return HttpResponse::MethodNotAllowed()
            .json(serde_json::json!({"error": "Method not allowed"}));
    }
    let path = request.path().trim_start_matches('/');
    // `/oauth/callback` is the client's own page: the authorize page sends the browser there.
    if path.starts_with("api/") || (path.starts_with("oauth/") && path != "oauth/callback") {
        return HttpResponse::NotFound().json(serde_json::json!({"error": "Record not found"}));
    }
    let wanted = if path.is_empty() { "index.html" } else { path };
    if let Some(file) = Assets::get(wanted) {
        let cache = if wanted.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, file.metadata.mimetype()))
            .insert_header((CACHE_CONTROL, cache))
            .body(file.data.into_owned());
    }
    match Assets::get("index.html") {
        Some(index) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((CACHE_CONTROL, "no-cache"))
            .body(index.data.into_owned()),
        None => HttpResponse::ServiceUnavailable()
            .insert_header((CONTENT_TYPE, "text/plain; charset=utf-8"))
            .body("The web client is not built. Run `make run`, or `npm ci && npm run build` in web/, then restart hubbub.\n"),
    }
}
