//! What each role may do. Handlers name the action they need (`authed.require(..)`);
//! which *objects* a caller may touch is decided by its scope in the repositories.

use crate::tenancy::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Action {
    #[serde(rename = "resellers:read")]
    ResellersRead,
    #[serde(rename = "resellers:write")]
    ResellersWrite,
    #[serde(rename = "tenants:read")]
    TenantsRead,
    #[serde(rename = "tenants:write")]
    TenantsWrite,
    #[serde(rename = "users:read")]
    UsersRead,
    #[serde(rename = "users:write")]
    UsersWrite,
    #[serde(rename = "plans:read")]
    PlansRead,
    #[serde(rename = "plans:write")]
    PlansWrite,
    #[serde(rename = "api_keys:read")]
    ApiKeysRead,
    #[serde(rename = "api_keys:write")]
    ApiKeysWrite,
    #[serde(rename = "audit:read")]
    AuditRead,
    #[serde(rename = "workflows:read")]
    WorkflowsRead,
    #[serde(rename = "workflows:write")]
    WorkflowsWrite,
    #[serde(rename = "jobs:read")]
    JobsRead,
    #[serde(rename = "jobs:write")]
    JobsWrite,
    #[serde(rename = "files:read")]
    FilesRead,
    #[serde(rename = "files:write")]
    FilesWrite,
    #[serde(rename = "translation_engines:read")]
    TranslationEnginesRead,
    #[serde(rename = "translation_engines:write")]
    TranslationEnginesWrite,
    /// A tenant's workspace credentials (third-party secrets): names, providers, hints and
    /// origins, never the values (docs/credentials.md).
    #[serde(rename = "credentials:read")]
    CredentialsRead,
    /// Creating, rotating and deleting workspace credentials, and binding one to a host.
    #[serde(rename = "credentials:write")]
    CredentialsWrite,
    #[serde(rename = "templates:read")]
    TemplatesRead,
    #[serde(rename = "templates:write")]
    TemplatesWrite,
    #[serde(rename = "presets:read")]
    PresetsRead,
    #[serde(rename = "presets:write")]
    PresetsWrite,
    #[serde(rename = "branding:read")]
    BrandingRead,
    #[serde(rename = "branding:write")]
    BrandingWrite,
    /// Usage reports (docs/usage.md): a tenant's own, a reseller's tenants', the platform's.
    #[serde(rename = "usage:read")]
    UsageRead,
    /// Invoices, commission statements and the reseller dashboard (docs/billing.md);
    /// subscription status (a tenant's own, a reseller's tenants', every one) and, for
    /// reseller and platform admins, their RevenueCat integration (docs/revenuecat.md).
    #[serde(rename = "billing:read")]
    BillingRead,
    /// Configuring a RevenueCat integration (reseller and platform admins); closing a
    /// billing period (platform admins only).
    #[serde(rename = "billing:write")]
    BillingWrite,
    /// Following and downloading a tenant's data exports (docs/data-export.md).
    #[serde(rename = "exports:read")]
    ExportsRead,
    /// Requesting a data export of a tenant, or of a person for an admin.
    #[serde(rename = "exports:write")]
    ExportsWrite,
}

use Action::*;

pub const ALL_ACTIONS: &[Action] = &[
    ResellersRead,
    ResellersWrite,
    TenantsRead,
    TenantsWrite,
    UsersRead,
    UsersWrite,
    PlansRead,
    PlansWrite,
    ApiKeysRead,
    ApiKeysWrite,
    AuditRead,
    WorkflowsRead,
    WorkflowsWrite,
    JobsRead,
    JobsWrite,
    FilesRead,
    FilesWrite,
    TranslationEnginesRead,
    TranslationEnginesWrite,
    CredentialsRead,
    CredentialsWrite,
    TemplatesRead,
    TemplatesWrite,
    PresetsRead,
    PresetsWrite,
    BrandingRead,
    BrandingWrite,
    UsageRead,
    BillingRead,
    BillingWrite,
    ExportsRead,
    ExportsWrite,
];

impl Action {
    /// The scope string used in API key permissions, e.g. `jobs:write`.
    /// Whether the action changes anything: refused while the tenant or reseller is
    /// suspended. Taking a data export does not (it reads the data out).
    pub fn changes_data(self) -> bool {
        self.as_str().ends_with(":write") && self != ExportsWrite
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ResellersRead => "resellers:read",
            ResellersWrite => "resellers:write",
            TenantsRead => "tenants:read",
            TenantsWrite => "tenants:write",
            UsersRead => "users:read",
            UsersWrite => "users:write",
            PlansRead => "plans:read",
            PlansWrite => "plans:write",
            ApiKeysRead => "api_keys:read",
            ApiKeysWrite => "api_keys:write",
            AuditRead => "audit:read",
            WorkflowsRead => "workflows:read",
            WorkflowsWrite => "workflows:write",
            JobsRead => "jobs:read",
            JobsWrite => "jobs:write",
            FilesRead => "files:read",
            FilesWrite => "files:write",
            TranslationEnginesRead => "translation_engines:read",
            TranslationEnginesWrite => "translation_engines:write",
            CredentialsRead => "credentials:read",
            CredentialsWrite => "credentials:write",
            TemplatesRead => "templates:read",
            TemplatesWrite => "templates:write",
            PresetsRead => "presets:read",
            PresetsWrite => "presets:write",
            BrandingRead => "branding:read",
            BrandingWrite => "branding:write",
            UsageRead => "usage:read",
            BillingRead => "billing:read",
            BillingWrite => "billing:write",
            ExportsRead => "exports:read",
            ExportsWrite => "exports:write",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        ALL_ACTIONS.iter().copied().find(|a| a.as_str() == s)
    }
}

/// The actions a role grants.
pub fn allowed(role: Role) -> &'static [Action] {
    match role {
        Role::PlatformAdmin => ALL_ACTIONS,
        Role::ResellerAdmin => &[
            ResellersRead,
            ResellersWrite,
            TenantsRead,
            TenantsWrite,
            UsersRead,
            UsersWrite,
            PlansRead,
            PlansWrite,
            AuditRead,
            TemplatesRead,
            TemplatesWrite,
            PresetsRead,
            PresetsWrite,
            BrandingRead,
            BrandingWrite,
            UsageRead,
            BillingRead,
            BillingWrite,
            // Their tenants' exports: a reseller hands a leaving customer its data.
            ExportsRead,
            ExportsWrite,
        ],
        Role::TenantAdmin => &[
            TenantsRead,
            TenantsWrite,
            UsersRead,
            UsersWrite,
            PlansRead,
            ApiKeysRead,
            ApiKeysWrite,
            AuditRead,
            WorkflowsRead,
            WorkflowsWrite,
            JobsRead,
            JobsWrite,
            FilesRead,
            FilesWrite,
            TranslationEnginesRead,
            TranslationEnginesWrite,
            // The tenant's third-party secrets are the admins' to manage, as engines are:
            // members and viewers configure no engine, so they need no credential.
            CredentialsRead,
            CredentialsWrite,
            TemplatesRead,
            PresetsRead,
            PresetsWrite,
            BrandingRead,
            BrandingWrite,
            UsageRead,
            // Their own tenant's subscription status, never an integration's settings.
            BillingRead,
            // The whole tenant's data leaves only with its admins (members and viewers
            // export their own personal data, POST /v1/me/exports).
            ExportsRead,
            ExportsWrite,
        ],
        Role::Member => &[
            TenantsRead,
            UsersRead,
            PlansRead,
            ApiKeysRead,
            ApiKeysWrite,
            WorkflowsRead,
            WorkflowsWrite,
            JobsRead,
            JobsWrite,
            FilesRead,
            FilesWrite,
            TranslationEnginesRead,
            TemplatesRead,
            PresetsRead,
            BrandingRead,
            // Members spend the quota, so they may see what is left of it.
            UsageRead,
        ],
        // Viewers follow the work, not the bill: no `usage:read`.
        Role::Viewer => &[
            TenantsRead,
            UsersRead,
            PlansRead,
            ApiKeysRead,
            WorkflowsRead,
            JobsRead,
            FilesRead,
            TranslationEnginesRead,
            TemplatesRead,
            PresetsRead,
            BrandingRead,
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for a in ALL_ACTIONS {
            assert_eq!(Action::parse(a.as_str()), Some(*a));
            assert_eq!(
                serde_json::to_value(a).expect("json"),
                serde_json::Value::String(a.as_str().into())
            );
        }
    }

    #[test]
    fn viewers_only_read() {
        assert!(allowed(Role::Viewer)
            .iter()
            .all(|a| a.as_str().ends_with(":read")));
    }
}
