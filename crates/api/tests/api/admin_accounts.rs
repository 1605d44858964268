//! The admin API for people: create, reset passwords, import an org directory,
//! export one person or the whole network; admins only, each action logged.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must stop the test with its message"
)]

use crate::fixtures::{Part, multipart, png};
use crate::helpers::{Reply, TestApp, admin, start};
use actix_http::Request;
use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_testkit::database::all_backends;
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn create<S>(app: &TestApp<S>, token: &str, body: Value) -> Reply
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    app.send_as(
        token,
        TestRequest::post()
            .uri("/api/v1/admin/accounts")
            .set_json(body),
    )
    .await
}

/// Signs in with the password grant; the reply carries the token or the refusal.
async fn sign_in<S>(app: &TestApp<S>, username: &str, password: &str, scope: &str) -> Reply
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    app.send(TestRequest::post().uri("/oauth/token").set_form([
        ("grant_type", "password"),
        ("username", username),
        ("password", password),
        ("scope", scope),
    ]))
    .await
}

async fn import<S>(app: &TestApp<S>, token: &str, csv: &str) -> Reply
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    app.send_as(
        token,
        TestRequest::post()
            .uri("/api/v1/admin/accounts/import")
            .insert_header(("Content-Type", "text/csv"))
            .set_payload(csv.to_owned()),
    )
    .await
}

/// One string field of every item a list endpoint answers.
async fn listed<S>(app: &TestApp<S>, token: &str, uri: &str, field: &str) -> Vec<String>
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    let list = app.send_as(token, TestRequest::get().uri(uri)).await;
    list.body
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

async fn audit_actions<S>(app: &TestApp<S>, token: &str) -> Vec<String>
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    listed(app, token, "/api/v1/admin/audit_log", "action").await
}

async fn usernames<S>(app: &TestApp<S>, token: &str) -> Vec<String>
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    listed(app, token, "/api/v1/admin/accounts", "username").await
}

/// The fields a 422 names in its `details`.
fn fields(reply: &Reply) -> Vec<String> {
    reply.body["details"]
        .as_object()
        .map(|details| details.keys().cloned().collect())
        .unwrap_or_default()
}

#[actix_web::test]
async fn an_admin_creates_an_account_whose_generated_password_signs_in() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let root = admin(&app, "root").await;

        let reply = create(
            &app,
            &root,
            json!({"username": "dana", "email": "Dana@Corp.example", "display_name": "Dana Scully", "role": "support"}),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "[{}] {:?}",
            app.backend,
            reply.body
        );
        assert_eq!(reply.body["account"]["username"], "dana");
        assert_eq!(reply.body["account"]["email"], "dana@corp.example");
        assert_eq!(reply.body["account"]["role"]["name"], "support");
        assert_eq!(
            reply.body["account"]["account"]["display_name"],
            "Dana Scully"
        );
        let password = reply.body["password"].as_str().unwrap().to_owned();
        assert_eq!(password.len(), 16);
        let signed_in = sign_in(&app, "dana", &password, "read").await;
        assert_eq!(signed_in.status, StatusCode::OK, "{:?}", signed_in.body);

        // A chosen password is used and not echoed back.
        let chosen = create(
            &app,
            &root,
            json!({"username": "eli", "email": "eli@corp.example", "password": "correct horse battery"}),
        )
        .await;
        assert_eq!(chosen.status, StatusCode::OK, "{:?}", chosen.body);
        assert!(chosen.body.get("password").is_none(), "{:?}", chosen.body);
        assert_eq!(chosen.body["account"]["role"]["name"], "member");
        let eli = sign_in(&app, "eli", "correct horse battery", "read").await;
        assert_eq!(eli.status, StatusCode::OK);

        let actions = audit_actions(&app, &root).await;
        assert_eq!(actions, ["create_account", "create_account"]);

        // A role change is logged too, naming the person and the new role.
        let eli_id = chosen.body["account"]["id"].as_str().unwrap().to_owned();
        let promoted = app
            .send_as(
                &root,
                TestRequest::post()
                    .uri(&format!("/api/v1/admin/accounts/{eli_id}/role"))
                    .set_json(json!({"role": "manager"})),
            )
            .await;
        assert_eq!(promoted.status, StatusCode::OK, "{:?}", promoted.body);
        let log = app
            .send_as(&root, TestRequest::get().uri("/api/v1/admin/audit_log"))
            .await;
        let newest = &log.body[0];
        assert_eq!(
            newest["action"], "set_role",
            "[{}] {:?}",
            app.backend, log.body
        );
        assert_eq!(newest["target_account_id"], eli_id.as_str());
        assert_eq!(newest["reason"], "manager");
    }
}

#[actix_web::test]
async fn a_bad_or_taken_field_is_named_and_no_account_is_written() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let root = admin(&app, "root").await;
        app.register("taken").await;
        let good = json!({"username": "fresh", "email": "fresh@corp.example"});
        let cases = [
            (
                "username",
                json!({"username": "Taken", "email": "new@corp.example"}),
            ),
            (
                "email",
                json!({"username": "fresh", "email": "taken@example.com"}),
            ),
            (
                "username",
                json!({"username": "no spaces", "email": "a@corp.example"}),
            ),
            (
                "email",
                json!({"username": "fresh", "email": "not-an-email"}),
            ),
            (
                "password",
                json!({"username": "fresh", "email": "fresh@corp.example", "password": "short"}),
            ),
            (
                "role",
                json!({"username": "fresh", "email": "fresh@corp.example", "role": "wizard"}),
            ),
        ];
        for (field, body) in cases {
            let reply = create(&app, &root, body.clone()).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{}] {body}: {:?}",
                app.backend,
                reply.body
            );
            assert_eq!(fields(&reply), [field], "{body}: {:?}", reply.body);
        }
        assert_eq!(usernames(&app, &root).await, ["taken", "root"]);
        assert!(audit_actions(&app, &root).await.is_empty());
        // Every problem at once.
        let all = create(
            &app,
            &root,
            json!({"username": "", "email": "", "password": "x", "role": "boss"}),
        )
        .await;
        assert_eq!(fields(&all), ["email", "password", "role", "username"]);
        let created = create(&app, &root, good).await;
        assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    }
}

#[actix_web::test]
async fn people_who_are_not_admins_get_403_from_every_account_endpoint() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let root = admin(&app, "root").await;
        let worker = app.register("worker").await;
        let worker_id = app.account_id(&worker).await;
        // Asking for admin scopes does not make a member an admin.
        let scoped = sign_in(
            &app,
            "worker",
            "correct horse battery",
            "read write admin:read admin:write",
        )
        .await;
        let scoped = scoped.body["access_token"].as_str().unwrap().to_owned();
        for token in [&worker, &scoped] {
            let requests = [
                TestRequest::post()
                    .uri("/api/v1/admin/accounts")
                    .set_json(json!({"username": "sneaky", "email": "sneaky@corp.example"})),
                TestRequest::post()
                    .uri(&format!(
                        "/api/v1/admin/accounts/{worker_id}/reset_password"
                    ))
                    .set_json(json!({})),
                TestRequest::post()
                    .uri("/api/v1/admin/accounts/import")
                    .insert_header(("Content-Type", "text/csv"))
                    .set_payload("name,email\nSneaky,sneaky@corp.example\n"),
                TestRequest::get().uri(&format!("/api/v1/admin/accounts/{worker_id}/export")),
                TestRequest::get().uri("/api/v1/admin/export"),
            ];
            for request in requests {
                let reply = app.send_as(token, request).await;
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "[{}] {:?}",
                    app.backend,
                    reply.body
                );
            }
        }
        assert_eq!(usernames(&app, &root).await, ["worker", "root"]);
        assert!(audit_actions(&app, &root).await.is_empty());
    }
}

#[actix_web::test]
async fn a_password_reset_signs_the_person_out_and_hands_over_a_working_password() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let root = admin(&app, "root").await;
        let bob = app.register("bob").await;
        let bob_id = app.account_id(&bob).await;
        let path = format!("/api/v1/admin/accounts/{bob_id}/reset_password");

        let short = app
            .send_as(
                &root,
                TestRequest::post()
                    .uri(&path)
                    .set_json(json!({"password": "short"})),
            )
            .await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&short), ["password"]);
        let still = app
            .send_as(
                &bob,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(
            still.status,
            StatusCode::OK,
            "a refused reset signs nobody out"
        );

        let reply = app.send_as(&root, TestRequest::post().uri(&path)).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "[{}] {:?}",
            app.backend,
            reply.body
        );
        assert_eq!(reply.body["account"]["username"], "bob");
        let password = reply.body["password"].as_str().unwrap().to_owned();
        let old_token = app
            .send_as(
                &bob,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(old_token.status, StatusCode::UNAUTHORIZED);
        let old_password = sign_in(&app, "bob", "correct horse battery", "read").await;
        assert_ne!(old_password.status, StatusCode::OK);
        let new_password = sign_in(&app, "bob", &password, "read").await;
        assert_eq!(
            new_password.status,
            StatusCode::OK,
            "{:?}",
            new_password.body
        );

        let missing = app
            .send_as(
                &root,
                TestRequest::post().uri("/api/v1/admin/accounts/4242/reset_password"),
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(audit_actions(&app, &root).await, ["reset_password"]);
    }
}

#[actix_web::test]
async fn an_org_directory_imports_all_or_nothing_and_a_bad_row_is_named_by_line() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let root = admin(&app, "root").await;
        let good = "name,email,department,title,manager_email\n\
                    Dana Report,dana@corp.example,IT,Analyst,cleo@corp.example\n\
                    Cleo Boss,cleo@corp.example,IT,Head of IT,\n";
        let first = import(&app, &root, good).await;
        assert_eq!(
            first.status,
            StatusCode::OK,
            "[{}] {:?}",
            app.backend,
            first.body
        );
        assert_eq!(first.body, json!({"created": 2, "updated": 0}));
        let again = import(&app, &root, good).await;
        assert_eq!(again.body, json!({"created": 0, "updated": 2}));
        let dana = app
            .store
            .account_by_login("dana@corp.example")
            .await
            .unwrap()
            .unwrap();
        let cleo = app
            .store
            .account_by_login("cleo@corp.example")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(dana.manager_id, Some(cleo.id));
        assert_eq!(dana.job_title.as_deref(), Some("Analyst"));

        let bad = [
            (
                "name,email,department,title,manager_email\n\
                 Eve New,eve@corp.example,IT,Analyst,\n\
                 Finn New,finn@corp.example,IT,Analyst,ghost@corp.example\n",
                "line 3",
            ),
            (
                "name,email\nEve New,eve@corp.example\nFinn New,not-an-email\n",
                "line 3",
            ),
            (
                "name,email\nEve New,eve@corp.example\nEve Again,EVE@corp.example\n",
                "line 3",
            ),
            ("who,what\nEve,eve@corp.example\n", "line 1"),
            ("name,email\n", "line 2"),
        ];
        for (csv, line) in bad {
            let reply = import(&app, &root, csv).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{csv}: {:?}",
                reply.body
            );
            assert_eq!(fields(&reply), ["csv"]);
            let message = reply.body["details"]["csv"][0]["description"]
                .as_str()
                .unwrap();
            assert!(message.contains(line), "{csv}: {message}");
        }
        assert!(
            app.store
                .account_by_login("eve@corp.example")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            audit_actions(&app, &root).await,
            ["import_accounts", "import_accounts"]
        );
    }
}

#[actix_web::test]
async fn exports_hold_everything_a_person_did_and_no_secret() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let root = admin(&app, "root").await;
        let ada = app.register("ada").await;
        let ada_id = app.account_id(&ada).await;
        let bob = app.register("bob").await;
        let bobs_post = app.post(&bob, "Lunch at noon?").await;
        let question = app.post(&ada, "My VPN will not connect #helpdesk").await;
        let edited = app.post(&ada, "Frist post").await;
        let steps = [
            TestRequest::put()
                .uri(&format!("/api/v1/statuses/{edited}"))
                .set_json(json!({"status": "First post"})),
            TestRequest::post().uri(&format!("/api/v1/statuses/{bobs_post}/favourite")),
            TestRequest::put().uri(&format!("/api/v1/statuses/{bobs_post}/reactions/celebrate")),
            TestRequest::post().uri(&format!("/api/v1/statuses/{bobs_post}/bookmark")),
            TestRequest::post().uri(&format!("/api/v1/statuses/{bobs_post}/follow_thread")),
            TestRequest::post().uri("/api/v1/tags/laptops/follow"),
            TestRequest::post()
                .uri("/api/v1/markers")
                .set_json(json!({"home": {"last_read_id": bobs_post}})),
            TestRequest::put()
                .uri("/api/v1/hubbub/email_preferences")
                .set_json(json!({"notifications": {"reply": false}})),
            multipart(
                TestRequest::post().uri("/api/v2/media"),
                &[
                    Part::Text("description", "the error dialog"),
                    Part::File("file", "shot.png", "image/png", &png(40, 30)),
                ],
            ),
        ];
        for step in steps {
            let reply = app.send_as(&ada, step).await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "[{}] {:?}",
                app.backend,
                reply.body
            );
        }
        // Bob favourites Ada's question: she gets a notification.
        let favourite = app
            .send_as(
                &bob,
                TestRequest::post().uri(&format!("/api/v1/statuses/{question}/favourite")),
            )
            .await;
        assert_eq!(favourite.status, StatusCode::OK);

        let (status, headers, body) = app
            .send_raw(
                TestRequest::get()
                    .uri(&format!("/api/v1/admin/accounts/{ada_id}/export"))
                    .insert_header(("Authorization", format!("Bearer {root}"))),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers
                .get("content-disposition")
                .unwrap()
                .to_str()
                .unwrap()
                .contains("hubbub-ada.json")
        );
        let export: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(export["account"]["username"], "ada");
        assert_eq!(export["post_edits"][0]["text"], "Frist post");
        assert_eq!(export["favourites"][0]["status_id"], bobs_post.as_str());
        assert_eq!(export["reactions"][0]["name"], "celebrate");
        assert_eq!(export["bookmarks"][0]["status_id"], bobs_post.as_str());
        assert_eq!(export["markers"][0]["timeline"], "home");
        assert_eq!(export["notifications"][0]["kind"], "favourite");
        assert_eq!(export["topic_follows"][0]["name"], "laptops");
        assert_eq!(export["media"][0]["description"], "the error dialog");
        assert_eq!(export["helpdesk_tickets"][0]["id"], question.as_str());
        assert!(
            export["email_preferences"]["disabled_kinds"]
                .as_str()
                .unwrap()
                .contains("reply")
        );
        let threads: Vec<&str> = export["thread_follows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|follow| follow["thread_id"].as_str().unwrap())
            .collect();
        assert!(threads.contains(&bobs_post.as_str()), "{threads:?}");
        let text = String::from_utf8_lossy(&body);
        for secret in [
            "password_hash",
            "unsubscribe_token",
            "file_key",
            "argon2",
            ada.as_str(),
        ] {
            assert!(!text.contains(secret), "the export holds {secret}");
        }

        let (status, headers, body) = app
            .send_raw(
                TestRequest::get()
                    .uri("/api/v1/admin/export")
                    .insert_header(("Authorization", format!("Bearer {root}"))),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers.get("content-type").unwrap(), "application/x-ndjson");
        let text = String::from_utf8(body.to_vec()).unwrap();
        let types: BTreeSet<String> = text
            .lines()
            .map(|line| {
                serde_json::from_str::<Value>(line).unwrap()["type"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        for wanted in [
            "account",
            "status",
            "status_edit",
            "media_attachment",
            "favourite",
            "reaction",
            "bookmark",
            "notification",
            "marker",
            "thread_follow",
            "topic_follow",
            "helpdesk_ticket",
            "helpdesk_ticket_event",
            "email_preferences",
        ] {
            assert!(
                types.contains(wanted),
                "[{}] no {wanted} in {types:?}",
                app.backend
            );
        }
        for secret in [
            "password_hash",
            "unsubscribe_token",
            "argon2",
            ada.as_str(),
            root.as_str(),
        ] {
            assert!(!text.contains(secret), "the network export holds {secret}");
        }
        assert_eq!(
            audit_actions(&app, &root).await,
            ["export_all", "export_account"]
        );
        let missing = app
            .send_as(
                &root,
                TestRequest::get().uri("/api/v1/admin/accounts/4242/export"),
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
}
