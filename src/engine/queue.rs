//! The durable job queue: the only code that changes a job's `status`.
//!
//! States (`jobs.status`):
//! - `queued` — accepted, waiting for a worker;
//! - `running` — claimed by a worker that holds a lease (`lease_expires_at`), renewed by
//!   heartbeats; an expired lease makes the job claimable again (attempt + 1);
//! - `retrying` — the last attempt failed with a runtime fault; claimable after `run_after`
//!   (exponential backoff);
//! - `succeeded`, `failed`, `cancelled` — final.
//!
//! A claim is one transaction: PostgreSQL locks the chosen row with `FOR UPDATE SKIP LOCKED`
//! so any number of workers can claim side by side; SQLite serialises writers anyway (one
//! writer connection). Claims are fair across tenants — the tenant with the fewest running
//! jobs goes first, then the one served longest ago — and respect each tenant's
//! `max_concurrent_jobs` from its plan. Every
//! later write by a worker is guarded by `status = 'running' AND attempt = n`, so a worker
//! whose lease was reclaimed cannot overwrite the job. Every change appends a job event with
//! the next `seq`. Reaching a final state settles the job's quota reservation
//! (`admission::settle_job`) in the same transaction.

use crate::store::repo::jobs::{JobArtifactRow, JobEventRow, JobNodeRow, JobRow};
use crate::store::schema::job_artifacts::dsl as a;
use crate::store::schema::job_events::dsl as e;
use crate::store::schema::job_nodes::dsl as n;
use crate::store::schema::jobs::dsl as j;
use crate::store::{self, DbConn, StoreError};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Retrying,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Retrying => "retrying",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            JobState::Queued,
            JobState::Running,
            JobState::Retrying,
            JobState::Succeeded,
            JobState::Failed,
            JobState::Cancelled,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobState::Succeeded | JobState::Failed | JobState::Cancelled
        )
    }
}

/// Appends an event with the job's next `seq` (the job row is locked by the UPDATE, so
/// concurrent appenders are serialised and `seq` only grows).
pub fn append_event(
    conn: &mut DbConn,
    job_id: &str,
    tenant_id: &str,
    event_type: &str,
    data: serde_json::Value,
) -> Result<JobEventRow, StoreError> {
    diesel::update(j::jobs.filter(j::id.eq(job_id.to_string())))
        .set(j::last_seq.eq(j::last_seq + 1))
        .execute(conn)?;
    let seq: i64 = j::jobs
        .filter(j::id.eq(job_id.to_string()))
        .select(j::last_seq)
        .first(conn)?;
    let row = JobEventRow {
        job_id: job_id.to_string(),
        seq,
        tenant_id: tenant_id.to_string(),
        event_type: event_type.to_string(),
        data: data.to_string(),
        at: store::now(),
    };
    diesel::insert_into(e::job_events)
        .values(&row)
        .execute(conn)?;
    store::publish_after_commit(&row);
    Ok(row)
}

/// A new job, ready to insert.
pub struct NewJob {
    pub row: JobRow,
    /// (node id, kind) of every node in the graph.
    pub nodes: Vec<(String, String)>,
}

/// Inserts a queued job with its pending nodes and the `job.queued` event.
pub fn enqueue(conn: &mut DbConn, job: &NewJob) -> Result<JobEventRow, StoreError> {
    diesel::insert_into(j::jobs)
        .values(&job.row)
        .execute(conn)?;
    let nodes: Vec<JobNodeRow> = job
        .nodes
        .iter()
        .map(|(id, kind)| JobNodeRow {
            job_id: job.row.id.clone(),
            node_id: id.clone(),
            tenant_id: job.row.tenant_id.clone(),
            kind: kind.clone(),
            status: "pending".into(),
            progress: 0.0,
            started_at: None,
            finished_at: None,
            error: None,
        })
        .collect();
    // One row at a time: the two-backend connection has no batch insert.
    for node in &nodes {
        diesel::insert_into(n::job_nodes)
            .values(node)
            .execute(conn)?;
    }
    append_event(
        conn,
        &job.row.id,
        &job.row.tenant_id,
        "job.queued",
        serde_json::json!({"status": "queued"}),
    )
}

/// Claim settings.
#[derive(Debug, Clone)]
pub struct ClaimOptions {
    pub worker_id: String,
    pub lease: TimeDelta,
    /// Running jobs per tenant when its plan sets no limit.
    pub default_tenant_concurrency: i64,
}

/// The candidate query, shared by both backends: claimable jobs of tenants under their
/// concurrency limit (running jobs and OpenAI-route requests in flight share it, see
/// `engine::admission`); tenants with the fewest running jobs first, then the tenant served
/// longest ago (round robin, so a thousand queued jobs of one tenant do not starve another's
/// one), then the oldest job.
///
/// The per-tenant figures are computed once per tenant with claimable work (`tenants_ready`),
/// not once per claimable job: the first version ran both subqueries for every candidate row,
/// which made a claim quadratic in the queue length (145 s at 10k queued jobs of one tenant,
/// see docs/benchmarks.md). `MATERIALIZED` keeps PostgreSQL from inlining the CTEs back into
/// the per-row form.
///
/// Only tenants that are active, under a reseller that is active (or none), have work
/// claimed: suspending or deleting either leaves their queued jobs waiting, and they resume
/// when it is reactivated. That filter is on `tenant_load`, once per tenant, and it is about
/// other tables than the locked one, so it needs no re-check under `FOR UPDATE` (a
/// suspension committed while a claim runs is a race either order would resolve).
///
/// The "claimable" predicate appears twice on purpose: `tenants_ready` needs it to pick
/// tenants, and the outer query must test it on `jobs c` itself. On PostgreSQL, `FOR UPDATE
/// … SKIP LOCKED` re-checks only the locked table's own conditions against the row's newest
/// version; with the predicate only in a CTE (the statement's snapshot), a job another
/// worker claimed and committed while this statement ran would pass and be claimed twice.
const CANDIDATES: &str = "
    WITH tenants_ready AS MATERIALIZED (
        SELECT DISTINCT q.tenant_id FROM jobs q
        WHERE (q.status IN ('queued', 'retrying') AND (q.run_after IS NULL OR q.run_after <= $1))
           OR (q.status = 'running' AND q.lease_expires_at < $1)
    ), tenant_load AS MATERIALIZED (
        SELECT t.tenant_id,
               (SELECT count(*) FROM jobs r WHERE r.tenant_id = t.tenant_id AND r.status = 'running'
                  AND r.lease_expires_at >= $1)
               + (SELECT count(*) FROM quota_reservations x WHERE x.tenant_id = t.tenant_id
                  AND x.kind = 'transcription' AND x.expires_at >= $1) AS running,
               (SELECT max(s.started_at) FROM jobs s WHERE s.tenant_id = t.tenant_id) AS last_started,
               coalesce((SELECT p.max_concurrent_jobs FROM tenants tt
                         JOIN subscription_plans p ON p.id = tt.subscription_plan_id
                         WHERE tt.id = t.tenant_id), $2) AS cap
        FROM tenants_ready t
        WHERE EXISTS (SELECT 1 FROM tenants lt LEFT JOIN resellers lr ON lr.id = lt.reseller_id
                      WHERE lt.id = t.tenant_id AND lt.status = 'active'
                        AND (lt.reseller_id IS NULL OR lr.status = 'active'))
    )
    SELECT c.id FROM jobs c JOIN tenant_load l ON l.tenant_id = c.tenant_id
    WHERE ((c.status IN ('queued', 'retrying') AND (c.run_after IS NULL OR c.run_after <= $1))
           OR (c.status = 'running' AND c.lease_expires_at < $1))
      AND l.running < l.cap
    ORDER BY l.running, l.last_started NULLS FIRST, c.id
    LIMIT 1";

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
}

/// Claims the next job, if any. Must run in the system scope.
pub fn claim(conn: &mut DbConn, opts: &ClaimOptions) -> Result<Option<ClaimedJob>, StoreError> {
    use diesel::sql_types::{BigInt, Timestamp};
    let now = store::now();
    let picked: Option<IdRow> = match conn {
        DbConn::Postgres(pg) => {
            diesel::sql_query(format!("{CANDIDATES} FOR UPDATE OF c SKIP LOCKED"))
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(opts.default_tenant_concurrency)
                .get_result(pg)
                .optional()?
        }
        DbConn::Sqlite(lite) => {
            diesel::sql_query(CANDIDATES.replace("$1", "?1").replace("$2", "?2"))
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(opts.default_tenant_concurrency)
                .get_result(lite)
                .optional()?
        }
    };
    let Some(IdRow { id }) = picked else {
        return Ok(None);
    };
    let job: JobRow = j::jobs
        .filter(j::id.eq(&id))
        .select(JobRow::as_select())
        .first(conn)?;
    let reclaimed = job.status == "running";
    let attempt = job.attempt + 1;
    diesel::update(j::jobs.filter(j::id.eq(&id)))
        .set((
            j::status.eq("running"),
            j::attempt.eq(attempt),
            j::locked_by.eq(Some(opts.worker_id.clone())),
            j::lease_expires_at.eq(Some(now + opts.lease)),
            j::started_at.eq(Some(job.started_at.unwrap_or(now))),
            j::updated_at.eq(now),
        ))
        .execute(conn)?;
    let claimed = ClaimedJob {
        id: id.clone(),
        tenant_id: job.tenant_id.clone(),
        attempt,
    };
    if reclaimed {
        tracing::warn!(job = %id, attempt, "reclaimed a job whose lease expired");
    }
    if attempt > job.max_attempts {
        claimed.finish(
            conn,
            JobState::Failed,
            Some("the job's workers stopped responding too many times"),
        )?;
        return Ok(None);
    }
    append_event(
        conn,
        &id,
        &job.tenant_id,
        "job.running",
        serde_json::json!({"status": "running", "attempt": attempt, "worker": opts.worker_id, "reclaimed": reclaimed}),
    )?;
    Ok(Some(claimed))
}

/// Cancels a job that no worker holds (queued or retrying); returns false if it is
/// running (the caller then requests cancellation) or already final.
pub fn cancel_waiting(conn: &mut DbConn, job: &JobRow) -> Result<bool, StoreError> {
    let n = diesel::update(
        j::jobs
            .filter(j::id.eq(&job.id))
            .filter(j::status.eq_any(["queued", "retrying"])),
    )
    .set((
        j::status.eq("cancelled"),
        j::completed_at.eq(Some(store::now())),
        j::updated_at.eq(store::now()),
    ))
    .execute(conn)?;
    if n == 1 {
        append_event(
            conn,
            &job.id,
            &job.tenant_id,
            "job.cancelled",
            serde_json::json!({"status": "cancelled"}),
        )?;
        crate::webhooks::enqueue_for_job(conn, &job.id, "cancelled", None)?;
        super::admission::settle_job(conn, &job.id)?;
    }
    Ok(n == 1)
}

/// Asks the worker running a job to stop; it notices on its next heartbeat.
pub fn request_cancel(conn: &mut DbConn, job: &JobRow) -> Result<bool, StoreError> {
    let n = diesel::update(
        j::jobs
            .filter(j::id.eq(&job.id))
            .filter(j::status.eq("running")),
    )
    .set(j::cancel_requested.eq(true))
    .execute(conn)?;
    if n == 1 {
        append_event(
            conn,
            &job.id,
            &job.tenant_id,
            "job.cancel_requested",
            serde_json::json!({}),
        )?;
    }
    Ok(n == 1)
}

/// Stops every unfinished job of a tenant (one being deleted or purged): waiting ones are
/// cancelled, running ones asked to stop. Returns how many are still running.
pub fn stop_tenant_jobs(conn: &mut DbConn, tenant_id: &str) -> Result<usize, StoreError> {
    let mut running = 0;
    for job in crate::store::repo::tenant_data::unfinished_jobs(conn, tenant_id)? {
        if !cancel_waiting(conn, &job)? {
            request_cancel(conn, &job)?;
            running += 1;
        }
    }
    Ok(running)
}

/// Puts a failed or cancelled job back in the queue with fresh attempts. Finished nodes'
/// artifacts are kept, so it resumes after them.
pub fn retry(conn: &mut DbConn, job: &JobRow) -> Result<bool, StoreError> {
    let n = diesel::update(
        j::jobs
            .filter(j::id.eq(&job.id))
            .filter(j::status.eq_any(["failed", "cancelled"])),
    )
    .set((
        j::status.eq("queued"),
        j::attempt.eq(0),
        j::error.eq(None::<String>),
        j::cancel_requested.eq(false),
        j::completed_at.eq(None::<NaiveDateTime>),
        j::run_after.eq(None::<NaiveDateTime>),
        j::updated_at.eq(store::now()),
    ))
    .execute(conn)?;
    if n == 1 {
        diesel::update(
            n::job_nodes
                .filter(n::job_id.eq(&job.id))
                .filter(n::status.ne("succeeded")),
        )
        .set((
            n::status.eq("pending"),
            n::error.eq(None::<String>),
            n::progress.eq(0.0),
        ))
        .execute(conn)?;
        append_event(
            conn,
            &job.id,
            &job.tenant_id,
            "job.queued",
            serde_json::json!({"status": "queued", "retry": true}),
        )?;
    }
    Ok(n == 1)
}

/// What a heartbeat learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heartbeat {
    /// False when another worker reclaimed the job: stop without writing anything.
    pub still_owned: bool,
    pub cancel_requested: bool,
}

/// The job row, if this worker still holds this attempt.
type Guarded = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::Filter<j::jobs, diesel::dsl::Eq<j::id, String>>,
        diesel::dsl::Eq<j::status, &'static str>,
    >,
    diesel::dsl::Eq<j::attempt, i32>,
>;

/// A job this worker holds. Its methods are the only way to change the job's state.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: String,
    pub tenant_id: String,
    pub attempt: i32,
}

impl ClaimedJob {
    fn guard(&self) -> Guarded {
        j::jobs
            .filter(j::id.eq(self.id.clone()))
            .filter(j::status.eq("running"))
            .filter(j::attempt.eq(self.attempt))
    }

    /// Extends the lease (outside any long transaction, so it is visible at once).
    pub fn heartbeat(&self, conn: &mut DbConn, lease: TimeDelta) -> Result<Heartbeat, StoreError> {
        let n = diesel::update(self.guard())
            .set(j::lease_expires_at.eq(Some(store::now() + lease)))
            .execute(conn)?;
        if n == 0 {
            return Ok(Heartbeat {
                still_owned: false,
                cancel_requested: false,
            });
        }
        let cancel: bool = j::jobs
            .filter(j::id.eq(&self.id))
            .select(j::cancel_requested)
            .first(conn)?;
        Ok(Heartbeat {
            still_owned: true,
            cancel_requested: cancel,
        })
    }

    /// Is this worker still the owner? (Checked before every write.)
    pub fn owned(&self, conn: &mut DbConn) -> Result<bool, StoreError> {
        Ok(diesel::select(diesel::dsl::exists(self.guard())).get_result(conn)?)
    }

    pub fn event(
        &self,
        conn: &mut DbConn,
        event_type: &str,
        data: serde_json::Value,
    ) -> Result<Option<JobEventRow>, StoreError> {
        if !self.owned(conn)? {
            return Ok(None);
        }
        append_event(conn, &self.id, &self.tenant_id, event_type, data).map(Some)
    }

    pub fn set_progress(
        &self,
        conn: &mut DbConn,
        node_id: &str,
        node_progress: f64,
        job_progress: f64,
        message: &str,
    ) -> Result<(), StoreError> {
        if !self.owned(conn)? {
            return Ok(());
        }
        diesel::update(self.guard())
            .set(j::progress.eq(job_progress))
            .execute(conn)?;
        diesel::update(
            n::job_nodes
                .filter(n::job_id.eq(&self.id))
                .filter(n::node_id.eq(node_id)),
        )
        .set(n::progress.eq(node_progress))
        .execute(conn)?;
        append_event(
            conn,
            &self.id,
            &self.tenant_id,
            "node.progress",
            serde_json::json!({"node_id": node_id, "progress": round3(node_progress), "job_progress": round3(job_progress), "message": message}),
        )?;
        Ok(())
    }

    pub fn node_state(
        &self,
        conn: &mut DbConn,
        node_id: &str,
        state: &str,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        if !self.owned(conn)? {
            return Ok(());
        }
        let now = store::now();
        let target = n::job_nodes
            .filter(n::job_id.eq(&self.id))
            .filter(n::node_id.eq(node_id));
        match state {
            "running" => diesel::update(target)
                .set((
                    n::status.eq(state),
                    n::started_at.eq(Some(now)),
                    n::error.eq(None::<String>),
                ))
                .execute(conn)?,
            "succeeded" => diesel::update(target)
                .set((
                    n::status.eq(state),
                    n::finished_at.eq(Some(now)),
                    n::progress.eq(1.0),
                ))
                .execute(conn)?,
            _ => diesel::update(target)
                .set((
                    n::status.eq(state),
                    n::finished_at.eq(Some(now)),
                    n::error.eq(error.map(str::to_string)),
                ))
                .execute(conn)?,
        };
        append_event(
            conn,
            &self.id,
            &self.tenant_id,
            &format!("node.{state}"),
            serde_json::json!({"node_id": node_id, "status": state, "error": error}),
        )?;
        Ok(())
    }

    /// Stores a node output (idempotent: a resumed job overwrites its own artifact).
    pub fn save_artifact(&self, conn: &mut DbConn, row: &JobArtifactRow) -> Result<(), StoreError> {
        if !self.owned(conn)? {
            return Ok(());
        }
        diesel::delete(
            a::job_artifacts
                .filter(a::job_id.eq(&self.id))
                .filter(a::node_id.eq(&row.node_id))
                .filter(a::port.eq(&row.port)),
        )
        .execute(conn)?;
        diesel::insert_into(a::job_artifacts)
            .values(row)
            .execute(conn)?;
        Ok(())
    }

    /// Moves the job to a final state (or back to `retrying` with a backoff).
    pub fn finish(
        &self,
        conn: &mut DbConn,
        state: JobState,
        error: Option<&str>,
    ) -> Result<bool, StoreError> {
        let now = store::now();
        let n = diesel::update(self.guard())
            .set((
                j::status.eq(state.as_str()),
                j::error.eq(error.map(str::to_string)),
                j::lease_expires_at.eq(None::<NaiveDateTime>),
                j::locked_by.eq(None::<String>),
                j::updated_at.eq(now),
                j::completed_at.eq(state.is_final().then_some(now)),
                j::progress.eq(if state == JobState::Succeeded {
                    1.0
                } else {
                    0.0
                }),
            ))
            .execute(conn)?;
        if n == 1 && state == JobState::Succeeded {
            let started: Option<NaiveDateTime> = j::jobs
                .filter(j::id.eq(&self.id))
                .select(j::started_at)
                .first(conn)?;
            let secs = started.map(|s| (now - s).num_seconds()).unwrap_or(0);
            diesel::update(j::jobs.filter(j::id.eq(&self.id)))
                .set(j::processing_time.eq(Some(i32::try_from(secs).unwrap_or(i32::MAX))))
                .execute(conn)?;
        }
        if n == 1 && state.is_final() {
            crate::webhooks::enqueue_for_job(conn, &self.id, state.as_str(), error)?;
            // Whatever way it ended: bill what its finished nodes measured, free the rest.
            super::admission::settle_job(conn, &self.id)?;
        }
        if n == 1 {
            append_event(
                conn,
                &self.id,
                &self.tenant_id,
                &format!("job.{}", state.as_str()),
                serde_json::json!({"status": state.as_str(), "error": error}),
            )?;
        }
        Ok(n == 1)
    }

    /// A failed attempt: retry later with exponential backoff (2^attempt seconds, capped),
    /// or fail for good after the last attempt.
    pub fn fail_attempt(
        &self,
        conn: &mut DbConn,
        error: &str,
        retryable: bool,
        max_attempts: i32,
    ) -> Result<JobState, StoreError> {
        if retryable && self.attempt < max_attempts {
            let delay = TimeDelta::seconds(2_i64.pow(self.attempt.clamp(0, 10) as u32).min(300));
            let n = diesel::update(self.guard())
                .set((
                    j::status.eq("retrying"),
                    j::error.eq(Some(error.to_string())),
                    j::run_after.eq(Some(store::now() + delay)),
                    j::lease_expires_at.eq(None::<NaiveDateTime>),
                    j::locked_by.eq(None::<String>),
                    j::updated_at.eq(store::now()),
                ))
                .execute(conn)?;
            if n == 1 {
                append_event(
                    conn,
                    &self.id,
                    &self.tenant_id,
                    "job.retrying",
                    serde_json::json!({"status": "retrying", "error": error, "retry_in_s": delay.num_seconds()}),
                )?;
            }
            Ok(JobState::Retrying)
        } else {
            self.finish(conn, JobState::Failed, Some(error))?;
            Ok(JobState::Failed)
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
