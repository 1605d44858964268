//! The foundation's path: register, follow, post, see it live, page, delete, revoke.

use crate::helpers::{TestApp, data_dir, databases, test_settings};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::{Duration, Instant};

fn unique(name: &str) -> String {
    format!("{name}_{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

#[tokio::test]
async fn a_followed_persons_post_arrives_live_and_in_the_home_timeline_then_its_deletion()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let alice = app.register(&unique("alice")).await?;
        let bob = app.register(&unique("bob")).await?;
        let carol = app.register(&unique("carol")).await?;
        let relationship = app
            .post_json(
                &bob.token,
                &format!("/api/v1/accounts/{}/follow", alice.id),
                json!({}),
            )
            .await?;
        assert_eq!(relationship["following"], true);
        let mut bobs_stream = app.stream(&bob.token, "user").await?;

        app.post_json(
            &carol.token,
            "/api/v1/statuses",
            json!({"status": "not followed"}),
        )
        .await?;
        let sent = Instant::now();
        let status = app
            .post_json(
                &alice.token,
                "/api/v1/statuses",
                json!({"status": "Hello, <b>team</b>!"}),
            )
            .await?;
        let frame = bobs_stream.next_event(Duration::from_secs(2)).await?;
        let latency = sent.elapsed();
        assert_eq!(frame.event, "update");
        let live: Value = serde_json::from_str(&frame.payload)?;
        assert_eq!(live["id"], status["id"]);
        assert_eq!(live["content"], "<p>Hello, &lt;b&gt;team&lt;/b&gt;!</p>");
        assert_eq!(live["account"]["id"], json!(alice.id));
        eprintln!(
            "post to follower's stream: {latency:?} on {}",
            database.url()
        );

        let home = app.get_json(&bob.token, "/api/v1/timelines/home").await?;
        let ids: Vec<&str> = home
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["id"].as_str())
            .collect();
        assert_eq!(ids, vec![status["id"].as_str().unwrap_or_default()]);

        let deleted = app
            .http
            .delete(app.url(&format!(
                "/api/v1/statuses/{}",
                status["id"].as_str().unwrap_or_default()
            )))
            .bearer_auth(&alice.token)
            .send()
            .await?;
        assert_eq!(deleted.status(), 200);
        let frame = bobs_stream.next_event(Duration::from_secs(2)).await?;
        assert_eq!(frame.event, "delete");
        assert_eq!(frame.payload, status["id"].as_str().unwrap_or_default());
        let home = app.get_json(&bob.token, "/api/v1/timelines/home").await?;
        assert_eq!(home, json!([]));
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_home_timeline_pages_through_the_link_header_without_gaps_or_duplicates()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let writer = app.register(&unique("writer")).await?;
        let reader = app.register(&unique("reader")).await?;
        app.post_json(
            &reader.token,
            &format!("/api/v1/accounts/{}/follow", writer.id),
            json!({}),
        )
        .await?;
        let mut posted = Vec::new();
        for n in 0..12 {
            let status = app
                .post_json(
                    &writer.token,
                    "/api/v1/statuses",
                    json!({"status": format!("post {n}")}),
                )
                .await?;
            posted.push(status["id"].as_str().unwrap_or_default().to_owned());
        }
        posted.reverse();

        let mut seen = Vec::new();
        let mut next = Some(app.url("/api/v1/timelines/home?limit=5"));
        let mut pages = 0;
        while let Some(url) = next.take() {
            let response = app.http.get(&url).bearer_auth(&reader.token).send().await?;
            assert_eq!(response.status(), 200);
            let link = response
                .headers()
                .get("link")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let page: Vec<Value> = response.json().await?;
            if page.is_empty() {
                break;
            }
            pages += 1;
            seen.extend(
                page.iter()
                    .filter_map(|s| s["id"].as_str().map(str::to_owned)),
            );
            next = link
                .split(',')
                .find(|part| part.contains("rel=\"next\""))
                .and_then(|part| part.split(['<', '>']).nth(1))
                .map(str::to_owned);
        }
        assert_eq!(pages, 3, "12 posts at 5 a page");
        assert_eq!(seen, posted, "newest first, none missing");
        assert_eq!(
            seen.iter().collect::<HashSet<_>>().len(),
            12,
            "no duplicates"
        );
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_revoked_token_is_refused_by_the_api_and_the_gateway_and_ends_open_streams()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let name = unique("dana");
        app.register(&name).await?;
        let client: Value = app
            .http
            .post(app.url("/api/v1/apps"))
            .json(&json!({"client_name": "test", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write follow"}))
            .send()
            .await?
            .json()
            .await?;
        let grant: Value = app
            .http
            .post(app.url("/oauth/token"))
            .form(&[
                ("grant_type", "password"),
                ("username", name.as_str()),
                ("password", "correct horse battery"),
                (
                    "client_id",
                    client["client_id"].as_str().unwrap_or_default(),
                ),
                (
                    "client_secret",
                    client["client_secret"].as_str().unwrap_or_default(),
                ),
                ("scope", "read write follow"),
            ])
            .send()
            .await?
            .json()
            .await?;
        let token = grant["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(grant["token_type"], "Bearer");
        app.get_json(&token, "/api/v1/accounts/verify_credentials")
            .await?;
        let mut stream = app.stream(&token, "user").await?;

        let revoked = app
            .http
            .post(app.url("/oauth/revoke"))
            .form(&[
                ("token", token.as_str()),
                (
                    "client_id",
                    client["client_id"].as_str().unwrap_or_default(),
                ),
                (
                    "client_secret",
                    client["client_secret"].as_str().unwrap_or_default(),
                ),
            ])
            .send()
            .await?;
        assert_eq!(revoked.status(), 200);

        stream.expect_closed(Duration::from_secs(2)).await?;
        let refused = app
            .http
            .get(app.url("/api/v1/accounts/verify_credentials"))
            .bearer_auth(&token)
            .send()
            .await?;
        assert_eq!(refused.status(), 401);
        let body: Value = refused.json().await?;
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
        assert!(
            app.stream(&token, "user").await.is_err(),
            "gateway must refuse a revoked token"
        );
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_instance_tells_clients_where_the_gateway_streams() -> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let dir = data_dir()?;
    let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
    for path in ["/api/v2/instance", "/api/v2/instance/"] {
        let instance: Value = app.http.get(app.url(path)).send().await?.json().await?;
        assert_eq!(
            instance["configuration"]["urls"]["streaming"],
            json!(app.streaming)
        );
        assert!(
            instance["version"]
                .as_str()
                .unwrap_or_default()
                .starts_with("4.")
        );
    }
    let v1: Value = app
        .http
        .get(app.url("/api/v1/instance/"))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(v1["urls"]["streaming_api"], json!(app.streaming));
    app.stop().await
}
