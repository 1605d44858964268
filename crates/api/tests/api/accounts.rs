//! Registration validation, profiles and follows.

use crate::helpers::{error_of, start};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_testkit::database::all_backends;
use serde_json::json;

fn registration(username: &str, email: &str) -> TestRequest {
    TestRequest::post().uri("/api/v1/accounts").set_json(json!({
        "username": username, "email": email, "password": "correct horse battery", "agreement": true, "locale": "en"
    }))
}

#[actix_web::test]
async fn a_username_with_spaces_is_refused_naming_the_username_and_nothing_is_stored() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let reply = app
            .send(registration("ada lovelace", "ada@example.com"))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            reply.body
        );
        assert!(error_of(&reply).contains("username"), "{:?}", reply.body);
        assert_eq!(reply.body["details"]["username"][0]["error"], "ERR_INVALID");
        assert!(
            app.store
                .account_by_login("ada@example.com")
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[actix_web::test]
async fn an_existing_name_in_another_case_is_refused_and_only_one_account_exists() {
    for backend in all_backends() {
        let app = start(&backend).await;
        app.register("Ada").await;
        let reply = app.send(registration("aDA", "other@example.com")).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            reply.body
        );
        assert_eq!(reply.body["details"]["username"][0]["error"], "ERR_TAKEN");
        assert!(
            app.store
                .account_by_login("other@example.com")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            app.store
                .account_by_login("ada")
                .await
                .unwrap()
                .unwrap()
                .username,
            "Ada"
        );
    }
}

#[actix_web::test]
async fn every_invalid_registration_field_is_named_at_once() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let reply = app
            .send(TestRequest::post().uri("/api/v1/accounts").set_form([
                ("username", ""),
                ("email", "not-an-email"),
                ("password", "short"),
            ]))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["username", "email", "password", "agreement"] {
            assert!(
                reply.body["details"][field].is_array(),
                "{field} missing from {:?}",
                reply.body
            );
        }
    }
}

#[actix_web::test]
async fn following_shows_in_relationships_and_following_yourself_is_refused() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let grace = app.register("grace").await;
        let grace_id = app.account_id(&grace).await;
        let ada_id = app.account_id(&ada).await;

        let followed = app
            .send_as(
                &ada,
                TestRequest::post().uri(&format!("/api/v1/accounts/{grace_id}/follow")),
            )
            .await;
        assert_eq!(followed.status, StatusCode::OK, "{:?}", followed.body);
        assert_eq!(followed.body["id"], grace_id.as_str());
        assert_eq!(followed.body["following"], true);

        let seen = app
            .send_as(
                &grace,
                TestRequest::get().uri(&format!(
                    "/api/v1/accounts/relationships?id[]={ada_id}&id[]=999"
                )),
            )
            .await;
        assert_eq!(seen.status, StatusCode::OK);
        assert_eq!(seen.body.as_array().unwrap().len(), 1);
        assert_eq!(seen.body[0]["followed_by"], true);
        assert_eq!(seen.body[0]["following"], false);

        let profile = app
            .send(TestRequest::get().uri(&format!("/api/v1/accounts/{grace_id}")))
            .await;
        assert_eq!(profile.body["followers_count"], 1);

        let own = app
            .send_as(
                &ada,
                TestRequest::post().uri(&format!("/api/v1/accounts/{ada_id}/follow")),
            )
            .await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&own).contains("yourself"));

        let unfollowed = app
            .send_as(
                &ada,
                TestRequest::post().uri(&format!("/api/v1/accounts/{grace_id}/unfollow")),
            )
            .await;
        assert_eq!(unfollowed.status, StatusCode::OK);
        assert_eq!(unfollowed.body["following"], false);
    }
}

#[actix_web::test]
async fn unknown_and_non_numeric_account_ids_are_404() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let token = app.register("ada").await;
        for uri in [
            "/api/v1/accounts/123",
            "/api/v1/accounts/abc",
            "/api/v1/accounts/abc/statuses",
        ] {
            let reply = app.send(TestRequest::get().uri(uri)).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
            assert!(!error_of(&reply).is_empty());
        }
        let follow = app
            .send_as(
                &token,
                TestRequest::post().uri("/api/v1/accounts/42/follow"),
            )
            .await;
        assert_eq!(follow.status, StatusCode::NOT_FOUND);
    }
}

#[actix_web::test]
async fn an_account_is_found_by_username_in_any_case_but_not_by_email() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let token = app.register("Ada").await;
        let id = app.account_id(&token).await;
        let found = app
            .send(TestRequest::get().uri("/api/v1/accounts/lookup?acct=%40ada"))
            .await;
        assert_eq!(found.status, StatusCode::OK, "{:?}", found.body);
        assert_eq!(found.body["id"], id.as_str());
        let by_email = app
            .send(TestRequest::get().uri("/api/v1/accounts/lookup?acct=ada%40example.com"))
            .await;
        assert_eq!(
            by_email.body["id"],
            id.as_str(),
            "acct@domain names the user ada"
        );
        let missing = app
            .send(TestRequest::get().uri("/api/v1/accounts/lookup?acct=grace"))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
}

#[actix_web::test]
async fn a_registration_shaped_like_mastodon_py_sends_it_is_accepted() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let request = TestRequest::post()
            .uri("/api/v1/accounts")
            .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
            .set_payload(
                "username=grace&password=correct+horse+battery&email=grace%40example.com&agreement=1\
                 &locale=en&return_detailed_error=0&client_id=abc&client_secret=def",
            );
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert!(reply.body["access_token"].is_string());
    }
}
