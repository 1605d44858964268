//! The authorize page and the authorization-code grant with PKCE, driven as a
//! browser and a Mastodon app would.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must stop the test with its message"
)]

use crate::helpers::{TestApp, start};
use actix_http::Request;
use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hubbub_testkit::database::all_backends;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

const CALLBACK: &str = "https://app.example/callback";
const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";
const PASSWORD: &str = "correct horse battery";
const VERIFIER: &str = "a-long-random-verifier-string-of-at-least-43-characters";

/// A browser: cookies kept between requests.
#[derive(Default)]
struct Browser {
    cookies: HashMap<String, String>,
}

/// An HTML or redirect answer.
struct Page {
    status: StatusCode,
    location: Option<String>,
    html: String,
}

impl Browser {
    fn with_cookies(&self, request: TestRequest) -> TestRequest {
        let header: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        if header.is_empty() {
            request
        } else {
            request.insert_header(("Cookie", header.join("; ")))
        }
    }

    async fn send<S>(&mut self, app: &TestApp<S>, request: TestRequest) -> Page
    where
        S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
    {
        let reply = app.send(self.with_cookies(request)).await;
        for value in reply.headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page {
            status: reply.status,
            location: reply
                .headers
                .get("location")
                .map(|value| value.to_str().unwrap().to_owned()),
            html: match reply.body {
                Value::String(text) => text,
                Value::Null => String::new(),
                other => other.to_string(),
            },
        }
    }
}

/// The value of a hidden field in a page.
fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

/// A query parameter of a redirect.
fn param(location: &str, name: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    pairs
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

struct Client {
    id: String,
    secret: String,
}

async fn register_app<S>(app: &TestApp<S>, name: &str, scopes: &str) -> Client
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    let reply = app
        .send(TestRequest::post().uri("/api/v1/apps").set_form([
            ("client_name", name),
            ("redirect_uris", &format!("{CALLBACK}\n{OOB}")),
            ("scopes", scopes),
        ]))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    Client {
        id: reply.body["client_id"].as_str().unwrap().to_owned(),
        secret: reply.body["client_secret"].as_str().unwrap().to_owned(),
    }
}

fn authorize_url(client: &Client, redirect: &str, scope: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", client.id.as_str()),
        ("redirect_uri", redirect),
        ("scope", scope),
        ("state", "opaque-state"),
    ];
    pairs.extend_from_slice(extra);
    format!(
        "/oauth/authorize?{}",
        serde_urlencoded::to_string(&pairs).unwrap()
    )
}

/// Submits the page's form with `fields` added.
async fn submit<S>(
    app: &TestApp<S>,
    browser: &mut Browser,
    page: &Page,
    fields: &[(&str, &str)],
) -> Page
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    let form = page
        .html
        .split("action=\"/oauth/authorize\">")
        .nth(1)
        .unwrap()
        .split("</form>")
        .next()
        .unwrap();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for name in [
        "authenticity_token",
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
    ] {
        if form.contains(&format!("name=\"{name}\" value=")) {
            pairs.push((name.to_owned(), unescape(&field(form, name))));
        }
    }
    for (name, value) in fields {
        pairs.push(((*name).to_owned(), (*value).to_owned()));
    }
    browser
        .send(
            app,
            TestRequest::post().uri("/oauth/authorize").set_form(pairs),
        )
        .await
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn exchange<S>(
    app: &TestApp<S>,
    client: &Client,
    code: &str,
    redirect: &str,
    verifier: Option<&str>,
) -> crate::helpers::Reply
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect),
        ("client_id", client.id.as_str()),
        ("client_secret", client.secret.as_str()),
    ];
    if let Some(verifier) = verifier {
        form.push(("code_verifier", verifier));
    }
    app.send(TestRequest::post().uri("/oauth/token").set_form(form))
        .await
}

#[actix_web::test]
async fn an_app_signs_in_with_the_authorize_page_and_pkce_and_the_code_works_once() {
    for backend in all_backends() {
        let app = start(&backend).await;
        app.register("alice").await;
        let client = register_app(&app, "Tusky", "read write follow").await;
        let mut browser = Browser::default();
        let challenge = challenge(VERIFIER);
        let url = authorize_url(
            &client,
            CALLBACK,
            "read write",
            &[
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
            ],
        );

        let page = browser.send(&app, TestRequest::get().uri(&url)).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "[{}] {}",
            app.backend,
            page.html
        );
        assert!(page.html.contains("<h1>Authorize Tusky</h1>"));
        assert!(
            page.html
                .contains("<label for=\"password\">Password</label>")
        );
        assert!(browser.cookies.contains_key("hubbub_csrf"));

        let wrong = submit(
            &app,
            &mut browser,
            &page,
            &[
                ("username", "alice"),
                ("password", "nope"),
                ("decision", "approve"),
            ],
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.html.contains("Wrong username, email or password."));
        assert!(wrong.location.is_none());
        assert!(!browser.cookies.contains_key("hubbub_session"));

        let approved = submit(
            &app,
            &mut browser,
            &page,
            &[
                ("username", "alice"),
                ("password", PASSWORD),
                ("decision", "approve"),
            ],
        )
        .await;
        assert_eq!(approved.status, StatusCode::FOUND, "{}", approved.html);
        let location = approved.location.unwrap();
        assert!(
            location.starts_with(&format!("{CALLBACK}?code=")),
            "{location}"
        );
        assert_eq!(param(&location, "state").as_deref(), Some("opaque-state"));
        let code = param(&location, "code").unwrap();
        assert!(browser.cookies.contains_key("hubbub_session"));

        let bad_verifier = exchange(
            &app,
            &client,
            &code,
            CALLBACK,
            Some("not-the-verifier-not-the-verifier-not-the-verifier"),
        )
        .await;
        assert_eq!(bad_verifier.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad_verifier.body["error"], "invalid_grant");
        let no_verifier = exchange(&app, &client, &code, CALLBACK, None).await;
        assert_eq!(no_verifier.body["error"], "invalid_grant");
        let other_redirect = exchange(&app, &client, &code, OOB, Some(VERIFIER)).await;
        assert_eq!(other_redirect.body["error"], "invalid_grant");

        let token = exchange(&app, &client, &code, CALLBACK, Some(VERIFIER)).await;
        assert_eq!(
            token.status,
            StatusCode::OK,
            "[{}] {:?}",
            app.backend,
            token.body
        );
        assert_eq!(token.body["scope"], "read write");
        assert_eq!(token.body["token_type"], "Bearer");
        let access = token.body["access_token"].as_str().unwrap().to_owned();
        app.post(&access, "Hello from Tusky").await;

        let replay = exchange(&app, &client, &code, CALLBACK, Some(VERIFIER)).await;
        assert_eq!(replay.body["error"], "invalid_grant");
        let after_replay = app
            .send_as(
                &access,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(
            after_replay.status,
            StatusCode::UNAUTHORIZED,
            "a replayed code revokes its token"
        );
    }
}

#[actix_web::test]
async fn a_signed_in_browser_only_confirms_and_can_sign_out() {
    for backend in all_backends() {
        let app = start(&backend).await;
        app.register("alice").await;
        let client = register_app(&app, "Ivory", "read write").await;
        let mut browser = Browser::default();
        let url = authorize_url(&client, OOB, "read", &[]);
        let page = browser.send(&app, TestRequest::get().uri(&url)).await;
        let shown = submit(
            &app,
            &mut browser,
            &page,
            &[
                ("username", "alice@example.com"),
                ("password", PASSWORD),
                ("decision", "approve"),
            ],
        )
        .await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(
            shown.html.contains("<code id=\"code\">"),
            "oob shows the code: {}",
            shown.html
        );

        let again = browser.send(&app, TestRequest::get().uri(&url)).await;
        assert!(
            again.html.contains("<strong>@alice</strong>"),
            "{}",
            again.html
        );
        assert!(!again.html.contains("type=\"password\""));
        let confirmed = submit(&app, &mut browser, &again, &[("decision", "approve")]).await;
        assert_eq!(confirmed.status, StatusCode::OK);
        let code = unescape(
            confirmed
                .html
                .split("<code id=\"code\">")
                .nth(1)
                .unwrap()
                .split("</code>")
                .next()
                .unwrap(),
        );
        let token = exchange(&app, &client, &code, OOB, None).await;
        assert_eq!(token.status, StatusCode::OK, "{:?}", token.body);
        assert_eq!(token.body["scope"], "read");

        let forced = browser
            .send(
                &app,
                TestRequest::get().uri(&format!("{url}&force_login=true")),
            )
            .await;
        assert!(
            forced.html.contains("type=\"password\""),
            "force_login asks again"
        );

        let sign_out_form = again
            .html
            .split("action=\"/oauth/sign_out\">")
            .nth(1)
            .unwrap();
        let out = browser
            .send(
                &app,
                TestRequest::post().uri("/oauth/sign_out").set_form([
                    (
                        "authenticity_token",
                        field(sign_out_form, "authenticity_token"),
                    ),
                    ("return_to", unescape(&field(sign_out_form, "return_to"))),
                ]),
            )
            .await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(out.location.unwrap().starts_with("/oauth/authorize?"));
        let after = browser.send(&app, TestRequest::get().uri(&url)).await;
        assert!(
            after.html.contains("type=\"password\""),
            "signed out: asks for the password"
        );
    }
}

#[actix_web::test]
async fn bad_authorization_requests_are_refused_without_issuing_anything() {
    for backend in all_backends() {
        let app = start(&backend).await;
        app.register("alice").await;
        let client = register_app(&app, "<script>alert(1)</script>", "read").await;
        let mut browser = Browser::default();

        let page = browser
            .send(
                &app,
                TestRequest::get().uri(&authorize_url(&client, CALLBACK, "read", &[])),
            )
            .await;
        assert!(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.html.contains("<script>"));

        let wrong_redirect = browser
            .send(
                &app,
                TestRequest::get().uri(&authorize_url(
                    &client,
                    "https://evil.example/cb",
                    "read",
                    &[],
                )),
            )
            .await;
        assert_eq!(wrong_redirect.status, StatusCode::BAD_REQUEST);
        assert!(
            wrong_redirect.location.is_none(),
            "never redirects to an unregistered URI"
        );
        let unknown = browser
            .send(
                &app,
                TestRequest::get().uri(&authorize_url(
                    &Client {
                        id: "nope".into(),
                        secret: String::new(),
                    },
                    CALLBACK,
                    "read",
                    &[],
                )),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

        let too_wide = browser
            .send(
                &app,
                TestRequest::get().uri(&authorize_url(&client, CALLBACK, "read write", &[])),
            )
            .await;
        assert_eq!(too_wide.status, StatusCode::FOUND);
        let location = too_wide.location.unwrap();
        assert_eq!(param(&location, "error").as_deref(), Some("invalid_scope"));
        assert_eq!(param(&location, "state").as_deref(), Some("opaque-state"));

        let plain = browser
            .send(
                &app,
                TestRequest::get().uri(&authorize_url(
                    &client,
                    CALLBACK,
                    "read",
                    &[
                        ("code_challenge", VERIFIER),
                        ("code_challenge_method", "plain"),
                    ],
                )),
            )
            .await;
        assert_eq!(
            param(&plain.location.unwrap(), "error").as_deref(),
            Some("invalid_request")
        );

        let forged = browser
            .send(
                &app,
                TestRequest::post().uri("/oauth/authorize").set_form([
                    ("authenticity_token", "forged"),
                    ("response_type", "code"),
                    ("client_id", client.id.as_str()),
                    ("redirect_uri", CALLBACK),
                    ("username", "alice"),
                    ("password", PASSWORD),
                    ("decision", "approve"),
                ]),
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "CSRF token checked");
        assert!(forged.location.is_none());

        let denied = submit(&app, &mut browser, &page, &[("decision", "deny")]).await;
        assert_eq!(denied.status, StatusCode::FOUND);
        assert_eq!(
            param(&denied.location.unwrap(), "error").as_deref(),
            Some("access_denied")
        );

        let unknown_code = exchange(&app, &client, "made-up-code", CALLBACK, None).await;
        assert_eq!(unknown_code.status, StatusCode::BAD_REQUEST);
        assert_eq!(unknown_code.body["error"], "invalid_grant");
    }
}

#[actix_web::test]
async fn a_read_only_token_reads_but_every_write_is_refused_with_403() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let bob = app.register("bob").await;
        let bob_id = app.account_id(&bob).await;
        let bobs_post = app.post(&bob, "bob's post").await;
        app.register("alice").await;
        let client = register_app(&app, "Reader", "read write follow").await;
        let mut browser = Browser::default();
        let page = browser
            .send(
                &app,
                TestRequest::get().uri(&authorize_url(&client, OOB, "read", &[])),
            )
            .await;
        let shown = submit(
            &app,
            &mut browser,
            &page,
            &[
                ("username", "alice"),
                ("password", PASSWORD),
                ("decision", "approve"),
            ],
        )
        .await;
        let code = unescape(
            shown
                .html
                .split("<code id=\"code\">")
                .nth(1)
                .unwrap()
                .split("</code>")
                .next()
                .unwrap(),
        );
        let token = exchange(&app, &client, &code, OOB, None).await;
        let read_only = token.body["access_token"].as_str().unwrap().to_owned();

        let home = app
            .send_as(&read_only, TestRequest::get().uri("/api/v1/timelines/home"))
            .await;
        assert_eq!(home.status, StatusCode::OK);
        let writes = [
            TestRequest::post()
                .uri("/api/v1/statuses")
                .set_form([("status", "hi")]),
            TestRequest::delete().uri(&format!("/api/v1/statuses/{bobs_post}")),
            TestRequest::post().uri(&format!("/api/v1/accounts/{bob_id}/follow")),
            TestRequest::post().uri(&format!("/api/v1/accounts/{bob_id}/unfollow")),
            TestRequest::post()
                .uri("/api/v1/reports")
                .set_form([("account_id", bob_id.as_str())]),
            TestRequest::get().uri("/api/v1/admin/reports"),
        ];
        for request in writes {
            let reply = app.send_as(&read_only, request).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "[{}] {:?}",
                app.backend,
                reply.body
            );
        }
        let timeline = app
            .send_as(&bob, TestRequest::get().uri("/api/v1/timelines/home"))
            .await;
        assert_eq!(
            timeline.body.as_array().unwrap().len(),
            1,
            "nothing was posted or deleted"
        );
    }
}

#[actix_web::test]
async fn a_suspended_account_cannot_sign_in_on_the_authorize_page() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let alice = app.register("alice").await;
        let alice_id: hubbub_core::ids::AccountId = app.account_id(&alice).await.parse().unwrap();
        let client = register_app(&app, "Tusky", "read").await;
        let mut browser = Browser::default();
        let page = browser
            .send(
                &app,
                TestRequest::get().uri(&authorize_url(&client, CALLBACK, "read", &[])),
            )
            .await;
        let approved = submit(
            &app,
            &mut browser,
            &page,
            &[
                ("username", "alice"),
                ("password", PASSWORD),
                ("decision", "approve"),
            ],
        )
        .await;
        assert_eq!(approved.status, StatusCode::FOUND);

        let now = chrono::Utc::now();
        app.store
            .apply_moderation(hubbub_storage::moderation::NewModerationAction {
                id: hubbub_core::ids::ModerationActionId(1),
                actor_id: alice_id,
                kind: hubbub_storage::moderation::ModerationKind::Suspend,
                target_account_id: Some(alice_id),
                target_status_id: None,
                report_id: None,
                reason: "test".to_owned(),
                created_at: now,
            })
            .await
            .unwrap();
        let with_session = browser
            .send(
                &app,
                TestRequest::get().uri(&authorize_url(&client, CALLBACK, "read", &[])),
            )
            .await;
        assert!(
            with_session.html.contains("type=\"password\""),
            "the session ended with the suspension"
        );
        let refused = submit(
            &app,
            &mut browser,
            &with_session,
            &[
                ("username", "alice"),
                ("password", PASSWORD),
                ("decision", "approve"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.html.contains("suspended"));
        assert!(refused.location.is_none());
    }
}
