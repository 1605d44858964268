//! Notifications (mention, reply, follow, favourite, reaction) with their filters,
//! dismissal and unread count, and the read markers.
#![expect(
    clippy::unwrap_used,
    reason = "set-up helpers: a failure must stop the test where it happened"
)]

use crate::helpers::{Reply, start};
use crate::social_support::ids;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_core::event::EventBody;
use hubbub_testkit::database::all_backends;
use serde_json::{Value, json};

/// (type, account id, status id) of each notification, newest first.
fn summary(reply: &Reply) -> Vec<(String, String, Option<String>)> {
    reply
        .body
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {:?}", reply.body))
        .iter()
        .map(|n| {
            (
                n["type"].as_str().unwrap().to_owned(),
                n["account"]["id"].as_str().unwrap().to_owned(),
                n["status"]["id"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn kinds(reply: &Reply) -> Vec<String> {
    summary(reply)
        .into_iter()
        .map(|(kind, _, _)| kind)
        .collect()
}

#[actix_web::test]
async fn mentions_replies_follows_favourites_and_reactions_notify_the_other_person_only() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let ada_id = app.account_id(&ada).await;
        let bob_id = app.account_id(&bob).await;

        let mine = app.post(&ada, "Planning the offsite, thoughts @ada?").await;
        let mention = app.post(&bob, "@ada can you review the VPN doc?").await;
        let reply = app
            .post_json(
                &bob,
                "/api/v1/statuses",
                json!({"status": "Count me in", "in_reply_to_id": mine}),
            )
            .await;
        let reply = reply.body["id"].as_str().unwrap().to_owned();
        let both = app
            .post_json(
                &bob,
                "/api/v1/statuses",
                json!({"status": "@ada and one more thing", "in_reply_to_id": mine}),
            )
            .await;
        let both = both.body["id"].as_str().unwrap().to_owned();
        app.post_json(
            &bob,
            &format!("/api/v1/accounts/{ada_id}/follow"),
            json!({}),
        )
        .await;
        app.post_json(
            &bob,
            &format!("/api/v1/statuses/{mine}/favourite"),
            json!({}),
        )
        .await;
        app.post_json(
            &bob,
            &format!("/api/v1/statuses/{mine}/favourite"),
            json!({}),
        )
        .await;
        app.send_as(
            &bob,
            TestRequest::put().uri(&format!("/api/v1/statuses/{mine}/reactions/thanks")),
        )
        .await;
        // Acting on one's own post notifies nobody.
        app.post_json(
            &ada,
            &format!("/api/v1/statuses/{mine}/favourite"),
            json!({}),
        )
        .await;
        app.post_json(
            &ada,
            &format!("/api/v1/statuses/{mention}/favourite"),
            json!({}),
        )
        .await;

        let listed = app.get(&ada, "/api/v1/notifications").await;
        assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
        let s = |id: &str| Some(id.to_owned());
        assert_eq!(
            summary(&listed),
            [
                ("hubbub.reaction".to_owned(), bob_id.clone(), s(&mine)),
                ("favourite".to_owned(), bob_id.clone(), s(&mine)),
                ("follow".to_owned(), bob_id.clone(), None),
                ("mention".to_owned(), bob_id.clone(), s(&both)),
                ("mention".to_owned(), bob_id.clone(), s(&reply)),
                ("mention".to_owned(), bob_id.clone(), s(&mention)),
            ],
            "[{}] one each, never about her own acts",
            app.backend
        );
        assert_eq!(listed.body[0]["hubbub_reaction"], "thanks");
        assert_eq!(listed.body[1]["group_key"], format!("favourite-{mine}"));
        assert_eq!(
            listed.body[1]["status"]["favourited"], true,
            "as ada sees it"
        );
        let bobs = app.get(&bob, "/api/v1/notifications").await;
        assert_eq!(
            summary(&bobs),
            [("favourite".to_owned(), ada_id.clone(), s(&mention))]
        );

        let only = app
            .get(&ada, "/api/v1/notifications?types[]=mention&types[]=follow")
            .await;
        assert_eq!(kinds(&only), ["follow", "mention", "mention", "mention"]);
        let without = app
            .get(
                &ada,
                "/api/v1/notifications?exclude_types[]=mention&exclude_types[]=hubbub.reaction",
            )
            .await;
        assert_eq!(kinds(&without), ["favourite", "follow"]);
        let page = app.get(&ada, "/api/v1/notifications?limit=2").await;
        assert_eq!(kinds(&page), ["hubbub.reaction", "favourite"]);
        let next = page.headers.get("Link").unwrap().to_str().unwrap();
        let max_id = next
            .split("max_id=")
            .nth(1)
            .unwrap()
            .split('>')
            .next()
            .unwrap();
        let older = app
            .get(
                &ada,
                &format!("/api/v1/notifications?limit=2&max_id={max_id}"),
            )
            .await;
        assert_eq!(kinds(&older), ["follow", "mention"]);

        let undone = app
            .post_json(
                &bob,
                &format!("/api/v1/statuses/{mine}/unfavourite"),
                json!({}),
            )
            .await;
        assert_eq!(undone.status, StatusCode::OK);
        let listed = app.get(&ada, "/api/v1/notifications").await;
        assert!(!kinds(&listed).contains(&"favourite".to_owned()));

        // Each notification was written with a live event for its recipient.
        let events = app.store.unpublished_events(1000).await.unwrap();
        let live: Vec<Value> = events
            .iter()
            .filter_map(|event| match &event.body {
                EventBody::NotificationCreated {
                    account,
                    notification_json,
                } if account.to_string() == ada_id => {
                    Some(serde_json::from_str(notification_json).unwrap())
                }
                _ => None,
            })
            .collect();
        assert_eq!(live.len(), 6, "{live:?}");
        assert_eq!(live[0]["type"], "mention");
        assert_eq!(live[0]["status"]["id"], mention.as_str());
        assert_eq!(live[0]["account"]["id"], bob_id.as_str());
    }
}

#[actix_web::test]
async fn a_notification_is_shown_dismissed_and_cleared_and_unread_counts_follow_the_marker() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let carol = app.register("carol").await;
        let ada_id = app.account_id(&ada).await;
        for who in [&bob, &carol] {
            app.post_json(who, &format!("/api/v1/accounts/{ada_id}/follow"), json!({}))
                .await;
        }
        app.post(&bob, "hello @ada").await;

        let unread = app.get(&ada, "/api/v1/notifications/unread_count").await;
        assert_eq!(unread.body, json!({"count": 3}));
        let listed = app.get(&ada, "/api/v1/notifications").await;
        let newest = listed.body[0]["id"].as_str().unwrap().to_owned();
        let middle = listed.body[1]["id"].as_str().unwrap().to_owned();

        let saved = app
            .send_as(
                &ada,
                TestRequest::post()
                    .uri("/api/v1/markers")
                    .set_form([("notifications[last_read_id]", middle.as_str())]),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
        assert_eq!(saved.body["notifications"]["last_read_id"], middle.as_str());
        assert_eq!(saved.body["notifications"]["version"], 1);
        let unread = app.get(&ada, "/api/v1/notifications/unread_count").await;
        assert_eq!(unread.body["count"], 1, "[{}]", app.backend);
        let saved = app
            .post_json(
                &ada,
                "/api/v1/markers",
                json!({"notifications": {"last_read_id": newest}, "home": {"last_read_id": "5"}}),
            )
            .await;
        assert_eq!(saved.body["notifications"]["version"], 2);
        assert_eq!(saved.body["home"]["version"], 1);
        let markers = app
            .get(
                &ada,
                "/api/v1/markers?timeline[]=home&timeline[]=notifications",
            )
            .await;
        assert_eq!(markers.body["home"]["last_read_id"], "5");
        assert_eq!(
            markers.body["notifications"]["last_read_id"],
            newest.as_str()
        );
        assert_eq!(
            app.get(&bob, "/api/v1/markers").await.body,
            json!({}),
            "markers are per person"
        );
        let unread = app.get(&ada, "/api/v1/notifications/unread_count").await;
        assert_eq!(unread.body["count"], 0);
        let bad = app
            .post_json(
                &ada,
                "/api/v1/markers",
                json!({"home": {"last_read_id": "abc"}}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body["details"]["home[last_read_id]"].is_array(),
            "{:?}",
            bad.body
        );

        let one = app
            .get(&ada, &format!("/api/v1/notifications/{newest}"))
            .await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(one.body["type"], "mention");
        assert_eq!(
            app.get(&bob, &format!("/api/v1/notifications/{newest}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "not bob's"
        );
        let not_bobs = app
            .post_json(
                &bob,
                &format!("/api/v1/notifications/{newest}/dismiss"),
                json!({}),
            )
            .await;
        assert_eq!(not_bobs.status, StatusCode::NOT_FOUND);
        let dismissed = app
            .post_json(
                &ada,
                &format!("/api/v1/notifications/{newest}/dismiss"),
                json!({}),
            )
            .await;
        assert_eq!(dismissed.status, StatusCode::OK);
        assert_eq!(
            ids(&app.get(&ada, "/api/v1/notifications").await),
            [middle, listed.body[2]["id"].as_str().unwrap().to_owned()]
        );
        let cleared = app
            .post_json(&ada, "/api/v1/notifications/clear", json!({}))
            .await;
        assert_eq!(cleared.status, StatusCode::OK);
        assert!(ids(&app.get(&ada, "/api/v1/notifications").await).is_empty());
    }
}

#[actix_web::test]
async fn a_notification_about_a_private_post_disappears_when_the_recipient_leaves() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let ops = app.community(&ada, "Ops", false).await;
        let secret = app.community(&ada, "Secret", true).await;
        let bob_id = app.account_id(&bob).await;
        app.post_json(
            &bob,
            &format!("/api/v1/communities/{secret}/join"),
            json!({}),
        )
        .await;
        app.post_json(
            &ada,
            &format!("/api/v1/communities/{secret}/requests/{bob_id}/authorize"),
            json!({}),
        )
        .await;
        app.post_in(&ada, &ops, "@bob see the runbook").await;
        app.post_in(&ada, &secret, "@bob see the plan").await;
        assert_eq!(
            kinds(&app.get(&bob, "/api/v1/notifications").await).len(),
            2
        );

        app.post_json(
            &bob,
            &format!("/api/v1/communities/{secret}/leave"),
            json!({}),
        )
        .await;
        let listed = app.get(&bob, "/api/v1/notifications").await;
        assert_eq!(
            listed.body.as_array().unwrap().len(),
            1,
            "[{}]",
            app.backend
        );
        assert_eq!(listed.body[0]["status"]["text"], "@bob see the runbook");
        let unread = app.get(&bob, "/api/v1/notifications/unread_count").await;
        assert_eq!(unread.body["count"], 1);
    }
}
