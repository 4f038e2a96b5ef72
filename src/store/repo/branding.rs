//! `branding_configurations` and `branding_assets`: one configuration per owner (the
//! platform, a reseller, a tenant) and the logos and favicons it names.
//!
//! Who sees (and manages) which configuration: the platform every one; a reseller its own
//! and its tenants'; a tenant user its own tenant's. Anything else is missing. The
//! PostgreSQL policies of the migration say the same again. Resolution and the public
//! lookups read in the system scope ([`chain`], [`by_domain`], [`by_subdomain`],
//! [`public_asset`]): they hand out branding only.

use super::{tenants_of_reseller, Page, PageRequest};
use crate::store::schema::branding_assets::dsl as a;
use crate::store::schema::branding_configurations::dsl as b;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::branding_configurations)]
pub struct BrandingRow {
    pub id: String,
    /// `platform`, `reseller` or `tenant`.
    pub level: String,
    pub reseller_id: Option<String>,
    pub tenant_id: Option<String>,
    pub product_name: Option<String>,
    pub logo_asset_id: Option<String>,
    pub favicon_asset_id: Option<String>,
    /// JSON object of colour name → `#rrggbb`.
    pub colors: String,
    pub support_email: Option<String>,
    pub support_url: Option<String>,
    pub email_sender_name: Option<String>,
    pub powered_by: Option<bool>,
    pub custom_domain: Option<String>,
    pub subdomain: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::branding_configurations)]
pub struct BrandingChanges {
    pub product_name: Option<Option<String>>,
    pub logo_asset_id: Option<Option<String>>,
    pub favicon_asset_id: Option<Option<String>>,
    pub colors: Option<String>,
    pub support_email: Option<Option<String>>,
    pub support_url: Option<Option<String>>,
    pub email_sender_name: Option<Option<String>>,
    pub powered_by: Option<Option<bool>>,
    pub custom_domain: Option<Option<String>>,
    pub subdomain: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

/// An asset without its bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::store::schema::branding_assets)]
pub struct AssetMeta {
    pub id: String,
    pub configuration_id: String,
    /// `logo` or `favicon`.
    pub kind: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub size_bytes: i32,
    pub sha256: String,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = crate::store::schema::branding_assets)]
pub struct NewAsset {
    pub id: String,
    pub configuration_id: String,
    pub kind: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub size_bytes: i32,
    pub sha256: String,
    pub data: Option<Vec<u8>>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

type Boxed<'a> = crate::store::schema::branding_configurations::BoxedQuery<'a, MultiBackend>;

/// The configurations the scope may see and manage (see the module docs).
fn visible(scope: &Scope) -> Boxed<'static> {
    let q = b::branding_configurations.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            b::level
                .eq("reseller")
                .and(b::reseller_id.eq(reseller_id.to_string()))
                .or(b::level
                    .eq("tenant")
                    .and(b::tenant_id.eq_any(tenants_of_reseller(reseller_id)))),
        ),
        Scope::Tenant { tenant_id, .. } => q
            .filter(b::level.eq("tenant"))
            .filter(b::tenant_id.eq(tenant_id.to_string())),
    }
}

pub fn insert(conn: &mut DbConn, row: &BrandingRow) -> Result<(), StoreError> {
    diesel::insert_into(b::branding_configurations)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<BrandingRow>, StoreError> {
    Ok(visible(scope)
        .filter(b::id.eq(id.to_string()))
        .select(BrandingRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    level: Option<&str>,
) -> Result<Page<BrandingRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(b::id.lt(after.clone()));
    }
    if let Some(level) = level {
        q = q.filter(b::level.eq(level.to_string()));
    }
    let rows = q
        .order(b::id.desc())
        .limit(page.limit + 1)
        .select(BrandingRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

pub fn update(conn: &mut DbConn, id: &str, changes: &BrandingChanges) -> Result<(), StoreError> {
    diesel::update(b::branding_configurations.filter(b::id.eq(id.to_string())))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

/// Deletes a configuration and its assets.
pub fn delete(conn: &mut DbConn, id: &str) -> Result<(), StoreError> {
    diesel::delete(a::branding_assets.filter(a::configuration_id.eq(id.to_string())))
        .execute(conn)?;
    diesel::delete(b::branding_configurations.filter(b::id.eq(id.to_string()))).execute(conn)?;
    Ok(())
}

/// Which owner a configuration is for (the system scope: any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Platform,
    Reseller(String),
    Tenant(String),
}

/// The configuration of one owner, if it has one.
pub fn of_owner(conn: &mut DbConn, owner: &Owner) -> Result<Option<BrandingRow>, StoreError> {
    let q = b::branding_configurations.into_boxed();
    let q = match owner {
        Owner::Platform => q.filter(b::level.eq("platform")),
        Owner::Reseller(r) => q
            .filter(b::level.eq("reseller"))
            .filter(b::reseller_id.eq(r.clone())),
        Owner::Tenant(t) => q
            .filter(b::level.eq("tenant"))
            .filter(b::tenant_id.eq(t.clone())),
    };
    Ok(q.select(BrandingRow::as_select()).first(conn).optional()?)
}

/// The configurations a resolution merges, most specific first (for the system scope):
/// the tenant's (if any), the reseller's (if any), the platform's.
pub fn chain(conn: &mut DbConn, owners: &[Owner]) -> Result<Vec<BrandingRow>, StoreError> {
    let mut rows = Vec::new();
    for owner in owners {
        if let Some(row) = of_owner(conn, owner)? {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// The configuration whose custom domain is `host` (tenant and reseller levels).
pub fn by_domain(conn: &mut DbConn, host: &str) -> Result<Option<BrandingRow>, StoreError> {
    Ok(b::branding_configurations
        .filter(b::custom_domain.eq(host.to_string()))
        .filter(b::level.ne("platform"))
        .select(BrandingRow::as_select())
        .first(conn)
        .optional()?)
}

/// The configuration whose subdomain is `label` (tenant and reseller levels).
pub fn by_subdomain(conn: &mut DbConn, label: &str) -> Result<Option<BrandingRow>, StoreError> {
    Ok(b::branding_configurations
        .filter(b::subdomain.eq(label.to_string()))
        .filter(b::level.ne("platform"))
        .select(BrandingRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_asset(conn: &mut DbConn, row: &NewAsset) -> Result<(), StoreError> {
    diesel::insert_into(a::branding_assets)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Asset metadata by id (deleted ones included), for the given ids.
pub fn assets(conn: &mut DbConn, ids: &[String]) -> Result<Vec<AssetMeta>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(a::branding_assets
        .filter(a::id.eq_any(ids.to_vec()))
        .select(AssetMeta::as_select())
        .load(conn)?)
}

/// Removes an asset the configuration no longer names (it was replaced).
pub fn remove_asset(conn: &mut DbConn, id: &str) -> Result<(), StoreError> {
    diesel::delete(a::branding_assets.filter(a::id.eq(id.to_string()))).execute(conn)?;
    Ok(())
}

/// Deletes an asset's bytes; the row stays, so the configuration naming it shows it deleted.
pub fn mark_asset_deleted(
    conn: &mut DbConn,
    id: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(a::branding_assets.filter(a::id.eq(id.to_string())))
        .set((a::deleted_at.eq(Some(at)), a::data.eq(None::<Vec<u8>>)))
        .execute(conn)?;
    Ok(())
}

/// A live asset's content type and bytes by its SHA-256 (any configuration's: the bytes are
/// the same).
pub fn public_asset(
    conn: &mut DbConn,
    sha256: &str,
) -> Result<Option<(String, Vec<u8>)>, StoreError> {
    let row: Option<(String, Option<Vec<u8>>)> = a::branding_assets
        .filter(a::sha256.eq(sha256.to_string()))
        .filter(a::deleted_at.is_null())
        .filter(a::data.is_not_null())
        .select((a::content_type, a::data))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(ct, data)| data.map(|d| (ct, d))))
}
