//! Posting, reading and deleting.

use crate::helpers::{error_of, start};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_testkit::database::all_backends;
use serde_json::json;

#[actix_web::test]
async fn a_post_is_stored_rendered_as_safe_html_and_readable_by_anyone() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let token = app.register("ada").await;
        let created = app
            .send_as(&token, TestRequest::post().uri("/api/v1/statuses").set_json(json!({
                "status": "<b>hi</b> see https://example.org", "visibility": "public", "media_ids": []
            })))
            .await;
        assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
        let id = created.body["id"].as_str().unwrap();
        assert_eq!(created.body["text"], "<b>hi</b> see https://example.org");
        assert!(
            created.body["content"]
                .as_str()
                .unwrap()
                .starts_with("<p>&lt;b&gt;hi&lt;/b&gt; see <a href=")
        );
        assert_eq!(created.body["account"]["username"], "ada");
        assert_eq!(created.body["visibility"], "public");
        assert!(created.body["created_at"].as_str().unwrap().ends_with('Z'));

        let shown = app
            .send(TestRequest::get().uri(&format!("/api/v1/statuses/{id}")))
            .await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.body["id"], id);

        let reply = app
            .send_as(
                &token,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_form([("status", "a reply"), ("in_reply_to_id", id)]),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["in_reply_to_id"], id);
        assert_eq!(
            reply.body["in_reply_to_account_id"],
            created.body["account"]["id"]
        );

        let orphan = app
            .send_as(
                &token,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_form([("status", "x"), ("in_reply_to_id", "12345")]),
            )
            .await;
        assert_eq!(orphan.status, StatusCode::NOT_FOUND);

        let events = app.store.unpublished_events(100).await.unwrap();
        assert_eq!(
            events
                .iter()
                .filter(|event| event.body.kind() == "status_created")
                .count(),
            2
        );
    }
}

#[actix_web::test]
async fn empty_and_over_long_posts_are_refused_naming_status_and_nothing_is_stored() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let token = app.register("ada").await;
        let too_long = "a".repeat(5001);
        for text in ["", "   ", too_long.as_str()] {
            let reply = app
                .send_as(
                    &token,
                    TestRequest::post()
                        .uri("/api/v1/statuses")
                        .set_json(json!({ "status": text })),
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{}] {} chars",
                app.backend,
                text.len()
            );
            assert!(error_of(&reply).contains("status"), "{:?}", reply.body);
            assert!(reply.body["details"]["status"].is_array());
        }
        let missing = app
            .send_as(&token, TestRequest::post().uri("/api/v1/statuses"))
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        let exactly_at_limit = app
            .send_as(
                &token,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_json(json!({ "status": "é".repeat(5000) })),
            )
            .await;
        assert_eq!(exactly_at_limit.status, StatusCode::OK);
        let me = app.account_id(&token).await;
        let posts = app
            .send(TestRequest::get().uri(&format!("/api/v1/accounts/{me}/statuses")))
            .await;
        assert_eq!(posts.body.as_array().unwrap().len(), 1);
    }
}

#[actix_web::test]
async fn only_the_author_can_delete_and_a_deleted_post_is_gone() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let grace = app.register("grace").await;
        let id = app.post(&ada, "mine").await;
        let uri = format!("/api/v1/statuses/{id}");

        let theirs = app.send_as(&grace, TestRequest::delete().uri(&uri)).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.send(TestRequest::get().uri(&uri)).await.status,
            StatusCode::OK
        );

        let deleted = app.send_as(&ada, TestRequest::delete().uri(&uri)).await;
        assert_eq!(deleted.status, StatusCode::OK);
        assert_eq!(deleted.body["text"], "mine");
        assert_eq!(
            app.send(TestRequest::get().uri(&uri)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.send_as(&ada, TestRequest::delete().uri(&uri))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.send(TestRequest::get().uri("/api/v1/statuses/nope"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

#[actix_web::test]
async fn a_read_only_token_cannot_post() {
    for backend in all_backends() {
        let app = start(&backend).await;
        app.register("ada").await;
        let token = app
            .send(TestRequest::post().uri("/oauth/token").set_form([
                ("grant_type", "password"),
                ("username", "ada"),
                ("password", "correct horse battery"),
                ("scope", "read"),
            ]))
            .await;
        assert_eq!(token.status, StatusCode::OK, "{:?}", token.body);
        let read_only = token.body["access_token"].as_str().unwrap();
        let reply = app
            .send_as(
                read_only,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_form([("status", "hello")]),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
}
