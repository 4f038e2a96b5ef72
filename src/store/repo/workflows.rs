//! `workflows` and `workflow_versions`: saved graphs per tenant. Every update appends an
//! immutable version; `workflows` carries the current one.

use super::{Page, PageRequest};
use crate::store::schema::workflow_versions::dsl as v;
use crate::store::schema::workflows::dsl as w;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::workflows)]
pub struct WorkflowRow {
    pub id: String,
    pub tenant_id: String,
    pub user_id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    /// The current graph, in Voxflow's normal form (JSON).
    pub config: String,
    pub is_template: bool,
    pub is_public: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub current_version: i32,
    pub deleted_at: Option<NaiveDateTime>,
    /// For an instance: the template and version it was copied from (last upgraded to).
    pub template_id: Option<String>,
    pub template_version: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::workflow_versions)]
pub struct WorkflowVersionRow {
    pub id: String,
    pub workflow_id: String,
    pub tenant_id: String,
    pub version: i32,
    pub name: String,
    pub description: Option<String>,
    pub config: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::workflows)]
pub struct WorkflowChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub config: Option<String>,
    pub is_template: Option<bool>,
    pub is_public: Option<bool>,
    pub current_version: Option<i32>,
    pub updated_at: Option<NaiveDateTime>,
    pub deleted_at: Option<Option<NaiveDateTime>>,
    pub template_version: Option<Option<i32>>,
}

type Boxed<'a> = crate::store::schema::workflows::BoxedQuery<'a, MultiBackend>;

/// Live workflows in the scope; with `viewer` (a non-admin user id), only that user's own
/// workflows and those shared within the tenant (`is_public`).
fn visible(scope: &Scope, viewer: Option<&str>) -> Boxed<'static> {
    let mut q = w::workflows.filter(w::deleted_at.is_null()).into_boxed();
    q = match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            w::tenant_id
                .nullable()
                .eq_any(super::tenants_of_reseller(reseller_id)),
        ),
        Scope::Tenant { tenant_id, .. } => q.filter(w::tenant_id.eq(tenant_id.to_string())),
    };
    if let Some(user) = viewer {
        q = q.filter(w::is_public.eq(true).or(w::user_id.eq(user.to_string())));
    }
    q
}

pub fn insert(
    conn: &mut DbConn,
    row: &WorkflowRow,
    version: &WorkflowVersionRow,
) -> Result<(), StoreError> {
    diesel::insert_into(w::workflows)
        .values(row)
        .execute(conn)?;
    insert_version(conn, version)
}

pub fn get(
    conn: &mut DbConn,
    scope: &Scope,
    viewer: Option<&str>,
    id: &str,
) -> Result<Option<WorkflowRow>, StoreError> {
    Ok(visible(scope, viewer)
        .filter(w::id.eq(id.to_string()))
        .select(WorkflowRow::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Default)]
pub struct WorkflowFilter {
    pub is_template: Option<bool>,
    pub name_contains: Option<String>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    viewer: Option<&str>,
    page: &PageRequest,
    filter: &WorkflowFilter,
) -> Result<Page<WorkflowRow>, StoreError> {
    let mut q = visible(scope, viewer);
    if let Some(after) = &page.after {
        q = q.filter(w::id.lt(after.clone()));
    }
    if let Some(t) = filter.is_template {
        q = q.filter(w::is_template.eq(t));
    }
    if let Some(n) = &filter.name_contains {
        q = q.filter(
            super::lower(w::name)
                .like(super::contains_pattern(n))
                .escape('\\'),
        );
    }
    let rows = q
        .order(w::id.desc())
        .limit(page.limit + 1)
        .select(WorkflowRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Applies `changes` to a workflow the caller has already found with [`get`].
pub fn update(conn: &mut DbConn, id: &str, changes: &WorkflowChanges) -> Result<(), StoreError> {
    diesel::update(w::workflows.filter(w::id.eq(id.to_string())))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

/// Records a new immutable version (the caller numbers it).
pub fn insert_version(conn: &mut DbConn, version: &WorkflowVersionRow) -> Result<(), StoreError> {
    diesel::insert_into(v::workflow_versions)
        .values(version)
        .execute(conn)?;
    Ok(())
}

type VersionsBoxed<'a> = crate::store::schema::workflow_versions::BoxedQuery<'a, MultiBackend>;

/// Versions in the scope's tenants (callers check the workflow itself with [`get`] first).
fn versions_in_scope(scope: &Scope) -> VersionsBoxed<'static> {
    let q = v::workflow_versions.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            v::tenant_id
                .nullable()
                .eq_any(super::tenants_of_reseller(reseller_id)),
        ),
        Scope::Tenant { tenant_id, .. } => q.filter(v::tenant_id.eq(tenant_id.to_string())),
    }
}

/// Versions of a workflow, newest first.
pub fn versions(
    conn: &mut DbConn,
    scope: &Scope,
    workflow_id: &str,
) -> Result<Vec<WorkflowVersionRow>, StoreError> {
    Ok(versions_in_scope(scope)
        .filter(v::workflow_id.eq(workflow_id.to_string()))
        .order(v::version.desc())
        .select(WorkflowVersionRow::as_select())
        .load(conn)?)
}

pub fn version(
    conn: &mut DbConn,
    scope: &Scope,
    workflow_id: &str,
    number: i32,
) -> Result<Option<WorkflowVersionRow>, StoreError> {
    Ok(versions_in_scope(scope)
        .filter(v::workflow_id.eq(workflow_id.to_string()))
        .filter(v::version.eq(number))
        .select(WorkflowVersionRow::as_select())
        .first(conn)
        .optional()?)
}
