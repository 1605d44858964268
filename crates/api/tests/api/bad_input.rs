//! Bodies that cannot be read: each gets a clear 4xx and nothing is stored.

use crate::helpers::{MAX_BODY, error_of, start};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_testkit::database::all_backends;

fn register_with(content_type: &str, body: impl Into<Vec<u8>>) -> TestRequest {
    TestRequest::post()
        .uri("/api/v1/accounts")
        .insert_header(("Content-Type", content_type.to_owned()))
        .set_payload(body.into())
}

#[actix_web::test]
async fn unreadable_registrations_get_a_clear_4xx_and_store_nothing() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let valid = r#"{"username":"ada","email":"ada@example.com","password":"correct horse battery","agreement":true"#;
        let huge = format!(
            r#"{{"username":"ada","email":"ada@example.com","password":"correct horse battery","agreement":true,"reason":"{}"}}"#,
            "x".repeat(MAX_BODY)
        );
        let mut invalid_utf8 =
            br#"{"username":"ada","email":"ada@example.com","password":"correct horse "#.to_vec();
        invalid_utf8.extend_from_slice(&[0xff, 0xfe]);
        invalid_utf8.extend_from_slice(br#"","agreement":true}"#);
        let cases: Vec<(&str, TestRequest, StatusCode, &str)> = vec![
            (
                "malformed JSON",
                register_with("application/json", valid),
                StatusCode::BAD_REQUEST,
                "JSON",
            ),
            (
                "wrong content type",
                register_with("text/plain", format!("{valid}}}")),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "text/plain",
            ),
            (
                "huge body",
                register_with("application/json", huge),
                StatusCode::PAYLOAD_TOO_LARGE,
                "limit",
            ),
            (
                "invalid UTF-8 JSON",
                register_with("application/json", invalid_utf8),
                StatusCode::BAD_REQUEST,
                "UTF-8",
            ),
            (
                "invalid UTF-8 form",
                register_with(
                    "application/x-www-form-urlencoded",
                    "username=ada&email=ada%40example.com&password=correct%FFhorse1&agreement=true",
                ),
                StatusCode::BAD_REQUEST,
                "UTF-8",
            ),
            (
                "unknown field",
                register_with("application/json", format!(r#"{valid},"admin":true}}"#)),
                StatusCode::UNPROCESSABLE_ENTITY,
                "admin",
            ),
            (
                "wrong type",
                register_with("application/json", r#"{"username":["ada"]}"#),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid type",
            ),
        ];
        for (name, request, status, mentions) in cases {
            let reply = app.send(request).await;
            assert_eq!(
                reply.status, status,
                "[{}] {name}: {:?}",
                app.backend, reply.body
            );
            assert!(
                error_of(&reply).contains(mentions),
                "[{}] {name}: {:?}",
                app.backend,
                reply.body
            );
            assert!(
                app.store.account_by_login("ada").await.unwrap().is_none(),
                "{name} stored an account"
            );
        }
    }
}

#[actix_web::test]
async fn bad_status_bodies_are_refused_and_post_nothing() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let token = app.register("ada").await;
        let me = app.account_id(&token).await;
        let cases = [
            (
                "application/json",
                "{\"status\": ".to_owned(),
                StatusCode::BAD_REQUEST,
            ),
            (
                "text/plain",
                "status=hello".to_owned(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                "application/json",
                format!("{{\"status\":\"{}\"}}", "x".repeat(MAX_BODY)),
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
        ];
        for (content_type, body, status) in cases {
            let reply = app
                .send_as(
                    &token,
                    TestRequest::post()
                        .uri("/api/v1/statuses")
                        .insert_header(("Content-Type", content_type))
                        .set_payload(body),
                )
                .await;
            assert_eq!(reply.status, status, "{:?}", reply.body);
            assert!(!error_of(&reply).is_empty());
        }
        let posts = app
            .send(TestRequest::get().uri(&format!("/api/v1/accounts/{me}/statuses")))
            .await;
        assert_eq!(posts.body.as_array().unwrap().len(), 0);
    }
}
