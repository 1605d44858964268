//! Favourites, reactions and bookmarks: idempotent, counted on every Status,
//! listed with keyset pages, and never on what the person may not see.
#![expect(
    clippy::unwrap_used,
    reason = "set-up helpers: a failure must stop the test where it happened"
)]

use crate::helpers::{Reply, error_of, start};
use crate::social_support::ids;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_core::ids::AccountId;
use hubbub_core::role::Role;
use hubbub_testkit::database::all_backends;
use serde_json::{Value, json};

/// The `hubbub.reactions` of a Status as (name, count, me).
fn reactions(status: &Value) -> Vec<(String, i64, bool)> {
    status["hubbub"]["reactions"]
        .as_array()
        .unwrap_or_else(|| panic!("no hubbub.reactions: {status:?}"))
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["count"].as_i64().unwrap(),
                r["me"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn link(reply: &Reply) -> String {
    reply
        .headers
        .get("Link")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[actix_web::test]
async fn favouriting_twice_counts_once_and_unfavouriting_takes_it_back() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let carol = app.register("carol").await;
        let bob_id = app.account_id(&bob).await;
        let carol_id = app.account_id(&carol).await;
        let post = app.post(&ada, "Lunch at noon").await;
        let favourite = format!("/api/v1/statuses/{post}/favourite");

        let first = app.post_json(&bob, &favourite, json!({})).await;
        assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
        assert_eq!(first.body["favourited"], true);
        assert_eq!(first.body["favourites_count"], 1);
        let again = app.post_json(&bob, &favourite, json!({})).await;
        assert_eq!(again.body["favourites_count"], 1, "[{}]", app.backend);
        app.post_json(&carol, &favourite, json!({})).await;

        // The author sees the count but not a favourite of their own.
        let shown = app.get(&ada, &format!("/api/v1/statuses/{post}")).await;
        assert_eq!(shown.body["favourites_count"], 2);
        assert_eq!(shown.body["favourited"], false);
        // Timelines carry the same counts and the viewer's flag.
        let timeline = app.get(&bob, "/api/v1/timelines/public").await;
        assert_eq!(timeline.body[0]["favourites_count"], 2);
        assert_eq!(timeline.body[0]["favourited"], true);

        let by = app
            .get(&ada, &format!("/api/v1/statuses/{post}/favourited_by"))
            .await;
        assert_eq!(by.status, StatusCode::OK);
        assert_eq!(ids(&by), [carol_id.clone(), bob_id.clone()], "newest first");
        let first_page = app
            .get(
                &ada,
                &format!("/api/v1/statuses/{post}/favourited_by?limit=1"),
            )
            .await;
        assert_eq!(ids(&first_page), [carol_id]);
        assert!(
            link(&first_page).contains("max_id="),
            "{}",
            link(&first_page)
        );

        let mine = app.get(&bob, "/api/v1/favourites").await;
        assert_eq!(ids(&mine), [post.as_str()]);
        assert!(link(&mine).contains("/api/v1/favourites?limit="));

        let undone = app
            .post_json(
                &bob,
                &format!("/api/v1/statuses/{post}/unfavourite"),
                json!({}),
            )
            .await;
        assert_eq!(undone.status, StatusCode::OK);
        assert_eq!(undone.body["favourited"], false);
        assert_eq!(undone.body["favourites_count"], 1);
        assert!(ids(&app.get(&bob, "/api/v1/favourites").await).is_empty());
        let by = app
            .get(&ada, &format!("/api/v1/statuses/{post}/favourited_by"))
            .await;
        assert!(!ids(&by).contains(&bob_id));
    }
}

#[actix_web::test]
async fn reactions_are_counted_per_name_with_the_viewers_own_and_unknown_names_are_refused() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let carol = app.register("carol").await;
        let bob_id = app.account_id(&bob).await;
        let post = app.post(&ada, "The build is green again").await;
        let react = |name: &str| format!("/api/v1/statuses/{post}/reactions/{name}");

        let given = app
            .send_as(&bob, TestRequest::put().uri(&react("celebrate")))
            .await;
        assert_eq!(given.status, StatusCode::OK, "{:?}", given.body);
        assert_eq!(reactions(&given.body), [("celebrate".to_owned(), 1, true)]);
        app.send_as(&bob, TestRequest::put().uri(&react("celebrate")))
            .await;
        app.send_as(&carol, TestRequest::put().uri(&react("celebrate")))
            .await;
        app.send_as(&carol, TestRequest::put().uri(&react("thanks")))
            .await;
        let seen_by_bob = app.get(&bob, &format!("/api/v1/statuses/{post}")).await;
        assert_eq!(
            reactions(&seen_by_bob.body),
            [
                ("thanks".to_owned(), 1, false),
                ("celebrate".to_owned(), 2, true)
            ],
            "[{}]",
            app.backend
        );
        let who = app
            .get(
                &ada,
                &format!("/api/v1/statuses/{post}/reactions/celebrate/accounts"),
            )
            .await;
        assert_eq!(who.status, StatusCode::OK);
        assert_eq!(ids(&who).len(), 2);
        assert!(ids(&who).contains(&bob_id));

        let unknown = app
            .send_as(&bob, TestRequest::put().uri(&react("angry")))
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&unknown).contains("name"), "{:?}", unknown.body);
        assert!(
            unknown.body["details"]["name"].is_array(),
            "{:?}",
            unknown.body
        );

        let taken_back = app
            .send_as(&bob, TestRequest::delete().uri(&react("celebrate")))
            .await;
        assert_eq!(taken_back.status, StatusCode::OK);
        assert_eq!(
            reactions(&taken_back.body),
            [
                ("thanks".to_owned(), 1, false),
                ("celebrate".to_owned(), 1, false)
            ]
        );
    }
}

#[actix_web::test]
async fn same_here_on_a_resolved_ticket_counts_as_reuse_until_it_is_taken_back() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let asker = app.register("ann").await;
        let peer = app.register("pat").await;
        let colleague = app.register("cole").await;
        let manager = app.register("meg").await;
        let manager_id: i64 = app.account_id(&manager).await.parse().unwrap();
        app.store
            .set_role(AccountId(manager_id), Role::Manager, None)
            .await
            .unwrap();
        let question = app.post(&asker, "VPN drops every hour #helpdesk").await;
        let answer = app
            .post_json(
                &peer,
                "/api/v1/statuses",
                json!({"status": "Update the client to 5.2", "in_reply_to_id": question}),
            )
            .await;
        let answer = answer.body["id"].as_str().unwrap().to_owned();
        let accepted = app
            .post_json(
                &asker,
                &format!("/api/v1/helpdesk/tickets/{question}/accept"),
                json!({"answer_id": answer}),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
        let reuse = || async {
            let report = app.get(&manager, "/api/v1/reports/helpdesk").await;
            assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
            report.body["summary"]["reuse"].as_i64().unwrap()
        };
        assert_eq!(reuse().await, 0);

        let same_here = format!("/api/v1/statuses/{question}/reactions/same_here");
        let reacted = app
            .send_as(&colleague, TestRequest::put().uri(&same_here))
            .await;
        assert_eq!(reacted.status, StatusCode::OK, "{:?}", reacted.body);
        app.send_as(&colleague, TestRequest::put().uri(&same_here))
            .await;
        assert_eq!(reuse().await, 1, "[{}] once per person", app.backend);

        app.send_as(&colleague, TestRequest::delete().uri(&same_here))
            .await;
        assert_eq!(reuse().await, 0, "[{}] taken back", app.backend);
        let ticket = app
            .get(&asker, &format!("/api/v1/helpdesk/tickets/{question}"))
            .await;
        let kinds: Vec<&str> = ticket.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| event["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.ends_with(&["reuse", "reuse_withdrawn"]), "{kinds:?}");
    }
}

#[actix_web::test]
async fn bookmarks_are_listed_newest_first_and_a_private_post_drops_out_after_leaving() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let bob_id = app.account_id(&bob).await;
        let secret = app.community(&ada, "Secret", true).await;
        app.post_json(
            &bob,
            &format!("/api/v1/communities/{secret}/join"),
            json!({}),
        )
        .await;
        let approved = app
            .post_json(
                &ada,
                &format!("/api/v1/communities/{secret}/requests/{bob_id}/authorize"),
                json!({}),
            )
            .await;
        assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
        let public = app.post(&ada, "Handbook updated").await;
        let private = app.post_in(&ada, &secret, "Reorg plan").await;

        for post in [&public, &private] {
            let marked = app
                .post_json(
                    &bob,
                    &format!("/api/v1/statuses/{post}/bookmark"),
                    json!({}),
                )
                .await;
            assert_eq!(marked.status, StatusCode::OK, "{:?}", marked.body);
            assert_eq!(marked.body["bookmarked"], true);
        }
        app.post_json(
            &bob,
            &format!("/api/v1/statuses/{public}/bookmark"),
            json!({}),
        )
        .await;
        let listed = app.get(&bob, "/api/v1/bookmarks").await;
        assert_eq!(ids(&listed), [private.clone(), public.clone()]);
        let older = app.get(&bob, "/api/v1/bookmarks?limit=1").await;
        assert_eq!(ids(&older), [private.as_str()]);
        assert!(link(&older).contains("max_id="));

        let left = app
            .post_json(
                &bob,
                &format!("/api/v1/communities/{secret}/leave"),
                json!({}),
            )
            .await;
        assert_eq!(left.status, StatusCode::OK, "{:?}", left.body);
        let listed = app.get(&bob, "/api/v1/bookmarks").await;
        assert_eq!(ids(&listed), [public.as_str()], "[{}]", app.backend);

        let removed = app
            .post_json(
                &bob,
                &format!("/api/v1/statuses/{public}/unbookmark"),
                json!({}),
            )
            .await;
        assert_eq!(removed.body["bookmarked"], false);
        assert!(ids(&app.get(&bob, "/api/v1/bookmarks").await).is_empty());
    }
}

#[actix_web::test]
async fn a_non_member_cannot_touch_a_private_post_and_is_never_notified_about_it() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let eve = app.register("eve").await;
        let secret = app.community(&ada, "Secret", true).await;
        let post = app.post_in(&ada, &secret, "Budget for @eve today").await;

        let attempts = [
            TestRequest::post().uri(&format!("/api/v1/statuses/{post}/favourite")),
            TestRequest::post().uri(&format!("/api/v1/statuses/{post}/bookmark")),
            TestRequest::put().uri(&format!("/api/v1/statuses/{post}/reactions/same_here")),
            TestRequest::get().uri(&format!("/api/v1/statuses/{post}/favourited_by")),
            TestRequest::get().uri(&format!(
                "/api/v1/statuses/{post}/reactions/thanks/accounts"
            )),
        ];
        for attempt in attempts {
            let reply = app.send_as(&eve, attempt).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{:?}", reply.body);
        }
        let shown = app.get(&ada, &format!("/api/v1/statuses/{post}")).await;
        assert_eq!(shown.body["favourites_count"], 0, "nothing changed");
        assert!(reactions(&shown.body).is_empty());
        assert!(ids(&app.get(&eve, "/api/v1/bookmarks").await).is_empty());
        assert!(ids(&app.get(&eve, "/api/v1/favourites").await).is_empty());
        let notifications = app.get(&eve, "/api/v1/notifications").await;
        assert_eq!(notifications.status, StatusCode::OK);
        assert!(
            ids(&notifications).is_empty(),
            "[{}] mentioned in a post she may not see: {:?}",
            app.backend,
            notifications.body
        );
        let unread = app.get(&eve, "/api/v1/notifications/unread_count").await;
        assert_eq!(unread.body["count"], 0);
    }
}
