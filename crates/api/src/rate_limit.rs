//! Rate limits per user and per IP, with Mastodon's `X-RateLimit-*` headers.
//!
//! Every `/api` and `/oauth` request counts against one bucket: the user's (or
//! app's) when it carries a validly signed token, else the client IP's. Sign-up,
//! `POST /oauth/token` and `POST /oauth/authorize` (password guessing) also count
//! against a stricter per-IP bucket. Over the limit: 429 `{"error": "Too many
//! requests"}` with `Retry-After`.
//!
//! The buckets live in this process (governor's GCRA, keyed in a concurrent map):
//! several API nodes each count on their own, so a cluster of N nodes allows up to
//! N times the limit. A limiter shared through Redis can replace this later.

use crate::state::ApiState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{AUTHORIZATION, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{Error, HttpResponse};
use chrono::{DateTime, Utc};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How many requests fit in how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Requests allowed per `period` (0 turns the limit off).
    pub requests: u32,
    /// The window over which they refill.
    pub period: Duration,
}

impl Limit {
    /// `requests` per five minutes, Mastodon's window.
    pub const fn per_five_minutes(requests: u32) -> Self {
        Self {
            requests,
            period: Duration::from_secs(300),
        }
    }
}

/// The limits, set by the server (tests set small ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Per user (or app) with a valid token: Mastodon's 300 per 5 minutes.
    pub per_user: Limit,
    /// Per client IP without a token.
    pub per_ip: Limit,
    /// Per client IP on sign-up, token and sign-in endpoints, on top of the above.
    pub sign_in: Limit,
    /// Read the client IP from `X-Real-IP` / `X-Forwarded-For` (only behind a
    /// proxy that sets them); otherwise the socket's peer address is the IP.
    pub trust_forwarded_for: bool,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            per_user: Limit::per_five_minutes(300),
            per_ip: Limit::per_five_minutes(300),
            sign_in: Limit::per_five_minutes(25),
            trust_forwarded_for: false,
        }
    }
}

type Keyed =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// One limit's buckets.
struct Bucket {
    limiter: Keyed,
    limit: Limit,
}

/// How a check went, for the headers.
struct Verdict {
    allowed: bool,
    limit: u32,
    remaining: u32,
    /// Time until the bucket is full again.
    reset_in: Duration,
    /// Time until the next request is allowed (0 when allowed).
    retry_in: Duration,
}

impl Bucket {
    fn new(limit: Limit) -> Option<Self> {
        let requests = NonZeroU32::new(limit.requests)?;
        let interval = limit.period.checked_div(limit.requests)?;
        let quota = Quota::with_period(interval)?.allow_burst(requests);
        Some(Self {
            limiter: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            limit,
        })
    }

    fn interval(&self) -> Duration {
        self.limit
            .period
            .checked_div(self.limit.requests)
            .unwrap_or_default()
    }

    fn check(&self, key: String) -> Verdict {
        let limit = self.limit.requests;
        match self.limiter.check_key(&key) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                Verdict {
                    allowed: true,
                    limit,
                    remaining,
                    reset_in: self.interval() * (limit - remaining.min(limit)),
                    retry_in: Duration::ZERO,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.limiter.clock().now());
                Verdict {
                    allowed: false,
                    limit,
                    remaining: 0,
                    reset_in: wait + self.interval() * limit.saturating_sub(1),
                    retry_in: wait,
                }
            }
        }
    }
}

/// The process's buckets; one per API process, shared by its workers.
pub struct RateLimits {
    general_user: Option<Bucket>,
    general_ip: Option<Bucket>,
    sign_in: Option<Bucket>,
    trust_forwarded_for: bool,
    checks: AtomicU64,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").finish_non_exhaustive()
    }
}

/// Forget idle buckets every this many checks, so memory follows active clients.
const SWEEP_EVERY: u64 = 4096;

impl RateLimits {
    /// Buckets for `config`; a limit of 0 requests is off.
    pub fn new(config: &RateLimitConfig) -> Self {
        Self {
            general_user: Bucket::new(config.per_user),
            general_ip: Bucket::new(config.per_ip),
            sign_in: Bucket::new(config.sign_in),
            trust_forwarded_for: config.trust_forwarded_for,
            checks: AtomicU64::new(0),
        }
    }

    fn sweep(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            for bucket in [&self.general_user, &self.general_ip, &self.sign_in]
                .into_iter()
                .flatten()
            {
                bucket.limiter.retain_recent();
            }
        }
    }
}

/// Whether the request is one where passwords or accounts are tried.
fn is_sign_in(req: &ServiceRequest) -> bool {
    req.method() == Method::POST
        && matches!(
            req.path(),
            "/api/v1/accounts" | "/oauth/token" | "/oauth/authorize"
        )
}

/// Who the general bucket is for: the token's user (or app) when its signature
/// verifies, so random tokens cannot mint fresh buckets; otherwise the IP.
fn general_key(state: &ApiState, req: &ServiceRequest, ip: &str) -> (bool, String) {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(str::trim);
    if let Some(claims) = token.and_then(|token| state.keys.verify(token).ok()) {
        let who = match (claims.sub.as_deref(), claims.app) {
            (Some(account), _) => format!("user:{account}"),
            (None, Some(app)) => format!("app:{app}"),
            (None, None) => format!("token:{}", claims.jti),
        };
        return (true, who);
    }
    (false, format!("ip:{ip}"))
}

/// The client IP. Behind a trusted proxy: its `X-Real-IP`, else the last
/// `X-Forwarded-For` entry (the one the proxy appended; earlier entries come from
/// the client and can be forged). Otherwise the socket's peer.
fn client_ip(limits: &RateLimits, req: &ServiceRequest) -> String {
    if limits.trust_forwarded_for {
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let forwarded = header("x-real-ip").or_else(|| {
            header("x-forwarded-for")
                .and_then(|list| list.rsplit(',').next().map(|ip| ip.trim().to_owned()))
        });
        if let Some(ip) = forwarded.filter(|ip| !ip.is_empty()) {
            return ip;
        }
    }
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |addr| addr.ip().to_string())
}

/// Mastodon's `X-RateLimit-Reset`: when the bucket is full again, ISO 8601.
fn reset_at(now: DateTime<Utc>, reset_in: Duration) -> String {
    let reset = chrono::Duration::from_std(reset_in)
        .ok()
        .and_then(|delta| now.checked_add_signed(delta))
        .unwrap_or(now);
    reset.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn set_headers(
    headers: &mut actix_web::http::header::HeaderMap,
    verdict: &Verdict,
    now: DateTime<Utc>,
) {
    let pairs = [
        ("x-ratelimit-limit", verdict.limit.to_string()),
        ("x-ratelimit-remaining", verdict.remaining.to_string()),
        ("x-ratelimit-reset", reset_at(now, verdict.reset_in)),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(
                actix_web::http::header::HeaderName::from_static(name),
                value,
            );
        }
    }
}

/// The middleware (`actix_web::middleware::from_fn`): checks the buckets, answers
/// 429 when one is empty, and adds the headers of the tightest one otherwise.
pub async fn limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(state) = req.app_data::<Data<ApiState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let limits = &state.rate_limits;
    limits.sweep();
    let ip = client_ip(limits, &req);
    let (has_token, key) = general_key(&state, &req, &ip);
    let general = if has_token {
        &limits.general_user
    } else {
        &limits.general_ip
    };
    let mut verdicts: Vec<Verdict> = general
        .iter()
        .map(|bucket| bucket.check(key.clone()))
        .collect();
    if is_sign_in(&req)
        && let Some(bucket) = &limits.sign_in
    {
        verdicts.push(bucket.check(format!("ip:{ip}")));
    }
    let now = state.clock.now();
    let tightest = verdicts
        .into_iter()
        .min_by_key(|verdict| (verdict.allowed, verdict.remaining));
    let Some(verdict) = tightest else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    if !verdict.allowed {
        let retry_after =
            verdict.retry_in.as_secs() + u64::from(verdict.retry_in.subsec_nanos() > 0);
        let mut response = HttpResponse::build(StatusCode::TOO_MANY_REQUESTS)
            .insert_header(("Retry-After", retry_after.max(1).to_string()))
            .json(serde_json::json!({ "error": "Too many requests" }));
        set_headers(response.headers_mut(), &verdict, now);
        return Ok(req.into_response(response));
    }
    let mut response = next.call(req).await?.map_into_boxed_body();
    set_headers(response.headers_mut(), &verdict, now);
    Ok(response)
}
