//! Timelines and Link-header pagination.

use crate::helpers::start;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_testkit::database::all_backends;
use std::collections::HashSet;

/// The path and query of the `rel` link in a Link header.
fn link(header: &str, rel: &str) -> Option<String> {
    header
        .split(", ")
        .find(|part| part.ends_with(&format!("rel=\"{rel}\"")))
        .map(|part| {
            let url = part
                .trim_start_matches('<')
                .split('>')
                .next()
                .unwrap_or_default();
            let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
            after_scheme[after_scheme.find('/').unwrap_or(0)..].to_owned()
        })
}

#[actix_web::test]
async fn the_home_timeline_pages_through_three_pages_with_no_duplicates_and_none_missing() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let grace = app.register("grace").await;
        let stranger = app.register("stranger").await;
        let grace_id = app.account_id(&grace).await;
        app.send_as(
            &ada,
            TestRequest::post().uri(&format!("/api/v1/accounts/{grace_id}/follow")),
        )
        .await;

        let mut expected = Vec::new();
        for n in 0..7 {
            let author = if n % 2 == 0 { &ada } else { &grace };
            expected.push(app.post(author, &format!("post {n}")).await);
        }
        app.post(&stranger, "not for ada's home").await;
        expected.reverse();

        let mut seen = Vec::new();
        let mut next = Some("/api/v1/timelines/home?limit=3".to_owned());
        let mut pages = 0;
        while let Some(uri) = next.take() {
            let reply = app.send_as(&ada, TestRequest::get().uri(&uri)).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            let page = reply.body.as_array().unwrap();
            if page.is_empty() {
                break;
            }
            pages += 1;
            seen.extend(
                page.iter()
                    .map(|status| status["id"].as_str().unwrap().to_owned()),
            );
            let header = reply
                .headers
                .get("Link")
                .expect("Link header")
                .to_str()
                .unwrap();
            next = link(header, "next");
            assert!(link(header, "prev").is_some());
        }
        assert_eq!(pages, 3, "[{}]", app.backend);
        assert_eq!(
            seen, expected,
            "[{}] newest first, none missing",
            app.backend
        );
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());

        // Going back up from the oldest page with min_id returns the posts just above it.
        let newer = app
            .send_as(
                &ada,
                TestRequest::get().uri(&format!(
                    "/api/v1/timelines/home?limit=2&min_id={}",
                    expected[6]
                )),
            )
            .await;
        let ids: Vec<&str> = newer
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, vec![expected[4].as_str(), expected[5].as_str()]);
    }
}

#[actix_web::test]
async fn the_public_timeline_shows_everyone_and_needs_no_token() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let grace = app.register("grace").await;
        let first = app.post(&ada, "one").await;
        let second = app.post(&grace, "two").await;
        let reply = app
            .send(TestRequest::get().uri("/api/v1/timelines/public"))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let ids: Vec<&str> = reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, vec![second.as_str(), first.as_str()]);
        assert_eq!(reply.body[1]["account"]["username"], "ada");

        let since = app
            .send(TestRequest::get().uri(&format!("/api/v1/timelines/public?since_id={first}")))
            .await;
        assert_eq!(since.body.as_array().unwrap().len(), 1);
        let bad = app
            .send(TestRequest::get().uri("/api/v1/timelines/public?max_id=abc"))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
}

#[actix_web::test]
async fn the_home_timeline_needs_a_token() {
    let app = start(&all_backends()[0]).await;
    let reply = app
        .send(TestRequest::get().uri("/api/v1/timelines/home"))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}
