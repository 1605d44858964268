//! The router: one handler per file, named after its action; this file is the index.

pub mod accounts;
pub mod admin;
pub mod apps;
pub mod directory;
pub mod hubbub;
pub mod instance;
pub mod media;
pub mod oauth;
pub mod reports;
pub mod search;
pub mod statuses;
pub mod timelines;

use crate::error::ApiError;
use crate::rate_limit;
use actix_web::middleware::from_fn;
use actix_web::web;

/// Registers every API and OAuth route. Unknown paths under `/api` answer 404
/// JSON; everything else is left to the server's default service (the web client).
pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .wrap(from_fn(rate_limit::limit))
            .service(web::resource("/v1/apps").route(web::post().to(apps::create::handle)))
            .service(
                web::resource("/v1/accounts").route(web::post().to(accounts::register::handle)),
            )
            .service(
                web::resource("/v1/accounts/verify_credentials")
                    .route(web::get().to(accounts::verify_credentials::handle)),
            )
            .service(
                web::resource("/v1/accounts/lookup").route(web::get().to(accounts::lookup::handle)),
            )
            .service(
                web::resource("/v1/accounts/update_credentials")
                    .route(web::patch().to(accounts::update_credentials::handle)),
            )
            .service(
                web::resource("/v1/accounts/{id}/followers")
                    .route(web::get().to(accounts::followers::handle)),
            )
            .service(
                web::resource("/v1/accounts/{id}/following")
                    .route(web::get().to(accounts::following::handle)),
            )
            .service(web::resource("/v1/directory").route(web::get().to(directory::list::handle)))
            .service(
                web::resource("/v1/hubbub/departments")
                    .route(web::get().to(hubbub::departments::handle)),
            )
            .service(
                web::resource(["/v1/media", "/v2/media"])
                    .route(web::post().to(media::create::handle)),
            )
            .service(
                web::resource("/v1/media/{id}")
                    .route(web::get().to(media::show::handle))
                    .route(web::put().to(media::update::handle)),
            )
            .service(web::resource("/v2/search").route(web::get().to(search::v2::handle)))
            .service(
                web::resource("/v1/accounts/relationships")
                    .route(web::get().to(accounts::relationships::handle)),
            )
            .service(
                web::resource("/v1/accounts/{id}").route(web::get().to(accounts::show::handle)),
            )
            .service(
                web::resource("/v1/accounts/{id}/statuses")
                    .route(web::get().to(accounts::statuses::handle)),
            )
            .service(
                web::resource("/v1/accounts/{id}/follow")
                    .route(web::post().to(accounts::follow::handle)),
            )
            .service(
                web::resource("/v1/accounts/{id}/unfollow")
                    .route(web::post().to(accounts::unfollow::handle)),
            )
            .service(web::resource("/v1/statuses").route(web::post().to(statuses::create::handle)))
            .service(
                web::resource("/v1/statuses/{id}")
                    .route(web::get().to(statuses::show::handle))
                    .route(web::delete().to(statuses::delete::handle)),
            )
            .service(
                web::resource("/v1/timelines/home").route(web::get().to(timelines::home::handle)),
            )
            .service(
                web::resource("/v1/timelines/public")
                    .route(web::get().to(timelines::public::handle)),
            )
            .service(
                web::resource(["/v1/instance", "/v1/instance/"])
                    .route(web::get().to(instance::v1::handle)),
            )
            .service(
                web::resource(["/v2/instance", "/v2/instance/"])
                    .route(web::get().to(instance::v2::handle)),
            )
            .service(web::resource("/v1/reports").route(web::post().to(reports::create::handle)))
            .service(
                web::resource("/v1/account_warnings")
                    .route(web::get().to(reports::warnings::handle)),
            )
            .service(
                web::resource("/v1/admin/reports").route(web::get().to(admin::reports::handle)),
            )
            .service(
                web::resource("/v1/admin/reports/{id}")
                    .route(web::get().to(admin::report_show::handle)),
            )
            .service(
                web::resource("/v1/admin/reports/{id}/resolve")
                    .route(web::post().to(admin::report_resolve::handle)),
            )
            .service(
                web::resource("/v1/admin/reports/{id}/reopen")
                    .route(web::post().to(admin::report_reopen::handle)),
            )
            .service(
                web::resource("/v1/admin/accounts/{id}/action")
                    .route(web::post().to(admin::account_action::handle)),
            )
            .service(
                web::resource("/v1/admin/accounts/{id}/unsuspend")
                    .route(web::post().to(admin::account_unsuspend::handle)),
            )
            .service(
                web::resource("/v1/admin/statuses/{id}/remove")
                    .route(web::post().to(admin::status_remove::handle)),
            )
            .service(
                web::resource("/v1/admin/audit_log").route(web::get().to(admin::audit_log::handle)),
            )
            .default_service(web::to(not_found)),
    )
    .service(web::resource("/media/{key:.+}").route(web::get().to(media::serve::handle)))
    .service(
        web::scope("/oauth")
            .wrap(from_fn(rate_limit::limit))
            .service(
                web::resource("/authorize")
                    .route(web::get().to(oauth::authorize_form::handle))
                    .route(web::post().to(oauth::authorize::handle)),
            )
            .service(web::resource("/sign_out").route(web::post().to(oauth::sign_out::handle)))
            .service(web::resource("/token").route(web::post().to(oauth::token::handle)))
            .service(web::resource("/revoke").route(web::post().to(oauth::revoke::handle))),
    );
}

/// Any unknown `/api` path.
async fn not_found() -> actix_web::HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::not_found())
}

/// Parses an id from a path segment; anything that is not a number does not exist.
pub(crate) fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}
