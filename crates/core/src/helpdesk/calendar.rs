//! The business-hours calendar: a time zone, working days, daily working hours and
//! holidays. Durations between two instants count only the working time between them.

use super::model::Period;
use crate::DomainError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The calendar as managers write it in the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSettings {
    /// An IANA time zone, e.g. `Europe/Paris`.
    pub time_zone: String,
    /// Working days as `mon`..`sun`.
    pub working_days: Vec<String>,
    /// Start of the working day, `HH:MM`, local time.
    pub day_start: String,
    /// End of the working day, `HH:MM`, local time; after `day_start`.
    pub day_end: String,
    /// Dates with no working hours, `YYYY-MM-DD`.
    pub holidays: Vec<NaiveDate>,
}

impl Default for CalendarSettings {
    fn default() -> Self {
        Self {
            time_zone: "UTC".to_owned(),
            working_days: ["mon", "tue", "wed", "thu", "fri"]
                .map(str::to_owned)
                .to_vec(),
            day_start: "09:00".to_owned(),
            day_end: "17:00".to_owned(),
            holidays: Vec::new(),
        }
    }
}

/// A validated calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    time_zone: Tz,
    working_days: BTreeSet<u32>,
    day_start: NaiveTime,
    day_end: NaiveTime,
    holidays: BTreeSet<NaiveDate>,
}

fn weekday(name: &str) -> Option<Weekday> {
    match name.trim().to_ascii_lowercase().as_str() {
        "mon" | "monday" => Some(Weekday::Mon),
        "tue" | "tuesday" => Some(Weekday::Tue),
        "wed" | "wednesday" => Some(Weekday::Wed),
        "thu" | "thursday" => Some(Weekday::Thu),
        "fri" | "friday" => Some(Weekday::Fri),
        "sat" | "saturday" => Some(Weekday::Sat),
        "sun" | "sunday" => Some(Weekday::Sun),
        _ => None,
    }
}

fn time_of_day(field: &'static str, raw: &str) -> Result<NaiveTime, DomainError> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M")
        .map_err(|_| DomainError::invalid(field, format!("'{raw}' is not a time of day (HH:MM)")))
}

impl BusinessCalendar {
    /// Validates the written calendar. A calendar with no working hours (no working
    /// day, or a day that ends before it starts) is refused: every duration would be 0.
    pub fn parse(raw: &CalendarSettings) -> Result<Self, DomainError> {
        let time_zone: Tz = raw.time_zone.trim().parse().map_err(|_| {
            DomainError::invalid(
                "calendar.time_zone",
                format!(
                    "'{}' is not an IANA time zone (e.g. Europe/Paris)",
                    raw.time_zone
                ),
            )
        })?;
        let mut working_days = BTreeSet::new();
        for name in &raw.working_days {
            let day = weekday(name).ok_or_else(|| {
                DomainError::invalid(
                    "calendar.working_days",
                    format!("'{name}' is not a day (mon, tue, wed, thu, fri, sat, sun)"),
                )
            })?;
            working_days.insert(day.num_days_from_monday());
        }
        if working_days.is_empty() {
            return Err(DomainError::invalid(
                "calendar.working_days",
                "the calendar has no working hours: name at least one working day",
            ));
        }
        let day_start = time_of_day("calendar.day_start", &raw.day_start)?;
        let day_end = time_of_day("calendar.day_end", &raw.day_end)?;
        if day_end <= day_start {
            return Err(DomainError::invalid(
                "calendar.day_end",
                "the calendar has no working hours: day_end must be after day_start",
            ));
        }
        Ok(Self {
            time_zone,
            working_days,
            day_start,
            day_end,
            holidays: raw.holidays.iter().copied().collect(),
        })
    }

    /// The week (Monday 00:00) or month (the 1st, 00:00) that holds `at`, on
    /// this calendar's clock: a ticket opened on Monday morning in the
    /// calendar's time zone counts in that week even where UTC says Sunday.
    pub fn bucket_of(&self, at: DateTime<Utc>, monthly: bool) -> Period {
        let date = at.with_timezone(&self.time_zone).date_naive();
        let (start, end) = if monthly {
            let start = date.with_day(1).unwrap_or(date);
            let end = start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(start);
            (start, end)
        } else {
            let start = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
            (start, start + Duration::days(7))
        };
        Period {
            since: self.start_of_day(start),
            until: self.start_of_day(end),
        }
    }

    /// The buckets ([`Self::bucket_of`]) covering `period`, in order; at most 200.
    pub fn buckets(&self, period: Period, monthly: bool) -> Vec<Period> {
        let mut out = Vec::new();
        let mut bucket = self.bucket_of(period.since, monthly);
        while bucket.since < period.until && out.len() < 200 {
            out.push(bucket);
            bucket = self.bucket_of(bucket.until, monthly);
        }
        out
    }

    /// The first instant of `date` in the calendar's time zone (where a clock
    /// change skips midnight, the first instant that exists that day).
    fn start_of_day(&self, date: NaiveDate) -> DateTime<Utc> {
        (0..24)
            .find_map(|hour| {
                let local = date.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?);
                self.time_zone.from_local_datetime(&local).earliest()
            })
            .map_or_else(
                || date.and_time(NaiveTime::MIN).and_utc(),
                |local| local.with_timezone(&Utc),
            )
    }

    /// Working hours between `from` and `to` (0 when `to` is not after `from`).
    pub fn business_hours(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
        if to <= from {
            return 0.0;
        }
        let first = from.with_timezone(&self.time_zone).date_naive();
        let last = to.with_timezone(&self.time_zone).date_naive();
        let mut seconds = 0_i64;
        let mut day = first;
        while day <= last {
            if let Some((open, close)) = self.working_window(day) {
                let start = open.max(from);
                let end = close.min(to);
                if end > start {
                    seconds += (end - start).num_seconds();
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        seconds as f64 / 3600.0
    }

    /// The UTC interval of working time on a local date, if it is a working day.
    fn working_window(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self
            .working_days
            .contains(&day.weekday().num_days_from_monday())
            || self.holidays.contains(&day)
        {
            return None;
        }
        // Across a DST change a local time may be ambiguous (take the earlier) or
        // skipped (take the instant an hour later, when the clock reads it again).
        let local = |time: NaiveTime| {
            let naive = day.and_time(time);
            self.time_zone
                .from_local_datetime(&naive)
                .earliest()
                .or_else(|| {
                    self.time_zone
                        .from_local_datetime(&(naive + Duration::hours(1)))
                        .earliest()
                })
                .map(|at| at.with_timezone(&Utc))
        };
        Some((local(self.day_start)?, local(self.day_end)?))
    }
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        Self {
            time_zone: Tz::UTC,
            working_days: (0..5).collect(),
            day_start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            day_end: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
            holidays: BTreeSet::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn friday_afternoon_to_monday_morning_is_two_business_hours() {
        let calendar = BusinessCalendar::default();
        // 2026-11-27 is a Friday.
        let hours = calendar.business_hours(at("2026-11-27T16:00:00Z"), at("2026-11-30T10:00:00Z"));
        assert_eq!(hours, 2.0);
    }

    #[test]
    fn weeks_and_months_start_at_midnight_on_the_calendars_clock() {
        let paris = BusinessCalendar::parse(&CalendarSettings {
            time_zone: "Europe/Paris".to_owned(),
            ..CalendarSettings::default()
        })
        .unwrap();
        // Monday 30 November, 00:30 in Paris is still Sunday in UTC.
        let week = paris.bucket_of(at("2026-11-29T23:30:00Z"), false);
        assert_eq!(week.since, at("2026-11-29T23:00:00Z"));
        assert_eq!(week.until, at("2026-12-06T23:00:00Z"));
        let utc = BusinessCalendar::default().bucket_of(at("2026-11-29T23:30:00Z"), false);
        assert_eq!(utc.since, at("2026-11-23T00:00:00Z"));
        // A month that spans the change to summer time: 1 March to 1 April, local.
        let march = paris.bucket_of(at("2026-03-15T12:00:00Z"), true);
        assert_eq!(march.since, at("2026-02-28T23:00:00Z"));
        assert_eq!(march.until, at("2026-03-31T22:00:00Z"));
        let weeks = paris.buckets(
            Period {
                since: at("2026-11-29T23:30:00Z"),
                until: at("2026-12-14T00:00:00Z"),
            },
            false,
        );
        assert_eq!(weeks.len(), 3);
        assert!(weeks.windows(2).all(|pair| pair[0].until == pair[1].since));
    }

    #[test]
    fn a_holiday_has_no_working_hours_and_time_zones_shift_the_day() {
        let raw = CalendarSettings {
            time_zone: "Europe/Paris".to_owned(),
            holidays: vec![NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()],
            ..CalendarSettings::default()
        };
        let calendar = BusinessCalendar::parse(&raw).unwrap();
        // Thu 24 Dec 16:00 Paris (15:00Z) to Mon 28 Dec 10:00 Paris (09:00Z):
        // 1 h on Thursday, Friday is a holiday, weekend, 1 h on Monday.
        let hours = calendar.business_hours(at("2026-12-24T15:00:00Z"), at("2026-12-28T09:00:00Z"));
        assert_eq!(hours, 2.0);
    }

    #[test]
    fn a_calendar_with_no_working_hours_is_refused_naming_the_field() {
        let no_days = CalendarSettings {
            working_days: Vec::new(),
            ..CalendarSettings::default()
        };
        let err = BusinessCalendar::parse(&no_days).unwrap_err();
        assert!(
            err.to_string().starts_with("calendar.working_days:"),
            "{err}"
        );
        let backwards = CalendarSettings {
            day_start: "17:00".to_owned(),
            day_end: "09:00".to_owned(),
            ..CalendarSettings::default()
        };
        let err = BusinessCalendar::parse(&backwards).unwrap_err();
        assert!(err.to_string().starts_with("calendar.day_end:"), "{err}");
        let zone = CalendarSettings {
            time_zone: "Mars/Olympus".to_owned(),
            ..CalendarSettings::default()
        };
        assert!(BusinessCalendar::parse(&zone).is_err());
    }
}
