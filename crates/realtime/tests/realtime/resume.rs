//! Resuming a stream from the last event id seen: no gap, no duplicate.

use crate::support::{Harness, Seen, next_frame, next_seen};
use hubbub_realtime::{Bus, GatewayLimits, RelayOptions};
use hubbub_testkit::database::all_backends;
use std::time::Duration;

fn payload_id(frame: &serde_json::Value) -> String {
    let payload: serde_json::Value =
        serde_json::from_str(frame["payload"].as_str().unwrap_or("{}")).unwrap_or_default();
    payload["id"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_client_resuming_after_a_forced_disconnect_gets_every_missed_post_once_then_live_ones()
-> anyhow::Result<()> {
    for backend in all_backends() {
        let harness = Harness::start_on(
            &backend,
            Bus::in_process(),
            GatewayLimits::default(),
            RelayOptions::default(),
        )
        .await?;
        let alice = harness.user("alice").await?;
        let bob = harness.user("bob").await?;
        harness.follow(&alice, &bob).await?;
        let mut stream = harness.user_stream(&alice).await?;

        let mut expected = Vec::new();
        let mut seen = Vec::new();
        let mut last_id = String::new();
        for n in 0..3 {
            expected.push(
                harness
                    .post(&bob, &format!("before {n}"))
                    .await?
                    .to_string(),
            );
            let frame = next_frame(&mut stream).await?;
            last_id = frame["id"].as_str().unwrap_or_default().to_owned();
            seen.push(payload_id(&frame));
        }
        // Forced disconnect: the socket goes away without a goodbye.
        drop(stream);
        for n in 0..3 {
            expected.push(
                harness
                    .post(&bob, &format!("while away {n}"))
                    .await?
                    .to_string(),
            );
        }

        let url = harness.url(&format!(
            "stream=user&since={last_id}&access_token={}",
            alice.token
        ));
        let (mut resumed, _) = tokio_tungstenite::connect_async(url).await?;
        for n in 0..2 {
            expected.push(harness.post(&bob, &format!("after {n}")).await?.to_string());
        }
        let mut ids = Vec::new();
        while seen.len() < expected.len() {
            let frame = next_frame(&mut resumed).await?;
            ids.push(frame["id"].as_str().unwrap_or_default().parse::<i64>()?);
            seen.push(payload_id(&frame));
        }

        assert_eq!(seen, expected, "on {}", backend.name());
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids in order: {ids:?}");
        // Nothing more is owed: the next frame is the next post.
        let marker = harness.post(&bob, "marker").await?.to_string();
        assert_eq!(payload_id(&next_frame(&mut resumed).await?), marker);
    }
    Ok(())
}

#[tokio::test]
async fn a_client_resuming_from_before_the_retained_window_is_told_to_resync() -> anyhow::Result<()>
{
    let relay = RelayOptions {
        retention: Duration::ZERO,
        prune_every: Duration::from_millis(20),
        poll: Duration::from_millis(20),
    };
    let harness = Harness::start_on(
        &hubbub_testkit::database::BackendUnderTest::Sqlite,
        Bus::in_process(),
        GatewayLimits::default(),
        relay,
    )
    .await?;
    let alice = harness.user("alice").await?;
    for n in 0..3 {
        harness.post(&alice, &format!("old {n}")).await?;
    }
    // Wait (bounded) for the relay to prune all but the newest event.
    let deadline = tokio::time::Instant::now() + crate::support::WAIT;
    while harness.store.oldest_event_id().await?.map_or(0, |id| id.0) < 3 {
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "never pruned");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let url = harness.url(&format!("stream=user&since=1&access_token={}", alice.token));
    let (mut stream, _) = tokio_tungstenite::connect_async(url).await?;

    match next_seen(&mut stream).await? {
        Seen::Frame(frame) => assert_eq!(frame["event"], "resync"),
        Seen::Closed(frame) => panic!("closed: {frame:?}"),
    }
    Ok(())
}
