//! Read positions of the home and notifications timelines (Mastodon's markers),
//! synced across devices.

pub mod save;
pub mod show;

use crate::entities::timestamp;
use hubbub_storage::interactions::Marker;
use serde_json::{Map, Value, json};

/// The timelines that have markers.
const TIMELINES: [&str; 2] = ["home", "notifications"];

/// Markers as Mastodon shows them: an object keyed by timeline.
fn markers_json(markers: &[Marker]) -> Value {
    let mut body = Map::new();
    for marker in markers {
        body.insert(
            marker.timeline.clone(),
            json!({
                "last_read_id": marker.last_read_id.to_string(),
                "version": marker.version,
                "updated_at": timestamp(marker.updated_at),
            }),
        );
    }
    Value::Object(body)
}
