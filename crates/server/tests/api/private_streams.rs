//! Who receives what live: private-community posts reach members on `user` and
//! `community` and never anyone else, leaving stops them at once; the help desk
//! stream is for support staff; a suspended account's streams end. On SQLite,
//! and on PostgreSQL (with Redis as the bus when `HUBBUB_TEST_REDIS_URL` is set).

use crate::helpers::{Stream, TestApp, User, data_dir, databases, test_settings};
use chrono::Utc;
use futures_util::StreamExt;
use hubbub_core::ids::AccountId;
use hubbub_core::role::Role;
use hubbub_storage::Store;
use hubbub_testkit::database::TestDatabase;
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

/// How long a live event may take to arrive.
const LIVE: Duration = Duration::from_secs(5);

fn unique(name: &str) -> String {
    format!("{name}_{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

/// Starts Hubbub on `database`; on PostgreSQL with Redis as the bus when
/// `HUBBUB_TEST_REDIS_URL` is set (a channel of its own, so tests running at
/// once do not hear each other).
async fn start(database: &TestDatabase, dir: &tempfile::TempDir) -> anyhow::Result<TestApp> {
    let mut settings = test_settings(database.url(), dir.path().into())?;
    if database.url().starts_with("postgres")
        && let Ok(redis) = std::env::var("HUBBUB_TEST_REDIS_URL")
    {
        settings.redis_url = Some(redis);
        settings.redis_channel = unique("hubbub:test:streams");
    }
    TestApp::start(settings).await
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().unwrap_or_default().to_owned()
}

async fn post(app: &TestApp, user: &User, body: Value) -> anyhow::Result<String> {
    Ok(id_of(
        &app.post_json(&user.token, "/api/v1/statuses", body).await?,
    ))
}

/// Asserts the next event on `stream` is `update` of post `id`.
async fn expect_update(stream: &mut Stream, id: &str, what: &str) -> anyhow::Result<()> {
    let frame = stream.next_event(LIVE).await?;
    assert_eq!(frame.event, "update", "{what}");
    let status: Value = serde_json::from_str(&frame.payload)?;
    assert_eq!(status["id"], json!(id), "{what}");
    Ok(())
}

/// Opens a WebSocket on `query` and returns the first text message: what a
/// client sees when its stream is refused (Mastodon's `{"error","status"}`).
async fn first_message(app: &TestApp, token: &str, query: &str) -> anyhow::Result<Value> {
    let url = format!(
        "{}/api/v1/streaming?{query}&access_token={token}",
        app.streaming
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await?;
    loop {
        let message = tokio::time::timeout(LIVE, socket.next())
            .await?
            .ok_or_else(|| anyhow::anyhow!("stream closed"))??;
        if let Message::Text(text) = message {
            return Ok(serde_json::from_str(text.as_str())?);
        }
    }
}

/// The status and body of a server-sent-events request for `path`.
async fn sse_refusal(app: &TestApp, token: &str, path: &str) -> anyhow::Result<(u16, Value)> {
    let base = app.streaming.replacen("ws://", "http://", 1);
    let response = app
        .http
        .get(format!("{base}/api/v1/streaming{path}"))
        .bearer_auth(token)
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await?))
}

/// Opens the server-sent-events stream at `path`.
async fn sse_open(app: &TestApp, token: &str, path: &str) -> anyhow::Result<reqwest::Response> {
    let base = app.streaming.replacen("ws://", "http://", 1);
    let response = app
        .http
        .get(format!("{base}/api/v1/streaming{path}"))
        .bearer_auth(token)
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == 200,
        "SSE {path}: {}",
        response.status()
    );
    Ok(response)
}

/// The payload of the first `update` event on an open server-sent-events stream.
async fn sse_first_update(response: &mut reqwest::Response) -> anyhow::Result<Value> {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + LIVE;
    loop {
        if let Some(start) = text.find("event: update\ndata: ") {
            let data = &text[start + "event: update\ndata: ".len()..];
            if let Some(end) = data.find('\n') {
                return Ok(serde_json::from_str(&data[..end])?);
            }
        }
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await??
            .ok_or_else(|| anyhow::anyhow!("event stream ended"))?;
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn a_private_community_post_reaches_members_live_and_no_one_else_and_stops_when_they_leave()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = start(&database, &dir).await?;
        let carol = app.register(&unique("carol")).await?;
        let bob = app.register(&unique("bob")).await?;
        let dave = app.register(&unique("dave")).await?;
        let secret = id_of(
            &app.post_json(
                &carol.token,
                "/api/v1/communities",
                json!({"name": unique("Secret"), "private": true}),
            )
            .await?,
        );
        app.post_json(
            &bob.token,
            &format!("/api/v1/communities/{secret}/join"),
            json!({}),
        )
        .await?;
        app.post_json(
            &carol.token,
            &format!("/api/v1/communities/{secret}/requests/{}/authorize", bob.id),
            json!({}),
        )
        .await?;
        // Both follow the author: following alone must not let Dave in.
        for follower in [&bob, &dave] {
            app.post_json(
                &follower.token,
                &format!("/api/v1/accounts/{}/follow", carol.id),
                json!({}),
            )
            .await?;
        }
        let mut bob_home = app.stream(&bob.token, "user").await?;
        let mut bob_community = app
            .stream(&bob.token, &format!("community&community={secret}"))
            .await?;
        let mut dave_home = app.stream(&dave.token, "user").await?;
        let mut dave_public = app.stream(&dave.token, "public").await?;
        let mut dave_public_sse = sse_open(&app, &dave.token, "/public").await?;
        let refused = first_message(
            &app,
            &dave.token,
            &format!("stream=community&community={secret}"),
        )
        .await?;
        assert_eq!(
            refused,
            json!({"error": "Not authorized to stream this community", "status": 401})
        );
        let (status, body) =
            sse_refusal(&app, &dave.token, &format!("/community?community={secret}")).await?;
        assert_eq!((status, body["status"].clone()), (401, json!(401)));

        let private = post(
            &app,
            &carol,
            json!({"status": "members only #plans", "community_id": secret}),
        )
        .await?;
        let public = post(&app, &carol, json!({"status": "for everyone"})).await?;

        expect_update(&mut bob_home, &private, "a member's home gets the post").await?;
        expect_update(&mut bob_home, &public, "once, then the next post").await?;
        expect_update(&mut bob_community, &private, "the community stream").await?;
        expect_update(&mut dave_home, &public, "a follower who is no member").await?;
        expect_update(&mut dave_public, &public, "the public stream").await?;
        assert_eq!(
            sse_first_update(&mut dave_public_sse).await?["id"],
            json!(public),
            "the public stream over server-sent events"
        );

        app.post_json(
            &bob.token,
            &format!("/api/v1/communities/{secret}/leave"),
            json!({}),
        )
        .await?;
        post(
            &app,
            &carol,
            json!({"status": "after bob left", "community_id": secret}),
        )
        .await?;
        let later = post(&app, &carol, json!({"status": "public again"})).await?;

        expect_update(&mut bob_home, &later, "a former member's home").await?;
        assert!(
            bob_community
                .next_event(Duration::from_millis(500))
                .await
                .is_err(),
            "a former member's open community stream gets nothing more"
        );
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn support_staff_see_new_tickets_live_on_the_help_desk_stream_and_members_are_refused()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = start(&database, &dir).await?;
        let sam = app.register(&unique("sam")).await?;
        let ada = app.register(&unique("ada")).await?;
        let store = Store::connect(database.url(), 2).await?;
        assert!(
            store
                .set_role(AccountId(sam.id.parse()?), Role::Support, None)
                .await?
        );
        let secret = id_of(
            &app.post_json(
                &ada.token,
                "/api/v1/communities",
                json!({"name": unique("Hidden"), "private": true}),
            )
            .await?,
        );
        let mut desk = app.stream(&sam.token, "helpdesk").await?;
        let refused = first_message(&app, &ada.token, "stream=helpdesk").await?;
        assert_eq!(
            refused,
            json!({"error": "Not authorized to stream the help desk", "status": 401})
        );
        let (status, body) = sse_refusal(&app, &ada.token, "/helpdesk").await?;
        assert_eq!((status, body["status"].clone()), (401, json!(401)));

        post(
            &app,
            &ada,
            json!({"status": "printer on fire #helpdesk", "community_id": secret}),
        )
        .await?;
        let question = post(&app, &ada, json!({"status": "The VPN drops #helpdesk"})).await?;

        let frame = desk.next_event(LIVE).await?;
        assert_eq!(frame.event, "hubbub.ticket");
        let live: Value = serde_json::from_str(&frame.payload)?;
        assert_eq!(
            live["id"],
            json!(question),
            "the private community's ticket is not for support outside it"
        );
        assert_eq!(live["state"], "open");
        let mut shown = app
            .get_json(&sam.token, &format!("/api/v1/helpdesk/tickets/{question}"))
            .await?;
        if let Some(ticket) = shown.as_object_mut() {
            ticket.remove("events");
        }
        assert_eq!(live, shown, "the stream shows the ticket as the API does");
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn suspending_an_account_ends_its_open_streams_and_refuses_new_ones() -> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = start(&database, &dir).await?;
        let eve = app.register(&unique("eve")).await?;
        let mut stream = app.stream(&eve.token, "user").await?;
        let store = Store::connect(database.url(), 2).await?;

        assert!(
            store
                .set_disabled(AccountId(eve.id.parse()?), true, Utc::now())
                .await?
        );

        stream.expect_closed(LIVE).await?;
        assert!(
            app.stream(&eve.token, "user").await.is_err(),
            "the gateway refuses a suspended account"
        );
        app.stop().await?;
    }
    Ok(())
}
