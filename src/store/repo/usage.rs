//! `usage_records`: metered consumption (audio seconds processed, storage), per tenant.

use crate::store::schema::usage_records::dsl as ur;
use crate::store::{DbConn, StoreError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::usage_records)]
pub struct UsageRow {
    pub id: String,
    pub tenant_id: String,
    pub user_id: Option<String>,
    pub job_id: Option<String>,
    pub resource_type: String,
    /// Thousandths of `unit` (exact).
    pub amount_milli: i64,
    pub unit: String,
    pub recorded_at: NaiveDateTime,
    /// The workflow node that processed it (`node_audio` rows), if any.
    pub node_id: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &UsageRow) -> Result<(), StoreError> {
    diesel::insert_into(ur::usage_records)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Total of one resource for a tenant since `since` (thousandths of the unit).
pub fn total_since(
    conn: &mut DbConn,
    tenant_id: &str,
    resource_type: &str,
    since: NaiveDateTime,
) -> Result<i64, StoreError> {
    let rows: Vec<i64> = ur::usage_records
        .filter(ur::tenant_id.eq(tenant_id.to_string()))
        .filter(ur::resource_type.eq(resource_type.to_string()))
        .filter(ur::recorded_at.ge(since))
        .select(ur::amount_milli)
        .load(conn)?;
    Ok(rows.iter().sum())
}

/// A job's audio seconds (thousandths): the job's own total and each node's, by node id.
pub fn audio_for_job(
    conn: &mut DbConn,
    job_id: &str,
) -> Result<(Option<i64>, std::collections::BTreeMap<String, i64>), StoreError> {
    let rows: Vec<(String, Option<String>, i64)> = ur::usage_records
        .filter(ur::job_id.eq(job_id.to_string()))
        .filter(ur::resource_type.eq_any(["job_audio", "node_audio"]))
        .select((ur::resource_type, ur::node_id, ur::amount_milli))
        .load(conn)?;
    let mut job = None;
    let mut nodes = std::collections::BTreeMap::new();
    for (kind, node, amount) in rows {
        match node {
            Some(node) if kind == "node_audio" => *nodes.entry(node).or_insert(0) += amount,
            _ => *job.get_or_insert(0) += amount,
        }
    }
    Ok((job, nodes))
}

/// What a job is billed for, measured (thousandths of a second): the longest audio one of
/// its finished nodes processed in one run (`node_audio`). A node run again by a retry
/// or a resumed attempt is not billed twice; 0 when no node finished with audio.
pub fn measured_for_job(conn: &mut DbConn, job_id: &str) -> Result<i64, StoreError> {
    let rows: Vec<i64> = ur::usage_records
        .filter(ur::job_id.eq(job_id.to_string()))
        .filter(ur::resource_type.eq("node_audio"))
        .select(ur::amount_milli)
        .load(conn)?;
    Ok(rows.into_iter().max().unwrap_or(0))
}

/// What a job has been billed so far (its `job_audio` rows, thousandths of a second).
pub fn billed_for_job(conn: &mut DbConn, job_id: &str) -> Result<i64, StoreError> {
    let rows: Vec<i64> = ur::usage_records
        .filter(ur::job_id.eq(job_id.to_string()))
        .filter(ur::resource_type.eq("job_audio"))
        .select(ur::amount_milli)
        .load(conn)?;
    Ok(rows.iter().sum())
}
