//! The streaming gateway over real sockets.

use crate::support::{Harness, Seen, next_frame, next_seen};
use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

#[tokio::test]
async fn a_follower_receives_a_followed_authors_post_then_its_deletion() -> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let bob = harness.user("bob").await?;
    harness.follow(&alice, &bob).await?;
    let mut stream = harness.user_stream(&alice).await?;

    let status = harness.post(&bob, "hello from bob").await?;
    let update = next_frame(&mut stream).await?;

    assert_eq!(update["stream"], serde_json::json!(["user"]));
    assert_eq!(update["event"], "update");
    let payload: serde_json::Value = serde_json::from_str(update["payload"].as_str().unwrap())?;
    assert_eq!(payload["id"], status.to_string());
    assert_eq!(payload["content"], "hello from bob");
    assert!(update["id"].as_str().is_some_and(|id| !id.is_empty()));

    harness.delete(status).await?;
    let delete = next_frame(&mut stream).await?;

    assert_eq!(delete["event"], "delete");
    assert_eq!(delete["payload"], status.to_string());
    Ok(())
}

#[tokio::test]
async fn the_user_stream_carries_ones_own_posts_but_not_those_of_strangers() -> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let carol = harness.user("carol").await?;
    let mut stream = harness.user_stream(&alice).await?;

    // The relay publishes oldest first, so if carol's post were delivered it
    // would arrive before alice's own.
    harness.post(&carol, "alice does not follow me").await?;
    let own = harness.post(&alice, "my own post").await?;
    let first = next_frame(&mut stream).await?;

    let payload: serde_json::Value = serde_json::from_str(first["payload"].as_str().unwrap())?;
    assert_eq!(payload["id"], own.to_string());
    Ok(())
}

#[tokio::test]
async fn following_while_connected_widens_the_open_stream() -> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let bob = harness.user("bob").await?;
    let mut stream = harness.user_stream(&alice).await?;

    harness.follow(&alice, &bob).await?;
    let status = harness.post(&bob, "now you see me").await?;
    let update = next_frame(&mut stream).await?;

    let payload: serde_json::Value = serde_json::from_str(update["payload"].as_str().unwrap())?;
    assert_eq!(payload["id"], status.to_string());
    Ok(())
}

#[tokio::test]
async fn the_public_stream_carries_everyones_posts() -> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let carol = harness.user("carol").await?;
    let url = harness.url(&format!("stream=public&access_token={}", alice.token));
    let (mut stream, _) = tokio_tungstenite::connect_async(url).await?;

    let status = harness.post(&carol, "for everyone").await?;
    let update = next_frame(&mut stream).await?;

    assert_eq!(update["stream"], serde_json::json!(["public"]));
    let payload: serde_json::Value = serde_json::from_str(update["payload"].as_str().unwrap())?;
    assert_eq!(payload["id"], status.to_string());
    Ok(())
}

#[tokio::test]
async fn a_token_sent_as_the_websocket_subprotocol_is_accepted_and_echoed() -> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let mut request = harness.url("stream=user").into_client_request()?;
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", alice.token.parse()?);

    let (mut stream, response) = tokio_tungstenite::connect_async(request).await?;

    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .map(|v| v.to_str().unwrap()),
        Some(alice.token.as_str())
    );
    let own = harness.post(&alice, "via subprotocol").await?;
    let update = next_frame(&mut stream).await?;
    let payload: serde_json::Value = serde_json::from_str(update["payload"].as_str().unwrap())?;
    assert_eq!(payload["id"], own.to_string());
    Ok(())
}

#[tokio::test]
async fn a_bearer_header_authenticates_the_stream() -> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let mut request = harness.url("stream=user").into_client_request()?;
    request
        .headers_mut()
        .insert("Authorization", format!("Bearer {}", alice.token).parse()?);

    let (mut stream, _) = tokio_tungstenite::connect_async(request).await?;

    harness.post(&alice, "via header").await?;
    assert_eq!(next_frame(&mut stream).await?["event"], "update");
    Ok(())
}

async fn refusal(harness: &Harness, query: &str) -> anyhow::Result<(u16, serde_json::Value)> {
    match tokio_tungstenite::connect_async(harness.url(query)).await {
        Err(WsError::Http(response)) => {
            let body = response.body().as_deref().unwrap_or_default();
            Ok((response.status().as_u16(), serde_json::from_slice(body)?))
        }
        Err(other) => anyhow::bail!("unexpected error: {other}"),
        Ok(_) => anyhow::bail!("the connection was accepted"),
    }
}

#[tokio::test]
async fn missing_invalid_and_revoked_tokens_are_refused_with_401_before_upgrading()
-> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    harness.revoke(&alice).await?;

    for query in [
        "stream=user".to_owned(),
        "stream=user&access_token=not.a.token".to_owned(),
        format!("stream=user&access_token={}", alice.token),
    ] {
        let (status, body) = refusal(&harness, &query).await?;
        assert_eq!(status, 401, "for {query}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "for {query}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn revoking_the_token_closes_its_open_stream_with_a_policy_violation() -> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let bob = harness.user("bob").await?;
    let mut alices = harness.user_stream(&alice).await?;
    let mut bobs = harness.user_stream(&bob).await?;

    harness.revoke(&alice).await?;

    match next_seen(&mut alices).await? {
        Seen::Closed(Some(frame)) => assert_eq!(frame.code, CloseCode::Policy),
        other => panic!("expected a close frame, got {other:?}"),
    }
    // Bob's stream, opened with another token, stays open.
    harness.post(&bob, "still here").await?;
    assert_eq!(next_frame(&mut bobs).await?["event"], "update");
    Ok(())
}

#[tokio::test]
async fn an_unknown_stream_gets_an_error_frame_and_the_connection_stays_open() -> anyhow::Result<()>
{
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let url = harness.url(&format!("access_token={}", alice.token));
    let (mut stream, _) = tokio_tungstenite::connect_async(url).await?;

    stream
        .send(Message::text(r#"{"type":"subscribe","stream":"nonsense"}"#))
        .await?;
    let error = next_frame(&mut stream).await?;
    assert_eq!(
        error,
        serde_json::json!({"error": "Unknown stream type", "status": 400})
    );

    stream
        .send(Message::text(r#"{"type":"subscribe","stream":"user"}"#))
        .await?;
    // Subscribing is not acknowledged, but messages are handled in order: the
    // pong to a later ping proves the subscription is in place.
    stream.send(Message::Ping(Default::default())).await?;
    crate::support::until_pong(&mut stream).await?;
    harness.post(&alice, "subscribed by message").await?;
    assert_eq!(next_frame(&mut stream).await?["event"], "update");
    Ok(())
}

#[tokio::test]
async fn an_unknown_stream_in_the_query_gets_an_error_frame() -> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let url = harness.url(&format!("stream=nonsense&access_token={}", alice.token));
    let (mut stream, _) = tokio_tungstenite::connect_async(url).await?;

    assert_eq!(
        next_frame(&mut stream).await?,
        serde_json::json!({"error": "Unknown stream type", "status": 400})
    );
    Ok(())
}

#[tokio::test]
async fn the_health_check_answers_ok_and_other_paths_are_not_found() -> anyhow::Result<()> {
    let harness = Harness::start().await?;

    let health = harness
        .raw_http("GET /api/v1/streaming/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await?;
    assert!(health.starts_with("HTTP/1.1 200 OK\r\n"), "{health}");
    assert!(health.ends_with("\r\n\r\nOK"), "{health}");

    let missing = harness
        .raw_http("GET /elsewhere HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await?;
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");

    let garbage = harness.raw_http("\x01\x02 not http at all\r\n\r\n").await?;
    assert!(garbage.starts_with("HTTP/1.1 400"), "{garbage}");
    Ok(())
}

#[tokio::test]
async fn shutting_down_tells_open_streams_to_reconnect_with_service_restart() -> anyhow::Result<()>
{
    let mut harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let mut stream = harness.user_stream(&alice).await?;

    harness.stop();

    match next_seen(&mut stream).await? {
        Seen::Closed(Some(frame)) => assert_eq!(frame.code, CloseCode::Restart),
        other => panic!("expected a close frame, got {other:?}"),
    }
    tokio::time::timeout(crate::support::WAIT, &mut harness.gateway).await???;
    Ok(())
}

#[tokio::test]
async fn a_client_that_never_answers_pings_is_dropped() -> anyhow::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limits = hubbub_realtime::GatewayLimits {
        ping_interval: std::time::Duration::from_millis(100),
        ..Default::default()
    };
    let harness = Harness::start_with(limits).await?;
    let alice = harness.user("alice").await?;
    // A hand-made client: unlike a WebSocket library, it never answers pings.
    let mut socket = tokio::net::TcpStream::connect(harness.addr).await?;
    let request = format!(
        "GET /api/v1/streaming?stream=user&access_token={} HTTP/1.1\r\nHost: localhost\r\n\
         Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        alice.token
    );
    socket.write_all(request.as_bytes()).await?;

    let mut received = Vec::new();
    tokio::time::timeout(crate::support::WAIT, socket.read_to_end(&mut received)).await??;

    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 101"), "{text}");
    // After the 101 head: at least one ping frame (opcode 0x9), then the end.
    let head_end = text.find("\r\n\r\n").unwrap() + 4;
    assert_eq!(received.get(head_end), Some(&0x89));
    Ok(())
}

#[tokio::test]
async fn a_garbage_frame_closes_only_that_connection() -> anyhow::Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.user("alice").await?;
    let mut garbled = harness.user_stream(&alice).await?;
    let mut healthy = harness.user_stream(&alice).await?;

    garbled.send(Message::text("this is not json")).await?;

    match next_seen(&mut garbled).await? {
        Seen::Closed(Some(frame)) => assert_eq!(frame.code, CloseCode::Invalid),
        other => panic!("expected a close frame, got {other:?}"),
    }
    harness.post(&alice, "still streaming").await?;
    assert_eq!(next_frame(&mut healthy).await?["event"], "update");
    Ok(())
}
