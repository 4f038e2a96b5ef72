from enum import StrEnum


class Action(StrEnum):
    API_KEYSREAD = "api_keys:read"
    API_KEYSWRITE = "api_keys:write"
    AUDITREAD = "audit:read"
    BILLINGREAD = "billing:read"
    BILLINGWRITE = "billing:write"
    BRANDINGREAD = "branding:read"
    BRANDINGWRITE = "branding:write"
    CREDENTIALSREAD = "credentials:read"
    CREDENTIALSWRITE = "credentials:write"
    EXPORTSREAD = "exports:read"
    EXPORTSWRITE = "exports:write"
    FILESREAD = "files:read"
    FILESWRITE = "files:write"
    JOBSREAD = "jobs:read"
    JOBSWRITE = "jobs:write"
    PLANSREAD = "plans:read"
    PLANSWRITE = "plans:write"
    PRESETSREAD = "presets:read"
    PRESETSWRITE = "presets:write"
    RESELLERSREAD = "resellers:read"
    RESELLERSWRITE = "resellers:write"
    TEMPLATESREAD = "templates:read"
    TEMPLATESWRITE = "templates:write"
    TENANTSREAD = "tenants:read"
    TENANTSWRITE = "tenants:write"
    TRANSLATION_ENGINESREAD = "translation_engines:read"
    TRANSLATION_ENGINESWRITE = "translation_engines:write"
    USAGEREAD = "usage:read"
    USERSREAD = "users:read"
    USERSWRITE = "users:write"
    WORKFLOWSREAD = "workflows:read"
    WORKFLOWSWRITE = "workflows:write"

    def __str__(self) -> str:
        return str(self.value)
