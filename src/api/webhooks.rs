//! `/v1/webhooks`: tenant endpoints notified when jobs finish, and the delivery log.
//!
//! A tenant has at most `webhook_max_endpoints` endpoints (`webhook_limit_reached` past it).
//! Secrets are shown once, at creation, and stored sealed. Members delete only endpoints they
//! registered; tenant admins delete any.

use super::{ReadErrors, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{secrets, Action, Authed};
use crate::error::{ApiError, Code};
use crate::store;
use crate::webhooks::{self as hooks, DeliveryRow, EndpointRow};
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

const EVENTS: &[&str] = &["job.succeeded", "job.failed", "job.cancelled"];

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: Uuid,
    pub url: String,
    /// Event types delivered (all final job events when empty).
    pub events: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl From<EndpointRow> for WebhookView {
    fn from(r: EndpointRow) -> Self {
        WebhookView {
            id: super::parse_uuid(&r.id),
            url: r.url,
            events: serde_json::from_str(&r.events).unwrap_or_default(),
            created_at: super::utc(r.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhookView {
    /// Verifies `Voxflow-Signature`; shown only now.
    pub secret: String,
    #[serde(flatten)]
    pub webhook: WebhookView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// An `http(s)` URL whose host resolves to an address webhooks may reach.
    #[schema(
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][A-Za-z0-9._~!$&'()*+,;=:%/?#-]*)?$"
    )]
    pub url: String,
    /// Subset of `job.succeeded`, `job.failed`, `job.cancelled`; default all.
    #[serde(default)]
    #[schema(value_type = Vec<WebhookEvent>)]
    pub events: Vec<String>,
}

/// A job event a webhook endpoint can subscribe to (`EVENTS`).
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub enum WebhookEvent {
    #[serde(rename = "job.succeeded")]
    JobSucceeded,
    #[serde(rename = "job.failed")]
    JobFailed,
    #[serde(rename = "job.cancelled")]
    JobCancelled,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: Uuid,
    pub job_id: Option<Uuid>,
    /// Null for a job's own `webhook_url`.
    pub endpoint_id: Option<Uuid>,
    pub url: String,
    pub event_type: String,
    /// `pending`, `delivered` or `failed` (after 8 attempts).
    pub status: String,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRow> for DeliveryView {
    fn from(r: DeliveryRow) -> Self {
        DeliveryView {
            id: super::parse_uuid(&r.id),
            job_id: super::parse_uuid_opt(r.job_id.as_deref()),
            endpoint_id: super::parse_uuid_opt(r.endpoint_id.as_deref()),
            url: r.url,
            event_type: r.event_type,
            status: r.status,
            attempts: r.attempts,
            last_status: r.last_status,
            last_error: r.last_error,
            next_attempt_at: super::utc(r.next_attempt_at),
            created_at: super::utc(r.created_at),
            delivered_at: r.delivered_at.map(super::utc),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub items: Vec<DeliveryView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    pub job_id: Option<Uuid>,
    /// At most this many, newest first (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

// At most `webhook_max_endpoints` per tenant: `409 webhook_limit_reached` past it.
/// Registers an endpoint for the tenant's job events.
#[utoipa::path(tag = "webhooks", request_body = CreateWebhookRequest, responses((status = 201, body = CreatedWebhookView), WriteErrors))]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::JobsWrite)?;
    let Some(tenant_id) = authed.principal.tenant_id else {
        return Err(ApiError::forbidden("Webhooks belong to tenants"));
    };
    let body = body.into_inner();
    let mut v = super::Validator::default();
    for e in &body.events {
        v.check(
            EVENTS.contains(&e.as_str()),
            "events",
            &format!("`{e}` is not one of {}", EVENTS.join(", ")),
        );
    }
    let url = body.url.clone();
    let allow_private = state.settings.url_allow_private;
    let checked = web::block(move || {
        crate::fetch::check_destination(&url, &crate::fetch::policy(allow_private))
    })
    .await
    .map_err(ApiError::internal)?;
    if let Err(e) = checked {
        v.push("url", e.to_string());
    }
    v.finish()?;
    let secret = format!("whsec_{}", secrets::random_token(32));
    let id = store::new_id();
    let tenant_id = tenant_id.to_string();
    let row = EndpointRow {
        secret: state
            .sealing
            .seal(&secret, &hooks::endpoint_context(&tenant_id, &id)),
        id,
        tenant_id,
        url: body.url,
        events: serde_json::to_string(&body.events).map_err(ApiError::internal)?,
        created_at: store::now(),
        deleted_at: None,
        created_by: Some(authed.principal.user_id.to_string()),
    };
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let max = i64::from(state.settings.webhook_max_endpoints);
    let row = state
        .store
        .write(scope, move |c| {
            crate::engine::admission::lock_tenant(c, &row.tenant_id)?;
            let features = crate::plan_features::for_tenant_id(c, &row.tenant_id)?;
            if let Some(plan_max) = features.max_webhook_endpoints {
                let plan_max = i64::from(plan_max);
                if plan_max < max && hooks::count_endpoints(c, &row.tenant_id)? >= plan_max {
                    return Ok(Err(ApiError::new(
                        Code::PlanLimitReached,
                        format!(
                            "The tenant's plan allows {plan_max} webhook endpoints \
                             (max_webhook_endpoints) and the tenant has as many; delete one \
                             first or upgrade the plan"
                        ),
                    )));
                }
            }
            if hooks::count_endpoints(c, &row.tenant_id)? >= max {
                return Ok(Err(ApiError::new(
                    Code::WebhookLimitReached,
                    format!(
                        "The tenant already has {max} webhook endpoints, the most it may have; \
                         delete one first"
                    ),
                )));
            }
            hooks::insert_endpoint(c, &row)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "webhook.create",
                    target_type: "webhook",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(row.tenant_id.clone()),
                    reseller_id: reseller,
                    details: serde_json::json!({"url": row.url}),
                },
            )?;
            Ok(Ok(row))
        })
        .await??;
    Ok(HttpResponse::Created().json(CreatedWebhookView {
        secret,
        webhook: WebhookView::from(row),
    }))
}

/// Lists the tenant's webhook endpoints (never their secrets).
#[utoipa::path(tag = "webhooks", responses((status = 200, body = WebhookList), ReadErrors))]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    authed: Authed,
) -> Result<web::Json<WebhookList>, ApiError> {
    authed.require(Action::JobsRead)?;
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| hooks::list_endpoints(c, &scope))
        .await?;
    Ok(web::Json(WebhookList {
        items: rows.into_iter().map(WebhookView::from).collect(),
    }))
}

/// The delivery log: every attempt's outcome, newest first.
#[utoipa::path(tag = "webhooks", params(DeliveryQuery), responses((status = 200, body = DeliveryList), ReadErrors))]
#[get("/webhooks/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<DeliveryQuery>,
) -> Result<web::Json<DeliveryList>, ApiError> {
    authed.require(Action::JobsRead)?;
    let limit = query.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::new(
            Code::InvalidQuery,
            "limit must be between 1 and 500",
        ));
    }
    let job = query.job_id.map(|j| j.to_string());
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| {
            hooks::list_deliveries(c, &scope, job.as_deref(), limit)
        })
        .await?;
    Ok(web::Json(DeliveryList {
        items: rows.into_iter().map(DeliveryView::from).collect(),
    }))
}

// Members delete only the endpoints they registered, tenant admins any (`403` otherwise).
/// Removes a webhook endpoint.
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::JobsWrite)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let tenant = authed.principal.tenant_id.map(|t| t.to_string());
    let id = id.to_string();
    // Tenant admins (and platform staff) manage every endpoint; a member only their own.
    let owner_only = !matches!(
        authed.role(),
        crate::tenancy::Role::TenantAdmin | crate::tenancy::Role::PlatformAdmin
    );
    let me = authed.principal.user_id.to_string();
    let found = state
        .store
        .write(scope, move |c| {
            let Some(endpoint) = hooks::get_endpoint(c, &scope, &id)? else {
                return Ok(Ok(false));
            };
            if owner_only && endpoint.created_by.as_deref() != Some(me.as_str()) {
                return Ok(Err(ApiError::forbidden(
                    "Members may delete only the webhook endpoints they registered; ask a \
                     tenant admin",
                )));
            }
            if !hooks::delete_endpoint(c, &scope, &id)? {
                return Ok(Ok(false));
            }
            audit::record(
                c,
                &actor,
                Event {
                    action: "webhook.delete",
                    target_type: "webhook",
                    target_id: Some(id.clone()),
                    tenant_id: tenant,
                    reseller_id: None,
                    details: serde_json::json!({}),
                },
            )?;
            Ok(Ok(true))
        })
        .await??;
    if !found {
        return Err(ApiError::of(Code::WebhookNotFound));
    }
    Ok(HttpResponse::NoContent().finish())
}
