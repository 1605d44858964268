//! Media: uploads, limits, descriptions, attaching to posts, serving files.

use crate::fixtures::{Part, files_in, jpeg, multipart, png};
use crate::helpers::{MAX_UPLOAD, error_of, start};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_testkit::database::all_backends;
use serde_json::json;

fn upload(bytes: &[u8], description: &str) -> TestRequest {
    multipart(
        TestRequest::post().uri("/api/v2/media"),
        &[
            Part::Text("description", description),
            Part::File("file", "shot.png", "image/png", bytes),
        ],
    )
}

#[actix_web::test]
async fn an_uploaded_image_gets_a_preview_and_is_attached_to_a_post() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let reply = app
            .send_as(&ada, upload(&png(1280, 400), "The VPN error dialog"))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "[{}] {:?}",
            app.backend,
            reply.body
        );
        assert_eq!(reply.body["type"], "image");
        assert_eq!(reply.body["description"], "The VPN error dialog");
        assert_eq!(reply.body["meta"]["original"]["width"], 1280);
        assert_eq!(reply.body["meta"]["small"]["width"], 640);
        assert_eq!(reply.body["meta"]["small"]["height"], 200);
        let media_id = reply.body["id"].as_str().unwrap().to_owned();

        let (status, headers, bytes) = app.fetch(reply.body["preview_url"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers.get("content-type").unwrap(), "image/png");
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 640);

        // v1 works too, and the description can change before posting.
        let second = app
            .send_as(
                &ada,
                multipart(
                    TestRequest::post().uri("/api/v1/media"),
                    &[Part::File("file", "p.jpg", "image/jpeg", &jpeg(50, 40))],
                ),
            )
            .await;
        assert_eq!(second.status, StatusCode::OK, "{:?}", second.body);
        let second_id = second.body["id"].as_str().unwrap().to_owned();
        let described = app
            .send_as(
                &ada,
                TestRequest::put()
                    .uri(&format!("/api/v1/media/{second_id}"))
                    .set_json(json!({ "description": "a small photo" })),
            )
            .await;
        assert_eq!(described.body["description"], "a small photo");

        let post = app
            .send_as(
                &ada,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
                    .set_payload(format!(
                        "status=Look&media_ids%5B%5D={media_id}&media_ids[]={second_id}"
                    )),
            )
            .await;
        assert_eq!(post.status, StatusCode::OK, "{:?}", post.body);
        let attached: Vec<&str> = post.body["media_attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert_eq!(attached, [media_id.as_str(), second_id.as_str()]);

        let timeline = app
            .send_as(&ada, TestRequest::get().uri("/api/v1/timelines/home"))
            .await;
        assert_eq!(
            timeline.body[0]["media_attachments"][1]["description"],
            "a small photo"
        );
        let status_id = post.body["id"].as_str().unwrap();
        let shown = app
            .send(TestRequest::get().uri(&format!("/api/v1/statuses/{status_id}")))
            .await;
        assert_eq!(shown.body["media_attachments"].as_array().unwrap().len(), 2);

        // Attached media can no longer be read or changed through /api/v1/media,
        // nor attached again.
        let gone = app
            .send_as(
                &ada,
                TestRequest::get().uri(&format!("/api/v1/media/{media_id}")),
            )
            .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        let again = app
            .send_as(
                &ada,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_json(json!({ "status": "again", "media_ids": [media_id] })),
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[actix_web::test]
async fn an_upload_over_the_size_limit_is_refused_with_413_and_leaves_no_file() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let mut big = jpeg(16, 16);
        big.resize(MAX_UPLOAD + 1, 0);
        let reply = app.send_as(&ada, upload(&big, "")).await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{:?}",
            reply.body
        );
        assert!(error_of(&reply).contains("file"), "{:?}", reply.body);
        assert!(error_of(&reply).contains(&MAX_UPLOAD.to_string()));
        assert!(files_in(&app.media_dir).is_empty());
    }
}

#[actix_web::test]
async fn files_that_are_not_images_or_too_large_in_pixels_are_refused_with_422() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"%PDF-1.7 not an image".to_vec(), "supported image"),
            (
                b"GIF89a\x02\x00\x02\x00\x00\x00\x00".to_vec(),
                "could not be read",
            ),
            (png(2100, 2000), "pixels"),
        ];
        for (bytes, expected) in cases {
            let reply = app.send_as(&ada, upload(&bytes, "")).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{:?}",
                reply.body
            );
            assert_eq!(reply.body["details"]["file"][0]["error"], "ERR_INVALID");
            assert!(error_of(&reply).contains(expected), "{:?}", reply.body);
        }
        let missing = app
            .send_as(
                &ada,
                multipart(
                    TestRequest::post().uri("/api/v2/media"),
                    &[Part::Text("description", "no file")],
                ),
            )
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&missing).contains("file"));
        let long = "d".repeat(1501);
        let too_long = app.send_as(&ada, upload(&jpeg(8, 8), &long)).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&too_long).contains("description"));
        assert!(files_in(&app.media_dir).is_empty());
    }
}

/// The ids of a Status entity's attachments; `None` if it has no such list.
fn attached_ids(body: &serde_json::Value) -> Option<Vec<String>> {
    body["media_attachments"]
        .as_array()?
        .iter()
        .map(|m| m["id"].as_str().map(str::to_owned))
        .collect()
}

#[actix_web::test]
async fn an_edit_replaces_the_attachments_and_refuses_uploads_that_are_not_the_authors() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let eve = app.register("eve").await;
        let mut uploads = Vec::new();
        for name in ["first", "second"] {
            let reply = app.send_as(&ada, upload(&png(40, 30), name)).await;
            uploads.push(reply.body["id"].as_str().unwrap().to_owned());
        }
        let eves = app.send_as(&eve, upload(&png(40, 30), "eve's")).await;
        let eves = eves.body["id"].as_str().unwrap().to_owned();
        let post = app
            .send_as(
                &ada,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_json(json!({ "status": "v1", "media_ids": [uploads[0]] })),
            )
            .await;
        let id = post.body["id"].as_str().unwrap().to_owned();
        let edit = |body: serde_json::Value| {
            TestRequest::put()
                .uri(&format!("/api/v1/statuses/{id}"))
                .set_json(body)
        };

        // Swap the first image for the second.
        let swapped = app
            .send_as(
                &ada,
                edit(json!({ "status": "v2", "media_ids": [uploads[1]] })),
            )
            .await;
        assert_eq!(
            swapped.status,
            StatusCode::OK,
            "[{}] {:?}",
            app.backend,
            swapped.body
        );
        assert_eq!(attached_ids(&swapped.body), Some(vec![uploads[1].clone()]));
        let shown = app
            .send(TestRequest::get().uri(&format!("/api/v1/statuses/{id}")))
            .await;
        assert_eq!(attached_ids(&shown.body), Some(vec![uploads[1].clone()]));
        // The one taken off is the author's upload again.
        let freed = app
            .send_as(
                &ada,
                TestRequest::get().uri(&format!("/api/v1/media/{}", uploads[0])),
            )
            .await;
        assert_eq!(freed.status, StatusCode::OK);

        // Without media_ids the attachments stay; someone else's upload is refused
        // naming the field, and nothing changes, not even the text.
        let kept = app.send_as(&ada, edit(json!({ "status": "v3" }))).await;
        assert_eq!(attached_ids(&kept.body), Some(vec![uploads[1].clone()]));
        let stolen = app
            .send_as(&ada, edit(json!({ "status": "v4", "media_ids": [eves] })))
            .await;
        assert_eq!(
            stolen.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            stolen.body
        );
        assert!(stolen.body["details"]["media_ids"].is_array());
        let shown = app
            .send(TestRequest::get().uri(&format!("/api/v1/statuses/{id}")))
            .await;
        assert_eq!(shown.body["text"], "v3");
        assert_eq!(attached_ids(&shown.body), Some(vec![uploads[1].clone()]));

        // An empty list takes every attachment off.
        let bare = app
            .send_as(&ada, edit(json!({ "status": "v5", "media_ids": [] })))
            .await;
        assert_eq!(bare.status, StatusCode::OK);
        assert_eq!(attached_ids(&bare.body), Some(Vec::new()));
    }
}

#[actix_web::test]
async fn another_persons_upload_cannot_be_attached_read_or_described() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let eve = app.register("eve").await;
        let reply = app.send_as(&ada, upload(&jpeg(20, 20), "mine")).await;
        let media_id = reply.body["id"].as_str().unwrap().to_owned();

        let post = app
            .send_as(
                &eve,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_json(json!({ "status": "stolen", "media_ids": [media_id] })),
            )
            .await;
        assert_eq!(
            post.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            post.body
        );
        assert!(post.body["details"]["media_ids"].is_array());
        let eve_id = app.account_id(&eve).await;
        let posts = app
            .send(TestRequest::get().uri(&format!("/api/v1/accounts/{eve_id}/statuses")))
            .await;
        assert_eq!(posts.body, json!([]), "nothing was posted");

        for request in [
            TestRequest::get().uri(&format!("/api/v1/media/{media_id}")),
            TestRequest::put()
                .uri(&format!("/api/v1/media/{media_id}"))
                .set_json(json!({ "description": "hacked" })),
        ] {
            assert_eq!(
                app.send_as(&eve, request).await.status,
                StatusCode::NOT_FOUND
            );
        }
        let own = app
            .send_as(
                &ada,
                TestRequest::get().uri(&format!("/api/v1/media/{media_id}")),
            )
            .await;
        assert_eq!(own.body["description"], "mine");

        let five: Vec<String> = (1..=5).map(|n| n.to_string()).collect();
        let too_many = app
            .send_as(
                &ada,
                TestRequest::post()
                    .uri("/api/v1/statuses")
                    .set_json(json!({ "status": "many", "media_ids": five })),
            )
            .await;
        assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error_of(&too_many).contains("maximum is 4"),
            "{:?}",
            too_many.body
        );
    }
}

#[actix_web::test]
async fn media_paths_outside_the_store_are_not_served() {
    for backend in all_backends() {
        let app = start(&backend).await;
        for path in [
            "/media/../hubbub.db",
            "/media/attachments/x/..%2F..%2Fa.png",
            "/media/a/b.txt",
            "/media/nothing/here.png",
        ] {
            let (status, _, _) = app.send_raw(TestRequest::get().uri(path)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
    }
}
