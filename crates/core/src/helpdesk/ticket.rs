//! Ticket vocabulary: category, priority, state, and the kinds of logged event.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal, { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and displayed name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, DomainError> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($text => Ok($name::$variant),)+
                    other => Err(DomainError::invalid(
                        $field,
                        format!(
                            "unknown {} '{other}' (expected one of: {})",
                            $field,
                            [$($text),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(s: String) -> Result<Self, DomainError> {
                s.parse()
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }
    };
}

named_enum!(
    /// What a ticket is about; each has a baseline handle time in the settings.
    Category, "category", {
        /// Access and passwords.
        Access => "access",
        /// How do I...
        HowTo => "how_to",
        /// Hardware.
        Hardware => "hardware",
        /// Software and business applications.
        Software => "software",
        /// Network, VPN, Wi-Fi.
        Network => "network",
        /// Anything else (the default).
        Other => "other",
    }
);

named_enum!(
    /// How urgent support judges a ticket.
    Priority, "priority", {
        /// Can wait.
        Low => "low",
        /// The default.
        Normal => "normal",
        /// Soon.
        High => "high",
        /// Now.
        Urgent => "urgent",
    }
);

named_enum!(
    /// Where a ticket stands. Reopening moves a resolved or closed ticket back to open.
    TicketState, "state", {
        /// New or reopened, nobody working on it.
        Open => "open",
        /// Support is on it.
        InProgress => "in_progress",
        /// Support waits for the asker.
        WaitingOnAsker => "waiting_on_asker",
        /// An answer was accepted.
        Resolved => "resolved",
        /// Done (possibly without an accepted answer, e.g. escalated or a duplicate).
        Closed => "closed",
    }
);

impl TicketState {
    /// Whether the ticket still needs someone (it is in the triage queue).
    pub fn is_active(self) -> bool {
        matches!(self, Self::Open | Self::InProgress | Self::WaitingOnAsker)
    }
}

named_enum!(
    /// The kind of one entry in a ticket's event log.
    EventKind, "kind", {
        /// The ticket was opened (from a tag, a help-desk community, or by support).
        Created => "created",
        /// Someone replied in the thread.
        Reply => "reply",
        /// The category was set.
        Category => "category",
        /// The priority was set.
        Priority => "priority",
        /// The assignee was set or cleared.
        Assigned => "assigned",
        /// The state was changed by hand.
        State => "state",
        /// An answer was accepted; the ticket is resolved.
        Accepted => "accepted",
        /// A resolved or closed ticket was reopened.
        Reopened => "reopened",
        /// This ticket was marked a duplicate of another.
        DuplicateOf => "duplicate_of",
        /// Another ticket was linked to this one as its duplicate (a reuse).
        DuplicateLinked => "duplicate_linked",
        /// Support moved it to a formal ticket elsewhere.
        Escalated => "escalated",
        /// Support logged minutes spent.
        Minutes => "minutes",
        /// Someone said "same here" (a reuse of the answer).
        Reuse => "reuse",
        /// Someone took back their "same here": their earlier reuse no longer counts.
        ReuseWithdrawn => "reuse_withdrawn",
        /// Someone opened the thread after it was resolved (a view, weighted by `w_view`).
        Viewed => "viewed",
    }
);

impl EventKind {
    /// Whether support doing this counts as triage (for `m_triage`).
    pub fn is_triage(self) -> bool {
        matches!(
            self,
            Self::Category | Self::Priority | Self::Assigned | Self::State | Self::DuplicateOf
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused_naming_the_field() {
        for category in Category::ALL {
            assert_eq!(category.as_str().parse::<Category>(), Ok(*category));
        }
        let err = "printers".parse::<Category>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "category: unknown category 'printers' (expected one of: access, how_to, hardware, software, network, other)"
        );
        assert_eq!(
            "In_Progress".parse::<TicketState>(),
            Ok(TicketState::InProgress)
        );
        assert!(TicketState::WaitingOnAsker.is_active());
        assert!(!TicketState::Resolved.is_active());
    }
}
