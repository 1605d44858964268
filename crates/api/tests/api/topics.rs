//! #Topics and @mentions: parsed, stored, linked, followed; the topic feed.

use crate::helpers::{error_of, start};
use crate::social_support::ids;
use actix_web::http::StatusCode;
use hubbub_testkit::database::all_backends;
use serde_json::json;

#[actix_web::test]
async fn a_post_lists_its_topics_and_mentions_and_links_only_accounts_that_exist() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let grace = app.register("grace").await;
        let grace_id = app.account_id(&grace).await;
        let text = "Is the #VPN down? @Grace @ghost see `#notatag @grace` and #Café #CI_2";
        let reply = app
            .post_json(&ada, "/api/v1/statuses", json!({ "status": text }))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let shown = app
            .get(
                &ada,
                &format!("/api/v1/statuses/{}", reply.body["id"].as_str().unwrap()),
            )
            .await;
        for status in [&reply.body, &shown.body] {
            assert_eq!(
                status["text"], text,
                "[{}] the original text is kept",
                app.backend
            );
            let tags: Vec<&str> = status["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap())
                .collect();
            assert_eq!(tags, ["café", "ci_2", "vpn"], "[{}]", app.backend);
            assert!(
                status["tags"][2]["url"]
                    .as_str()
                    .unwrap()
                    .ends_with("/tags/vpn")
            );
            let mentions = status["mentions"].as_array().unwrap();
            assert_eq!(
                mentions.len(),
                1,
                "[{}] only existing accounts",
                app.backend
            );
            assert_eq!(mentions[0]["id"], grace_id.as_str());
            assert_eq!(mentions[0]["username"], "grace");
            let content = status["content"].as_str().unwrap();
            assert!(content.contains(
                "/tags/vpn\" class=\"mention hashtag\" rel=\"tag\">#<span>VPN</span></a>"
            ));
            assert!(content.contains("/@grace\" class=\"u-url mention\">@<span>Grace</span></a>"));
            assert!(content.contains(" @ghost "), "{content}");
            assert!(
                content.contains("`#notatag @grace`"),
                "code stays text: {content}"
            );
            assert_eq!(content, shown.body["content"].as_str().unwrap());
        }
    }
}

#[actix_web::test]
async fn html_and_script_shaped_like_mentions_topics_or_links_reaches_nobody_unescaped() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        app.register("grace").await;
        let text = "@grace\"><script>alert(1)</script> #vpn\"onmouseover=\"alert(2) \
                    <a href=\"javascript:alert(3)\">x</a> https://x.example/'onclick='alert(4)";
        let id = app.post(&ada, text).await;
        for uri in [
            format!("/api/v1/statuses/{id}"),
            "/api/v1/timelines/public".to_owned(),
            "/api/v1/timelines/tag/vpn".to_owned(),
        ] {
            let reply = app.get(&ada, &uri).await;
            let status = if reply.body.is_array() {
                &reply.body[0]
            } else {
                &reply.body
            };
            let content = status["content"].as_str().unwrap();
            for bad in [
                "<script",
                "\"onmouseover",
                "href=\"javascript",
                "'onclick",
                "<a href=\"javascript",
            ] {
                assert!(
                    !content.contains(bad),
                    "[{}] {uri}: {bad} in {content}",
                    app.backend
                );
            }
            assert!(content.contains("&lt;script&gt;"), "{content}");
        }
    }
}

#[actix_web::test]
async fn following_a_topic_brings_its_posts_home_and_unfollowing_takes_them_away() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let stranger = app.register("stranger").await;
        let vpn_post = app.post(&stranger, "the #vpn is flaky").await;
        app.post(&stranger, "lunch?").await;

        let tag = app.get(&ada, "/api/v1/tags/VPN").await;
        assert_eq!(tag.status, StatusCode::OK);
        assert_eq!(tag.body["name"], "vpn");
        assert_eq!(tag.body["following"], false);
        assert!(ids(&app.get(&ada, "/api/v1/timelines/home").await).is_empty());

        let followed = app
            .post_json(&ada, "/api/v1/tags/vpn/follow", json!({}))
            .await;
        assert_eq!(followed.status, StatusCode::OK, "{:?}", followed.body);
        assert_eq!(followed.body["following"], true);
        let again = app
            .post_json(&ada, "/api/v1/tags/vpn/follow", json!({}))
            .await;
        assert_eq!(again.status, StatusCode::OK, "following twice is harmless");
        assert_eq!(
            app.get(&ada, "/api/v1/tags/vpn").await.body["following"],
            true
        );
        let list = app.get(&ada, "/api/v1/followed_tags").await;
        assert_eq!(list.body.as_array().unwrap().len(), 1, "{:?}", list.body);
        assert_eq!(list.body[0]["name"], "vpn");
        assert_eq!(
            ids(&app.get(&ada, "/api/v1/timelines/home").await),
            vec![vpn_post.clone()]
        );

        // A topic nobody used yet can be followed; it then exists.
        let new = app
            .post_json(&ada, "/api/v1/tags/Printers/follow", json!({}))
            .await;
        assert_eq!(new.body["name"], "printers");
        assert_eq!(
            app.get(&ada, "/api/v1/followed_tags")
                .await
                .body
                .as_array()
                .unwrap()
                .len(),
            2
        );

        let gone = app
            .post_json(&ada, "/api/v1/tags/vpn/unfollow", json!({}))
            .await;
        assert_eq!(gone.status, StatusCode::OK);
        assert_eq!(gone.body["following"], false);
        assert!(ids(&app.get(&ada, "/api/v1/timelines/home").await).is_empty());
    }
}

#[actix_web::test]
async fn bad_topic_names_and_unknown_topics_get_clear_errors_and_change_nothing() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let long = "x".repeat(101);
        let reply = app
            .post_json(&ada, &format!("/api/v1/tags/{long}/follow"), json!({}))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&reply).contains("name"), "{:?}", reply.body);
        let digits = app
            .post_json(&ada, "/api/v1/tags/123/follow", json!({}))
            .await;
        assert_eq!(digits.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            app.get(&ada, "/api/v1/followed_tags")
                .await
                .body
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            app.get(&ada, "/api/v1/tags/nobodyusedthis").await.status,
            StatusCode::NOT_FOUND
        );
        let unfollow = app
            .post_json(&ada, "/api/v1/tags/nobodyusedthis/unfollow", json!({}))
            .await;
        assert_eq!(unfollow.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get(&ada, "/api/v1/timelines/tag/nobodyusedthis")
                .await
                .body,
            json!([])
        );
    }
}

#[actix_web::test]
async fn the_topic_feed_pages_newest_first_and_hides_private_community_posts_from_outsiders() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let outsider = app.register("outsider").await;
        let secret = app.community(&ada, "Secret", true).await;
        let mut expected = Vec::new();
        for n in 0..5 {
            expected.push(app.post(&ada, &format!("#ci run {n}")).await);
            app.post(&ada, &format!("untagged {n}")).await;
        }
        let hidden = app.post_in(&ada, &secret, "#ci secret build").await;
        expected.reverse();

        let first = app.get(&outsider, "/api/v1/timelines/tag/CI?limit=3").await;
        assert_eq!(ids(&first), expected[..3], "[{}]", app.backend);
        let second = app
            .get(
                &outsider,
                &format!("/api/v1/timelines/tag/ci?limit=3&max_id={}", expected[2]),
            )
            .await;
        assert_eq!(ids(&second), expected[3..], "[{}]", app.backend);
        let member_view = ids(&app.get(&ada, "/api/v1/timelines/tag/ci?limit=1").await);
        assert_eq!(member_view, vec![hidden.clone()], "members see it");
        let anonymous = app
            .send(actix_web::test::TestRequest::get().uri("/api/v1/timelines/tag/ci"))
            .await;
        assert!(!ids(&anonymous).contains(&hidden));
    }
}
