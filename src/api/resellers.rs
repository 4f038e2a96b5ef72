//! `/v1/resellers`: companies that resell Voxflow. Platform admins manage them; a
//! reseller admin reads its own and may update its contact details.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::error::{ApiError, Code};
use crate::store;
use crate::store::repo::{self, resellers::ResellerChanges, resellers::ResellerRow};
use crate::tenancy::{Role, Scope};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct ResellerView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// Commission percentage as an exact decimal string, e.g. `"12.50"`.
    #[schema(example = "12.50")]
    pub commission_rate: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Self-service sign-up: visitors may create a tenant of this reseller with
    /// `POST /v1/auth/signup` (docs/email.md).
    pub signup_enabled: bool,
    /// The plan signed-up tenants start on, with a `trial` subscription.
    pub signup_plan_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ResellerRow> for ResellerView {
    fn from(r: ResellerRow) -> Self {
        ResellerView {
            id: super::parse_uuid(&r.id),
            name: r.name,
            email: r.email,
            phone: r.phone,
            commission_rate: super::format_hundredths(i64::from(r.commission_rate_bp)),
            status: r.status,
            signup_enabled: r.signup_enabled,
            signup_plan_id: super::parse_uuid_opt(r.signup_plan_id.as_deref()),
            created_at: super::utc(r.created_at),
            updated_at: super::utc(r.updated_at),
        }
    }
}

list_view!(ResellerList, ResellerView);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateResellerRequest {
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: String,
    #[schema(
        pattern = r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]\s*$",
        max_length = 254
    )]
    pub email: String,
    #[schema(min_length = 1, max_length = 50, pattern = r"\S")]
    pub phone: Option<String>,
    /// Percentage with at most two decimals, 0 to 100, as a string (`"12.5"`).
    #[schema(
        example = "12.50",
        pattern = r"^0*(100(\.00?)?|[0-9]?[0-9](\.[0-9][0-9]?)?)$"
    )]
    pub commission_rate: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateResellerRequest {
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: Option<String>,
    #[schema(
        pattern = r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]\s*$",
        max_length = 254
    )]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50, pattern = r"\S")]
    pub phone: Option<Option<String>>,
    /// Platform admins only.
    #[schema(pattern = r"^0*(100(\.00?)?|[0-9]?[0-9](\.[0-9][0-9]?)?)$")]
    pub commission_rate: Option<String>,
    /// Platform admins only: `active` or `suspended`. A suspended reseller's admins and its
    /// tenants' users are read-only (every change answers `reseller_suspended`) and its
    /// tenants' queued jobs wait.
    #[schema(pattern = "^(active|suspended)$")]
    pub status: Option<String>,
    /// Turn self-service sign-up on (needs a `signup_plan_id`) or off.
    pub signup_enabled: Option<bool>,
    /// A system plan or one of this reseller's: what signed-up tenants start on.
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub signup_plan_id: Option<Option<Uuid>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResellerListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    pub status: Option<String>,
    /// Case-insensitive substring of the name.
    pub name: Option<String>,
}

fn commission(v: &mut Validator, raw: Option<&str>) -> Option<i32> {
    let raw = raw?;
    match super::parse_hundredths(raw) {
        Some(bp) if bp <= 10_000 => i32::try_from(bp).ok(),
        _ => {
            v.push(
                "commission_rate",
                "must be a decimal from 0 to 100 with at most two decimals",
            );
            None
        }
    }
}

/// Creates a reseller (platform admins).
#[utoipa::path(tag = "resellers", request_body = CreateResellerRequest, responses((status = 201, body = ResellerView), WriteErrors))]
#[post("/resellers")]
pub async fn create_reseller(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateResellerRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::ResellersWrite)?;
    if authed.role() != Role::PlatformAdmin {
        return Err(ApiError::forbidden("Only platform admins create resellers"));
    }
    let body = body.into_inner();
    let mut v = Validator::default();
    v.text("name", &body.name, 255);
    v.email("email", body.email.trim());
    if let Some(p) = &body.phone {
        v.text("phone", p, 50);
    }
    let rate = commission(&mut v, body.commission_rate.as_deref()).unwrap_or(0);
    v.finish()?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let now = store::now();
    let row = ResellerRow {
        id: store::new_id(),
        name: body.name.trim().to_string(),
        email: super::normalize_email(&body.email),
        phone: body.phone.map(|p| p.trim().to_string()),
        commission_rate_bp: rate,
        status: "active".into(),
        created_at: now,
        updated_at: now,
        signup_enabled: false,
        signup_plan_id: None,
    };
    let row = state
        .store
        .write(scope, move |c| {
            repo::resellers::insert(c, &row)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "reseller.create",
                    target_type: "reseller",
                    target_id: Some(row.id.clone()),
                    tenant_id: None,
                    reseller_id: Some(row.id.clone()),
                    details: serde_json::json!({"name": row.name}),
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/resellers/{}", row.id)))
        .json(ResellerView::from(row)))
}

/// Lists resellers visible to the caller.
#[utoipa::path(tag = "resellers", params(ResellerListQuery), responses((status = 200, body = ResellerList), ReadErrors))]
#[get("/resellers")]
pub async fn list_resellers(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<ResellerListQuery>,
) -> Result<web::Json<ResellerList>, ApiError> {
    authed.require(Action::ResellersRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| {
            repo::resellers::list(c, &scope, &page, q.status.as_deref(), q.name.as_deref())
        })
        .await?;
    Ok(web::Json(ResellerList::from_page(
        rows.map(ResellerView::from),
    )))
}

/// Reads one reseller.
#[utoipa::path(tag = "resellers", params(("id" = Uuid, Path)), responses((status = 200, body = ResellerView), ReadErrors))]
#[get("/resellers/{id}")]
pub async fn get_reseller(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<ResellerView>, ApiError> {
    authed.require(Action::ResellersRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let row = state
        .store
        .read(scope, move |c| repo::resellers::get(c, &scope, &id))
        .await?
        .ok_or_else(|| ApiError::of(Code::ResellerNotFound))?;
    Ok(web::Json(ResellerView::from(row)))
}

/// Updates a reseller. Reseller admins may change only name, email and phone.
#[utoipa::path(tag = "resellers", params(("id" = Uuid, Path)), request_body = UpdateResellerRequest, responses((status = 200, body = ResellerView), WriteErrors))]
#[patch("/resellers/{id}")]
pub async fn update_reseller(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdateResellerRequest>,
) -> Result<web::Json<ResellerView>, ApiError> {
    authed.require(Action::ResellersWrite)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    if let Some(n) = &body.name {
        v.text("name", n, 255);
    }
    if let Some(e) = &body.email {
        v.email("email", e.trim());
    }
    if let Some(Some(p)) = &body.phone {
        v.text("phone", p, 50);
    }
    let rate = commission(&mut v, body.commission_rate.as_deref());
    if let Some(s) = &body.status {
        v.check(
            s == "active" || s == "suspended",
            "status",
            "must be active or suspended",
        );
    }
    if authed.role() != Role::PlatformAdmin {
        v.check(
            body.commission_rate.is_none(),
            "commission_rate",
            "only the platform can change this",
        );
        v.check(
            body.status.is_none(),
            "status",
            "only the platform can change this",
        );
    }
    v.finish()?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let changes = ResellerChanges {
        name: body.name.map(|n| n.trim().to_string()),
        email: body.email.as_deref().map(super::normalize_email),
        phone: body.phone,
        commission_rate_bp: rate,
        status: body.status,
        updated_at: Some(store::now()),
        signup_enabled: body.signup_enabled,
        signup_plan_id: body.signup_plan_id.map(|p| p.map(|p| p.to_string())),
    };
    let row = state
        .store
        .write(scope, move |c| {
            let Some(current) = repo::resellers::get(c, &scope, &id)? else {
                return Ok(Err(ApiError::of(Code::ResellerNotFound)));
            };
            let plan = match &changes.signup_plan_id {
                Some(p) => p.clone(),
                None => current.signup_plan_id.clone(),
            };
            if let Some(Some(p)) = &changes.signup_plan_id {
                let usable = repo::plans::get(c, &Scope::System, p)?.is_some_and(|plan| {
                    plan.reseller_id.is_none() || plan.reseller_id.as_deref() == Some(id.as_str())
                });
                if !usable {
                    return Ok(Err(ApiError::of(Code::PlanNotFound)));
                }
            }
            if changes.signup_enabled.unwrap_or(current.signup_enabled) && plan.is_none() {
                return Ok(Err(ApiError::field(
                    "signup_plan_id",
                    "sign-up needs the plan signed-up tenants start on",
                )));
            }
            let Some(updated) = repo::resellers::update(c, &scope, &id, &changes)? else {
                return Ok(Err(ApiError::of(Code::ResellerNotFound)));
            };
            audit::record(
                c,
                &actor,
                Event {
                    action: "reseller.update",
                    target_type: "reseller",
                    target_id: Some(id.clone()),
                    tenant_id: None,
                    reseller_id: Some(id.clone()),
                    details: serde_json::json!({}),
                },
            )?;
            Ok(Ok(updated))
        })
        .await??;
    Ok(web::Json(ResellerView::from(row)))
}

/// Deletes (soft) a reseller (platform admins). Its admins and its tenants' users are
/// refused from then on (`reseller_suspended`), and its tenants' queued jobs are not run.
#[utoipa::path(tag = "resellers", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/resellers/{id}")]
pub async fn delete_reseller(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::ResellersWrite)?;
    let scope = authed.scope();
    if authed.role() != Role::PlatformAdmin {
        // A reseller admin can see only its own reseller; deleting it is the platform's call.
        let id = id.to_string();
        let visible = state
            .store
            .read(scope, move |c| repo::resellers::get(c, &scope, &id))
            .await?;
        return Err(match visible {
            Some(_) => ApiError::forbidden("Only platform admins delete resellers"),
            None => ApiError::of(Code::ResellerNotFound),
        });
    }
    let actor = Actor::of(&authed);
    let id = id.to_string();
    state
        .store
        .write(scope, move |c| {
            if repo::resellers::get(c, &scope, &id)?.is_none() {
                return Ok(Err(ApiError::of(Code::ResellerNotFound)));
            }
            let changes = ResellerChanges {
                status: Some("deleted".into()),
                updated_at: Some(store::now()),
                ..Default::default()
            };
            repo::resellers::update(c, &scope, &id, &changes)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "reseller.delete",
                    target_type: "reseller",
                    target_id: Some(id.clone()),
                    tenant_id: None,
                    reseller_id: Some(id.clone()),
                    details: serde_json::json!({}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    // Its custom domain or subdomain no longer shows its branding.
    state.branding.invalidate();
    Ok(HttpResponse::NoContent().finish())
}
