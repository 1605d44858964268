//! The time-saved model of `HELPDESK.md`: a ticket's facts folded from its event
//! log, its figures over a period, and the period summary. Pure functions; every
//! figure here can be recomputed by hand from the log and the settings.

use super::settings::HelpdeskSettings;
use super::ticket::{Category, EventKind};
use crate::ids::{AccountId, StatusId, TicketId};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

/// The formula every report and export prints next to its figures.
pub const FORMULA: &str = "D = sum over q in Resolved(P) of p[c(q)] * max(0, aht[c(q)] - support_minutes(q)); \
U = sum over q in Resolved(P) of aht[c(q)] * (w_conf * reuse(q) + w_view * min(viewers(q), v_cap)); \
hours_saved = (D + U) / 60; cost_saved = hours_saved * cost_per_hour; \
conservative: w_view = 0 whatever the setting; expected: the settings as they are. \
Resolved(P) = tickets whose accepted answer falls in P, not escalated and not reopened within R days. \
support_minutes(q) = minutes logged by support, or, if none were logged, support_replies(q) * m_reply + (triaged ? m_triage : 0). \
reuse(q) = distinct people other than the asker and support who, within W days after resolution, said \"same here\" or had their own ticket linked as a duplicate. \
Channel cost = support_minutes summed over the tickets created in P, resolved or not. \
Median = the middle value (mean of the two middle values for an even count); p90 = the value at rank ceil(0.9 * n).";

/// What the figures do not say, printed with them.
pub const CAVEATS: &[&str] = &[
    "Savings are estimates from the assumptions shown, not measured desk time; replace the defaults with your own desk's figures.",
    "Only tickets with an accepted answer count; an answer nobody accepted saves nothing here.",
    "A view is someone other than the asker or support opening the thread after it was resolved, counted once per person per resolution.",
    "Employee waiting avoided is shown apart and never added to the savings.",
    "Support staff are those with the support or admin role at the time of each event.",
];

/// One entry of a ticket's event log, as the model reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// What happened.
    pub kind: EventKind,
    /// When.
    pub at: DateTime<Utc>,
    /// Who did it (`None` for the system).
    pub actor: Option<AccountId>,
    /// Whether the actor was support at that time.
    pub actor_is_support: bool,
    /// Whom it concerns: an accepted answer's author, a reuser, an assignee.
    pub subject: Option<AccountId>,
    /// Whether the subject was support at that time.
    pub subject_is_support: bool,
    /// The post involved (a reply, the accepted answer).
    pub status_id: Option<StatusId>,
    /// Minutes logged (for [`EventKind::Minutes`]).
    pub minutes: Option<i64>,
    /// The new value (category, priority, state, reference, linked ticket id).
    pub value: Option<String>,
}

/// Everything the model needs to know about one ticket, folded from its log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketFacts {
    /// The ticket.
    pub ticket_id: TicketId,
    /// The asker (the starter's author).
    pub asker: AccountId,
    /// When the starter was posted.
    pub created_at: DateTime<Utc>,
    /// The category in force now.
    pub category: Category,
    /// First reply by anyone other than the asker.
    pub first_response_at: Option<DateTime<Utc>>,
    /// First reply by support.
    pub first_support_response_at: Option<DateTime<Utc>>,
    /// When the standing accepted answer was accepted.
    pub resolved_at: Option<DateTime<Utc>>,
    /// The standing accepted answer.
    pub answer_id: Option<StatusId>,
    /// Whether the standing answer's author was not support.
    pub resolved_by_peer: Option<bool>,
    /// Whether an answer was ever accepted.
    pub ever_accepted: bool,
    /// Minutes logged by support, if any were.
    pub logged_minutes: Option<i64>,
    /// Replies by support.
    pub support_replies: i64,
    /// Whether support triaged it (set category, priority, assignee or state).
    pub triaged: bool,
    /// Confirmed reuse (see [`FORMULA`]).
    pub reuse: i64,
    /// Distinct viewers (not the asker, not support) after resolution within `W`.
    pub viewers: i64,
    /// Reopened within `R` days of a resolution.
    pub reopened: bool,
    /// Moved to a formal ticket elsewhere.
    pub escalated: bool,
}

impl TicketFacts {
    /// Folds a ticket's log (in time order) into its facts. The `Created` entry's
    /// value is the initial category; the asker is the `Created` entry's subject.
    pub fn from_log(
        ticket_id: TicketId,
        asker: AccountId,
        created_at: DateTime<Utc>,
        log: &[LogEntry],
        settings: &HelpdeskSettings,
    ) -> Self {
        let mut facts = Self {
            ticket_id,
            asker,
            created_at,
            category: Category::Other,
            first_response_at: None,
            first_support_response_at: None,
            resolved_at: None,
            answer_id: None,
            resolved_by_peer: None,
            ever_accepted: false,
            logged_minutes: None,
            support_replies: 0,
            triaged: false,
            reuse: 0,
            viewers: 0,
            reopened: false,
            escalated: false,
        };
        let reopen_window = Duration::days(settings.reopen_window_days);
        let mut last_accepted_at: Option<DateTime<Utc>> = None;
        let mut reusers: Vec<(AccountId, DateTime<Utc>)> = Vec::new();
        let mut viewers: Vec<(AccountId, DateTime<Utc>)> = Vec::new();
        for entry in log {
            match entry.kind {
                EventKind::Created | EventKind::Category => {
                    if let Some(category) = entry.value.as_deref().and_then(|v| v.parse().ok()) {
                        facts.category = category;
                    }
                }
                EventKind::Reply => {
                    if entry.actor.is_some() && entry.actor != Some(asker) {
                        facts.first_response_at.get_or_insert(entry.at);
                    }
                    if entry.actor_is_support {
                        facts.first_support_response_at.get_or_insert(entry.at);
                        facts.support_replies += 1;
                    }
                }
                EventKind::Accepted => {
                    facts.ever_accepted = true;
                    facts.resolved_at = Some(entry.at);
                    facts.answer_id = entry.status_id;
                    facts.resolved_by_peer = Some(!entry.subject_is_support);
                    last_accepted_at = Some(entry.at);
                }
                EventKind::Reopened => {
                    if last_accepted_at.is_some_and(|at| entry.at - at <= reopen_window) {
                        facts.reopened = true;
                    }
                    facts.resolved_at = None;
                    facts.answer_id = None;
                    facts.resolved_by_peer = None;
                }
                EventKind::Minutes => {
                    let minutes = entry.minutes.unwrap_or(0);
                    facts.logged_minutes = Some(facts.logged_minutes.unwrap_or(0) + minutes);
                }
                EventKind::Escalated => facts.escalated = true,
                EventKind::Reuse | EventKind::DuplicateLinked => {
                    if let Some(subject) = entry.subject
                        && subject != asker
                        && !entry.subject_is_support
                    {
                        reusers.push((subject, entry.at));
                    }
                }
                EventKind::ReuseWithdrawn => {
                    if let Some(subject) = entry.subject {
                        reusers.retain(|(who, _)| *who != subject);
                    }
                }
                EventKind::Viewed => {
                    if let Some(viewer) = entry.actor
                        && viewer != asker
                        && !entry.actor_is_support
                    {
                        viewers.push((viewer, entry.at));
                    }
                }
                EventKind::Priority
                | EventKind::Assigned
                | EventKind::State
                | EventKind::DuplicateOf => {}
            }
            if entry.kind.is_triage() && entry.actor_is_support {
                facts.triaged = true;
            }
        }
        if let Some(resolved_at) = facts.resolved_at {
            let window_end = resolved_at + Duration::days(settings.reuse_window_days);
            let distinct: BTreeSet<AccountId> = reusers
                .iter()
                .filter(|(_, at)| *at >= resolved_at && *at <= window_end)
                .map(|(who, _)| *who)
                .collect();
            facts.reuse = distinct.len() as i64;
            let distinct: BTreeSet<AccountId> = viewers
                .iter()
                .filter(|(_, at)| *at >= resolved_at && *at <= window_end)
                .map(|(who, _)| *who)
                .collect();
            facts.viewers = distinct.len() as i64;
        }
        facts
    }
}

/// A half-open period `[since, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First instant in the period.
    pub since: DateTime<Utc>,
    /// First instant after the period.
    pub until: DateTime<Utc>,
}

impl Period {
    /// Whether `at` falls in the period.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        at >= self.since && at < self.until
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        Period {
            since: self.since - (self.until - self.since),
            until: self.since,
        }
    }

    /// Its length in days.
    pub fn days(&self) -> f64 {
        (self.until - self.since).num_seconds() as f64 / 86_400.0
    }
}

/// One ticket's figures over a period: one evidence row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketFigures {
    /// The facts the figures come from.
    pub facts: TicketFacts,
    /// Created in the period (counts towards tickets, channel cost, response times).
    pub created_in_period: bool,
    /// In `Resolved(P)`: contributes `D` and `U`.
    pub in_resolved: bool,
    /// Time to first response, business hours.
    pub first_response_business_hours: Option<f64>,
    /// Time to first response, calendar hours.
    pub first_response_hours: Option<f64>,
    /// Time to first support response, business hours.
    pub first_support_response_business_hours: Option<f64>,
    /// Time to first support response, calendar hours.
    pub first_support_response_hours: Option<f64>,
    /// Time to the accepted answer, business hours.
    pub resolution_business_hours: Option<f64>,
    /// Time to the accepted answer, calendar hours.
    pub resolution_hours: Option<f64>,
    /// No response after `N` business hours (as of the period's end or now).
    pub unanswered: bool,
    /// `support_minutes(q)`.
    pub support_minutes: f64,
    /// Whether `support_minutes` was logged (else estimated from replies and triage).
    pub support_minutes_logged: bool,
    /// `aht[c(q)]`.
    pub aht_minutes: f64,
    /// `p[c(q)]`.
    pub probability: f64,
    /// This ticket's contribution to `D`, minutes.
    pub direct_minutes: f64,
    /// This ticket's contribution to `U` with `w_view = 0`, minutes.
    pub reuse_minutes_conservative: f64,
    /// This ticket's contribution to `U` with the settings' `w_view`, minutes.
    pub reuse_minutes_expected: f64,
}

fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds().max(0) as f64 / 3600.0
}

impl TicketFigures {
    /// The figures of `facts` over `period`; `now` bounds "unanswered" for a
    /// period that has not ended yet.
    pub fn compute(
        facts: TicketFacts,
        settings: &HelpdeskSettings,
        period: Period,
        now: DateTime<Utc>,
    ) -> Self {
        let calendar = settings.business_calendar();
        let created = facts.created_at;
        let business =
            |at: Option<DateTime<Utc>>| at.map(|at| calendar.business_hours(created, at));
        let calendar_hours = |at: Option<DateTime<Utc>>| at.map(|at| hours(created, at));
        let support_minutes_logged = facts.logged_minutes.is_some();
        let support_minutes = match facts.logged_minutes {
            Some(minutes) => minutes as f64,
            None => {
                facts.support_replies as f64 * settings.m_reply
                    + if facts.triaged {
                        settings.m_triage
                    } else {
                        0.0
                    }
            }
        };
        let in_resolved = facts.resolved_at.is_some_and(|at| period.contains(at))
            && !facts.escalated
            && !facts.reopened;
        let aht = settings.aht(facts.category);
        let probability = settings.p(facts.category);
        let (direct, conservative, expected) = if in_resolved {
            let views = (facts.viewers as f64).min(settings.v_cap);
            (
                probability * (aht - support_minutes).max(0.0),
                aht * settings.w_conf * facts.reuse as f64,
                aht * (settings.w_conf * facts.reuse as f64 + settings.w_view * views),
            )
        } else {
            (0.0, 0.0, 0.0)
        };
        let as_of = period.until.min(now);
        let waited = match facts.first_response_at {
            Some(at) => calendar.business_hours(created, at),
            None => calendar.business_hours(created, as_of),
        };
        Self {
            created_in_period: period.contains(created),
            in_resolved,
            first_response_business_hours: business(facts.first_response_at),
            first_response_hours: calendar_hours(facts.first_response_at),
            first_support_response_business_hours: business(facts.first_support_response_at),
            first_support_response_hours: calendar_hours(facts.first_support_response_at),
            resolution_business_hours: business(facts.resolved_at),
            resolution_hours: calendar_hours(facts.resolved_at),
            unanswered: waited > settings.unanswered_after_business_hours,
            support_minutes,
            support_minutes_logged,
            aht_minutes: aht,
            probability,
            direct_minutes: direct,
            reuse_minutes_conservative: conservative,
            reuse_minutes_expected: expected,
            facts,
        }
    }

    /// Whether the ticket belongs in the period's evidence at all.
    pub fn relevant(&self) -> bool {
        self.created_in_period || self.in_resolved
    }
}

/// The median (mean of the two middle values for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => sorted.get(n / 2).copied(),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The 90th percentile by nearest rank: the value at rank `ceil(0.9 * n)`.
pub fn p90(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (sorted.len() * 9).div_ceil(10);
    rank.checked_sub(1)
        .and_then(|index| sorted.get(index).copied())
}

/// Median and 90th percentile of a duration, with how many tickets had one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Spread {
    /// Tickets with a value.
    pub count: usize,
    /// Median.
    pub median: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
}

impl Spread {
    fn of(values: &[f64]) -> Self {
        Self {
            count: values.len(),
            median: median(values),
            p90: p90(values),
        }
    }
}

/// Savings under one set of weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Savings {
    /// `D`, minutes.
    pub direct_minutes: f64,
    /// `U`, minutes.
    pub reuse_minutes: f64,
    /// `(D + U) / 60`.
    pub hours_saved: f64,
    /// `hours_saved * cost_per_hour`.
    pub cost_saved: f64,
}

/// The figures of a period (or of one bucket of it).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Summary {
    /// Tickets created in the period.
    pub tickets: usize,
    /// Tickets in `Resolved(P)`.
    pub resolved: usize,
    /// Of those, resolved by a peer.
    pub peer_resolved: usize,
    /// `peer_resolved / resolved`.
    pub peer_resolved_share: Option<f64>,
    /// First response (any), business hours.
    pub first_response_business_hours: Spread,
    /// First response (any), calendar hours.
    pub first_response_hours: Spread,
    /// First support response, business hours.
    pub first_support_response_business_hours: Spread,
    /// First support response, calendar hours.
    pub first_support_response_hours: Spread,
    /// Time to accepted answer over `Resolved(P)`, business hours.
    pub resolution_business_hours: Spread,
    /// Time to accepted answer over `Resolved(P)`, calendar hours.
    pub resolution_hours: Spread,
    /// Created tickets with no response after `N` business hours.
    pub unanswered: usize,
    /// `unanswered / tickets`.
    pub unanswered_share: Option<f64>,
    /// Created tickets ever resolved, then reopened within `R`.
    pub reopened: usize,
    /// `reopened / created tickets ever resolved`.
    pub reopen_rate: Option<f64>,
    /// Created tickets escalated.
    pub escalated: usize,
    /// `escalated / tickets`.
    pub escalation_rate: Option<f64>,
    /// Channel cost: support minutes on the tickets created in the period.
    pub support_minutes: f64,
    /// Reuse summed over `Resolved(P)`.
    pub reuse: i64,
    /// Savings with `w_view = 0`.
    pub conservative: Savings,
    /// Savings with the settings' weights.
    pub expected: Savings,
    /// Employee waiting: median business hours to the accepted answer on
    /// peer-resolved tickets. Shown apart, never added to the savings.
    pub peer_answer_wait_business_hours: Option<f64>,
}

/// Builds a [`Summary`] one ticket at a time, keeping only counts, sums and the
/// durations the percentiles need (not the tickets).
#[derive(Debug, Clone, Default)]
pub struct SummaryBuilder {
    summary: Summary,
    ever_resolved: usize,
    first_response_bh: Vec<f64>,
    first_response_h: Vec<f64>,
    first_support_bh: Vec<f64>,
    first_support_h: Vec<f64>,
    resolution_bh: Vec<f64>,
    resolution_h: Vec<f64>,
    peer_wait_bh: Vec<f64>,
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl SummaryBuilder {
    /// An empty summary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one ticket's figures.
    pub fn add(&mut self, row: &TicketFigures) {
        let s = &mut self.summary;
        if row.created_in_period {
            s.tickets += 1;
            s.support_minutes += row.support_minutes;
            s.unanswered += usize::from(row.unanswered);
            s.escalated += usize::from(row.facts.escalated);
            if row.facts.ever_accepted {
                self.ever_resolved += 1;
                s.reopened += usize::from(row.facts.reopened);
            }
            self.first_response_bh
                .extend(row.first_response_business_hours);
            self.first_response_h.extend(row.first_response_hours);
            self.first_support_bh
                .extend(row.first_support_response_business_hours);
            self.first_support_h
                .extend(row.first_support_response_hours);
        }
        if row.in_resolved {
            s.resolved += 1;
            let peer = row.facts.resolved_by_peer == Some(true);
            s.peer_resolved += usize::from(peer);
            s.reuse += row.facts.reuse;
            s.conservative.direct_minutes += row.direct_minutes;
            s.conservative.reuse_minutes += row.reuse_minutes_conservative;
            s.expected.direct_minutes += row.direct_minutes;
            s.expected.reuse_minutes += row.reuse_minutes_expected;
            self.resolution_bh.extend(row.resolution_business_hours);
            self.resolution_h.extend(row.resolution_hours);
            if peer {
                self.peer_wait_bh.extend(row.resolution_business_hours);
            }
        }
    }

    /// The summary, with savings priced at `settings.cost_per_hour`.
    pub fn finish(mut self, settings: &HelpdeskSettings) -> Summary {
        let s = &mut self.summary;
        s.peer_resolved_share = share(s.peer_resolved, s.resolved);
        s.unanswered_share = share(s.unanswered, s.tickets);
        s.reopen_rate = share(s.reopened, self.ever_resolved);
        s.escalation_rate = share(s.escalated, s.tickets);
        s.first_response_business_hours = Spread::of(&self.first_response_bh);
        s.first_response_hours = Spread::of(&self.first_response_h);
        s.first_support_response_business_hours = Spread::of(&self.first_support_bh);
        s.first_support_response_hours = Spread::of(&self.first_support_h);
        s.resolution_business_hours = Spread::of(&self.resolution_bh);
        s.resolution_hours = Spread::of(&self.resolution_h);
        s.peer_answer_wait_business_hours = median(&self.peer_wait_bh);
        for savings in [&mut s.conservative, &mut s.expected] {
            savings.hours_saved = (savings.direct_minutes + savings.reuse_minutes) / 60.0;
            savings.cost_saved = savings.hours_saved * settings.cost_per_hour;
        }
        self.summary
    }
}

/// A target next to the actual figure, this period and the previous one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetProgress {
    /// Which target.
    pub name: &'static str,
    /// The goal.
    pub target: f64,
    /// This period's figure.
    pub actual: Option<f64>,
    /// The previous period's figure.
    pub previous: Option<f64>,
    /// Whether the goal is met.
    pub met: Option<bool>,
    /// `better`, `worse`, `same`, or `unknown` compared with the previous period.
    pub trend: &'static str,
}

/// Compares the summaries with the targets that are set. Hours saved is the
/// expected figure scaled to a 30-day month.
pub fn target_progress(
    settings: &HelpdeskSettings,
    period: Period,
    current: &Summary,
    previous: &Summary,
) -> Vec<TargetProgress> {
    let months = period.days() / 30.0;
    let per_month = |s: &Summary| (months > 0.0).then(|| s.expected.hours_saved / months);
    let targets = &settings.targets;
    let mut out = Vec::new();
    let mut push = |name,
                    target: Option<f64>,
                    actual: Option<f64>,
                    previous: Option<f64>,
                    higher_is_better: bool| {
        let Some(target) = target else { return };
        let met = actual.map(|a| {
            if higher_is_better {
                a >= target
            } else {
                a <= target
            }
        });
        let trend = match (actual, previous) {
            (Some(a), Some(p)) if (a - p).abs() < 1e-9 => "same",
            (Some(a), Some(p)) if (a > p) == higher_is_better => "better",
            (Some(_), Some(_)) => "worse",
            _ => "unknown",
        };
        out.push(TargetProgress {
            name,
            target,
            actual,
            previous,
            met,
            trend,
        });
    };
    push(
        "hours_saved_per_month",
        targets.hours_saved_per_month,
        per_month(current),
        per_month(previous),
        true,
    );
    push(
        "median_first_response_business_hours",
        targets.median_first_response_business_hours,
        current.first_response_business_hours.median,
        previous.first_response_business_hours.median,
        false,
    );
    push(
        "peer_resolved_share",
        targets.peer_resolved_share,
        current.peer_resolved_share,
        previous.peer_resolved_share,
        true,
    );
    out
}

#[cfg(test)]
mod tests;
