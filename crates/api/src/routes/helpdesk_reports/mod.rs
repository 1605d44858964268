//! Help-desk reports (`/api/v1/reports/helpdesk...`, managers and admins): the help-desk summary,
//! the per-ticket CSV evidence and the Excel workbook. All three read the same
//! evidence: tickets of the period in batches, each folded from its event log.
//!
//! Communities and their privacy: a ticket in a private community the manager has
//! not joined is reported only in counts (its row carries no ids); the rule lives in
//! one storage function, used by `Store::helpdesk_report_batch`.

pub mod summary;
pub mod tickets_csv;
pub mod workbook;

use crate::error::ApiError;
use crate::state::ApiState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use hubbub_core::helpdesk::model::{Period, TicketFacts, TicketFigures};
use hubbub_core::ids::{AccountId, TicketId};
use hubbub_storage::helpdesk::SettingsVersion;
use serde::Deserialize;

/// Tickets read per query.
const BATCH: i64 = 500;

/// `since` and `until` (RFC 3339 or `YYYY-MM-DD`); by default the last 30 days.
#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    since: Option<String>,
    until: Option<String>,
    /// `week` (default) or `month`, for the summary's buckets.
    pub group: Option<String>,
}

fn instant(field: &'static str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    let raw = raw.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
        .ok_or_else(|| {
            ApiError::field(
                field,
                "ERR_INVALID",
                "must be a date (YYYY-MM-DD) or an RFC 3339 time",
            )
        })
}

impl PeriodQuery {
    /// The period asked for.
    pub fn period(&self, now: DateTime<Utc>) -> Result<Period, ApiError> {
        let until = match self.until.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(raw) => instant("until", raw)?,
            None => now,
        };
        let since = match self.since.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(raw) => instant("since", raw)?,
            None => until - Duration::days(30),
        };
        if since >= until {
            return Err(ApiError::field(
                "until",
                "ERR_INVALID",
                "must be after since",
            ));
        }
        if until - since > Duration::days(3 * 366) {
            return Err(ApiError::field(
                "since",
                "ERR_INVALID",
                "the period may span at most 3 years",
            ));
        }
        Ok(Period { since, until })
    }
}

/// The period's tickets, read batch by batch and folded into facts.
pub struct Evidence {
    /// The settings every figure is computed with.
    pub settings: SettingsVersion,
    /// The tickets selected: created or resolved in this period.
    pub selection: Period,
    /// The time the figures are taken at.
    pub now: DateTime<Utc>,
    viewer: AccountId,
    after: Option<TicketId>,
    done: bool,
}

impl Evidence {
    /// Starts reading `selection` for `viewer` with the settings in force.
    pub async fn start(
        state: &ApiState,
        selection: Period,
        viewer: AccountId,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            settings: state.store.helpdesk_settings().await?,
            selection,
            now: state.clock.now(),
            viewer,
            after: None,
            done: false,
        })
    }

    /// The next batch of `(facts, counts_only)`, or `None` when all are read.
    pub async fn next_batch(
        &mut self,
        state: &ApiState,
    ) -> Result<Option<Vec<(TicketFacts, bool)>>, ApiError> {
        if self.done {
            return Ok(None);
        }
        let batch = state
            .store
            .helpdesk_report_batch(
                self.selection.since,
                self.selection.until,
                self.viewer,
                self.after,
                BATCH,
            )
            .await?;
        self.done = (batch.len() as i64) < BATCH;
        self.after = batch.last().map(|ticket| ticket.ticket.id);
        if batch.is_empty() {
            return Ok(None);
        }
        let settings = &self.settings.settings;
        Ok(Some(
            batch
                .into_iter()
                .map(|report| {
                    let facts = TicketFacts::from_log(
                        report.ticket.id,
                        report.ticket.asker_id,
                        report.ticket.created_at,
                        &report.log,
                        settings,
                    );
                    (facts, report.counts_only)
                })
                .collect(),
        ))
    }

    /// The figures of `facts` over `period`.
    pub fn figures(&self, facts: TicketFacts, period: Period) -> TicketFigures {
        TicketFigures::compute(facts, &self.settings.settings, period, self.now)
    }
}

/// The columns of the per-ticket evidence, in the CSV and the workbook alike.
pub const COLUMNS: &[&str] = &[
    "ticket_id",
    "counts_only",
    "asker_id",
    "category",
    "created_at",
    "first_response_at",
    "first_support_response_at",
    "resolved_at",
    "answer_id",
    "resolved_by_peer",
    "created_in_period",
    "in_resolved",
    "escalated",
    "reopened",
    "support_replies",
    "triaged",
    "logged_minutes",
    "support_minutes",
    "aht_minutes",
    "probability",
    "reuse",
    "viewers",
    "first_response_business_hours",
    "first_response_hours",
    "first_support_response_business_hours",
    "first_support_response_hours",
    "resolution_business_hours",
    "resolution_hours",
    "unanswered",
    "direct_minutes_d",
    "reuse_minutes_u_conservative",
    "reuse_minutes_u_expected",
    "settings_version",
];

/// One evidence cell: text or a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (empty when unknown or withheld).
    Text(String),
    /// A number.
    Number(f64),
}

impl Cell {
    /// As CSV text.
    pub fn to_text(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Number(number) => number.to_string(),
        }
    }
}

/// One ticket's evidence row (ids withheld when it is reported only in counts).
pub fn evidence_row(row: &TicketFigures, counts_only: bool, version: i64) -> Vec<Cell> {
    let facts = &row.facts;
    let text = |s: String| Cell::Text(s);
    let id = |value: String| {
        if counts_only {
            text(String::new())
        } else {
            text(value)
        }
    };
    let time = |at: Option<DateTime<Utc>>| {
        text(
            at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
        )
    };
    let flag = |b: bool| text(b.to_string());
    let opt = |value: Option<f64>| value.map_or_else(|| text(String::new()), Cell::Number);
    vec![
        id(facts.ticket_id.to_string()),
        flag(counts_only),
        id(facts.asker.to_string()),
        text(facts.category.to_string()),
        time(Some(facts.created_at)),
        time(facts.first_response_at),
        time(facts.first_support_response_at),
        time(facts.resolved_at),
        id(facts.answer_id.map(|a| a.to_string()).unwrap_or_default()),
        text(
            facts
                .resolved_by_peer
                .map(|p| p.to_string())
                .unwrap_or_default(),
        ),
        flag(row.created_in_period),
        flag(row.in_resolved),
        flag(facts.escalated),
        flag(facts.reopened),
        Cell::Number(facts.support_replies as f64),
        flag(facts.triaged),
        opt(facts.logged_minutes.map(|m| m as f64)),
        Cell::Number(row.support_minutes),
        Cell::Number(row.aht_minutes),
        Cell::Number(row.probability),
        Cell::Number(facts.reuse as f64),
        Cell::Number(facts.viewers as f64),
        opt(row.first_response_business_hours),
        opt(row.first_response_hours),
        opt(row.first_support_response_business_hours),
        opt(row.first_support_response_hours),
        opt(row.resolution_business_hours),
        opt(row.resolution_hours),
        flag(row.unanswered),
        Cell::Number(row.direct_minutes),
        Cell::Number(row.reuse_minutes_conservative),
        Cell::Number(row.reuse_minutes_expected),
        Cell::Number(version as f64),
    ]
}
