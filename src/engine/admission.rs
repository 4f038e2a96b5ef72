//! Admission: the one place that decides whether new work may enter — a job
//! (`POST /v1/jobs`, `POST /v1/jobs/{id}/retry`) or an OpenAI-compatible request
//! (`POST /v1/audio/transcriptions|translations`). Templates and realtime streams will
//! enter through [`admit`] too; nothing else grants work.
//!
//! The steps run in this fixed order, and the first that refuses answers (each refusal is
//! its own problem type, see [`Refusal`] and docs/admission.md):
//! 1. **credential**: the tenant (and its reseller) are still active — the request's
//!    credential was checked by the extractor; this re-checks it inside the transaction
//!    that accepts the work (`tenant_suspended`, `reseller_suspended`);
//! 2. **subscription**: the tenant's `subscription_status` is not `cancelled` or `expired`
//!    (`subscription_inactive`), nor `past_due` for longer than the grace period
//!    (`VOXFLOW_PAST_DUE_GRACE_DAYS` from `past_due_since`: `subscription_past_due`);
//! 3. **plan features** ([`crate::plan_features`]): every node kind is in the plan's
//!    `allowed_node_kinds`, every Whisper model in its `allowed_whisper_models`
//!    (`not_in_plan`), and the probed audio within its `max_audio_seconds`
//!    (`audio_too_long_for_plan`); upload size is checked at upload, concurrency at step 7;
//! 4. **node availability**: every node of the graph can run on this server, models
//!    included (`node_unavailable`);
//! 5. **processing quota**: the work's audio is *reserved* against the tenant's month
//!    (`quota_exceeded`) — see below;
//! 6. **rate limit** ([`crate::auth::rate_limit`]): the request that carries the work took
//!    its token from the tenant's (and API key's) bucket when it was authenticated, before
//!    its body was read; a refused request (`rate_limited`, 429) never gets here, and an
//!    admitted one is not counted again;
//! 7. **concurrency**: a job always enters the queue, whose claims respect the tenant's
//!    limit in fair order; an OpenAI request takes one of the same slots at once or is
//!    refused (`too_many_concurrent_requests`, 429).
//!
//! Steps 1–3 are read first, step 4 runs off the database, and steps 1–2 and 5–7 then run
//! again in the write transaction that inserts the work, with the tenant serialised:
//! SQLite has a single writer connection, PostgreSQL takes a per-tenant transaction
//! advisory lock. So N parallel submissions see each other's reservations and only those
//! that fit are accepted.
//!
//! **Quota.** Used = the month's billed audio (`job_audio` and `transcription` usage) +
//! every active reservation (of any month). A submission is refused when the quota is used
//! up, or when its audio does not fit in what is left. A job's reservation is the longest
//! audio among its uploaded inputs (the file probed at admission, the same measure its
//! nodes record); URL inputs are unknown until fetched and reserve nothing, so a job with
//! only URL inputs needs some quota left; the worker tops the reservation up
//! ([`top_up_job`]) once it has fetched and measured a URL, failing the job if that does
//! not fit. Automatic attempts
//! (`retrying`, a reclaimed lease) run under the job's one reservation: they neither
//! reserve again nor escape the quota. A job is *settled* when it ends — succeeded, failed
//! or cancelled — by [`settle_job`] (called by `engine::queue`): it is billed the longest
//! audio one of its finished nodes processed (`node_audio`), less what it was billed
//! before, and its reservation drops to 0. A manual retry (`POST /v1/jobs/{id}/retry`) is
//! admitted again ([`readmit_retry`]): it reserves what the job has not been billed yet.

use crate::error::{ApiError, Code};
use crate::plan_features::PlanFeatures;
use crate::store::repo::reservations::{self, ReservationRow};
use crate::store::repo::{self, jobs::JobRow, tenants::TenantRow, usage};
use crate::store::{self, DbConn, Store, StoreError};
use crate::tenancy::Scope;
use chrono::{Datelike, NaiveDateTime, TimeDelta};
use std::sync::Arc;
use voxflow_nodes::{NodeResources, Registry};

/// Usage that counts against the monthly processing quota.
pub const BILLED: [&str; 2] = ["job_audio", "transcription"];

/// How long an OpenAI request's slot lives without a renewal (renewed every third).
pub const TRANSCRIPTION_LEASE: TimeDelta = TimeDelta::seconds(30);

/// The steps, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Credential,
    Subscription,
    PlanFeatures,
    NodeAvailability,
    Quota,
    RateLimit,
    Concurrency,
}

pub const ORDER: [Step; 7] = [
    Step::Credential,
    Step::Subscription,
    Step::PlanFeatures,
    Step::NodeAvailability,
    Step::Quota,
    Step::RateLimit,
    Step::Concurrency,
];

/// Why work was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("Work belongs to tenants: use a tenant user's credentials")]
    NotATenant,
    #[error("The tenant is suspended or deleted")]
    TenantInactive,
    #[error("{0}")]
    ResellerInactive(String),
    #[error(
        "The tenant's subscription is {0}: new work is refused (reads and downloads still work)"
    )]
    SubscriptionInactive(String),
    #[error(
        "The tenant's subscription has been past due since {since} UTC, beyond the {grace_days}-day grace period: new work is refused (reads and downloads still work)"
    )]
    PastDue {
        since: NaiveDateTime,
        grace_days: i64,
    },
    #[error("{0}")]
    NotInPlan(String),
    #[error(
        "The audio ({:.1} s) is longer than the tenant's plan allows per job ({max_secs} s)",
        *.milli as f64 / 1000.0
    )]
    AudioTooLong { milli: i64, max_secs: u32 },
    #[error("{0}")]
    NodeUnavailable(String),
    #[error("{}", quota_detail(*.minutes, *.left_milli, *.needed_milli))]
    Quota {
        minutes: i32,
        left_milli: i64,
        needed_milli: i64,
    },
    #[error("The tenant already runs {running} of its {cap} concurrent jobs and requests; retry shortly")]
    Concurrency { running: i64, cap: i64 },
}

fn quota_detail(minutes: i32, left: i64, needed: i64) -> String {
    let minutes = match minutes {
        1 => "1 minute".to_string(),
        m => format!("{m} minutes"),
    };
    if left <= 0 {
        format!("This month's processing quota of {minutes} is used up")
    } else {
        format!(
            "The audio ({:.1} s) does not fit in what is left of this month's processing quota of {minutes} ({:.1} s, counting work still running)",
            needed as f64 / 1000.0,
            left as f64 / 1000.0
        )
    }
}

impl Refusal {
    pub fn step(&self) -> Step {
        match self {
            Refusal::NotATenant | Refusal::TenantInactive | Refusal::ResellerInactive(_) => {
                Step::Credential
            }
            Refusal::SubscriptionInactive(_) | Refusal::PastDue { .. } => Step::Subscription,
            Refusal::NotInPlan(_) | Refusal::AudioTooLong { .. } => Step::PlanFeatures,
            Refusal::NodeUnavailable(_) => Step::NodeAvailability,
            Refusal::Quota { .. } => Step::Quota,
            Refusal::Concurrency { .. } => Step::Concurrency,
        }
    }

    pub fn code(&self) -> Code {
        match self {
            Refusal::NotATenant => Code::Forbidden,
            Refusal::TenantInactive => Code::TenantSuspended,
            Refusal::ResellerInactive(_) => Code::ResellerSuspended,
            Refusal::SubscriptionInactive(_) => Code::SubscriptionInactive,
            Refusal::PastDue { .. } => Code::SubscriptionPastDue,
            Refusal::NotInPlan(_) => Code::NotInPlan,
            Refusal::AudioTooLong { .. } => Code::AudioTooLongForPlan,
            Refusal::NodeUnavailable(_) => Code::NodeUnavailable,
            Refusal::Quota { .. } => Code::QuotaExceeded,
            Refusal::Concurrency { .. } => Code::TooManyConcurrentRequests,
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        ApiError::new(r.code(), r.to_string())
    }
}

/// What the work is.
#[derive(Debug, Clone)]
pub enum Work {
    /// A job; the caller's `enter` inserts it (the reservation is tied to this id).
    Job { job_id: String },
    /// A synchronous OpenAI-route request: takes a concurrency slot with a lease.
    Transcription,
}

/// One piece of work asking to enter.
#[derive(Debug, Clone)]
pub struct Submission {
    pub tenant_id: String,
    /// (node id, kind, params) of every node it will run, for step 4.
    pub nodes: Vec<(String, String, serde_json::Value)>,
    /// The audio to reserve (thousandths of a second; 0 when unknown, e.g. URL inputs).
    pub audio_milli: i64,
    pub work: Work,
}

/// (node id, kind, params) of every node of `graph`, as [`Submission::nodes`] lists them.
pub fn graph_nodes(
    graph: &crate::engine::graph::Graph,
) -> Vec<(String, String, serde_json::Value)> {
    graph
        .nodes
        .iter()
        .map(|n| (n.id.clone(), n.kind.clone(), n.params.clone()))
        .collect()
}

/// The server-wide settings admission needs.
#[derive(Clone)]
pub struct Admission {
    pub store: Store,
    pub registry: Registry,
    pub resources: Arc<NodeResources>,
    /// Concurrent jobs and requests per tenant when its plan sets none.
    pub default_concurrency: i64,
    /// How long a `past_due` tenant may still start work.
    pub past_due_grace: TimeDelta,
}

/// Admitted: the reservation holding the work's audio.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub reservation_id: String,
    pub tenant_id: String,
}

/// The outcome of the caller's part of the accepting transaction.
pub type Enter<T> = Result<Result<T, ApiError>, StoreError>;

impl Admission {
    /// Runs the steps in order (see the module docs); on success runs `enter` (which
    /// inserts the work) in the same transaction as the reservation.
    pub async fn admit<T: Send + 'static>(
        &self,
        scope: Scope,
        sub: Submission,
        enter: impl FnOnce(&mut DbConn) -> Enter<T> + Send + 'static,
    ) -> Result<(T, Ticket), ApiError> {
        // 1–3, read first so they answer before the (slower) availability check.
        let (grace, registry) = (self.past_due_grace, self.registry.clone());
        let (tenant_id, nodes, audio) = (sub.tenant_id.clone(), sub.nodes.clone(), sub.audio_milli);
        self.store
            .read(scope, move |c| {
                let tenant = match standing(c, &tenant_id, grace)? {
                    Ok(t) => t,
                    Err(r) => return Ok(Err(r)),
                };
                let features = crate::plan_features::for_tenant(c, &tenant)?;
                Ok(check_plan(&registry, &features, &nodes, audio))
            })
            .await??;
        // 4. Node availability, off the database.
        let registry = self.registry.clone();
        let resources = self.resources.clone();
        let nodes = sub.nodes.clone();
        let unavailable =
            tokio::task::spawn_blocking(move || unavailable_node(&registry, &resources, &nodes))
                .await
                .map_err(ApiError::internal)?;
        if let Some(detail) = unavailable {
            return Err(Refusal::NodeUnavailable(detail).into());
        }
        // 1–2 again and 5–7, serialised per tenant, with the work inserted.
        let default_concurrency = self.default_concurrency;
        let grace = self.past_due_grace;
        self.store
            .write(scope, move |c| {
                lock_tenant(c, &sub.tenant_id)?;
                let tenant = match standing(c, &sub.tenant_id, grace)? {
                    Ok(t) => t,
                    Err(r) => return Ok(Err(r.into())),
                };
                let now = store::now();
                if let Err(r) = check_quota(c, &tenant, sub.audio_milli, now)? {
                    return Ok(Err(r.into()));
                }
                // 6. Rate limit: counted once per request, at authentication (`Authed`).
                if let Work::Transcription = sub.work {
                    if let Err(r) = check_concurrency(c, &tenant, default_concurrency, now)? {
                        return Ok(Err(r.into()));
                    }
                }
                let value = match enter(c)? {
                    Ok(v) => v,
                    Err(e) => return Ok(Err(e)),
                };
                let (job_id, kind, expires_at) = match &sub.work {
                    Work::Job { job_id } => (Some(job_id.clone()), "job", None),
                    Work::Transcription => (None, "transcription", Some(now + TRANSCRIPTION_LEASE)),
                };
                let row = ReservationRow {
                    id: store::new_id(),
                    tenant_id: sub.tenant_id.clone(),
                    job_id,
                    kind: kind.into(),
                    amount_milli: sub.audio_milli,
                    held_milli: sub.audio_milli,
                    created_at: now,
                    expires_at,
                    settled_at: None,
                };
                reservations::insert(c, &row)?;
                Ok(Ok((
                    value,
                    Ticket {
                        reservation_id: row.id,
                        tenant_id: row.tenant_id,
                    },
                )))
            })
            .await?
    }
}

/// Serialises admissions of one tenant for the rest of the transaction (also used by the
/// plan's count limits). SQLite has one writer connection, so its write transactions are
/// serialised already.
pub fn lock_tenant(c: &mut DbConn, tenant_id: &str) -> Result<(), StoreError> {
    if let DbConn::Postgres(pg) = c {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(tenant_id)
            .execute(pg)?;
    }
    Ok(())
}

/// Steps 1–2: the tenant and its reseller are active, its subscription too (a `past_due`
/// one within `grace` of `past_due_since`).
fn standing(
    c: &mut DbConn,
    tenant_id: &str,
    grace: TimeDelta,
) -> Result<Result<TenantRow, Refusal>, StoreError> {
    // 1. Credential: tenant and reseller still active.
    let Some(tenant) = repo::tenants::get(c, &Scope::System, tenant_id)? else {
        return Ok(Err(Refusal::TenantInactive));
    };
    if tenant.status != "active" {
        return Ok(Err(Refusal::TenantInactive));
    }
    if let Some(rid) = &tenant.reseller_id {
        if let Err(e) = crate::auth::standing::reseller_active(c, rid)? {
            return Ok(Err(Refusal::ResellerInactive(e.detail)));
        }
    }
    // 2. Subscription status.
    if matches!(tenant.subscription_status.as_str(), "cancelled" | "expired") {
        let status = tenant.subscription_status.clone();
        return Ok(Err(Refusal::SubscriptionInactive(status)));
    }
    if tenant.subscription_status == "past_due" {
        // A row made past_due before the column existed, or by hand, counts from its last
        // update.
        let since = tenant.past_due_since.unwrap_or(tenant.updated_at);
        if store::now() - since > grace {
            return Ok(Err(Refusal::PastDue {
                since,
                grace_days: grace.num_days(),
            }));
        }
    }
    Ok(Ok(tenant))
}

/// The Whisper model a node runs: its `model` param, else its schema's default.
fn whisper_model(registry: &Registry, kind: &str, params: &serde_json::Value) -> Option<String> {
    if kind != "whisper.transcribe" {
        return None;
    }
    if let Some(m) = params.get("model").and_then(|m| m.as_str()) {
        return Some(m.to_string());
    }
    let manifests = registry.manifests();
    let manifest = manifests.iter().find(|m| m.kind == kind)?;
    manifest.params_schema["properties"]["model"]["default"]
        .as_str()
        .map(str::to_string)
}

/// Step 3: the plan includes every node kind and Whisper model the work needs, and its
/// probed audio fits the plan's per-job duration.
pub fn check_plan(
    registry: &Registry,
    features: &PlanFeatures,
    nodes: &[(String, String, serde_json::Value)],
    audio_milli: i64,
) -> Result<(), Refusal> {
    for (id, kind, params) in nodes {
        if !features.allows_kind(kind) {
            let allowed = features.allowed_node_kinds.clone().unwrap_or_default();
            return Err(Refusal::NotInPlan(format!(
                "Node `{id}` ({kind}) is not in the tenant's plan; it allows: {}",
                allowed.join(", ")
            )));
        }
        if let Some(model) = whisper_model(registry, kind, params) {
            if !features.allows_model(&model) {
                let allowed = features.allowed_whisper_models.clone().unwrap_or_default();
                return Err(Refusal::NotInPlan(format!(
                    "Node `{id}` ({kind}) uses the Whisper model `{model}`, which is not in the tenant's plan; it allows: {}",
                    allowed.join(", ")
                )));
            }
        }
    }
    if let Some(max_secs) = features.max_audio_seconds {
        if audio_milli > i64::from(max_secs) * 1000 {
            return Err(Refusal::AudioTooLong {
                milli: audio_milli,
                max_secs,
            });
        }
    }
    Ok(())
}

/// The audio a file holds (thousandths of a second): its header's duration, else its
/// frames counted by a decode that keeps no samples (`probe_duration`), so a long upload
/// costs no memory to admit; None when it does not decode (the job then fails in its
/// decode node, having processed nothing). Runs on a blocking thread.
pub fn probe_milli(resources: &NodeResources, path: &std::path::Path) -> Option<i64> {
    let cancel = voxflow_nodes::CancelToken::new();
    match voxflow_nodes::audio::decode::probe_duration(path, &resources.decode_limits, &cancel) {
        Ok(secs) => Some((secs * 1000.0).round() as i64),
        Err(e) => {
            tracing::info!(error = %resources.scrub_paths(&e.message), "input audio did not probe");
            None
        }
    }
}

/// Step 4: the first node this server cannot run, described for the tenant.
pub fn unavailable_node(
    registry: &Registry,
    resources: &NodeResources,
    nodes: &[(String, String, serde_json::Value)],
) -> Option<String> {
    nodes.iter().find_map(|(id, kind, params)| {
        let node = registry.get(kind)?;
        let e = node.availability(resources, params).err()?;
        Some(format!(
            "Node `{id}` ({kind}) cannot run on this server: {}",
            resources.scrub_paths(&e.message)
        ))
    })
}

/// The tenant's monthly processing minutes: its own override, else its plan's; None means
/// unlimited.
fn quota_minutes(c: &mut DbConn, tenant: &TenantRow) -> Result<Option<i32>, StoreError> {
    let plan = match (
        &tenant.processing_quota_minutes,
        &tenant.subscription_plan_id,
    ) {
        (None, Some(p)) => repo::plans::get(c, &Scope::System, p)?,
        _ => None,
    };
    Ok(quota_minutes_of(tenant, plan.as_ref()))
}

/// [`quota_minutes`] with the tenant's plan already read (None: it has none, or it is gone).
pub fn quota_minutes_of(tenant: &TenantRow, plan: Option<&repo::plans::PlanRow>) -> Option<i32> {
    tenant
        .processing_quota_minutes
        .or_else(|| plan.map(|p| p.processing_quota_minutes))
}

/// The first instant of `now`'s month (UTC): quota months are calendar months.
pub fn month_start(now: NaiveDateTime) -> NaiveDateTime {
    NaiveDateTime::new(
        chrono::NaiveDate::from_ymd_opt(now.year(), now.month(), 1).unwrap_or_default(),
        chrono::NaiveTime::MIN,
    )
}

/// A tenant's processing quota as step 5 counts it (usage reports show the same figures).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaUse {
    /// The month's minutes; None: unlimited.
    pub minutes: Option<i32>,
    /// This month's billed audio (`job_audio` and `transcription` usage), thousandths of a second.
    pub billed_milli: i64,
    /// Audio held by active reservations, whatever month they started in.
    pub held_milli: i64,
}

impl QuotaUse {
    pub fn used_milli(&self) -> i64 {
        self.billed_milli.saturating_add(self.held_milli)
    }

    pub fn quota_milli(&self) -> Option<i64> {
        self.minutes.map(|m| i64::from(m) * 60_000)
    }

    /// The quota less what is used; negative when settled work went past it (a job is
    /// billed what it measured, which may exceed what it reserved). None: unlimited.
    pub fn left_milli(&self) -> Option<i64> {
        self.quota_milli().map(|q| q - self.used_milli())
    }
}

/// Step 5's figures for a tenant now.
pub fn quota_use(
    c: &mut DbConn,
    tenant: &TenantRow,
    now: NaiveDateTime,
) -> Result<QuotaUse, StoreError> {
    Ok(QuotaUse {
        minutes: quota_minutes(c, tenant)?,
        billed_milli: usage::total_since(c, &tenant.id, &BILLED, month_start(now))?,
        held_milli: reservations::held(c, &tenant.id, now)?,
    })
}

/// Step 5: `needed` fits in what is left (and something is left).
fn check_quota(
    c: &mut DbConn,
    tenant: &TenantRow,
    needed: i64,
    now: NaiveDateTime,
) -> Result<Result<(), Refusal>, StoreError> {
    let quota = quota_use(c, tenant, now)?;
    let (Some(minutes), Some(left)) = (quota.minutes, quota.left_milli()) else {
        return Ok(Ok(()));
    };
    if left <= 0 || needed > left {
        return Ok(Err(Refusal::Quota {
            minutes,
            left_milli: left.max(0),
            needed_milli: needed,
        }));
    }
    Ok(Ok(()))
}

/// Step 7 for synchronous requests: running jobs and requests in flight share the tenant's
/// limit (the plan's `max_concurrent_jobs`, else `tenant_job_concurrency`), the same one
/// job claims respect.
fn check_concurrency(
    c: &mut DbConn,
    tenant: &TenantRow,
    default_cap: i64,
    now: NaiveDateTime,
) -> Result<Result<(), Refusal>, StoreError> {
    let cap = match &tenant.subscription_plan_id {
        Some(p) => repo::plans::get(c, &Scope::System, p)?
            .map(|p| i64::from(p.max_concurrent_jobs))
            .unwrap_or(default_cap),
        None => default_cap,
    };
    let running = repo::jobs::count_running(c, &tenant.id, now)?
        + reservations::live_transcriptions(c, &tenant.id, now)?;
    if running >= cap {
        return Ok(Err(Refusal::Concurrency { running, cap }));
    }
    Ok(Ok(()))
}

/// Settles a job that reached a final state (any of them): bills what its finished nodes
/// measured, less what it was billed before, and releases its reservation. Idempotent.
pub fn settle_job(c: &mut DbConn, job_id: &str) -> Result<(), StoreError> {
    let Some(job) = repo::jobs::get(c, &Scope::System, job_id)? else {
        return Ok(());
    };
    let delta = usage::measured_for_job(c, job_id)? - usage::billed_for_job(c, job_id)?;
    if delta > 0 {
        usage::insert(
            c,
            &usage::UsageRow {
                id: store::new_id(),
                tenant_id: job.tenant_id.clone(),
                user_id: job.user_id.clone(),
                job_id: Some(job.id.clone()),
                resource_type: "job_audio".into(),
                amount_milli: delta,
                unit: "audio_seconds".into(),
                recorded_at: store::now(),
                node_id: None,
                node_kind: None,
            },
        )?;
    }
    reservations::set_held(c, job_id, 0, Some(store::now()))
}

/// Tops up a job's reservation once the worker has fetched a URL input and measured its
/// audio (a URL's length is unknown at admission): the reservation grows to `audio_milli`
/// when it holds less, if the difference fits in what is left of the month; refused
/// otherwise, or when the audio is longer than the plan's `max_audio_seconds` (the job then
/// fails with the refusal's message, having processed nothing).
pub fn top_up_job(
    c: &mut DbConn,
    tenant_id: &str,
    job_id: &str,
    audio_milli: i64,
) -> Result<Result<(), Refusal>, StoreError> {
    lock_tenant(c, tenant_id)?;
    let Some(tenant) = repo::tenants::get(c, &Scope::System, tenant_id)? else {
        return Ok(Ok(()));
    };
    // Step 3's audio limit, which could not see the URL at admission.
    if let Some(max_secs) = crate::plan_features::for_tenant(c, &tenant)?.max_audio_seconds {
        if audio_milli > i64::from(max_secs) * 1000 {
            return Ok(Err(Refusal::AudioTooLong {
                milli: audio_milli,
                max_secs,
            }));
        }
    }
    let Some(reservation) = reservations::for_job(c, job_id)? else {
        return Ok(Ok(()));
    };
    let extra = audio_milli - reservation.amount_milli;
    if extra <= 0 {
        return Ok(Ok(()));
    }
    if let Err(r) = check_quota(c, &tenant, extra, store::now())? {
        return Ok(Err(r));
    }
    reservations::raise(c, job_id, audio_milli, reservation.held_milli + extra)?;
    Ok(Ok(()))
}

impl Admission {
    /// Admits a manual retry of a failed or cancelled job (steps 1, 2, 3 and 5, in the
    /// caller's write transaction): the plan as it is now still includes what the job runs,
    /// and the quota holds again what the job has not been billed for yet.
    pub fn readmit_retry(
        &self,
        c: &mut DbConn,
        job: &JobRow,
    ) -> Result<Result<(), Refusal>, StoreError> {
        lock_tenant(c, &job.tenant_id)?;
        let tenant = match standing(c, &job.tenant_id, self.past_due_grace)? {
            Ok(t) => t,
            Err(r) => return Ok(Err(r)),
        };
        let now = store::now();
        let reservation = reservations::for_job(c, &job.id)?;
        let amount = reservation.as_ref().map(|r| r.amount_milli).unwrap_or(0);
        // 3. The plan may have changed since the job was admitted.
        let features = crate::plan_features::for_tenant(c, &tenant)?;
        // The job's graph is stored in normal form (presets already merged).
        let nodes = serde_json::from_str::<crate::engine::graph::Graph>(&job.graph)
            .map(|g| graph_nodes(&g))
            .unwrap_or_default();
        if let Err(r) = check_plan(&self.registry, &features, &nodes, amount) {
            return Ok(Err(r));
        }
        let needed = (amount - usage::billed_for_job(c, &job.id)?).max(0);
        if let Err(r) = check_quota(c, &tenant, needed, now)? {
            return Ok(Err(r));
        }
        match reservation {
            Some(_) => reservations::set_held(c, &job.id, needed, None)?,
            None => reservations::insert(
                c,
                &ReservationRow {
                    id: store::new_id(),
                    tenant_id: job.tenant_id.clone(),
                    job_id: Some(job.id.clone()),
                    kind: "job".into(),
                    amount_milli: 0,
                    held_milli: 0,
                    created_at: now,
                    expires_at: None,
                    settled_at: None,
                },
            )?,
        }
        Ok(Ok(()))
    }
}

/// An OpenAI-route request's slot and reservation, while it runs: its lease is renewed in
/// the background; [`Slot::settle`] bills the measured audio and frees it, and dropping it
/// unsettled (an error, or the client gone) frees it without billing.
pub struct Slot {
    store: Store,
    ticket: Option<Ticket>,
    scope: Scope,
    renew: tokio::task::JoinHandle<()>,
}

impl Slot {
    pub fn start(store: Store, scope: Scope, ticket: Ticket) -> Self {
        let (s, id) = (store.clone(), ticket.reservation_id.clone());
        let renew = tokio::spawn(async move {
            let every = (TRANSCRIPTION_LEASE / 3).to_std().unwrap_or_default();
            loop {
                tokio::time::sleep(every).await;
                let id = id.clone();
                let expires = store::now() + TRANSCRIPTION_LEASE;
                if let Err(e) = s
                    .write(scope, move |c| reservations::renew(c, &id, expires))
                    .await
                {
                    tracing::warn!(error = %e, "could not renew a transcription's slot");
                }
            }
        });
        Self {
            store,
            ticket: Some(ticket),
            scope,
            renew,
        }
    }

    /// Frees the slot and records `usage` in one transaction.
    pub async fn settle(mut self, usage_row: usage::UsageRow) -> Result<(), StoreError> {
        self.renew.abort();
        let Some(ticket) = self.ticket.take() else {
            return Ok(());
        };
        self.store
            .write(self.scope, move |c| {
                reservations::delete(c, &ticket.reservation_id)?;
                usage::insert(c, &usage_row)
            })
            .await
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.renew.abort();
        if let Some(ticket) = self.ticket.take() {
            let store = self.store.clone();
            let scope = self.scope;
            tokio::spawn(async move {
                let id = ticket.reservation_id;
                if let Err(e) = store
                    .write(scope, move |c| reservations::delete(c, &id))
                    .await
                {
                    // The lease lapses on its own.
                    tracing::warn!(error = %e, "could not free a transcription's slot");
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_names_its_step_in_order() {
        let refusals = [
            Refusal::NotATenant,
            Refusal::SubscriptionInactive("cancelled".into()),
            Refusal::NotInPlan("x".into()),
            Refusal::NodeUnavailable("x".into()),
            Refusal::Quota {
                minutes: 1,
                left_milli: 0,
                needed_milli: 1,
            },
            Refusal::Concurrency { running: 2, cap: 2 },
        ];
        let steps: Vec<usize> = refusals
            .iter()
            .map(|r| {
                ORDER
                    .iter()
                    .position(|s| *s == r.step())
                    .unwrap_or(usize::MAX)
            })
            .collect();
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "{steps:?}");
    }

    #[test]
    fn the_quota_detail_says_what_is_left() {
        assert!(quota_detail(10, 0, 5_000).contains("used up"));
        assert!(quota_detail(1, 5_000, 20_000).contains("20.0 s"));
    }

    #[test]
    fn months_start_on_the_first() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 17)
            .and_then(|d| d.and_hms_opt(13, 5, 0))
            .unwrap_or_default();
        assert_eq!(month_start(t).to_string(), "2026-12-01 00:00:00");
    }
}
