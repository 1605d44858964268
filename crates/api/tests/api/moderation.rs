//! Reports, the admin queue, moderation actions and the audit log.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must stop the test with its message"
)]

use crate::helpers::{TestApp, admin, error_of, start};
use actix_http::Request;
use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_core::ids::{AccountId, CommunityId, StatusId};
use hubbub_core::input::StatusText;
use hubbub_storage::model::{NewCommunity, NewStatus};
use hubbub_testkit::database::all_backends;
use serde_json::{Value, json};

async fn id_of<S>(app: &TestApp<S>, token: &str) -> AccountId
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    app.account_id(token).await.parse().unwrap()
}

async fn report<S>(
    app: &TestApp<S>,
    token: &str,
    account: &str,
    statuses: &[&str],
) -> crate::helpers::Reply
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    app.send_as(
        token,
        TestRequest::post().uri("/api/v1/reports").set_json(json!({
            "account_id": account, "status_ids": statuses, "comment": "rude", "category": "violation"
        })),
    )
    .await
}

/// A post in `community` written straight to the store (posting into communities
/// through the API is another part of the work).
async fn community_post<S>(
    app: &TestApp<S>,
    author: AccountId,
    community: CommunityId,
    text: &str,
) -> StatusId
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    let now = chrono::Utc::now();
    let id = StatusId(now.timestamp_micros());
    app.store
        .create_status(
            NewStatus {
                id,
                account_id: author,
                text: StatusText::parse(text, 500).unwrap(),
                in_reply_to_id: None,
                community_id: Some(community),
                created_at: now,
            },
            "{}".to_owned(),
        )
        .await
        .unwrap();
    id
}

async fn community<S>(app: &TestApp<S>, admin: AccountId, name: &str, private: bool) -> CommunityId
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    let id = CommunityId(chrono::Utc::now().timestamp_micros());
    app.store
        .create_community(NewCommunity {
            id,
            name: name.to_owned(),
            description: String::new(),
            private,
            helpdesk: false,
            created_by: admin,
            created_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    id
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn a_reported_post_is_removed_by_an_admin_with_a_reason_the_author_reads() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let alice = app.register("alice").await;
        let bob = app.register("bob").await;
        let bob_id = app.account_id(&bob).await;
        let post = app.post(&bob, "something rude").await;
        let root = admin(&app, "root").await;

        let filed = report(&app, &alice, &bob_id, &[&post]).await;
        assert_eq!(
            filed.status,
            StatusCode::OK,
            "[{}] {:?}",
            app.backend,
            filed.body
        );
        assert_eq!(filed.body["category"], "violation");
        assert_eq!(filed.body["comment"], "rude");
        assert_eq!(filed.body["action_taken"], false);
        assert_eq!(filed.body["status_ids"], json!([post]));
        assert_eq!(filed.body["target_account"]["id"], bob_id.as_str());
        let report_id = filed.body["id"].as_str().unwrap().to_owned();

        let member_queue = app
            .send_as(&alice, TestRequest::get().uri("/api/v1/admin/reports"))
            .await;
        assert_eq!(member_queue.status, StatusCode::FORBIDDEN);

        let queue = app
            .send_as(&root, TestRequest::get().uri("/api/v1/admin/reports"))
            .await;
        assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
        assert_eq!(ids(&queue.body), vec![report_id.clone()]);
        assert_eq!(queue.body[0]["account"]["username"], "alice");
        assert_eq!(queue.body[0]["target_account"]["username"], "bob");
        assert_eq!(queue.body[0]["statuses"][0]["id"], post.as_str());

        let blank = app
            .send_as(
                &root,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/statuses/{post}/remove"))
                    .set_json(json!({})),
            )
            .await;
        assert_eq!(
            blank.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a reason is required"
        );
        let removed = app
            .send_as(
                &root,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/statuses/{post}/remove"))
                    .set_json(json!({ "reason": "Personal attacks are not allowed", "report_id": report_id })),
            )
            .await;
        assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
        let gone = app
            .send_as(
                &alice,
                TestRequest::get().uri(&format!("/api/v1/statuses/{post}")),
            )
            .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        let events = app.store.unpublished_events(100).await.unwrap();
        assert!(
            events.iter().any(|e| e.body.kind() == "status_deleted"),
            "status.delete reaches the streams"
        );

        let warnings = app
            .send_as(&bob, TestRequest::get().uri("/api/v1/account_warnings"))
            .await;
        assert_eq!(warnings.status, StatusCode::OK);
        assert_eq!(warnings.body[0]["action"], "delete_statuses");
        assert_eq!(warnings.body[0]["text"], "Personal attacks are not allowed");
        assert_eq!(warnings.body[0]["status_ids"], json!([post]));

        let open = app
            .send_as(&root, TestRequest::get().uri("/api/v1/admin/reports"))
            .await;
        assert!(
            ids(&open.body).is_empty(),
            "the report was resolved by the action"
        );
        let resolved = app
            .send_as(
                &root,
                TestRequest::get().uri("/api/v1/admin/reports?resolved=true"),
            )
            .await;
        assert_eq!(resolved.body[0]["action_taken"], true);
        assert_eq!(
            resolved.body[0]["action_taken_by_account"]["username"],
            "root"
        );

        let reopened = app
            .send_as(
                &root,
                TestRequest::post().uri(&format!("/api/v1/admin/reports/{report_id}/reopen")),
            )
            .await;
        assert_eq!(reopened.status, StatusCode::OK);
        assert_eq!(reopened.body["action_taken"], false);

        let log = app
            .send_as(&root, TestRequest::get().uri("/api/v1/admin/audit_log"))
            .await;
        assert_eq!(log.status, StatusCode::OK);
        let actions: Vec<&str> = log
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, vec!["reopen_report", "remove_status"]);
        assert_eq!(log.body[1]["account"]["username"], "root");
        assert_eq!(log.body[1]["reason"], "Personal attacks are not allowed");
        assert_eq!(log.body[1]["target_status_id"], post.as_str());
        let member_log = app
            .send_as(&alice, TestRequest::get().uri("/api/v1/admin/audit_log"))
            .await;
        assert_eq!(member_log.status, StatusCode::FORBIDDEN);
    }
}

#[actix_web::test]
async fn a_suspended_account_loses_its_tokens_at_once_and_cannot_sign_in_until_unsuspended() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let bob = app.register("bob").await;
        let bob_id = app.account_id(&bob).await;
        let root = admin(&app, "root").await;
        let alice = app.register("alice").await;

        let by_member = app
            .send_as(
                &alice,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/accounts/{bob_id}/action"))
                    .set_form([("type", "suspend")]),
            )
            .await;
        assert_eq!(by_member.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.send_as(&bob, TestRequest::get().uri("/api/v1/timelines/home"))
                .await
                .status,
            StatusCode::OK
        );

        let unsupported = app
            .send_as(
                &root,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/accounts/{bob_id}/action"))
                    .set_form([("type", "silence")]),
            )
            .await;
        assert_eq!(unsupported.status, StatusCode::UNPROCESSABLE_ENTITY);
        let unknown = app
            .send_as(
                &root,
                TestRequest::post()
                    .uri("/api/v1/admin/accounts/12345/action")
                    .set_form([("type", "suspend")]),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        let suspended = app
            .send_as(
                &root,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/accounts/{bob_id}/action"))
                    .set_form([("type", "suspend"), ("text", "Spamming every community")]),
            )
            .await;
        assert_eq!(suspended.status, StatusCode::OK, "{:?}", suspended.body);
        let after = app
            .send_as(&bob, TestRequest::get().uri("/api/v1/timelines/home"))
            .await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED);
        let events = app.store.unpublished_events(100).await.unwrap();
        assert!(
            events.iter().any(|e| e.body.kind() == "token_revoked"),
            "open streams are told to end"
        );
        let sign_in = app
            .send(TestRequest::post().uri("/oauth/token").set_form([
                ("grant_type", "password"),
                ("username", "bob"),
                ("password", "correct horse battery"),
            ]))
            .await;
        assert_eq!(sign_in.body["error"], "invalid_grant");

        let unsuspended = app
            .send_as(
                &root,
                TestRequest::post().uri(&format!("/api/v1/admin/accounts/{bob_id}/unsuspend")),
            )
            .await;
        assert_eq!(unsuspended.status, StatusCode::OK);
        assert_eq!(unsuspended.body["suspended"], false);
        let again = app
            .send(TestRequest::post().uri("/oauth/token").set_form([
                ("grant_type", "password"),
                ("username", "bob"),
                ("password", "correct horse battery"),
            ]))
            .await;
        assert_eq!(again.status, StatusCode::OK);
        let old = app
            .send_as(&bob, TestRequest::get().uri("/api/v1/timelines/home"))
            .await;
        assert_eq!(
            old.status,
            StatusCode::UNAUTHORIZED,
            "old tokens stay revoked"
        );

        let root_id = app.account_id(&root).await;
        let myself = app
            .send_as(
                &root,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/accounts/{root_id}/action"))
                    .set_form([("type", "suspend")]),
            )
            .await;
        assert_eq!(myself.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[actix_web::test]
async fn bad_reports_are_refused_and_nothing_is_stored() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let alice = app.register("alice").await;
        let alice_id = app.account_id(&alice).await;
        let bob = app.register("bob").await;
        let bob_id = app.account_id(&bob).await;
        let carol = app.register("carol").await;
        let carol_id = id_of(&app, &carol).await;
        let secret = community(&app, carol_id, "Secret", true).await;
        let bob_uid: AccountId = bob_id.parse().unwrap();
        app.store
            .set_membership(
                secret,
                bob_uid,
                hubbub_storage::model::CommunityRole::Member,
                hubbub_storage::model::MembershipState::Active,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        let hidden = community_post(&app, bob_uid, secret, "members only").await;
        let alices_post = app.post(&alice, "mine").await;
        let root = admin(&app, "root").await;

        let unseen = report(&app, &alice, &bob_id, &[&hidden.to_string()]).await;
        assert_eq!(
            unseen.status,
            StatusCode::NOT_FOUND,
            "a post you may not see does not exist for you"
        );
        let not_bobs = report(&app, &bob, &alice_id, &[&hidden.to_string()]).await;
        assert_eq!(not_bobs.status, StatusCode::NOT_FOUND);
        let unknown = report(&app, &alice, "999999", &[]).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let myself = report(&app, &alice, &alice_id, &[&alices_post]).await;
        assert_eq!(myself.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad_category = app
            .send_as(
                &alice,
                TestRequest::post()
                    .uri("/api/v1/reports")
                    .set_json(json!({ "account_id": bob_id, "category": "boring" })),
            )
            .await;
        assert_eq!(bad_category.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&bad_category).contains("category"));

        let queue = app
            .send_as(&root, TestRequest::get().uri("/api/v1/admin/reports"))
            .await;
        assert!(
            ids(&queue.body).is_empty(),
            "[{}] nothing was stored: {:?}",
            app.backend,
            queue.body
        );
        let missing = app
            .send_as(&root, TestRequest::get().uri("/api/v1/admin/reports/4242"))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        let form = app
            .send_as(
                &carol,
                TestRequest::post()
                    .uri("/api/v1/reports")
                    .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
                    .set_payload(format!(
                        "account_id={bob_id}&status_ids%5B%5D={hidden}&comment=spam"
                    )),
            )
            .await;
        assert_eq!(
            form.status,
            StatusCode::OK,
            "Mastodon clients repeat status_ids[]: {:?}",
            form.body
        );
        assert_eq!(form.body["status_ids"], json!([hidden.to_string()]));
    }
}

#[actix_web::test]
async fn a_community_admin_moderates_their_community_and_nothing_else() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let carol = app.register("carol").await;
        let carol_id = id_of(&app, &carol).await;
        let carol_admin = app
            .send(TestRequest::post().uri("/oauth/token").set_form([
                ("grant_type", "password"),
                ("username", "carol"),
                ("password", "correct horse battery"),
                ("scope", "read write admin:read admin:write"),
            ]))
            .await
            .body["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let dave = app.register("dave").await;
        let dave_id = id_of(&app, &dave).await;
        let erin = app.register("erin").await;
        let garden = community(&app, carol_id, "Gardening", false).await;
        let in_garden = community_post(&app, dave_id, garden, "buy my pills").await;
        let outside = app.post(&dave, "also outside").await;

        let garden_report =
            report(&app, &erin, &dave_id.to_string(), &[&in_garden.to_string()]).await;
        assert_eq!(garden_report.status, StatusCode::OK);
        let garden_report_id = garden_report.body["id"].as_str().unwrap().to_owned();
        let other_report = report(&app, &erin, &dave_id.to_string(), &[&outside]).await;
        let other_report_id = other_report.body["id"].as_str().unwrap().to_owned();

        let queue = app
            .send_as(
                &carol_admin,
                TestRequest::get().uri("/api/v1/admin/reports"),
            )
            .await;
        assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
        assert_eq!(
            ids(&queue.body),
            vec![garden_report_id.clone()],
            "only her community's reports"
        );
        let hidden = app
            .send_as(
                &carol_admin,
                TestRequest::get().uri(&format!("/api/v1/admin/reports/{other_report_id}")),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);

        let outside_removal = app
            .send_as(
                &carol_admin,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/statuses/{outside}/remove"))
                    .set_json(json!({"reason": "no"})),
            )
            .await;
        assert_eq!(outside_removal.status, StatusCode::FORBIDDEN);
        let suspend = app
            .send_as(
                &carol_admin,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/accounts/{dave_id}/action"))
                    .set_json(json!({"type": "suspend", "report_id": garden_report_id})),
            )
            .await;
        assert_eq!(
            suspend.status,
            StatusCode::FORBIDDEN,
            "suspension is for instance admins"
        );
        assert_eq!(
            app.send_as(&dave, TestRequest::get().uri("/api/v1/timelines/home"))
                .await
                .status,
            StatusCode::OK
        );

        let removed = app
            .send_as(
                &carol_admin,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/statuses/{in_garden}/remove"))
                    .set_json(json!({"reason": "No advertising in Gardening"})),
            )
            .await;
        assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
        let warned = app
            .send_as(
                &carol_admin,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/accounts/{dave_id}/action"))
                    .set_json(json!({"type": "none", "report_id": garden_report_id, "text": "Second time"})),
            )
            .await;
        assert_eq!(warned.status, StatusCode::OK, "{:?}", warned.body);
        let log = app
            .send_as(
                &carol_admin,
                TestRequest::get().uri("/api/v1/admin/audit_log"),
            )
            .await;
        let actions: Vec<&str> = log
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, vec!["warn", "remove_status"]);
        let notices = app
            .send_as(&dave, TestRequest::get().uri("/api/v1/account_warnings"))
            .await;
        assert_eq!(notices.body.as_array().unwrap().len(), 2);
        assert_eq!(notices.body[0]["text"], "Second time");
    }
}
