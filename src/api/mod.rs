//! The HTTP API: one module per resource, the route table, and the OpenAPI root.

pub mod account_recovery;
pub mod api_keys;
pub mod audit_log;
pub mod auth;
pub mod billing;
pub mod branding;
pub mod credentials;
pub mod exports;
pub mod files;
pub mod graphs;
pub mod health;
pub mod jobs;
pub mod members;
pub mod multipart;
pub mod nodes;
pub mod openai;
pub mod peer;
pub mod plans;
pub mod presets;
pub mod resellers;
pub mod revenuecat;
pub mod signup;
pub mod templates;
pub mod tenants;
pub mod translation_engines;
pub mod usage;
pub mod users;
pub mod webhooks;
pub mod workflows;

use crate::error::{ApiError, Code, FieldError, Problem};
use crate::store::repo::PageRequest;
use actix_web::App;
use base64::Engine;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi};
use utoipa_actix_web::{scope, AppExt};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Voxflow API",
        description = "Multi-tenant backend for speech workflows. Errors are RFC 9457 \
                       `application/problem+json` documents whose `type` names a stable error kind.",
        license(name = "Apache-2.0")
    ),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("api_key" = [])),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "auth", description = "Login, token refresh and the current caller"),
        (name = "api-keys", description = "Long-lived tenant credentials"),
        (name = "resellers", description = "Companies that resell Voxflow"),
        (name = "tenants", description = "Customer organisations"),
        (name = "users", description = "Accounts and roles"),
        (name = "plans", description = "Subscription plans and quotas"),
        (name = "audit-log", description = "Who changed what"),
        (name = "usage", description = "Usage reports: audio processed per day, month or range, per resource, node kind and tenant, with quotas; JSON or CSV"),
        (name = "billing", description = "Billing periods closed into immutable invoices (prorated plan time, metered overage) and reseller commission statements; printable invoices; the upcoming invoice; the reseller dashboard; subscriptions driven by RevenueCat webhooks (integrations per reseller and for the platform, the events received, each tenant's subscription status). Money is exact: decimal strings and integer cents"),
        (name = "files", description = "Audio uploads that jobs take their input from"),
        (name = "health", description = "Liveness, readiness and metrics"),
        (name = "workflows", description = "Saved, versioned workflow graphs"),
        (name = "templates", description = "Workflow templates authored by the platform and resellers, offered to tenants: versions, publishing, sharing, instances"),
        (name = "presets", description = "Node presets: named parameter sets for one node kind, owned by the platform, a reseller or a tenant and shared like templates; graph nodes name them with `preset`"),
        (name = "branding", description = "Branding with inheritance: platform, reseller and tenant configurations merged field by field, a public lookup by host for login pages, and logo/favicon images"),
        (name = "graphs", description = "Workflow graphs (React Flow or Flowise) checked against the registry"),
        (name = "jobs", description = "Run graphs as durable jobs; poll with ETags; fetch outputs"),
        (name = "webhooks", description = "Signed notifications when jobs finish, with a delivery log"),
        (name = "nodes", description = "The node registry: every node kind's ports and parameter schema"),
        (name = "exports", description = "Data exports: one ZIP archive of a tenant (every row as JSON lines, its files and artifacts, a SHA-256 manifest) or of a person's own data, built in the background and downloadable until it expires"),
        (name = "credentials", description = "Workspace credentials: a tenant's third-party secrets (DeepL, LibreTranslate keys) in one sealed store; values are never returned, rotated in place, bound to one origin"),
        (name = "translation-engines", description = "A tenant's LibreTranslate / DeepL engines for translate.text (API keys sealed, never returned), and every engine's language pairs"),
        (name = "openai", description = "OpenAI-compatible speech to text: use an API key as the bearer token with any OpenAI SDK"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from /v1/auth/login, or an API key (vf_…) as a bearer token",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "revenuecat_webhook",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "RevenueCat webhooks only: the exact header value configured for the integration",
            ))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "An API key (vf_…) created with POST /v1/api-keys",
            ))),
        );
    }
}

/// Registers every route on `app` and returns it with the OpenAPI document they describe.
pub fn build<T>(app: App<T>) -> (App<T>, utoipa::openapi::OpenApi)
where
    T: actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Error = actix_web::Error,
        InitError = (),
    >,
{
    let (app, mut spec) = app
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(
            scope::scope("/v1")
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::switch_tenant)
                .service(auth::me)
                .service(auth::my_tenants)
                .service(auth::change_password)
                .service(account_recovery::request_password_reset)
                .service(account_recovery::confirm_password_reset)
                .service(account_recovery::request_email_verification)
                .service(account_recovery::verify_email)
                .service(signup::signup)
                .service(api_keys::create_api_key)
                .service(api_keys::list_api_keys)
                .service(api_keys::get_api_key)
                .service(api_keys::delete_api_key)
                .service(resellers::create_reseller)
                .service(resellers::list_resellers)
                .service(resellers::get_reseller)
                .service(resellers::update_reseller)
                .service(resellers::delete_reseller)
                .service(tenants::create_tenant)
                .service(tenants::list_tenants)
                .service(tenants::get_tenant)
                .service(tenants::update_tenant)
                .service(tenants::delete_tenant)
                .service(members::list_members)
                .service(members::add_member)
                .service(members::update_member)
                .service(members::remove_member)
                .service(members::create_invitation)
                .service(members::list_invitations)
                .service(members::revoke_invitation)
                .service(members::accept_invitation)
                .service(users::create_user)
                .service(users::list_users)
                .service(users::get_user)
                .service(users::update_user)
                .service(users::delete_user)
                .service(users::erase_user)
                .service(exports::create_tenant_export)
                .service(exports::list_tenant_exports)
                .service(exports::create_user_export)
                .service(exports::create_my_export)
                .service(exports::list_my_exports)
                .service(exports::get_export)
                .service(exports::download_export)
                .service(plans::create_plan)
                .service(plans::list_plans)
                .service(plans::get_plan)
                .service(plans::update_plan)
                .service(plans::delete_plan)
                .service(audit_log::list_audit_log)
                .service(audit_log::get_audit_entry)
                .service(usage::get_usage)
                .service(usage::get_tenant_usage)
                .service(usage::get_reseller_usage)
                .service(usage::get_platform_usage)
                .service(billing::close_period)
                .service(billing::list_periods)
                .service(billing::list_invoices)
                .service(billing::get_invoice)
                .service(billing::get_invoice_document)
                .service(billing::get_upcoming_invoice)
                .service(billing::list_statements)
                .service(billing::get_statement)
                .service(billing::get_reseller_dashboard)
                .service(revenuecat::revenuecat_webhook)
                .service(revenuecat::get_reseller_revenuecat)
                .service(revenuecat::put_reseller_revenuecat)
                .service(revenuecat::delete_reseller_revenuecat)
                .service(revenuecat::list_reseller_revenuecat_events)
                .service(revenuecat::get_platform_revenuecat)
                .service(revenuecat::put_platform_revenuecat)
                .service(revenuecat::delete_platform_revenuecat)
                .service(revenuecat::list_platform_revenuecat_events)
                .service(revenuecat::get_tenant_subscription)
                .service(files::upload_file)
                .service(files::list_files)
                .service(files::get_file)
                .service(files::download_file)
                .service(files::delete_file)
                .service(graphs::validate_graph)
                .service(workflows::create_workflow)
                .service(workflows::list_workflows)
                .service(workflows::get_workflow)
                .service(workflows::list_workflow_versions)
                .service(workflows::get_workflow_version)
                .service(workflows::update_workflow)
                .service(workflows::delete_workflow)
                .service(templates::upgrade_workflow)
                .service(templates::create_template)
                .service(templates::list_templates)
                .service(templates::get_template)
                .service(templates::list_template_versions)
                .service(templates::get_template_version)
                .service(templates::update_template)
                .service(templates::publish_template)
                .service(templates::deprecate_template)
                .service(templates::set_template_sharing)
                .service(templates::instantiate_template)
                .service(presets::create_preset)
                .service(presets::list_presets)
                .service(presets::get_preset)
                .service(presets::update_preset)
                .service(presets::set_preset_sharing)
                .service(presets::delete_preset)
                .service(branding::get_branding)
                .service(branding::get_public_branding)
                .service(branding::get_branding_asset)
                .service(branding::create_branding_configuration)
                .service(branding::list_branding_configurations)
                .service(branding::get_branding_configuration)
                .service(branding::update_branding_configuration)
                .service(branding::delete_branding_configuration)
                .service(branding::upload_branding_asset)
                .service(branding::delete_branding_asset)
                .service(jobs::create_job)
                .service(jobs::list_jobs)
                .service(jobs::get_job)
                .service(jobs::list_job_events)
                .service(jobs::get_job_artifact)
                .service(jobs::cancel_job)
                .service(jobs::retry_job)
                .service(jobs::delete_job)
                .service(crate::realtime::ws::websocket)
                .service(webhooks::create_webhook)
                .service(webhooks::list_webhooks)
                .service(webhooks::list_deliveries)
                .service(webhooks::delete_webhook)
                .service(credentials::create_credential)
                .service(credentials::list_credentials)
                .service(credentials::get_credential)
                .service(credentials::update_credential)
                .service(credentials::delete_credential)
                .service(translation_engines::create_translation_engine)
                .service(translation_engines::list_translation_engines)
                .service(translation_engines::get_translation_engine)
                .service(translation_engines::update_translation_engine)
                .service(translation_engines::delete_translation_engine)
                .service(translation_engines::list_engine_languages)
                .service(nodes::list_nodes)
                .service(nodes::get_node)
                .service(openai::create_transcription)
                .service(openai::create_translation)
                .service(openai::list_models),
        )
        .split_for_parts();
    tidy_for_generators(&mut spec);
    document_extractor_errors(&mut spec);
    document_rate_limits(&mut spec);
    (app, spec)
}

/// Touches up what utoipa leaves awkward for client generators (openapi-python-client,
/// openapi-typescript), in one place rather than in every annotation:
/// - OpenAPI requires a `description` on every response; utoipa omits it when an annotation
///   gives none, and openapi-python-client then rejects the whole document. The gaps get the
///   status's reason phrase ("OK", "Created", …).
/// - An optional header (`Option<String>`, e.g. `If-None-Match`) comes out as nullable, so
///   generated clients accept `None` and then fail to send it; an absent header is simply
///   left out, so optional parameters drop the `null`.
fn tidy_for_generators(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{Schema, SchemaType, Type};
    use utoipa::openapi::{RefOr, Required};
    for item in spec.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            for (status, response) in op.responses.responses.iter_mut() {
                if let RefOr::T(r) = response {
                    if r.description.is_empty() {
                        r.description = status
                            .parse::<u16>()
                            .ok()
                            .and_then(|s| actix_web::http::StatusCode::from_u16(s).ok())
                            .and_then(|s| s.canonical_reason())
                            .unwrap_or("Success")
                            .to_string();
                    }
                }
            }
            for param in op.parameters.iter_mut().flatten() {
                let RefOr::T(param) = param else { continue };
                if !matches!(param.required, Required::False) {
                    continue;
                }
                if let Some(RefOr::T(Schema::Object(o))) = param.schema.as_mut() {
                    if let SchemaType::Array(types) = &o.schema_type {
                        let rest: Vec<Type> = types
                            .iter()
                            .filter(|t| **t != Type::Null)
                            .cloned()
                            .collect();
                        if let [only] = rest.as_slice() {
                            o.schema_type = SchemaType::Type(only.clone());
                        }
                    }
                }
            }
        }
    }
}

/// The answers actix's extractors give before a handler runs (`crate::error`'s
/// `json_error_handler`, `query_error_handler`, `path_error_handler`), documented once here
/// rather than in every annotation:
/// - a JSON body: `400 malformed_json` (not JSON), `415 unsupported_media_type` (another or no
///   content type, e.g. no body at all), `422 validation_failed` (a field of the wrong type, an
///   unknown or missing field);
/// - query parameters: `400 invalid_query` (a value that does not parse, an unknown parameter);
/// - path parameters: `404` (a malformed id names no object).
///
/// The OpenAI-compatible routes answer in OpenAI's error shape and keep their own annotations.
fn document_extractor_errors(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in spec.paths.paths.iter_mut() {
        if path.starts_with("/v1/audio/") || path == "/v1/models" {
            continue;
        }
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            let json_body = matches!(
                &op.request_body,
                Some(RefOr::T(b)) if b.content.contains_key("application/json")
            );
            let (mut query, mut in_path) = (false, false);
            for p in op.parameters.iter().flatten() {
                let RefOr::T(p) = p else { continue };
                match p.parameter_in {
                    ParameterIn::Query => query = true,
                    ParameterIn::Path => in_path = true,
                    _ => {}
                }
            }
            let responses = &mut op.responses.responses;
            let mut add = |status: &str, description: &str| {
                responses
                    .entry(status.to_string())
                    .or_insert_with(|| problem(description));
            };
            if json_body {
                add("400", "The body is not valid JSON (`malformed_json`)");
                add(
                    "415",
                    "The body is missing or not `application/json` (`unsupported_media_type`)",
                );
                add(
                    "422",
                    "A field has the wrong type, is unknown or is missing (`validation_failed`); \
                     `errors` names it",
                );
            }
            if query {
                add(
                    "400",
                    "A query parameter does not parse, is out of range or is unknown (`invalid_query`)",
                );
            }
            if in_path {
                add("404", "No such object (a malformed id names none)");
            }
        }
    }
}

/// Every operation a tenant's caller authenticates for (it answers 401) is rate limited
/// (`auth::rate_limit`): it gets a `429` (`rate_limited`, OpenAI shape on the OpenAI routes)
/// with `Retry-After` and the `RateLimit` / `RateLimit-Policy` headers (which every answer to
/// a limited caller carries; documented once, on the 429, to keep the document small). Login and refresh authenticate no one and keep their own throttle; the WebSocket
/// is capped by sessions instead.
fn document_rate_limits(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{Object, Type};
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    const DETAIL: &str = "The tenant's or the API key's request rate limit is reached \
                          (`rate_limited`); retry after `Retry-After` seconds";
    let header = |desc: &str, ty: Type| {
        RefOr::T(
            HeaderBuilder::new()
                .schema(Some(Object::with_type(ty)))
                .description(Some(desc))
                .build(),
        )
    };
    let policy = || {
        header(
            "The rate limits that apply (draft-ietf-httpapi-ratelimit-headers): \
             `\"tenant\";q=<requests>;w=60`, and `\"key\";q=…;w=60` for an API key with a limit",
            Type::String,
        )
    };
    let state = || {
        header(
            "What is left of each limit: `\"tenant\";r=<remaining>;t=<seconds until full>`",
            Type::String,
        )
    };
    for (path, item) in spec.paths.paths.iter_mut() {
        if path.starts_with("/v1/auth/") || path == "/v1/ws" || revenuecat::is_webhook(path) {
            continue;
        }
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        let openai = path.starts_with("/v1/audio/") || path == "/v1/models";
        for op in ops.into_iter().flatten() {
            let responses = &mut op.responses.responses;
            if !responses.contains_key("401") {
                continue;
            }
            match responses.get_mut("429") {
                Some(RefOr::T(r)) => {
                    r.description = format!("{}; or: {DETAIL}", r.description);
                    r.headers.insert(
                        "Retry-After".into(),
                        header("Seconds to wait", Type::Integer),
                    );
                    r.headers.insert("RateLimit-Policy".into(), policy());
                    r.headers.insert("RateLimit".into(), state());
                }
                Some(RefOr::Ref(_)) => {}
                None => {
                    let (ct, schema) = if openai {
                        ("application/json", "OpenAiErrorBody")
                    } else {
                        ("application/problem+json", "Problem")
                    };
                    let mut r = ResponseBuilder::new()
                        .description(DETAIL)
                        .content(
                            ct,
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name(schema)))
                                .build(),
                        )
                        .build();
                    r.headers.insert(
                        "Retry-After".into(),
                        header("Seconds to wait", Type::Integer),
                    );
                    r.headers.insert("RateLimit-Policy".into(), policy());
                    r.headers.insert("RateLimit".into(), state());
                    responses.insert("429".into(), RefOr::T(r));
                }
            }
        }
    }
}

/// The OpenAPI document, without starting anything (for `voxflow openapi` and the drift test).
pub fn openapi() -> utoipa::openapi::OpenApi {
    build(App::new()).1
}

/// Errors any authenticated read can answer with.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum ReadErrors {
    /// Missing, invalid or expired credentials.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// The caller's role (or API key) does not allow this action.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such object, or it belongs to another tenant.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// Errors any authenticated write can answer with.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum WriteErrors {
    /// Malformed JSON or an unsupported content type.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// Missing, invalid or expired credentials.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// The caller's role (or API key) does not allow this action.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such object, or it belongs to another tenant.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The change conflicts with existing data (duplicate email, plan in use, limit reached).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// One or more fields are invalid; `errors` names each.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
}

/// `?limit=&cursor=` on every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn to_request(&self) -> Result<PageRequest, ApiError> {
        let limit = self.limit.unwrap_or(50);
        if !(1..=100).contains(&limit) {
            return Err(ApiError::new(
                Code::InvalidQuery,
                "limit must be between 1 and 100",
            ));
        }
        let after = self.cursor.as_deref().map(decode_cursor).transpose()?;
        Ok(PageRequest { limit, after })
    }
}

pub fn encode_cursor(id: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.as_bytes())
}

fn decode_cursor(cursor: &str) -> Result<String, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|s| uuid::Uuid::parse_str(s).is_ok())
        .ok_or_else(|| ApiError::of(Code::InvalidCursor))
}

/// Defines `$list { items: Vec<$item>, next_cursor }`, the shape of every list response.
macro_rules! list_view {
    ($list:ident, $item:ty) => {
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $list {
            pub items: Vec<$item>,
            /// Pass as `cursor` to get the next page; absent on the last page.
            pub next_cursor: Option<String>,
        }

        impl $list {
            pub fn from_page(page: crate::store::repo::Page<$item>) -> Self {
                Self {
                    items: page.items,
                    next_cursor: page.next.as_deref().map(crate::api::encode_cursor),
                }
            }
        }
    };
}
pub(crate) use list_view;

pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

pub fn parse_uuid(s: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(s).unwrap_or_default()
}

pub fn parse_uuid_opt(s: Option<&str>) -> Option<uuid::Uuid> {
    s.and_then(|s| uuid::Uuid::parse_str(s).ok())
}

/// For PATCH bodies: distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Collects field errors so a request reports every problem at once.
#[derive(Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn check(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.errors.push(FieldError::new(field, message));
        }
    }

    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        let len = value.trim().chars().count();
        self.check(len >= 1, field, "must not be empty");
        self.check(
            len <= max,
            field,
            &format!("must be at most {max} characters"),
        );
    }

    pub fn email(&mut self, field: &str, value: &str) {
        self.check(is_email(value), field, "must be an email address");
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}

/// A plausible email address (one `@`, a dotted domain, no spaces).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.len() <= 254
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

/// Emails are matched case-insensitively: stored trimmed and lower-cased.
pub fn normalize_email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Parses an exact decimal amount with at most two decimals ("19.99") into hundredths.
pub fn parse_hundredths(s: &str) -> Option<i64> {
    crate::billing::money::parse_decimal(s, crate::billing::money::CENT_DECIMALS)
}

/// Formats hundredths as an exact decimal string ("19.90").
pub fn format_hundredths(v: i64) -> String {
    crate::billing::money::format_cents(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(parse_hundredths("19.99"), Some(1999));
        assert_eq!(parse_hundredths("19.9"), Some(1990));
        assert_eq!(parse_hundredths("7"), Some(700));
        assert_eq!(parse_hundredths("0.05"), Some(5));
        for bad in ["", "1.234", "-1", "1e3", "abc", ".5", "1.", "1,00"] {
            assert_eq!(parse_hundredths(bad), None, "{bad}");
        }
        assert_eq!(format_hundredths(1999), "19.99");
        assert_eq!(format_hundredths(5), "0.05");
    }

    #[test]
    fn emails() {
        assert!(is_email("a@b.io"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a b@c.io"));
        assert!(!is_email("@c.io"));
        assert_eq!(normalize_email(" A@B.IO "), "a@b.io");
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let id = uuid::Uuid::now_v7().to_string();
        assert_eq!(decode_cursor(&encode_cursor(&id)).expect("cursor"), id);
        assert!(decode_cursor("not-a-cursor").is_err());
    }
}
