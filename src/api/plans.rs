//! `/v1/plans`: subscription plans. System plans (no reseller) are the platform's; a
//! reseller admin manages its own plans and sells system plans too. Tenant users read
//! the plans on offer to them. Prices are exact decimal strings, stored in cents.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::error::{ApiError, Code};
use crate::plan_features::PlanFeatures;
use crate::store;
use crate::store::repo::{self, plans::PlanChanges, plans::PlanRow};
use crate::tenancy::Role;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    pub id: Uuid,
    /// Null for system plans offered by the platform.
    pub reseller_id: Option<Uuid>,
    pub name: String,
    pub description: Option<String>,
    /// ISO 4217 code.
    pub currency: String,
    #[schema(example = "19.00")]
    pub price_monthly: String,
    #[schema(example = "190.00")]
    pub price_yearly: String,
    /// Price of each minute of billed audio beyond `processing_quota_minutes` in a billing
    /// period (exact, up to five decimals; metered by the millisecond; docs/billing.md).
    #[schema(example = "0.006")]
    pub overage_price_per_minute: String,
    pub storage_quota_mb: i32,
    pub processing_quota_minutes: i32,
    pub max_users: i32,
    pub max_concurrent_jobs: i32,
    /// Days its tenants' uploaded files and job artifacts are kept before the sweeper purges
    /// them (docs/data-lifecycle.md); null: kept until deleted.
    pub retention_days: Option<i32>,
    /// What the plan lets its tenants use (docs/plans.md); absent fields mean no limit.
    pub features: PlanFeatures,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<PlanRow> for PlanView {
    fn from(r: PlanRow) -> Self {
        let features = r.features();
        PlanView {
            id: super::parse_uuid(&r.id),
            reseller_id: super::parse_uuid_opt(r.reseller_id.as_deref()),
            name: r.name,
            description: r.description,
            currency: r.currency,
            price_monthly: super::format_hundredths(r.price_monthly_cents),
            price_yearly: super::format_hundredths(r.price_yearly_cents),
            overage_price_per_minute: crate::billing::money::format_millicents(
                r.overage_millicents_per_minute,
            ),
            storage_quota_mb: r.storage_quota_mb,
            processing_quota_minutes: r.processing_quota_minutes,
            max_users: r.max_users,
            max_concurrent_jobs: r.max_concurrent_jobs,
            retention_days: r.retention_days,
            features,
            created_at: super::utc(r.created_at),
            updated_at: super::utc(r.updated_at),
        }
    }
}

list_view!(PlanList, PlanView);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlanRequest {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    pub description: Option<String>,
    /// Platform admins only: the reseller owning the plan (none: a system plan).
    pub reseller_id: Option<Uuid>,
    /// ISO 4217 code; default `USD`.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    #[schema(example = "19.00", pattern = r"^\s*[0-9]{1,12}(\.[0-9]{1,2})?\s*$")]
    pub price_monthly: String,
    #[schema(example = "190.00", pattern = r"^\s*[0-9]{1,12}(\.[0-9]{1,2})?\s*$")]
    pub price_yearly: String,
    /// Price of a minute beyond the included ones (up to five decimals); default `0`.
    #[schema(example = "0.006", pattern = r"^\s*[0-9]{1,12}(\.[0-9]{1,5})?\s*$")]
    pub overage_price_per_minute: Option<String>,
    #[schema(minimum = 0)]
    pub storage_quota_mb: i32,
    #[schema(minimum = 0)]
    pub processing_quota_minutes: i32,
    #[schema(minimum = 1)]
    pub max_users: i32,
    /// Jobs a tenant may run at once (default 2).
    #[schema(minimum = 1)]
    pub max_concurrent_jobs: Option<i32>,
    /// Days files and job artifacts are kept (1 to 36500); absent: kept until deleted.
    #[schema(minimum = 1, maximum = 36500)]
    pub retention_days: Option<i32>,
    /// What the plan lets its tenants use; unknown keys are refused (`422`, naming the key).
    #[schema(value_type = Option<PlanFeatures>)]
    pub features: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePlanRequest {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    #[schema(pattern = r"^\s*[0-9]{1,12}(\.[0-9]{1,2})?\s*$")]
    pub price_monthly: Option<String>,
    #[schema(pattern = r"^\s*[0-9]{1,12}(\.[0-9]{1,2})?\s*$")]
    pub price_yearly: Option<String>,
    /// Applies to billing periods closed from now on (docs/billing.md).
    #[schema(pattern = r"^\s*[0-9]{1,12}(\.[0-9]{1,5})?\s*$")]
    pub overage_price_per_minute: Option<String>,
    #[schema(minimum = 0)]
    pub storage_quota_mb: Option<i32>,
    #[schema(minimum = 0)]
    pub processing_quota_minutes: Option<i32>,
    #[schema(minimum = 1)]
    pub max_users: Option<i32>,
    #[schema(minimum = 1)]
    pub max_concurrent_jobs: Option<i32>,
    /// Applies at the next sweep, to what is stored already too; null: kept until deleted.
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 36500)]
    pub retention_days: Option<Option<i32>>,
    /// What the plan lets its tenants use; unknown keys are refused (`422`, naming the key).
    #[schema(value_type = Option<PlanFeatures>)]
    pub features: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlanListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    pub reseller_id: Option<Uuid>,
}

fn price(v: &mut Validator, field: &str, raw: &str) -> i64 {
    super::parse_hundredths(raw).unwrap_or_else(|| {
        v.push(
            field,
            "must be a non-negative decimal with at most two decimals, as a string",
        );
        0
    })
}

fn rate(v: &mut Validator, raw: &str) -> i64 {
    crate::billing::money::parse_decimal(raw, crate::billing::money::MILLICENT_DECIMALS)
        .unwrap_or_else(|| {
            v.push(
                "overage_price_per_minute",
                "must be a non-negative decimal with at most five decimals, as a string",
            );
            0
        })
}

fn non_negative(v: &mut Validator, field: &str, value: Option<i32>) {
    if let Some(x) = value {
        v.check(x >= 0, field, "must not be negative");
    }
}

fn currency(v: &mut Validator, raw: &str) {
    v.check(
        raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_uppercase()),
        "currency",
        "must be a three-letter ISO 4217 code such as USD",
    );
}

/// Parses `features` strictly (every unknown key or bad value named), checks its node
/// kinds against the registry, and reconciles `max_concurrent_jobs` and `retention_days`
/// with the columns of the same names: either sets both; both given must agree.
fn features(
    v: &mut Validator,
    registry: &voxflow_nodes::Registry,
    value: &Option<serde_json::Value>,
    max_concurrent_jobs: &mut Option<i32>,
    retention_days: &mut Option<i32>,
) -> Option<PlanFeatures> {
    let f = match PlanFeatures::parse(value.as_ref()?) {
        Ok(f) => f,
        Err(errors) => {
            for e in errors {
                v.push(&e.field, &e.message);
            }
            return None;
        }
    };
    for kind in f.allowed_node_kinds.iter().flatten() {
        v.check(
            registry.get(kind).is_some(),
            "features.allowed_node_kinds",
            &format!("`{kind}` is not a node kind (see GET /v1/nodes)"),
        );
    }
    reconcile(
        v,
        "max_concurrent_jobs",
        f.max_concurrent_jobs,
        max_concurrent_jobs,
    );
    reconcile(v, "retention_days", f.retention_days, retention_days);
    Some(f)
}

/// A feature that is also a column: the feature's value sets the column; both given must
/// agree.
fn reconcile(v: &mut Validator, name: &str, feature: Option<u32>, column: &mut Option<i32>) {
    if let Some(m) = feature {
        let m = i32::try_from(m).unwrap_or(i32::MAX);
        match column {
            Some(c) if *c != m => v.push(
                &format!("features.{name}"),
                format!("must equal {name} when both are given"),
            ),
            _ => *column = Some(m),
        }
    }
}

/// Creates a plan (platform admins: system or reseller plans; reseller admins: their own).
#[utoipa::path(tag = "plans", request_body = CreatePlanRequest, responses((status = 201, body = PlanView), WriteErrors))]
#[post("/plans")]
pub async fn create_plan(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreatePlanRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::PlansWrite)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    v.text("name", &body.name, 100);
    let cur = body.currency.clone().unwrap_or_else(|| "USD".into());
    currency(&mut v, &cur);
    let monthly = price(&mut v, "price_monthly", &body.price_monthly);
    let yearly = price(&mut v, "price_yearly", &body.price_yearly);
    let overage = body
        .overage_price_per_minute
        .as_deref()
        .map_or(0, |r| rate(&mut v, r));
    non_negative(&mut v, "storage_quota_mb", Some(body.storage_quota_mb));
    non_negative(
        &mut v,
        "processing_quota_minutes",
        Some(body.processing_quota_minutes),
    );
    v.check(body.max_users >= 1, "max_users", "must be at least 1");
    if let Some(j) = body.max_concurrent_jobs {
        v.check(j >= 1, "max_concurrent_jobs", "must be at least 1");
    }
    let (mut max_jobs, mut retention) = (body.max_concurrent_jobs, body.retention_days);
    let plan_features = features(
        &mut v,
        &state.registry,
        &body.features,
        &mut max_jobs,
        &mut retention,
    );
    super::tenants::check_retention(&mut v, retention);
    let reseller_id = match authed.role() {
        Role::PlatformAdmin => body.reseller_id,
        _ => {
            if body
                .reseller_id
                .is_some_and(|r| Some(r) != authed.principal.reseller_id)
            {
                return Err(ApiError::of(Code::ResellerNotFound));
            }
            authed.principal.reseller_id
        }
    };
    v.finish()?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let row = state
        .store
        .write(scope, move |c| {
            let reseller_id = reseller_id.map(|r| r.to_string());
            if let Some(r) = &reseller_id {
                if repo::resellers::get(c, &scope, r)?.is_none() {
                    return Ok(Err(ApiError::of(Code::ResellerNotFound)));
                }
            }
            let now = store::now();
            let row = PlanRow {
                id: store::new_id(),
                reseller_id: reseller_id.clone(),
                name: body.name.trim().to_string(),
                description: body.description,
                currency: cur,
                price_monthly_cents: monthly,
                price_yearly_cents: yearly,
                storage_quota_mb: body.storage_quota_mb,
                processing_quota_minutes: body.processing_quota_minutes,
                max_users: body.max_users,
                max_concurrent_jobs: max_jobs.unwrap_or(2),
                features: plan_features.unwrap_or_default().to_stored(),
                created_at: now,
                updated_at: now,
                overage_millicents_per_minute: overage,
                retention_days: retention,
            };
            repo::plans::insert(c, &row)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "plan.create",
                    target_type: "plan",
                    target_id: Some(row.id.clone()),
                    tenant_id: None,
                    reseller_id,
                    details: serde_json::json!({"name": row.name}),
                },
            )?;
            Ok(Ok(row))
        })
        .await??;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/plans/{}", row.id)))
        .json(PlanView::from(row)))
}

/// Lists the plans visible to the caller.
#[utoipa::path(tag = "plans", params(PlanListQuery), responses((status = 200, body = PlanList), ReadErrors))]
#[get("/plans")]
pub async fn list_plans(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<PlanListQuery>,
) -> Result<web::Json<PlanList>, ApiError> {
    authed.require(Action::PlansRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let reseller = q.reseller_id.map(|r| r.to_string());
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| {
            repo::plans::list(c, &scope, &page, reseller.as_deref())
        })
        .await?;
    Ok(web::Json(PlanList::from_page(rows.map(PlanView::from))))
}

/// Reads one plan.
#[utoipa::path(tag = "plans", params(("id" = Uuid, Path)), responses((status = 200, body = PlanView), ReadErrors))]
#[get("/plans/{id}")]
pub async fn get_plan(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<PlanView>, ApiError> {
    authed.require(Action::PlansRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let row = state
        .store
        .read(scope, move |c| repo::plans::get(c, &scope, &id))
        .await?
        .ok_or_else(|| ApiError::of(Code::PlanNotFound))?;
    Ok(web::Json(PlanView::from(row)))
}

/// Updates a plan the caller owns.
#[utoipa::path(tag = "plans", params(("id" = Uuid, Path)), request_body = UpdatePlanRequest, responses((status = 200, body = PlanView), WriteErrors))]
#[patch("/plans/{id}")]
pub async fn update_plan(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdatePlanRequest>,
) -> Result<web::Json<PlanView>, ApiError> {
    authed.require(Action::PlansWrite)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    if let Some(n) = &body.name {
        v.text("name", n, 100);
    }
    if let Some(c) = &body.currency {
        currency(&mut v, c);
    }
    let monthly = body
        .price_monthly
        .as_deref()
        .map(|p| price(&mut v, "price_monthly", p));
    let yearly = body
        .price_yearly
        .as_deref()
        .map(|p| price(&mut v, "price_yearly", p));
    let overage = body
        .overage_price_per_minute
        .as_deref()
        .map(|r| rate(&mut v, r));
    non_negative(&mut v, "storage_quota_mb", body.storage_quota_mb);
    non_negative(
        &mut v,
        "processing_quota_minutes",
        body.processing_quota_minutes,
    );
    if let Some(m) = body.max_users {
        v.check(m >= 1, "max_users", "must be at least 1");
    }
    if let Some(j) = body.max_concurrent_jobs {
        v.check(j >= 1, "max_concurrent_jobs", "must be at least 1");
    }
    let mut max_jobs = body.max_concurrent_jobs;
    // `retention_days: null` clears it; a value in `features` sets it.
    let mut retention = body.retention_days.flatten();
    let plan_features = features(
        &mut v,
        &state.registry,
        &body.features,
        &mut max_jobs,
        &mut retention,
    );
    let retention_days = match (body.retention_days, retention) {
        (_, Some(d)) => Some(Some(d)),
        (given, None) => given,
    };
    super::tenants::check_retention(&mut v, retention);
    v.finish()?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let changes = PlanChanges {
        name: body.name.map(|n| n.trim().to_string()),
        description: body.description,
        currency: body.currency,
        price_monthly_cents: monthly,
        price_yearly_cents: yearly,
        storage_quota_mb: body.storage_quota_mb,
        processing_quota_minutes: body.processing_quota_minutes,
        max_users: body.max_users,
        max_concurrent_jobs: max_jobs,
        features: plan_features.map(|f| f.to_stored()),
        updated_at: Some(store::now()),
        overage_millicents_per_minute: overage,
        retention_days,
    };
    let row = state
        .store
        .write(scope, move |c| {
            let Some(updated) = repo::plans::update(c, &scope, &id, &changes)? else {
                return Ok(Err(not_writable(c, &scope, &id)?));
            };
            audit::record(
                c,
                &actor,
                Event {
                    action: "plan.update",
                    target_type: "plan",
                    target_id: Some(id.clone()),
                    tenant_id: None,
                    reseller_id: updated.reseller_id.clone(),
                    details: serde_json::json!({}),
                },
            )?;
            Ok(Ok(updated))
        })
        .await??;
    Ok(web::Json(PlanView::from(row)))
}

/// A plan the caller can read but not change (a system plan, for a reseller) is 403;
/// one it cannot even read is 404.
fn not_writable(
    c: &mut store::DbConn,
    scope: &crate::tenancy::Scope,
    id: &str,
) -> Result<ApiError, store::StoreError> {
    Ok(match repo::plans::get(c, scope, id)? {
        Some(_) => ApiError::forbidden("Only the plan's owner can change it"),
        None => ApiError::of(Code::PlanNotFound),
    })
}

/// Deletes a plan that no tenant uses.
#[utoipa::path(tag = "plans", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/plans/{id}")]
pub async fn delete_plan(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::PlansWrite)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    state
        .store
        .write(scope, move |c| {
            let Some(plan) = repo::plans::get_writable(c, &scope, &id)? else {
                return Ok(Err(not_writable(c, &scope, &id)?));
            };
            let users = repo::tenants::count_on_plan(c, &id)?;
            if users > 0 {
                return Ok(Err(ApiError::new(
                    Code::PlanInUse,
                    format!("{users} tenant(s) are on this plan; move them first"),
                )));
            }
            repo::tenants::detach_plan_from_deleted(c, &id)?;
            repo::plans::delete(c, &id)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "plan.delete",
                    target_type: "plan",
                    target_id: Some(id.clone()),
                    tenant_id: None,
                    reseller_id: plan.reseller_id,
                    details: serde_json::json!({"name": plan.name}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}
