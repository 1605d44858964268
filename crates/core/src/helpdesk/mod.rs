//! The help desk: tickets, the business-hours calendar, versioned settings and the
//! time-saved model of `HELPDESK.md`, as pure functions.
//!
//! - [`ticket`]: categories, priorities, states and the kinds of event in a ticket's log.
//! - [`tags`]: finding help-desk tags and mapped category tags in post text.
//! - [`calendar`]: business hours between two instants (time zone, days, hours, holidays).
//! - [`settings`]: the manager-edited assumptions and targets, validated field by field.
//! - [`model`]: a ticket's facts folded from its log, its figures (durations, `D`, `U`)
//!   and the period summary (medians, shares, savings), with the formula text.

pub mod calendar;
pub mod model;
pub mod settings;
pub mod tags;
pub mod ticket;
