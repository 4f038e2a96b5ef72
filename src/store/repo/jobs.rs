//! `jobs`, `job_nodes`, `job_events`, `job_artifacts`: reads, and the inserts the engine
//! makes. State changes (`status`, lease, attempt) live in `crate::engine::queue` only.

use super::{Page, PageRequest};
use crate::store::schema::job_artifacts::dsl as a;
use crate::store::schema::job_events::dsl as e;
use crate::store::schema::job_nodes::dsl as n;
use crate::store::schema::jobs::dsl as j;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::jobs)]
pub struct JobRow {
    pub id: String,
    pub tenant_id: String,
    pub user_id: Option<String>,
    pub workflow_id: Option<String>,
    pub status: String,
    pub file_path: Option<String>,
    pub result_path: Option<String>,
    pub error: Option<String>,
    pub processing_time: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
    pub workflow_version: Option<i32>,
    /// The graph snapshot, in normal form (JSON).
    pub graph: String,
    /// node id → `{"file_id": …}` (JSON).
    pub inputs: String,
    pub attempt: i32,
    pub max_attempts: i32,
    pub run_after: Option<NaiveDateTime>,
    pub lease_expires_at: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    pub progress: f64,
    pub last_seq: i64,
    pub started_at: Option<NaiveDateTime>,
    pub cancel_requested: bool,
    pub webhook_url: Option<String>,
    /// Signs this job's webhook (returned once, at submission).
    pub webhook_secret: Option<String>,
    /// The template version the job runs, when submitted with `template_id`.
    pub template_id: Option<String>,
    pub template_version: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::job_nodes)]
pub struct JobNodeRow {
    pub job_id: String,
    pub node_id: String,
    pub tenant_id: String,
    pub kind: String,
    pub status: String,
    pub progress: f64,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::job_events)]
pub struct JobEventRow {
    pub job_id: String,
    pub seq: i64,
    pub tenant_id: String,
    pub event_type: String,
    pub data: String,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::job_artifacts)]
pub struct JobArtifactRow {
    pub id: String,
    pub job_id: String,
    pub tenant_id: String,
    pub node_id: String,
    pub port: String,
    /// Unique per job, e.g. `srt.file.srt` or `asr.transcript.json`.
    pub name: String,
    pub content_type: String,
    pub body: String,
    pub created_at: NaiveDateTime,
}

type Boxed<'a> = crate::store::schema::jobs::BoxedQuery<'a, MultiBackend>;

fn visible(scope: &Scope) -> Boxed<'static> {
    let q = j::jobs.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            j::tenant_id
                .nullable()
                .eq_any(super::tenants_of_reseller(reseller_id)),
        ),
        Scope::Tenant { tenant_id, .. } => q.filter(j::tenant_id.eq(tenant_id.to_string())),
    }
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<JobRow>, StoreError> {
    Ok(visible(scope)
        .filter(j::id.eq(id.to_string()))
        .select(JobRow::as_select())
        .first(conn)
        .optional()?)
}

/// Just the sequence number: what a conditional poll needs to answer 304.
pub fn last_seq(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<i64>, StoreError> {
    Ok(visible(scope)
        .filter(j::id.eq(id.to_string()))
        .select(j::last_seq)
        .first(conn)
        .optional()?)
}

/// What `GET /v1/jobs` narrows the list to.
#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    pub status: Option<&'static str>,
    pub template_id: Option<String>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    filter: &JobFilter,
) -> Result<Page<JobRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(j::id.lt(after.clone()));
    }
    if let Some(s) = filter.status {
        q = q.filter(j::status.eq(s.to_string()));
    }
    if let Some(t) = &filter.template_id {
        q = q.filter(j::template_id.eq(t.clone()));
    }
    let rows = q
        .order(j::id.desc())
        .limit(page.limit + 1)
        .select(JobRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Per-node rows of a job the caller has already found with [`get`].
pub fn nodes(conn: &mut DbConn, job_id: &str) -> Result<Vec<JobNodeRow>, StoreError> {
    Ok(n::job_nodes
        .filter(n::job_id.eq(job_id.to_string()))
        .select(JobNodeRow::as_select())
        .load(conn)?)
}

/// Events after `since`, in order (of a job the caller has already found).
pub fn events_since(
    conn: &mut DbConn,
    job_id: &str,
    since: i64,
    limit: i64,
) -> Result<Vec<JobEventRow>, StoreError> {
    Ok(e::job_events
        .filter(e::job_id.eq(job_id.to_string()))
        .filter(e::seq.gt(since))
        .order(e::seq.asc())
        .limit(limit)
        .select(JobEventRow::as_select())
        .load(conn)?)
}

pub fn artifacts(conn: &mut DbConn, job_id: &str) -> Result<Vec<JobArtifactRow>, StoreError> {
    Ok(a::job_artifacts
        .filter(a::job_id.eq(job_id.to_string()))
        .order(a::name.asc())
        .select(JobArtifactRow::as_select())
        .load(conn)?)
}

pub fn artifact(
    conn: &mut DbConn,
    job_id: &str,
    name: &str,
) -> Result<Option<JobArtifactRow>, StoreError> {
    Ok(a::job_artifacts
        .filter(a::job_id.eq(job_id.to_string()))
        .filter(a::name.eq(name.to_string()))
        .select(JobArtifactRow::as_select())
        .first(conn)
        .optional()?)
}

/// Jobs of a tenant in a state (for the per-tenant concurrency limit).
pub fn count_in_state(conn: &mut DbConn, tenant_id: &str, status: &str) -> Result<i64, StoreError> {
    Ok(j::jobs
        .filter(j::tenant_id.eq(tenant_id.to_string()))
        .filter(j::status.eq(status.to_string()))
        .count()
        .get_result(conn)?)
}

/// Jobs of a tenant running with a live lease (for the per-tenant concurrency limit).
pub fn count_running(
    conn: &mut DbConn,
    tenant_id: &str,
    now: chrono::NaiveDateTime,
) -> Result<i64, StoreError> {
    Ok(j::jobs
        .filter(j::tenant_id.eq(tenant_id.to_string()))
        .filter(j::status.eq("running"))
        .filter(j::lease_expires_at.ge(now))
        .count()
        .get_result(conn)?)
}

/// Deletes a finished job with its nodes, events and artifacts. Its usage records stay
/// (billing needs them), detached from the job.
pub fn delete(conn: &mut DbConn, id: &str) -> Result<(), StoreError> {
    use crate::store::schema::usage_records::dsl as u;
    diesel::update(u::usage_records.filter(u::job_id.eq(id.to_string())))
        .set(u::job_id.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(n::job_nodes.filter(n::job_id.eq(id.to_string()))).execute(conn)?;
    diesel::delete(e::job_events.filter(e::job_id.eq(id.to_string()))).execute(conn)?;
    diesel::delete(a::job_artifacts.filter(a::job_id.eq(id.to_string()))).execute(conn)?;
    diesel::delete(j::jobs.filter(j::id.eq(id.to_string()))).execute(conn)?;
    Ok(())
}

/// Deletes a tenant's job artifacts made before `cutoff` (past its retention), except those
/// of the jobs in `keep` (still running: a retry resumes from them). Returns how many.
pub fn delete_artifacts_before(
    conn: &mut DbConn,
    tenant_id: &str,
    cutoff: NaiveDateTime,
    keep: &[String],
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        a::job_artifacts
            .filter(a::tenant_id.eq(tenant_id.to_string()))
            .filter(a::created_at.lt(cutoff))
            .filter(a::job_id.ne_all(keep.to_vec())),
    )
    .execute(conn)?)
}
