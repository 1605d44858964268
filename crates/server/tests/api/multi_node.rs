//! Many nodes: two API nodes and two gateways as separate `hubbub` processes
//! on loopback, sharing one fresh PostgreSQL database and a Redis channel of
//! their own. Runs when HUBBUB_TEST_DATABASE_URL and HUBBUB_TEST_REDIS_URL are
//! both set; says that it skipped otherwise.
//!
//! When a gateway dies, its client reconnects to the other one with
//! `?since=<the last event id it saw>` and gets what was posted in between,
//! then live events; the home timeline over HTTP agrees.

use anyhow::{Context, anyhow, bail};
use futures_util::{SinkExt, StreamExt};
use hubbub_testkit::database::TestDatabase;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const WAIT: Duration = Duration::from_secs(10);

/// A running `hubbub serve` process; killed when dropped.
struct Node {
    child: Child,
    addr: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(database_url: &str, redis_url: &str, channel: &str, dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hubbub"));
    command
        .env("HUBBUB_DATABASE_URL", database_url)
        .env("HUBBUB_REDIS_URL", redis_url)
        .env("HUBBUB_REDIS_CHANNEL", channel)
        .env("HUBBUB_DATA_DIR", dir)
        .env(
            "HUBBUB_JWT_SECRET",
            "multi-node-test-secret-of-at-least-32-bytes",
        )
        .env("HUBBUB_LISTEN", "127.0.0.1:0")
        .env("HUBBUB_STREAMING_LISTEN", "127.0.0.1:0")
        .env("HUBBUB_LOG_FORMAT", "json")
        .env("HUBBUB_LOG", "info");
    command
}

/// Starts a node with `role` and waits for its "hubbub is up" line, which
/// names the address it listens on. Its log keeps being drained so it never
/// blocks on a full pipe.
fn start(mut command: Command, role: &str) -> anyhow::Result<Node> {
    let mut child = command
        .args(["serve", "--role", role])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    let stderr = child.stderr.take().context("no stderr")?;
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let field = if role == "api" {
        "api_addr"
    } else {
        "streaming_addr"
    };
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = rx
            .recv_timeout(left)
            .map_err(|_| anyhow!("{role} node did not come up"))?;
        let Ok(entry) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        if entry["fields"]["message"] == "hubbub is up" {
            let addr = entry["fields"][field]
                .as_str()
                .context("address in the log")?
                .to_owned();
            // Keep draining the log in the background.
            std::thread::spawn(move || while rx.recv().is_ok() {});
            return Ok(Node { child, addr });
        }
    }
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn stream(gateway: &Node, token: &str, since: Option<&str>) -> anyhow::Result<Socket> {
    let since = since.map(|id| format!("&since={id}")).unwrap_or_default();
    let url = format!(
        "ws://{}/api/v1/streaming?stream=user&access_token={token}{since}",
        gateway.addr
    );
    Ok(tokio_tungstenite::connect_async(url).await?.0)
}

/// Waits for an `update` carrying post `id` (other events are skipped);
/// returns the event's outbox id, to resume from.
async fn expect_update(socket: &mut Socket, id: &str) -> anyhow::Result<String> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .map_err(|_| anyhow!("post {id} did not arrive"))?
            .context("stream ended")??;
        match message {
            Message::Text(text) => {
                let frame: Value = serde_json::from_str(text.as_str())?;
                let payload: Value =
                    serde_json::from_str(frame["payload"].as_str().unwrap_or("null"))?;
                if frame["event"] == "update" && payload["id"] == id {
                    return Ok(frame["id"].as_str().unwrap_or_default().to_owned());
                }
            }
            Message::Ping(data) => socket.send(Message::Pong(data)).await?,
            Message::Close(frame) => bail!("stream closed: {frame:?}"),
            _ => {}
        }
    }
}

struct Http {
    client: reqwest::Client,
}

impl Http {
    async fn call(
        &self,
        node: &Node,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Value,
    ) -> anyhow::Result<Value> {
        let url = format!("http://{}{path}", node.addr);
        let mut request = match method {
            "GET" => self.client.get(url),
            _ => self.client.post(url).json(&body),
        };
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await?;
        let status = response.status();
        let body: Value = response.json().await?;
        anyhow::ensure!(status.is_success(), "{method} {path}: {status} {body}");
        Ok(body)
    }

    async fn register(&self, node: &Node, name: &str) -> anyhow::Result<(String, String)> {
        let token = self
            .call(
                node,
                None,
                "POST",
                "/api/v1/accounts",
                json!({
                    "username": name, "email": format!("{name}@example.com"),
                    "password": "correct horse battery", "agreement": true,
                }),
            )
            .await?["access_token"]
            .as_str()
            .context("token")?
            .to_owned();
        let me = self
            .call(
                node,
                Some(&token),
                "GET",
                "/api/v1/accounts/verify_credentials",
                json!({}),
            )
            .await?;
        Ok((token, me["id"].as_str().context("id")?.to_owned()))
    }
}

#[tokio::test]
async fn two_api_nodes_and_two_gateways_share_posts_follows_and_survive_a_gateway_dying()
-> anyhow::Result<()> {
    let (Ok(pg), Ok(redis)) = (
        std::env::var("HUBBUB_TEST_DATABASE_URL"),
        std::env::var("HUBBUB_TEST_REDIS_URL"),
    ) else {
        eprintln!(
            "skipping the multi-node test: set HUBBUB_TEST_DATABASE_URL and HUBBUB_TEST_REDIS_URL to run it"
        );
        return Ok(());
    };
    let database = TestDatabase::postgres(&pg).await?;
    let channel = format!("hubbub:test:{}", uuid::Uuid::new_v4().simple());
    let dir = tempfile::tempdir()?;
    let make = || command(database.url(), &redis, &channel, dir.path());
    // Migrate once, so the four nodes do not race to.
    let status = make().arg("migrate").stderr(Stdio::null()).status()?;
    anyhow::ensure!(status.success(), "migrate failed");
    let api1 = start(make(), "api")?;
    let api2 = start(make(), "api")?;
    let gw1 = start(make(), "streaming")?;
    let gw2 = start(make(), "streaming")?;
    let http = Http {
        client: reqwest::Client::new(),
    };

    let (alice, alice_id) = http.register(&api1, "alice").await?;
    let (bob, _) = http.register(&api2, "bob").await?;
    // A follow made on node 2 ...
    http.call(
        &api2,
        Some(&bob),
        "POST",
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({}),
    )
    .await?;
    let mut on_gw1 = stream(&gw1, &bob, None).await?;
    let mut on_gw2 = stream(&gw2, &bob, None).await?;

    // ... and a post made through node 1 reaches clients on both gateways.
    let first = http
        .call(
            &api1,
            Some(&alice),
            "POST",
            "/api/v1/statuses",
            json!({"status": "hello from node 1"}),
        )
        .await?;
    let first_id = first["id"].as_str().context("id")?;
    let last_seen = expect_update(&mut on_gw1, first_id).await?;
    anyhow::ensure!(!last_seen.is_empty(), "frames carry their event id");
    expect_update(&mut on_gw2, first_id).await?;
    // Node 1 serves what the follow on node 2 changed.
    let home = http
        .call(
            &api1,
            Some(&bob),
            "GET",
            "/api/v1/timelines/home",
            json!({}),
        )
        .await?;
    assert_eq!(home[0]["id"], first_id);

    // One gateway dies; its client reconnects to the other.
    drop(gw1);
    let ended = tokio::time::timeout(WAIT, async {
        loop {
            match on_gw1.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the dead gateway's stream did not end");
    // Posted while the client was between gateways.
    let missed = http
        .call(
            &api2,
            Some(&alice),
            "POST",
            "/api/v1/statuses",
            json!({"status": "while you were away"}),
        )
        .await?;
    let mut reconnected = stream(&gw2, &bob, Some(&last_seen)).await?;
    let missed_id = missed["id"].as_str().context("id")?;
    expect_update(&mut reconnected, missed_id).await?;
    let live = http
        .call(
            &api2,
            Some(&alice),
            "POST",
            "/api/v1/statuses",
            json!({"status": "after the reconnect"}),
        )
        .await?;
    expect_update(&mut reconnected, live["id"].as_str().context("id")?).await?;
    expect_update(&mut on_gw2, live["id"].as_str().context("id")?).await?;
    let home = http
        .call(
            &api1,
            Some(&bob),
            "GET",
            "/api/v1/timelines/home",
            json!({}),
        )
        .await?;
    let ids: Vec<&str> = home
        .as_array()
        .context("array")?
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            live["id"].as_str().unwrap_or(""),
            missed["id"].as_str().unwrap_or(""),
            first_id
        ]
    );
    drop((api1, api2, gw2));
    Ok(())
}
