//! `workflow_templates`, `workflow_template_versions` and `workflow_template_shares`:
//! graphs the platform or a reseller authors and offers to tenants.
//!
//! Two ways to see a template: its **owner** (the platform for every template, a reseller
//! for its own) sees every state and version; a **tenant** sees only what is offered to it
//! — published or deprecated templates of the platform or of its own reseller (shared with
//! all its tenants, or with it by name), and only their published versions. Anything else
//! is missing. The PostgreSQL policies of the migration say the same again.

use super::{Page, PageRequest};
use crate::store::schema::workflow_template_shares::dsl as s;
use crate::store::schema::workflow_template_versions::dsl as v;
use crate::store::schema::workflow_templates::dsl as t;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::workflow_templates)]
pub struct TemplateRow {
    pub id: String,
    /// The owner: a reseller, or NULL for the platform.
    pub reseller_id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    /// JSON array of tags.
    pub tags: String,
    pub preview_image_url: Option<String>,
    /// `draft`, `published` or `deprecated`.
    pub status: String,
    /// `all` (every tenant of the owner) or `selected` (the share list).
    pub share_mode: String,
    pub current_version: i32,
    pub published_version: Option<i32>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::workflow_template_versions)]
pub struct TemplateVersionRow {
    pub id: String,
    pub template_id: String,
    pub reseller_id: Option<String>,
    pub version: i32,
    pub name: String,
    pub description: Option<String>,
    pub config: String,
    pub inputs_doc: String,
    pub published_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::workflow_template_shares)]
pub struct TemplateShareRow {
    pub template_id: String,
    pub tenant_id: String,
    pub reseller_id: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::workflow_templates)]
pub struct TemplateChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub category: Option<Option<String>>,
    pub tags: Option<String>,
    pub preview_image_url: Option<Option<String>>,
    pub status: Option<String>,
    pub share_mode: Option<String>,
    pub current_version: Option<i32>,
    pub published_version: Option<Option<i32>>,
    pub updated_at: Option<NaiveDateTime>,
}

type Boxed<'a> = crate::store::schema::workflow_templates::BoxedQuery<'a, MultiBackend>;

/// The templates the scope may see (see the module docs).
fn visible(scope: &Scope) -> Boxed<'static> {
    let q = t::workflow_templates.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(t::reseller_id.eq(reseller_id.to_string())),
        Scope::Tenant {
            tenant_id,
            reseller_id,
        } => {
            let offered = t::status.eq_any(["published", "deprecated"]);
            let chosen = t::id.eq_any(
                s::workflow_template_shares
                    .filter(s::tenant_id.eq(tenant_id.to_string()))
                    .select(s::template_id),
            );
            match reseller_id {
                Some(r) => q.filter(offered).filter(
                    t::reseller_id.is_null().or(t::reseller_id
                        .eq(r.to_string())
                        .and(t::share_mode.eq("all").or(chosen))),
                ),
                None => q.filter(offered).filter(t::reseller_id.is_null()),
            }
        }
    }
}

/// Whether the scope sees templates as their owner (every state and version).
pub fn is_owner(scope: &Scope) -> bool {
    !matches!(scope, Scope::Tenant { .. })
}

pub fn insert(
    conn: &mut DbConn,
    row: &TemplateRow,
    version: &TemplateVersionRow,
) -> Result<(), StoreError> {
    diesel::insert_into(t::workflow_templates)
        .values(row)
        .execute(conn)?;
    insert_version(conn, version)
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<TemplateRow>, StoreError> {
    Ok(visible(scope)
        .filter(t::id.eq(id.to_string()))
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Default)]
pub struct TemplateFilter {
    pub category: Option<String>,
    pub tag: Option<String>,
    /// Case-insensitive substring of the name or description.
    pub text: Option<String>,
    pub status: Option<String>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    filter: &TemplateFilter,
) -> Result<Page<TemplateRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(t::id.lt(after.clone()));
    }
    if let Some(c) = &filter.category {
        q = q.filter(t::category.eq(c.clone()));
    }
    if let Some(tag) = &filter.tag {
        // Tags are stored as a JSON array of validated strings (no quotes or backslashes).
        q = q.filter(t::tags.like(format!("%\"{tag}\"%")));
    }
    if let Some(st) = &filter.status {
        q = q.filter(t::status.eq(st.clone()));
    }
    if let Some(text) = &filter.text {
        let pattern = super::contains_pattern(text);
        q = q.filter(
            super::lower(t::name)
                .like(pattern.clone())
                .escape('\\')
                .or(super::lower(t::description.assume_not_null())
                    .like(pattern)
                    .escape('\\')),
        );
    }
    let rows = q
        .order(t::id.desc())
        .limit(page.limit + 1)
        .select(TemplateRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Applies `changes` to a template the caller has already found with [`get`].
pub fn update(conn: &mut DbConn, id: &str, changes: &TemplateChanges) -> Result<(), StoreError> {
    diesel::update(t::workflow_templates.filter(t::id.eq(id.to_string())))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

/// Records a new immutable version (the caller numbers it).
pub fn insert_version(conn: &mut DbConn, version: &TemplateVersionRow) -> Result<(), StoreError> {
    diesel::insert_into(v::workflow_template_versions)
        .values(version)
        .execute(conn)?;
    Ok(())
}

type VersionsBoxed<'a> =
    crate::store::schema::workflow_template_versions::BoxedQuery<'a, MultiBackend>;

/// Versions of templates the scope sees ([`get`] first); a tenant sees published ones only.
fn versions_in_scope(scope: &Scope, template_id: &str) -> VersionsBoxed<'static> {
    let q = v::workflow_template_versions
        .filter(v::template_id.eq(template_id.to_string()))
        .into_boxed();
    if is_owner(scope) {
        q
    } else {
        q.filter(v::published_at.is_not_null())
    }
}

/// Versions of a template the caller has found with [`get`], newest first.
pub fn versions(
    conn: &mut DbConn,
    scope: &Scope,
    template_id: &str,
) -> Result<Vec<TemplateVersionRow>, StoreError> {
    Ok(versions_in_scope(scope, template_id)
        .order(v::version.desc())
        .select(TemplateVersionRow::as_select())
        .load(conn)?)
}

pub fn version(
    conn: &mut DbConn,
    scope: &Scope,
    template_id: &str,
    number: i32,
) -> Result<Option<TemplateVersionRow>, StoreError> {
    Ok(versions_in_scope(scope, template_id)
        .filter(v::version.eq(number))
        .select(TemplateVersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a version published (once; publishing it again keeps the first time).
pub fn publish_version(
    conn: &mut DbConn,
    template_id: &str,
    number: i32,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        v::workflow_template_versions
            .filter(v::template_id.eq(template_id.to_string()))
            .filter(v::version.eq(number))
            .filter(v::published_at.is_null()),
    )
    .set(v::published_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

/// The tenants a `selected` template is shared with.
pub fn shares(conn: &mut DbConn, template_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(s::workflow_template_shares
        .filter(s::template_id.eq(template_id.to_string()))
        .order(s::tenant_id.asc())
        .select(s::tenant_id)
        .load(conn)?)
}

/// Replaces a template's share list.
pub fn replace_shares(
    conn: &mut DbConn,
    template_id: &str,
    rows: &[TemplateShareRow],
) -> Result<(), StoreError> {
    diesel::delete(s::workflow_template_shares.filter(s::template_id.eq(template_id.to_string())))
        .execute(conn)?;
    // One row at a time: batch inserts do not build for diesel's MultiConnection backend.
    for row in rows {
        diesel::insert_into(s::workflow_template_shares)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// (id, published version, status) of the visible templates among `ids`, for instances'
/// `upgrade_available`.
pub fn latest_published(
    conn: &mut DbConn,
    scope: &Scope,
    ids: Vec<String>,
) -> Result<Vec<(String, Option<i32>, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(visible(scope)
        .filter(t::id.eq_any(ids))
        .select((t::id, t::published_version, t::status))
        .load(conn)?)
}

/// Which of `ids` are tenants of `reseller_id` (for share lists).
pub fn tenants_of(
    conn: &mut DbConn,
    reseller_id: &str,
    ids: &[String],
) -> Result<Vec<String>, StoreError> {
    use crate::store::schema::tenants::dsl as tn;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(tn::tenants
        .filter(tn::reseller_id.eq(reseller_id.to_string()))
        .filter(tn::id.eq_any(ids.to_vec()))
        .select(tn::id)
        .load(conn)?)
}
