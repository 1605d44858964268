//! `GET /api/v1/reports/helpdesk/workbook.xlsx`: the Excel workbook. Sheets:
//! Summary (totals, targets, formula, and native charts: tickets per week, hours
//! saved per week and cumulative against target, response-time trend, peer-resolved
//! share), Weekly (the charts' data), Tickets (the evidence rows, as in the CSV) and
//! Assumptions (every setting with its version, and the caveats).
//!
//! The Tickets sheet is written in rust_xlsxwriter's constant-memory mode: each row
//! goes to a temporary file as its batch is read, so a year of tickets is never held
//! in memory; only per-week counters and the durations for the medians are.

use super::{COLUMNS, Cell, Evidence, PeriodQuery, evidence_row};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::routes::helpdesk::{MANAGERS, require_role};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Query};
use hubbub_core::helpdesk::model::{CAVEATS, FORMULA, Summary, SummaryBuilder, target_progress};
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

/// Sheet names.
const SUMMARY: &str = "Summary";
const WEEKLY: &str = "Weekly";
const TICKETS: &str = "Tickets";
const ASSUMPTIONS: &str = "Assumptions";

fn xlsx(error: XlsxError) -> ApiError {
    ApiError::internal("writing the workbook", error)
}

/// Summary rows: label, value. The test reads these labels back.
fn summary_rows(summary: &Summary) -> Vec<(&'static str, Option<f64>)> {
    vec![
        ("Tickets", Some(summary.tickets as f64)),
        ("Resolved (Resolved(P))", Some(summary.resolved as f64)),
        ("Peer-resolved", Some(summary.peer_resolved as f64)),
        ("Peer-resolved share", summary.peer_resolved_share),
        (
            "D: direct minutes",
            Some(summary.conservative.direct_minutes),
        ),
        (
            "U: reuse minutes (conservative)",
            Some(summary.conservative.reuse_minutes),
        ),
        (
            "U: reuse minutes (expected)",
            Some(summary.expected.reuse_minutes),
        ),
        (
            "Hours saved (conservative)",
            Some(summary.conservative.hours_saved),
        ),
        ("Hours saved (expected)", Some(summary.expected.hours_saved)),
        (
            "Cost saved (conservative)",
            Some(summary.conservative.cost_saved),
        ),
        ("Cost saved (expected)", Some(summary.expected.cost_saved)),
        (
            "Support minutes (channel cost)",
            Some(summary.support_minutes),
        ),
        ("Reuse", Some(summary.reuse as f64)),
        (
            "Median first response (business hours)",
            summary.first_response_business_hours.median,
        ),
        (
            "P90 first response (business hours)",
            summary.first_response_business_hours.p90,
        ),
        (
            "Median first support response (business hours)",
            summary.first_support_response_business_hours.median,
        ),
        (
            "Median time to accepted answer (business hours)",
            summary.resolution_business_hours.median,
        ),
        (
            "P90 time to accepted answer (business hours)",
            summary.resolution_business_hours.p90,
        ),
        ("Unanswered share", summary.unanswered_share),
        ("Reopen rate", summary.reopen_rate),
        ("Escalation rate", summary.escalation_rate),
        (
            "Employee waiting on peer answers, median business hours (not a saving)",
            summary.peer_answer_wait_business_hours,
        ),
    ]
}

fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell) -> Result<(), ApiError> {
    match cell {
        Cell::Text(text) => sheet.write_string(row, col, text),
        Cell::Number(number) => sheet.write_number(row, col, *number),
    }
    .map_err(xlsx)?;
    Ok(())
}

fn line_chart(title: &str, weeks: u32, series: &[(&str, u16)]) -> Chart {
    let mut chart = Chart::new(ChartType::Line);
    chart.title().set_name(title);
    for (name, col) in series {
        chart
            .add_series()
            .set_name(*name)
            .set_categories((WEEKLY, 1, 0, weeks, 0))
            .set_values((WEEKLY, 1, *col, weeks, *col));
    }
    chart
}

/// Builds and returns the workbook.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    Query(query): Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let manager = require_role(&state, &user, MANAGERS).await?;
    let period = query.period(state.clock.now())?;
    let mut evidence = Evidence::start(&state, period, manager.id).await?;
    let weeks = evidence
        .settings
        .settings
        .business_calendar()
        .buckets(period, false);
    let version = evidence.settings.version;
    let settings = evidence.settings.settings.clone();

    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name(SUMMARY).map_err(xlsx)?;
    workbook.add_worksheet().set_name(WEEKLY).map_err(xlsx)?;
    workbook
        .add_worksheet_with_constant_memory()
        .map_err(xlsx)?
        .set_name(TICKETS)
        .map_err(xlsx)?;
    workbook
        .add_worksheet()
        .set_name(ASSUMPTIONS)
        .map_err(xlsx)?;
    let bold = Format::new().set_bold();

    let mut total = SummaryBuilder::new();
    let mut weekly: Vec<SummaryBuilder> = weeks.iter().map(|_| SummaryBuilder::new()).collect();
    {
        let sheet = workbook.worksheet_from_name(TICKETS).map_err(xlsx)?;
        for (col, name) in COLUMNS.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, *name, &bold)
                .map_err(xlsx)?;
        }
    }
    let mut next_row = 1_u32;
    while let Some(batch) = evidence.next_batch(&state).await? {
        let sheet = workbook.worksheet_from_name(TICKETS).map_err(xlsx)?;
        for (facts, counts_only) in batch {
            for (week, builder) in weeks.iter().zip(weekly.iter_mut()) {
                let touches = week.contains(facts.created_at)
                    || facts.resolved_at.is_some_and(|at| week.contains(at));
                if touches {
                    builder.add(&evidence.figures(facts.clone(), *week));
                }
            }
            let row = evidence.figures(facts, period);
            if !row.relevant() {
                continue;
            }
            total.add(&row);
            for (col, cell) in evidence_row(&row, counts_only, version).iter().enumerate() {
                write_cell(sheet, next_row, col as u16, cell)?;
            }
            next_row += 1;
        }
    }
    let summary = total.finish(&settings);
    let previous_period = period.previous();
    let mut previous = Evidence::start(&state, previous_period, manager.id).await?;
    let mut previous_total = SummaryBuilder::new();
    while let Some(batch) = previous.next_batch(&state).await? {
        for (facts, _) in batch {
            previous_total.add(&previous.figures(facts, previous_period));
        }
    }
    let previous_summary = previous_total.finish(&settings);
    let weekly: Vec<Summary> = weekly.into_iter().map(|b| b.finish(&settings)).collect();

    // Weekly: the charts' data.
    {
        let sheet = workbook.worksheet_from_name(WEEKLY).map_err(xlsx)?;
        let headers = [
            "Week starting",
            "Tickets",
            "Hours saved (expected)",
            "Cumulative hours saved",
            "Cumulative target",
            "Median first response (business hours)",
            "Peer-resolved share",
        ];
        for (col, name) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, *name, &bold)
                .map_err(xlsx)?;
        }
        let weekly_target = settings
            .targets
            .hours_saved_per_month
            .map(|h| h * 7.0 / 30.0);
        let mut cumulative = 0.0;
        for (index, (week, s)) in weeks.iter().zip(&weekly).enumerate() {
            let row = index as u32 + 1;
            cumulative += s.expected.hours_saved;
            sheet
                .write_string(row, 0, week.since.format("%Y-%m-%d").to_string())
                .map_err(xlsx)?;
            sheet.write_number(row, 1, s.tickets as f64).map_err(xlsx)?;
            sheet
                .write_number(row, 2, s.expected.hours_saved)
                .map_err(xlsx)?;
            sheet.write_number(row, 3, cumulative).map_err(xlsx)?;
            if let Some(target) = weekly_target {
                sheet
                    .write_number(row, 4, target * f64::from(row))
                    .map_err(xlsx)?;
            }
            if let Some(median) = s.first_response_business_hours.median {
                sheet.write_number(row, 5, median).map_err(xlsx)?;
            }
            if let Some(share) = s.peer_resolved_share {
                sheet.write_number(row, 6, share).map_err(xlsx)?;
            }
        }
    }

    // Summary: totals, targets, formula, charts.
    {
        let n = weeks.len().max(1) as u32;
        let sheet = workbook.worksheet_from_name(SUMMARY).map_err(xlsx)?;
        sheet.set_column_width(0, 48).map_err(xlsx)?;
        sheet
            .write_string_with_format(0, 0, "Hubbub help desk report", &bold)
            .map_err(xlsx)?;
        sheet.write_string(1, 0, "Period").map_err(xlsx)?;
        sheet
            .write_string(1, 1, period.since.to_rfc3339())
            .map_err(xlsx)?;
        sheet
            .write_string(1, 2, period.until.to_rfc3339())
            .map_err(xlsx)?;
        sheet.write_string(2, 0, "Settings version").map_err(xlsx)?;
        sheet.write_number(2, 1, version as f64).map_err(xlsx)?;
        sheet.write_string(3, 0, "Formula").map_err(xlsx)?;
        sheet.write_string(3, 1, FORMULA).map_err(xlsx)?;
        let mut row = 5;
        sheet
            .write_string_with_format(row, 0, "Figure", &bold)
            .map_err(xlsx)?;
        sheet
            .write_string_with_format(row, 1, "This period", &bold)
            .map_err(xlsx)?;
        sheet
            .write_string_with_format(row, 2, "Previous period", &bold)
            .map_err(xlsx)?;
        for ((label, value), (_, previous)) in summary_rows(&summary)
            .into_iter()
            .zip(summary_rows(&previous_summary))
        {
            row += 1;
            sheet.write_string(row, 0, label).map_err(xlsx)?;
            if let Some(value) = value {
                sheet.write_number(row, 1, value).map_err(xlsx)?;
            }
            if let Some(previous) = previous {
                sheet.write_number(row, 2, previous).map_err(xlsx)?;
            }
        }
        row += 2;
        sheet
            .write_string_with_format(row, 0, "Target", &bold)
            .map_err(xlsx)?;
        for (col, name) in ["Goal", "Actual", "Previous", "Met", "Trend"]
            .iter()
            .enumerate()
        {
            sheet
                .write_string_with_format(row, col as u16 + 1, *name, &bold)
                .map_err(xlsx)?;
        }
        for target in target_progress(&settings, period, &summary, &previous_summary) {
            row += 1;
            sheet.write_string(row, 0, target.name).map_err(xlsx)?;
            sheet.write_number(row, 1, target.target).map_err(xlsx)?;
            if let Some(actual) = target.actual {
                sheet.write_number(row, 2, actual).map_err(xlsx)?;
            }
            if let Some(previous) = target.previous {
                sheet.write_number(row, 3, previous).map_err(xlsx)?;
            }
            sheet
                .write_string(
                    row,
                    4,
                    target.met.map_or("", |met| if met { "yes" } else { "no" }),
                )
                .map_err(xlsx)?;
            sheet.write_string(row, 5, target.trend).map_err(xlsx)?;
        }
        let mut tickets_chart = Chart::new(ChartType::Column);
        tickets_chart.title().set_name("Tickets per week");
        tickets_chart
            .add_series()
            .set_name("Tickets")
            .set_categories((WEEKLY, 1, 0, n, 0))
            .set_values((WEEKLY, 1, 1, n, 1));
        let hours_chart = line_chart(
            "Hours saved per week, cumulative against target",
            n,
            &[
                ("Hours saved", 2),
                ("Cumulative", 3),
                ("Cumulative target", 4),
            ],
        );
        let response_chart = line_chart(
            "Median first response (business hours)",
            n,
            &[("Median first response", 5)],
        );
        let peer_chart = line_chart("Peer-resolved share", n, &[("Peer-resolved share", 6)]);
        sheet.insert_chart(1, 4, &tickets_chart).map_err(xlsx)?;
        sheet.insert_chart(17, 4, &hours_chart).map_err(xlsx)?;
        sheet.insert_chart(33, 4, &response_chart).map_err(xlsx)?;
        sheet.insert_chart(49, 4, &peer_chart).map_err(xlsx)?;
    }

    // Assumptions: every setting, its version, the caveats.
    {
        let sheet = workbook.worksheet_from_name(ASSUMPTIONS).map_err(xlsx)?;
        sheet.set_column_width(0, 40).map_err(xlsx)?;
        sheet
            .write_string_with_format(0, 0, "Settings version", &bold)
            .map_err(xlsx)?;
        sheet.write_number(0, 1, version as f64).map_err(xlsx)?;
        let mut row = 2;
        let settings_json = settings.to_json();
        if let Some(fields) = settings_json.as_object() {
            for (name, value) in fields {
                sheet.write_string(row, 0, name).map_err(xlsx)?;
                sheet
                    .write_string(row, 1, value.to_string())
                    .map_err(xlsx)?;
                row += 1;
            }
        }
        row += 1;
        sheet
            .write_string_with_format(row, 0, "Formula", &bold)
            .map_err(xlsx)?;
        sheet.write_string(row, 1, FORMULA).map_err(xlsx)?;
        for caveat in CAVEATS {
            row += 1;
            sheet.write_string(row, 0, "Caveat").map_err(xlsx)?;
            sheet.write_string(row, 1, *caveat).map_err(xlsx)?;
        }
    }

    let bytes = workbook.save_to_buffer().map_err(xlsx)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"helpdesk-report.xlsx\"",
        ))
        .insert_header(("X-Hubbub-Settings-Version", version.to_string()))
        .body(bytes))
}
