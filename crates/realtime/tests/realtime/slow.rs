//! A client that stops reading is cut off; the others keep receiving.

use crate::support::{Harness, Seen, next_frame, next_seen};
use hubbub_core::event::{Event, EventBody};
use hubbub_core::ids::{AccountId, EventId, StatusId};
use hubbub_core::visibility::PostAudience;
use hubbub_realtime::{Bus, GatewayLimits, RelayOptions};
use hubbub_testkit::database::BackendUnderTest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

#[tokio::test]
async fn a_client_that_stops_reading_is_closed_as_too_slow_while_a_fast_one_keeps_receiving()
-> anyhow::Result<()> {
    let limits = GatewayLimits {
        queue_capacity: 8,
        ..Default::default()
    };
    let harness = Harness::start_on(
        &BackendUnderTest::Sqlite,
        Bus::in_process(),
        limits,
        RelayOptions::default(),
    )
    .await?;
    let alice = harness.user("alice").await?;
    let bob = harness.user("bob").await?;
    let public = |user: &crate::support::User| {
        harness.url(&format!("stream=public&access_token={}", user.token))
    };
    let (mut fast, _) = tokio_tungstenite::connect_async(public(&alice)).await?;
    let (mut slow, _) = tokio_tungstenite::connect_async(public(&bob)).await?;

    // Big frames straight onto the bus, paced by the fast reader, until the
    // slow one's socket buffers and queue are full.
    let big = "x".repeat(64 * 1024);
    let total = 400;
    for n in 1..=total {
        harness
            .bus
            .publish(&Event {
                id: EventId(1_000 + n),
                body: EventBody::StatusCreated {
                    author: AccountId(1),
                    status_id: StatusId(n),
                    thread: StatusId(n),
                    audience: PostAudience::of(None, false),
                    status_json: serde_json::json!({"id": n.to_string(), "content": big})
                        .to_string(),
                },
            })
            .await?;
        let frame = next_frame(&mut fast).await?;
        assert_eq!(frame["id"], (1_000 + n).to_string());
    }

    // The slow client reads at last: some frames, then a close saying why.
    let mut frames = 0;
    loop {
        match next_seen(&mut slow).await? {
            Seen::Frame(_) => frames += 1,
            Seen::Closed(frame) => {
                let frame = frame.expect("a close frame with a code");
                assert_eq!(frame.code, CloseCode::Again);
                break;
            }
        }
    }
    assert!(frames < total, "the slow client got everything");
    Ok(())
}
