//! Data exports (docs/data-export.md): `POST /v1/tenants/{id}/exports` (a tenant's admins,
//! its reseller's, the platform's: `exports:write`), `POST /v1/users/{id}/exports` (an admin,
//! for a person whose memberships are all within the admin's reach) and `POST /v1/me/exports`
//! (anyone signed in, for their own data) queue an archive that a background task builds;
//! `GET /v1/exports/{id}` follows it and `GET /v1/exports/{id}/content` downloads it until it
//! expires (`VOXFLOW_EXPORT_TTL_SECS`).
//!
//! A tenant export is visible wherever the tenant is (with `exports:read`); a personal export
//! only to the one who asked for it, and only with an access token: API keys act for a
//! tenant, not for a person. Anything else is answered as a missing export.

use super::{list_view, PageQuery, ReadErrors, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::error::{ApiError, Code};
use crate::store::repo::{self, data_exports::ExportRow};
use crate::tenancy::{Credential, Scope};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// Everything of one tenant.
    Tenant,
    /// One person's data.
    User,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    Queued,
    Running,
    /// Built: download it from `download_url` until `expires_at`.
    Succeeded,
    /// Given up after repeated failures (see `error`); request a new one.
    Failed,
    /// Past `expires_at`: the archive is gone; request a new one.
    Expired,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DataExportView {
    pub id: Uuid,
    pub kind: ExportKind,
    /// The tenant exported (`kind: tenant`).
    pub tenant_id: Option<Uuid>,
    /// The person exported (`kind: user`).
    pub user_id: Option<Uuid>,
    pub requested_by: Uuid,
    pub status: ExportStatus,
    /// Builds tried so far (a failed build is retried, up to three).
    pub attempts: i32,
    /// Why the last build failed.
    pub error: Option<String>,
    /// The archive's size and SHA-256 (also its download's `ETag`), once built.
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    /// `/v1/exports/{id}/content`, once built and until it expires.
    pub download_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// When the archive is removed.
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<ExportRow> for DataExportView {
    fn from(r: ExportRow) -> Self {
        let status = match r.status.as_str() {
            "queued" => ExportStatus::Queued,
            "running" => ExportStatus::Running,
            "succeeded" => ExportStatus::Succeeded,
            "expired" => ExportStatus::Expired,
            _ => ExportStatus::Failed,
        };
        DataExportView {
            id: super::parse_uuid(&r.id),
            kind: if r.kind == "user" {
                ExportKind::User
            } else {
                ExportKind::Tenant
            },
            tenant_id: super::parse_uuid_opt(r.tenant_id.as_deref()),
            user_id: super::parse_uuid_opt(r.subject_user_id.as_deref()),
            requested_by: super::parse_uuid(&r.requested_by),
            download_url: (status == ExportStatus::Succeeded)
                .then(|| format!("/v1/exports/{}/content", r.id)),
            status,
            attempts: r.attempts,
            error: r.error,
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            created_at: super::utc(r.created_at),
            started_at: r.started_at.map(super::utc),
            finished_at: r.finished_at.map(super::utc),
            expires_at: r.expires_at.map(super::utc),
        }
    }
}

list_view!(DataExportList, DataExportView);

fn not_found() -> ApiError {
    ApiError::of(Code::ExportNotFound)
}

fn session_only(authed: &Authed) -> Result<(), ApiError> {
    match authed.principal.credential {
        Credential::ApiKey { .. } => Err(ApiError::forbidden(
            "API keys act for a tenant, not a person: sign in and send the access token",
        )),
        Credential::AccessToken => Ok(()),
    }
}

/// The reseller a reseller admin acts for, for the audit entries of personal exports (which
/// belong to no tenant).
fn own_reseller(scope: Scope) -> Option<String> {
    match scope {
        Scope::Reseller { reseller_id } => Some(reseller_id.to_string()),
        _ => None,
    }
}

fn accepted(row: ExportRow) -> HttpResponse {
    HttpResponse::Accepted()
        .insert_header(("Location", format!("/v1/exports/{}", row.id)))
        .json(DataExportView::from(row))
}

/// Queues `row` (or returns the export of the same subject still queued or running, so
/// repeated clicks build one archive) and records `action` in the audit log.
async fn queue(
    state: &AppState,
    authed: &Authed,
    row: ExportRow,
    action: &'static str,
    reseller_id: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = Actor::of(authed);
    let row = state
        .store
        .write(Scope::System, move |c| {
            if let Some(open) = repo::data_exports::unfinished_of(c, &row)? {
                return Ok(open);
            }
            repo::data_exports::insert(c, &row)?;
            audit::record(
                c,
                &actor,
                Event {
                    action,
                    target_type: "data_export",
                    target_id: Some(row.id.clone()),
                    tenant_id: row.tenant_id.clone(),
                    reseller_id,
                    details: serde_json::json!({"kind": row.kind, "user_id": row.subject_user_id}),
                },
            )?;
            Ok(row)
        })
        .await?;
    state.wake_exports.notify_one();
    Ok(accepted(row))
}

/// Queues an export of everything the tenant has: every row (JSON lines per table), its
/// files and job artifacts, and a manifest with SHA-256 sums, as one ZIP archive. While one
/// is queued or running, that one is returned.
#[utoipa::path(tag = "exports", params(("id" = Uuid, Path)), responses((status = 202, description = "Queued; follow `Location`", body = DataExportView, headers(("Location" = String))), WriteErrors))]
#[post("/tenants/{id}/exports")]
pub async fn create_tenant_export(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::ExportsWrite)?;
    let scope = authed.scope();
    let id = id.to_string();
    let tenant = state
        .store
        .read(scope, move |c| repo::tenants::get(c, &scope, &id))
        .await?
        .filter(|t| t.purged_at.is_none())
        .ok_or_else(|| ApiError::of(Code::TenantNotFound))?;
    let row = ExportRow::queued(
        "tenant",
        Some(tenant.id.clone()),
        None,
        authed.principal.user_id.to_string(),
        crate::store::now(),
    );
    queue(&state, &authed, row, "tenant.export", tenant.reseller_id).await
}

/// The tenant's exports, newest first.
#[utoipa::path(tag = "exports", params(("id" = Uuid, Path), PageQuery), responses((status = 200, body = DataExportList), ReadErrors))]
#[get("/tenants/{id}/exports")]
pub async fn list_tenant_exports(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<DataExportList>, ApiError> {
    authed.require(Action::ExportsRead)?;
    let page = query.to_request()?;
    let scope = authed.scope();
    let id = id.to_string();
    let list = state
        .store
        .read(scope, move |c| {
            if repo::tenants::get(c, &scope, &id)?.is_none() {
                return Ok(None);
            }
            crate::store::switch_scope(c, Scope::System)?;
            Ok(Some(repo::data_exports::of_tenant(c, &id, &page)?))
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::TenantNotFound))?;
    Ok(web::Json(DataExportList::from_page(
        list.map(DataExportView::from),
    )))
}

/// Queues an export of the caller's own personal data (access tokens only): the account,
/// memberships, API keys and sessions (never their secrets), the audit entries by or about
/// them, the invitations and mails to their address and the rows they created.
#[utoipa::path(tag = "exports", responses((status = 202, description = "Queued; follow `Location`", body = DataExportView, headers(("Location" = String))), WriteErrors))]
#[post("/me/exports")]
pub async fn create_my_export(
    state: web::Data<AppState>,
    authed: Authed,
) -> Result<HttpResponse, ApiError> {
    session_only(&authed)?;
    let me = authed.principal.user_id.to_string();
    let row = ExportRow::queued("user", None, Some(me.clone()), me, crate::store::now());
    queue(&state, &authed, row, "user.export", None).await
}

/// The personal exports the caller asked for (access tokens only), newest first.
#[utoipa::path(tag = "exports", params(PageQuery), responses((status = 200, body = DataExportList), ReadErrors))]
#[get("/me/exports")]
pub async fn list_my_exports(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<PageQuery>,
) -> Result<web::Json<DataExportList>, ApiError> {
    session_only(&authed)?;
    let page = query.to_request()?;
    let me = authed.principal.user_id.to_string();
    let list = state
        .store
        .read(Scope::System, move |c| {
            repo::data_exports::requested_by(c, &me, &page)
        })
        .await?;
    Ok(web::Json(DataExportList::from_page(
        list.map(DataExportView::from),
    )))
}

/// Queues an export of one person's data for an admin (`exports:write`, access tokens
/// only): a person the caller can see, whose memberships are all in tenants the caller
/// manages (otherwise their data reaches beyond the caller: `403`). The archive is the
/// caller's to download.
#[utoipa::path(tag = "exports", params(("id" = Uuid, Path)), responses((status = 202, description = "Queued; follow `Location`", body = DataExportView, headers(("Location" = String))), WriteErrors))]
#[post("/users/{id}/exports")]
pub async fn create_user_export(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::ExportsWrite)?;
    session_only(&authed)?;
    let scope = authed.scope();
    let id = id.to_string();
    if super::users::reaches_beyond(&state, scope, &id).await? {
        return Err(ApiError::forbidden(
            "This account also belongs to tenants you do not manage: its data is not yours to export",
        ));
    }
    let target = {
        let id = id.clone();
        state
            .store
            .read(scope, move |c| repo::users::get_unerased(c, &scope, &id))
            .await?
            .ok_or_else(|| ApiError::of(Code::UserNotFound))?
    };
    let row = ExportRow::queued(
        "user",
        None,
        Some(target.id.clone()),
        authed.principal.user_id.to_string(),
        crate::store::now(),
    );
    queue(&state, &authed, row, "user.export", own_reseller(scope)).await
}

/// The export `id` if the caller may see it.
async fn find(state: &AppState, authed: &Authed, id: Uuid) -> Result<ExportRow, ApiError> {
    let scope = authed.scope();
    let me = authed.principal.user_id.to_string();
    let by_session = matches!(authed.principal.credential, Credential::AccessToken);
    let may_read_tenants = authed.require(Action::ExportsRead).is_ok();
    state
        .store
        .read(Scope::System, move |c| {
            let Some(row) = repo::data_exports::get(c, &id.to_string())? else {
                return Ok(None);
            };
            let visible = match &row.tenant_id {
                Some(t) => {
                    may_read_tenants && {
                        crate::store::switch_scope(c, scope)?;
                        repo::tenants::get(c, &scope, t)?.is_some()
                    }
                }
                None => by_session && row.requested_by == me,
            };
            Ok(visible.then_some(row))
        })
        .await?
        .ok_or_else(not_found)
}

/// An export's state.
#[utoipa::path(tag = "exports", params(("id" = Uuid, Path)), responses((status = 200, body = DataExportView), ReadErrors))]
#[get("/exports/{id}")]
pub async fn get_export(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<DataExportView>, ApiError> {
    Ok(web::Json(find(&state, &authed, *id).await?.into()))
}

/// Downloads a built export (`application/zip`). Supports one `Range`, `If-Range` and
/// `If-None-Match` with the `ETag` (the archive's SHA-256). Not built yet: `409
/// export_not_ready`; failed or expired: `410 export_gone`. Each download is audited.
#[utoipa::path(
    tag = "exports",
    params(
        ("id" = Uuid, Path),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
        ("If-Range" = Option<String>, Header, description = "Honour `Range` only if the ETag still matches"),
        ("If-None-Match" = Option<String>, Header, description = "ETag of a cached copy"),
    ),
    responses(
        (status = 200, description = "The archive", content_type = "application/zip", body = super::files::FileContent,
         headers(("ETag" = String, description = "The SHA-256 in quotes"), ("Content-Length" = u64))),
        (status = 206, description = "The requested range", content_type = "application/zip", body = super::files::FileContent),
        (status = 304, description = "The cached copy (If-None-Match) is current"),
        (status = 409, description = "Not built yet (`export_not_ready`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "Failed or expired (`export_gone`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range starts past the end", body = crate::error::Problem, content_type = "application/problem+json"),
        ReadErrors
    )
)]
#[get("/exports/{id}/content")]
pub async fn download_export(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let row = find(&state, &authed, *id).await?;
    let (Some(key), Some(sha256), "succeeded") =
        (&row.storage_key, &row.sha256, row.status.as_str())
    else {
        return Err(match row.status.as_str() {
            "queued" | "running" => ApiError::new(
                Code::ExportNotReady,
                "The archive is still being built: follow GET /v1/exports/{id} until it succeeds",
            ),
            status => ApiError::new(
                Code::ExportGone,
                format!("The export is {status}: request a new one"),
            ),
        });
    };
    let first_bytes = req
        .headers()
        .get(actix_web::http::header::RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|r| r.trim().starts_with("bytes=0-"));
    let name = format!("voxflow-export-{}.zip", row.id);
    let res = super::files::serve_stored(&req, &state.blobs, key, sha256, "application/zip", &name)
        .await?;
    if first_bytes && res.status().is_success() {
        let actor = Actor::of(&authed);
        let reseller_id = own_reseller(authed.scope());
        state
            .store
            .write(Scope::System, move |c| {
                audit::record(
                    c,
                    &actor,
                    Event {
                        action: "data_export.download",
                        target_type: "data_export",
                        target_id: Some(row.id.clone()),
                        tenant_id: row.tenant_id.clone(),
                        reseller_id,
                        details: serde_json::json!({"kind": row.kind}),
                    },
                )
            })
            .await?;
    }
    Ok(res)
}

/// Removes the archives of exports whose rows a transaction deleted (after its commit).
pub async fn remove_archives(state: &AppState, keys: Vec<String>) {
    crate::lifecycle::sweeper::remove_export_archives(&state.blobs, keys).await;
}
