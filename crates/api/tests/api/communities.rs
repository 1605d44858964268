//! Communities: create, discover, join and leave, requests, roles, posting, feeds.

use crate::helpers::{error_of, start};
use crate::social_support::ids;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_core::event::EventBody;
use hubbub_testkit::database::all_backends;
use serde_json::json;

#[actix_web::test]
async fn communities_are_created_described_and_discovered_public_ones_and_mine() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let ops = app.community(&ada, "Ops", false).await;
        let secret = app.community(&ada, "Secret", true).await;

        let shown = app.get(&ada, &format!("/api/v1/communities/{ops}")).await;
        assert_eq!(shown.body["name"], "Ops");
        assert_eq!(shown.body["private"], false);
        assert_eq!(shown.body["membership"]["role"], "admin");

        let mine = ids(&app.get(&ada, "/api/v1/communities").await);
        assert_eq!(mine, [secret.clone(), ops.clone()], "[{}]", app.backend);
        let theirs = ids(&app.get(&bob, "/api/v1/communities").await);
        assert_eq!(
            theirs,
            vec![ops.clone()],
            "[{}] private ones are not listed",
            app.backend
        );
        let card = app
            .get(&bob, &format!("/api/v1/communities/{secret}"))
            .await;
        assert_eq!(
            card.status,
            StatusCode::OK,
            "the card of a private community is visible"
        );
        assert_eq!(card.body["membership"], json!(null));

        let update = app
            .send_as(
                &ada,
                TestRequest::patch()
                    .uri(&format!("/api/v1/communities/{ops}"))
                    .set_json(json!({ "description": "Servers <b>and</b> such" })),
            )
            .await;
        assert_eq!(update.status, StatusCode::OK, "{:?}", update.body);
        assert_eq!(update.body["description"], "Servers <b>and</b> such");
        assert!(
            update.body["description_html"]
                .as_str()
                .unwrap()
                .contains("&lt;b&gt;")
        );
        let refused = app
            .send_as(
                &bob,
                TestRequest::put()
                    .uri(&format!("/api/v1/communities/{ops}"))
                    .set_json(json!({ "description": "mine now" })),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let hidden = app
            .send_as(
                &bob,
                TestRequest::put()
                    .uri(&format!("/api/v1/communities/{secret}"))
                    .set_json(json!({ "description": "mine now" })),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        let after = app.get(&ada, &format!("/api/v1/communities/{ops}")).await;
        assert_eq!(after.body["description"], "Servers <b>and</b> such");
    }
}

#[actix_web::test]
async fn bad_community_input_is_refused_naming_the_field_and_nothing_is_created() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        app.community(&ada, "Ops", false).await;
        let cases = [
            (json!({ "name": "n".repeat(101) }), "name"),
            (json!({ "name": "  " }), "name"),
            (
                json!({ "name": "Fine", "description": "d".repeat(1001) }),
                "description",
            ),
            (json!({ "name": "OPS" }), "name"),
        ];
        for (body, field) in cases {
            let reply = app.post_json(&ada, "/api/v1/communities", body).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{:?}",
                reply.body
            );
            assert!(
                reply.body["details"][field].is_array(),
                "{field}: {:?}",
                reply.body
            );
        }
        let helpdesk = app
            .post_json(
                &ada,
                "/api/v1/communities",
                json!({ "name": "IT", "helpdesk": true }),
            )
            .await;
        assert_eq!(
            helpdesk.status,
            StatusCode::FORBIDDEN,
            "help desk is for admins"
        );
        assert_eq!(ids(&app.get(&ada, "/api/v1/communities").await).len(), 1);
        app.make_admin(&ada).await;
        let helpdesk = app
            .post_json(
                &ada,
                "/api/v1/communities",
                json!({ "name": "IT", "helpdesk": true }),
            )
            .await;
        assert_eq!(helpdesk.body["helpdesk"], true);
        for uri in ["/api/v1/communities/999", "/api/v1/communities/abc"] {
            assert_eq!(app.get(&ada, uri).await.status, StatusCode::NOT_FOUND);
            let join = app.post_json(&ada, &format!("{uri}/join"), json!({})).await;
            assert_eq!(join.status, StatusCode::NOT_FOUND);
        }
    }
}

#[actix_web::test]
async fn joining_and_leaving_a_public_community_records_events_and_refuses_repeats() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let bob_id: i64 = app.account_id(&bob).await.parse().unwrap();
        let ops = app.community(&ada, "Ops", false).await;

        let joined = app
            .post_json(&bob, &format!("/api/v1/communities/{ops}/join"), json!({}))
            .await;
        assert_eq!(joined.status, StatusCode::OK, "{:?}", joined.body);
        assert_eq!(joined.body["membership"]["state"], "active");
        let twice = app
            .post_json(&bob, &format!("/api/v1/communities/{ops}/join"), json!({}))
            .await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&twice).contains("already a member"));

        let members = app
            .get(&bob, &format!("/api/v1/communities/{ops}/members"))
            .await;
        let roles: Vec<(&str, &str)> = members
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["account"]["username"].as_str().unwrap(),
                    m["role"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            roles,
            [("bob", "member"), ("ada", "admin")],
            "[{}]",
            app.backend
        );

        let left = app
            .post_json(&bob, &format!("/api/v1/communities/{ops}/leave"), json!({}))
            .await;
        assert_eq!(left.status, StatusCode::OK);
        assert_eq!(left.body["membership"], json!(null));
        let again = app
            .post_json(&bob, &format!("/api/v1/communities/{ops}/leave"), json!({}))
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&again).contains("not a member"));

        let events: Vec<EventBody> = app
            .store
            .unpublished_events(100)
            .await
            .unwrap()
            .into_iter()
            .map(|event| event.body)
            .filter(|body| {
                matches!(
                    body,
                    EventBody::CommunityJoined { account, .. }
                        | EventBody::CommunityLeft { account, .. } if account.0 == bob_id
                )
            })
            .collect();
        assert_eq!(events.len(), 2, "[{}] {events:?}", app.backend);
        assert!(
            matches!(events[0], EventBody::CommunityJoined { account, .. } if account.0 == bob_id)
        );
        assert!(
            matches!(events[1], EventBody::CommunityLeft { account, .. } if account.0 == bob_id)
        );
    }
}

#[actix_web::test]
async fn a_private_community_is_for_approved_members_only() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let carol = app.register("carol").await;
        let bob_id = app.account_id(&bob).await;
        let carol_id = app.account_id(&carol).await;
        let secret = app.community(&ada, "Secret", true).await;
        let post = app.post_in(&ada, &secret, "the plan #roadmap").await;
        let feed = format!("/api/v1/timelines/community/{secret}");

        let asked = app
            .post_json(
                &bob,
                &format!("/api/v1/communities/{secret}/join"),
                json!({}),
            )
            .await;
        assert_eq!(asked.body["membership"]["state"], "pending");
        let twice = app
            .post_json(
                &bob,
                &format!("/api/v1/communities/{secret}/join"),
                json!({}),
            )
            .await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.post_json(
            &carol,
            &format!("/api/v1/communities/{secret}/join"),
            json!({}),
        )
        .await;

        // Pending is not a member: nothing of the community is visible.
        for outsider in [&bob, &carol] {
            assert_eq!(app.get(outsider, &feed).await.status, StatusCode::NOT_FOUND);
            let members = app
                .get(outsider, &format!("/api/v1/communities/{secret}/members"))
                .await;
            assert_eq!(members.status, StatusCode::NOT_FOUND);
            let requests = app
                .get(outsider, &format!("/api/v1/communities/{secret}/requests"))
                .await;
            assert_eq!(requests.status, StatusCode::NOT_FOUND);
            assert_eq!(
                app.get(outsider, &format!("/api/v1/statuses/{post}"))
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
            assert!(
                !ids(&app.get(outsider, "/api/v1/timelines/tag/roadmap").await).contains(&post)
            );
            assert!(!ids(&app.get(outsider, "/api/v1/timelines/public").await).contains(&post));
            let write = app.post_in_status(outsider, &secret).await;
            assert_eq!(
                write,
                StatusCode::NOT_FOUND,
                "only members post in a private community"
            );
        }

        let requests = app
            .get(&ada, &format!("/api/v1/communities/{secret}/requests"))
            .await;
        let mut asking = ids(&requests);
        asking.sort();
        let mut want = vec![bob_id.clone(), carol_id.clone()];
        want.sort();
        assert_eq!(asking, want, "[{}]", app.backend);
        let approve = format!("/api/v1/communities/{secret}/requests/{bob_id}/authorize");
        assert_eq!(
            app.post_json(&ada, &approve, json!({})).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.post_json(&ada, &approve, json!({})).await.status,
            StatusCode::NOT_FOUND,
            "no request left"
        );
        let reject = format!("/api/v1/communities/{secret}/requests/{carol_id}/reject");
        assert_eq!(
            app.post_json(&bob, &reject, json!({})).await.status,
            StatusCode::FORBIDDEN,
            "members cannot decide"
        );
        assert_eq!(
            app.post_json(&ada, &reject, json!({})).await.status,
            StatusCode::OK
        );

        assert_eq!(ids(&app.get(&bob, &feed).await), vec![post.clone()]);
        assert_eq!(app.get(&carol, &feed).await.status, StatusCode::NOT_FOUND);
        assert!(
            ids(&app.get(&bob, "/api/v1/timelines/home").await).contains(&post),
            "joined communities are home"
        );
        assert!(!ids(&app.get(&carol, "/api/v1/timelines/home").await).contains(&post));

        let promote = format!("/api/v1/communities/{secret}/members/{bob_id}/promote");
        assert_eq!(
            app.post_json(&bob, &promote, json!({})).await.status,
            StatusCode::FORBIDDEN
        );
        let promoted = app.post_json(&ada, &promote, json!({})).await;
        assert_eq!(promoted.body["role"], "admin", "{:?}", promoted.body);
        let not_member = format!("/api/v1/communities/{secret}/members/{carol_id}/promote");
        assert_eq!(
            app.post_json(&ada, &not_member, json!({})).await.status,
            StatusCode::NOT_FOUND
        );
        let members = app
            .get(&bob, &format!("/api/v1/communities/{secret}/members"))
            .await;
        assert!(
            members
                .body
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["role"] == "admin")
        );
    }
}

#[actix_web::test]
async fn anyone_may_post_in_a_public_community_and_its_feed_pages_newest_first() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let ops = app.community(&ada, "Ops", false).await;
        let mut expected = Vec::new();
        for n in 0..4 {
            let author = if n % 2 == 0 { &ada } else { &bob };
            expected.push(app.post_in(author, &ops, &format!("status {n}")).await);
        }
        app.post(&ada, "outside the community").await;
        expected.reverse();
        let feed = format!("/api/v1/timelines/community/{ops}");
        assert_eq!(
            ids(&app.get(&bob, &format!("{feed}?limit=2")).await),
            expected[..2]
        );
        let older = app
            .get(&bob, &format!("{feed}?limit=2&max_id={}", expected[1]))
            .await;
        assert_eq!(ids(&older), expected[2..]);
        let reply_in = app
            .post_json(
                &bob,
                "/api/v1/statuses",
                json!({ "status": "re", "in_reply_to_id": expected[0] }),
            )
            .await;
        assert_eq!(
            ids(&app.get(&ada, &format!("{feed}?limit=1")).await),
            [reply_in.body["id"].as_str().unwrap().to_owned()],
            "a reply lives in its parent's community"
        );
        let unknown = app
            .post_json(
                &bob,
                "/api/v1/statuses",
                json!({ "status": "x", "community_id": "424242" }),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert!(error_of(&unknown).contains("community_id"));
        assert_eq!(
            app.get(&bob, "/api/v1/timelines/community/424242")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}
