//! The help desk's assumptions and targets: versioned, edited by managers, printed
//! on every report. Parsed field by field so a bad value is refused naming its field.

use super::calendar::{BusinessCalendar, CalendarSettings};
use super::ticket::Category;
use crate::DomainError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What success looks like, recorded up front; every report compares against it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Hours saved (expected) per month.
    pub hours_saved_per_month: Option<f64>,
    /// Median time to first response, in business hours (lower is better).
    pub median_first_response_business_hours: Option<f64>,
    /// Share of resolved tickets resolved by a peer, 0..=1.
    pub peer_resolved_share: Option<f64>,
}

/// The settings as written (JSON); keys are still text here.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    helpdesk_tags: Vec<String>,
    category_tags: BTreeMap<String, String>,
    aht_minutes: BTreeMap<String, f64>,
    probability: BTreeMap<String, f64>,
    cost_per_hour: f64,
    currency: String,
    m_reply: f64,
    m_triage: f64,
    w_conf: f64,
    w_view: f64,
    v_cap: f64,
    reuse_window_days: i64,
    reopen_window_days: i64,
    unanswered_after_business_hours: f64,
    calendar: CalendarSettings,
    targets: Targets,
}

/// Validated settings. Serialises to the same JSON shape it is parsed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelpdeskSettings {
    /// Tags (without `#`, lower-cased) that make a post a ticket.
    pub helpdesk_tags: Vec<String>,
    /// Tags (without `#`, lower-cased) that set a ticket's category.
    pub category_tags: BTreeMap<String, Category>,
    /// `aht[c]`: baseline handle minutes per category on the traditional desk.
    pub aht_minutes: BTreeMap<Category, f64>,
    /// `p[c]`: probability the question would otherwise have reached the desk.
    pub probability: BTreeMap<Category, f64>,
    /// Loaded cost of an hour of support time.
    pub cost_per_hour: f64,
    /// The currency `cost_per_hour` is in.
    pub currency: String,
    /// Minutes per support reply when nothing is logged.
    pub m_reply: f64,
    /// Minutes for triage when nothing is logged.
    pub m_triage: f64,
    /// Weight of a confirmed reuse.
    pub w_conf: f64,
    /// Weight of a mere view (0 = not counted).
    pub w_view: f64,
    /// Cap on counted views per ticket.
    pub v_cap: f64,
    /// `W`: days after resolution in which reuse counts.
    pub reuse_window_days: i64,
    /// `R`: days after resolution in which a reopen disqualifies the ticket.
    pub reopen_window_days: i64,
    /// `N`: a ticket with no response after this many business hours is "unanswered".
    pub unanswered_after_business_hours: f64,
    /// The business-hours calendar as written.
    pub calendar: CalendarSettings,
    /// Targets.
    pub targets: Targets,
    #[serde(skip)]
    business_calendar: BusinessCalendar,
}

impl Default for HelpdeskSettings {
    /// The documented conservative defaults of `HELPDESK.md`.
    fn default() -> Self {
        let aht = [
            (Category::Access, 5.0),
            (Category::HowTo, 10.0),
            (Category::Hardware, 20.0),
            (Category::Software, 15.0),
            (Category::Network, 15.0),
            (Category::Other, 10.0),
        ];
        let category_tags = [
            ("password", Category::Access),
            ("access", Category::Access),
            ("howto", Category::HowTo),
            ("hardware", Category::Hardware),
            ("laptop", Category::Hardware),
            ("printer", Category::Hardware),
            ("software", Category::Software),
            ("excel", Category::Software),
            ("network", Category::Network),
            ("vpn", Category::Network),
            ("wifi", Category::Network),
        ];
        Self {
            helpdesk_tags: vec!["helpdesk".to_owned()],
            category_tags: category_tags
                .iter()
                .map(|(tag, category)| ((*tag).to_owned(), *category))
                .collect(),
            aht_minutes: aht.into_iter().collect(),
            probability: Category::ALL.iter().map(|c| (*c, 1.0)).collect(),
            cost_per_hour: 40.0,
            currency: "USD".to_owned(),
            m_reply: 3.0,
            m_triage: 1.0,
            w_conf: 1.0,
            w_view: 0.0,
            v_cap: 50.0,
            reuse_window_days: 30,
            reopen_window_days: 7,
            unanswered_after_business_hours: 4.0,
            calendar: CalendarSettings::default(),
            targets: Targets::default(),
            business_calendar: BusinessCalendar::default(),
        }
    }
}

fn non_negative(field: &'static str, value: f64) -> Result<f64, DomainError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(DomainError::invalid(
            field,
            format!("must be a number of at least 0, got {value}"),
        ))
    }
}

fn probability(field: &'static str, value: f64) -> Result<f64, DomainError> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(DomainError::invalid(
            field,
            format!("must be between 0 and 1, got {value}"),
        ))
    }
}

/// Reads a per-category map: every key a known category, every category present.
fn per_category(
    field: &'static str,
    raw: &BTreeMap<String, f64>,
    check: fn(&'static str, f64) -> Result<f64, DomainError>,
) -> Result<BTreeMap<Category, f64>, DomainError> {
    let mut out = BTreeMap::new();
    for (key, value) in raw {
        let category: Category = key.parse().map_err(|_| {
            DomainError::invalid(
                field,
                format!(
                    "unknown category '{key}' (expected one of: {})",
                    Category::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        out.insert(category, check(field, *value)?);
    }
    if let Some(missing) = Category::ALL.iter().find(|c| !out.contains_key(c)) {
        return Err(DomainError::invalid(
            field,
            format!("has no value for category '{missing}'"),
        ));
    }
    Ok(out)
}

fn tag_name(field: &'static str, raw: &str) -> Result<String, DomainError> {
    let tag = raw.trim().trim_start_matches('#').to_lowercase();
    if tag.is_empty() || !tag.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(DomainError::invalid(field, format!("'{raw}' is not a tag")));
    }
    Ok(tag)
}

impl HelpdeskSettings {
    /// Parses and validates a complete settings document.
    pub fn parse(value: &Value) -> Result<Self, DomainError> {
        let raw: RawSettings = serde_json::from_value(value.clone())
            .map_err(|e| DomainError::invalid("settings", e.to_string()))?;
        let helpdesk_tags = raw
            .helpdesk_tags
            .iter()
            .map(|tag| tag_name("helpdesk_tags", tag))
            .collect::<Result<Vec<_>, _>>()?;
        if helpdesk_tags.is_empty() {
            return Err(DomainError::invalid(
                "helpdesk_tags",
                "name at least one tag",
            ));
        }
        let mut category_tags = BTreeMap::new();
        for (tag, category) in &raw.category_tags {
            let category: Category = category
                .parse()
                .map_err(|e: DomainError| DomainError::invalid("category_tags", e.to_string()))?;
            category_tags.insert(tag_name("category_tags", tag)?, category);
        }
        let targets = raw.targets.clone();
        if let Some(hours) = targets.hours_saved_per_month {
            non_negative("targets.hours_saved_per_month", hours)?;
        }
        if let Some(hours) = targets.median_first_response_business_hours {
            non_negative("targets.median_first_response_business_hours", hours)?;
        }
        if let Some(share) = targets.peer_resolved_share {
            probability("targets.peer_resolved_share", share)?;
        }
        let windows = [
            ("reuse_window_days", raw.reuse_window_days),
            ("reopen_window_days", raw.reopen_window_days),
        ];
        for (field, days) in windows {
            if days < 0 {
                return Err(DomainError::invalid(
                    field,
                    format!("must be at least 0, got {days}"),
                ));
            }
        }
        if raw.currency.trim().is_empty() {
            return Err(DomainError::invalid("currency", "must not be empty"));
        }
        Ok(Self {
            helpdesk_tags,
            category_tags,
            aht_minutes: per_category("aht_minutes", &raw.aht_minutes, non_negative)?,
            probability: per_category("probability", &raw.probability, probability)?,
            cost_per_hour: non_negative("cost_per_hour", raw.cost_per_hour)?,
            currency: raw.currency.trim().to_owned(),
            m_reply: non_negative("m_reply", raw.m_reply)?,
            m_triage: non_negative("m_triage", raw.m_triage)?,
            w_conf: non_negative("w_conf", raw.w_conf)?,
            w_view: non_negative("w_view", raw.w_view)?,
            v_cap: non_negative("v_cap", raw.v_cap)?,
            reuse_window_days: raw.reuse_window_days,
            reopen_window_days: raw.reopen_window_days,
            unanswered_after_business_hours: non_negative(
                "unanswered_after_business_hours",
                raw.unanswered_after_business_hours,
            )?,
            business_calendar: BusinessCalendar::parse(&raw.calendar)?,
            calendar: raw.calendar,
            targets,
        })
    }

    /// The settings as a JSON document (the shape [`HelpdeskSettings::parse`] reads).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Applies a JSON merge patch (RFC 7396) to these settings and validates the
    /// result; on error nothing changes, and the error names the field.
    pub fn patched(&self, patch: &Value) -> Result<Self, DomainError> {
        let mut document = self.to_json();
        merge_patch(&mut document, patch);
        Self::parse(&document)
    }

    /// `aht[c]`.
    pub fn aht(&self, category: Category) -> f64 {
        self.aht_minutes.get(&category).copied().unwrap_or(0.0)
    }

    /// `p[c]`.
    pub fn p(&self, category: Category) -> f64 {
        self.probability.get(&category).copied().unwrap_or(0.0)
    }

    /// The validated calendar.
    pub fn business_calendar(&self) -> &BusinessCalendar {
        &self.business_calendar
    }
}

/// RFC 7396: objects merge key by key, `null` deletes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.remove(key);
            } else {
                merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_defaults_survive_a_round_trip_through_json() {
        let defaults = HelpdeskSettings::default();
        assert_eq!(
            HelpdeskSettings::parse(&defaults.to_json()).unwrap(),
            defaults
        );
        assert_eq!(defaults.aht(Category::Hardware), 20.0);
        assert_eq!(defaults.p(Category::Other), 1.0);
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let patched = HelpdeskSettings::default()
            .patched(
                &json!({"aht_minutes": {"network": 25}, "targets": {"peer_resolved_share": 0.3}}),
            )
            .unwrap();
        assert_eq!(patched.aht(Category::Network), 25.0);
        assert_eq!(patched.aht(Category::Access), 5.0);
        assert_eq!(patched.targets.peer_resolved_share, Some(0.3));
    }

    #[test]
    fn bad_settings_are_refused_naming_the_field() {
        let defaults = HelpdeskSettings::default();
        let cases = [
            (json!({"aht_minutes": {"access": -5}}), "aht_minutes:"),
            (json!({"m_reply": -1}), "m_reply:"),
            (json!({"probability": {"network": 1.5}}), "probability:"),
            (
                json!({"aht_minutes": {"printers": 5}}),
                "aht_minutes: unknown category 'printers'",
            ),
            (json!({"category_tags": {"vpn": "tubes"}}), "category_tags:"),
            (
                json!({"calendar": {"working_days": []}}),
                "calendar.working_days:",
            ),
            (
                json!({"calendar": {"day_start": "18:00"}}),
                "calendar.day_end:",
            ),
            (
                json!({"targets": {"peer_resolved_share": 2}}),
                "targets.peer_resolved_share:",
            ),
            (
                json!({"colour": "blue"}),
                "settings: unknown field `colour`",
            ),
        ];
        for (patch, expected) in cases {
            let err = defaults.patched(&patch).unwrap_err().to_string();
            assert!(err.starts_with(expected), "{patch}: {err}");
        }
    }
}
