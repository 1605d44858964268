//! Staff roles.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a person may do beyond posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Ordinary staff.
    #[default]
    Member,
    /// IT help desk: triages help-desk tickets.
    Support,
    /// Reads reports and sets targets.
    Manager,
    /// Administers the instance.
    Admin,
}

impl Role {
    /// The name stored in the database and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Support => "support",
            Self::Manager => "manager",
            Self::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "member" => Ok(Self::Member),
            "support" => Ok(Self::Support),
            "manager" => Ok(Self::Manager),
            "admin" => Ok(Self::Admin),
            other => Err(DomainError::invalid(
                "role",
                format!("unknown role '{other}' (expected member, support, manager or admin)"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in [Role::Member, Role::Support, Role::Manager, Role::Admin] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
