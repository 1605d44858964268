//! Typed ids. Posts, accounts and events use 64-bit ids whose high bits are a
//! millisecond timestamp, so ordering by id is ordering by creation time and a
//! keyset page is an index range.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse::<i64>().map(Self)
            }
        }
    };
}

id_type!(
    /// A staff account.
    AccountId
);
id_type!(
    /// A post (Mastodon's status).
    StatusId
);
id_type!(
    /// A registered client application.
    AppId
);
id_type!(
    /// A community (Yammer's group).
    CommunityId
);
id_type!(
    /// An uploaded media attachment (an image).
    MediaId
);
id_type!(
    /// A report about an account and some of its posts.
    ReportId
);
id_type!(
    /// One entry of the moderation audit log.
    ModerationActionId
);
id_type!(
    /// An outbox event; strictly increasing in commit-publish order.
    EventId
);
id_type!(
    /// A help-desk ticket; equal to its starter post's id.
    TicketId
);

/// Bits below the timestamp in a generated id.
const SEQUENCE_BITS: u32 = 16;

/// Makes time-ordered ids: `millis << 16 | sequence`, strictly increasing within
/// a process. The sequence starts at a random offset each millisecond so that two
/// nodes minting in the same millisecond are unlikely to collide (the database's
/// primary key catches the rest).
#[derive(Debug, Default)]
pub struct IdGenerator {
    last: AtomicI64,
}

impl IdGenerator {
    /// A generator with no history.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next id for an item created at `at`.
    pub fn next(&self, at: DateTime<Utc>) -> i64 {
        let offset = i64::from(rand::random::<u16>() & 0x03ff);
        let candidate = (at.timestamp_millis() << SEQUENCE_BITS) | offset;
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let next = candidate.max(last + 1);
            match self
                .last
                .compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(seen) => last = seen,
            }
        }
    }
}

/// The smallest id that could have been minted at `at`; for time-range queries.
pub fn min_id_at(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis() << SEQUENCE_BITS
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ids_increase_even_within_one_millisecond() {
        let generator = IdGenerator::new();
        let at = Utc
            .timestamp_millis_opt(1_700_000_000_000)
            .single()
            .unwrap();
        let ids: Vec<i64> = (0..5000).map(|_| generator.next(at)).collect();
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn later_times_give_larger_ids_and_encode_the_time() {
        let generator = IdGenerator::new();
        let early = Utc
            .timestamp_millis_opt(1_700_000_000_000)
            .single()
            .unwrap();
        let late = Utc
            .timestamp_millis_opt(1_700_000_000_001)
            .single()
            .unwrap();
        let a = generator.next(early);
        let b = generator.next(late);
        assert!(b > a);
        assert_eq!(b >> SEQUENCE_BITS, 1_700_000_000_001);
        assert!(a >= min_id_at(early) && a < min_id_at(late));
    }
}
