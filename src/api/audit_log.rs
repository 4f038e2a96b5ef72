//! `/v1/audit-log`: who changed what, read-only. Platform admins see everything,
//! reseller admins their reseller's entries, tenant admins their tenant's.

use super::{list_view, PageQuery, ReadErrors};
use crate::app::AppState;
use crate::auth::{Action, Authed};
use crate::error::{ApiError, Code};
use crate::store::repo::{self, audit::AuditFilter, audit::AuditRow};
use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: Uuid,
    pub actor_user_id: Option<Uuid>,
    pub actor_api_key_id: Option<Uuid>,
    pub tenant_id: Option<Uuid>,
    pub reseller_id: Option<Uuid>,
    /// `<resource>.<verb>`, e.g. `user.create`.
    #[schema(example = "user.create")]
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub at: DateTime<Utc>,
}

impl From<AuditRow> for AuditEntryView {
    fn from(r: AuditRow) -> Self {
        AuditEntryView {
            id: super::parse_uuid(&r.id),
            actor_user_id: super::parse_uuid_opt(r.actor_user_id.as_deref()),
            actor_api_key_id: super::parse_uuid_opt(r.actor_api_key_id.as_deref()),
            tenant_id: super::parse_uuid_opt(r.tenant_id.as_deref()),
            reseller_id: super::parse_uuid_opt(r.reseller_id.as_deref()),
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            request_id: r.request_id,
            ip: r.ip,
            details: serde_json::from_str(&r.details).unwrap_or_default(),
            at: super::utc(r.at),
        }
    }
}

list_view!(AuditLogList, AuditEntryView);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub actor_user_id: Option<Uuid>,
    pub tenant_id: Option<Uuid>,
}

/// Lists audit entries visible to the caller, newest first.
#[utoipa::path(tag = "audit-log", params(AuditListQuery), responses((status = 200, body = AuditLogList), ReadErrors))]
#[get("/audit-log")]
pub async fn list_audit_log(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<AuditListQuery>,
) -> Result<web::Json<AuditLogList>, ApiError> {
    authed.require(Action::AuditRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let filter = AuditFilter {
        action: q.action,
        target_type: q.target_type,
        target_id: q.target_id,
        actor_user_id: q.actor_user_id.map(|u| u.to_string()),
        tenant_id: q.tenant_id.map(|t| t.to_string()),
    };
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| repo::audit::list(c, &scope, &page, &filter))
        .await?;
    Ok(web::Json(AuditLogList::from_page(
        rows.map(AuditEntryView::from),
    )))
}

/// Reads one audit entry.
#[utoipa::path(tag = "audit-log", params(("id" = Uuid, Path)), responses((status = 200, body = AuditEntryView), ReadErrors))]
#[get("/audit-log/{id}")]
pub async fn get_audit_entry(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<AuditEntryView>, ApiError> {
    authed.require(Action::AuditRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let row = state
        .store
        .read(scope, move |c| repo::audit::get(c, &scope, &id))
        .await?
        .ok_or_else(|| ApiError::of(Code::AuditEntryNotFound))?;
    Ok(web::Json(AuditEntryView::from(row)))
}
