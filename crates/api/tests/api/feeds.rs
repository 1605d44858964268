//! The home feed: own posts, followed people, joined communities, followed topics.

use crate::helpers::start;
use crate::social_support::ids;
use hubbub_testkit::database::all_backends;
use serde_json::json;
use std::collections::HashSet;

#[actix_web::test]
async fn home_merges_people_communities_and_topics_once_each_newest_first_across_pages() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let grace = app.register("grace").await;
        let other = app.register("other").await;
        let grace_id = app.account_id(&grace).await;
        app.post_json(
            &ada,
            &format!("/api/v1/accounts/{grace_id}/follow"),
            json!({}),
        )
        .await;
        let ops = app.community(&other, "Ops", false).await;
        let elsewhere = app.community(&other, "Elsewhere", false).await;
        app.post_json(&ada, &format!("/api/v1/communities/{ops}/join"), json!({}))
            .await;
        app.post_json(&ada, "/api/v1/tags/vpn/follow", json!({}))
            .await;

        let mut expected = vec![
            app.post(&ada, "mine").await,
            app.post(&grace, "followed person").await,
            app.post_in(&other, &ops, "joined community").await,
            app.post(&other, "followed #vpn topic").await,
            // Reached by three branches at once: must appear once.
            app.post_in(&grace, &ops, "everything #vpn").await,
            app.post_in(&other, &elsewhere, "#vpn in another community")
                .await,
        ];
        app.post(&other, "nothing to do with ada").await;
        app.post_in(&other, &elsewhere, "not joined").await;
        expected.reverse();

        let mut seen = Vec::new();
        let mut uri = "/api/v1/timelines/home?limit=4".to_owned();
        loop {
            let page = ids(&app.get(&ada, &uri).await);
            let Some(last) = page.last().cloned() else {
                break;
            };
            seen.extend(page);
            uri = format!("/api/v1/timelines/home?limit=4&max_id={last}");
        }
        assert_eq!(seen, expected, "[{}]", app.backend);
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());

        // min_id reads the posts just above it, still newest first, still once each.
        let above = ids(&app
            .get(
                &ada,
                &format!("/api/v1/timelines/home?limit=2&min_id={}", expected[4]),
            )
            .await);
        assert_eq!(above, expected[2..4], "[{}]", app.backend);
        let since = ids(&app
            .get(
                &ada,
                &format!("/api/v1/timelines/home?limit=2&since_id={}", expected[4]),
            )
            .await);
        assert_eq!(since, expected[..2], "[{}]", app.backend);
    }
}
