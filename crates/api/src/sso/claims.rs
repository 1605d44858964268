//! From ID token claims to a Hubbub profile.

use super::{SsoConfig, SsoError};
use hubbub_core::input::{DisplayName, Email};
use hubbub_core::sso::{role_for_groups, username_candidate};
use hubbub_storage::sso::SsoProfile;
use serde_json::{Map, Value};

/// A claim as text: a string, or a number written out; empty when absent.
fn text(claims: &Map<String, Value>, name: &str) -> String {
    match claims.get(name) {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Groups: a JSON list of strings, or one string of comma-separated names.
fn groups(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    match claims.get(name) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|g| g.trim().to_owned())
            .filter(|g| !g.is_empty())
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(|g| g.trim().to_owned())
            .filter(|g| !g.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// Builds the profile from verified claims. `sub` and a valid email are required.
pub fn profile(config: &SsoConfig, claims: &Map<String, Value>) -> Result<SsoProfile, SsoError> {
    let names = &config.claims;
    let subject = text(claims, "sub");
    if subject.is_empty() {
        return Err(SsoError::MissingClaim("sub".to_owned()));
    }
    let email = Email::parse(&text(claims, &names.email))
        .map_err(|_| SsoError::MissingClaim(names.email.clone()))?;
    // A name the provider sends that Hubbub cannot show (too long, control
    // characters) is cut rather than refusing the person.
    let raw_name: String = text(claims, &names.name)
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let display_name =
        DisplayName::parse(&raw_name).map_err(|e| SsoError::Internal(e.to_string()))?;
    let preferred = text(claims, &names.username);
    let groups = groups(claims, &names.groups);
    Ok(SsoProfile {
        issuer: config.issuer.trim_end_matches('/').to_owned(),
        subject,
        username_candidate: username_candidate(
            Some(preferred.as_str()).filter(|p| !p.is_empty()),
            email.as_str(),
        ),
        email,
        display_name,
        department: text(claims, &names.department),
        job_title: text(claims, &names.job_title),
        role: role_for_groups(&config.role_map, &groups),
        groups,
    })
}
