//! Server-sent events on the gateway's listener.

use crate::support::{Harness, WAIT};
use anyhow::Context;
use hubbub_realtime::{Bus, GatewayLimits, RelayOptions};
use hubbub_testkit::database::BackendUnderTest;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A raw event-stream client.
struct EventStream {
    socket: TcpStream,
    buffer: String,
}

impl EventStream {
    async fn open(harness: &Harness, path: &str, extra: &str) -> anyhow::Result<(Self, String)> {
        let mut socket = TcpStream::connect(harness.addr).await?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n");
        socket.write_all(request.as_bytes()).await?;
        let mut client = Self {
            socket,
            buffer: String::new(),
        };
        let head = client.until("\r\n\r\n").await?;
        Ok((client, head))
    }

    /// Reads up to and including `end`, waiting at most [`WAIT`].
    async fn until(&mut self, end: &str) -> anyhow::Result<String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(at) = self.buffer.find(end) {
                let rest = self.buffer.split_off(at + end.len());
                return Ok(std::mem::replace(&mut self.buffer, rest));
            }
            let mut chunk = [0u8; 4096];
            let read = tokio::time::timeout_at(deadline, self.socket.read(&mut chunk))
                .await
                .context("nothing arrived in time")??;
            anyhow::ensure!(read > 0, "the stream ended");
            self.buffer.push_str(std::str::from_utf8(&chunk[..read])?);
        }
    }

    /// The next event block (skipping comments), as its field lines.
    async fn next_event(&mut self) -> anyhow::Result<Vec<(String, String)>> {
        loop {
            let block = self.until("\n\n").await?;
            let fields: Vec<(String, String)> = block
                .lines()
                .filter(|line| !line.starts_with(':') && !line.is_empty())
                .filter_map(|line| line.split_once(": "))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            if !fields.is_empty() {
                return Ok(fields);
            }
        }
    }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

async fn harness() -> anyhow::Result<Harness> {
    let limits = GatewayLimits {
        sse_heartbeat: Duration::from_millis(100),
        ..Default::default()
    };
    Harness::start_on(
        &BackendUnderTest::Sqlite,
        Bus::in_process(),
        limits,
        RelayOptions::default(),
    )
    .await
}

#[tokio::test]
async fn the_user_event_stream_delivers_updates_and_deletes_with_ids_and_heartbeats()
-> anyhow::Result<()> {
    let harness = harness().await?;
    let alice = harness.user("alice").await?;
    let (mut events, head) = EventStream::open(
        &harness,
        "/api/v1/streaming/user",
        &format!("Authorization: Bearer {}\r\n", alice.token),
    )
    .await?;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("content-type: text/event-stream"), "{head}");

    let status = harness.post(&alice, "over SSE").await?;
    let update = events.next_event().await?;
    assert_eq!(field(&update, "event"), "update");
    let data: serde_json::Value = serde_json::from_str(field(&update, "data"))?;
    assert_eq!(data["id"], status.to_string());
    let update_id: i64 = field(&update, "id").parse()?;

    harness.delete(status).await?;
    let delete = events.next_event().await?;
    assert_eq!(field(&delete, "event"), "delete");
    let data: serde_json::Value = serde_json::from_str(field(&delete, "data"))?;
    assert_eq!(data.to_string(), status.to_string());
    assert!(field(&delete, "id").parse::<i64>()? > update_id);

    // Idle now: a heartbeat comment arrives well inside its interval.
    events.until(":thump\n\n").await?;
    Ok(())
}

#[tokio::test]
async fn an_event_stream_reconnecting_with_last_event_id_gets_what_it_missed() -> anyhow::Result<()>
{
    let harness = harness().await?;
    let alice = harness.user("alice").await?;
    let path = format!("/api/v1/streaming/public?access_token={}", alice.token);
    let (mut events, _) = EventStream::open(&harness, &path, "").await?;
    harness.post(&alice, "first").await?;
    let first = events.next_event().await?;
    drop(events);
    let missed = harness.post(&alice, "missed").await?;

    let (mut events, _) = EventStream::open(
        &harness,
        &path,
        &format!("Last-Event-ID: {}\r\n", field(&first, "id")),
    )
    .await?;

    let replayed = events.next_event().await?;
    let data: serde_json::Value = serde_json::from_str(field(&replayed, "data"))?;
    assert_eq!(data["id"], missed.to_string());
    Ok(())
}

#[tokio::test]
async fn unknown_and_incomplete_event_streams_are_refused_in_mastodons_form() -> anyhow::Result<()>
{
    let harness = harness().await?;
    let alice = harness.user("alice").await?;
    for (path, message) in [
        ("/api/v1/streaming/nonsense", "Unknown stream type"),
        ("/api/v1/streaming/hashtag", "No tag for stream provided"),
    ] {
        let response = harness
            .raw_http(&format!(
                "GET {path}?access_token={} HTTP/1.1\r\nHost: x\r\n\r\n",
                alice.token
            ))
            .await?;
        assert!(response.starts_with("HTTP/1.1 400"), "{response}");
        let body: serde_json::Value =
            serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap_or_default())?;
        assert_eq!(body, serde_json::json!({"error": message, "status": 400}));
    }
    Ok(())
}
