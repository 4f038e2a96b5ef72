//! `quota_reservations`: processing audio held against a tenant's monthly quota while the
//! work that will use it is active (see `engine::admission`).

use crate::store::schema::quota_reservations::dsl as q;
use crate::store::{DbConn, StoreError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::quota_reservations)]
pub struct ReservationRow {
    pub id: String,
    pub tenant_id: String,
    /// The job it holds audio for; None for an OpenAI-route request.
    pub job_id: Option<String>,
    /// `job` or `transcription`.
    pub kind: String,
    /// The audio the work's inputs hold (thousandths of a second).
    pub amount_milli: i64,
    /// What counts against the quota now (0 once settled).
    pub held_milli: i64,
    pub created_at: NaiveDateTime,
    /// A transcription's lease; None for jobs.
    pub expires_at: Option<NaiveDateTime>,
    pub settled_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &ReservationRow) -> Result<(), StoreError> {
    diesel::insert_into(q::quota_reservations)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Audio the tenant holds now: active reservations (transcriptions whose lease lapsed
/// count no more).
pub fn held(conn: &mut DbConn, tenant_id: &str, now: NaiveDateTime) -> Result<i64, StoreError> {
    let rows: Vec<i64> = q::quota_reservations
        .filter(q::tenant_id.eq(tenant_id.to_string()))
        .filter(q::held_milli.gt(0))
        .filter(q::expires_at.is_null().or(q::expires_at.ge(now)))
        .select(q::held_milli)
        .load(conn)?;
    Ok(rows.iter().sum())
}

/// OpenAI-route requests of the tenant in flight (their lease not lapsed).
pub fn live_transcriptions(
    conn: &mut DbConn,
    tenant_id: &str,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    Ok(q::quota_reservations
        .filter(q::tenant_id.eq(tenant_id.to_string()))
        .filter(q::kind.eq("transcription"))
        .filter(q::expires_at.ge(now))
        .count()
        .get_result(conn)?)
}

pub fn for_job(conn: &mut DbConn, job_id: &str) -> Result<Option<ReservationRow>, StoreError> {
    Ok(q::quota_reservations
        .filter(q::job_id.eq(job_id.to_string()))
        .select(ReservationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Sets what a job's reservation holds (0 and a settlement time when it is settled).
pub fn set_held(
    conn: &mut DbConn,
    job_id: &str,
    held_milli: i64,
    settled_at: Option<NaiveDateTime>,
) -> Result<(), StoreError> {
    diesel::update(q::quota_reservations.filter(q::job_id.eq(job_id.to_string())))
        .set((q::held_milli.eq(held_milli), q::settled_at.eq(settled_at)))
        .execute(conn)?;
    Ok(())
}

/// Raises a job's reservation to `amount_milli`, holding `held_milli` (a URL input measured).
pub fn raise(
    conn: &mut DbConn,
    job_id: &str,
    amount_milli: i64,
    held_milli: i64,
) -> Result<(), StoreError> {
    diesel::update(q::quota_reservations.filter(q::job_id.eq(job_id.to_string())))
        .set((
            q::amount_milli.eq(amount_milli),
            q::held_milli.eq(held_milli),
        ))
        .execute(conn)?;
    Ok(())
}

/// Renews a transcription's lease.
pub fn renew(conn: &mut DbConn, id: &str, expires_at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(q::quota_reservations.filter(q::id.eq(id.to_string())))
        .set(q::expires_at.eq(Some(expires_at)))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConn, id: &str) -> Result<(), StoreError> {
    diesel::delete(q::quota_reservations.filter(q::id.eq(id.to_string()))).execute(conn)?;
    Ok(())
}

/// [`held`] for every tenant of `owner` at once (tenants holding nothing are absent).
pub fn held_by_tenant(
    conn: &mut DbConn,
    owner: &super::usage::Owner,
    now: NaiveDateTime,
) -> Result<Vec<super::usage::TenantTotal>, StoreError> {
    let mut sql = super::usage::Sql::new(conn);
    let owner = sql.owner(owner);
    let now = sql.time(now);
    sql.text = format!(
        "SELECT tenant_id, CAST(SUM(held_milli) AS BIGINT) AS total FROM quota_reservations \
         WHERE {owner} AND held_milli > 0 AND (expires_at IS NULL OR expires_at >= {now}) \
         GROUP BY tenant_id"
    );
    sql.load(conn)
}
