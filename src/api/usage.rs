//! Usage reports (docs/usage.md): `GET /v1/usage` (the caller's tenant),
//! `GET /v1/tenants/{id}/usage` (a tenant its caller may see), `GET /v1/resellers/{id}/usage`
//! (every tenant of a reseller: its admins and platform admins) and `GET /v1/platform/usage`
//! (platform admins). All need `usage:read`; JSON, or CSV with `Accept: text/csv` or
//! `format=csv`. Another reseller's or tenant's id answers exactly as a missing one.

use super::ReadErrors;
use crate::app::AppState;
use crate::auth::{Action, Authed};
use crate::billing::usage::{self as report, Grouping, Period, ReportRequest, UsageReport};
use crate::error::{ApiError, Code};
use crate::store::{self, repo, repo::usage::Owner};
use crate::tenancy::{Role, Scope};
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UsageQuery {
    /// `day`, `month` (default) or `range` (the whole range as one bucket). Days and months
    /// are UTC calendar days and months; a month cut by the range is clipped to it.
    #[param(pattern = "^(day|month|range)$")]
    pub period: Option<String>,
    /// First day (ISO 8601 date, UTC), included. Default: the first day of the current month.
    #[param(value_type = Option<String>, format = Date, example = "2026-12-01")]
    pub from: Option<NaiveDate>,
    /// The day after the last (ISO 8601 date, UTC), excluded. Default: the first day of next
    /// month. At most 366 days after `from` by day, 3660 otherwise.
    #[param(value_type = Option<String>, format = Date, example = "2027-01-01")]
    pub to: Option<NaiveDate>,
    /// Comma-separated groupings besides the bucket: `resource` (always applied), `node_kind`
    /// (`node_audio` split by node kind) and, on reseller and platform reports, `tenant`.
    #[param(
        example = "resource,node_kind",
        pattern = r"^\s*(resource|node_kind|tenant)?\s*(,\s*(resource|node_kind|tenant)?\s*)*$"
    )]
    pub group_by: Option<String>,
    /// `json` (default) or `csv`; takes precedence over the `Accept` header.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// [`UsageQuery`] as a one-tenant report documents it: `group_by` without `tenant` (which
/// such a report refuses with `400 invalid_query`). For the OpenAPI document only.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TenantUsageQuery {
    /// `day`, `month` (default) or `range` (the whole range as one bucket). Days and months
    /// are UTC calendar days and months; a month cut by the range is clipped to it.
    #[param(pattern = "^(day|month|range)$")]
    pub period: Option<String>,
    /// First day (ISO 8601 date, UTC), included. Default: the first day of the current month.
    #[param(value_type = Option<String>, format = Date, example = "2026-12-01")]
    pub from: Option<NaiveDate>,
    /// The day after the last (ISO 8601 date, UTC), excluded. Default: the first day of next
    /// month. At most 366 days after `from` by day, 3660 otherwise.
    #[param(value_type = Option<String>, format = Date, example = "2027-01-01")]
    pub to: Option<NaiveDate>,
    /// Comma-separated groupings besides the bucket: `resource` (always applied), `node_kind`
    /// (`node_audio` split by node kind); `tenant` only on reseller and platform reports.
    #[param(
        example = "resource,node_kind",
        pattern = r"^\s*(resource|node_kind)?\s*(,\s*(resource|node_kind)?\s*)*$"
    )]
    pub group_by: Option<String>,
    /// `json` (default) or `csv`; takes precedence over the `Accept` header.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// The errors of a usage report besides [`ReadErrors`].
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum UsageErrors {
    /// A query parameter is invalid (`invalid_query`): an unknown `period`, `group_by` or
    /// `format`, a date that is not `YYYY-MM-DD`, or a range that is empty or too long.
    #[response(status = 400, content_type = "application/problem+json")]
    BadQuery(crate::error::Problem),
}

/// Parsed parameters, before the owner is known.
struct Params {
    period: Period,
    from: NaiveDate,
    to: NaiveDate,
    by_node_kind: bool,
    by_tenant: bool,
    csv: bool,
}

fn invalid(detail: impl Into<String>) -> ApiError {
    ApiError::new(Code::InvalidQuery, detail)
}

fn params(q: UsageQuery, req: &HttpRequest, tenant_grouping: bool) -> Result<Params, ApiError> {
    let period = match q.period.as_deref() {
        None => Period::Month,
        Some(p) => Period::parse(p)
            .ok_or_else(|| invalid(format!("period must be day, month or range, not {p:?}")))?,
    };
    let (month_start, next_month) = report::month_of(store::now().date());
    let from = q.from.unwrap_or(month_start);
    let to = q.to.unwrap_or(next_month);
    let (mut by_node_kind, mut by_tenant) = (false, false);
    for g in q
        .group_by
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
    {
        match Grouping::parse(g) {
            _ if g.is_empty() => {}
            Some(Grouping::Resource) => {}
            Some(Grouping::NodeKind) => by_node_kind = true,
            Some(Grouping::Tenant) if tenant_grouping => by_tenant = true,
            Some(Grouping::Tenant) => return Err(invalid(
                "group_by=tenant is for reseller and platform reports: this one covers one tenant",
            )),
            None => {
                return Err(invalid(format!(
                    "group_by takes resource, node_kind{}; not {g:?}",
                    if tenant_grouping { ", tenant" } else { "" }
                )))
            }
        }
    }
    let csv = match q.format.as_deref() {
        Some("csv") => true,
        Some("json") => false,
        Some(f) => return Err(invalid(format!("format must be json or csv, not {f:?}"))),
        None => prefers_csv(req),
    };
    Ok(Params {
        period,
        from,
        to,
        by_node_kind,
        by_tenant,
        csv,
    })
}

/// Does the `Accept` header rank `text/csv` above JSON? Wildcards count for both, and a
/// tie (or no header) is JSON.
fn prefers_csv(req: &HttpRequest) -> bool {
    let Some(accept) = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let (mut csv, mut json) = (0.0f32, 0.0f32);
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or("").to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        match media.as_str() {
            "text/csv" => csv = csv.max(q + 0.002),
            "application/json" => json = json.max(q + 0.002),
            "text/*" => csv = csv.max(q + 0.001),
            "application/*" => json = json.max(q + 0.001),
            "*/*" => {
                csv = csv.max(q);
                json = json.max(q);
            }
            _ => {}
        }
    }
    csv > json && csv > 0.002
}

/// Which object the caller must be able to see for the report to exist.
enum Visible {
    Any,
    Tenant(String),
    Reseller(String),
}

async fn respond(
    state: web::Data<AppState>,
    scope: Scope,
    owner: Owner,
    visible: Visible,
    p: Params,
) -> Result<HttpResponse, ApiError> {
    let request = ReportRequest {
        owner,
        period: p.period,
        from: p.from,
        to: p.to,
        by_node_kind: p.by_node_kind,
        by_tenant: p.by_tenant,
    };
    request.check().map_err(invalid)?;
    let default_storage_mb = state.settings.default_storage_quota_mb;
    let built = state
        .store
        .read(scope, move |c| {
            let found = match &visible {
                Visible::Any => true,
                Visible::Tenant(id) => repo::tenants::get(c, &scope, id)?.is_some(),
                Visible::Reseller(id) => repo::resellers::get(c, &scope, id)?.is_some(),
            };
            if !found {
                return Ok(Err(visible));
            }
            Ok(Ok(report::build(
                c,
                &request,
                store::now(),
                default_storage_mb,
            )?))
        })
        .await?;
    let report = match built {
        Ok(r) => r,
        Err(Visible::Reseller(_)) => return Err(ApiError::of(Code::ResellerNotFound)),
        Err(_) => return Err(ApiError::of(Code::TenantNotFound)),
    };
    let mut res = HttpResponse::Ok();
    res.insert_header((actix_web::http::header::VARY, "Accept"));
    if p.csv {
        res.content_type("text/csv; charset=utf-8; header=present")
            .insert_header((
                actix_web::http::header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"usage-{}-{}.csv\"",
                    report.from, report.to
                ),
            ));
        return Ok(res.body(report::to_csv(&report)));
    }
    Ok(res.json(report))
}

/// The caller's tenant's usage, with its quotas (tenant users and API keys with
/// `usage:read`: tenant admins and members by default, not viewers).
#[utoipa::path(tag = "usage", params(TenantUsageQuery), responses((status = 200, description = "The report: JSON, or with `Accept: text/csv` or `format=csv` CSV (RFC 4180, a header row, CRLF) with the columns period_start, period_end, tenant_id, tenant_name, resource, node_kind, audio_ms, records", content((UsageReport = "application/json"), (String = "text/csv"))), UsageErrors, ReadErrors))]
#[get("/usage")]
pub async fn get_usage(
    state: web::Data<AppState>,
    authed: Authed,
    req: HttpRequest,
    query: web::Query<UsageQuery>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsageRead)?;
    let Some(tenant) = authed.principal.tenant_id else {
        return Err(ApiError::forbidden(
            "This caller has no tenant: read /v1/tenants/{id}/usage, /v1/resellers/{id}/usage \
             or /v1/platform/usage",
        ));
    };
    let p = params(query.into_inner(), &req, false)?;
    let tenant = tenant.to_string();
    respond(
        state,
        authed.scope(),
        Owner::Tenant(tenant.clone()),
        Visible::Tenant(tenant),
        p,
    )
    .await
}

/// One tenant's usage, with its quotas: the tenant's own users, its reseller's admins and
/// platform admins (`usage:read`). Another reseller's tenant is `tenant_not_found`.
#[utoipa::path(tag = "usage", params(("id" = Uuid, Path), TenantUsageQuery), responses((status = 200, description = "The report: JSON, or with `Accept: text/csv` or `format=csv` CSV (RFC 4180, a header row, CRLF) with the columns period_start, period_end, tenant_id, tenant_name, resource, node_kind, audio_ms, records", content((UsageReport = "application/json"), (String = "text/csv"))), UsageErrors, ReadErrors))]
#[get("/tenants/{id}/usage")]
pub async fn get_tenant_usage(
    state: web::Data<AppState>,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<UsageQuery>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsageRead)?;
    let p = params(query.into_inner(), &req, false)?;
    let id = id.to_string();
    respond(
        state,
        authed.scope(),
        Owner::Tenant(id.clone()),
        Visible::Tenant(id),
        p,
    )
    .await
}

/// Every tenant of a reseller: its usage (deleted tenants' included) and each live
/// tenant's quotas; `group_by=tenant` for per-tenant figures. Its reseller admins and
/// platform admins; another reseller is `reseller_not_found`.
#[utoipa::path(tag = "usage", params(("id" = Uuid, Path), UsageQuery), responses((status = 200, description = "The report: JSON, or with `Accept: text/csv` or `format=csv` CSV (RFC 4180, a header row, CRLF) with the columns period_start, period_end, tenant_id, tenant_name, resource, node_kind, audio_ms, records", content((UsageReport = "application/json"), (String = "text/csv"))), UsageErrors, ReadErrors))]
#[get("/resellers/{id}/usage")]
pub async fn get_reseller_usage(
    state: web::Data<AppState>,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<UsageQuery>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsageRead)?;
    if !matches!(authed.role(), Role::PlatformAdmin | Role::ResellerAdmin) {
        return Err(ApiError::forbidden(
            "Only reseller and platform admins read a reseller's usage",
        ));
    }
    let p = params(query.into_inner(), &req, true)?;
    let id = id.to_string();
    respond(
        state,
        authed.scope(),
        Owner::Reseller(id.clone()),
        Visible::Reseller(id),
        p,
    )
    .await
}

/// The whole platform's usage, every tenant's (platform admins); `group_by=tenant` for
/// per-tenant figures.
#[utoipa::path(tag = "usage", params(UsageQuery), responses((status = 200, description = "The report: JSON, or with `Accept: text/csv` or `format=csv` CSV (RFC 4180, a header row, CRLF) with the columns period_start, period_end, tenant_id, tenant_name, resource, node_kind, audio_ms, records", content((UsageReport = "application/json"), (String = "text/csv"))), UsageErrors, ReadErrors))]
#[get("/platform/usage")]
pub async fn get_platform_usage(
    state: web::Data<AppState>,
    authed: Authed,
    req: HttpRequest,
    query: web::Query<UsageQuery>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsageRead)?;
    if authed.role() != Role::PlatformAdmin {
        return Err(ApiError::forbidden(
            "Only platform admins read platform-wide usage",
        ));
    }
    let p = params(query.into_inner(), &req, true)?;
    respond(state, authed.scope(), Owner::Platform, Visible::Any, p).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(header: &str) -> bool {
        let req = actix_web::test::TestRequest::default()
            .insert_header(("Accept", header))
            .to_http_request();
        prefers_csv(&req)
    }

    #[test]
    fn accept_picks_csv_only_when_it_ranks_first() {
        assert!(accepts("text/csv"));
        assert!(accepts("text/csv, application/json;q=0.5"));
        assert!(accepts("text/*"));
        assert!(!accepts("application/json"));
        assert!(!accepts("*/*"));
        assert!(!accepts("application/json, text/csv"));
        assert!(!accepts("text/csv;q=0.2, application/json"));
        assert!(!accepts("text/csv;q=0"));
        assert!(!accepts("text/html"));
    }
}
