//! Single sign-on settings (`HUBBUB_OIDC_*`, `HUBBUB_SSO_ONLY`,
//! `HUBBUB_BREAK_GLASS_ADMIN`). SSO is on when `HUBBUB_OIDC_ISSUER` is set.

use crate::settings::{SettingsError, bad};
use clap::Args;
use hubbub_api::sso::{ClaimNames, SsoConfig};
use hubbub_core::role::Role;
use hubbub_core::sso::parse_group_map;
use std::time::Duration;

/// Raw SSO settings; every field is optional and defaults are applied by `check`.
#[derive(Debug, Clone, Default, Args)]
pub struct RawSsoSettings {
    /// OpenID Connect issuer URL; turns single sign-on on.
    #[arg(long, env = "HUBBUB_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// Client id registered at the identity provider.
    #[arg(long, env = "HUBBUB_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// Client secret registered at the identity provider.
    #[arg(long, env = "HUBBUB_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// Scopes to ask for (default "openid profile email").
    #[arg(long, env = "HUBBUB_OIDC_SCOPES")]
    pub oidc_scopes: Option<String>,
    /// Claim with the display name (default name).
    #[arg(long, env = "HUBBUB_OIDC_CLAIM_NAME")]
    pub oidc_claim_name: Option<String>,
    /// Claim with the email (default email).
    #[arg(long, env = "HUBBUB_OIDC_CLAIM_EMAIL")]
    pub oidc_claim_email: Option<String>,
    /// Claim with the username suggestion (default preferred_username).
    #[arg(long, env = "HUBBUB_OIDC_CLAIM_USERNAME")]
    pub oidc_claim_username: Option<String>,
    /// Claim with the department (default department).
    #[arg(long, env = "HUBBUB_OIDC_CLAIM_DEPARTMENT")]
    pub oidc_claim_department: Option<String>,
    /// Claim with the job title (default job_title).
    #[arg(long, env = "HUBBUB_OIDC_CLAIM_TITLE")]
    pub oidc_claim_title: Option<String>,
    /// Claim with the groups (default groups).
    #[arg(long, env = "HUBBUB_OIDC_CLAIM_GROUPS")]
    pub oidc_claim_groups: Option<String>,
    /// Group to role, e.g. "hubbub-admins=admin,it-support=support,managers=manager".
    #[arg(long, env = "HUBBUB_OIDC_ROLE_MAP")]
    pub oidc_role_map: Option<String>,
    /// Group to community joined automatically, e.g. "sales=sales-team".
    #[arg(long, env = "HUBBUB_OIDC_COMMUNITY_MAP")]
    pub oidc_community_map: Option<String>,
    /// Clock difference tolerated with the provider, in seconds (default 120).
    #[arg(long, env = "HUBBUB_OIDC_CLOCK_SKEW")]
    pub oidc_clock_skew: Option<String>,
    /// Turn password sign-in and registration off (true/false, default false).
    #[arg(long, env = "HUBBUB_SSO_ONLY")]
    pub sso_only: Option<String>,
    /// Username that may still sign in with a password when SSO-only is on.
    #[arg(long, env = "HUBBUB_BREAK_GLASS_ADMIN")]
    pub break_glass_admin: Option<String>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl RawSsoSettings {
    /// Checks the values; `Ok(None)` when SSO is not configured.
    pub fn check(&self) -> Result<Option<SsoConfig>, SettingsError> {
        let sso_only = match given(&self.sso_only) {
            None => false,
            Some(raw) => crate::settings::parse_bool(raw, "HUBBUB_SSO_ONLY", "sso-only")?,
        };
        let Some(issuer) = given(&self.oidc_issuer) else {
            if sso_only {
                return Err(bad(
                    "HUBBUB_SSO_ONLY",
                    "sso-only",
                    "needs HUBBUB_OIDC_ISSUER: without single sign-on nobody could sign in",
                ));
            }
            return Ok(None);
        };
        let issuer = issuer.trim_end_matches('/').to_owned();
        if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
            return Err(bad(
                "HUBBUB_OIDC_ISSUER",
                "oidc-issuer",
                format!("'{issuer}' is not an http(s) URL"),
            ));
        }
        let client_id = given(&self.oidc_client_id)
            .ok_or_else(|| {
                bad(
                    "HUBBUB_OIDC_CLIENT_ID",
                    "oidc-client-id",
                    "is required with HUBBUB_OIDC_ISSUER",
                )
            })?
            .to_owned();
        let client_secret = given(&self.oidc_client_secret)
            .ok_or_else(|| {
                bad(
                    "HUBBUB_OIDC_CLIENT_SECRET",
                    "oidc-client-secret",
                    "is required with HUBBUB_OIDC_ISSUER",
                )
            })?
            .to_owned();
        let scopes = given(&self.oidc_scopes)
            .unwrap_or("openid profile email")
            .to_owned();
        if !scopes.split_whitespace().any(|s| s == "openid") {
            return Err(bad(
                "HUBBUB_OIDC_SCOPES",
                "oidc-scopes",
                "must include openid",
            ));
        }
        let defaults = ClaimNames::default();
        let claim =
            |value: &Option<String>, default: String| given(value).map_or(default, str::to_owned);
        let claims = ClaimNames {
            name: claim(&self.oidc_claim_name, defaults.name),
            email: claim(&self.oidc_claim_email, defaults.email),
            username: claim(&self.oidc_claim_username, defaults.username),
            department: claim(&self.oidc_claim_department, defaults.department),
            job_title: claim(&self.oidc_claim_title, defaults.job_title),
            groups: claim(&self.oidc_claim_groups, defaults.groups),
        };
        let role_map = parse_group_map(
            given(&self.oidc_role_map).unwrap_or_default(),
            "HUBBUB_OIDC_ROLE_MAP",
            |s| s.parse::<Role>(),
        )
        .map_err(|e| bad("HUBBUB_OIDC_ROLE_MAP", "oidc-role-map", e.to_string()))?;
        let community_map = parse_group_map(
            given(&self.oidc_community_map).unwrap_or_default(),
            "HUBBUB_OIDC_COMMUNITY_MAP",
            |s| Ok(s.to_owned()),
        )
        .map_err(|e| {
            bad(
                "HUBBUB_OIDC_COMMUNITY_MAP",
                "oidc-community-map",
                e.to_string(),
            )
        })?;
        let clock_skew = match given(&self.oidc_clock_skew) {
            None => Duration::from_secs(120),
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|s| *s <= 3600)
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    bad(
                        "HUBBUB_OIDC_CLOCK_SKEW",
                        "oidc-clock-skew",
                        format!("'{raw}' is not a number of seconds between 0 and 3600"),
                    )
                })?,
        };
        let break_glass_admin = given(&self.break_glass_admin).map(str::to_owned);
        Ok(Some(SsoConfig {
            issuer,
            client_id,
            client_secret,
            scopes,
            claims,
            role_map,
            community_map,
            clock_skew,
            http_timeout: Duration::from_secs(10),
            sso_only,
            break_glass_admin,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sso_is_off_without_an_issuer_and_sso_only_then_refuses_to_start() {
        assert!(RawSsoSettings::default().check().unwrap().is_none());
        let only = RawSsoSettings {
            sso_only: Some("true".into()),
            ..Default::default()
        };
        assert!(
            only.check()
                .unwrap_err()
                .to_string()
                .starts_with("HUBBUB_SSO_ONLY")
        );
    }

    #[test]
    fn each_bad_sso_value_names_its_variable() {
        let base = RawSsoSettings {
            oidc_issuer: Some("https://login.example.com/realms/corp".into()),
            oidc_client_id: Some("hubbub".into()),
            oidc_client_secret: Some("s3cret".into()),
            ..Default::default()
        };
        let config = base.check().unwrap().unwrap();
        assert_eq!(config.scopes, "openid profile email");
        assert!(!format!("{config:?}").contains("s3cret"));
        let cases: Vec<(RawSsoSettings, &str)> = vec![
            (
                RawSsoSettings {
                    oidc_client_id: None,
                    ..base.clone()
                },
                "HUBBUB_OIDC_CLIENT_ID",
            ),
            (
                RawSsoSettings {
                    oidc_scopes: Some("email".into()),
                    ..base.clone()
                },
                "HUBBUB_OIDC_SCOPES",
            ),
            (
                RawSsoSettings {
                    oidc_role_map: Some("it=wizard".into()),
                    ..base.clone()
                },
                "HUBBUB_OIDC_ROLE_MAP",
            ),
            (
                RawSsoSettings {
                    oidc_clock_skew: Some("-1".into()),
                    ..base.clone()
                },
                "HUBBUB_OIDC_CLOCK_SKEW",
            ),
            (
                RawSsoSettings {
                    oidc_issuer: Some("ftp://x".into()),
                    ..base.clone()
                },
                "HUBBUB_OIDC_ISSUER",
            ),
        ];
        for (raw, variable) in cases {
            let message = raw.check().err().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.starts_with(variable), "{variable}: '{message}'");
        }
    }
}
