//! `subscription_plans`: what a tenant pays and may use. System plans have no reseller.

use super::{Page, PageRequest};
use crate::store::schema::subscription_plans::dsl as p;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::subscription_plans)]
pub struct PlanRow {
    pub id: String,
    pub reseller_id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub currency: String,
    pub price_monthly_cents: i64,
    pub price_yearly_cents: i64,
    pub storage_quota_mb: i32,
    pub processing_quota_minutes: i32,
    pub max_users: i32,
    pub max_concurrent_jobs: i32,
    pub features: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Price of a minute beyond the included ones, in thousandths of a cent.
    pub overage_millicents_per_minute: i64,
    /// Days uploaded files and job artifacts are kept (docs/data-lifecycle.md); null: kept.
    pub retention_days: Option<i32>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::subscription_plans)]
pub struct PlanChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub currency: Option<String>,
    pub price_monthly_cents: Option<i64>,
    pub price_yearly_cents: Option<i64>,
    pub storage_quota_mb: Option<i32>,
    pub processing_quota_minutes: Option<i32>,
    pub max_users: Option<i32>,
    pub max_concurrent_jobs: Option<i32>,
    pub features: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
    pub overage_millicents_per_minute: Option<i64>,
    pub retention_days: Option<Option<i32>>,
}

impl PlanRow {
    /// The typed features, read leniently (see [`crate::plan_features`]); the
    /// `max_concurrent_jobs` column is authoritative and mirrored into them.
    pub fn features(&self) -> crate::plan_features::PlanFeatures {
        let mut f = crate::plan_features::PlanFeatures::from_stored(&self.id, &self.features);
        f.max_concurrent_jobs = u32::try_from(self.max_concurrent_jobs).ok();
        f
    }
}

type Boxed<'a> = crate::store::schema::subscription_plans::BoxedQuery<'a, MultiBackend>;

/// Plans the scope may read: all for the platform; system plans plus the reseller's own otherwise.
fn readable(scope: &Scope) -> Boxed<'static> {
    let q = p::subscription_plans.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        _ => match scope.reseller_id() {
            Some(rid) => q.filter(
                p::reseller_id
                    .is_null()
                    .or(p::reseller_id.eq(rid.to_string())),
            ),
            None => q.filter(p::reseller_id.is_null()),
        },
    }
}

/// Plans the scope may change: all for the platform; only its own for a reseller; none for tenants.
fn writable(scope: &Scope) -> Boxed<'static> {
    let q = p::subscription_plans.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(p::reseller_id.eq(reseller_id.to_string())),
        Scope::Tenant { .. } => q.filter(p::id.eq("")),
    }
}

pub fn insert(conn: &mut DbConn, row: &PlanRow) -> Result<(), StoreError> {
    diesel::insert_into(p::subscription_plans)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<PlanRow>, StoreError> {
    Ok(readable(scope)
        .filter(p::id.eq(id.to_string()))
        .select(PlanRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn get_writable(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Option<PlanRow>, StoreError> {
    Ok(writable(scope)
        .filter(p::id.eq(id.to_string()))
        .select(PlanRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    reseller_id: Option<&str>,
) -> Result<Page<PlanRow>, StoreError> {
    let mut q = readable(scope);
    if let Some(after) = &page.after {
        q = q.filter(p::id.lt(after.clone()));
    }
    if let Some(rid) = reseller_id {
        q = q.filter(p::reseller_id.eq(rid.to_string()));
    }
    let rows = q
        .order(p::id.desc())
        .limit(page.limit + 1)
        .select(PlanRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

pub fn update(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
    changes: &PlanChanges,
) -> Result<Option<PlanRow>, StoreError> {
    if get_writable(conn, scope, id)?.is_none() {
        return Ok(None);
    }
    diesel::update(p::subscription_plans.filter(p::id.eq(id.to_string())))
        .set(changes)
        .execute(conn)?;
    get(conn, scope, id)
}

pub fn delete(conn: &mut DbConn, id: &str) -> Result<(), StoreError> {
    diesel::delete(p::subscription_plans.filter(p::id.eq(id.to_string()))).execute(conn)?;
    Ok(())
}

/// The plans with these ids (any owner: the caller has read the tenants that use them).
pub fn with_ids(conn: &mut DbConn, ids: &[String]) -> Result<Vec<PlanRow>, StoreError> {
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        rows.extend(
            p::subscription_plans
                .filter(p::id.eq_any(chunk.to_vec()))
                .select(PlanRow::as_select())
                .load(conn)?,
        );
    }
    Ok(rows)
}
