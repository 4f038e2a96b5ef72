//! Who is asking, and which rows they may see.
//!
//! A [`Principal`] is built only from a verified credential (JWT or API key); its
//! [`Scope`] is what every repository call takes, and what the PostgreSQL row-level
//! security policies read from per-transaction settings. Nothing in a request body or
//! query string can change it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The five roles, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    PlatformAdmin,
    ResellerAdmin,
    TenantAdmin,
    Member,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::ResellerAdmin => "reseller_admin",
            Role::TenantAdmin => "tenant_admin",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "platform_admin" => Role::PlatformAdmin,
            "reseller_admin" => Role::ResellerAdmin,
            "tenant_admin" => Role::TenantAdmin,
            "member" => Role::Member,
            "viewer" => Role::Viewer,
            _ => return None,
        })
    }

    /// Roles whose users belong to a tenant.
    pub fn is_tenant_role(self) -> bool {
        matches!(self, Role::TenantAdmin | Role::Member | Role::Viewer)
    }

    /// Higher is more powerful; used to stop anyone granting a role above their own.
    pub fn rank(self) -> u8 {
        match self {
            Role::PlatformAdmin => 4,
            Role::ResellerAdmin => 3,
            Role::TenantAdmin => 2,
            Role::Member => 1,
            Role::Viewer => 0,
        }
    }
}

/// The rows a database call may touch. Set on every transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The service itself: login, token refresh, bootstrap, workers. Never a request's scope.
    System,
    /// A platform admin: everything.
    Platform,
    /// A reseller admin: the reseller, its tenants and their rows.
    Reseller { reseller_id: Uuid },
    /// A tenant user: that tenant's rows only.
    Tenant {
        tenant_id: Uuid,
        reseller_id: Option<Uuid>,
    },
}

impl Scope {
    pub fn name(&self) -> &'static str {
        match self {
            Scope::System => "system",
            Scope::Platform => "platform",
            Scope::Reseller { .. } => "reseller",
            Scope::Tenant { .. } => "tenant",
        }
    }

    pub fn tenant_id(&self) -> Option<Uuid> {
        match self {
            Scope::Tenant { tenant_id, .. } => Some(*tenant_id),
            _ => None,
        }
    }

    pub fn reseller_id(&self) -> Option<Uuid> {
        match self {
            Scope::Reseller { reseller_id } => Some(*reseller_id),
            Scope::Tenant { reseller_id, .. } => *reseller_id,
            _ => None,
        }
    }
}

/// How the caller authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    AccessToken,
    ApiKey { id: Uuid, scopes: Vec<String> },
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: Uuid,
    pub role: Role,
    pub tenant_id: Option<Uuid>,
    pub reseller_id: Option<Uuid>,
    pub credential: Credential,
    /// Set while the tenant or reseller is suspended: reads only (`auth::standing`).
    pub read_only: Option<crate::error::Code>,
}

impl Principal {
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::PlatformAdmin => Scope::Platform,
            Role::ResellerAdmin => match self.reseller_id {
                Some(reseller_id) => Scope::Reseller { reseller_id },
                // A reseller admin without a reseller sees nothing: fail closed.
                None => Scope::Tenant {
                    tenant_id: Uuid::nil(),
                    reseller_id: None,
                },
            },
            _ => Scope::Tenant {
                tenant_id: self.tenant_id.unwrap_or(Uuid::nil()),
                reseller_id: self.reseller_id,
            },
        }
    }

    pub fn api_key_id(&self) -> Option<Uuid> {
        match &self.credential {
            Credential::ApiKey { id, .. } => Some(*id),
            Credential::AccessToken => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in [
            Role::PlatformAdmin,
            Role::ResellerAdmin,
            Role::TenantAdmin,
            Role::Member,
            Role::Viewer,
        ] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn reseller_admin_without_reseller_sees_nothing() {
        let p = Principal {
            user_id: Uuid::now_v7(),
            role: Role::ResellerAdmin,
            tenant_id: None,
            reseller_id: None,
            credential: Credential::AccessToken,
            read_only: None,
        };
        assert_eq!(p.scope().tenant_id(), Some(Uuid::nil()));
    }
}
