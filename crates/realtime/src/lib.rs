//! Hubbub's realtime side: committed events travel from the outbox to the bus,
//! and from the bus to the streaming clients that may see them.
//!
//! - [`bus`]: [`Bus`], the event bus: an in-process broadcast, or Redis pub/sub
//!   (one subscription per process) feeding the same local broadcast.
//! - [`relay`]: [`spawn_relay`], the task that publishes committed outbox rows to
//!   the bus, oldest first, and marks them published; one active relay per
//!   database (a lease), with takeover when its node dies; prunes the outbox.
//! - [`gateway`]: [`Gateway`] and [`serve`], Mastodon's streaming protocol over
//!   WebSocket and server-sent events on its own listener: the hand-made HTTP
//!   handshake (health, auth, upgrade), one task per connection, resume from an
//!   event id, and the interest index that routes each event to the
//!   connections that want it.
//! - [`error`]: [`RealtimeError`], the one error type of this crate.

pub mod bus;
pub mod error;
pub mod gateway;
pub mod relay;

pub use bus::Bus;
pub use error::RealtimeError;
pub use gateway::{Gateway, GatewayLimits, GatewayStats, PlainResponse, PlainRoutes, serve};
pub use relay::{RelayOptions, spawn_relay, spawn_relay_with};
