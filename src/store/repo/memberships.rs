//! `tenant_users`: memberships. A tenant user belongs to one or more tenants with a role in
//! each; that role (not `users.role`) is what authorization uses. Platform and reseller
//! admins have none.

use super::users::UserRow;
use super::{Page, PageRequest};
use crate::store::schema::tenant_users::dsl as m;
use crate::store::schema::{tenants, users};
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::tenant_users)]
pub struct MembershipRow {
    pub id: String,
    pub tenant_id: String,
    pub user_id: String,
    pub role: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When the user last signed in to or switched to this tenant (login's default).
    pub last_used_at: Option<NaiveDateTime>,
}

type Boxed<'a> = crate::store::schema::tenant_users::BoxedQuery<'a, MultiBackend>;

/// Memberships of tenants the scope may see.
fn visible(scope: &Scope) -> Boxed<'static> {
    let q = m::tenant_users.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            m::tenant_id
                .nullable()
                .eq_any(super::tenants_of_reseller(reseller_id)),
        ),
        Scope::Tenant { tenant_id, .. } => q.filter(m::tenant_id.eq(tenant_id.to_string())),
    }
}

// Subqueries of member ids for `users.id IN (…)` filters: what makes a user visible to a
// tenant or a reseller, and the per-membership `role` filter of user lists.

/// The ids of a tenant's members.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn members_of_tenant(tenant_id: String) -> _ {
    m::tenant_users
        .filter(m::tenant_id.eq(tenant_id))
        .select(m::user_id)
}

/// The ids of the users with a membership in one of a reseller's tenants.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn members_of_reseller(reseller_id: String) -> _ {
    m::tenant_users
        .filter(
            m::tenant_id.eq_any(
                tenants::table
                    .filter(tenants::reseller_id.eq(reseller_id))
                    .select(tenants::id),
            ),
        )
        .select(m::user_id)
}

/// The ids of a tenant's members holding `role`.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn members_with_role_in_tenant(tenant_id: String, role: String) -> _ {
    m::tenant_users
        .filter(m::tenant_id.eq(tenant_id))
        .filter(m::role.eq(role))
        .select(m::user_id)
}

/// The ids of the users holding `role` in one of a reseller's tenants.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn members_with_role_in_reseller(reseller_id: String, role: String) -> _ {
    m::tenant_users
        .filter(
            m::tenant_id.eq_any(
                tenants::table
                    .filter(tenants::reseller_id.eq(reseller_id))
                    .select(tenants::id),
            ),
        )
        .filter(m::role.eq(role))
        .select(m::user_id)
}

/// The ids of the users holding `role` in any tenant.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn members_with_role(role: String) -> _ {
    m::tenant_users.filter(m::role.eq(role)).select(m::user_id)
}

pub fn insert(conn: &mut DbConn, row: &MembershipRow) -> Result<(), StoreError> {
    diesel::insert_into(m::tenant_users)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The membership of `user_id` in `tenant_id`, if the scope sees that tenant.
pub fn get(
    conn: &mut DbConn,
    scope: &Scope,
    tenant_id: &str,
    user_id: &str,
) -> Result<Option<MembershipRow>, StoreError> {
    Ok(visible(scope)
        .filter(m::tenant_id.eq(tenant_id.to_string()))
        .filter(m::user_id.eq(user_id.to_string()))
        .select(MembershipRow::as_select())
        .first(conn)
        .optional()?)
}

/// A user's memberships the scope sees, oldest first.
pub fn of_user(
    conn: &mut DbConn,
    scope: &Scope,
    user_id: &str,
) -> Result<Vec<MembershipRow>, StoreError> {
    Ok(visible(scope)
        .filter(m::user_id.eq(user_id.to_string()))
        .order((m::created_at.asc(), m::id.asc()))
        .select(MembershipRow::as_select())
        .load(conn)?)
}

/// The memberships the scope sees of each of `user_ids`, oldest first.
pub fn of_users(
    conn: &mut DbConn,
    scope: &Scope,
    user_ids: &[String],
) -> Result<Vec<MembershipRow>, StoreError> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(visible(scope)
        .filter(m::user_id.eq_any(user_ids.to_vec()))
        .order((m::created_at.asc(), m::id.asc()))
        .select(MembershipRow::as_select())
        .load(conn)?)
}

/// A tenant's members (accounts not deleted), newest membership first.
pub fn list_in_tenant(
    conn: &mut DbConn,
    scope: &Scope,
    tenant_id: &str,
    page: &PageRequest,
) -> Result<Page<(MembershipRow, UserRow)>, StoreError> {
    let mut q = visible(scope)
        .filter(m::tenant_id.eq(tenant_id.to_string()))
        .inner_join(users::table)
        .filter(users::status.ne("deleted"));
    if let Some(after) = &page.after {
        q = q.filter(m::id.lt(after.clone()));
    }
    let rows = q
        .order(m::id.desc())
        .limit(page.limit + 1)
        .select((MembershipRow::as_select(), UserRow::as_select()))
        .load::<(MembershipRow, UserRow)>(conn)?;
    Ok(Page::from_rows(rows, page.limit, |(mr, _)| mr.id.clone()))
}

pub fn set_role(
    conn: &mut DbConn,
    id: &str,
    role: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(m::tenant_users.filter(m::id.eq(id.to_string())))
        .set((m::role.eq(role.to_string()), m::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

/// Records that the user signed in to (or switched to) this tenant.
pub fn touch(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(m::tenant_users.filter(m::id.eq(id.to_string())))
        .set(m::last_used_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConn, id: &str) -> Result<(), StoreError> {
    diesel::delete(m::tenant_users.filter(m::id.eq(id.to_string()))).execute(conn)?;
    Ok(())
}

pub fn delete_for_user(conn: &mut DbConn, user_id: &str) -> Result<(), StoreError> {
    diesel::delete(m::tenant_users.filter(m::user_id.eq(user_id.to_string()))).execute(conn)?;
    Ok(())
}

/// All memberships of a tenant (any scope that sees it), for deleting the tenant.
pub fn all_in_tenant(conn: &mut DbConn, tenant_id: &str) -> Result<Vec<MembershipRow>, StoreError> {
    Ok(m::tenant_users
        .filter(m::tenant_id.eq(tenant_id.to_string()))
        .select(MembershipRow::as_select())
        .load(conn)?)
}

/// How many members other than `except` hold `tenant_admin` in the tenant and may act
/// (account active): the last of them cannot be removed or demoted.
pub fn other_active_admins(
    conn: &mut DbConn,
    tenant_id: &str,
    except: &str,
) -> Result<i64, StoreError> {
    Ok(m::tenant_users
        .inner_join(users::table)
        .filter(m::tenant_id.eq(tenant_id.to_string()))
        .filter(m::role.eq("tenant_admin"))
        .filter(m::user_id.ne(except.to_string()))
        .filter(users::status.eq("active"))
        .count()
        .get_result(conn)?)
}

/// Members of a tenant whose account is not deleted (what a plan's `max_users` counts).
pub fn count_in_tenant(conn: &mut DbConn, tenant_id: &str) -> Result<i64, StoreError> {
    Ok(m::tenant_users
        .inner_join(users::table)
        .filter(m::tenant_id.eq(tenant_id.to_string()))
        .filter(users::status.ne("deleted"))
        .count()
        .get_result(conn)?)
}
