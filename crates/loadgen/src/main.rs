//! `hubbub-loadgen`: opens many authenticated WebSocket streams against one or
//! more Hubbub gateways, drives stamped events through them (straight onto the
//! Redis bus, or as posts through the HTTP API), and reports deliveries per
//! second, delivery latency percentiles, gaps, duplicates, and the servers'
//! memory per connection and CPU.
//!
//! Every event carries its send time (`stamp`, nanoseconds since the Unix
//! epoch; the generator and servers share the machine's clock) and every frame
//! its event id, so each client checks it got every event once, in order.

use anyhow::{Context, bail};
use clap::Parser;
use futures_util::{StreamExt, TryStreamExt};
use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::{AccountId, EventId, StatusId};
use hubbub_core::visibility::PostAudience;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// Load generator for Hubbub's streaming gateway.
#[derive(Debug, Parser)]
#[command(name = "hubbub-loadgen", version, about)]
struct Args {
    /// Base URL of the HTTP API (accounts are registered there).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    api: String,
    /// Gateway addresses (host:port), comma separated; clients are spread
    /// over them round robin.
    #[arg(long, default_value = "127.0.0.1:8081", value_delimiter = ',')]
    gateways: Vec<String>,
    /// Open streaming connections.
    #[arg(long, default_value_t = 1000)]
    connections: usize,
    /// Accounts the connections are spread over.
    #[arg(long, default_value_t = 100)]
    users: usize,
    /// Local source addresses 127.0.0.1..=127.0.0.N, to stay clear of the
    /// ephemeral port range of one address.
    #[arg(long, default_value_t = 8)]
    sources: u8,
    /// New connections per second.
    #[arg(long, default_value_t = 2000)]
    connect_rate: u32,
    /// How events are driven: `bus` (PUBLISH to Redis), `api` (POST
    /// /api/v1/statuses), or `listen` (send nothing: this process only holds
    /// connections and reports what they receive from another generator).
    #[arg(long, default_value = "bus")]
    mode: String,
    /// Stream every connection subscribes to: `public` or `user` (home).
    #[arg(long, default_value = "public")]
    stream: String,
    /// With N > 0, the first N accounts are authors: every other account
    /// follows one of them (round robin), connections go to the followers
    /// only, and `--mode api` posts as the authors in turn.
    #[arg(long, default_value_t = 0)]
    authors: usize,
    /// File of access tokens, one per line: read instead of registering
    /// accounts when it exists (so a freshly started server's memory is not
    /// clouded by password hashing), written after registering when it does not.
    /// Not for `--authors` runs, which need the follows made at registration.
    #[arg(long)]
    token_file: Option<std::path::PathBuf>,
    /// Requests to the API in flight at once while setting up.
    #[arg(long, default_value_t = 16)]
    setup_concurrency: usize,
    /// Redis URL, for `--mode bus`.
    #[arg(long, default_value = "redis://127.0.0.1:6379")]
    redis: String,
    /// Redis channel the gateways share, for `--mode bus`.
    #[arg(long, default_value = "hubbub:events")]
    channel: String,
    /// Events per second.
    #[arg(long, default_value_t = 1.0)]
    rate: f64,
    /// Seconds of sending.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Approximate size of each status JSON, in bytes.
    #[arg(long, default_value_t = 400)]
    payload_bytes: usize,
    /// Percentage of connections that never read (slow clients).
    #[arg(long, default_value_t = 0.0)]
    slow_percent: f64,
    /// Seconds into the sending at which every client drops its socket and
    /// reconnects with `since=<last event id>`.
    #[arg(long)]
    reconnect_at: Option<u64>,
    /// Server process ids whose memory and CPU are reported.
    #[arg(long, value_delimiter = ',')]
    server_pid: Vec<u32>,
    /// Seconds to sit idle after connecting, before sending (memory is
    /// measured at its end).
    #[arg(long, default_value_t = 2)]
    settle: u64,
}

/// Each client's read buffer: a few frames of the default payload.
const READ_BUFFER_BYTES: usize = 4096;

/// Latency histogram: 10 µs buckets up to 5 s, then one overflow bucket.
struct Histogram {
    buckets: Vec<AtomicU64>,
    max_us: AtomicU64,
}

const BUCKET_US: u64 = 10;
const BUCKETS: usize = 500_000;

impl Histogram {
    fn new() -> Self {
        Self {
            buckets: (0..=BUCKETS).map(|_| AtomicU64::new(0)).collect(),
            max_us: AtomicU64::new(0),
        }
    }

    fn record(&self, micros: u64) {
        let index = ((micros / BUCKET_US) as usize).min(BUCKETS);
        if let Some(bucket) = self.buckets.get(index) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.max_us.fetch_max(micros, Ordering::Relaxed);
    }

    /// The `q` quantile in milliseconds.
    fn quantile_ms(&self, q: f64) -> f64 {
        let counts: Vec<u64> = self
            .buckets
            .iter()
            .map(|b| b.load(Ordering::Relaxed))
            .collect();
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return 0.0;
        }
        let target = ((total as f64) * q).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (index, count) in counts.iter().enumerate() {
            seen += count;
            if seen >= target {
                return ((index as u64 + 1) * BUCKET_US) as f64 / 1000.0;
            }
        }
        self.max_us.load(Ordering::Relaxed) as f64 / 1000.0
    }
}

/// Counters shared by every client.
struct Stats {
    delivered: AtomicU64,
    gaps: AtomicU64,
    duplicates: AtomicU64,
    connected: AtomicUsize,
    closed_too_slow: AtomicU64,
    closed_other: AtomicU64,
    reconnected: AtomicUsize,
    /// When the latest reconnection completed (ns since the epoch).
    last_reconnect_ns: AtomicI64,
    latency: Histogram,
}

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or_default()
}

/// The number after `key` in `text`, if any.
fn number_after(text: &str, key: &str) -> Option<i64> {
    let at = text.find(key)? + key.len();
    let digits: &str = &text[at..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// One plain HTTP/1.1 request; returns the status and the body.
async fn http(
    api: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> anyhow::Result<(u16, String)> {
    let host = api
        .strip_prefix("http://")
        .context("--api must be http://host:port")?
        .trim_end_matches('/');
    let mut stream = TcpStream::connect(host).await?;
    let auth = token
        .map(|t| format!("authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {host}\r\n{auth}content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// Registers `count` accounts, `concurrency` at a time; returns their tokens
/// in order.
async fn register(api: &str, count: usize, concurrency: usize) -> anyhow::Result<Vec<String>> {
    let run = now_ns() % 1_000_000_000;
    let register_one = |n: usize| async move {
        let name = format!("lg{run}x{n}");
        let body = serde_json::json!({
            "username": name, "email": format!("{name}@example.com"),
            "password": "loadgen-password-123", "agreement": true,
        })
        .to_string();
        let (status, body) = http(api, "POST", "/api/v1/accounts", None, &body).await?;
        if status != 200 {
            bail!("registering {name}: HTTP {status}: {body}");
        }
        let json: serde_json::Value = serde_json::from_str(&body)?;
        let token = json["access_token"]
            .as_str()
            .context("no access_token in the registration answer")?;
        Ok(token.to_owned())
    };
    futures_util::stream::iter(0..count)
        .map(register_one)
        .buffered(concurrency.max(1))
        .try_collect()
        .await
}

/// Makes every account after the first `authors` follow one author, round
/// robin; returns the follower count of each author.
async fn follow_authors(
    api: &str,
    tokens: &[String],
    authors: usize,
    concurrency: usize,
) -> anyhow::Result<Vec<usize>> {
    let mut author_ids = Vec::with_capacity(authors);
    for token in &tokens[..authors] {
        let (status, body) = http(
            api,
            "GET",
            "/api/v1/accounts/verify_credentials",
            Some(token),
            "",
        )
        .await?;
        if status != 200 {
            bail!("verify_credentials: HTTP {status}: {body}");
        }
        let json: serde_json::Value = serde_json::from_str(&body)?;
        let id = json["id"].as_str().context("no id in the account")?;
        author_ids.push(id.to_owned());
    }
    let author_ids = &author_ids;
    let follow_one = |n: usize| async move {
        let path = format!("/api/v1/accounts/{}/follow", author_ids[n % authors]);
        let (status, body) = http(api, "POST", &path, Some(&tokens[n]), "{}").await?;
        if status != 200 {
            bail!("following: HTTP {status}: {body}");
        }
        anyhow::Ok(())
    };
    futures_util::stream::iter(authors..tokens.len())
        .map(follow_one)
        .buffer_unordered(concurrency.max(1))
        .try_collect::<()>()
        .await?;
    Ok((0..authors)
        .map(|a| (authors..tokens.len()).filter(|n| n % authors == a).count())
        .collect())
}

/// What one client needs.
struct Client {
    gateway: SocketAddr,
    source: IpAddr,
    token: String,
    stream: String,
    slow: bool,
    /// The author this client follows, in `--authors` runs.
    author: Option<usize>,
    last_id: AtomicI64,
    /// Frames received, duplicates excluded.
    received: AtomicU64,
}

async fn connect(
    client: &Client,
    since: Option<i64>,
) -> anyhow::Result<tokio_tungstenite::WebSocketStream<TcpStream>> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(client.source, 0))?;
    if client.slow {
        socket.set_recv_buffer_size(4096)?;
    }
    let stream = socket.connect(client.gateway).await?;
    stream.set_nodelay(true)?;
    let since = since.map(|id| format!("&since={id}")).unwrap_or_default();
    let url = format!(
        "ws://{}/api/v1/streaming?stream={}&access_token={}{since}",
        client.gateway, client.stream, client.token
    );
    // tungstenite zero-fills its whole read buffer before every read: its
    // 128 KiB default made this generator spend most of its time in memset,
    // one frame at a time, and so inflated every latency it measured.
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER_BYTES);
    let (ws, _) = tokio_tungstenite::client_async_with_config(url, stream, Some(config)).await?;
    Ok(ws)
}

/// Runs one client until `stop`; reconnects (resuming) when `generation` moves.
async fn run_client(
    client: Arc<Client>,
    stats: Arc<Stats>,
    mut generation: watch::Receiver<u64>,
    mut stop: watch::Receiver<bool>,
) {
    let mut first = true;
    loop {
        let since = (!first).then(|| client.last_id.load(Ordering::Relaxed));
        let mut ws = match connect(&client, since.filter(|&id| id > 0)).await {
            Ok(ws) => ws,
            Err(error) => {
                eprintln!("connect failed: {error}");
                stats.closed_other.fetch_add(1, Ordering::Relaxed);
                return;
            }
        };
        if first {
            stats.connected.fetch_add(1, Ordering::Relaxed);
        } else {
            stats.reconnected.fetch_add(1, Ordering::Relaxed);
            stats
                .last_reconnect_ns
                .fetch_max(now_ns(), Ordering::Relaxed);
        }
        first = false;
        if client.slow {
            // Holds the socket and never reads.
            let _ = stop.wait_for(|stopped| *stopped).await;
            return;
        }
        loop {
            tokio::select! {
                _ = stop.changed() => return,
                _ = generation.changed() => break,
                message = ws.next() => match message {
                    Some(Ok(Message::Text(text))) => on_frame(&client, &stats, text.as_str()),
                    Some(Ok(Message::Close(frame))) => {
                        let slow = frame.is_some_and(|f| f.code == CloseCode::Again);
                        let counter = if slow { &stats.closed_too_slow } else { &stats.closed_other };
                        counter.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => {
                        stats.closed_other.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                },
            }
        }
        // Forced disconnect: drop the socket without a goodbye, then resume.
        drop(ws);
    }
}

fn on_frame(client: &Client, stats: &Stats, text: &str) {
    let now = now_ns();
    let Some(id) = number_after(text, "\"id\":\"") else {
        return;
    };
    let last = client.last_id.load(Ordering::Relaxed);
    if last > 0 && id <= last {
        stats.duplicates.fetch_add(1, Ordering::Relaxed);
        return;
    }
    // A follower gets only its author's events, so its ids have holes by
    // design; its losses are counted against the posts made instead.
    if client.author.is_none() && last > 0 && id > last + 1 {
        stats
            .gaps
            .fetch_add((id - last - 1) as u64, Ordering::Relaxed);
    }
    client.last_id.store(id, Ordering::Relaxed);
    client.received.fetch_add(1, Ordering::Relaxed);
    stats.delivered.fetch_add(1, Ordering::Relaxed);
    if let Some(stamp) = number_after(text, "stamp:") {
        stats.latency.record(((now - stamp).max(0) / 1000) as u64);
    }
}

/// Server memory (kB of RSS) and CPU time (seconds) over `pids`.
fn server_usage(pids: &[u32]) -> (u64, f64) {
    let mut rss_kb = 0;
    let mut cpu = 0.0;
    for pid in pids {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            rss_kb += status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // Fields after the command name (which may hold spaces).
            let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let ticks = |i: usize| {
                fields
                    .get(i)
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(0.0)
            };
            // utime and stime are fields 14 and 15, i.e. 11 and 12 after ')'.
            cpu += (ticks(11) + ticks(12)) / 100.0;
        }
    }
    (rss_kb, cpu)
}

/// One event as the relay would publish it, built from the same types, so the
/// gateway reads it as it reads the relay's.
fn bus_event(id: i64, padding: &str) -> anyhow::Result<String> {
    let status_json = serde_json::json!({
        "id": id.to_string(), "content": format!("{padding} stamp:{}", now_ns()),
    })
    .to_string();
    let event = Event {
        id: EventId(id),
        body: EventBody::StatusCreated {
            author: AccountId(1),
            status_id: StatusId(id),
            thread: StatusId(id),
            audience: PostAudience::of(None, false),
            status_json,
        },
    };
    Ok(serde_json::to_string(&event)?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let gateways: Vec<SocketAddr> = args
        .gateways
        .iter()
        .map(|g| g.parse().with_context(|| format!("--gateways: {g}")))
        .collect::<anyhow::Result<_>>()?;
    if gateways.is_empty() || args.users == 0 || args.sources == 0 {
        bail!("need at least one gateway, user and source address");
    }
    if !matches!(args.mode.as_str(), "bus" | "api" | "listen") {
        bail!("--mode must be bus, api or listen");
    }
    if args.authors >= args.users {
        bail!("--authors must leave some of the --users accounts to follow them");
    }
    if args.authors > 0 && args.token_file.is_some() {
        bail!("--token-file cannot be used with --authors");
    }
    let setup_started = Instant::now();
    let tokens = match &args.token_file {
        Some(path) if path.exists() => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("--token-file {}", path.display()))?;
            let tokens: Vec<String> = text.lines().map(str::to_owned).collect();
            if tokens.len() < args.users {
                bail!(
                    "--token-file {} holds {} tokens, fewer than --users {}",
                    path.display(),
                    tokens.len(),
                    args.users
                );
            }
            tokens
        }
        _ => {
            let tokens = register(&args.api, args.users, args.setup_concurrency).await?;
            if let Some(path) = &args.token_file {
                std::fs::write(path, tokens.join("\n"))
                    .with_context(|| format!("--token-file {}", path.display()))?;
            }
            tokens
        }
    };
    let followers = if args.authors > 0 {
        follow_authors(&args.api, &tokens, args.authors, args.setup_concurrency).await?
    } else {
        Vec::new()
    };
    println!(
        "{} accounts ready{} in {:.1} s",
        args.users,
        if args.authors > 0 {
            format!(
                ", {} authors with {}–{} followers each",
                args.authors,
                followers.iter().min().unwrap_or(&0),
                followers.iter().max().unwrap_or(&0)
            )
        } else {
            String::new()
        },
        setup_started.elapsed().as_secs_f64()
    );
    // Connections go to the followers when there are authors.
    let connecting = args.authors..args.users;
    let (rss_before, _) = server_usage(&args.server_pid);
    let stats = Arc::new(Stats {
        delivered: AtomicU64::new(0),
        gaps: AtomicU64::new(0),
        duplicates: AtomicU64::new(0),
        connected: AtomicUsize::new(0),
        closed_too_slow: AtomicU64::new(0),
        closed_other: AtomicU64::new(0),
        reconnected: AtomicUsize::new(0),
        last_reconnect_ns: AtomicI64::new(0),
        latency: Histogram::new(),
    });
    let (generation_tx, generation) = watch::channel(0u64);
    let (stop_tx, stop) = watch::channel(false);
    let slow_every = if args.slow_percent > 0.0 {
        (100.0 / args.slow_percent).round().max(1.0) as usize
    } else {
        0
    };
    let mut clients = Vec::with_capacity(args.connections);
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    let pause = Duration::from_secs_f64(1.0 / f64::from(args.connect_rate.max(1)));
    let mut next = tokio::time::Instant::now();
    for n in 0..args.connections {
        let account = connecting.start + n % connecting.len();
        let client = Arc::new(Client {
            gateway: gateways[n % gateways.len()],
            source: IpAddr::V4(Ipv4Addr::new(
                127,
                0,
                0,
                1 + (n % usize::from(args.sources)) as u8,
            )),
            token: tokens[account].clone(),
            stream: args.stream.clone(),
            slow: slow_every > 0 && n % slow_every == slow_every - 1,
            author: (args.authors > 0).then(|| account % args.authors),
            last_id: AtomicI64::new(0),
            received: AtomicU64::new(0),
        });
        clients.push(client.clone());
        tasks.spawn(run_client(
            client,
            stats.clone(),
            generation.clone(),
            stop.clone(),
        ));
        next += pause;
        tokio::time::sleep_until(next).await;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let settled = |stats: &Stats| {
        stats.connected.load(Ordering::Relaxed)
            + (stats.closed_other.load(Ordering::Relaxed) as usize)
    };
    while settled(&stats) < args.connections && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let connected = stats.connected.load(Ordering::Relaxed);
    println!(
        "connected {connected}/{} in {:.1} s",
        args.connections,
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(args.settle)).await;
    let (rss_idle, cpu_before) = server_usage(&args.server_pid);

    // Drive events.
    let padding = "x".repeat(args.payload_bytes.saturating_sub(80));
    let interval = Duration::from_secs_f64(1.0 / args.rate.max(0.001));
    let total = (args.rate * args.duration as f64).round() as i64;
    let first_id = now_ns() / 1000;
    let mut redis = if args.mode == "bus" {
        let client = redis::Client::open(args.redis.as_str())?;
        // A busy machine can stall a PUBLISH well past redis's default timeout.
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_response_timeout(Some(Duration::from_secs(10)));
        Some(redis::aio::ConnectionManager::new_with_config(client, config).await?)
    } else {
        None
    };
    let send_started = Instant::now();
    let mut tick = tokio::time::Instant::now();
    let mut reconnect_started = None;
    let posted: Arc<Vec<AtomicU64>> = Arc::new(
        (0..args.authors.max(1))
            .map(|_| AtomicU64::new(0))
            .collect(),
    );
    let failed_posts = Arc::new(AtomicU64::new(0));
    let mut posts = tokio::task::JoinSet::new();
    if args.mode == "listen" {
        tokio::time::sleep(Duration::from_secs(args.duration)).await;
    }
    for n in 0..total {
        if let Some(at) = args.reconnect_at
            && reconnect_started.is_none()
            && send_started.elapsed() >= Duration::from_secs(at)
        {
            reconnect_started = Some((Instant::now(), now_ns()));
            let _ = generation_tx.send(1);
        }
        match &mut redis {
            Some(conn) => {
                let _: i64 = redis::cmd("PUBLISH")
                    .arg(&args.channel)
                    .arg(bus_event(first_id + n, &padding)?)
                    .query_async(conn)
                    .await?;
            }
            None if args.mode == "listen" => break,
            None => {
                // Each post in its own task, so a slow answer does not hold
                // up the schedule (and the stamp is the moment it is sent).
                let author = if args.authors > 0 {
                    n as usize % args.authors
                } else {
                    0
                };
                let api = args.api.clone();
                let token = tokens[author].clone();
                let body = serde_json::json!({
                    "status": format!("{padding} stamp:{}", now_ns()),
                })
                .to_string();
                let posted = posted.clone();
                let failed_posts = failed_posts.clone();
                posts.spawn(async move {
                    match http(&api, "POST", "/api/v1/statuses", Some(&token), &body).await {
                        Ok((200, _)) => {
                            posted[author].fetch_add(1, Ordering::Relaxed);
                        }
                        Ok((status, answer)) => {
                            eprintln!("posting: HTTP {status}: {answer}");
                            failed_posts.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(error) => {
                            eprintln!("posting: {error}");
                            failed_posts.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        }
        tick += interval;
        tokio::time::sleep_until(tick).await;
    }
    while posts.join_next().await.is_some() {}
    let send_seconds = send_started.elapsed().as_secs_f64();
    // Drain: wait (bounded) until deliveries stop growing.
    let mut last = stats.delivered.load(Ordering::Relaxed);
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = stats.delivered.load(Ordering::Relaxed);
        if now == last {
            break;
        }
        last = now;
    }
    let (rss_end, cpu_after) = server_usage(&args.server_pid);
    let failed_posts = failed_posts.load(Ordering::Relaxed);
    if failed_posts > 0 {
        bail!("{failed_posts} posts failed");
    }
    let healthy = clients.iter().filter(|c| !c.slow).count();
    let final_ids: Vec<i64> = clients
        .iter()
        .filter(|c| !c.slow)
        .map(|c| c.last_id.load(Ordering::Relaxed))
        .collect();
    let max_id = final_ids.iter().copied().max().unwrap_or(0);
    // In `--authors` runs, each reading follower's (frames its author posted,
    // frames it received).
    let tallies: Vec<(u64, u64)> = clients
        .iter()
        .filter(|c| !c.slow)
        .filter_map(|c| {
            let posted = posted[c.author?].load(Ordering::Relaxed);
            Some((posted, c.received.load(Ordering::Relaxed)))
        })
        .collect();
    let behind = if args.authors > 0 {
        tallies.iter().filter(|(posted, got)| got < posted).count()
    } else {
        final_ids.iter().filter(|&&id| id != max_id).count()
    };
    let delivered = stats.delivered.load(Ordering::Relaxed);
    let lat = &stats.latency;
    if args.mode == "listen" {
        println!("listened for {send_seconds:.1} s with {healthy} reading clients");
    } else {
        println!(
            "mode {} rate {}/s for {:.1} s, {total} events, {healthy} reading clients",
            args.mode, args.rate, send_seconds
        );
    }
    let expected = if args.authors > 0 {
        tallies
            .iter()
            .map(|(posted, _)| posted)
            .sum::<u64>()
            .to_string()
    } else if args.mode == "listen" {
        "events sent by the publishing generator × reading clients".to_owned()
    } else {
        (total as u64 * healthy as u64).to_string()
    };
    println!(
        "delivered {delivered} ({:.0}/s; expected {expected})",
        delivered as f64 / send_seconds,
    );
    if args.authors > 0 {
        let missing: u64 = tallies
            .iter()
            .map(|(posted, got)| posted.saturating_sub(*got))
            .sum();
        println!("followers missing a post of their author: {missing} frames");
    }
    println!(
        "latency ms: p50 {:.2} p99 {:.2} p99.9 {:.2} max {:.2}",
        lat.quantile_ms(0.5),
        lat.quantile_ms(0.99),
        lat.quantile_ms(0.999),
        lat.max_us.load(Ordering::Relaxed) as f64 / 1000.0
    );
    println!(
        "gaps {} duplicates {} clients not at the last event {behind} closed too-slow {} closed other {}",
        stats.gaps.load(Ordering::Relaxed),
        stats.duplicates.load(Ordering::Relaxed),
        stats.closed_too_slow.load(Ordering::Relaxed),
        stats.closed_other.load(Ordering::Relaxed),
    );
    if let Some((at, at_ns)) = reconnect_started {
        println!(
            "reconnected {} of {} (dropped {:.1} s into sending); the last reconnected {:.2} s after the drop",
            stats.reconnected.load(Ordering::Relaxed),
            healthy,
            at.duration_since(send_started).as_secs_f64(),
            (stats.last_reconnect_ns.load(Ordering::Relaxed) - at_ns) as f64 / 1e9
        );
    }
    if !args.server_pid.is_empty() && connected > 0 {
        println!(
            "server RSS: before {} MiB, idle with clients {} MiB ({:.1} KiB per connection), end {} MiB; CPU {:.0}% of one core while sending",
            rss_before / 1024,
            rss_idle / 1024,
            (rss_idle.saturating_sub(rss_before)) as f64 / connected as f64,
            rss_end / 1024,
            100.0 * (cpu_after - cpu_before) / send_seconds
        );
    }
    let _ = stop_tx.send(true);
    tasks.abort_all();
    Ok(())
}
