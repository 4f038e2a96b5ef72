//! `tenants`: customer organisations, each under a reseller (or sold directly by the platform).

use super::{Page, PageRequest};
use crate::store::schema::tenants::dsl as t;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::tenants)]
pub struct TenantRow {
    pub id: String,
    pub reseller_id: Option<String>,
    pub name: String,
    pub domain: Option<String>,
    pub subscription_plan_id: Option<String>,
    pub subscription_id: Option<String>,
    pub subscription_status: String,
    pub branding_configuration_id: Option<String>,
    pub storage_quota_mb: Option<i32>,
    pub processing_quota_minutes: Option<i32>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When `subscription_status` became `past_due` (the grace period runs from then).
    pub past_due_since: Option<NaiveDateTime>,
    /// `month` or `year`: which of the plan's prices it pays (docs/billing.md).
    pub billing_interval: String,
    /// A deleted tenant is purged once this has passed (docs/data-lifecycle.md).
    pub purge_after: Option<NaiveDateTime>,
    /// When the sweeper purged it: its data is gone, its bills remain.
    pub purged_at: Option<NaiveDateTime>,
    /// Overrides the plan's `retention_days`.
    pub retention_days: Option<i32>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::tenants)]
pub struct TenantChanges {
    pub name: Option<String>,
    pub domain: Option<Option<String>>,
    pub subscription_plan_id: Option<Option<String>>,
    pub subscription_id: Option<Option<String>>,
    pub subscription_status: Option<String>,
    pub storage_quota_mb: Option<Option<i32>>,
    pub processing_quota_minutes: Option<Option<i32>>,
    pub status: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
    pub past_due_since: Option<Option<NaiveDateTime>>,
    pub billing_interval: Option<String>,
    pub purge_after: Option<Option<NaiveDateTime>>,
    pub purged_at: Option<Option<NaiveDateTime>>,
    pub retention_days: Option<Option<i32>>,
}

impl TenantChanges {
    /// Does this change what the tenant is billed for (its plan history)?
    fn touches_billing(&self) -> bool {
        self.subscription_plan_id.is_some()
            || self.subscription_status.is_some()
            || self.status.is_some()
            || self.billing_interval.is_some()
    }
}

/// One row of `tenant_plan_history`: what the tenant was subscribed to from `effective_at`
/// until the next row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::tenant_plan_history)]
pub struct PlanHistoryRow {
    pub id: String,
    pub tenant_id: String,
    pub plan_id: Option<String>,
    pub billing_interval: String,
    pub subscription_status: String,
    pub tenant_status: String,
    pub effective_at: NaiveDateTime,
}

impl PlanHistoryRow {
    fn of(t: &TenantRow, effective_at: NaiveDateTime) -> Self {
        PlanHistoryRow {
            id: crate::store::new_id(),
            tenant_id: t.id.clone(),
            plan_id: t.subscription_plan_id.clone(),
            billing_interval: t.billing_interval.clone(),
            subscription_status: t.subscription_status.clone(),
            tenant_status: t.status.clone(),
            effective_at,
        }
    }
}

type Boxed<'a> = crate::store::schema::tenants::BoxedQuery<'a, MultiBackend>;

fn visible(scope: &Scope) -> Boxed<'static> {
    let q = t::tenants.filter(t::status.ne("deleted")).into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(t::reseller_id.eq(reseller_id.to_string())),
        Scope::Tenant { tenant_id, .. } => q.filter(t::id.eq(tenant_id.to_string())),
    }
}

/// Inserts a tenant and the first row of its plan history (in the caller's transaction).
pub fn insert(conn: &mut DbConn, row: &TenantRow) -> Result<(), StoreError> {
    diesel::insert_into(t::tenants).values(row).execute(conn)?;
    record_history(conn, &PlanHistoryRow::of(row, row.created_at))
}

/// Writes a row of a tenant's plan history (the repository does on every billing change).
pub fn record_history(conn: &mut DbConn, row: &PlanHistoryRow) -> Result<(), StoreError> {
    use crate::store::schema::tenant_plan_history::dsl as h;
    diesel::insert_into(h::tenant_plan_history)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A tenant's plan history that bears on `[from, to)`: the row in force at `from` (if any)
/// and every later one before `to`, oldest first.
pub fn plan_history(
    conn: &mut DbConn,
    tenant_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<PlanHistoryRow>, StoreError> {
    use crate::store::schema::tenant_plan_history::dsl as h;
    let base = || {
        h::tenant_plan_history
            .filter(h::tenant_id.eq(tenant_id.to_string()))
            .select(PlanHistoryRow::as_select())
    };
    let mut rows: Vec<PlanHistoryRow> = base()
        .filter(h::effective_at.le(from))
        .order((h::effective_at.desc(), h::id.desc()))
        .limit(1)
        .load(conn)?;
    rows.extend(
        base()
            .filter(h::effective_at.gt(from))
            .filter(h::effective_at.lt(to))
            .order((h::effective_at.asc(), h::id.asc()))
            .load::<PlanHistoryRow>(conn)?,
    );
    Ok(rows)
}

/// Every tenant with plan history before `to` (deleted ones included): those a billing
/// period ending at `to` may bill.
pub fn with_history_before(
    conn: &mut DbConn,
    to: NaiveDateTime,
) -> Result<Vec<TenantRow>, StoreError> {
    use crate::store::schema::tenant_plan_history::dsl as h;
    let ids: Vec<String> = h::tenant_plan_history
        .filter(h::effective_at.lt(to))
        .select(h::tenant_id)
        .distinct()
        .load(conn)?;
    let mut rows = with_ids(conn, &ids)?;
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows)
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<TenantRow>, StoreError> {
    Ok(visible(scope)
        .filter(t::id.eq(id.to_string()))
        .select(TenantRow::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Default)]
pub struct TenantFilter {
    pub status: Option<String>,
    pub reseller_id: Option<String>,
    pub name_contains: Option<String>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    filter: &TenantFilter,
) -> Result<Page<TenantRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(t::id.lt(after.clone()));
    }
    if let Some(s) = &filter.status {
        q = q.filter(t::status.eq(s.clone()));
    }
    if let Some(rid) = &filter.reseller_id {
        q = q.filter(t::reseller_id.eq(rid.clone()));
    }
    if let Some(n) = &filter.name_contains {
        q = q.filter(
            super::lower(t::name)
                .like(super::contains_pattern(n))
                .escape('\\'),
        );
    }
    let rows = q
        .order(t::id.desc())
        .limit(page.limit + 1)
        .select(TenantRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

pub fn update(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
    changes: &TenantChanges,
) -> Result<Option<TenantRow>, StoreError> {
    if get(conn, scope, id)?.is_none() {
        return Ok(None);
    }
    diesel::update(t::tenants.filter(t::id.eq(id.to_string())))
        .set(changes)
        .execute(conn)?;
    let updated = t::tenants
        .filter(t::id.eq(id.to_string()))
        .select(TenantRow::as_select())
        .first(conn)?;
    if changes.touches_billing() {
        let at = changes.updated_at.unwrap_or_else(crate::store::now);
        record_history(conn, &PlanHistoryRow::of(&updated, at))?;
    }
    // A deleted tenant is not visible any more: answer with what was written.
    Ok(Some(updated))
}

/// How many tenants use a plan (a plan in use cannot be deleted).
pub fn count_on_plan(conn: &mut DbConn, plan_id: &str) -> Result<i64, StoreError> {
    Ok(t::tenants
        .filter(t::subscription_plan_id.eq(plan_id.to_string()))
        .filter(t::status.ne("deleted"))
        .count()
        .get_result(conn)?)
}

/// Deleted tenants keep their plan for the record; a plan being deleted lets go of them.
pub fn detach_plan_from_deleted(conn: &mut DbConn, plan_id: &str) -> Result<(), StoreError> {
    diesel::update(
        t::tenants
            .filter(t::subscription_plan_id.eq(plan_id.to_string()))
            .filter(t::status.eq("deleted")),
    )
    .set(t::subscription_plan_id.eq(None::<String>))
    .execute(conn)?;
    Ok(())
}

/// Every tenant of a reseller, deleted ones included (oldest first), for reports that must
/// still name a deleted tenant whose usage they count.
pub fn all_of_reseller(conn: &mut DbConn, reseller_id: &str) -> Result<Vec<TenantRow>, StoreError> {
    Ok(t::tenants
        .filter(t::reseller_id.eq(reseller_id.to_string()))
        .order(t::id.asc())
        .select(TenantRow::as_select())
        .load(conn)?)
}

/// The tenants with these ids, deleted ones included.
pub fn with_ids(conn: &mut DbConn, ids: &[String]) -> Result<Vec<TenantRow>, StoreError> {
    let mut rows = Vec::with_capacity(ids.len());
    // Bounded IN lists: a platform report may name thousands of tenants.
    for chunk in ids.chunks(500) {
        rows.extend(
            t::tenants
                .filter(t::id.eq_any(chunk.to_vec()))
                .select(TenantRow::as_select())
                .load(conn)?,
        );
    }
    Ok(rows)
}

/// Deleted tenants due for purging at `now`, not purged yet (the sweeper's work list).
pub fn due_for_purge(conn: &mut DbConn, now: NaiveDateTime) -> Result<Vec<TenantRow>, StoreError> {
    Ok(t::tenants
        .filter(t::status.eq("deleted"))
        .filter(t::purged_at.is_null())
        .filter(t::purge_after.le(now))
        .order(t::purge_after.asc())
        .select(TenantRow::as_select())
        .load(conn)?)
}

/// Gives tenants deleted before purges existed a purge date: `grace` after their deletion.
pub fn schedule_unscheduled_purges(
    conn: &mut DbConn,
    grace: chrono::TimeDelta,
) -> Result<(), StoreError> {
    let unscheduled: Vec<(String, NaiveDateTime)> = t::tenants
        .filter(t::status.eq("deleted"))
        .filter(t::purged_at.is_null())
        .filter(t::purge_after.is_null())
        .select((t::id, t::updated_at))
        .load(conn)?;
    for (id, deleted_at) in unscheduled {
        diesel::update(t::tenants.filter(t::id.eq(id)))
            .set(t::purge_after.eq(Some(deleted_at + grace)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn mark_purged(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(t::tenants.filter(t::id.eq(id.to_string())))
        .set(t::purged_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// How many days a tenant's files and job artifacts are kept: its own `retention_days`,
/// else its plan's; `None`: kept until deleted.
pub fn retention_days(conn: &mut DbConn, tenant_id: &str) -> Result<Option<i32>, StoreError> {
    use crate::store::schema::subscription_plans::dsl as p;
    let found: Option<(Option<i32>, Option<i32>)> = t::tenants
        .left_join(p::subscription_plans.on(p::id.nullable().eq(t::subscription_plan_id)))
        .filter(t::id.eq(tenant_id.to_string()))
        .select((t::retention_days, p::retention_days.nullable()))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(own, plan)| own.or(plan)))
}

/// Every live tenant whose files and artifacts expire, with its retention in days.
pub fn with_retention(conn: &mut DbConn) -> Result<Vec<(String, i32)>, StoreError> {
    use crate::store::schema::subscription_plans::dsl as p;
    let rows: Vec<(String, Option<i32>, Option<i32>)> = t::tenants
        .left_join(p::subscription_plans.on(p::id.nullable().eq(t::subscription_plan_id)))
        .filter(t::status.ne("deleted"))
        .filter(
            t::retention_days
                .is_not_null()
                .or(p::retention_days.is_not_null()),
        )
        .select((t::id, t::retention_days, p::retention_days.nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, own, plan)| own.or(plan).map(|d| (id, d)))
        .collect())
}
