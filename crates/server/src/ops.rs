//! Operations: health, readiness, Prometheus metrics and the request-id
//! middleware that puts one id on every log line of a request.
//!
//! The metrics registry is written by hand (a few counters and one histogram
//! family need no crate): request counts and latency by method, route pattern
//! and status are recorded by the middleware; everything else (streams,
//! events, outbox lag, pool) is read when `/metrics` is scraped.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use hubbub_realtime::{Bus, Gateway, GatewayStats, PlainResponse, PlainRoutes};
use hubbub_storage::Store;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tracing::Instrument;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The request id header, read from the client or generated, echoed back.
pub const REQUEST_ID: &str = "x-request-id";

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    /// Non-cumulative counts per bucket; the last is +Inf.
    buckets: [u64; BUCKETS.len() + 1],
}

/// Request counts and latencies, by (method, route pattern, status).
#[derive(Debug, Default)]
pub struct HttpMetrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl HttpMetrics {
    /// Records one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut series = self
            .series
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = series
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default();
        entry.count += 1;
        entry.sum += seconds;
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        entry.buckets[bucket] += 1;
    }

    fn render(&self, out: &mut String) {
        let series = self
            .series
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        out.push_str("# HELP hubbub_http_requests_total HTTP requests by method, route pattern and status.\n# TYPE hubbub_http_requests_total counter\n");
        for ((method, route, status), s) in &series {
            let _ = writeln!(
                out,
                "hubbub_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                s.count
            );
        }
        out.push_str("# HELP hubbub_http_request_duration_seconds Time to answer HTTP requests.\n# TYPE hubbub_http_request_duration_seconds histogram\n");
        for ((method, route, status), s) in &series {
            let labels = format!(
                "method=\"{method}\",route=\"{}\",status=\"{status}\"",
                escape(route)
            );
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(s.buckets.iter()) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "hubbub_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "hubbub_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "hubbub_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum
            );
            let _ = writeln!(
                out,
                "hubbub_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// What health, readiness and metrics look at; cheap to clone.
#[derive(Clone)]
pub struct Ops {
    store: Store,
    bus: Bus,
    redis: bool,
    gateway: Option<Gateway>,
    /// Request metrics, fed by [`track_requests`].
    pub http: Arc<HttpMetrics>,
}

impl Ops {
    /// Watches `store` and `bus` (Redis when `redis`), and `gateway` if this
    /// process runs one.
    pub fn new(store: Store, bus: Bus, redis: bool, gateway: Option<Gateway>) -> Ops {
        Ops {
            store,
            bus,
            redis,
            gateway,
            http: Arc::new(HttpMetrics::default()),
        }
    }

    /// Ok when the database (and Redis, if configured) answers; else why not.
    pub async fn ready(&self) -> Result<(), String> {
        if let Err(error) = self.store.ping().await {
            return Err(format!("database unreachable: {error}"));
        }
        if self.redis
            && let Err(error) = self.bus.ping().await
        {
            return Err(format!("redis unreachable: {error}"));
        }
        Ok(())
    }

    /// The Prometheus text exposition of every metric.
    pub async fn metrics(&self) -> String {
        self.metrics_with(self.gateway.as_ref().map(Gateway::stats))
            .await
    }

    /// The metrics, with the gateway's counters if this process runs one.
    async fn metrics_with(&self, gateway: Option<GatewayStats>) -> String {
        let mut out = String::with_capacity(4096);
        self.http.render(&mut out);
        let mut gauge = |name: &str, kind: &str, help: &str, value: String| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        };
        gauge(
            "hubbub_events_published_total",
            "counter",
            "Outbox events this process published to the bus.",
            self.bus.published_count().to_string(),
        );
        if let Some(stats) = gateway {
            gauge(
                "hubbub_websocket_connections",
                "gauge",
                "Streaming connections open on this gateway.",
                stats.open_streams.to_string(),
            );
            gauge(
                "hubbub_gateway_events_received_total",
                "counter",
                "Events this gateway received from the bus.",
                stats.events_received.to_string(),
            );
            gauge(
                "hubbub_gateway_frames_delivered_total",
                "counter",
                "Event frames queued for streaming clients.",
                stats.frames_delivered.to_string(),
            );
            gauge(
                "hubbub_gateway_events_dropped_total",
                "counter",
                "Events skipped because the gateway fell behind the bus.",
                stats.events_dropped.to_string(),
            );
            gauge(
                "hubbub_gateway_slow_clients_cut_off_total",
                "counter",
                "Streaming clients disconnected for not keeping up.",
                stats.slow_clients_cut_off.to_string(),
            );
        }
        let lag = match self.store.oldest_unpublished_at().await {
            Ok(Some(at)) => (chrono::Utc::now() - at).num_milliseconds().max(0) as f64 / 1000.0,
            Ok(None) => 0.0,
            Err(error) => {
                tracing::warn!(%error, "metrics: could not read the outbox lag");
                f64::NAN
            }
        };
        gauge(
            "hubbub_outbox_lag_seconds",
            "gauge",
            "Age of the oldest outbox event not yet published (0 when none waits).",
            lag.to_string(),
        );
        let pool = self.store.pool_usage();
        gauge(
            "hubbub_db_pool_max_connections",
            "gauge",
            "Connections the database pool may open.",
            pool.max.to_string(),
        );
        let _ = writeln!(
            out,
            "# HELP hubbub_db_pool_connections Database connections open, by state.\n# TYPE hubbub_db_pool_connections gauge\nhubbub_db_pool_connections{{state=\"idle\"}} {}\nhubbub_db_pool_connections{{state=\"busy\"}} {}",
            pool.idle,
            pool.open.saturating_sub(pool.idle)
        );
        out
    }

    /// `/health`, `/ready` and `/metrics` for the gateway's own listener. The
    /// gateway hands its counters in, so these routes hold no reference to it.
    pub fn plain_routes(&self) -> PlainRoutes {
        let ops = Ops {
            gateway: None,
            ..self.clone()
        };
        Arc::new(move |path: String, stats: GatewayStats| {
            let ops = ops.clone();
            Box::pin(async move {
                match path.as_str() {
                    "/health" => Some(PlainResponse {
                        status: "200 OK",
                        content_type: "text/plain; charset=utf-8",
                        body: "OK".to_owned(),
                    }),
                    "/ready" => Some(match ops.ready().await {
                        Ok(()) => PlainResponse {
                            status: "200 OK",
                            content_type: "text/plain; charset=utf-8",
                            body: "ready".to_owned(),
                        },
                        Err(reason) => PlainResponse {
                            status: "503 Service Unavailable",
                            content_type: "application/json; charset=utf-8",
                            body: serde_json::json!({ "error": reason }).to_string(),
                        },
                    }),
                    "/metrics" => Some(PlainResponse {
                        status: "200 OK",
                        content_type: "text/plain; version=0.0.4; charset=utf-8",
                        body: ops.metrics_with(Some(stats)).await,
                    }),
                    _ => None,
                }
            })
        })
    }
}

/// Registers `/health`, `/ready` and `/metrics` on the API's listener.
pub fn configure(cfg: &mut web::ServiceConfig, ops: Ops) {
    cfg.app_data(web::Data::new(ops))
        .route("/health", web::get().to(health))
        .route("/ready", web::get().to(ready))
        .route("/metrics", web::get().to(metrics));
}

async fn health() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("OK")
}

async fn ready(ops: web::Data<Ops>) -> HttpResponse {
    match ops.ready().await {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready"),
        Err(reason) => {
            HttpResponse::ServiceUnavailable().json(serde_json::json!({ "error": reason }))
        }
    }
}

async fn metrics(ops: web::Data<Ops>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(ops.metrics().await)
}

/// A request id from the client if it is sane (1–128 of `[A-Za-z0-9._-]`),
/// else a new one.
fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| {
            !id.is_empty()
                && id.len() <= 128
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string())
}

/// Middleware: a span carrying the request id around the whole request (so
/// every log line inside has it), the id echoed in `X-Request-Id`, one log
/// line per request, and the request metrics.
pub async fn track_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = request_id(&req);
    let metrics = req
        .app_data::<web::Data<Ops>>()
        .map(|ops| Arc::clone(&ops.http));
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let started = Instant::now();
    let result = next.call(req).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let mut res = match result {
        Ok(res) => res,
        Err(error) => {
            tracing::warn!(parent: &span, %error, "request failed before a response");
            return Err(error);
        }
    };
    let status = res.status().as_u16();
    // Unmatched paths (the web client's files) share one label, so the
    // number of series stays bounded whatever clients ask for.
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "other".to_owned());
    if let Some(metrics) = metrics {
        metrics.observe(&method, &route, status, elapsed.as_secs_f64());
    }
    tracing::info!(
        parent: &span,
        status,
        route = %route,
        ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID), value);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_counts_each_request_in_its_bucket_and_above() {
        let metrics = HttpMetrics::default();
        metrics.observe("GET", "/api/v1/timelines/home", 200, 0.003);
        metrics.observe("GET", "/api/v1/timelines/home", 200, 7.0);
        let mut out = String::new();
        metrics.render(&mut out);
        let labels = r#"method="GET",route="/api/v1/timelines/home",status="200""#;
        assert!(out.contains(&format!("hubbub_http_requests_total{{{labels}}} 2")));
        assert!(out.contains(&format!(
            "hubbub_http_request_duration_seconds_bucket{{{labels},le=\"0.0025\"}} 0"
        )));
        assert!(out.contains(&format!(
            "hubbub_http_request_duration_seconds_bucket{{{labels},le=\"0.005\"}} 1"
        )));
        assert!(out.contains(&format!(
            "hubbub_http_request_duration_seconds_bucket{{{labels},le=\"5\"}} 1"
        )));
        assert!(out.contains(&format!(
            "hubbub_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} 2"
        )));
    }
}
