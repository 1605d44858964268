//! Spawning Hubbub on port 0 and talking to it like a client would.

use anyhow::{Context, anyhow};
use futures_util::{SinkExt, StreamExt};
use hubbub_server::settings::{RawSettings, Settings};
use hubbub_server::{Listeners, launch};
use hubbub_testkit::database::TestDatabase;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// A running Hubbub and the ways to reach it.
pub struct TestApp {
    pub base: String,
    pub streaming: String,
    pub http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

/// Settings for a test instance on `database` with its files in `data_dir`.
pub fn test_settings(database_url: &str, data_dir: PathBuf) -> anyhow::Result<Settings> {
    RawSettings {
        listen: "127.0.0.1:0".into(),
        streaming_listen: "127.0.0.1:0".into(),
        data_dir,
        database_url: Some(database_url.to_owned()),
        redis_url: None,
        redis_channel: "hubbub:test".into(),
        public_url: None,
        streaming_url: None,
        jwt_secret: None,
        open_registration: "true".into(),
        max_status_chars: "5000".into(),
        role: "all".into(),
        outbox_retention: "24h".into(),
        streaming_max_connections_per_account: "64".into(),
        rate_limit: "300".into(),
        rate_limit_sign_in: "25".into(),
        trust_proxy: "false".into(),
        sso: Default::default(),
        email: Default::default(),
    }
    .check()
    .map_err(anyhow::Error::from)
}

impl TestApp {
    /// Starts Hubbub with `settings` and waits until it answers.
    pub async fn start(settings: Settings) -> anyhow::Result<Self> {
        let listeners = Listeners::bind(settings.listen, settings.streaming_listen)?;
        Self::start_on(settings, listeners).await
    }

    /// Starts Hubbub on listeners bound beforehand (when the address must be known
    /// first, e.g. for an identity provider's redirect URI).
    pub async fn start_on(settings: Settings, listeners: Listeners) -> anyhow::Result<Self> {
        let api = listeners.api.as_ref().context("no API listener")?;
        let base = format!("http://{}", api.local_addr()?);
        let gateway = listeners
            .streaming
            .as_ref()
            .context("no streaming listener")?;
        let streaming = format!("ws://{}", gateway.local_addr()?);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(launch(settings, listeners, async move {
            let _ = stopped.await;
        }));
        let http = reqwest::Client::new();
        let app = Self {
            base,
            streaming,
            http,
            stop: Some(stop),
            task: Some(task),
        };
        for _ in 0..200 {
            if let Ok(response) = app.http.get(app.url("/api/v1/instance")).send().await
                && response.status().is_success()
            {
                return Ok(app);
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Err(anyhow!("hubbub did not answer within 5 s"))
    }

    /// Stops the server and waits until it has shut down.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(15), task)
                .await
                .context("server did not stop within 15 s")???;
        }
        Ok(())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Registers `username` and returns its access token and account id.
    pub async fn register(&self, username: &str) -> anyhow::Result<User> {
        let response = self
            .http
            .post(self.url("/api/v1/accounts"))
            .json(&json!({
                "username": username,
                "email": format!("{}@example.com", username.to_lowercase()),
                "password": "correct horse battery",
                "agreement": true,
                "locale": "en",
            }))
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        anyhow::ensure!(status.is_success(), "register {username}: {status} {body}");
        let token = body["access_token"]
            .as_str()
            .context("access_token")?
            .to_owned();
        let me: Value = self
            .get_json(&token, "/api/v1/accounts/verify_credentials")
            .await?;
        let id = me["id"].as_str().context("id")?.to_owned();
        Ok(User { token, id })
    }

    pub async fn get_json(&self, token: &str, path: &str) -> anyhow::Result<Value> {
        let response = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        anyhow::ensure!(status.is_success(), "GET {path}: {status} {body}");
        Ok(body)
    }

    pub async fn post_json(&self, token: &str, path: &str, body: Value) -> anyhow::Result<Value> {
        let response = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        anyhow::ensure!(status.is_success(), "POST {path}: {status} {body}");
        Ok(body)
    }

    /// Opens `stream` on the gateway with the token in the query string.
    pub async fn stream(&self, token: &str, stream: &str) -> anyhow::Result<Stream> {
        let url = format!(
            "{}/api/v1/streaming?stream={stream}&access_token={token}",
            self.streaming
        );
        let (socket, _) = tokio_tungstenite::connect_async(url.into_client_request()?).await?;
        Ok(Stream { socket })
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A signed-in test user.
pub struct User {
    pub token: String,
    pub id: String,
}

/// A client's view of one WebSocket stream.
pub struct Stream {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// One Mastodon streaming frame.
#[derive(Debug)]
pub struct Frame {
    pub event: String,
    pub payload: String,
}

impl Stream {
    /// Waits up to `within` for the next event frame.
    pub async fn next_event(&mut self, within: Duration) -> anyhow::Result<Frame> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .context("no event arrived in time")?
                .context("stream closed")??;
            match message {
                Message::Text(text) => {
                    let frame: Value = serde_json::from_str(text.as_str())?;
                    if let Some(event) = frame["event"].as_str() {
                        return Ok(Frame {
                            event: event.to_owned(),
                            payload: frame["payload"].as_str().unwrap_or_default().to_owned(),
                        });
                    }
                }
                Message::Ping(data) => self.socket.send(Message::Pong(data)).await?,
                Message::Close(frame) => anyhow::bail!("stream closed: {frame:?}"),
                _ => {}
            }
        }
    }

    /// Waits for the server to end the stream.
    pub async fn expect_closed(&mut self, within: Duration) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => anyhow::bail!("stream still open after {within:?}"),
                Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return Ok(()),
                Ok(Some(Ok(_))) => {}
            }
        }
    }
}

/// Every backend under test: SQLite always, PostgreSQL when configured.
pub async fn databases() -> anyhow::Result<Vec<TestDatabase>> {
    let mut databases = Vec::new();
    for backend in hubbub_testkit::database::all_backends() {
        databases.push(backend.create().await?);
    }
    Ok(databases)
}

/// A fresh temporary data folder.
pub fn data_dir() -> anyhow::Result<tempfile::TempDir> {
    Ok(tempfile::tempdir()?)
}
