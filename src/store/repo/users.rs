//! `users`: accounts. Tenant users belong to tenants through memberships (`tenant_users`,
//! [`super::memberships`]) and keep their home tenant in `tenant_id`; reseller admins have a
//! `reseller_id`; platform admins neither.

use super::{Page, PageRequest};
use crate::store::schema::users::dsl as u;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::users)]
pub struct UserRow {
    pub id: String,
    pub tenant_id: Option<String>,
    pub reseller_id: Option<String>,
    pub email: String,
    pub password_hash: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: String,
    pub status: String,
    pub last_login: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Access tokens carry the epoch they were issued in; a password change bumps it, and
    /// tokens of an earlier epoch are refused.
    pub session_epoch: i64,
    /// When the user proved they read mail at `email` (docs/email.md); null: not yet.
    pub email_verified_at: Option<NaiveDateTime>,
    /// When the account was erased (docs/data-lifecycle.md): its personal fields are gone.
    pub erased_at: Option<NaiveDateTime>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::users)]
pub struct UserChanges {
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub role: Option<String>,
    pub status: Option<String>,
    pub last_login: Option<Option<NaiveDateTime>>,
    pub updated_at: Option<NaiveDateTime>,
    pub email_verified_at: Option<Option<NaiveDateTime>>,
}

type Boxed<'a> = crate::store::schema::users::BoxedQuery<'a, MultiBackend>;

fn visible(scope: &Scope) -> Boxed<'static> {
    scoped(scope).filter(u::status.ne("deleted"))
}

/// The accounts of the scope, deleted ones included.
fn scoped(scope: &Scope) -> Boxed<'static> {
    let q = u::users.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => {
            let rid = reseller_id.to_string();
            q.filter(
                u::id
                    .eq_any(super::memberships::members_of_reseller(rid.clone()))
                    .or(u::tenant_id.is_null().and(u::reseller_id.eq(rid))),
            )
        }
        // A tenant sees its members, whatever their home tenant.
        Scope::Tenant { tenant_id, .. } => {
            q.filter(u::id.eq_any(super::memberships::members_of_tenant(tenant_id.to_string())))
        }
    }
}

pub fn insert(conn: &mut DbConn, row: &UserRow) -> Result<(), StoreError> {
    diesel::insert_into(u::users).values(row).execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(visible(scope)
        .filter(u::id.eq(id.to_string()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// An account that may still be erased: live or deleted, not erased yet (docs/data-lifecycle.md).
pub fn get_unerased(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Option<UserRow>, StoreError> {
    Ok(scoped(scope)
        .filter(u::id.eq(id.to_string()))
        .filter(u::erased_at.is_null())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// The address an erased account keeps: unique, undeliverable (`.invalid`), personal to no one.
pub fn erased_email(id: &str) -> String {
    format!("erased-{id}@erased.invalid")
}

/// Removes an account's personal fields and credentials: the row stays (jobs, files and the
/// audit log refer to its id) as an anonymous, deleted account no password opens.
pub fn anonymise(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(u::users.filter(u::id.eq(id.to_string())))
        .set((
            u::email.eq(erased_email(id)),
            // Not a PHC string: no password verifies against it.
            u::password_hash.eq("!erased"),
            u::first_name.eq(None::<String>),
            u::last_name.eq(None::<String>),
            u::status.eq("deleted"),
            u::last_login.eq(None::<NaiveDateTime>),
            u::email_verified_at.eq(None::<NaiveDateTime>),
            u::erased_at.eq(Some(at)),
            u::updated_at.eq(at),
            u::session_epoch.eq(u::session_epoch + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deleted, not yet erased accounts whose home tenant is `tenant_id` (a purged tenant's).
pub fn deleted_of_home_tenant(
    conn: &mut DbConn,
    tenant_id: &str,
) -> Result<Vec<UserRow>, StoreError> {
    Ok(u::users
        .filter(u::tenant_id.eq(tenant_id.to_string()))
        .filter(u::status.eq("deleted"))
        .filter(u::erased_at.is_null())
        .select(UserRow::as_select())
        .load(conn)?)
}

/// Finds an account by email for login (system scope only: the tenant is not known yet).
pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(visible(&Scope::System)
        .filter(u::email.eq(email.to_string()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Is this email used by any account, deleted ones included (emails are unique)?
pub fn email_exists(conn: &mut DbConn, email: &str) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        u::users.filter(u::email.eq(email.to_string())),
    ))
    .get_result(conn)?)
}

pub fn any_platform_admin(conn: &mut DbConn) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        u::users
            .filter(u::role.eq("platform_admin"))
            .filter(u::status.eq("active")),
    ))
    .get_result(conn)?)
}

#[derive(Debug, Default)]
pub struct UserFilter {
    pub tenant_id: Option<String>,
    pub role: Option<String>,
    pub status: Option<String>,
    pub email_contains: Option<String>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    filter: &UserFilter,
) -> Result<Page<UserRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(u::id.lt(after.clone()));
    }
    // Tenant roles are per membership: `role` filters on the membership in `tenant_id` (or,
    // without it, in any tenant the scope sees); admin roles on the account.
    let tenant_role = filter
        .role
        .as_deref()
        .and_then(crate::tenancy::Role::parse)
        .is_some_and(|r| r.is_tenant_role());
    if let Some(t) = &filter.tenant_id {
        q = q.filter(u::id.eq_any(super::memberships::members_of_tenant(t.clone())));
    }
    if let Some(r) = filter.role.as_deref().filter(|_| tenant_role) {
        use super::memberships as ms;
        let r = r.to_string();
        q = match (
            filter
                .tenant_id
                .clone()
                .or(scope.tenant_id().map(|t| t.to_string())),
            scope,
        ) {
            (Some(t), _) => q.filter(u::id.eq_any(ms::members_with_role_in_tenant(t, r))),
            (None, Scope::Reseller { reseller_id }) => q.filter(u::id.eq_any(
                ms::members_with_role_in_reseller(reseller_id.to_string(), r),
            )),
            (None, _) => q.filter(u::id.eq_any(ms::members_with_role(r))),
        };
    }
    if let Some(r) = filter.role.as_deref().filter(|_| !tenant_role) {
        q = q.filter(u::role.eq(r.to_string()));
    }
    if let Some(s) = &filter.status {
        q = q.filter(u::status.eq(s.clone()));
    }
    if let Some(e) = &filter.email_contains {
        q = q.filter(
            super::lower(u::email)
                .like(super::contains_pattern(e))
                .escape('\\'),
        );
    }
    let rows = q
        .order(u::id.desc())
        .limit(page.limit + 1)
        .select(UserRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Ends every access token of the account: the next ones are issued in the next epoch.
pub fn bump_session_epoch(conn: &mut DbConn, id: &str) -> Result<(), StoreError> {
    diesel::update(u::users.filter(u::id.eq(id.to_string())))
        .set(u::session_epoch.eq(u::session_epoch + 1))
        .execute(conn)?;
    Ok(())
}

pub fn update(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
    changes: &UserChanges,
) -> Result<Option<UserRow>, StoreError> {
    if get(conn, scope, id)?.is_none() {
        return Ok(None);
    }
    diesel::update(u::users.filter(u::id.eq(id.to_string())))
        .set(changes)
        .execute(conn)?;
    get(conn, scope, id)
}

/// Soft-deletes the users of `ids` (a deleted tenant's accounts that belonged nowhere else).
pub fn delete_many(conn: &mut DbConn, ids: &[String], at: NaiveDateTime) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(u::users.filter(u::id.eq_any(ids.to_vec())))
        .set((u::status.eq("deleted"), u::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}
