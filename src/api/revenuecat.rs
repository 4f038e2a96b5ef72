//! RevenueCat (docs/revenuecat.md): the webhook RevenueCat posts to
//! (`POST /v1/billing/revenuecat/webhook`, authenticated by the `Authorization` header value
//! configured for the integration), the integrations of resellers
//! (`/v1/resellers/{id}/revenuecat`) and of the platform (`/v1/platform/revenuecat`) with what
//! they received (`…/events`), and a tenant's subscription status
//! (`GET /v1/tenants/{id}/subscription`).

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::extractor::RequestMeta;
use crate::auth::{Action, Authed};
use crate::billing::revenuecat::{
    self as rc, AppUserMapping, EntitlementMapping, Mappings, ProductMapping, RevenueCatWebhookAck,
};
use crate::error::{ApiError, Code, FieldError};
use crate::store::repo::revenuecat::{ConfigRow, EventRow, Owner, SubscriptionRow};
use crate::store::{self, repo, StoreError};
use crate::tenancy::{Role, Scope};
use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Where RevenueCat posts (the URL to enter in its dashboard, after the server's origin).
pub const WEBHOOK_PATH: &str = "/v1/billing/revenuecat/webhook";

/// A webhook body as RevenueCat sends it (any JSON is accepted and stored).
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct RevenueCatWebhookBody {
    #[schema(example = "1.0")]
    pub api_version: Option<String>,
    /// The event: `id`, `type`, `app_user_id`, `event_timestamp_ms`, `product_id`,
    /// `entitlement_ids`, … (RevenueCat's "Event Types and Fields").
    #[schema(value_type = Object)]
    pub event: serde_json::Value,
}

/// Receives a RevenueCat webhook. The `Authorization` header must be the value configured
/// for a reseller's or the platform's integration (`401` otherwise, and nothing is stored).
/// Every authenticated body is stored and answered `200` — unknown event types and
/// malformed JSON included, so RevenueCat stops retrying; they are listed at
/// `…/revenuecat/events?outcome=unknown,malformed`. A replayed event id changes nothing
/// (`outcome: duplicate`); an event older than the one a tenant's subscription already
/// reflects is recorded and not applied (`stale`).
#[utoipa::path(
    tag = "billing",
    request_body(content = RevenueCatWebhookBody, description = "RevenueCat's webhook body; stored as sent, whatever it holds"),
    security(("revenuecat_webhook" = [])),
    responses(
        (status = 200, body = RevenueCatWebhookAck, description = "Received (applied, recorded, or a replay)"),
        (status = 401, content_type = "application/problem+json", body = crate::error::Problem, description = "No Authorization header (`unauthenticated`), or one no integration is configured with (`invalid_webhook_authorization`)"),
        (status = 413, content_type = "application/problem+json", body = crate::error::Problem, description = "The body is larger than `VOXFLOW_MAX_JSON_BODY_BYTES`"),
    )
)]
#[post("/billing/revenuecat/webhook")]
pub async fn revenuecat_webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    meta: RequestMeta,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let Some(header) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Err(ApiError::new(
            Code::Unauthenticated,
            "A RevenueCat webhook carries the Authorization header value configured for its integration",
        ));
    };
    let presented = header.as_bytes().to_vec();
    let config = state
        .store
        .read(Scope::System, move |c| rc::integration_for(c, &presented))
        .await?
        .ok_or_else(|| ApiError::of(Code::InvalidWebhookAuthorization))?;
    let limit = state.settings.max_json_body_bytes;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::new(Code::BadRequest, e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::new(
                Code::PayloadTooLarge,
                format!("The body is larger than {limit} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let scope = match Owner::of_row(&config) {
        Owner::Platform => Scope::Platform,
        Owner::Reseller(r) => Scope::Reseller {
            reseller_id: super::parse_uuid(&r),
        },
    };
    let actor = Actor {
        user_id: None,
        api_key_id: None,
        request_id: meta.request_id.clone(),
        ip: meta.ip.clone(),
    };
    let (raw_type, raw_id) = match rc::RcEvent::parse(&body) {
        Ok(e) => (e.type_, e.id),
        Err(_) => (None, None),
    };
    // A unique index refusing the write means another delivery committed first: the same
    // event id (a replay: answered `duplicate`), or another event creating the same tenant's
    // subscription row (then this one is processed again, and finds the row).
    let owner = Owner::of_row(&config);
    let mut attempts = 0;
    let ack = loop {
        attempts += 1;
        let (config, actor, for_write) = (config.clone(), actor.clone(), body.clone());
        match state
            .store
            .write(scope, move |c| {
                rc::receive(c, &scope, &config, &for_write, &actor)
            })
            .await
        {
            Ok(ack) => break ack,
            Err(StoreError::UniqueViolation(what)) => {
                let (owner, id) = (owner.clone(), raw_id.clone());
                let replay = match id {
                    Some(id) => state
                        .store
                        .read(scope, move |c| {
                            repo::revenuecat::event_by_event_id(c, &scope, &owner, &id)
                        })
                        .await?
                        .is_some(),
                    None => false,
                };
                if replay {
                    break RevenueCatWebhookAck {
                        received: true,
                        event_id: raw_id.clone(),
                        outcome: "duplicate".into(),
                        tenant_ids: Vec::new(),
                    };
                }
                if attempts >= 3 {
                    return Err(StoreError::UniqueViolation(what).into());
                }
            }
            Err(e) => return Err(e.into()),
        }
    };
    let kind = raw_type.as_deref().and_then(rc::Kind::parse);
    state
        .metrics
        .revenuecat_events
        .with_label_values(&[rc::Kind::label(kind, raw_type.as_deref()), &ack.outcome])
        .inc();
    Ok(HttpResponse::Ok().json(ack))
}

/// A RevenueCat integration: how its webhooks are recognised and what they map to.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueCatConfigView {
    pub id: Uuid,
    /// `platform` (tenants sold directly) or `reseller`.
    pub level: String,
    pub reseller_id: Option<Uuid>,
    /// The header value to enter as "Authorization header value" in RevenueCat's webhook
    /// settings. Shown only in the answer to the `PUT` that set or generated it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
    /// The last four characters of the header value.
    pub authorization_hint: String,
    /// The path to enter as the webhook URL (after this server's public origin).
    #[schema(example = "/v1/billing/revenuecat/webhook")]
    pub webhook_path: String,
    pub app_user_id_is_tenant_id: bool,
    pub app_users: Vec<AppUserMapping>,
    pub entitlements: Vec<EntitlementMapping>,
    pub products: Vec<ProductMapping>,
    pub apply_sandbox: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RevenueCatConfigView {
    fn of(row: &ConfigRow, authorization: Option<String>) -> Self {
        let m = Mappings::of(row);
        RevenueCatConfigView {
            id: super::parse_uuid(&row.id),
            level: row.level.clone(),
            reseller_id: super::parse_uuid_opt(row.reseller_id.as_deref()),
            authorization,
            authorization_hint: row.authorization_hint.clone(),
            webhook_path: WEBHOOK_PATH.into(),
            app_user_id_is_tenant_id: row.app_user_id_is_tenant_id,
            app_users: m.app_users,
            entitlements: m.entitlements,
            products: m.products,
            apply_sandbox: row.apply_sandbox,
            created_at: super::utc(row.created_at),
            updated_at: super::utc(row.updated_at),
        }
    }
}

/// The whole integration (`PUT` replaces every mapping; `authorization` is kept when absent).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutRevenueCatConfig {
    /// The exact `Authorization` header value RevenueCat will send (16–512 visible ASCII
    /// characters, no surrounding spaces; e.g. `Bearer …`). Absent: kept, or generated when
    /// the integration is new. Only its SHA-256 is stored.
    #[schema(pattern = "^[!-~][ -~]{14,510}[!-~]$")]
    pub authorization: Option<String>,
    /// Generate a new header value (the old one stops working at once).
    #[serde(default)]
    pub rotate_authorization: bool,
    /// Map an App User ID that is one of the owner's tenant ids to that tenant (default true:
    /// call RevenueCat's `logIn` with the tenant id).
    pub app_user_id_is_tenant_id: Option<bool>,
    /// Explicit App User ID → tenant mappings, checked before `app_user_id_is_tenant_id`.
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub app_users: Vec<AppUserMapping>,
    /// Entitlement → plan, in priority order.
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub entitlements: Vec<EntitlementMapping>,
    /// Product → plan; a product mapping wins over entitlement mappings.
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub products: Vec<ProductMapping>,
    /// Apply `SANDBOX` events too (default false: they are recorded only).
    #[serde(default)]
    pub apply_sandbox: bool,
}

const MAX_MAPPINGS: usize = 10_000;

fn valid_header_value(v: &str) -> bool {
    let len = v.chars().count();
    (16..=512).contains(&len) && v.bytes().all(|b| (0x20..0x7f).contains(&b)) && v.trim() == v
}

fn validate(body: &PutRevenueCatConfig) -> Result<(), ApiError> {
    let mut v = Validator::default();
    if let Some(a) = &body.authorization {
        v.check(
            valid_header_value(a),
            "authorization",
            "must be 16 to 512 visible ASCII characters without surrounding spaces",
        );
        v.check(
            !body.rotate_authorization,
            "rotate_authorization",
            "give either authorization or rotate_authorization",
        );
    }
    for (field, n) in [
        ("app_users", body.app_users.len()),
        ("entitlements", body.entitlements.len()),
        ("products", body.products.len()),
    ] {
        v.check(
            n <= MAX_MAPPINGS,
            field,
            &format!("at most {MAX_MAPPINGS} mappings"),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (i, m) in body.app_users.iter().enumerate() {
        v.text(&format!("app_users[{i}].app_user_id"), &m.app_user_id, 512);
        v.check(
            seen.insert(m.app_user_id.clone()),
            &format!("app_users[{i}].app_user_id"),
            "is mapped twice",
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (i, m) in body.entitlements.iter().enumerate() {
        v.text(
            &format!("entitlements[{i}].entitlement_id"),
            &m.entitlement_id,
            255,
        );
        v.check(
            seen.insert(m.entitlement_id.clone()),
            &format!("entitlements[{i}].entitlement_id"),
            "is mapped twice",
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (i, m) in body.products.iter().enumerate() {
        v.text(&format!("products[{i}].product_id"), &m.product_id, 255);
        v.check(
            seen.insert(m.product_id.clone()),
            &format!("products[{i}].product_id"),
            "is mapped twice",
        );
    }
    v.finish()
}

/// The owner a reseller route names, for a caller allowed to manage it (`404` for another
/// reseller's id, exactly like a missing one).
fn reseller_owner(authed: &Authed, id: Uuid, action: Action) -> Result<Owner, ApiError> {
    authed.require(action)?;
    match authed.role() {
        Role::PlatformAdmin => Ok(Owner::Reseller(id.to_string())),
        Role::ResellerAdmin if authed.principal.reseller_id == Some(id) => {
            Ok(Owner::Reseller(id.to_string()))
        }
        Role::ResellerAdmin => Err(ApiError::of(Code::ResellerNotFound)),
        _ => Err(ApiError::forbidden(
            "Only reseller and platform admins manage RevenueCat integrations",
        )),
    }
}

fn platform_owner(authed: &Authed, action: Action) -> Result<Owner, ApiError> {
    authed.require(action)?;
    if authed.role() != Role::PlatformAdmin {
        return Err(ApiError::forbidden(
            "Only platform admins manage the platform's RevenueCat integration",
        ));
    }
    Ok(Owner::Platform)
}

/// `reseller_not_found` unless the owner is the platform or a reseller the scope sees.
fn owner_exists(
    c: &mut store::DbConn,
    scope: &Scope,
    owner: &Owner,
) -> Result<Result<(), ApiError>, StoreError> {
    Ok(match owner {
        Owner::Platform => Ok(()),
        Owner::Reseller(r) => match repo::resellers::get(c, scope, r)? {
            Some(_) => Ok(()),
            None => Err(ApiError::of(Code::ResellerNotFound)),
        },
    })
}

async fn read_config(
    state: web::Data<AppState>,
    authed: Authed,
    owner: Owner,
) -> Result<HttpResponse, ApiError> {
    let scope = authed.scope();
    let row = state
        .store
        .read(scope, move |c| {
            if let Err(e) = owner_exists(c, &scope, &owner)? {
                return Ok(Err(e));
            }
            Ok(repo::revenuecat::config_of(c, &scope, &owner)?
                .ok_or_else(|| ApiError::of(Code::RevenuecatConfigNotFound)))
        })
        .await??;
    Ok(HttpResponse::Ok().json(RevenueCatConfigView::of(&row, None)))
}

async fn put_config(
    state: web::Data<AppState>,
    authed: Authed,
    owner: Owner,
    body: PutRevenueCatConfig,
) -> Result<HttpResponse, ApiError> {
    validate(&body)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let user_id = authed.principal.user_id.to_string();
    let (row, shown, created) = state
        .store
        .write(scope, move |c| {
            if let Err(e) = owner_exists(c, &scope, &owner)? {
                return Ok(Err(e));
            }
            let existing = repo::revenuecat::config_of(c, &scope, &owner)?;
            // Tenants and plans must be the owner's to map to.
            let mut errors = Vec::new();
            for (i, m) in body.app_users.iter().enumerate() {
                let ok = repo::tenants::get(c, &scope, &m.tenant_id.to_string())?
                    .is_some_and(|t| t.reseller_id == owner.reseller_id());
                if !ok {
                    errors.push(FieldError::new(
                        format!("app_users[{i}].tenant_id"),
                        "is not a tenant of this integration's owner",
                    ));
                }
            }
            let plans = body
                .entitlements
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("entitlements[{i}].plan_id"), m.plan_id))
                .chain(
                    body.products
                        .iter()
                        .enumerate()
                        .map(|(i, m)| (format!("products[{i}].plan_id"), m.plan_id)),
                )
                .collect::<Vec<_>>();
            for (field, plan_id) in plans {
                let ok = repo::plans::get(c, &Scope::System, &plan_id.to_string())?
                    .is_some_and(|p| p.reseller_id.is_none() || p.reseller_id == owner.reseller_id());
                if !ok {
                    errors.push(FieldError::new(
                        field,
                        "is not a plan this integration's tenants may use",
                    ));
                }
            }
            if !errors.is_empty() {
                return Ok(Err(ApiError::validation(errors)));
            }
            let (digest, hint, shown) =
                match (&body.authorization, body.rotate_authorization, &existing) {
                    (Some(a), _, _) => (rc::digest_hex(a.as_bytes()), rc::hint(a), Some(a.clone())),
                    (None, false, Some(e)) => (
                        e.authorization_sha256.clone(),
                        e.authorization_hint.clone(),
                        None,
                    ),
                    (None, _, _) => {
                        let a = rc::new_authorization();
                        (rc::digest_hex(a.as_bytes()), rc::hint(&a), Some(a))
                    }
                };
            if let Some(other) = repo::revenuecat::config_by_digest(c, &digest)? {
                if existing.as_ref().is_none_or(|e| e.id != other.id) {
                    return Ok(Err(ApiError::new(
                        Code::Conflict,
                        "Another RevenueCat integration uses this Authorization value; choose another (or omit it to have one generated)",
                    )));
                }
            }
            let now = store::now();
            let row = ConfigRow {
                id: existing
                    .as_ref()
                    .map(|e| e.id.clone())
                    .unwrap_or_else(store::new_id),
                level: owner.level().into(),
                reseller_id: owner.reseller_id(),
                authorization_sha256: digest,
                authorization_hint: hint,
                app_user_id_is_tenant_id: body.app_user_id_is_tenant_id.unwrap_or(true),
                app_users: serde_json::to_string(&body.app_users).unwrap_or_else(|_| "[]".into()),
                entitlements: serde_json::to_string(&body.entitlements)
                    .unwrap_or_else(|_| "[]".into()),
                products: serde_json::to_string(&body.products).unwrap_or_else(|_| "[]".into()),
                apply_sandbox: body.apply_sandbox,
                created_by: existing
                    .as_ref()
                    .map(|e| e.created_by.clone())
                    .unwrap_or(Some(user_id)),
                created_at: existing.as_ref().map(|e| e.created_at).unwrap_or(now),
                updated_at: now,
            };
            repo::revenuecat::save_config(c, &row, existing.is_some())?;
            audit::record(
                c,
                &actor,
                Event {
                    action: if existing.is_some() {
                        "revenuecat.config.update"
                    } else {
                        "revenuecat.config.create"
                    },
                    target_type: "revenuecat_config",
                    target_id: Some(row.id.clone()),
                    tenant_id: None,
                    reseller_id: owner.reseller_id(),
                    details: serde_json::json!({
                        "level": row.level,
                        "authorization_changed": shown.is_some(),
                        "app_users": body.app_users.len(),
                        "entitlements": body.entitlements.len(),
                        "products": body.products.len(),
                        "apply_sandbox": row.apply_sandbox,
                    }),
                },
            )?;
            Ok(Ok((row, shown, existing.is_none())))
        })
        .await??;
    let view = RevenueCatConfigView::of(&row, shown);
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

async fn delete_config(
    state: web::Data<AppState>,
    authed: Authed,
    owner: Owner,
) -> Result<HttpResponse, ApiError> {
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    state
        .store
        .write(scope, move |c| {
            if let Err(e) = owner_exists(c, &scope, &owner)? {
                return Ok(Err(e));
            }
            let Some(row) = repo::revenuecat::config_of(c, &scope, &owner)? else {
                return Ok(Err(ApiError::of(Code::RevenuecatConfigNotFound)));
            };
            repo::revenuecat::delete_config(c, &row.id)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "revenuecat.config.delete",
                    target_type: "revenuecat_config",
                    target_id: Some(row.id.clone()),
                    tenant_id: None,
                    reseller_id: owner.reseller_id(),
                    details: serde_json::json!({"level": row.level}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// One webhook as received.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueCatEventView {
    pub id: Uuid,
    /// RevenueCat's event id (none for a malformed body).
    pub event_id: Option<String>,
    pub event_type: Option<String>,
    pub app_user_id: Option<String>,
    pub tenant_ids: Vec<Uuid>,
    pub event_timestamp_ms: Option<i64>,
    pub environment: Option<String>,
    /// `applied`, `stale`, `recorded`, `test`, `unmapped`, `sandbox`, `unknown` or `malformed`.
    pub outcome: String,
    pub detail: String,
    /// The body exactly as received.
    pub payload: String,
    pub received_at: DateTime<Utc>,
}

impl From<EventRow> for RevenueCatEventView {
    fn from(r: EventRow) -> Self {
        let tenant_ids: Vec<String> = serde_json::from_str(&r.tenant_ids).unwrap_or_default();
        RevenueCatEventView {
            id: super::parse_uuid(&r.id),
            event_id: r.event_id,
            event_type: r.event_type,
            app_user_id: r.app_user_id,
            tenant_ids: tenant_ids
                .iter()
                .filter_map(|t| Uuid::parse_str(t).ok())
                .collect(),
            event_timestamp_ms: r.event_timestamp_ms,
            environment: r.environment,
            outcome: r.outcome,
            detail: r.detail,
            payload: r.payload,
            received_at: super::utc(r.received_at),
        }
    }
}

list_view!(RevenueCatEventList, RevenueCatEventView);

const OUTCOMES: &[&str] = &[
    "applied",
    "stale",
    "recorded",
    "test",
    "unmapped",
    "unknown",
    "malformed",
    "sandbox",
];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    /// Comma-separated outcomes to list (e.g. `unknown,malformed,unmapped`); default all.
    #[param(
        pattern = r"^\s*(applied|stale|recorded|test|unmapped|unknown|malformed|sandbox)?\s*(,\s*(applied|stale|recorded|test|unmapped|unknown|malformed|sandbox)?\s*)*$"
    )]
    pub outcome: Option<String>,
}

async fn list_events(
    state: web::Data<AppState>,
    authed: Authed,
    owner: Owner,
    q: EventListQuery,
) -> Result<HttpResponse, ApiError> {
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let outcomes: Vec<String> = q
        .outcome
        .as_deref()
        .map(|s| {
            s.split(',')
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if let Some(bad) = outcomes.iter().find(|o| !OUTCOMES.contains(&o.as_str())) {
        return Err(ApiError::new(
            Code::InvalidQuery,
            format!("unknown outcome {bad:?}; one of {}", OUTCOMES.join(", ")),
        ));
    }
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| {
            if let Err(e) = owner_exists(c, &scope, &owner)? {
                return Ok(Err(e));
            }
            Ok(Ok(repo::revenuecat::list_events(
                c, &scope, &owner, &outcomes, &page,
            )?))
        })
        .await??;
    Ok(HttpResponse::Ok().json(RevenueCatEventList::from_page(
        rows.map(RevenueCatEventView::from),
    )))
}

/// Reads a reseller's RevenueCat integration (its admins, platform admins).
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path)), responses((status = 200, body = RevenueCatConfigView), ReadErrors))]
#[get("/resellers/{id}/revenuecat")]
pub async fn get_reseller_revenuecat(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let owner = reseller_owner(&authed, *id, Action::BillingRead)?;
    read_config(state, authed, owner).await
}

/// Creates (`201`) or replaces (`200`) a reseller's RevenueCat integration. The answer shows
/// the `authorization` header value once when this request set or generated it.
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path)), request_body = PutRevenueCatConfig, responses((status = 200, body = RevenueCatConfigView), (status = 201, body = RevenueCatConfigView), WriteErrors))]
#[put("/resellers/{id}/revenuecat")]
pub async fn put_reseller_revenuecat(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<PutRevenueCatConfig>,
) -> Result<HttpResponse, ApiError> {
    let owner = reseller_owner(&authed, *id, Action::BillingWrite)?;
    put_config(state, authed, owner, body.into_inner()).await
}

/// Deletes a reseller's RevenueCat integration (its webhooks answer `401` from then on; the
/// events it received are kept).
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/resellers/{id}/revenuecat")]
pub async fn delete_reseller_revenuecat(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let owner = reseller_owner(&authed, *id, Action::BillingWrite)?;
    delete_config(state, authed, owner).await
}

/// Lists the webhooks a reseller's integration received, newest first.
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path), EventListQuery), responses((status = 200, body = RevenueCatEventList), ReadErrors))]
#[get("/resellers/{id}/revenuecat/events")]
pub async fn list_reseller_revenuecat_events(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    query: web::Query<EventListQuery>,
) -> Result<HttpResponse, ApiError> {
    let owner = reseller_owner(&authed, *id, Action::BillingRead)?;
    list_events(state, authed, owner, query.into_inner()).await
}

/// Reads the platform's RevenueCat integration (for tenants sold directly; platform admins).
#[utoipa::path(tag = "billing", responses((status = 200, body = RevenueCatConfigView), ReadErrors))]
#[get("/platform/revenuecat")]
pub async fn get_platform_revenuecat(
    state: web::Data<AppState>,
    authed: Authed,
) -> Result<HttpResponse, ApiError> {
    let owner = platform_owner(&authed, Action::BillingRead)?;
    read_config(state, authed, owner).await
}

/// Creates (`201`) or replaces (`200`) the platform's RevenueCat integration.
#[utoipa::path(tag = "billing", request_body = PutRevenueCatConfig, responses((status = 200, body = RevenueCatConfigView), (status = 201, body = RevenueCatConfigView), WriteErrors))]
#[put("/platform/revenuecat")]
pub async fn put_platform_revenuecat(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<PutRevenueCatConfig>,
) -> Result<HttpResponse, ApiError> {
    let owner = platform_owner(&authed, Action::BillingWrite)?;
    put_config(state, authed, owner, body.into_inner()).await
}

/// Deletes the platform's RevenueCat integration.
#[utoipa::path(tag = "billing", responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/platform/revenuecat")]
pub async fn delete_platform_revenuecat(
    state: web::Data<AppState>,
    authed: Authed,
) -> Result<HttpResponse, ApiError> {
    let owner = platform_owner(&authed, Action::BillingWrite)?;
    delete_config(state, authed, owner).await
}

/// Lists the webhooks the platform's integration received, newest first.
#[utoipa::path(tag = "billing", params(EventListQuery), responses((status = 200, body = RevenueCatEventList), ReadErrors))]
#[get("/platform/revenuecat/events")]
pub async fn list_platform_revenuecat_events(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<EventListQuery>,
) -> Result<HttpResponse, ApiError> {
    let owner = platform_owner(&authed, Action::BillingRead)?;
    list_events(state, authed, owner, query.into_inner()).await
}

/// What RevenueCat last said about a tenant.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueCatSubscriptionView {
    pub app_user_id: String,
    pub product_id: Option<String>,
    pub entitlement_ids: Vec<String>,
    /// `NORMAL`, `TRIAL`, `INTRO`, … as RevenueCat sent it.
    pub period_type: Option<String>,
    pub store: Option<String>,
    pub environment: Option<String>,
    pub original_transaction_id: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// False after a CANCELLATION (or EXPIRATION), true after an UNCANCELLATION or renewal.
    pub will_renew: Option<bool>,
    /// The product a PRODUCT_CHANGE announced, until a renewal or purchase carries it.
    pub pending_product_id: Option<String>,
    /// When a paused (Google Play) subscription resumes.
    pub auto_resume_at: Option<DateTime<Utc>>,
    pub last_event_id: String,
    pub last_event_type: String,
    pub last_event_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<SubscriptionRow> for RevenueCatSubscriptionView {
    fn from(r: SubscriptionRow) -> Self {
        RevenueCatSubscriptionView {
            app_user_id: r.app_user_id,
            product_id: r.product_id,
            entitlement_ids: serde_json::from_str(&r.entitlement_ids).unwrap_or_default(),
            period_type: r.period_type,
            store: r.store,
            environment: r.environment,
            original_transaction_id: r.original_transaction_id,
            expires_at: r.expires_at.map(super::utc),
            will_renew: r.will_renew,
            pending_product_id: r.pending_product_id,
            auto_resume_at: r.auto_resume_at.map(super::utc),
            last_event_id: r.last_event_id,
            last_event_type: r.last_event_type,
            last_event_at: DateTime::from_timestamp_millis(r.last_event_at_ms),
            updated_at: super::utc(r.updated_at),
        }
    }
}

/// A tenant's subscription: its status and plan, whether new work is admitted, and what
/// RevenueCat last said (absent when no RevenueCat event has reached it).
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionStatusView {
    pub tenant_id: Uuid,
    /// `active`, `trial`, `past_due`, `expired` or `cancelled`.
    pub subscription_status: String,
    pub subscription_plan_id: Option<Uuid>,
    pub subscription_id: Option<String>,
    pub past_due_since: Option<DateTime<Utc>>,
    /// For `past_due`: when the grace period (`VOXFLOW_PAST_DUE_GRACE_DAYS`) ends.
    pub grace_ends_at: Option<DateTime<Utc>>,
    /// Whether admission's subscription step lets new work in now (reads always work).
    pub admits_new_work: bool,
    /// `revenuecat` when RevenueCat events drive it, else `manual`.
    pub source: String,
    pub revenuecat: Option<RevenueCatSubscriptionView>,
}

/// Reads a tenant's subscription status (tenant admins their own tenant's, reseller admins
/// their tenants', platform admins every one; another reseller's tenant is `404`).
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path)), responses((status = 200, body = SubscriptionStatusView), ReadErrors))]
#[get("/tenants/{id}/subscription")]
pub async fn get_tenant_subscription(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<SubscriptionStatusView>, ApiError> {
    authed.require(Action::BillingRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let grace = chrono::TimeDelta::days(i64::from(state.settings.past_due_grace_days));
    let (tenant, sub) = state
        .store
        .read(scope, move |c| {
            let Some(t) = repo::tenants::get(c, &scope, &id)? else {
                return Ok(Err(ApiError::of(Code::TenantNotFound)));
            };
            let sub = repo::revenuecat::subscription(c, &scope, &id)?;
            Ok(Ok((t, sub)))
        })
        .await??;
    let since = (tenant.subscription_status == "past_due")
        .then(|| tenant.past_due_since.unwrap_or(tenant.updated_at));
    let grace_ends = since.map(|s| s + grace);
    let admits = match tenant.subscription_status.as_str() {
        "cancelled" | "expired" => false,
        // Admission refuses once more than the grace period has passed since past_due_since.
        "past_due" => grace_ends.is_some_and(|g| store::now() <= g),
        _ => true,
    };
    Ok(web::Json(SubscriptionStatusView {
        tenant_id: super::parse_uuid(&tenant.id),
        subscription_status: tenant.subscription_status,
        subscription_plan_id: super::parse_uuid_opt(tenant.subscription_plan_id.as_deref()),
        subscription_id: tenant.subscription_id,
        past_due_since: tenant.past_due_since.map(super::utc),
        grace_ends_at: grace_ends.map(super::utc),
        admits_new_work: admits,
        source: if sub.is_some() {
            "revenuecat"
        } else {
            "manual"
        }
        .into(),
        revenuecat: sub.map(RevenueCatSubscriptionView::from),
    }))
}

/// A request to `WEBHOOK_PATH` is never rate limited by tenant (it has no tenant caller).
pub fn is_webhook(path: &str) -> bool {
    path == WEBHOOK_PATH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values() {
        assert!(valid_header_value("Bearer 0123456789abcdef"));
        assert!(!valid_header_value("short"));
        assert!(!valid_header_value(" Bearer 0123456789abcdef"));
        assert!(!valid_header_value("Bearer 0123456789abcdef\n"));
        assert!(!valid_header_value("Bearer 0123456789abcdé"));
    }
}
