//! `GET /api/v1/reports/helpdesk`: the help-desk summary of a period, by week or
//! month and by category, with targets, the trend against the previous period,
//! engagement, the settings version, the formula and the caveats.

use super::{Evidence, PeriodQuery};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::routes::helpdesk::{MANAGERS, require_role};
use crate::state::ApiState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Query};
use hubbub_core::helpdesk::model::{
    CAVEATS, FORMULA, Period, Summary, SummaryBuilder, target_progress,
};
use hubbub_core::helpdesk::ticket::Category;
use serde_json::json;
use std::collections::BTreeMap;

/// Reads the period's evidence once, filling the totals, buckets and categories.
async fn summarise(
    state: &ApiState,
    evidence: &mut Evidence,
    period: Period,
    bucket_periods: &[Period],
) -> Result<(Summary, Vec<Summary>, BTreeMap<Category, Summary>, usize), ApiError> {
    let mut total = SummaryBuilder::new();
    let mut by_bucket: Vec<SummaryBuilder> = bucket_periods
        .iter()
        .map(|_| SummaryBuilder::new())
        .collect();
    let mut by_category: BTreeMap<Category, SummaryBuilder> = BTreeMap::new();
    let mut counts_only = 0;
    while let Some(batch) = evidence.next_batch(state).await? {
        for (facts, hidden) in batch {
            counts_only += usize::from(hidden);
            for (bucket, builder) in bucket_periods.iter().zip(by_bucket.iter_mut()) {
                let touches = bucket.contains(facts.created_at)
                    || facts.resolved_at.is_some_and(|at| bucket.contains(at));
                if touches {
                    let row = evidence.figures(facts.clone(), *bucket);
                    builder.add(&row);
                }
            }
            let row = evidence.figures(facts, period);
            if row.relevant() {
                by_category.entry(row.facts.category).or_default().add(&row);
                total.add(&row);
            }
        }
    }
    let settings = &evidence.settings.settings;
    Ok((
        total.finish(settings),
        by_bucket.into_iter().map(|b| b.finish(settings)).collect(),
        by_category
            .into_iter()
            .map(|(c, b)| (c, b.finish(settings)))
            .collect(),
        counts_only,
    ))
}

/// Computes and returns the summary.
pub async fn handle(
    state: Data<ApiState>,
    user: CurrentUser,
    Query(query): Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_scope("read")?;
    let manager = require_role(&state, &user, MANAGERS).await?;
    let period = query.period(state.clock.now())?;
    let monthly = match query.group.as_deref().unwrap_or("week") {
        "week" => false,
        "month" => true,
        other => {
            return Err(ApiError::field(
                "group",
                "ERR_INVALID",
                format!("must be week or month, got '{other}'"),
            ));
        }
    };
    let mut current = Evidence::start(&state, period, manager.id).await?;
    let bucket_periods = current
        .settings
        .settings
        .business_calendar()
        .buckets(period, monthly);
    let (summary, by_bucket, by_category, counts_only) =
        summarise(&state, &mut current, period, &bucket_periods).await?;
    let previous_period = period.previous();
    let mut previous = Evidence::start(&state, previous_period, manager.id).await?;
    let (previous_summary, _, _, _) =
        summarise(&state, &mut previous, previous_period, &[]).await?;
    let settings = &current.settings;
    let targets = target_progress(&settings.settings, period, &summary, &previous_summary);
    let engagement = state
        .store
        .engagement(period.since, period.until, 10)
        .await?;
    let body = json!({
        "period": period,
        "settings_version": settings.version,
        "formula": FORMULA,
        "caveats": CAVEATS,
        "assumptions": settings.settings.to_json(),
        "summary": summary,
        "previous_period": { "period": previous_period, "summary": previous_summary },
        "targets": targets,
        "group": if monthly { "month" } else { "week" },
        "by_period": bucket_periods.iter().zip(by_bucket).map(|(p, s)| json!({"period": p, "summary": s})).collect::<Vec<_>>(),
        "by_category": by_category,
        "privacy": {
            "counts_only_tickets": counts_only,
            "note": "Tickets in private communities you have not joined count in the figures but are not listed: in the exports their rows carry no ids.",
        },
        "engagement": {
            "active_people": engagement.active_people,
            "posts": engagement.posts,
            "replies": engagement.replies,
            "new_accounts": engagement.new_accounts,
            "communities": engagement.communities,
            "top_topics": engagement.top_topics.iter().map(|(tag, posts)| json!({"name": tag, "posts": posts})).collect::<Vec<_>>(),
        },
    });
    Ok(HttpResponse::Ok().json(body))
}
