//! The Redis bus against a real server (when `HUBBUB_TEST_REDIS_URL` is set).

use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::EventId;
use hubbub_realtime::Bus;

use crate::support::WAIT;

#[tokio::test]
async fn two_redis_buses_on_one_channel_both_receive_an_event_published_once() -> anyhow::Result<()>
{
    let Ok(url) = std::env::var("HUBBUB_TEST_REDIS_URL") else {
        eprintln!("skipped: HUBBUB_TEST_REDIS_URL is not set");
        return Ok(());
    };
    // A channel of its own: pub/sub keeps nothing, so there is nothing to clean up.
    let channel = format!("hubbub-test-{}", uuid::Uuid::new_v4());
    let first = Bus::redis(&url, &channel).await?;
    let second = Bus::redis(&url, &channel).await?;
    let mut on_first = first.subscribe();
    let mut on_second = second.subscribe();
    let event = Event {
        id: EventId(42),
        body: EventBody::TokenRevoked {
            token_id: "abc".into(),
        },
    };

    first.publish(&event).await?;

    assert_eq!(*tokio::time::timeout(WAIT, on_first.recv()).await??, event);
    assert_eq!(*tokio::time::timeout(WAIT, on_second.recv()).await??, event);
    Ok(())
}

#[tokio::test]
async fn two_gateways_sharing_one_redis_both_deliver_an_event_published_once() -> anyhow::Result<()>
{
    use crate::support::{Harness, next_frame, start_gateway};
    use hubbub_realtime::{GatewayLimits, RelayOptions};
    use hubbub_testkit::database::BackendUnderTest;
    let Ok(url) = std::env::var("HUBBUB_TEST_REDIS_URL") else {
        eprintln!("skipped: HUBBUB_TEST_REDIS_URL is not set");
        return Ok(());
    };
    let channel = format!("hubbub-test-{}", uuid::Uuid::new_v4());
    let harness = Harness::start_on(
        &BackendUnderTest::Sqlite,
        Bus::redis(&url, &channel).await?,
        GatewayLimits::default(),
        RelayOptions::default(),
    )
    .await?;
    let (other, _stop_other, _task) = start_gateway(
        harness.store.clone(),
        Bus::redis(&url, &channel).await?,
        harness.keys(),
        GatewayLimits::default(),
    )
    .await?;
    let alice = harness.user("alice").await?;
    let mut here = harness.user_stream(&alice).await?;
    let there_url = format!(
        "ws://{other}/api/v1/streaming?stream=user&access_token={}",
        alice.token
    );
    let (mut there, _) = tokio_tungstenite::connect_async(there_url).await?;

    let status = harness.post(&alice, "once, to both").await?;

    for stream in [&mut here, &mut there] {
        let frame = next_frame(stream).await?;
        let payload: serde_json::Value =
            serde_json::from_str(frame["payload"].as_str().unwrap_or("{}"))?;
        assert_eq!(payload["id"], status.to_string());
    }
    Ok(())
}
