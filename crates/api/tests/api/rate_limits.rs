//! Rate limits per user and per IP, with Mastodon's headers and a clear 429.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must stop the test with its message"
)]

use crate::helpers::{config, error_of, start_with};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_api::rate_limit::{Limit, RateLimitConfig};
use hubbub_testkit::database::all_backends;
use std::time::Duration;

fn small(per_user: u32, per_ip: u32, sign_in: u32) -> hubbub_api::ApiConfig {
    let per_minute = |requests| Limit {
        requests,
        period: Duration::from_secs(60),
    };
    hubbub_api::ApiConfig {
        rate_limits: RateLimitConfig {
            per_user: per_minute(per_user),
            per_ip: per_minute(per_ip),
            sign_in: per_minute(sign_in),
            trust_forwarded_for: false,
        },
        ..config()
    }
}

fn header<'a>(reply: &'a crate::helpers::Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header"))
}

fn from(ip: &str) -> TestRequest {
    TestRequest::get()
        .uri("/api/v1/instance")
        .peer_addr(format!("{ip}:40000").parse().unwrap())
}

#[actix_web::test]
async fn anonymous_requests_count_per_ip_and_the_last_one_gets_429_with_retry_after() {
    for backend in all_backends() {
        let app = start_with(&backend, small(100, 3, 100)).await;
        for remaining in ["2", "1", "0"] {
            let reply = app.send(from("10.0.0.1")).await;
            assert_eq!(reply.status, StatusCode::OK);
            assert_eq!(header(&reply, "x-ratelimit-limit"), "3");
            assert_eq!(header(&reply, "x-ratelimit-remaining"), remaining);
            let reset = header(&reply, "x-ratelimit-reset");
            assert!(
                chrono::DateTime::parse_from_rfc3339(reset).is_ok(),
                "{reset}"
            );
        }
        let limited = app.send(from("10.0.0.1")).await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(error_of(&limited), "Too many requests");
        let retry: u64 = header(&limited, "retry-after").parse().unwrap();
        assert!(
            (1..=20).contains(&retry),
            "one request refills in 20 s: {retry}"
        );
        assert_eq!(header(&limited, "x-ratelimit-remaining"), "0");

        let other_ip = app.send(from("10.0.0.2")).await;
        assert_eq!(
            other_ip.status,
            StatusCode::OK,
            "another IP has its own bucket"
        );
    }
}

#[actix_web::test]
async fn a_signed_in_user_counts_on_their_own_bucket_not_the_ips() {
    for backend in all_backends() {
        let app = start_with(&backend, small(2, 50, 50)).await;
        let token = app.register("alice").await;
        let me = || {
            TestRequest::get()
                .uri("/api/v1/accounts/verify_credentials")
                .peer_addr("10.0.0.9:1234".parse().unwrap())
        };
        assert_eq!(app.send_as(&token, me()).await.status, StatusCode::OK);
        let second = app.send_as(&token, me()).await;
        assert_eq!(header(&second, "x-ratelimit-limit"), "2");
        assert_eq!(header(&second, "x-ratelimit-remaining"), "0");
        assert_eq!(
            app.send_as(&token, me()).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            app.send(from("10.0.0.9")).await.status,
            StatusCode::OK,
            "the IP bucket is untouched"
        );
        let forged = app
            .send(me().insert_header(("Authorization", "Bearer not.a.token")))
            .await;
        assert_eq!(
            forged.status,
            StatusCode::UNAUTHORIZED,
            "a bad token counts on the IP, not a fresh bucket"
        );
        assert_eq!(header(&forged, "x-ratelimit-limit"), "50");
    }
}

#[actix_web::test]
async fn password_guessing_on_the_token_endpoint_is_stopped_per_ip() {
    for backend in all_backends() {
        let app = start_with(&backend, small(100, 100, 2)).await;
        app.register("alice").await;
        let guess = || {
            TestRequest::post()
                .uri("/oauth/token")
                .peer_addr("10.0.0.7:1".parse().unwrap())
                .set_form([
                    ("grant_type", "password"),
                    ("username", "alice"),
                    ("password", "guess"),
                ])
        };
        assert_eq!(app.send(guess()).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(app.send(guess()).await.status, StatusCode::BAD_REQUEST);
        let third = app.send(guess()).await;
        assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(&third, "x-ratelimit-limit"), "2");
        let normal = app.send(from("10.0.0.7")).await;
        assert_eq!(
            normal.status,
            StatusCode::OK,
            "other endpoints are not held back"
        );
    }
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_ip_comes_from_the_proxy_not_from_the_client() {
    for backend in all_backends() {
        let mut config = small(100, 1, 100);
        config.rate_limits.trust_forwarded_for = true;
        let app = start_with(&backend, config).await;
        let via_proxy = |forwarded_for: &str| {
            TestRequest::get()
                .uri("/api/v1/instance")
                .peer_addr("127.0.0.1:5000".parse().unwrap())
                .insert_header(("X-Forwarded-For", forwarded_for.to_owned()))
        };
        assert_eq!(
            app.send(via_proxy("203.0.113.5")).await.status,
            StatusCode::OK
        );
        let forged = app.send(via_proxy("198.51.100.1, 203.0.113.5")).await;
        assert_eq!(
            forged.status,
            StatusCode::TOO_MANY_REQUESTS,
            "a forged first entry does not buy a new bucket"
        );
        assert_eq!(
            app.send(via_proxy("203.0.113.6")).await.status,
            StatusCode::OK
        );
    }
}
