//! The router: one handler per file, named after its action; this file is the index.

pub mod accounts;
pub mod admin;
pub mod announcements;
pub mod apps;
pub mod bookmarks;
pub mod communities;
pub mod directory;
pub mod email;
pub mod favourites;
pub mod helpdesk;
pub mod helpdesk_reports;
pub mod hubbub;
pub mod instance;
pub mod markers;
pub mod media;
pub mod notifications;
pub mod oauth;
pub mod reports;
pub mod search;
pub mod sso;
pub mod statuses;
pub mod tags;
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
                web::resource("/v1/hubbub/password")
                    .route(web::post().to(hubbub::password::handle)),
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
                    .route(web::put().to(statuses::edit::handle))
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
            .service(
                web::resource("/v1/admin/accounts")
                    .route(web::get().to(admin::list::handle))
                    .route(web::post().to(admin::account_create::handle)),
            )
            .service(
                web::resource("/v1/admin/accounts/import")
                    .route(web::post().to(admin::accounts_import::handle)),
            )
            .service(
                web::resource("/v1/admin/accounts/{id}").route(web::get().to(admin::show::handle)),
            )
            .service(
                web::resource("/v1/admin/accounts/{id}/reset_password")
                    .route(web::post().to(admin::account_reset_password::handle)),
            )
            .service(
                web::resource("/v1/admin/accounts/{id}/export")
                    .route(web::get().to(admin::account_export::handle)),
            )
            .service(web::resource("/v1/admin/export").route(web::get().to(admin::export::handle)))
            .service(
                web::resource("/v1/admin/accounts/{id}/role")
                    .route(web::post().to(admin::role::handle)),
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
            .configure(helpdesk_routes)
            .service(
                web::resource("/v1/hubbub/email_preferences")
                    .route(web::get().to(email::preferences::show))
                    .route(web::put().to(email::preferences::update)),
            )
            .configure(register_social)
            .configure(register_reactions)
            .configure(register_threads)
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
    )
    .service(
        web::resource("/email/unsubscribe")
            .route(web::get().to(email::unsubscribe::confirm))
            .route(web::post().to(email::unsubscribe::apply)),
    )
    .service(
        web::scope("/auth/sso")
            .wrap(from_fn(rate_limit::limit))
            .service(web::resource("/start").route(web::get().to(sso::start::handle)))
            .service(web::resource("/callback").route(web::get().to(sso::callback::handle)))
            .service(web::resource("/token").route(web::post().to(sso::token::handle)))
            .service(web::resource("/options").route(web::get().to(sso::options::handle))),
    );
}

/// The help desk and its reports.
fn helpdesk_routes(cfg: &mut web::ServiceConfig) {
    use helpdesk as h;
    cfg.service(
        web::resource("/v1/helpdesk/tickets")
            .route(web::get().to(h::queue::handle))
            .route(web::post().to(h::open::handle)),
    )
    .service(web::resource("/v1/helpdesk/tickets/bulk").route(web::post().to(h::bulk::handle)))
    .service(
        web::resource("/v1/helpdesk/tickets/{id}")
            .route(web::get().to(h::show::handle))
            .route(web::patch().to(h::update::handle)),
    )
    .service(
        web::resource("/v1/helpdesk/tickets/{id}/accept").route(web::post().to(h::accept::handle)),
    )
    .service(
        web::resource("/v1/helpdesk/tickets/{id}/reopen").route(web::post().to(h::reopen::handle)),
    )
    .service(
        web::resource("/v1/helpdesk/tickets/{id}/duplicate_of")
            .route(web::post().to(h::duplicate_of::handle)),
    )
    .service(
        web::resource("/v1/helpdesk/tickets/{id}/minutes")
            .route(web::post().to(h::minutes::handle)),
    )
    .service(
        web::resource("/v1/helpdesk/settings")
            .route(web::get().to(h::settings_show::handle))
            .route(web::patch().to(h::settings_update::handle)),
    )
    .service(
        web::resource("/v1/helpdesk/settings/history")
            .route(web::get().to(h::settings_history::handle)),
    )
    .service(
        web::resource("/v1/helpdesk/settings/versions/{n}")
            .route(web::get().to(h::settings_version::handle)),
    )
    .service(
        web::resource("/v1/reports/helpdesk")
            .route(web::get().to(helpdesk_reports::summary::handle)),
    )
    .service(
        web::resource("/v1/reports/helpdesk/tickets.csv")
            .route(web::get().to(helpdesk_reports::tickets_csv::handle)),
    )
    .service(
        web::resource("/v1/reports/helpdesk/workbook.xlsx")
            .route(web::get().to(helpdesk_reports::workbook::handle)),
    );
}

/// Topics, communities, their feeds and announcements.
fn register_social(cfg: &mut web::ServiceConfig) {
    use announcements::{dismiss, list, mark};
    use communities as c;
    cfg.service(web::resource("/v1/tags/{name}").route(web::get().to(tags::show::handle)))
        .service(
            web::resource("/v1/tags/{name}/follow").route(web::post().to(tags::follow::follow)),
        )
        .service(
            web::resource("/v1/tags/{name}/unfollow").route(web::post().to(tags::follow::unfollow)),
        )
        .service(web::resource("/v1/followed_tags").route(web::get().to(tags::followed::handle)))
        .service(
            web::resource("/v1/timelines/tag/{name}").route(web::get().to(timelines::tag::handle)),
        )
        .service(
            web::resource("/v1/timelines/community/{id}")
                .route(web::get().to(timelines::community::handle)),
        )
        .service(
            web::resource("/v1/communities")
                .route(web::get().to(c::list::handle))
                .route(web::post().to(c::create::handle)),
        )
        .service(
            web::resource("/v1/communities/{id}")
                .route(web::get().to(c::show::handle))
                .route(web::put().to(c::update::handle))
                .route(web::patch().to(c::update::handle)),
        )
        .service(web::resource("/v1/communities/{id}/join").route(web::post().to(c::join::handle)))
        .service(
            web::resource("/v1/communities/{id}/leave").route(web::post().to(c::leave::handle)),
        )
        .service(
            web::resource("/v1/communities/{id}/members").route(web::get().to(c::members::handle)),
        )
        .service(
            web::resource("/v1/communities/{id}/members/{account_id}/promote")
                .route(web::post().to(c::promote::handle)),
        )
        .service(
            web::resource("/v1/communities/{id}/requests").route(web::get().to(c::requests::list)),
        )
        .service(
            web::resource("/v1/communities/{id}/requests/{account_id}/authorize")
                .route(web::post().to(c::requests::authorize)),
        )
        .service(
            web::resource("/v1/communities/{id}/requests/{account_id}/reject")
                .route(web::post().to(c::requests::reject)),
        )
        .service(web::resource("/v1/announcements").route(web::get().to(list::handle)))
        .service(
            web::resource("/v1/announcements/{id}/dismiss").route(web::post().to(dismiss::handle)),
        )
        .service(web::resource("/v1/statuses/{id}/announce").route(web::post().to(mark::announce)))
        .service(
            web::resource("/v1/statuses/{id}/unannounce").route(web::post().to(mark::unannounce)),
        );
}

/// Favourites, reactions, bookmarks, notifications and markers.
fn register_reactions(cfg: &mut web::ServiceConfig) {
    use notifications as n;
    use statuses as s;
    cfg.service(
        web::resource("/v1/statuses/{id}/favourite").route(web::post().to(s::favourite::favourite)),
    )
    .service(
        web::resource("/v1/statuses/{id}/unfavourite")
            .route(web::post().to(s::favourite::unfavourite)),
    )
    .service(
        web::resource("/v1/statuses/{id}/favourited_by")
            .route(web::get().to(s::favourited_by::handle)),
    )
    .service(
        web::resource("/v1/statuses/{id}/reactions/{name}")
            .route(web::put().to(s::react::react))
            .route(web::delete().to(s::react::unreact)),
    )
    .service(
        web::resource("/v1/statuses/{id}/reactions/{name}/accounts")
            .route(web::get().to(s::reacted_by::handle)),
    )
    .service(
        web::resource("/v1/statuses/{id}/bookmark").route(web::post().to(s::bookmark::bookmark)),
    )
    .service(
        web::resource("/v1/statuses/{id}/unbookmark")
            .route(web::post().to(s::bookmark::unbookmark)),
    )
    .service(web::resource("/v1/favourites").route(web::get().to(favourites::list::handle)))
    .service(web::resource("/v1/bookmarks").route(web::get().to(bookmarks::list::handle)))
    .service(web::resource("/v1/notifications").route(web::get().to(n::list::handle)))
    .service(web::resource("/v1/notifications/clear").route(web::post().to(n::clear::handle)))
    .service(
        web::resource("/v1/notifications/unread_count")
            .route(web::get().to(n::unread_count::handle)),
    )
    .service(web::resource("/v1/notifications/{id}").route(web::get().to(n::show::handle)))
    .service(
        web::resource("/v1/notifications/{id}/dismiss").route(web::post().to(n::dismiss::handle)),
    )
    .service(
        web::resource("/v1/markers")
            .route(web::get().to(markers::show::handle))
            .route(web::post().to(markers::save::handle)),
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

/// Threads, edits, questions and followed threads.
fn register_threads(cfg: &mut web::ServiceConfig) {
    use statuses::{accept, context, follow_thread, history};
    cfg.service(web::resource("/v1/statuses/{id}/context").route(web::get().to(context::handle)))
        .service(web::resource("/v1/statuses/{id}/history").route(web::get().to(history::history)))
        .service(web::resource("/v1/statuses/{id}/source").route(web::get().to(history::source)))
        .service(web::resource("/v1/statuses/{id}/accept").route(web::post().to(accept::accept)))
        .service(
            web::resource("/v1/statuses/{id}/unaccept").route(web::post().to(accept::unaccept)),
        )
        .service(
            web::resource("/v1/statuses/{id}/follow_thread")
                .route(web::post().to(follow_thread::follow)),
        )
        .service(
            web::resource("/v1/statuses/{id}/unfollow_thread")
                .route(web::post().to(follow_thread::unfollow)),
        )
        .service(
            web::resource("/v1/timelines/threads").route(web::get().to(timelines::threads::handle)),
        )
        .service(
            web::resource("/v1/timelines/questions")
                .route(web::get().to(timelines::questions::handle)),
        );
}
