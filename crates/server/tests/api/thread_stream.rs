//! Threads live: `status.update` after an edit reaches the author's followers, and
//! the `thread` stream carries a thread's new, edited and deleted posts — but
//! nothing of a private community's thread.
//! Followed topics reach `user` live, as they reach the home feed.

use crate::helpers::{TestApp, data_dir, databases, test_settings};
use serde_json::{Value, json};
use std::time::Duration;

fn unique(name: &str) -> String {
    format!("{name}_{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

fn id_of(status: &Value) -> String {
    status["id"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn edits_stream_as_status_update_and_the_thread_stream_follows_one_thread()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let alice = app.register(&unique("alice")).await?;
        let bob = app.register(&unique("bob")).await?;
        let carol = app.register(&unique("carol")).await?;
        app.post_json(
            &bob.token,
            &format!("/api/v1/accounts/{}/follow", alice.id),
            json!({}),
        )
        .await?;
        let mut bobs_user = app.stream(&bob.token, "user").await?;
        let root = app
            .post_json(&alice.token, "/api/v1/statuses", json!({"status": "v1"}))
            .await?;
        let root = id_of(&root);
        assert_eq!(
            bobs_user.next_event(Duration::from_secs(2)).await?.event,
            "update"
        );
        let mut carols_thread = app
            .stream(&carol.token, &format!("thread&thread={root}"))
            .await?;

        let reply = app
            .post_json(
                &carol.token,
                "/api/v1/statuses",
                json!({"status": "a reply", "in_reply_to_id": root}),
            )
            .await?;
        let frame = carols_thread.next_event(Duration::from_secs(2)).await?;
        assert_eq!(frame.event, "update");
        assert_eq!(
            serde_json::from_str::<Value>(&frame.payload)?["id"],
            reply["id"]
        );

        let edited = app
            .http
            .put(app.url(&format!("/api/v1/statuses/{root}")))
            .bearer_auth(&alice.token)
            .json(&json!({"status": "v2"}))
            .send()
            .await?;
        assert_eq!(edited.status(), 200);
        for stream in [&mut bobs_user, &mut carols_thread] {
            let frame = stream.next_event(Duration::from_secs(2)).await?;
            assert_eq!(frame.event, "status.update");
            let live: Value = serde_json::from_str(&frame.payload)?;
            assert_eq!(live["id"], json!(root));
            assert_eq!(live["text"], "v2");
            assert!(live["edited_at"].is_string());
        }

        // Another thread's post does not reach the thread stream; the reply's
        // deletion does.
        app.post_json(&alice.token, "/api/v1/statuses", json!({"status": "other"}))
            .await?;
        let deleted = app
            .http
            .delete(app.url(&format!("/api/v1/statuses/{}", id_of(&reply))))
            .bearer_auth(&carol.token)
            .send()
            .await?;
        assert_eq!(deleted.status(), 200);
        let frame = carols_thread.next_event(Duration::from_secs(2)).await?;
        assert_eq!(frame.event, "delete");
        assert_eq!(frame.payload, id_of(&reply));

        // A private community's thread streams nothing to a non-member.
        let hr = app
            .post_json(
                &alice.token,
                "/api/v1/communities",
                json!({"name": unique("hr"), "description": "", "private": true}),
            )
            .await?;
        let secret = app
            .post_json(
                &alice.token,
                "/api/v1/statuses",
                json!({"status": "secret", "community_id": hr["id"]}),
            )
            .await?;
        let mut carols_secret = app
            .stream(&carol.token, &format!("thread&thread={}", id_of(&secret)))
            .await?;
        app.post_json(
            &alice.token,
            "/api/v1/statuses",
            json!({"status": "more secret", "in_reply_to_id": secret["id"]}),
        )
        .await?;
        assert!(
            carols_secret
                .next_event(Duration::from_millis(800))
                .await
                .is_err(),
            "a non-member's thread stream stays silent"
        );
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_followed_topic_streams_on_user_from_people_not_followed_until_unfollowed()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let alice = app.register(&unique("alice")).await?;
        let bob = app.register(&unique("bob")).await?;
        // Alice opens her stream first: the follow must widen a live connection.
        let mut alices_user = app.stream(&alice.token, "user").await?;
        app.post_json(&alice.token, "/api/v1/tags/vpn/follow", json!({}))
            .await?;

        let tagged = app
            .post_json(
                &bob.token,
                "/api/v1/statuses",
                json!({"status": "The #VPN drops every hour"}),
            )
            .await?;
        let frame = alices_user.next_event(Duration::from_secs(2)).await?;
        assert_eq!(frame.event, "update");
        assert_eq!(
            serde_json::from_str::<Value>(&frame.payload)?["id"],
            tagged["id"]
        );

        // A new connection loads the follow from storage.
        let mut alices_second = app.stream(&alice.token, "user").await?;
        let again = app
            .post_json(
                &bob.token,
                "/api/v1/statuses",
                json!({"status": "#vpn fixed"}),
            )
            .await?;
        for stream in [&mut alices_user, &mut alices_second] {
            let frame = stream.next_event(Duration::from_secs(2)).await?;
            assert_eq!(
                serde_json::from_str::<Value>(&frame.payload)?["id"],
                again["id"]
            );
        }

        app.post_json(&alice.token, "/api/v1/tags/vpn/unfollow", json!({}))
            .await?;
        app.post_json(
            &bob.token,
            "/api/v1/statuses",
            json!({"status": "#vpn again"}),
        )
        .await?;
        assert!(
            alices_user
                .next_event(Duration::from_millis(800))
                .await
                .is_err(),
            "after unfollowing, the topic's posts stop"
        );
        app.stop().await?;
    }
    Ok(())
}
