//! A test app per backend, and requests that read back status, headers and JSON.
#![expect(
    clippy::expect_used,
    reason = "set-up helpers: a failure must stop the test with its message"
)]

use actix_http::Request;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::{self, TestRequest};
use actix_web::{App, Error};
use hubbub_api::{ApiConfig, ApiState};
use hubbub_core::clock::SystemClock;
use hubbub_core::ids::AccountId;
use hubbub_core::role::Role;
use hubbub_core::token::TokenKeys;
use hubbub_storage::Store;
use hubbub_testkit::database::{BackendUnderTest, TestDatabase};
use serde_json::{Value, json};
use std::sync::Arc;

/// The body limit the tests run with.
pub const MAX_BODY: usize = 16 * 1024;
/// The upload limit the tests run with.
pub const MAX_UPLOAD: usize = 512 * 1024;
/// The signing secret the tests run with.
pub const SECRET: &[u8] = b"test secret test secret test secret!";

/// A response, read in full.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

/// The API over one fresh database.
pub struct TestApp<S> {
    pub service: S,
    pub store: Store,
    pub backend: &'static str,
    /// The folder uploaded files are stored in.
    pub media_dir: std::path::PathBuf,
    _media: tempfile::TempDir,
    _database: TestDatabase,
}

/// Config as the server would pass it, with a small body limit.
pub fn config() -> ApiConfig {
    ApiConfig {
        instance_title: "Hubbub".to_owned(),
        public_url: None,
        streaming_url: None,
        streaming_port: 8081,
        open_registration: true,
        max_status_chars: hubbub_core::input::DEFAULT_STATUS_MAX_CHARS,
        token_lifetime: chrono::Duration::days(30),
        max_body_bytes: MAX_BODY,
        // Empty: `start_with` gives each app its own temporary folder.
        media_dir: std::path::PathBuf::new(),
        max_upload_bytes: MAX_UPLOAD,
        max_image_pixels: 4_000_000,
        rate_limits: hubbub_api::rate_limit::RateLimitConfig::default(),
    }
}

/// Starts the API on a fresh, migrated database of `backend` with `config`.
pub async fn start_with(
    backend: &BackendUnderTest,
    mut config: ApiConfig,
) -> TestApp<impl Service<Request, Response = ServiceResponse<BoxBody>, Error = Error> + use<>> {
    let database = backend.create().await.expect("test database");
    let store = Store::connect(database.url(), 4).await.expect("connect");
    store.migrate().await.expect("migrate");
    let media = tempfile::tempdir().expect("media folder");
    if config.media_dir.as_os_str().is_empty() {
        config.media_dir = media.path().to_owned();
    }
    let media_dir = config.media_dir.clone();
    let state = ApiState::new(
        store.clone(),
        TokenKeys::from_secret(SECRET),
        config,
        Arc::new(SystemClock),
        Arc::new(tokio::sync::Notify::new()),
    );
    let service =
        test::init_service(App::new().configure(move |cfg| hubbub_api::configure(cfg, state)))
            .await;
    TestApp {
        service,
        store,
        backend: backend.name(),
        media_dir,
        _media: media,
        _database: database,
    }
}

/// Starts the API with the default test config.
pub async fn start(
    backend: &BackendUnderTest,
) -> TestApp<impl Service<Request, Response = ServiceResponse<BoxBody>, Error = Error> + use<>> {
    start_with(backend, config()).await
}

impl<S> TestApp<S>
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    /// Sends a request and reads the whole response.
    pub async fn send(&self, request: TestRequest) -> Reply {
        let response = test::call_service(&self.service, request.to_request()).await;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = test::read_body(response).await;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Sends a request and returns status, headers and the raw body.
    pub async fn send_raw(
        &self,
        request: TestRequest,
    ) -> (StatusCode, HeaderMap, actix_web::web::Bytes) {
        let response = test::call_service(&self.service, request.to_request()).await;
        let status = response.status();
        let headers = response.headers().clone();
        (status, headers, test::read_body(response).await)
    }

    /// Fetches a file the API links to (an absolute URL on the test host).
    pub async fn fetch(&self, url: &str) -> (StatusCode, HeaderMap, actix_web::web::Bytes) {
        let path = url.find("/media/").map_or(url, |start| &url[start..]);
        self.send_raw(TestRequest::get().uri(path)).await
    }

    /// Sends a request with a bearer token.
    pub async fn send_as(&self, token: &str, request: TestRequest) -> Reply {
        self.send(request.insert_header(("Authorization", format!("Bearer {token}"))))
            .await
    }

    /// Registers `username` with open registration and returns the access token.
    pub async fn register(&self, username: &str) -> String {
        let reply = self
            .send(TestRequest::post().uri("/api/v1/accounts").set_json(json!({
                "username": username,
                "email": format!("{username}@example.com"),
                "password": "correct horse battery",
                "agreement": true,
                "locale": "en",
            })))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "[{}] register {username}: {:?}",
            self.backend,
            reply.body
        );
        reply.body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// The account id behind a token.
    pub async fn account_id(&self, token: &str) -> String {
        let reply = self
            .send_as(
                token,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body["id"].as_str().expect("id").to_owned()
    }

    /// Posts `text` and returns the new status id.
    pub async fn post(&self, token: &str, text: &str) -> String {
        let reply = self
            .send_as(
                token,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_form([("status", text)]),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "[{}] post: {:?}",
            self.backend,
            reply.body
        );
        reply.body["id"].as_str().expect("id").to_owned()
    }
}

/// The error message of a reply.
pub fn error_of(reply: &Reply) -> &str {
    reply.body["error"].as_str().unwrap_or_default()
}

/// An admin token: `username` registers, is made an admin, then signs in
/// asking for the admin scopes, as Mastodon requires.
pub async fn admin<S>(app: &TestApp<S>, username: &str) -> String
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    let token = app.register(username).await;
    let id = app.account_id(&token).await.parse().expect("account id");
    assert!(
        app.store
            .set_role(AccountId(id), Role::Admin, None)
            .await
            .expect("set role")
    );
    let reply = app
        .send(TestRequest::post().uri("/oauth/token").set_form([
            ("grant_type", "password"),
            ("username", username),
            ("password", "correct horse battery"),
            ("scope", "read write admin:read admin:write"),
        ]))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}
