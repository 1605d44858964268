//! Reactions to posts (a small fixed set besides the favourite) and the kinds of
//! notification they and other actions cause.

use crate::error::DomainError;

/// A reaction from the fixed set; "same here" is the help desk's reuse signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reaction {
    /// "Same here": the reader has the same problem (a reuse of a ticket's answer).
    SameHere,
    /// "Thanks".
    Thanks,
    /// "Insightful".
    Insightful,
    /// "Celebrate".
    Celebrate,
}

impl Reaction {
    /// Every reaction, in display order.
    pub const ALL: &'static [Self] = &[
        Self::SameHere,
        Self::Thanks,
        Self::Insightful,
        Self::Celebrate,
    ];

    /// The name used in paths, JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SameHere => "same_here",
            Self::Thanks => "thanks",
            Self::Insightful => "insightful",
            Self::Celebrate => "celebrate",
        }
    }
}

impl std::str::FromStr for Reaction {
    type Err = DomainError;

    /// Parses a reaction name; anything else is refused naming the field `name`.
    fn from_str(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .iter()
            .copied()
            .find(|reaction| reaction.as_str() == raw)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|r| r.as_str()).collect();
                DomainError::invalid(
                    "name",
                    format!(
                        "unknown reaction '{raw}' (expected one of: {})",
                        names.join(", ")
                    ),
                )
            })
    }
}

/// The kind of a notification, as Mastodon's `Notification.type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// Mentioned in a post, or a reply to one of the recipient's posts.
    Mention,
    /// Someone followed the recipient.
    Follow,
    /// Someone favourited the recipient's post.
    Favourite,
    /// Someone reacted to the recipient's post (`hubbub_reaction` names how).
    Reaction,
    /// The recipient's reply was accepted as the answer to a question.
    AnswerAccepted,
}

impl NotificationKind {
    /// Every kind.
    pub const ALL: &'static [Self] = &[
        Self::Mention,
        Self::Follow,
        Self::Favourite,
        Self::Reaction,
        Self::AnswerAccepted,
    ];

    /// The name in JSON, filters and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mention => "mention",
            Self::Follow => "follow",
            Self::Favourite => "favourite",
            Self::Reaction => "hubbub.reaction",
            Self::AnswerAccepted => "hubbub.answer_accepted",
        }
    }

    /// The kind named `raw`, if it is one.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reaction_names_round_trip_and_unknown_ones_name_the_field() {
        for reaction in Reaction::ALL {
            assert_eq!(reaction.as_str().parse::<Reaction>(), Ok(*reaction));
        }
        let error = "angry".parse::<Reaction>().unwrap_err();
        assert!(error.to_string().starts_with("name"), "{error}");
    }

    #[test]
    fn notification_kinds_round_trip() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(NotificationKind::parse("reblog"), None);
    }
}
