//! `api_keys`: long-lived tenant credentials. Only a SHA-256 of the key is stored.

use super::{Page, PageRequest};
use crate::store::schema::api_keys::dsl as k;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::api_keys)]
pub struct ApiKeyRow {
    pub id: String,
    pub tenant_id: String,
    pub user_id: Option<String>,
    pub name: String,
    pub key_prefix: String,
    pub key_hash: String,
    pub permissions: String,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

type Boxed<'a> = crate::store::schema::api_keys::BoxedQuery<'a, MultiBackend>;

/// Live keys the scope may see; `owner` narrows to one user's keys (members see only theirs).
fn visible(scope: &Scope, owner: Option<&str>) -> Boxed<'static> {
    let mut q = k::api_keys.filter(k::revoked_at.is_null()).into_boxed();
    q = match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            k::tenant_id
                .nullable()
                .eq_any(super::tenants_of_reseller(reseller_id)),
        ),
        Scope::Tenant { tenant_id, .. } => q.filter(k::tenant_id.eq(tenant_id.to_string())),
    };
    if let Some(user) = owner {
        q = q.filter(k::user_id.eq(user.to_string()));
    }
    q
}

/// The tenant's keys that still work (not revoked, not expired): what the plan's
/// `max_api_keys` counts.
pub fn count_live(
    conn: &mut DbConn,
    tenant_id: &str,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    Ok(k::api_keys
        .filter(k::tenant_id.eq(tenant_id.to_string()))
        .filter(k::revoked_at.is_null())
        .filter(k::expires_at.is_null().or(k::expires_at.gt(now)))
        .count()
        .get_result(conn)?)
}

pub fn insert(conn: &mut DbConn, row: &ApiKeyRow) -> Result<(), StoreError> {
    diesel::insert_into(k::api_keys).values(row).execute(conn)?;
    Ok(())
}

pub fn get(
    conn: &mut DbConn,
    scope: &Scope,
    owner: Option<&str>,
    id: &str,
) -> Result<Option<ApiKeyRow>, StoreError> {
    Ok(visible(scope, owner)
        .filter(k::id.eq(id.to_string()))
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    owner: Option<&str>,
    page: &PageRequest,
) -> Result<Page<ApiKeyRow>, StoreError> {
    let mut q = visible(scope, owner);
    if let Some(after) = &page.after {
        q = q.filter(k::id.lt(after.clone()));
    }
    let rows = q
        .order(k::id.desc())
        .limit(page.limit + 1)
        .select(ApiKeyRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Looks a presented key up by its hash (system scope: the tenant is what we are finding out).
pub fn find_live_by_hash(conn: &mut DbConn, hash: &str) -> Result<Option<ApiKeyRow>, StoreError> {
    Ok(visible(&Scope::System, None)
        .filter(k::key_hash.eq(hash.to_string()))
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn touch(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(k::api_keys.filter(k::id.eq(id.to_string())))
        .set(k::last_used_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

pub fn revoke(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(k::api_keys.filter(k::id.eq(id.to_string())))
        .set(k::revoked_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// Revokes every key of a user (when the user is deleted) or of a tenant.
pub fn revoke_for_user(
    conn: &mut DbConn,
    user_id: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        k::api_keys
            .filter(k::user_id.eq(user_id.to_string()))
            .filter(k::revoked_at.is_null()),
    )
    .set(k::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

pub fn revoke_for_tenant(
    conn: &mut DbConn,
    tenant_id: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        k::api_keys
            .filter(k::tenant_id.eq(tenant_id.to_string()))
            .filter(k::revoked_at.is_null()),
    )
    .set(k::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

/// Revokes a user's keys in one tenant (when that membership ends).
pub fn revoke_for_membership(
    conn: &mut DbConn,
    user_id: &str,
    tenant_id: &str,
    at: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        k::api_keys
            .filter(k::user_id.eq(user_id.to_string()))
            .filter(k::tenant_id.eq(tenant_id.to_string()))
            .filter(k::revoked_at.is_null()),
    )
    .set(k::revoked_at.eq(Some(at)))
    .execute(conn)?)
}
