//! Announcements: marked by admins or community admins, shown until dismissed.

use crate::helpers::start;
use crate::social_support::ids;
use actix_web::http::StatusCode;
use hubbub_testkit::database::all_backends;
use serde_json::json;

#[actix_web::test]
async fn a_company_announcement_shows_to_everyone_until_each_person_dismisses_it() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let boss = app.register("boss").await;
        let bob = app.register("bob").await;
        let carol = app.register("carol").await;
        let post = app.post(&boss, "Office closed Friday #facilities").await;

        let refused = app
            .post_json(
                &boss,
                &format!("/api/v1/statuses/{post}/announce"),
                json!({}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "only admins announce company-wide"
        );
        assert!(
            app.get(&bob, "/api/v1/announcements")
                .await
                .body
                .as_array()
                .unwrap()
                .is_empty()
        );

        app.make_admin(&boss).await;
        let marked = app
            .post_json(
                &boss,
                &format!("/api/v1/statuses/{post}/announce"),
                json!({}),
            )
            .await;
        assert_eq!(marked.status, StatusCode::OK, "{:?}", marked.body);

        for person in [&bob, &carol] {
            let list = app.get(person, "/api/v1/announcements").await;
            assert_eq!(ids(&list), vec![post.clone()], "[{}]", app.backend);
            assert_eq!(list.body[0]["read"], false);
            assert!(
                list.body[0]["content"]
                    .as_str()
                    .unwrap()
                    .contains("/tags/facilities")
            );
            assert_eq!(list.body[0]["tags"][0]["name"], "facilities");
            assert_eq!(list.body[0]["status"]["id"], post.as_str());
        }
        let dismissed = app
            .post_json(
                &bob,
                &format!("/api/v1/announcements/{post}/dismiss"),
                json!({}),
            )
            .await;
        assert_eq!(dismissed.status, StatusCode::OK);
        assert!(
            app.get(&bob, "/api/v1/announcements")
                .await
                .body
                .as_array()
                .unwrap()
                .is_empty()
        );
        let all = app
            .get(&bob, "/api/v1/announcements?with_dismissed=true")
            .await;
        assert_eq!(all.body[0]["read"], true);
        assert_eq!(
            ids(&app.get(&carol, "/api/v1/announcements").await),
            vec![post.clone()],
            "carol has not dismissed it"
        );

        let unknown = app
            .post_json(&bob, "/api/v1/announcements/12345/dismiss", json!({}))
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let not_one = app.post(&bob, "just a post").await;
        let not_announced = app
            .post_json(
                &bob,
                &format!("/api/v1/announcements/{not_one}/dismiss"),
                json!({}),
            )
            .await;
        assert_eq!(not_announced.status, StatusCode::NOT_FOUND);

        let unmarked = app
            .post_json(
                &boss,
                &format!("/api/v1/statuses/{post}/unannounce"),
                json!({}),
            )
            .await;
        assert_eq!(unmarked.status, StatusCode::OK);
        assert!(
            app.get(&carol, "/api/v1/announcements")
                .await
                .body
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
}

#[actix_web::test]
async fn a_community_admin_pins_an_announcement_for_members_and_outsiders_never_see_it() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let lead = app.register("lead").await;
        let member = app.register("member").await;
        let outsider = app.register("outsider").await;
        let team = app.community(&lead, "Team", true).await;
        let member_id = app.account_id(&member).await;
        app.post_json(
            &member,
            &format!("/api/v1/communities/{team}/join"),
            json!({}),
        )
        .await;
        app.post_json(
            &lead,
            &format!("/api/v1/communities/{team}/requests/{member_id}/authorize"),
            json!({}),
        )
        .await;
        let pinned = app.post_in(&lead, &team, "Read the runbook first").await;
        let later = app.post_in(&member, &team, "later chatter").await;

        let by_member = app
            .post_json(
                &member,
                &format!("/api/v1/statuses/{later}/announce"),
                json!({}),
            )
            .await;
        assert_eq!(
            by_member.status,
            StatusCode::FORBIDDEN,
            "members cannot announce"
        );
        let by_outsider = app
            .post_json(
                &outsider,
                &format!("/api/v1/statuses/{pinned}/announce"),
                json!({}),
            )
            .await;
        assert_eq!(
            by_outsider.status,
            StatusCode::NOT_FOUND,
            "outsiders cannot even see it"
        );
        let marked = app
            .post_json(
                &lead,
                &format!("/api/v1/statuses/{pinned}/announce"),
                json!({}),
            )
            .await;
        assert_eq!(marked.status, StatusCode::OK, "{:?}", marked.body);

        let list = app.get(&member, "/api/v1/announcements").await;
        assert_eq!(ids(&list), vec![pinned.clone()], "[{}]", app.backend);
        assert_eq!(list.body[0]["community_id"], team.as_str());
        assert!(
            app.get(&outsider, "/api/v1/announcements")
                .await
                .body
                .as_array()
                .unwrap()
                .is_empty()
        );

        let feed = format!("/api/v1/timelines/community/{team}");
        assert_eq!(
            ids(&app.get(&member, &format!("{feed}?pinned=true")).await),
            vec![pinned.clone()]
        );
        assert_eq!(ids(&app.get(&member, &feed).await), [later, pinned]);
        assert_eq!(
            app.get(&outsider, &format!("{feed}?pinned=true"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}
