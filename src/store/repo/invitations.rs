//! `invitations`: single-use, expiring invitations to join a tenant. Only the SHA-256 of the
//! token is stored; accepting looks it up in the system scope (the caller is not signed in).

use super::{Page, PageRequest};
use crate::store::schema::invitations::dsl as i;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::invitations)]
pub struct InvitationRow {
    pub id: String,
    pub tenant_id: String,
    pub email: String,
    pub role: String,
    pub token_hash: String,
    pub invited_by: Option<String>,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub accepted_by: Option<String>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

type Boxed<'a> = crate::store::schema::invitations::BoxedQuery<'a, MultiBackend>;

fn visible(scope: &Scope) -> Boxed<'static> {
    let q = i::invitations.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            i::tenant_id
                .nullable()
                .eq_any(super::tenants_of_reseller(reseller_id)),
        ),
        Scope::Tenant { tenant_id, .. } => q.filter(i::tenant_id.eq(tenant_id.to_string())),
    }
}

pub fn insert(conn: &mut DbConn, row: &InvitationRow) -> Result<(), StoreError> {
    diesel::insert_into(i::invitations)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_by_hash(conn: &mut DbConn, hash: &str) -> Result<Option<InvitationRow>, StoreError> {
    Ok(i::invitations
        .filter(i::token_hash.eq(hash.to_string()))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn get(
    conn: &mut DbConn,
    scope: &Scope,
    tenant_id: &str,
    id: &str,
) -> Result<Option<InvitationRow>, StoreError> {
    Ok(visible(scope)
        .filter(i::tenant_id.eq(tenant_id.to_string()))
        .filter(i::id.eq(id.to_string()))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?)
}

/// A tenant's invitations still open (neither accepted, revoked nor expired), newest first.
pub fn list_pending(
    conn: &mut DbConn,
    scope: &Scope,
    tenant_id: &str,
    now: NaiveDateTime,
    page: &PageRequest,
) -> Result<Page<InvitationRow>, StoreError> {
    let mut q = visible(scope)
        .filter(i::tenant_id.eq(tenant_id.to_string()))
        .filter(i::accepted_at.is_null())
        .filter(i::revoked_at.is_null())
        .filter(i::expires_at.gt(now));
    if let Some(after) = &page.after {
        q = q.filter(i::id.lt(after.clone()));
    }
    let rows = q
        .order(i::id.desc())
        .limit(page.limit + 1)
        .select(InvitationRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Spends an invitation; false if it was accepted or revoked meanwhile (single use).
pub fn mark_accepted(
    conn: &mut DbConn,
    id: &str,
    user_id: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        i::invitations
            .filter(i::id.eq(id.to_string()))
            .filter(i::accepted_at.is_null())
            .filter(i::revoked_at.is_null()),
    )
    .set((
        i::accepted_at.eq(Some(at)),
        i::accepted_by.eq(Some(user_id.to_string())),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn revoke(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(
        i::invitations
            .filter(i::id.eq(id.to_string()))
            .filter(i::revoked_at.is_null()),
    )
    .set(i::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

/// Revokes the tenant's open invitations for `email` (a new one replaces them).
pub fn revoke_open_for_email(
    conn: &mut DbConn,
    tenant_id: &str,
    email: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        i::invitations
            .filter(i::tenant_id.eq(tenant_id.to_string()))
            .filter(i::email.eq(email.to_string()))
            .filter(i::accepted_at.is_null())
            .filter(i::revoked_at.is_null()),
    )
    .set(i::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

/// Replaces `email` in every invitation to it (erasure): open ones are revoked, as no one
/// can accept an invitation to an erased address.
pub fn anonymise_email(
    conn: &mut DbConn,
    email: &str,
    replacement: &str,
    at: NaiveDateTime,
) -> Result<usize, StoreError> {
    diesel::update(
        i::invitations
            .filter(i::email.eq(email.to_string()))
            .filter(i::accepted_at.is_null())
            .filter(i::revoked_at.is_null()),
    )
    .set(i::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(
        diesel::update(i::invitations.filter(i::email.eq(email.to_string())))
            .set(i::email.eq(replacement.to_string()))
            .execute(conn)?,
    )
}
