//! `refresh_tokens`: rotating refresh tokens grouped in families (one family per login).
//! A tenant user's tokens belong to one membership (`tenant_id`): refreshing one yields an
//! access token for that tenant only.
//! Only the auth flow touches them, in the system scope.

use crate::store::schema::refresh_tokens::dsl as rt;
use crate::store::{DbConn, StoreError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// The membership's tenant (none for platform and reseller admins).
    pub tenant_id: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &RefreshTokenRow) -> Result<(), StoreError> {
    diesel::insert_into(rt::refresh_tokens)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_by_hash(conn: &mut DbConn, hash: &str) -> Result<Option<RefreshTokenRow>, StoreError> {
    Ok(rt::refresh_tokens
        .filter(rt::token_hash.eq(hash.to_string()))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a token spent; returns false if another request spent it first.
pub fn mark_used(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    let n = diesel::update(
        rt::refresh_tokens
            .filter(rt::id.eq(id.to_string()))
            .filter(rt::used_at.is_null())
            // A token revoked (password change, logout) while this refresh ran must not be
            // spent: on PostgreSQL the earlier read may predate that revocation.
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::used_at.eq(Some(at)))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn revoke_family(
    conn: &mut DbConn,
    family_id: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        rt::refresh_tokens
            .filter(rt::family_id.eq(family_id.to_string()))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

pub fn revoke_for_user(
    conn: &mut DbConn,
    user_id: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        rt::refresh_tokens
            .filter(rt::user_id.eq(user_id.to_string()))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

/// Revokes every refresh token of one membership (the user's sessions in that tenant).
pub fn revoke_for_membership(
    conn: &mut DbConn,
    user_id: &str,
    tenant_id: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        rt::refresh_tokens
            .filter(rt::user_id.eq(user_id.to_string()))
            .filter(rt::tenant_id.eq(tenant_id.to_string()))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

/// Deletes every refresh token of a user (an erased account keeps no session records).
pub fn delete_for_user(conn: &mut DbConn, user_id: &str) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(rt::refresh_tokens.filter(rt::user_id.eq(user_id.to_string())))
            .execute(conn)?,
    )
}
