//! Email notifications: the kinds a person can opt out of, and the weekly digest's
//! schedule (a weekday and local time in the person's time zone).

use crate::DomainError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an email is about; each kind can be switched off on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailKind {
    /// Someone replied to my post.
    Reply,
    /// Someone mentioned me (the post's stored mentions).
    Mention,
    /// An answer was accepted on my help-desk question.
    AcceptedAnswer,
    /// One of my help-desk tickets changed state.
    TicketUpdate,
    /// The weekly digest.
    Digest,
}

impl EmailKind {
    /// Every kind, in the order preferences list them.
    pub const ALL: [Self; 5] = [
        Self::Reply,
        Self::Mention,
        Self::AcceptedAnswer,
        Self::TicketUpdate,
        Self::Digest,
    ];

    /// The stable name used in the database, the API and unsubscribe links.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reply => "reply",
            Self::Mention => "mention",
            Self::AcceptedAnswer => "accepted_answer",
            Self::TicketUpdate => "ticket_update",
            Self::Digest => "digest",
        }
    }
}

impl fmt::Display for EmailKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EmailKind {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| DomainError::invalid("kind", format!("unknown email kind '{s}'")))
    }
}

/// When a person's weekly digest goes out: a weekday and a local time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestSchedule {
    /// The day of the week, in the person's time zone.
    pub weekday: Weekday,
    /// Minutes after local midnight (0..1440).
    pub minute: u32,
    /// The person's IANA time zone.
    pub time_zone: Tz,
}

impl DigestSchedule {
    /// Parses `day` (`monday`..`sunday`), `time` (`HH:MM`) and an IANA time zone
    /// (`Europe/Berlin`); each bad value names its field.
    pub fn parse(day: &str, time: &str, time_zone: &str) -> Result<Self, DomainError> {
        let weekday = day
            .trim()
            .parse::<Weekday>()
            .map_err(|_| DomainError::invalid("digest.day", "must be a weekday, e.g. monday"))?;
        let minute = parse_time(time)?;
        let time_zone = time_zone.trim().parse::<Tz>().map_err(|_| {
            DomainError::invalid(
                "digest.time_zone",
                "must be an IANA time zone, e.g. Europe/Berlin",
            )
        })?;
        Ok(Self {
            weekday,
            minute,
            time_zone,
        })
    }

    /// The weekday as stored (0 = Monday).
    pub fn weekday_number(&self) -> i32 {
        self.weekday.num_days_from_monday() as i32
    }

    /// Rebuilds a schedule from its stored parts.
    pub fn from_stored(weekday: i32, minute: i32, time_zone: &str) -> Result<Self, DomainError> {
        let weekday = u8::try_from(weekday)
            .ok()
            .and_then(|n| Weekday::try_from(n).ok())
            .ok_or_else(|| DomainError::invalid("digest.day", "stored weekday out of range"))?;
        let minute = u32::try_from(minute)
            .ok()
            .filter(|m| *m < 24 * 60)
            .ok_or_else(|| DomainError::invalid("digest.time", "stored time out of range"))?;
        let time_zone = time_zone
            .parse::<Tz>()
            .map_err(|_| DomainError::invalid("digest.time_zone", "stored time zone unknown"))?;
        Ok(Self {
            weekday,
            minute,
            time_zone,
        })
    }

    /// The local time as `HH:MM`.
    pub fn time_text(&self) -> String {
        format!("{:02}:{:02}", self.minute / 60, self.minute % 60)
    }

    /// The first digest time at or after `from`. A local time that a daylight-saving
    /// change skips moves an hour later; one that occurs twice takes the first.
    pub fn next_at_or_after(&self, from: DateTime<Utc>) -> DateTime<Utc> {
        let local_today = from.with_timezone(&self.time_zone).date_naive();
        // Start a day early: the slot may be earlier today in UTC than in local time.
        (-1..=8)
            .filter_map(|offset| local_today.checked_add_signed(Duration::days(offset)))
            .filter(|date| date.weekday() == self.weekday)
            .filter_map(|date| self.instant_on(date))
            .find(|at| *at >= from)
            .unwrap_or(from + Duration::weeks(1))
    }

    fn instant_on(&self, date: NaiveDate) -> Option<DateTime<Utc>> {
        let local = date.and_hms_opt(self.minute / 60, self.minute % 60, 0)?;
        let resolved = self
            .time_zone
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                self.time_zone
                    .from_local_datetime(&(local + Duration::hours(1)))
                    .earliest()
            })?;
        Some(resolved.with_timezone(&Utc))
    }
}

impl Default for DigestSchedule {
    /// Monday 09:00 UTC.
    fn default() -> Self {
        Self {
            weekday: Weekday::Mon,
            minute: 9 * 60,
            time_zone: Tz::UTC,
        }
    }
}

fn parse_time(raw: &str) -> Result<u32, DomainError> {
    let invalid = || DomainError::invalid("digest.time", "must be a time of day as HH:MM");
    let (hours, minutes) = raw.trim().split_once(':').ok_or_else(invalid)?;
    let hours: u32 = hours.parse().map_err(|_| invalid())?;
    let minutes: u32 = minutes.parse().map_err(|_| invalid())?;
    if hours > 23 || minutes > 59 {
        return Err(invalid());
    }
    Ok(hours * 60 + minutes)
}

/// The weekday's lower-case English name, as the API shows it.
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_next_digest_is_the_coming_weekday_at_local_time() {
        let schedule = DigestSchedule::parse("monday", "09:00", "Europe/Berlin").unwrap();
        // Wednesday 2026-11-25: next Monday is 2026-11-30, 09:00 CET = 08:00 UTC.
        assert_eq!(
            schedule.next_at_or_after(at("2026-11-25T12:00:00Z")),
            at("2026-11-30T08:00:00Z")
        );
        // Exactly at the slot: that slot.
        assert_eq!(
            schedule.next_at_or_after(at("2026-11-30T08:00:00Z")),
            at("2026-11-30T08:00:00Z")
        );
        // A minute later: a week later.
        assert_eq!(
            schedule.next_at_or_after(at("2026-11-30T08:01:00Z")),
            at("2026-12-07T08:00:00Z")
        );
    }

    #[test]
    fn summer_time_keeps_the_local_hour() {
        let schedule = DigestSchedule::parse("friday", "17:30", "America/New_York").unwrap();
        // 2026-07-03 is a Friday; EDT is UTC-4.
        assert_eq!(
            schedule.next_at_or_after(at("2026-07-01T00:00:00Z")),
            at("2026-07-03T21:30:00Z")
        );
    }

    #[test]
    fn bad_schedules_name_their_field() {
        let field = |r: Result<DigestSchedule, DomainError>| match r {
            Err(DomainError::Invalid { field, .. }) => field,
            Ok(_) => "ok",
        };
        assert_eq!(
            field(DigestSchedule::parse("someday", "09:00", "UTC")),
            "digest.day"
        );
        assert_eq!(
            field(DigestSchedule::parse("monday", "25:00", "UTC")),
            "digest.time"
        );
        assert_eq!(
            field(DigestSchedule::parse("monday", "09:00", "Mars/Base")),
            "digest.time_zone"
        );
    }

    #[test]
    fn email_kinds_round_trip_through_their_names() {
        for kind in EmailKind::ALL {
            assert_eq!(kind.as_str().parse::<EmailKind>(), Ok(kind));
        }
        assert!("spam".parse::<EmailKind>().is_err());
    }
}
