//! Profiles: editing, avatars, followers and following, relationships, counts,
//! the directory and departments.

use crate::fixtures::{EXIF_SECRET, Part, contains, files_in, jpeg_with_exif, multipart};
use crate::helpers::{error_of, start};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_testkit::database::all_backends;
use serde_json::json;

fn edit() -> TestRequest {
    TestRequest::patch().uri("/api/v1/accounts/update_credentials")
}

#[actix_web::test]
async fn a_profile_edit_shows_on_the_account_with_the_bio_as_safe_html() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let boss = app.register("boss").await;
        let boss_id = app.account_id(&boss).await;

        let reply = app
            .send_as(
                &ada,
                edit().set_form([
                    ("display_name", "Ada L."),
                    ("note", "<b>VPN</b> person, see https://wiki.example/ada"),
                    ("department", "IT Operations"),
                    ("job_title", "Network engineer"),
                    ("location", "Leeds"),
                    ("manager_id", boss_id.as_str()),
                    ("locked", "false"),
                ]),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "[{}] {:?}",
            app.backend,
            reply.body
        );
        assert_eq!(reply.body["display_name"], "Ada L.");
        assert_eq!(
            reply.body["source"]["note"],
            "<b>VPN</b> person, see https://wiki.example/ada"
        );
        let note = reply.body["note"].as_str().unwrap();
        assert!(note.contains("&lt;b&gt;VPN&lt;/b&gt;"), "{note}");
        assert!(
            note.contains("<a href=\"https://wiki.example/ada\""),
            "{note}"
        );
        assert_eq!(reply.body["fields"], json!([]));

        let id = app.account_id(&ada).await;
        let profile = app
            .send(TestRequest::get().uri(&format!("/api/v1/accounts/{id}")))
            .await;
        assert_eq!(
            profile.body["hubbub"],
            json!({
                "department": "IT Operations",
                "job_title": "Network engineer",
                "location": "Leeds",
                "manager_id": boss_id,
            })
        );

        // Blank clears an optional field; absent fields stay.
        let cleared = app
            .send_as(
                &ada,
                edit().set_json(json!({ "location": "", "manager_id": "" })),
            )
            .await;
        assert_eq!(cleared.status, StatusCode::OK, "{:?}", cleared.body);
        assert_eq!(cleared.body["hubbub"]["location"], json!(null));
        assert_eq!(cleared.body["hubbub"]["manager_id"], json!(null));
        assert_eq!(cleared.body["hubbub"]["department"], "IT Operations");
        assert_eq!(cleared.body["display_name"], "Ada L.");
    }
}

#[actix_web::test]
async fn an_over_long_bio_is_refused_naming_note_and_nothing_changes() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let long = "x".repeat(501);
        let reply = app
            .send_as(
                &ada,
                edit().set_form([("display_name", "Changed"), ("note", long.as_str())]),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            reply.body
        );
        assert_eq!(reply.body["details"]["note"][0]["error"], "ERR_TOO_LONG");
        assert!(error_of(&reply).contains("note"));
        let me = app
            .send_as(
                &ada,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(me.body["display_name"], "ada");
        assert_eq!(me.body["source"]["note"], "");
    }
}

#[actix_web::test]
async fn a_manager_must_exist_must_not_be_you_and_must_not_report_to_you() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let cy = app.register("cy").await;
        let (ada_id, bob_id) = (app.account_id(&ada).await, app.account_id(&bob).await);
        // bob reports to ada, cy reports to bob.
        let set = |token: &str, manager: &str| {
            let request = edit().set_form([("manager_id", manager.to_owned())]);
            (token.to_owned(), request)
        };
        let (token, request) = set(&bob, &ada_id);
        assert_eq!(app.send_as(&token, request).await.status, StatusCode::OK);
        let (token, request) = set(&cy, &bob_id);
        assert_eq!(app.send_as(&token, request).await.status, StatusCode::OK);
        let cy_id = app.account_id(&cy).await;

        for (manager, expected) in [
            (cy_id.as_str(), "loop"),
            (ada_id.as_str(), "yourself"),
            ("424242", "no account"),
            ("abc", "valid id"),
        ] {
            let reply = app
                .send_as(&ada, edit().set_form([("manager_id", manager)]))
                .await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{}] {manager}: {:?}",
                app.backend,
                reply.body
            );
            assert!(
                reply.body["details"]["manager_id"][0]["description"]
                    .as_str()
                    .unwrap()
                    .contains(expected),
                "{:?}",
                reply.body
            );
        }
        let me = app
            .send_as(
                &ada,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(me.body["hubbub"]["manager_id"], json!(null));
    }
}

#[actix_web::test]
async fn an_avatar_is_resized_served_as_an_image_and_stripped_of_exif() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let photo = jpeg_with_exif(900, 600);
        assert!(contains(&photo, EXIF_SECRET));
        let reply = app
            .send_as(
                &ada,
                multipart(
                    edit(),
                    &[
                        Part::Text("display_name", "Ada"),
                        Part::File("avatar", "me.png", "image/png", &photo),
                    ],
                ),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "[{}] {:?}",
            app.backend,
            reply.body
        );
        assert_eq!(reply.body["display_name"], "Ada");
        let avatar = reply.body["avatar"].as_str().unwrap().to_owned();
        let small = reply.body["avatar_static"].as_str().unwrap().to_owned();
        assert!(avatar.contains("/media/avatars/"), "{avatar}");

        let (status, headers, bytes) = app.fetch(&avatar).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers.get("content-type").unwrap(), "image/jpeg");
        assert!(
            headers
                .get("cache-control")
                .unwrap()
                .to_str()
                .unwrap()
                .contains("max-age=31536000")
        );
        assert!(!contains(&bytes, EXIF_SECRET), "EXIF must be stripped");
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (400, 400));
        let (_, _, small_bytes) = app.fetch(&small).await;
        let decoded = image::load_from_memory(&small_bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (120, 120));

        // A new avatar replaces the old files.
        let again = app
            .send_as(
                &ada,
                multipart(
                    edit(),
                    &[Part::File("avatar", "b.jpg", "image/jpeg", &photo)],
                ),
            )
            .await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(app.fetch(&avatar).await.0, StatusCode::NOT_FOUND);
        assert_eq!(files_in(&app.media_dir).len(), 2);
    }
}

#[actix_web::test]
async fn a_bad_avatar_is_refused_and_leaves_no_file_and_no_change() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let reply = app
            .send_as(
                &ada,
                multipart(
                    edit(),
                    &[
                        Part::Text("display_name", "Changed"),
                        Part::File("avatar", "me.jpg", "image/jpeg", b"<?php echo 1; ?>"),
                    ],
                ),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            reply.body
        );
        assert!(error_of(&reply).contains("avatar"), "{:?}", reply.body);
        // A valid avatar with an invalid field: the files are written, then removed.
        let photo = jpeg_with_exif(100, 100);
        let refused = app
            .send_as(
                &ada,
                multipart(
                    edit(),
                    &[
                        Part::Text("manager_id", "424242"),
                        Part::File("avatar", "me.jpg", "image/jpeg", &photo),
                    ],
                ),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            files_in(&app.media_dir).is_empty(),
            "{:?}",
            files_in(&app.media_dir)
        );
        let me = app
            .send_as(
                &ada,
                TestRequest::get().uri("/api/v1/accounts/verify_credentials"),
            )
            .await;
        assert_eq!(me.body["display_name"], "ada");
        assert!(me.body["avatar"].as_str().unwrap().ends_with("missing.png"));
    }
}

#[actix_web::test]
async fn followers_and_following_page_with_link_headers() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let star = app.register("star").await;
        let star_id = app.account_id(&star).await;
        let mut fans = Vec::new();
        for name in ["fan1", "fan2", "fan3"] {
            let token = app.register(name).await;
            let reply = app
                .send_as(
                    &token,
                    TestRequest::post().uri(&format!("/api/v1/accounts/{star_id}/follow")),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK);
            fans.push(app.account_id(&token).await);
        }
        let first = app
            .send(TestRequest::get().uri(&format!("/api/v1/accounts/{star_id}/followers?limit=2")))
            .await;
        assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
        let names: Vec<&str> = first
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["username"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["fan3", "fan2"]);
        assert_eq!(
            first.body[0]["following_count"], 1,
            "counts come with the page"
        );
        let link = first
            .headers
            .get("link")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let next = link.split(['<', '>']).nth(1).unwrap();
        let path = &next[next.find("/api").unwrap()..];
        let second = app.send(TestRequest::get().uri(path)).await;
        let names: Vec<&str> = second
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["username"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["fan1"]);

        let following = app
            .send(TestRequest::get().uri(&format!("/api/v1/accounts/{}/following", fans[0])))
            .await;
        assert_eq!(following.body.as_array().unwrap().len(), 1);
        assert_eq!(following.body[0]["id"], star_id.as_str());
        assert_eq!(following.body[0]["followers_count"], 3);

        let missing = app
            .send(TestRequest::get().uri("/api/v1/accounts/999/followers"))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
}

#[actix_web::test]
async fn relationships_for_many_ids_come_back_in_request_order() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let mut ids = Vec::new();
        for name in ["b1", "b2", "b3"] {
            let token = app.register(name).await;
            ids.push(app.account_id(&token).await);
            if name == "b3" {
                let ada_id = app.account_id(&ada).await;
                app.send_as(
                    &token,
                    TestRequest::post().uri(&format!("/api/v1/accounts/{ada_id}/follow")),
                )
                .await;
            }
        }
        app.send_as(
            &ada,
            TestRequest::post().uri(&format!("/api/v1/accounts/{}/follow", ids[1])),
        )
        .await;
        let reply = app
            .send_as(
                &ada,
                TestRequest::get().uri(&format!(
                    "/api/v1/accounts/relationships?id[]={}&id[]=77&id[]={}&id[]={}",
                    ids[2], ids[1], ids[0]
                )),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let got: Vec<(String, bool, bool)> = reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_owned(),
                    r["following"].as_bool().unwrap(),
                    r["followed_by"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (ids[2].clone(), false, true),
                (ids[1].clone(), true, false),
                (ids[0].clone(), false, false),
            ]
        );
    }
}

#[actix_web::test]
async fn accounts_embedded_in_timelines_carry_their_real_counts() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        app.post(&ada, "one").await;
        app.post(&ada, "two").await;
        let timeline = app
            .send_as(&ada, TestRequest::get().uri("/api/v1/timelines/home"))
            .await;
        assert_eq!(timeline.body[0]["account"]["statuses_count"], 2);
        let id = timeline.body[0]["id"].as_str().unwrap();
        let one = app
            .send(TestRequest::get().uri(&format!("/api/v1/statuses/{id}")))
            .await;
        assert_eq!(one.body["account"]["statuses_count"], 2);
    }
}

#[actix_web::test]
async fn the_directory_filters_by_department_and_lists_departments_with_counts() {
    for backend in all_backends() {
        let app = start(&backend).await;
        for (name, department) in [
            ("ann", "IT"),
            ("ben", "it"),
            ("cat", "Finance"),
            ("dan", ""),
        ] {
            let token = app.register(name).await;
            let reply = app
                .send_as(&token, edit().set_form([("department", department)]))
                .await;
            assert_eq!(reply.status, StatusCode::OK);
            if name == "cat" {
                app.post(&token, "the most recent poster").await;
            }
        }
        let it = app
            .send(TestRequest::get().uri("/api/v1/directory?department=IT&order=new"))
            .await;
        assert_eq!(it.status, StatusCode::OK, "{:?}", it.body);
        let names: Vec<&str> = it
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["username"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["ben", "ann"], "ignoring case, newest first");

        let active = app
            .send(TestRequest::get().uri("/api/v1/directory?order=active&limit=2&local=true"))
            .await;
        assert_eq!(active.body[0]["username"], "cat");
        assert_eq!(active.body[0]["statuses_count"], 1);
        assert_eq!(active.body.as_array().unwrap().len(), 2);
        let offset = app
            .send(TestRequest::get().uri("/api/v1/directory?order=new&offset=3"))
            .await;
        assert_eq!(offset.body.as_array().unwrap().len(), 1);
        assert_eq!(offset.body[0]["username"], "ann");

        let bad = app
            .send(TestRequest::get().uri("/api/v1/directory?order=oldest"))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&bad).contains("order"));

        let departments = app
            .send(TestRequest::get().uri("/api/v1/hubbub/departments"))
            .await;
        assert_eq!(departments.status, StatusCode::OK);
        assert_eq!(
            departments.body,
            json!([
                { "name": "Finance", "accounts_count": 1 },
                { "name": "IT", "accounts_count": 2 },
            ])
        );
    }
}
