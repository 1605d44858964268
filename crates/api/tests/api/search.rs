//! Search: posts by full text under the visibility rule, accounts, hashtags.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a missing field must fail the test"
)]

use crate::helpers::{error_of, start};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_core::ids::{AccountId, CommunityId, StatusId};
use hubbub_core::input::StatusText;
use hubbub_storage::model::{NewCommunity, NewStatus};
use hubbub_testkit::database::all_backends;
use serde_json::Value;

fn texts(reply: &Value) -> Vec<String> {
    reply["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap().to_owned())
        .collect()
}

fn search(q: &str) -> TestRequest {
    let q: String = url_escape(q);
    TestRequest::get().uri(&format!("/api/v2/search?type=statuses&q={q}"))
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[actix_web::test]
async fn short_terms_host_names_error_codes_and_prefixes_are_found() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let vpn = "VPN is down again, cannot reach vpn.example.com from home";
        let ci = "CI pipeline fails with ERR_CERT_DATE_INVALID on the build agents";
        let code = "Update error 0x80070005 when installing Office";
        let other = "Lunch at the canteen: circus theme";
        for text in [vpn, ci, code, other] {
            app.post(&ada, text).await;
        }
        for (q, expected) in [
            ("VPN", vec![vpn]),
            ("vpn.example.com", vec![vpn]),
            ("example.com", vec![vpn]),
            ("ERR_CERT_DATE_INVALID", vec![ci]),
            ("err_cert", vec![ci]),
            ("0x80070005", vec![code]),
            ("0x8007", vec![code]),
            ("pipel", vec![ci]),
            ("office error", vec![code]),
            ("ci", vec![other, ci]),
            ("nothing-like-this", vec![]),
            ("\"NEAR\" OR * :", vec![]),
        ] {
            let reply = app.send_as(&ada, search(q)).await;
            assert_eq!(reply.status, StatusCode::OK, "{q}: {:?}", reply.body);
            assert_eq!(texts(&reply.body), expected, "[{}] q={q}", app.backend);
        }
    }
}

#[actix_web::test]
async fn a_deleted_post_is_no_longer_found() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let id = app.post(&ada, "printer on floor 3 jams").await;
        assert_eq!(
            texts(&app.send_as(&ada, search("printer")).await.body).len(),
            1
        );
        let deleted = app
            .send_as(
                &ada,
                TestRequest::delete().uri(&format!("/api/v1/statuses/{id}")),
            )
            .await;
        assert_eq!(deleted.status, StatusCode::OK);
        assert!(texts(&app.send_as(&ada, search("printer")).await.body).is_empty());
    }
}

#[actix_web::test]
async fn posts_in_a_private_community_are_found_by_members_only() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let member = app.register("member").await;
        let outsider = app.register("outsider").await;
        let member_id: AccountId = app.account_id(&member).await.parse().unwrap();
        let now = chrono::Utc::now();
        let community = app
            .store
            .create_community(NewCommunity {
                id: CommunityId(now.timestamp_millis() << 16),
                name: "Security incidents".to_owned(),
                description: String::new(),
                private: true,
                helpdesk: false,
                created_by: member_id,
                created_at: now,
            })
            .await
            .unwrap();
        app.store
            .create_status(
                NewStatus {
                    id: StatusId((now.timestamp_millis() << 16) + 1),
                    account_id: member_id,
                    text: StatusText::parse("phishing wave targets payroll", 500).unwrap(),
                    in_reply_to_id: None,
                    community_id: Some(community.id),
                    created_at: now,
                },
                "{}".to_owned(),
            )
            .await
            .unwrap();
        app.post(&member, "payroll portal moved").await;

        let seen = texts(&app.send_as(&member, search("payroll")).await.body);
        assert_eq!(seen.len(), 2, "[{}] {seen:?}", app.backend);
        let outside = texts(&app.send_as(&outsider, search("payroll")).await.body);
        assert_eq!(outside, ["payroll portal moved"]);
        let anonymous = texts(&app.send(search("phishing")).await.body);
        assert!(anonymous.is_empty());
    }
}

#[actix_web::test]
async fn search_pages_with_limit_offset_and_max_id() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let mut ids = Vec::new();
        for n in 0..5 {
            ids.push(app.post(&ada, &format!("wifi report {n}")).await);
        }
        let first = app
            .send_as(
                &ada,
                TestRequest::get().uri("/api/v2/search?q=wifi&type=statuses&limit=2"),
            )
            .await;
        assert_eq!(texts(&first.body), ["wifi report 4", "wifi report 3"]);
        let offset = app
            .send_as(
                &ada,
                TestRequest::get().uri("/api/v2/search?q=wifi&type=statuses&limit=2&offset=2"),
            )
            .await;
        assert_eq!(texts(&offset.body), ["wifi report 2", "wifi report 1"]);
        let keyset = app
            .send_as(
                &ada,
                TestRequest::get().uri(&format!(
                    "/api/v2/search?q=wifi&type=statuses&max_id={}",
                    ids[1]
                )),
            )
            .await;
        assert_eq!(texts(&keyset.body), ["wifi report 0"]);
    }
}

#[actix_web::test]
async fn accounts_are_found_by_username_display_name_and_department() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let grace = app.register("grace").await;
        app.register("gregory").await;
        app.register("zed").await;
        app.send_as(
            &grace,
            TestRequest::patch()
                .uri("/api/v1/accounts/update_credentials")
                .set_form([
                    ("display_name", "Grace Hopper"),
                    ("department", "Platform Engineering"),
                ]),
        )
        .await;
        let names = |reply: &Value| -> Vec<String> {
            reply["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["username"].as_str().unwrap().to_owned())
                .collect()
        };
        let by_prefix = app
            .send(TestRequest::get().uri("/api/v2/search?q=gr&type=accounts"))
            .await;
        assert_eq!(names(&by_prefix.body), ["grace", "gregory"]);
        let by_name = app
            .send(TestRequest::get().uri("/api/v2/search?q=hopper&type=accounts"))
            .await;
        assert_eq!(names(&by_name.body), ["grace"]);
        let by_department = app
            .send(TestRequest::get().uri("/api/v2/search?q=platform&type=accounts"))
            .await;
        assert_eq!(names(&by_department.body), ["grace"]);
        let wildcard = app
            .send(TestRequest::get().uri("/api/v2/search?q=%25&type=accounts"))
            .await;
        assert!(names(&wildcard.body).is_empty(), "% is matched literally");

        let all = app
            .send(TestRequest::get().uri("/api/v2/search?q=grace"))
            .await;
        assert_eq!(names(&all.body), ["grace"]);
        assert_eq!(all.body["hashtags"], serde_json::json!([]));
        assert!(all.body["statuses"].is_array());
    }
}

#[actix_web::test]
async fn a_blank_query_or_an_unknown_type_is_refused_naming_the_parameter() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let blank = app
            .send(TestRequest::get().uri("/api/v2/search?q=%20"))
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error_of(&blank).starts_with("Validation failed: q"),
            "{:?}",
            blank.body
        );
        let kind = app
            .send(TestRequest::get().uri("/api/v2/search?q=x&type=people"))
            .await;
        assert_eq!(kind.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&kind).contains("type"));
        let limit = app
            .send(TestRequest::get().uri("/api/v2/search?q=x&limit=ten"))
            .await;
        assert_eq!(limit.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
