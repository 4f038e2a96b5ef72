//! `audit_log`: one row per mutation, written in the same transaction as the change.

use super::{Page, PageRequest};
use crate::store::schema::audit_log::dsl as a;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::audit_log)]
pub struct AuditRow {
    pub id: String,
    pub actor_user_id: Option<String>,
    pub actor_api_key_id: Option<String>,
    pub tenant_id: Option<String>,
    pub reseller_id: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub details: String,
    pub at: NaiveDateTime,
}

type Boxed<'a> = crate::store::schema::audit_log::BoxedQuery<'a, MultiBackend>;

fn visible(scope: &Scope) -> Boxed<'static> {
    let q = a::audit_log.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(a::reseller_id.eq(reseller_id.to_string())),
        Scope::Tenant { tenant_id, .. } => q.filter(a::tenant_id.eq(tenant_id.to_string())),
    }
}

pub fn insert(conn: &mut DbConn, row: &AuditRow) -> Result<(), StoreError> {
    diesel::insert_into(a::audit_log)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<AuditRow>, StoreError> {
    Ok(visible(scope)
        .filter(a::id.eq(id.to_string()))
        .select(AuditRow::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub actor_user_id: Option<String>,
    pub tenant_id: Option<String>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    filter: &AuditFilter,
) -> Result<Page<AuditRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(a::id.lt(after.clone()));
    }
    if let Some(v) = &filter.action {
        q = q.filter(a::action.eq(v.clone()));
    }
    if let Some(v) = &filter.target_type {
        q = q.filter(a::target_type.eq(v.clone()));
    }
    if let Some(v) = &filter.target_id {
        q = q.filter(a::target_id.eq(v.clone()));
    }
    if let Some(v) = &filter.actor_user_id {
        q = q.filter(a::actor_user_id.eq(v.clone()));
    }
    if let Some(v) = &filter.tenant_id {
        q = q.filter(a::tenant_id.eq(v.clone()));
    }
    let rows = q
        .order(a::id.desc())
        .limit(page.limit + 1)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}
