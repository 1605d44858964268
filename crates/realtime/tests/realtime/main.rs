//! The realtime crate end to end: a real gateway on port 0, a real SQLite store,
//! the relay between them, and WebSocket clients.

mod bus;
mod gateway;
mod support;
