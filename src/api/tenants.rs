//! `/v1/tenants`: customer organisations.
//!
//! Platform admins manage every tenant; reseller admins their own tenants; a tenant admin
//! may rename its tenant; tenant users read their own tenant.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::error::{ApiError, Code};
use crate::store;
use crate::store::repo::{self, tenants::TenantChanges, tenants::TenantFilter, tenants::TenantRow};
use crate::tenancy::{Role, Scope};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantView {
    pub id: Uuid,
    pub reseller_id: Option<Uuid>,
    pub name: String,
    pub domain: Option<String>,
    pub subscription_plan_id: Option<Uuid>,
    /// External billing reference (e.g. a RevenueCat subscription id).
    pub subscription_id: Option<String>,
    /// `active`, `trial`, `past_due`, `expired` or `cancelled`.
    pub subscription_status: String,
    /// When the subscription became `past_due` (null otherwise): new work is admitted for
    /// `VOXFLOW_PAST_DUE_GRACE_DAYS` from then.
    pub past_due_since: Option<DateTime<Utc>>,
    /// `month` (pays the plan's monthly price) or `year` (its yearly price, spread evenly
    /// over the year; docs/billing.md).
    #[schema(example = "month")]
    pub billing_interval: String,
    /// Overrides of the plan's quotas; null means the plan's value applies.
    pub storage_quota_mb: Option<i32>,
    pub processing_quota_minutes: Option<i32>,
    /// Days uploaded files and job artifacts are kept before the sweeper purges them,
    /// overriding the plan's `retention_days`; null means the plan's value applies
    /// (docs/data-lifecycle.md).
    pub retention_days: Option<i32>,
    /// `active` or `suspended`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TenantRow> for TenantView {
    fn from(r: TenantRow) -> Self {
        TenantView {
            id: super::parse_uuid(&r.id),
            reseller_id: super::parse_uuid_opt(r.reseller_id.as_deref()),
            name: r.name,
            domain: r.domain,
            subscription_plan_id: super::parse_uuid_opt(r.subscription_plan_id.as_deref()),
            subscription_id: r.subscription_id,
            subscription_status: r.subscription_status,
            past_due_since: r.past_due_since.map(super::utc),
            billing_interval: r.billing_interval,
            storage_quota_mb: r.storage_quota_mb,
            processing_quota_minutes: r.processing_quota_minutes,
            retention_days: r.retention_days,
            status: r.status,
            created_at: super::utc(r.created_at),
            updated_at: super::utc(r.updated_at),
        }
    }
}

list_view!(TenantList, TenantView);

const SUBSCRIPTION_STATUSES: &[&str] = &["active", "trial", "past_due", "expired", "cancelled"];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTenantRequest {
    #[schema(
        example = "Acme Studios",
        min_length = 1,
        max_length = 255,
        pattern = r"\S"
    )]
    pub name: String,
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub domain: Option<String>,
    /// Platform admins only: the reseller that sells to this tenant (none: sold directly).
    pub reseller_id: Option<Uuid>,
    pub subscription_plan_id: Option<Uuid>,
    pub subscription_id: Option<String>,
    #[schema(pattern = "^(active|trial|past_due|expired|cancelled)$")]
    pub subscription_status: Option<String>,
    /// `month` (default) or `year`.
    #[schema(pattern = "^(month|year)$")]
    pub billing_interval: Option<String>,
    #[schema(minimum = 0)]
    pub storage_quota_mb: Option<i32>,
    #[schema(minimum = 0)]
    pub processing_quota_minutes: Option<i32>,
    /// Overrides the plan's `retention_days` (1 to 36500).
    #[schema(minimum = 1, maximum = 36500)]
    pub retention_days: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTenantRequest {
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 255, pattern = r"\S")]
    pub domain: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub subscription_plan_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>)]
    pub subscription_id: Option<Option<String>>,
    #[schema(pattern = "^(active|trial|past_due|expired|cancelled)$")]
    pub subscription_status: Option<String>,
    /// `month` or `year` (platform and reseller admins).
    #[schema(pattern = "^(month|year)$")]
    pub billing_interval: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<i32>, minimum = 0)]
    pub storage_quota_mb: Option<Option<i32>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<i32>, minimum = 0)]
    pub processing_quota_minutes: Option<Option<i32>>,
    /// Overrides the plan's `retention_days` (platform and reseller admins); null: the
    /// plan's value applies again.
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 36500)]
    pub retention_days: Option<Option<i32>>,
    /// `active` or `suspended` (platform and reseller admins). A suspended tenant is
    /// read-only: reads and downloads work, every change answers `tenant_suspended`.
    #[schema(pattern = "^(active|suspended)$")]
    pub status: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TenantListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    pub status: Option<String>,
    pub reseller_id: Option<Uuid>,
    /// Case-insensitive substring of the name.
    pub name: Option<String>,
}

const BILLING_INTERVALS: &[&str] = &["month", "year"];

fn check_interval(v: &mut Validator, value: Option<&str>) {
    if let Some(i) = value {
        v.check(
            BILLING_INTERVALS.contains(&i),
            "billing_interval",
            "must be month or year",
        );
    }
}

/// Retention is counted in whole days, up to a century.
pub fn check_retention(v: &mut Validator, value: Option<i32>) {
    if let Some(d) = value {
        v.check(
            (1..=36_500).contains(&d),
            "retention_days",
            "must be between 1 and 36500 days",
        );
    }
}

fn check_quota(v: &mut Validator, field: &str, value: Option<i32>) {
    if let Some(q) = value {
        v.check(q >= 0, field, "must not be negative");
    }
}

/// Creates a tenant (platform and reseller admins).
#[utoipa::path(tag = "tenants", request_body = CreateTenantRequest, responses((status = 201, body = TenantView), WriteErrors))]
#[post("/tenants")]
pub async fn create_tenant(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateTenantRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::TenantsWrite)?;
    if authed.role().is_tenant_role() {
        return Err(ApiError::forbidden(
            "Only platform and reseller admins create tenants",
        ));
    }
    let body = body.into_inner();
    let mut v = Validator::default();
    v.text("name", &body.name, 255);
    if let Some(d) = &body.domain {
        v.text("domain", d, 255);
    }
    if let Some(s) = &body.subscription_status {
        v.check(
            SUBSCRIPTION_STATUSES.contains(&s.as_str()),
            "subscription_status",
            "must be active, trial, past_due, expired or cancelled",
        );
    }
    check_interval(&mut v, body.billing_interval.as_deref());
    check_quota(&mut v, "storage_quota_mb", body.storage_quota_mb);
    check_retention(&mut v, body.retention_days);
    check_quota(
        &mut v,
        "processing_quota_minutes",
        body.processing_quota_minutes,
    );
    if authed.role() == Role::ResellerAdmin {
        if let (Some(r), Some(mine)) = (body.reseller_id, authed.principal.reseller_id) {
            if r != mine {
                return Err(ApiError::of(Code::ResellerNotFound));
            }
        }
    }
    v.finish()?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let reseller_id = match authed.role() {
        Role::ResellerAdmin => authed.principal.reseller_id,
        _ => body.reseller_id,
    };
    let row = state
        .store
        .write(scope, move |c| {
            let reseller_id = reseller_id.map(|r| r.to_string());
            if let Some(r) = &reseller_id {
                if repo::resellers::get(c, &scope, r)?.is_none() {
                    return Ok(Err(ApiError::of(Code::ResellerNotFound)));
                }
            }
            let plan_id = body.subscription_plan_id.map(|p| p.to_string());
            if let Some(p) = &plan_id {
                if !plan_usable(c, p, reseller_id.as_deref())? {
                    return Ok(Err(ApiError::of(Code::PlanNotFound)));
                }
            }
            let now = store::now();
            let row = TenantRow {
                id: store::new_id(),
                reseller_id: reseller_id.clone(),
                name: body.name.trim().to_string(),
                domain: body.domain.map(|d| d.trim().to_lowercase()),
                subscription_plan_id: plan_id,
                subscription_id: body.subscription_id,
                subscription_status: body.subscription_status.unwrap_or_else(|| "active".into()),
                branding_configuration_id: None,
                storage_quota_mb: body.storage_quota_mb,
                processing_quota_minutes: body.processing_quota_minutes,
                status: "active".into(),
                created_at: now,
                updated_at: now,
                past_due_since: None,
                billing_interval: body.billing_interval.unwrap_or_else(|| "month".into()),
                purge_after: None,
                purged_at: None,
                retention_days: body.retention_days,
            };
            let row = TenantRow {
                past_due_since: (row.subscription_status == "past_due").then_some(now),
                ..row
            };
            repo::tenants::insert(c, &row)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "tenant.create",
                    target_type: "tenant",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(row.id.clone()),
                    reseller_id,
                    details: serde_json::json!({"name": row.name}),
                },
            )?;
            Ok(Ok(row))
        })
        .await??;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/tenants/{}", row.id)))
        .json(TenantView::from(row)))
}

/// A tenant may use system plans and its own reseller's plans.
fn plan_usable(
    c: &mut store::DbConn,
    plan_id: &str,
    reseller_id: Option<&str>,
) -> Result<bool, store::StoreError> {
    Ok(match repo::plans::get(c, &Scope::System, plan_id)? {
        Some(p) => p.reseller_id.is_none() || p.reseller_id.as_deref() == reseller_id,
        None => false,
    })
}

/// Lists tenants visible to the caller, newest first.
#[utoipa::path(tag = "tenants", params(TenantListQuery), responses((status = 200, body = TenantList), ReadErrors))]
#[get("/tenants")]
pub async fn list_tenants(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<TenantListQuery>,
) -> Result<web::Json<TenantList>, ApiError> {
    authed.require(Action::TenantsRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let filter = TenantFilter {
        status: q.status,
        reseller_id: q.reseller_id.map(|r| r.to_string()),
        name_contains: q.name,
    };
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| {
            repo::tenants::list(c, &scope, &page, &filter)
        })
        .await?;
    Ok(web::Json(TenantList::from_page(rows.map(TenantView::from))))
}

/// Reads one tenant.
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path)), responses((status = 200, body = TenantView), ReadErrors))]
#[get("/tenants/{id}")]
pub async fn get_tenant(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<TenantView>, ApiError> {
    authed.require(Action::TenantsRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let row = state
        .store
        .read(scope, move |c| repo::tenants::get(c, &scope, &id))
        .await?
        .ok_or_else(|| ApiError::of(Code::TenantNotFound))?;
    Ok(web::Json(TenantView::from(row)))
}

/// Updates a tenant. Tenant admins may change only `name` and `domain`.
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path)), request_body = UpdateTenantRequest, responses((status = 200, body = TenantView), WriteErrors))]
#[patch("/tenants/{id}")]
pub async fn update_tenant(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdateTenantRequest>,
) -> Result<web::Json<TenantView>, ApiError> {
    authed.require(Action::TenantsWrite)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    if let Some(n) = &body.name {
        v.text("name", n, 255);
    }
    if let Some(Some(d)) = &body.domain {
        v.text("domain", d, 255);
    }
    if let Some(s) = &body.subscription_status {
        v.check(
            SUBSCRIPTION_STATUSES.contains(&s.as_str()),
            "subscription_status",
            "must be active, trial, past_due, expired or cancelled",
        );
    }
    if let Some(s) = &body.status {
        v.check(
            s == "active" || s == "suspended",
            "status",
            "must be active or suspended",
        );
    }
    check_interval(&mut v, body.billing_interval.as_deref());
    check_quota(&mut v, "storage_quota_mb", body.storage_quota_mb.flatten());
    check_retention(&mut v, body.retention_days.flatten());
    check_quota(
        &mut v,
        "processing_quota_minutes",
        body.processing_quota_minutes.flatten(),
    );
    if authed.role().is_tenant_role() {
        let admin_only = [
            ("subscription_plan_id", body.subscription_plan_id.is_some()),
            ("subscription_id", body.subscription_id.is_some()),
            ("subscription_status", body.subscription_status.is_some()),
            ("billing_interval", body.billing_interval.is_some()),
            ("storage_quota_mb", body.storage_quota_mb.is_some()),
            (
                "processing_quota_minutes",
                body.processing_quota_minutes.is_some(),
            ),
            ("retention_days", body.retention_days.is_some()),
            ("status", body.status.is_some()),
        ];
        for (field, present) in admin_only {
            v.check(
                !present,
                field,
                "only your reseller or the platform can change this",
            );
        }
    }
    v.finish()?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let row = state
        .store
        .write(scope, move |c| {
            let Some(current) = repo::tenants::get(c, &scope, &id)? else {
                return Ok(Err(ApiError::of(Code::TenantNotFound)));
            };
            if let Some(Some(p)) = &body.subscription_plan_id {
                if !plan_usable(c, &p.to_string(), current.reseller_id.as_deref())? {
                    return Ok(Err(ApiError::of(Code::PlanNotFound)));
                }
            }
            let now = store::now();
            // The grace period runs from when the status became past_due: set on the change
            // to past_due, kept while it stays so, cleared when it leaves.
            let past_due_since = match body.subscription_status.as_deref() {
                Some("past_due") if current.subscription_status != "past_due" => Some(Some(now)),
                Some("past_due") | None => None,
                Some(_) => Some(None),
            };
            let changes = TenantChanges {
                name: body.name.map(|n| n.trim().to_string()),
                domain: body.domain.map(|d| d.map(|d| d.trim().to_lowercase())),
                subscription_plan_id: body.subscription_plan_id.map(|p| p.map(|p| p.to_string())),
                subscription_id: body.subscription_id,
                subscription_status: body.subscription_status,
                storage_quota_mb: body.storage_quota_mb,
                processing_quota_minutes: body.processing_quota_minutes,
                status: body.status,
                updated_at: Some(now),
                past_due_since,
                billing_interval: body.billing_interval,
                retention_days: body.retention_days,
                ..Default::default()
            };
            let updated = repo::tenants::update(c, &scope, &id, &changes)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "tenant.update",
                    target_type: "tenant",
                    target_id: Some(id.clone()),
                    tenant_id: Some(id.clone()),
                    reseller_id: current.reseller_id.clone(),
                    details: serde_json::json!({}),
                },
            )?;
            Ok(updated.ok_or_else(|| ApiError::of(Code::TenantNotFound)))
        })
        .await??;
    Ok(web::Json(TenantView::from(row)))
}

/// Deletes a tenant: it disappears from the API at once, its API keys are revoked, its
/// queued jobs cancelled and running ones asked to stop, and its members' accounts deleted —
/// except those that belong to other tenants too, which only lose this membership. After
/// `VOXFLOW_TENANT_PURGE_GRACE_SECS` the sweeper purges its data (docs/data-lifecycle.md;
/// usage and invoices stay); the `tenant.delete` audit entry says when (`purge_after`).
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/tenants/{id}")]
pub async fn delete_tenant(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::TenantsWrite)?;
    if authed.role().is_tenant_role() {
        return Err(ApiError::forbidden(
            "Only platform and reseller admins delete tenants",
        ));
    }
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let grace = chrono::TimeDelta::seconds(state.settings.tenant_purge_grace_secs);
    // Which members belong to other (live) tenants too: they lose this membership and keep
    // their account; the others' accounts are deleted with the tenant. Read as the service:
    // the caller's scope may not see those other tenants.
    let lookup = id.clone();
    let (sole, shared) = state
        .store
        .read(Scope::System, move |c| {
            let mut sole = Vec::new();
            let mut shared = Vec::new();
            for m in repo::memberships::all_in_tenant(c, &lookup)? {
                let others: Vec<String> =
                    repo::memberships::of_user(c, &Scope::System, &m.user_id)?
                        .into_iter()
                        .filter(|o| o.tenant_id != lookup)
                        .map(|o| o.tenant_id)
                        .collect();
                let live_elsewhere = repo::tenants::with_ids(c, &others)?
                    .iter()
                    .any(|t| t.status != "deleted");
                if live_elsewhere {
                    shared.push(m);
                } else {
                    sole.push(m.user_id);
                }
            }
            Ok((sole, shared))
        })
        .await?;
    state
        .store
        .write(scope, move |c| {
            let Some(current) = repo::tenants::get(c, &scope, &id)? else {
                return Ok(Err(ApiError::of(Code::TenantNotFound)));
            };
            let now = store::now();
            let purge_after = now + grace;
            repo::tenants::update(
                c,
                &scope,
                &id,
                &TenantChanges {
                    status: Some("deleted".into()),
                    updated_at: Some(now),
                    purge_after: Some(Some(purge_after)),
                    ..Default::default()
                },
            )?;
            // Its work stops: cancellation writes events, webhooks and usage settlements
            // as the engine does, as the service.
            store::switch_scope(c, Scope::System)?;
            crate::engine::queue::stop_tenant_jobs(c, &id)?;
            for m in &shared {
                crate::api::members::end_membership(c, m, now)?;
            }
            repo::users::delete_many(c, &sole, now)?;
            repo::api_keys::revoke_for_tenant(c, &id, now)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "tenant.delete",
                    target_type: "tenant",
                    target_id: Some(id.clone()),
                    tenant_id: Some(id.clone()),
                    reseller_id: current.reseller_id,
                    details: serde_json::json!({
                        "name": current.name,
                        "purge_after": super::utc(purge_after),
                    }),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    // Its custom domain or subdomain no longer shows its branding.
    state.branding.invalidate();
    Ok(HttpResponse::NoContent().finish())
}
