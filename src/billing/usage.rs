//! Usage reports: what a tenant, a reseller's tenants or the whole platform consumed over
//! a range of UTC days, cut into days, months or one bucket, per resource (and node kind,
//! and tenant), with the processing and storage quota as admission counts them.
//!
//! 1. The database aggregates (`repo::usage::report`: one `GROUP BY` over the
//!    `(tenant_id, recorded_at, …)` or `(recorded_at, …)` covering index); nothing here
//!    walks usage rows.
//! 2. The aggregates become items with their bucket's bounds, clipped to the range, and
//!    totals per resource summed from the items.
//! 3. The quota — the current calendar month's, whatever range was asked — comes from
//!    grouped queries too (billed usage, reservations, stored bytes per tenant), so a
//!    reseller's hundred tenants cost the same five statements as one tenant.
//!
//! Quantities are exact integers: audio in milliseconds (metering rounds each measurement
//! to the nearest millisecond once, when it is recorded; reports only add), storage in bytes.

use crate::engine::admission;
use crate::store::repo::{
    self,
    usage::{Bucket, Owner, ReportQuery, ReportRow},
};
use crate::store::{DbConn, StoreError};
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use utoipa::ToSchema;
use uuid::Uuid;

/// Longest range a `day` report may cover (a leap year of days).
pub const MAX_DAYS_BY_DAY: i64 = 366;
/// Longest range any report may cover (ten years).
pub const MAX_DAYS: i64 = 3660;

const MIB: i64 = 1024 * 1024;

/// How a report cuts its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Calendar days (UTC).
    Day,
    /// Calendar months (UTC); the first and last are clipped to the range.
    Month,
    /// The whole range as one bucket.
    Range,
}

impl Period {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "day" => Period::Day,
            "month" => Period::Month,
            "range" => Period::Range,
            _ => return None,
        })
    }

    fn bucket(self) -> Bucket {
        match self {
            Period::Day => Bucket::Day,
            Period::Month => Bucket::Month,
            Period::Range => Bucket::Whole,
        }
    }
}

/// What a report's items are grouped by, besides their bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// Always: quantities of different resources are never added together.
    Resource,
    /// `node_audio` split by the node's kind.
    NodeKind,
    /// Per tenant (reseller and platform reports).
    Tenant,
}

impl Grouping {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "resource" => Grouping::Resource,
            "node_kind" => Grouping::NodeKind,
            "tenant" => Grouping::Tenant,
            _ => return None,
        })
    }
}

/// A report to build.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub owner: Owner,
    pub period: Period,
    /// First day, included (UTC).
    pub from: NaiveDate,
    /// Day after the last, excluded (UTC).
    pub to: NaiveDate,
    pub by_node_kind: bool,
    pub by_tenant: bool,
}

impl ReportRequest {
    /// Why the range cannot be reported, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        let days = (self.to - self.from).num_days();
        if days <= 0 {
            return Err(
                "`to` must be a later day than `from` (the range is from ≤ day < to)".into(),
            );
        }
        if self.period == Period::Day && days > MAX_DAYS_BY_DAY {
            return Err(format!(
                "a report by day covers at most {MAX_DAYS_BY_DAY} days; ask by month, or for a shorter range"
            ));
        }
        if days > MAX_DAYS {
            return Err(format!("a report covers at most {MAX_DAYS} days"));
        }
        Ok(())
    }
}

/// The calendar month holding `day`: its first day and the next month's.
pub fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    (first, next_month(first))
}

fn next_month(first: NaiveDate) -> NaiveDate {
    first.checked_add_months(Months::new(1)).unwrap_or(first)
}

fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_time(chrono::NaiveTime::MIN)
}

/// Whose usage a report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportScope {
    Tenant,
    Reseller,
    Platform,
}

/// One bucket's usage of one resource (per tenant and node kind when grouped so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UsageItem {
    /// First day of the bucket (UTC), included.
    #[schema(value_type = String, format = Date, example = "2026-12-01")]
    pub period_start: NaiveDate,
    /// Day after the bucket's last (UTC), excluded.
    #[schema(value_type = String, format = Date, example = "2027-01-01")]
    pub period_end: NaiveDate,
    /// With `group_by=tenant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<Uuid>,
    /// With `group_by=tenant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_name: Option<String>,
    /// `job_audio` (jobs' billed audio), `transcription` (the OpenAI-compatible routes'
    /// billed audio) or `node_audio` (audio each job node processed; not billed itself).
    #[schema(example = "job_audio")]
    pub resource: String,
    /// With `group_by=node_kind`, on `node_audio` items: the node's kind (`unknown` for
    /// usage recorded before kinds were kept, whose job is gone).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "whisper.transcribe")]
    pub node_kind: Option<String>,
    /// Audio, in whole milliseconds (exact).
    pub audio_ms: i64,
    /// Usage records added up.
    pub records: i64,
}

/// One resource's usage over the whole range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UsageTotal {
    #[schema(example = "job_audio")]
    pub resource: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_kind: Option<String>,
    pub audio_ms: i64,
    pub records: i64,
}

/// The monthly processing quota, counted as admission counts it (docs/admission.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProcessingQuota {
    /// Minutes a month: the tenant's own `processing_quota_minutes`, else its plan's;
    /// absent: unlimited.
    pub quota_minutes: Option<i32>,
    /// The same in milliseconds.
    pub quota_ms: Option<i64>,
    /// This month's billed audio (`job_audio` and `transcription`).
    pub billed_ms: i64,
    /// Audio held by work still running (reserved at admission, settled when it ends).
    pub reserved_ms: i64,
    /// `billed_ms + reserved_ms`: what counts against the quota now.
    pub used_ms: i64,
    /// `quota_ms − used_ms`, never below 0; absent: unlimited. Work needs more than 0 left
    /// to be admitted.
    pub left_ms: Option<i64>,
}

/// Storage: live files and job outputs against the storage quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StorageQuota {
    /// The tenant's `storage_quota_mb`, else its plan's, else the server's default, in bytes
    /// (1 MB = 1 MiB = 1,048,576 bytes).
    pub quota_bytes: i64,
    pub used_bytes: i64,
    /// `quota_bytes − used_bytes`, never below 0.
    pub left_bytes: i64,
}

/// A tenant's quotas now: the processing quota of the current calendar month (UTC), whatever
/// range the report covers, and its storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct QuotaView {
    /// The month the processing quota counts, `YYYY-MM` (UTC).
    #[schema(example = "2026-12")]
    pub month: String,
    pub processing: ProcessingQuota,
    pub storage: StorageQuota,
}

/// One tenant of a reseller report, with its quotas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TenantQuota {
    pub tenant_id: Uuid,
    pub name: String,
    /// `active` or `suspended`.
    pub status: String,
    pub quota: QuotaView,
}

/// A usage report (docs/usage.md).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsageReport {
    pub scope: ReportScope,
    /// Tenant reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<Uuid>,
    /// Reseller reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reseller_id: Option<Uuid>,
    pub period: Period,
    /// First day covered (UTC), included.
    #[schema(value_type = String, format = Date, example = "2026-12-01")]
    pub from: NaiveDate,
    /// Day after the last covered (UTC), excluded.
    #[schema(value_type = String, format = Date, example = "2027-01-01")]
    pub to: NaiveDate,
    pub group_by: Vec<Grouping>,
    /// Buckets with usage, oldest first (a bucket without any is left out).
    pub items: Vec<UsageItem>,
    /// Per resource (and node kind), over the whole range.
    pub totals: Vec<UsageTotal>,
    /// Tenant reports: the tenant's quotas now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota: Option<QuotaView>,
    /// Reseller reports: each of its tenants (deleted ones left out) with its quotas now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenants: Option<Vec<TenantQuota>>,
    pub generated_at: DateTime<Utc>,
}

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

/// Builds the report in the caller's (read) transaction, so its figures are one snapshot.
/// `default_storage_mb` is the server's `default_storage_quota_mb`.
pub fn build(
    c: &mut DbConn,
    req: &ReportRequest,
    now: NaiveDateTime,
    default_storage_mb: u64,
) -> Result<UsageReport, StoreError> {
    let rows = repo::usage::report(
        c,
        &ReportQuery {
            owner: req.owner.clone(),
            from: midnight(req.from),
            to: midnight(req.to),
            bucket: req.period.bucket(),
            by_tenant: req.by_tenant,
            by_node_kind: req.by_node_kind,
        },
    )?;
    let names: HashMap<String, String> = if req.by_tenant {
        let ids: BTreeSet<String> = rows.iter().filter_map(|r| r.tenant_id.clone()).collect();
        repo::tenants::with_ids(c, &ids.into_iter().collect::<Vec<_>>())?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect()
    } else {
        HashMap::new()
    };
    let mut items = rows
        .into_iter()
        .map(|r| item(req, r, &names))
        .collect::<Result<Vec<_>, _>>()?;
    items.sort_by(|a, b| {
        (
            a.period_start,
            &a.tenant_name,
            a.tenant_id,
            &a.resource,
            &a.node_kind,
        )
            .cmp(&(
                b.period_start,
                &b.tenant_name,
                b.tenant_id,
                &b.resource,
                &b.node_kind,
            ))
    });
    let mut totals: BTreeMap<(String, Option<String>), (i64, i64)> = BTreeMap::new();
    for i in &items {
        let t = totals
            .entry((i.resource.clone(), i.node_kind.clone()))
            .or_default();
        t.0 += i.audio_ms;
        t.1 += i.records;
    }
    let (scope, tenant_id, reseller_id) = match &req.owner {
        Owner::Tenant(t) => (ReportScope::Tenant, Some(uuid(t)), None),
        Owner::Reseller(r) => (ReportScope::Reseller, None, Some(uuid(r))),
        Owner::Platform => (ReportScope::Platform, None, None),
    };
    let (quota, tenants) = match &req.owner {
        Owner::Tenant(t) => {
            let tenants = repo::tenants::with_ids(c, std::slice::from_ref(t))?;
            let quota = quotas(c, &req.owner, &tenants, now, default_storage_mb)?
                .into_iter()
                .next()
                .map(|q| q.quota);
            (quota, None)
        }
        Owner::Reseller(r) => {
            let tenants: Vec<_> = repo::tenants::all_of_reseller(c, r)?
                .into_iter()
                .filter(|t| t.status != "deleted")
                .collect();
            (
                None,
                Some(quotas(c, &req.owner, &tenants, now, default_storage_mb)?),
            )
        }
        Owner::Platform => (None, None),
    };
    let mut group_by = vec![Grouping::Resource];
    if req.by_node_kind {
        group_by.push(Grouping::NodeKind);
    }
    if req.by_tenant {
        group_by.push(Grouping::Tenant);
    }
    Ok(UsageReport {
        scope,
        tenant_id,
        reseller_id,
        period: req.period,
        from: req.from,
        to: req.to,
        group_by,
        items,
        totals: totals
            .into_iter()
            .map(|((resource, node_kind), (audio_ms, records))| UsageTotal {
                resource,
                node_kind,
                audio_ms,
                records,
            })
            .collect(),
        quota,
        tenants,
        generated_at: now.and_utc(),
    })
}

fn item(
    req: &ReportRequest,
    r: ReportRow,
    names: &HashMap<String, String>,
) -> Result<UsageItem, StoreError> {
    let day = || {
        NaiveDate::parse_from_str(&r.bucket, "%Y-%m-%d")
            .map_err(|e| StoreError::Query(format!("usage bucket {:?}: {e}", r.bucket)))
    };
    let (start, end) = match req.period {
        Period::Day => {
            let d = day()?;
            (d, d.checked_add_days(Days::new(1)).unwrap_or(d))
        }
        Period::Month => {
            let (first, next) = month_of(day()?);
            (first.max(req.from), next.min(req.to))
        }
        Period::Range => (req.from, req.to),
    };
    let node_kind = (req.by_node_kind && r.resource_type == "node_audio")
        .then(|| r.node_kind.unwrap_or_else(|| "unknown".into()));
    Ok(UsageItem {
        period_start: start,
        period_end: end,
        tenant_name: r.tenant_id.as_ref().and_then(|t| names.get(t).cloned()),
        tenant_id: r.tenant_id.as_deref().map(uuid),
        resource: r.resource_type,
        node_kind,
        audio_ms: r.amount_milli,
        records: r.records,
    })
}

/// The quotas of `tenants` (all of `owner`'s) now, in their order, from grouped queries.
fn quotas(
    c: &mut DbConn,
    owner: &Owner,
    tenants: &[repo::tenants::TenantRow],
    now: NaiveDateTime,
    default_storage_mb: u64,
) -> Result<Vec<TenantQuota>, StoreError> {
    let month = admission::month_start(now);
    let by_tenant = |rows: Vec<repo::usage::TenantTotal>| -> HashMap<String, i64> {
        rows.into_iter().map(|r| (r.tenant_id, r.total)).collect()
    };
    let billed = by_tenant(repo::usage::totals_by_tenant(
        c,
        owner,
        &admission::BILLED,
        month,
    )?);
    let held = by_tenant(repo::reservations::held_by_tenant(c, owner, now)?);
    let stored = repo::files::used_bytes_by_tenant(c, owner)?;
    let plan_ids: BTreeSet<String> = tenants
        .iter()
        .filter_map(|t| t.subscription_plan_id.clone())
        .collect();
    let plans: HashMap<String, repo::plans::PlanRow> =
        repo::plans::with_ids(c, &plan_ids.into_iter().collect::<Vec<_>>())?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
    let default_storage = i64::try_from(default_storage_mb)
        .unwrap_or(i64::MAX)
        .saturating_mul(MIB);
    Ok(tenants
        .iter()
        .map(|t| {
            let plan = t.subscription_plan_id.as_ref().and_then(|p| plans.get(p));
            let processing = admission::QuotaUse {
                minutes: admission::quota_minutes_of(t, plan),
                billed_milli: billed.get(&t.id).copied().unwrap_or(0),
                held_milli: held.get(&t.id).copied().unwrap_or(0),
            };
            let storage_quota = t
                .storage_quota_mb
                .or(plan.map(|p| p.storage_quota_mb))
                .map_or(default_storage, |mb| i64::from(mb).saturating_mul(MIB));
            let used_bytes = stored.get(&t.id).copied().unwrap_or(0);
            TenantQuota {
                tenant_id: uuid(&t.id),
                name: t.name.clone(),
                status: t.status.clone(),
                quota: QuotaView {
                    month: month.format("%Y-%m").to_string(),
                    processing: ProcessingQuota {
                        quota_minutes: processing.minutes,
                        quota_ms: processing.quota_milli(),
                        billed_ms: processing.billed_milli,
                        reserved_ms: processing.held_milli,
                        used_ms: processing.used_milli(),
                        left_ms: processing.left_milli().map(|l| l.max(0)),
                    },
                    storage: StorageQuota {
                        quota_bytes: storage_quota,
                        used_bytes,
                        left_bytes: (storage_quota - used_bytes).max(0),
                    },
                },
            }
        })
        .collect())
}

/// The CSV columns, in order (the header row).
pub const CSV_COLUMNS: [&str; 8] = [
    "period_start",
    "period_end",
    "tenant_id",
    "tenant_name",
    "resource",
    "node_kind",
    "audio_ms",
    "records",
];

/// The report's items as CSV (RFC 4180): a header row, one row per item, CRLF line ends;
/// a field holding a comma, quote or line break is quoted, quotes doubled. Columns that
/// do not apply (`tenant_*` without `group_by=tenant`) are empty. A text field starting
/// with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so a spreadsheet
/// shows a tenant's name instead of running it as a formula.
pub fn to_csv(report: &UsageReport) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_COLUMNS.iter().map(|c| c.to_string()));
    for i in &report.items {
        push_row(
            &mut out,
            [
                i.period_start.to_string(),
                i.period_end.to_string(),
                i.tenant_id.map(|t| t.to_string()).unwrap_or_default(),
                text_cell(i.tenant_name.as_deref().unwrap_or("")),
                text_cell(&i.resource),
                text_cell(i.node_kind.as_deref().unwrap_or("")),
                i.audio_ms.to_string(),
                i.records.to_string(),
            ]
            .into_iter(),
        );
    }
    out
}

fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    for (n, f) in fields.enumerate() {
        if n > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn request(period: Period, from: &str, to: &str) -> ReportRequest {
        ReportRequest {
            owner: Owner::Platform,
            period,
            from: d(from),
            to: d(to),
            by_node_kind: false,
            by_tenant: false,
        }
    }

    #[test]
    fn ranges_are_half_open_and_bounded() {
        assert!(request(Period::Day, "2026-01-01", "2026-01-02")
            .check()
            .is_ok());
        assert!(request(Period::Day, "2026-01-01", "2026-01-01")
            .check()
            .is_err());
        assert!(request(Period::Day, "2026-01-02", "2026-01-01")
            .check()
            .is_err());
        // 2024 is a leap year: 366 days by day is the most.
        assert!(request(Period::Day, "2024-01-01", "2025-01-01")
            .check()
            .is_ok());
        assert!(request(Period::Day, "2024-01-01", "2025-01-02")
            .check()
            .is_err());
        assert!(request(Period::Month, "2020-01-01", "2030-01-01")
            .check()
            .is_ok());
        assert!(request(Period::Range, "2020-01-01", "2031-01-01")
            .check()
            .is_err());
    }

    #[test]
    fn months_are_clipped_to_the_range() {
        let req = request(Period::Month, "2026-01-15", "2026-03-10");
        let row = |bucket: &str| ReportRow {
            bucket: bucket.into(),
            tenant_id: None,
            resource_type: "job_audio".into(),
            node_kind: None,
            amount_milli: 1,
            records: 1,
        };
        let names = HashMap::new();
        let jan = item(&req, row("2026-01-01"), &names).expect("item");
        assert_eq!(
            (jan.period_start, jan.period_end),
            (d("2026-01-15"), d("2026-02-01"))
        );
        let feb = item(&req, row("2026-02-01"), &names).expect("item");
        assert_eq!(
            (feb.period_start, feb.period_end),
            (d("2026-02-01"), d("2026-03-01"))
        );
        let mar = item(&req, row("2026-03-01"), &names).expect("item");
        assert_eq!(
            (mar.period_start, mar.period_end),
            (d("2026-03-01"), d("2026-03-10"))
        );
        assert_eq!(
            month_of(d("2026-12-31")),
            (d("2026-12-01"), d("2027-01-01"))
        );
    }

    #[test]
    fn csv_quotes_per_rfc_4180_and_defuses_formulas() {
        let mut out = String::new();
        push_row(
            &mut out,
            [
                "a".to_string(),
                "b,c".into(),
                "say \"hi\"".into(),
                "x\ny".into(),
            ]
            .into_iter(),
        );
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\r\n");
        assert_eq!(text_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text_cell("-1"), "'-1");
        assert_eq!(text_cell("Acme"), "Acme");
    }
}
