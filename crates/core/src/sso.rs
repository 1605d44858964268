//! Single sign-on rules that need no I/O: mapping identity-provider groups to
//! roles and communities, and choosing a username for an account created at first
//! sign-in.

use crate::DomainError;
use crate::role::Role;

/// `group=value` pairs read from configuration, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupMap<T>(Vec<(String, T)>);

impl<T> GroupMap<T> {
    /// Whether no pair is configured.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values of every pair whose group the person is in.
    pub fn matching<'a>(&'a self, groups: &'a [String]) -> impl Iterator<Item = &'a T> + 'a {
        self.0
            .iter()
            .filter(move |(group, _)| groups.iter().any(|g| g == group))
            .map(|(_, value)| value)
    }
}

/// Parses `group=value,group=value` (e.g. `hubbub-admins=admin,it=support`); `field`
/// names the setting in errors.
pub fn parse_group_map<T>(
    raw: &str,
    field: &'static str,
    value: impl Fn(&str) -> Result<T, DomainError>,
) -> Result<GroupMap<T>, DomainError> {
    let mut pairs = Vec::new();
    for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (group, target) = entry
            .rsplit_once('=')
            .ok_or_else(|| DomainError::invalid(field, format!("'{entry}' is not group=value")))?;
        let (group, target) = (group.trim(), target.trim());
        if group.is_empty() || target.is_empty() {
            return Err(DomainError::invalid(
                field,
                format!("'{entry}' is not group=value"),
            ));
        }
        let parsed = value(target).map_err(|e| match e {
            DomainError::Invalid { message, .. } => DomainError::invalid(field, message),
        })?;
        pairs.push((group.to_owned(), parsed));
    }
    Ok(GroupMap(pairs))
}

/// How much a role may do, to pick the strongest of several matches.
fn rank(role: Role) -> u8 {
    match role {
        Role::Member => 0,
        Role::Support => 1,
        Role::Manager => 2,
        Role::Admin => 3,
    }
}

/// The role a person's groups give: the strongest match, or member. `None` when no
/// mapping is configured, so roles set by hand are left alone.
pub fn role_for_groups(map: &GroupMap<Role>, groups: &[String]) -> Option<Role> {
    if map.is_empty() {
        return None;
    }
    Some(
        map.matching(groups)
            .copied()
            .max_by_key(|role| rank(*role))
            .unwrap_or(Role::Member),
    )
}

/// A valid username built from the provider's preferred username or the email's
/// local part: other characters become `_`, at most 24 characters so that a
/// numeric suffix still fits when the name is taken.
pub fn username_candidate(preferred: Option<&str>, email: &str) -> String {
    let source = preferred
        .map(|p| p.split('@').next().unwrap_or(p))
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default());
    let cleaned: String = source
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(24)
        .collect();
    let trimmed = cleaned.trim_matches('_');
    if trimmed.is_empty() {
        "user".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_strongest_mapped_role_wins_and_unmapped_people_are_members() {
        let map = parse_group_map("it=support, bosses=manager,root=admin", "map", |s| {
            s.parse::<Role>()
        })
        .unwrap();
        assert_eq!(
            role_for_groups(&map, &groups(&["it", "bosses"])),
            Some(Role::Manager)
        );
        assert_eq!(
            role_for_groups(&map, &groups(&["sales"])),
            Some(Role::Member)
        );
        assert_eq!(
            role_for_groups(&GroupMap::default(), &groups(&["it"])),
            None
        );
    }

    #[test]
    fn a_bad_mapping_names_the_setting() {
        let err = parse_group_map("it=wizard", "HUBBUB_OIDC_ROLE_MAP", |s| s.parse::<Role>());
        assert!(matches!(
            err,
            Err(DomainError::Invalid {
                field: "HUBBUB_OIDC_ROLE_MAP",
                ..
            })
        ));
        assert!(parse_group_map("nogroup", "x", |s| s.parse::<Role>()).is_err());
    }

    #[test]
    fn usernames_come_from_the_preferred_name_or_the_email() {
        assert_eq!(
            username_candidate(Some("jane.doe@corp.example"), "x@y.z"),
            "jane_doe"
        );
        assert_eq!(username_candidate(None, "o'brien@corp.example"), "o_brien");
        assert_eq!(username_candidate(Some("  "), "---@corp.example"), "user");
    }
}
