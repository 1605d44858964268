//! Notifications arrive live on the recipient's `user` and `user:notification`
//! streams, rendered for them, and on nobody else's.

use crate::helpers::{TestApp, data_dir, databases, test_settings};
use serde_json::{Value, json};
use std::time::Duration;

fn unique(name: &str) -> String {
    format!("{name}_{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

#[tokio::test]
async fn a_follow_and_a_favourite_are_streamed_live_to_the_recipient_only() -> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let alice = app.register(&unique("alice")).await?;
        let bob = app.register(&unique("bob")).await?;
        let carol = app.register(&unique("carol")).await?;
        let mut alices_user = app.stream(&alice.token, "user").await?;
        let mut alices_notifications = app.stream(&alice.token, "user:notification").await?;
        let mut carols_notifications = app.stream(&carol.token, "user:notification").await?;

        app.post_json(
            &bob.token,
            &format!("/api/v1/accounts/{}/follow", alice.id),
            json!({}),
        )
        .await?;
        for stream in [&mut alices_user, &mut alices_notifications] {
            let frame = stream.next_event(Duration::from_secs(5)).await?;
            assert_eq!(frame.event, "notification");
            let live: Value = serde_json::from_str(&frame.payload)?;
            assert_eq!(live["type"], "follow");
            assert_eq!(live["account"]["id"], json!(bob.id));
            assert_eq!(live["status"], Value::Null);
        }

        let post = app
            .post_json(
                &alice.token,
                "/api/v1/statuses",
                json!({"status": "Release notes are out"}),
            )
            .await?;
        let post_id = post["id"].as_str().unwrap_or_default().to_owned();
        // Alice's own post reaches her user stream as an update, not a notification.
        let update = alices_user.next_event(Duration::from_secs(5)).await?;
        assert_eq!(update.event, "update");
        app.post_json(
            &bob.token,
            &format!("/api/v1/statuses/{post_id}/favourite"),
            json!({}),
        )
        .await?;
        let frame = alices_notifications
            .next_event(Duration::from_secs(5))
            .await?;
        assert_eq!(frame.event, "notification");
        let live: Value = serde_json::from_str(&frame.payload)?;
        assert_eq!(live["type"], "favourite");
        assert_eq!(live["status"]["id"], json!(post_id));
        let listed = app
            .get_json(&alice.token, "/api/v1/notifications?types[]=favourite")
            .await?;
        assert_eq!(listed[0]["id"], live["id"], "the same notification");

        assert!(
            carols_notifications
                .next_event(Duration::from_millis(500))
                .await
                .is_err(),
            "carol is told nothing"
        );
        app.stop().await?;
    }
    Ok(())
}
