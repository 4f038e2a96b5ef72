//! API errors rendered as RFC 9457 `application/problem+json`.
//!
//! One table ([`Code`]) lists every error kind the API can answer with: its stable
//! `type` slug, its title and its HTTP status. Modules keep their own error enums and
//! convert into [`ApiError`]; internal causes are logged, never sent to the client.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// Base of every problem `type` (a URI reference relative to the API; docs/problems.md lists them).
pub const PROBLEM_BASE: &str = "/problems/";

macro_rules! codes {
    ($( $variant:ident => ($slug:literal, $status:ident, $title:literal) ),* $(,)?) => {
        /// Every error kind the API answers with. The slug is the stable part of the
        /// problem `type`; clients may match on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Code { $( $variant ),* }

        impl Code {
            pub fn slug(self) -> &'static str { match self { $( Code::$variant => $slug ),* } }
            pub fn status(self) -> StatusCode { match self { $( Code::$variant => StatusCode::$status ),* } }
            pub fn title(self) -> &'static str { match self { $( Code::$variant => $title ),* } }
            /// All codes, for documentation and tests.
            pub fn all() -> &'static [Code] { &[ $( Code::$variant ),* ] }
        }
    };
}

codes! {
    // 400
    BadRequest => ("bad_request", BAD_REQUEST, "The request could not be understood"),
    MalformedJson => ("malformed_json", BAD_REQUEST, "The request body is not valid JSON for this endpoint"),
    InvalidQuery => ("invalid_query", BAD_REQUEST, "A query parameter is invalid"),
    InvalidCursor => ("invalid_cursor", BAD_REQUEST, "The pagination cursor is invalid"),
    InvalidOneTimeToken => ("invalid_one_time_token", BAD_REQUEST, "The link's token is wrong, already used or expired"),
    UnsupportedMediaType => ("unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, "The request body has an unsupported content type"),
    PayloadTooLarge => ("payload_too_large", PAYLOAD_TOO_LARGE, "The request body is too large"),
    TooManyFormFields => ("too_many_form_fields", PAYLOAD_TOO_LARGE, "The multipart form has too many fields"),
    UploadTooLargeForPlan => ("upload_too_large_for_plan", PAYLOAD_TOO_LARGE, "The file is larger than the tenant's plan allows"),
    StorageQuotaExceeded => ("storage_quota_exceeded", PAYLOAD_TOO_LARGE, "The upload exceeds the tenant's remaining storage quota"),
    FileNotAudio => ("file_not_audio", UNSUPPORTED_MEDIA_TYPE, "The file is not audio in a supported format"),
    ImageTooLarge => ("image_too_large", PAYLOAD_TOO_LARGE, "The image file is larger than this kind of branding asset may be"),
    ImageNotSupported => ("image_not_supported", UNSUPPORTED_MEDIA_TYPE, "The image is not PNG, JPEG or WebP"),
    RangeNotSatisfiable => ("range_not_satisfiable", RANGE_NOT_SATISFIABLE, "The requested range is not satisfiable"),
    // 401
    Unauthenticated => ("unauthenticated", UNAUTHORIZED, "Authentication is required"),
    InvalidToken => ("invalid_token", UNAUTHORIZED, "The access token is invalid or expired"),
    InvalidApiKey => ("invalid_api_key", UNAUTHORIZED, "The API key is invalid, expired or revoked"),
    InvalidCredentials => ("invalid_credentials", UNAUTHORIZED, "The email or password is incorrect"),
    InvalidRefreshToken => ("invalid_refresh_token", UNAUTHORIZED, "The refresh token is invalid, expired or revoked"),
    RefreshTokenReused => ("refresh_token_reused", UNAUTHORIZED, "The refresh token was already used; its session has been revoked"),
    InvalidWebhookAuthorization => ("invalid_webhook_authorization", UNAUTHORIZED, "The Authorization header matches no configured RevenueCat integration"),
    // 403
    Forbidden => ("forbidden", FORBIDDEN, "Your role does not allow this action"),
    ResellerSuspended => ("reseller_suspended", FORBIDDEN, "The account's reseller is suspended (read-only) or deleted"),
    TenantSuspended => ("tenant_suspended", FORBIDDEN, "The tenant is suspended (read-only) or deleted"),
    CurrentPasswordIncorrect => ("current_password_incorrect", FORBIDDEN, "The current password is incorrect"),
    NotInPlan => ("not_in_plan", FORBIDDEN, "The tenant's subscription plan does not include this feature (a node kind, a model, tenant branding)"),
    AudioTooLongForPlan => ("audio_too_long_for_plan", FORBIDDEN, "The audio is longer than the tenant's plan allows per job"),
    // 404
    NotFound => ("not_found", NOT_FOUND, "No such route"),
    ResellerNotFound => ("reseller_not_found", NOT_FOUND, "Reseller not found"),
    TenantNotFound => ("tenant_not_found", NOT_FOUND, "Tenant not found"),
    UserNotFound => ("user_not_found", NOT_FOUND, "User not found"),
    PlanNotFound => ("plan_not_found", NOT_FOUND, "Plan not found"),
    ApiKeyNotFound => ("api_key_not_found", NOT_FOUND, "API key not found"),
    FileNotFound => ("file_not_found", NOT_FOUND, "File not found"),
    AuditEntryNotFound => ("audit_entry_not_found", NOT_FOUND, "Audit log entry not found"),
    NodeKindNotFound => ("node_kind_not_found", NOT_FOUND, "No such node kind"),
    WorkflowNotFound => ("workflow_not_found", NOT_FOUND, "Workflow not found"),
    JobNotFound => ("job_not_found", NOT_FOUND, "Job not found"),
    WebhookNotFound => ("webhook_not_found", NOT_FOUND, "Webhook not found"),
    ArtifactNotFound => ("artifact_not_found", NOT_FOUND, "The job has no such output"),
    WorkflowVersionNotFound => ("workflow_version_not_found", NOT_FOUND, "Workflow version not found"),
    TranslationEngineNotFound => ("translation_engine_not_found", NOT_FOUND, "Translation engine not found"),
    CredentialNotFound => ("credential_not_found", NOT_FOUND, "Workspace credential not found"),
    TemplateNotFound => ("template_not_found", NOT_FOUND, "Template not found"),
    TemplateVersionNotFound => ("template_version_not_found", NOT_FOUND, "Template version not found"),
    PresetNotFound => ("preset_not_found", NOT_FOUND, "Node preset not found"),
    BrandingNotFound => ("branding_not_found", NOT_FOUND, "Branding configuration not found"),
    BrandingAssetNotFound => ("branding_asset_not_found", NOT_FOUND, "Branding asset not found"),
    MembershipNotFound => ("membership_not_found", NOT_FOUND, "The user is not a member of this tenant"),
    InvitationNotFound => ("invitation_not_found", NOT_FOUND, "No such invitation (the token is wrong, or the invitation was withdrawn)"),
    InvoiceNotFound => ("invoice_not_found", NOT_FOUND, "Invoice not found"),
    StatementNotFound => ("statement_not_found", NOT_FOUND, "Commission statement not found"),
    RevenuecatConfigNotFound => ("revenuecat_config_not_found", NOT_FOUND, "No RevenueCat integration is configured here"),
    ExportNotFound => ("export_not_found", NOT_FOUND, "Data export not found"),
    MethodNotAllowed => ("method_not_allowed", METHOD_NOT_ALLOWED, "Method not allowed on this route"),
    // 409
    EmailTaken => ("email_taken", CONFLICT, "A user with this email already exists"),
    Conflict => ("conflict", CONFLICT, "The request conflicts with the current state"),
    PlanLimitReached => ("plan_limit_reached", CONFLICT, "The subscription plan's limit is reached"),
    PlanInUse => ("plan_in_use", CONFLICT, "The plan is still assigned to tenants"),
    JobFinished => ("job_finished", CONFLICT, "The job has already finished"),
    WebhookLimitReached => ("webhook_limit_reached", CONFLICT, "The tenant has as many webhook endpoints as it may have"),
    TemplateDeprecated => ("template_deprecated", CONFLICT, "The template is deprecated: no new instances, runs or upgrades"),
    CredentialInUse => ("credential_in_use", CONFLICT, "The workspace credential is used by translation engines"),
    TranslationEngineNameTaken => ("translation_engine_name_taken", CONFLICT, "The tenant already has a translation engine with this name"),
    BrandingExists => ("branding_exists", CONFLICT, "The owner already has a branding configuration"),
    DomainTaken => ("domain_taken", CONFLICT, "Another branding configuration already uses this custom domain or subdomain"),
    MembershipExists => ("membership_exists", CONFLICT, "The user is already a member of this tenant"),
    LastTenantAdmin => ("last_tenant_admin", CONFLICT, "The tenant's last tenant admin cannot be removed or demoted"),
    InvitationUsed => ("invitation_used", CONFLICT, "The invitation has already been accepted"),
    PeriodNotEnded => ("period_not_ended", CONFLICT, "The billing period has not ended yet"),
    ExportNotReady => ("export_not_ready", CONFLICT, "The data export's archive is still being built"),
    // 410
    InvitationExpired => ("invitation_expired", GONE, "The invitation has expired"),
    ExportGone => ("export_gone", GONE, "The data export failed or expired; its archive is gone"),
    // 402
    QuotaExceeded => ("quota_exceeded", PAYMENT_REQUIRED, "The tenant's processing quota is used up"),
    SubscriptionInactive => ("subscription_inactive", PAYMENT_REQUIRED, "The tenant's subscription is cancelled or expired"),
    SubscriptionPastDue => ("subscription_past_due", PAYMENT_REQUIRED, "The tenant's subscription is past due beyond its grace period"),
    // 422
    ValidationFailed => ("validation_failed", UNPROCESSABLE_ENTITY, "The request has invalid fields"),
    InvalidGraph => ("invalid_graph", UNPROCESSABLE_ENTITY, "The workflow graph is invalid"),
    TranslationEngineKeyRequired => ("translation_engine_key_required", UNPROCESSABLE_ENTITY, "Changing the engine's base_url requires its API key again"),
    ImageDimensionsTooLarge => ("image_dimensions_too_large", UNPROCESSABLE_ENTITY, "The image is wider or taller than this kind of branding asset may be"),
    // 429
    TooManyLoginAttempts => ("too_many_login_attempts", TOO_MANY_REQUESTS, "Too many failed login attempts; try again later"),
    TooManyConcurrentLogins => ("too_many_concurrent_logins", TOO_MANY_REQUESTS, "Too many sign-ins are being checked at once; retry shortly"),
    RateLimited => ("rate_limited", TOO_MANY_REQUESTS, "Too many requests for the tenant's or API key's rate limit; retry after the time given"),
    TooManyConcurrentRequests => ("too_many_concurrent_requests", TOO_MANY_REQUESTS, "The tenant runs as many jobs and requests at once as its plan allows; retry shortly"),
    // 5xx
    Internal => ("internal", INTERNAL_SERVER_ERROR, "Internal server error"),
    DatabaseUnavailable => ("database_unavailable", SERVICE_UNAVAILABLE, "The database is unavailable"),
    TranslationEngineUnavailable => ("translation_engine_unavailable", BAD_GATEWAY, "The translation engine did not answer as expected"),
    NodeUnavailable => ("node_unavailable", SERVICE_UNAVAILABLE, "A node of the graph cannot run on this server"),
    StorageFull => ("storage_full", INSUFFICIENT_STORAGE, "The server's file storage is full; nothing was kept, retry later"),
}

/// One invalid field of a request, named by its JSON path.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// RFC 9457 problem details, as sent on every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Stable URI naming the error kind.
    #[schema(example = "/problems/tenant_not_found")]
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The slug of `type`, convenient for switch statements.
    #[schema(example = "tenant_not_found")]
    pub code: String,
    /// For `validation_failed`: every invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The error type every handler returns.
#[derive(Debug)]
pub struct ApiError {
    pub code: Code,
    pub detail: String,
    pub errors: Vec<FieldError>,
    /// Seconds a client should wait before retrying (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// A code whose title says it all.
    pub fn of(code: Code) -> Self {
        Self::new(code, code.title())
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        Self {
            code: Code::ValidationFailed,
            detail,
            errors,
            retry_after: None,
        }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, message)])
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(Code::Forbidden, detail)
    }

    /// An unexpected failure: the cause chain is logged, the client sees a generic detail.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            Code::Internal,
            "An unexpected error occurred; it has been logged",
        )
    }

    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("{PROBLEM_BASE}{}", self.code.slug()),
            title: self.code.title().to_string(),
            status: self.code.status().as_u16(),
            detail: self.detail.clone(),
            code: self.code.slug().to_string(),
            errors: self.errors.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.slug(), self.detail)
    }
}

impl std::error::Error for ApiError {}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status_code());
        builder.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let Some(secs) = self.retry_after {
            builder.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if matches!(
            self.code,
            Code::Unauthenticated | Code::InvalidToken | Code::InvalidApiKey
        ) {
            builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        builder.json(self.problem())
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match e {
            StoreError::Unavailable(cause) => {
                tracing::error!(error = %cause, "database unavailable");
                ApiError::of(Code::DatabaseUnavailable)
            }
            StoreError::UniqueViolation(what) => ApiError::new(Code::Conflict, what),
            StoreError::ForeignKeyViolation(what) => ApiError::new(Code::Conflict, what),
            StoreError::Query(cause) => ApiError::internal(cause),
        }
    }
}

/// Maps actix's extractor failures (bad JSON, bad query, too large) onto problem codes.
pub fn json_error_handler(
    err: actix_web::error::JsonPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match &err {
        E::OverflowKnownLength { length, limit } => ApiError::new(
            Code::PayloadTooLarge,
            format!("The body has {length} bytes; the limit is {limit}"),
        ),
        E::Overflow { limit } => ApiError::new(
            Code::PayloadTooLarge,
            format!("The body exceeds the limit of {limit} bytes"),
        ),
        E::ContentType => ApiError::new(
            Code::UnsupportedMediaType,
            "Send the body as application/json",
        ),
        E::Deserialize(e) => json_deserialize_error(e),
        _ => ApiError::new(Code::MalformedJson, "The body could not be read as JSON"),
    };
    api.into()
}

fn json_deserialize_error(e: &serde_json::Error) -> ApiError {
    // serde names the offending field in its message ("unknown field `x`", "missing field `y`").
    let msg = e.to_string();
    let field = extract_backticked(&msg).unwrap_or_else(|| "body".to_string());
    match e.classify() {
        serde_json::error::Category::Data => {
            let mut err = ApiError::field(&field, strip_position(&msg));
            err.code = Code::ValidationFailed;
            err
        }
        _ => ApiError::new(
            Code::MalformedJson,
            format!("Invalid JSON: {}", strip_position(&msg)),
        ),
    }
}

fn extract_backticked(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let end = msg[start..].find('`')? + start;
    Some(msg[start..end].to_string())
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

pub fn query_error_handler(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::new(Code::InvalidQuery, err.to_string()).into()
}

pub fn path_error_handler(
    _err: actix_web::error::PathError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    // A malformed id can name no object: answer exactly as for a missing one.
    ApiError::of(Code::NotFound).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::all() {
            assert!(seen.insert(code.slug()), "duplicate slug {}", code.slug());
            assert!(code
                .slug()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_'));
        }
    }

    #[test]
    fn validation_detail_names_fields() {
        let e = ApiError::validation(vec![
            FieldError::new("email", "is not an email address"),
            FieldError::new("password", "is too short"),
        ]);
        assert_eq!(e.code.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(e.detail.contains("email: is not an email address"));
        assert_eq!(e.problem().errors.len(), 2);
    }
}

#[cfg(test)]
mod docs_tests {
    use super::Code;

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../docs/problems.md");
        for code in Code::all() {
            let row = format!("| `{}` | {} |", code.slug(), code.status().as_u16());
            assert!(doc.contains(&row), "docs/problems.md lacks {row}");
        }
    }
}
