//! `/v1/api-keys`: long-lived credentials for integrations, owned by a tenant user.
//!
//! The key is shown once, at creation; only its SHA-256 is stored. A key acts as its
//! owner, limited to the permissions chosen at creation (never more than the owner's
//! role grants). Tenant admins see and revoke every key of the tenant; other users
//! only their own.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{policy, secrets, Action, Authed};
use crate::error::{ApiError, Code};
use crate::store;
use crate::store::repo::{self, api_keys::ApiKeyRow};
use crate::tenancy::Role;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Option<Uuid>,
    pub name: String,
    /// The first characters of the key, to recognise it.
    #[schema(example = "vf_Ab3dE")]
    pub prefix: String,
    pub permissions: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<ApiKeyRow> for ApiKeyView {
    fn from(r: ApiKeyRow) -> Self {
        ApiKeyView {
            id: super::parse_uuid(&r.id),
            tenant_id: super::parse_uuid(&r.tenant_id),
            user_id: super::parse_uuid_opt(r.user_id.as_deref()),
            name: r.name,
            prefix: r.key_prefix,
            permissions: serde_json::from_str(&r.permissions).unwrap_or_default(),
            expires_at: r.expires_at.map(super::utc),
            last_used_at: r.last_used_at.map(super::utc),
            created_at: super::utc(r.created_at),
        }
    }
}

/// A new key: the only time the secret is returned.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKeyView {
    /// The secret. Store it now: it cannot be shown again.
    #[schema(example = "vf_Ab3dE…")]
    pub key: String,
    #[serde(flatten)]
    pub api_key: ApiKeyView,
}

list_view!(ApiKeyList, ApiKeyView);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    #[schema(
        example = "Flowise production",
        min_length = 1,
        max_length = 100,
        pattern = r"\S"
    )]
    pub name: String,
    /// Subset of your own permissions (e.g. `jobs:write`); default: all of them.
    #[schema(value_type = Option<Vec<crate::auth::policy::Action>>, min_items = 1)]
    pub permissions: Option<Vec<String>>,
    /// When the key stops working; default: never.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Creates an API key for the caller (tenant users).
#[utoipa::path(tag = "api-keys", request_body = CreateApiKeyRequest, responses((status = 201, body = CreatedApiKeyView), WriteErrors))]
#[post("/api-keys")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::ApiKeysWrite)?;
    let Some(tenant_id) = authed.principal.tenant_id else {
        return Err(ApiError::forbidden("API keys belong to tenant users"));
    };
    let body = body.into_inner();
    let mut v = Validator::default();
    v.text("name", &body.name, 100);
    let grantable: Vec<&str> = policy::allowed(authed.role())
        .iter()
        .map(|a| a.as_str())
        .filter(|a| {
            authed
                .require(Action::parse(a).unwrap_or(Action::AuditRead))
                .is_ok()
        })
        .collect();
    let permissions: Vec<String> = match &body.permissions {
        Some(list) => {
            for p in list {
                if Action::parse(p).is_none() {
                    v.push("permissions", format!("unknown permission {p}"));
                } else if !grantable.contains(&p.as_str()) {
                    v.push("permissions", format!("{p} is more than you may grant"));
                }
            }
            v.check(!list.is_empty(), "permissions", "must not be empty");
            let mut list = list.clone();
            list.sort();
            list.dedup();
            list
        }
        None => grantable.iter().map(|s| s.to_string()).collect(),
    };
    if let Some(exp) = body.expires_at {
        v.check(exp > Utc::now(), "expires_at", "must be in the future");
    }
    v.finish()?;
    let key = secrets::new_api_key();
    let now = store::now();
    let row = ApiKeyRow {
        id: store::new_id(),
        tenant_id: tenant_id.to_string(),
        user_id: Some(authed.principal.user_id.to_string()),
        name: body.name.trim().to_string(),
        key_prefix: key.chars().take(8).collect(),
        key_hash: secrets::digest(&key),
        permissions: serde_json::to_string(&permissions).map_err(ApiError::internal)?,
        expires_at: body.expires_at.map(|e| e.naive_utc()),
        last_used_at: None,
        revoked_at: None,
        created_at: now,
    };
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let row = state
        .store
        .write(scope, move |c| {
            // The plan's `max_api_keys`, checked with the tenant serialised so parallel
            // creates cannot pass it together.
            crate::engine::admission::lock_tenant(c, &row.tenant_id)?;
            let features = crate::plan_features::for_tenant_id(c, &row.tenant_id)?;
            if let Some(max) = features.max_api_keys {
                if repo::api_keys::count_live(c, &row.tenant_id, now)? >= i64::from(max) {
                    return Ok(Err(ApiError::new(
                        Code::PlanLimitReached,
                        format!(
                            "The tenant's plan allows {max} API keys (max_api_keys) and the \
                             tenant has as many; revoke one first or upgrade the plan"
                        ),
                    )));
                }
            }
            repo::api_keys::insert(c, &row)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "api_key.create",
                    target_type: "api_key",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(row.tenant_id.clone()),
                    reseller_id: reseller,
                    details: serde_json::json!({"name": row.name, "permissions": permissions}),
                },
            )?;
            Ok(Ok(row))
        })
        .await??;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/api-keys/{}", row.id)))
        .json(CreatedApiKeyView {
            key,
            api_key: ApiKeyView::from(row),
        }))
}

/// Tenant admins see every key of the tenant; others only their own.
fn owner_filter(authed: &Authed) -> Option<String> {
    match authed.role() {
        Role::PlatformAdmin | Role::ResellerAdmin | Role::TenantAdmin => None,
        _ => Some(authed.principal.user_id.to_string()),
    }
}

/// Lists live API keys (never their secrets).
#[utoipa::path(tag = "api-keys", params(PageQuery), responses((status = 200, body = ApiKeyList), ReadErrors))]
#[get("/api-keys")]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<PageQuery>,
) -> Result<web::Json<ApiKeyList>, ApiError> {
    authed.require(Action::ApiKeysRead)?;
    let page = query.to_request()?;
    let scope = authed.scope();
    let owner = owner_filter(&authed);
    let rows = state
        .store
        .read(scope, move |c| {
            repo::api_keys::list(c, &scope, owner.as_deref(), &page)
        })
        .await?;
    Ok(web::Json(ApiKeyList::from_page(rows.map(ApiKeyView::from))))
}

/// Reads one API key (never its secret).
#[utoipa::path(tag = "api-keys", params(("id" = Uuid, Path)), responses((status = 200, body = ApiKeyView), ReadErrors))]
#[get("/api-keys/{id}")]
pub async fn get_api_key(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<ApiKeyView>, ApiError> {
    authed.require(Action::ApiKeysRead)?;
    let scope = authed.scope();
    let owner = owner_filter(&authed);
    let id = id.to_string();
    let row = state
        .store
        .read(scope, move |c| {
            repo::api_keys::get(c, &scope, owner.as_deref(), &id)
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::ApiKeyNotFound))?;
    Ok(web::Json(ApiKeyView::from(row)))
}

/// Revokes an API key at once.
#[utoipa::path(tag = "api-keys", params(("id" = Uuid, Path)), responses((status = 204, description = "Revoked"), WriteErrors))]
#[delete("/api-keys/{id}")]
pub async fn delete_api_key(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::ApiKeysWrite)?;
    let scope = authed.scope();
    let owner = owner_filter(&authed);
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let id = id.to_string();
    state
        .store
        .write(scope, move |c| {
            let Some(row) = repo::api_keys::get(c, &scope, owner.as_deref(), &id)? else {
                return Ok(Err(ApiError::of(Code::ApiKeyNotFound)));
            };
            repo::api_keys::revoke(c, &id, store::now())?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "api_key.delete",
                    target_type: "api_key",
                    target_id: Some(id.clone()),
                    tenant_id: Some(row.tenant_id),
                    reseller_id: reseller,
                    details: serde_json::json!({"name": row.name}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}
