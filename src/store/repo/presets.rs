//! `node_presets` and `node_preset_shares`: named parameter sets for one node kind, owned by
//! the platform, a reseller or a tenant.
//!
//! Two ways to see a preset, as for templates:
//! - **use** (read): the platform reads every preset; a reseller its own and the platform's
//!   (its templates may name those); a tenant what is offered to it — platform presets, its
//!   reseller's shared with all its tenants or with it by name — and its own. Anything else is
//!   missing.
//! - **manage** (write): the platform every preset, a reseller its own, a tenant its own.
//!
//! The PostgreSQL policies of the migration say the same again.

use super::{Page, PageRequest};
use crate::store::schema::node_preset_shares::dsl as s;
use crate::store::schema::node_presets::dsl as p;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::node_presets)]
pub struct PresetRow {
    pub id: String,
    /// A reseller-level preset's reseller (NULL for platform and tenant presets).
    pub reseller_id: Option<String>,
    /// A tenant-level preset's tenant.
    pub tenant_id: Option<String>,
    pub kind: String,
    pub name: String,
    pub description: Option<String>,
    /// JSON object.
    pub params: String,
    /// `all` or `selected` (reseller presets only).
    pub share_mode: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Who owns a preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Platform,
    Reseller,
    Tenant,
}

impl PresetRow {
    pub fn owner(&self) -> Owner {
        match (&self.reseller_id, &self.tenant_id) {
            (_, Some(_)) => Owner::Tenant,
            (Some(_), None) => Owner::Reseller,
            (None, None) => Owner::Platform,
        }
    }

    /// Whether `scope` may change or delete this preset (it sees it already).
    pub fn managed_by(&self, scope: &Scope) -> bool {
        match scope {
            Scope::System | Scope::Platform => true,
            Scope::Reseller { reseller_id } => {
                self.tenant_id.is_none()
                    && self.reseller_id.as_deref() == Some(reseller_id.to_string().as_str())
            }
            Scope::Tenant { tenant_id, .. } => {
                self.tenant_id.as_deref() == Some(tenant_id.to_string().as_str())
            }
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::node_preset_shares)]
pub struct PresetShareRow {
    pub preset_id: String,
    pub tenant_id: String,
    pub reseller_id: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::node_presets)]
pub struct PresetChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub params: Option<String>,
    pub share_mode: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

type Boxed<'a> = crate::store::schema::node_presets::BoxedQuery<'a, MultiBackend>;

/// The presets the scope may use (see the module docs).
fn visible(scope: &Scope) -> Boxed<'static> {
    let q = p::node_presets.into_boxed();
    let platform = p::reseller_id.is_null().and(p::tenant_id.is_null());
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            platform.or(p::tenant_id
                .is_null()
                .and(p::reseller_id.eq(reseller_id.to_string()))),
        ),
        Scope::Tenant {
            tenant_id,
            reseller_id,
        } => {
            let own = p::tenant_id.eq(tenant_id.to_string());
            match reseller_id {
                Some(r) => {
                    let chosen = p::id.eq_any(
                        s::node_preset_shares
                            .filter(s::tenant_id.eq(tenant_id.to_string()))
                            .select(s::preset_id),
                    );
                    q.filter(
                        platform.or(own).or(p::reseller_id
                            .eq(r.to_string())
                            .and(p::share_mode.eq("all").or(chosen))),
                    )
                }
                None => q.filter(platform.or(own)),
            }
        }
    }
}

pub fn insert(conn: &mut DbConn, row: &PresetRow) -> Result<(), StoreError> {
    diesel::insert_into(p::node_presets)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<PresetRow>, StoreError> {
    Ok(visible(scope)
        .filter(p::id.eq(id.to_string()))
        .select(PresetRow::as_select())
        .first(conn)
        .optional()?)
}

/// The visible presets among `ids` (for resolving a graph's references).
pub fn get_many(
    conn: &mut DbConn,
    scope: &Scope,
    ids: Vec<String>,
) -> Result<Vec<PresetRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(visible(scope)
        .filter(p::id.eq_any(ids))
        .select(PresetRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Default)]
pub struct PresetFilter {
    pub kind: Option<String>,
    pub owner: Option<Owner>,
    /// Case-insensitive substring of the name or description.
    pub text: Option<String>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    filter: &PresetFilter,
) -> Result<Page<PresetRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(p::id.lt(after.clone()));
    }
    if let Some(k) = &filter.kind {
        q = q.filter(p::kind.eq(k.clone()));
    }
    match filter.owner {
        Some(Owner::Platform) => q = q.filter(p::reseller_id.is_null().and(p::tenant_id.is_null())),
        Some(Owner::Reseller) => q = q.filter(p::reseller_id.is_not_null()),
        Some(Owner::Tenant) => q = q.filter(p::tenant_id.is_not_null()),
        None => {}
    }
    if let Some(text) = &filter.text {
        let pattern = super::contains_pattern(text);
        q = q.filter(
            super::lower(p::name)
                .like(pattern.clone())
                .escape('\\')
                .or(super::lower(p::description.assume_not_null())
                    .like(pattern)
                    .escape('\\')),
        );
    }
    let rows = q
        .order(p::id.desc())
        .limit(page.limit + 1)
        .select(PresetRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Every preset the scope may use, oldest first (for `GET /v1/nodes`), at most `limit`.
pub fn usable(conn: &mut DbConn, scope: &Scope, limit: i64) -> Result<Vec<PresetRow>, StoreError> {
    Ok(visible(scope)
        .order((p::kind.asc(), p::id.asc()))
        .limit(limit)
        .select(PresetRow::as_select())
        .load(conn)?)
}

/// Applies `changes` to a preset the caller has already found with [`get`].
pub fn update(conn: &mut DbConn, id: &str, changes: &PresetChanges) -> Result<(), StoreError> {
    diesel::update(p::node_presets.filter(p::id.eq(id.to_string())))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

/// Deletes a preset the caller has already found with [`get`], with its share list.
pub fn delete(conn: &mut DbConn, id: &str) -> Result<(), StoreError> {
    diesel::delete(s::node_preset_shares.filter(s::preset_id.eq(id.to_string()))).execute(conn)?;
    diesel::delete(p::node_presets.filter(p::id.eq(id.to_string()))).execute(conn)?;
    Ok(())
}

/// The tenants a `selected` preset is shared with.
pub fn shares(conn: &mut DbConn, preset_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(s::node_preset_shares
        .filter(s::preset_id.eq(preset_id.to_string()))
        .order(s::tenant_id.asc())
        .select(s::tenant_id)
        .load(conn)?)
}

/// Replaces a preset's share list.
pub fn replace_shares(
    conn: &mut DbConn,
    preset_id: &str,
    rows: &[PresetShareRow],
) -> Result<(), StoreError> {
    diesel::delete(s::node_preset_shares.filter(s::preset_id.eq(preset_id.to_string())))
        .execute(conn)?;
    // One row at a time: batch inserts do not build for diesel's MultiConnection backend.
    for row in rows {
        diesel::insert_into(s::node_preset_shares)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}
