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
