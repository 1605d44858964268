//! One event on one stream, shared by every recipient: each transport's bytes
//! are built at most once, by whichever connection first needs them, outside
//! the interest index's lock.

use super::streams::StreamKey;
use hubbub_core::ids::EventId;
use std::sync::{Arc, OnceLock};
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// An event ready to be written on a stream.
pub(crate) struct Frame {
    /// The event id: clients resume from it.
    pub(crate) id: EventId,
    stream: StreamKey,
    event: &'static str,
    payload: Arc<str>,
    ws: OnceLock<Utf8Bytes>,
    sse: OnceLock<Utf8Bytes>,
}

impl Frame {
    /// `event` (`update`, `delete`, ...) with its `payload` (JSON text, or a bare
    /// id for `delete`), labelled `stream`.
    pub(crate) fn new(
        id: EventId,
        stream: StreamKey,
        event: &'static str,
        payload: Arc<str>,
    ) -> Arc<Self> {
        Arc::new(Self {
            id,
            stream,
            event,
            payload,
            ws: OnceLock::new(),
            sse: OnceLock::new(),
        })
    }

    /// Mastodon's WebSocket frame, plus `id` (an extra field clients ignore)
    /// for resuming.
    pub(crate) fn ws(&self) -> Utf8Bytes {
        self.ws
            .get_or_init(|| {
                serde_json::json!({
                    "stream": self.stream.label(),
                    "event": self.event,
                    "payload": &*self.payload,
                    "id": self.id.to_string(),
                })
                .to_string()
                .into()
            })
            .clone()
    }

    /// The server-sent event: `event:`, `data:` and `id:` lines.
    pub(crate) fn sse(&self) -> Utf8Bytes {
        self.sse
            .get_or_init(|| sse_event(self.event, &self.payload, Some(self.id)).into())
            .clone()
    }
}

/// One server-sent event. JSON text never contains a raw newline, so `data`
/// fits on one `data:` line.
pub(crate) fn sse_event(event: &str, data: &str, id: Option<EventId>) -> String {
    match id {
        Some(id) => format!("event: {event}\ndata: {data}\nid: {id}\n\n"),
        None => format!("event: {event}\ndata: {data}\n\n"),
    }
}

/// Hubbub's `resync` message: the client was too far behind to be replayed
/// and must refetch its timelines over HTTP.
pub(crate) const RESYNC_PAYLOAD: &str = r#"{"reason":"too far behind: refetch over HTTP"}"#;

/// The WebSocket form of `resync`.
pub(crate) fn ws_resync() -> String {
    serde_json::json!({ "event": "resync", "payload": RESYNC_PAYLOAD }).to_string()
}
