//! `GET /api/v1/reports/helpdesk/tickets.csv`: one evidence row per ticket created
//! or resolved in the period, with every input of the formula and the row's own
//! `D` and `U`, streamed batch by batch. The settings version is a column and a
//! header; the formula is in the `X-Hubbub-Formula` header.

use super::{COLUMNS, Evidence, PeriodQuery, evidence_row};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::routes::helpdesk::{MANAGERS, require_role};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Bytes, Data, Query};
use futures_util::stream;
use hubbub_core::helpdesk::model::FORMULA;

/// Writes rows as CSV text.
fn csv_bytes(rows: &[Vec<String>]) -> Result<Bytes, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row)
            .map_err(|e| ApiError::internal("writing CSV", e))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ApiError::internal("writing CSV", e))?;
    Ok(Bytes::from(bytes))
}

/// Streams the evidence.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    Query(query): Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let manager = require_role(&state, &user, MANAGERS).await?;
    let period = query.period(state.clock.now())?;
    let evidence = Evidence::start(&state, period, manager.id).await?;
    let version = evidence.settings.version;
    let header = csv_bytes(&[COLUMNS.iter().map(|c| (*c).to_owned()).collect()])?;
    let state = state.into_inner();
    let rows = stream::unfold((evidence, state), move |(mut evidence, state)| async move {
        let batch = match evidence.next_batch(&state).await {
            Ok(Some(batch)) => batch,
            Ok(None) => return None,
            Err(error) => return Some((Err(error), (evidence, state))),
        };
        let lines: Vec<Vec<String>> = batch
            .into_iter()
            .map(|(facts, counts_only)| (evidence.figures(facts, period), counts_only))
            .filter(|(row, _)| row.relevant())
            .map(|(row, counts_only)| {
                evidence_row(&row, counts_only, version)
                    .iter()
                    .map(|cell| cell.to_text())
                    .collect()
            })
            .collect();
        Some((csv_bytes(&lines), (evidence, state)))
    });
    let body = stream::once(async move { Ok::<_, ApiError>(header) });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"helpdesk-tickets.csv\"",
        ))
        .insert_header(("X-Hubbub-Settings-Version", version.to_string()))
        .insert_header(("X-Hubbub-Formula", FORMULA))
        .streaming(futures_util::StreamExt::chain(body, rows)))
}
