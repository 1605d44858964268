//! Registration, tokens, and refusing bad tokens.

use crate::helpers::{SECRET, TestApp, config, error_of, start, start_with};
use actix_http::Request;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_core::token::{TokenClaims, TokenKeys};
use hubbub_testkit::database::all_backends;
use serde_json::json;

#[actix_web::test]
async fn a_person_registers_signs_in_with_a_password_and_sees_their_own_account() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let registered = app.register("Ada").await;
        let me = app
            .send_as(
                &registered,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
        assert_eq!(me.body["username"], "Ada");
        assert_eq!(me.body["acct"], "Ada");
        assert_eq!(me.body["source"]["privacy"], "public");
        assert!(me.body["id"].is_string());

        let apps = app
            .send(TestRequest::post().uri("/api/v1/apps").set_form([
                ("client_name", "Mastodon.py"),
                ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
                ("scopes", "read write follow"),
            ]))
            .await;
        assert_eq!(apps.status, StatusCode::OK, "{:?}", apps.body);
        let (client_id, client_secret) = (
            apps.body["client_id"].as_str().unwrap().to_owned(),
            apps.body["client_secret"].as_str().unwrap().to_owned(),
        );
        let token = app
            .send(TestRequest::post().uri("/oauth/token").set_form([
                ("grant_type", "password"),
                ("username", "ada@example.com"),
                ("password", "correct horse battery"),
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.as_str()),
                ("scope", "read write"),
            ]))
            .await;
        assert_eq!(token.status, StatusCode::OK, "{:?}", token.body);
        assert_eq!(token.body["token_type"], "Bearer");
        assert_eq!(token.body["scope"], "read write");
        assert!(token.body["created_at"].is_i64());
        let access = token.body["access_token"].as_str().unwrap();
        assert_eq!(
            app.account_id(access).await,
            me.body["id"].as_str().unwrap()
        );

        let wrong = app
            .send(TestRequest::post().uri("/oauth/token").set_form([
                ("grant_type", "password"),
                ("username", "ada"),
                ("password", "wrong password"),
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.as_str()),
            ]))
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert_eq!(wrong.body["error"], "invalid_grant");
        assert!(wrong.body["error_description"].is_string());
    }
}

#[actix_web::test]
async fn an_app_token_from_client_credentials_can_register_but_is_not_a_user() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let apps = app
            .send(TestRequest::post().uri("/api/v1/apps").set_json(json!({
                "client_name": "masto.js", "redirect_uris": ["urn:ietf:wg:oauth:2.0:oob"], "scopes": "read write"
            })))
            .await;
        assert_eq!(apps.status, StatusCode::OK, "{:?}", apps.body);
        let token = app
            .send(TestRequest::post().uri("/oauth/token").set_json(json!({
                "grant_type": "client_credentials",
                "client_id": apps.body["client_id"], "client_secret": apps.body["client_secret"],
            })))
            .await;
        assert_eq!(token.status, StatusCode::OK, "{:?}", token.body);
        let app_token = token.body["access_token"].as_str().unwrap().to_owned();

        let me = app
            .send_as(
                &app_token,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(me.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", me.body);

        let registered = app
            .send_as(
                &app_token,
                TestRequest::post().uri("/api/v1/accounts").set_form([
                    ("username", "grace"),
                    ("email", "grace@example.com"),
                    ("password", "correct horse battery"),
                    ("agreement", "true"),
                    ("locale", "en"),
                ]),
            )
            .await;
        assert_eq!(registered.status, StatusCode::OK, "{:?}", registered.body);
        assert_eq!(registered.body["scope"], "read write");

        let bad_secret = app
            .send(TestRequest::post().uri("/oauth/token").set_form([
                ("grant_type", "client_credentials"),
                ("client_id", apps.body["client_id"].as_str().unwrap()),
                ("client_secret", "nope"),
            ]))
            .await;
        assert_eq!(bad_secret.status, StatusCode::UNAUTHORIZED);
        assert_eq!(bad_secret.body["error"], "invalid_client");
    }
}

#[actix_web::test]
async fn missing_tampered_foreign_expired_and_garbage_tokens_get_401() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let token = app.register("ada").await;
        let uri = "/api/v1/accounts/verify_credentials";

        let missing = app.send(TestRequest::get().uri(uri)).await;
        assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
        assert!(
            error_of(&missing).contains("access token"),
            "{:?}",
            missing.body
        );

        let mut tampered = token.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        let foreign_keys = TokenKeys::from_secret(b"someone else's secret, 32 bytes!!");
        let claims = TokenKeys::from_secret(SECRET).verify(&token).unwrap();
        let foreign = foreign_keys.sign(&claims).unwrap();
        let expired = TokenKeys::from_secret(SECRET)
            .sign(&TokenClaims {
                iat: 1,
                exp: 2,
                ..claims.clone()
            })
            .unwrap();
        let unknown_jti = TokenKeys::from_secret(SECRET)
            .sign(&TokenClaims {
                jti: "not-issued".into(),
                ..claims
            })
            .unwrap();
        for bad in [
            tampered.as_str(),
            foreign.as_str(),
            expired.as_str(),
            unknown_jti.as_str(),
            "garbage",
            "",
        ] {
            let reply = app.send_as(bad, TestRequest::get().uri(uri)).await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "[{}] token {bad:?}",
                app.backend
            );
            assert!(!error_of(&reply).is_empty());
        }
        let not_bearer = app
            .send(
                TestRequest::get()
                    .uri(uri)
                    .insert_header(("Authorization", "Basic abc")),
            )
            .await;
        assert_eq!(not_bearer.status, StatusCode::UNAUTHORIZED);
    }
}

#[actix_web::test]
async fn a_revoked_token_is_refused_at_once() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let token = app.register("ada").await;
        app.account_id(&token).await;

        let revoke = app
            .send(
                TestRequest::post()
                    .uri("/oauth/revoke")
                    .set_form([("token", token.as_str())]),
            )
            .await;
        assert_eq!(revoke.status, StatusCode::OK, "{:?}", revoke.body);
        assert_eq!(revoke.body, json!({}));

        let after = app
            .send_as(
                &token,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED, "[{}]", app.backend);
        let post = app
            .send_as(
                &token,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_form([("status", "still here?")]),
            )
            .await;
        assert_eq!(post.status, StatusCode::UNAUTHORIZED);
        let events = app.store.unpublished_events(100).await.unwrap();
        assert!(
            events
                .iter()
                .any(|event| event.body.kind() == "token_revoked")
        );
    }
}

#[actix_web::test]
async fn registration_is_refused_with_403_when_closed() {
    for backend in all_backends() {
        let app = start_with(
            &backend,
            hubbub_api::ApiConfig {
                open_registration: false,
                ..config()
            },
        )
        .await;
        let reply = app
            .send(TestRequest::post().uri("/api/v1/accounts").set_json(json!({
                "username": "ada", "email": "ada@example.com", "password": "correct horse battery", "agreement": true
            })))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(error_of(&reply).contains("closed"));
        assert!(app.store.account_by_login("ada").await.unwrap().is_none());
    }
}

/// Signs `username` in with `password` through the password grant; the status
/// and the access token, if one was issued.
async fn sign_in<S>(
    app: &TestApp<S>,
    username: &str,
    password: &str,
) -> (StatusCode, Option<String>)
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>,
{
    let apps = app
        .send(TestRequest::post().uri("/api/v1/apps").set_form([
            ("client_name", "Hubbub web"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", "read write"),
        ]))
        .await;
    let form = [
        ("grant_type", "password"),
        ("username", username),
        ("password", password),
        (
            "client_id",
            apps.body["client_id"].as_str().unwrap_or_default(),
        ),
        (
            "client_secret",
            apps.body["client_secret"].as_str().unwrap_or_default(),
        ),
    ];
    let token = app
        .send(TestRequest::post().uri("/oauth/token").set_form(form))
        .await;
    let access = token.body["access_token"].as_str().map(str::to_owned);
    (token.status, access)
}

#[actix_web::test]
async fn a_person_changes_their_password_and_is_signed_out_everywhere() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let token = app.register("ada").await;
        let change = |current: &str, new: &str| {
            TestRequest::post()
                .uri("/api/v1/hubbub/password")
                .set_json(json!({ "current_password": current, "new_password": new }))
        };

        let wrong = app
            .send_as(&token, change("not my password", "a brand new secret"))
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error_of(&wrong).contains("current_password"),
            "{:?}",
            wrong.body
        );
        let short = app
            .send_as(&token, change("correct horse battery", "short"))
            .await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error_of(&short).contains("new_password"),
            "{:?}",
            short.body
        );
        // Refusals change nothing: the old password still signs in.
        assert_eq!(
            sign_in(&app, "ada", "correct horse battery").await.0,
            StatusCode::OK
        );

        let changed = app
            .send_as(
                &token,
                change("correct horse battery", "a brand new secret"),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
        let me = app
            .send_as(
                &token,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED, "signed out everywhere");
        let (old, _) = sign_in(&app, "ada", "correct horse battery").await;
        assert_eq!(old, StatusCode::BAD_REQUEST);
        let (new, access) = sign_in(&app, "ada", "a brand new secret").await;
        assert_eq!(new, StatusCode::OK);
        assert!(access.is_some());
    }
}
