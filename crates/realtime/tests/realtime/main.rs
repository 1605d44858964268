//! The realtime crate end to end: a real gateway on port 0, a real store,
//! the relay between them, and WebSocket and event-stream clients.

mod bus;
mod gateway;
mod relay;
mod resume;
mod slow;
mod sse;
mod support;
