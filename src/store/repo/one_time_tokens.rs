//! `one_time_tokens`: password-reset and email-verification tokens. Only each token's
//! SHA-256 is stored; a token works once, before it expires (docs/email.md).

use crate::store::schema::one_time_tokens::dsl as ot;
use crate::store::{DbConn, StoreError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::one_time_tokens)]
pub struct OneTimeTokenRow {
    pub id: String,
    pub user_id: String,
    /// `password_reset` or `email_verification`.
    pub purpose: String,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &OneTimeTokenRow) -> Result<(), StoreError> {
    diesel::insert_into(ot::one_time_tokens)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Spends the unused, unexpired token of `purpose` with this hash: marks it used and
/// returns it. `None` for a wrong, spent or expired token (the same answer for all three).
pub fn spend(
    conn: &mut DbConn,
    purpose: &str,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<OneTimeTokenRow>, StoreError> {
    let Some(row) = ot::one_time_tokens
        .filter(ot::token_hash.eq(token_hash.to_string()))
        .filter(ot::purpose.eq(purpose.to_string()))
        .select(OneTimeTokenRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    // Conditional on still being unused and unexpired, so two requests racing with the same
    // token cannot both spend it.
    let spent = diesel::update(
        ot::one_time_tokens
            .filter(ot::id.eq(row.id.clone()))
            .filter(ot::used_at.is_null())
            .filter(ot::expires_at.gt(now)),
    )
    .set(ot::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok((spent == 1).then_some(row))
}

/// Voids a user's unused tokens of `purpose` (a new one replaces them; a reset spends the
/// rest).
pub fn void_for_user(
    conn: &mut DbConn,
    user_id: &str,
    purpose: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        ot::one_time_tokens
            .filter(ot::user_id.eq(user_id.to_string()))
            .filter(ot::purpose.eq(purpose.to_string()))
            .filter(ot::used_at.is_null()),
    )
    .set(ot::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(())
}

/// Deletes every reset and verification token of a user (an erased account).
pub fn delete_for_user(conn: &mut DbConn, user_id: &str) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(ot::one_time_tokens.filter(ot::user_id.eq(user_id.to_string())))
            .execute(conn)?,
    )
}
