//! `/v1/jobs`: run a graph (or a saved workflow version) on uploaded files, follow it,
//! cancel or retry it, and fetch its outputs.
//!
//! `GET /v1/jobs/{id}` is built for polling: its `ETag` is `W/"<job id>-<seq>"` (the job's
//! event sequence number, the same one the event log and push use), `If-None-Match`
//! answers 304 after reading one integer, and `Voxflow-Poll-After` suggests when to ask
//! again — short while the job is moving, longer while nothing changes.

use super::{list_view, PageQuery, ReadErrors, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::engine::graph::Graph;
use crate::engine::queue::{self, JobState, NewJob};
use crate::error::{ApiError, Code, FieldError};
use crate::store::repo::jobs::{self as repo, JobArtifactRow, JobEventRow, JobNodeRow, JobRow};
use crate::store::repo::workflows as workflows_repo;
use crate::store::{self, repo as repos, DbConn, StoreError};
use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateJobRequest {
    /// Run a saved workflow (its current version, or `version`)…
    pub workflow_id: Option<Uuid>,
    /// …or a template offered to the tenant (its newest published version, or `version`,
    /// pinned; needs `templates:read` too; a deprecated template runs no more)…
    pub template_id: Option<Uuid>,
    pub version: Option<i32>,
    /// …or this graph (React Flow JSON or Flowise flowData).
    #[schema(value_type = Option<Object>)]
    pub graph: Option<serde_json::Value>,
    /// Node id → the file id (from `POST /v1/files`) or an http(s) URL for that node's
    /// `file` input. URLs on private, loopback or link-local addresses are refused.
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
    /// POSTed (signed, retried) when the job reaches a final state; the signing secret
    /// comes back in the answer.
    #[schema(
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][A-Za-z0-9._~!$&'()*+,;=:%/?#-]*)?$"
    )]
    pub webhook_url: Option<String>,
    /// Attempts before a job that keeps hitting runtime faults fails (1–10, default 3).
    #[schema(minimum = 1, maximum = 10)]
    pub max_attempts: Option<i32>,
}

/// The answer to `POST /v1/jobs`: the job is accepted, not done.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobSummary {
    pub id: Uuid,
    pub status: JobState,
    pub created_at: DateTime<Utc>,
    /// Where to poll.
    pub url: String,
    /// With `webhook_url`: the secret that signs this job's webhook (shown only here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobNodeView {
    pub node_id: String,
    pub kind: String,
    /// `pending`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    pub progress: f64,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
    /// Audio seconds this node processed (its longest audio input or output), summed over
    /// the attempts that ran it; null when it handled no audio (yet).
    pub audio_seconds: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactView {
    /// Unique per job: `<node id>.<port>.<extension>`.
    pub name: String,
    pub node_id: String,
    pub port: String,
    pub content_type: String,
    pub url: String,
    /// When the sweeper deletes the artifact under the tenant's retention
    /// (`retention_days`; docs/data-lifecycle.md); null: kept until the job is deleted.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    pub id: Uuid,
    pub status: JobState,
    pub workflow_id: Option<Uuid>,
    pub workflow_version: Option<i32>,
    /// The template version the job runs, when it was submitted with `template_id`
    /// (pinned at submission).
    pub template_id: Option<Uuid>,
    pub template_version: Option<i32>,
    /// 0..1 over the whole graph.
    pub progress: f64,
    pub attempt: i32,
    pub max_attempts: i32,
    pub error: Option<String>,
    /// The job's latest event sequence number (also in the ETag).
    pub seq: i64,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Seconds from first start to completion.
    pub processing_time: Option<i32>,
    /// Audio seconds billed for the job (settled when it ends, whatever way: the longest
    /// audio one of its finished nodes processed; counts toward the plan's processing
    /// quota).
    pub audio_seconds: Option<f64>,
    pub nodes: Vec<JobNodeView>,
    pub outputs: Vec<ArtifactView>,
}

list_view!(JobList, JobListItem);

#[derive(Debug, Serialize, ToSchema)]
pub struct JobListItem {
    pub id: Uuid,
    pub status: JobState,
    pub workflow_id: Option<Uuid>,
    /// The template the job runs, when it was submitted with `template_id`.
    pub template_id: Option<Uuid>,
    pub template_version: Option<i32>,
    pub progress: f64,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// One entry of a job's event log. The same envelope is pushed over the WebSocket.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobEventView {
    /// `job.queued`, `job.running`, `node.running`, `node.progress`, `node.succeeded`,
    /// `node.failed`, `job.succeeded`, `job.failed`, `job.retrying`, `job.cancelled`, …
    #[serde(rename = "type")]
    pub type_: String,
    pub job_id: Uuid,
    pub seq: i64,
    pub time: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<JobEventRow> for JobEventView {
    fn from(e: JobEventRow) -> Self {
        JobEventView {
            type_: e.event_type,
            job_id: super::parse_uuid(&e.job_id),
            seq: e.seq,
            time: super::utc(e.at),
            data: serde_json::from_str(&e.data).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobEventList {
    pub items: Vec<JobEventView>,
    /// The job's latest sequence number; pass it as `since` next time.
    pub last_seq: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct JobListQuery {
    /// Items per page, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    /// Only jobs in this state.
    pub status: Option<JobState>,
    /// Only jobs run from this template (any version).
    pub template_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// Events with a larger `seq` (default 0: all).
    #[param(minimum = 0)]
    pub since: Option<i64>,
    /// At most this many (1–1000, default 500).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

fn state_of(row: &JobRow) -> JobState {
    JobState::parse(&row.status).unwrap_or(JobState::Failed)
}

fn not_found() -> ApiError {
    ApiError::of(Code::JobNotFound)
}

/// Submits a job: validates the graph and inputs, checks the processing quota, queues it.
#[utoipa::path(
    tag = "jobs",
    request_body = CreateJobRequest,
    responses(
        (status = 202, body = JobSummary, headers(("Location" = String))),
        (status = 402, description = "The tenant's processing quota for this month is used up", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "A node of the graph cannot run on this server (`node_unavailable`, e.g. diarization without ONNX Runtime)", body = crate::error::Problem, content_type = "application/problem+json"),
        WriteErrors
    )
)]
// Parse → admit (`engine::admission`: standing, node availability, the processing quota
// reserved for the job's audio) → render.
#[post("/jobs")]
pub async fn create_job(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateJobRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::JobsWrite)?;
    let parsed = parse_job(&state, &authed, body.into_inner()).await?;
    let (job, webhook_secret) = admit_job(&state, &authed, parsed).await?;
    state.wake_workers.notify_waiters();
    let url = format!("/v1/jobs/{}", job.id);
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, url.clone()))
        .json(JobSummary {
            id: super::parse_uuid(&job.id),
            status: JobState::Queued,
            created_at: super::utc(job.created_at),
            url,
            webhook_secret,
        }))
}

/// A job request, parsed and validated, not yet admitted.
struct ParsedJob {
    new_job: NewJob,
    /// The graph, for the admission's checks that need it.
    graph: Graph,
    /// (node id, file id) of every uploaded-file input.
    file_inputs: Vec<(String, String)>,
    webhook_secret: Option<String>,
    /// The template version it runs, if any (recorded in the audit log).
    template: Option<(String, i32)>,
    /// (node id, preset id) of the nodes whose preset was pinned (recorded in the audit log).
    presets: Vec<(String, String)>,
}

/// Parses a job request: the graph (inline or a saved version) validated, its inputs
/// (file ids or SSRF-checked URLs), the webhook target.
async fn parse_job(
    state: &AppState,
    authed: &Authed,
    body: CreateJobRequest,
) -> Result<ParsedJob, ApiError> {
    let Some(tenant_id) = authed.principal.tenant_id else {
        return Err(crate::engine::admission::Refusal::NotATenant.into());
    };
    let max_attempts = body.max_attempts.unwrap_or(3);
    if !(1..=10).contains(&max_attempts) {
        return Err(ApiError::field("max_attempts", "must be between 1 and 10"));
    }
    // The webhook target passes the same SSRF guard as URL inputs.
    let webhook = match body.webhook_url.clone() {
        Some(url) => {
            let allow_private = state.settings.url_allow_private;
            let checked = web::block(move || {
                crate::fetch::check_destination(&url, &crate::fetch::policy(allow_private))
                    .map(|_| url)
            })
            .await
            .map_err(ApiError::internal)?;
            match checked {
                Ok(url) => Some((
                    url,
                    format!("whsec_{}", crate::auth::secrets::random_token(32)),
                )),
                Err(e) => return Err(ApiError::field("webhook_url", e.to_string())),
            }
        }
        None => None,
    };
    let scope = authed.scope();
    let viewer = match authed.role() {
        crate::tenancy::Role::TenantAdmin => None,
        _ => Some(authed.principal.user_id.to_string()),
    };
    // The graph: inline, a pinned workflow version, or a pinned template version.
    let mut template = None;
    let (graph_value, workflow) = match (&body.graph, body.workflow_id, body.template_id) {
        (Some(g), None, None) => (g.clone(), None),
        (None, Some(wid), None) => {
            let wid_s = wid.to_string();
            let version = body.version;
            let found = state
                .store
                .read(scope, move |c| {
                    let Some(w) = workflows_repo::get(c, &scope, viewer.as_deref(), &wid_s)? else {
                        return Ok(Err(ApiError::of(Code::WorkflowNotFound)));
                    };
                    let number = version.unwrap_or(w.current_version);
                    Ok(workflows_repo::version(c, &scope, &wid_s, number)?
                        .map(|v| (v.config, number))
                        .ok_or_else(|| {
                            ApiError::new(
                                Code::WorkflowVersionNotFound,
                                format!("The workflow has no version {number}"),
                            )
                        }))
                })
                .await??;
            let value: serde_json::Value =
                serde_json::from_str(&found.0).map_err(ApiError::internal)?;
            (value, Some((wid, found.1)))
        }
        (None, None, Some(tid)) => {
            authed.require(Action::TemplatesRead)?;
            let tid_s = tid.to_string();
            let version = body.version;
            let (_, v) = state
                .store
                .read(scope, move |c| {
                    super::templates::offered_version(c, &scope, &tid_s, version)
                })
                .await??;
            template = Some((v.template_id.clone(), v.version));
            let value: serde_json::Value =
                serde_json::from_str(&v.config).map_err(ApiError::internal)?;
            (value, None)
        }
        _ => {
            return Err(ApiError::validation(vec![FieldError::new(
                "graph",
                "send one of `graph`, `workflow_id` or `template_id`",
            )]))
        }
    };
    let checked = if workflow.is_some() || template.is_some() {
        // A saved version is stored in normal form and was valid when saved; check it
        // again, the registry (and the presets it names) may have changed since.
        let parsed: Graph = serde_json::from_value(graph_value).map_err(ApiError::internal)?;
        super::graphs::validate_off_executor(state, authed, parsed, "graph/").await?
    } else {
        super::graphs::check_off_executor(state, authed, graph_value, "graph/").await?
    };
    // The job runs the pinned graph: the presets' params as they are now, merged under each
    // node's overrides, so a later change to a preset never changes this job or its retries.
    let presets = checked.presets();
    let (parsed, plan) = (checked.pinned, checked.plan);
    // Inputs: one file id or http(s) URL per graph input, nothing else.
    let mut v = super::Validator::default();
    let mut urls = Vec::new();
    for input in &plan.inputs {
        let field = format!("inputs/{}", input.node_id);
        match body.inputs.get(&input.node_id) {
            None => v.push(
                &field,
                format!(
                    "node `{}` needs a file id or URL for its `{}` input",
                    input.node_id, input.port
                ),
            ),
            Some(s) if s.starts_with("http://") || s.starts_with("https://") => {
                urls.push((field, s.clone()))
            }
            Some(s) if Uuid::parse_str(s).is_err() => {
                v.push(&field, "must be a file id or an http(s) URL")
            }
            Some(_) => {}
        }
    }
    for node_id in body.inputs.keys() {
        if !plan.inputs.iter().any(|i| &i.node_id == node_id) {
            v.push(
                &format!("inputs/{node_id}"),
                "no node of the graph takes a file input by this id",
            );
        }
    }
    // The SSRF guard, early: resolve each URL's host now (it is checked again when fetched).
    let allow_private = state.settings.url_allow_private;
    let refused = web::block(move || {
        let allowed = crate::fetch::policy(allow_private);
        urls.into_iter()
            .filter_map(|(field, url)| {
                crate::fetch::check_destination(&url, &allowed)
                    .err()
                    .map(|e| (field, e.to_string()))
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(ApiError::internal)?;
    for (field, problem) in refused {
        v.push(&field, problem);
    }
    v.finish()?;

    let now = store::now();
    let inputs_json: BTreeMap<String, serde_json::Value> = body
        .inputs
        .iter()
        .map(|(k, f)| {
            let spec = if f.starts_with("http://") || f.starts_with("https://") {
                serde_json::json!({ "url": f })
            } else {
                serde_json::json!({ "file_id": f })
            };
            (k.clone(), spec)
        })
        .collect();
    // (node id, file id) of every uploaded-file input, checked in the tenant below.
    let file_inputs: Vec<(String, String)> = inputs_json
        .iter()
        .filter_map(|(node, spec)| {
            spec["file_id"]
                .as_str()
                .map(|f| (node.clone(), f.to_string()))
        })
        .collect();
    let id = store::new_id();
    let row = JobRow {
        id: id.clone(),
        tenant_id: tenant_id.to_string(),
        user_id: Some(authed.principal.user_id.to_string()),
        workflow_id: workflow.map(|w| w.0.to_string()),
        status: JobState::Queued.as_str().into(),
        file_path: None,
        result_path: None,
        error: None,
        processing_time: None,
        created_at: now,
        updated_at: now,
        completed_at: None,
        workflow_version: workflow.map(|w| w.1),
        graph: serde_json::to_string(&parsed).map_err(ApiError::internal)?,
        inputs: serde_json::to_string(&inputs_json).map_err(ApiError::internal)?,
        attempt: 0,
        max_attempts,
        run_after: None,
        lease_expires_at: None,
        locked_by: None,
        progress: 0.0,
        last_seq: 0,
        started_at: None,
        cancel_requested: false,
        webhook_url: webhook.as_ref().map(|w| w.0.clone()),
        // Stored sealed, bound to this job; shown in clear once, in the answer below.
        webhook_secret: webhook.as_ref().map(|w| {
            state.sealing.seal(
                &w.1,
                &crate::webhooks::job_context(&tenant_id.to_string(), &id),
            )
        }),
        template_id: template.as_ref().map(|t| t.0.clone()),
        template_version: template.as_ref().map(|t| t.1),
    };
    let new_job = NewJob {
        nodes: parsed
            .nodes
            .iter()
            .map(|n| (n.id.clone(), n.kind.clone()))
            .collect(),
        row,
    };
    Ok(ParsedJob {
        new_job,
        graph: parsed,
        file_inputs,
        webhook_secret: webhook.map(|w| w.1),
        template,
        presets,
    })
}

/// Admits a parsed job (`engine::admission`: standing, availability, the quota reserved
/// for its uploaded audio) and queues it in the same transaction.
async fn admit_job(
    state: &AppState,
    authed: &Authed,
    job: ParsedJob,
) -> Result<(JobRow, Option<String>), ApiError> {
    let scope = authed.scope();
    // The audio to reserve: the longest uploaded input, probed the way its decode node
    // measures it. URL inputs are unknown until fetched (see `engine::admission`).
    let rows = {
        let files = job.file_inputs.clone();
        state
            .store
            .read(scope, move |c| {
                let mut rows = Vec::new();
                for (_, file_id) in &files {
                    rows.extend(crate::files::resolve_input(c, &scope, file_id)?);
                }
                Ok(rows)
            })
            .await?
    };
    let mut audio_milli = 0;
    for row in rows {
        // On object storage this reads the file over the network once per job; on the
        // data directory it is read in place.
        let copy = match state.blobs.local_copy(&row.storage_key).await {
            Ok(copy) => copy,
            Err(e) => {
                // Its decode node reports it (as for audio that does not probe).
                tracing::warn!(error = %e, file_id = %row.id, "cannot read a job input to probe it");
                continue;
            }
        };
        let resources = state.speech.resources();
        let milli = web::block(move || {
            crate::engine::admission::probe_milli(&resources, &copy.path).unwrap_or(0)
        })
        .await
        .map_err(ApiError::internal)?;
        audio_milli = audio_milli.max(milli);
    }
    let ParsedJob {
        new_job,
        graph,
        file_inputs,
        webhook_secret,
        template,
        presets,
    } = job;
    let submission = crate::engine::admission::Submission {
        tenant_id: new_job.row.tenant_id.clone(),
        nodes: crate::engine::admission::graph_nodes(&graph),
        audio_milli,
        work: crate::engine::admission::Work::Job {
            job_id: new_job.row.id.clone(),
        },
    };
    let actor = Actor::of(authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let (row, _ticket) = state
        .admission()
        .admit(scope, submission, move |c| {
            // Translation engines are per tenant: a graph naming one this tenant lacks is
            // refused now rather than failing when the node runs.
            let missing = crate::translation::missing_engines(c, &scope, &graph)?;
            if !missing.is_empty() {
                return Ok(Err(super::graphs::invalid_graph(missing, "graph/")));
            }
            for (node_id, file_id) in &file_inputs {
                if crate::files::resolve_input(c, &scope, file_id)?.is_none() {
                    return Ok(Err(ApiError::field(&format!("inputs/{node_id}"), format!("no file {file_id}"))));
                }
            }
            queue::enqueue(c, &new_job)?;
            audit::record(c, &actor, Event {
                action: "job.create",
                target_type: "job",
                target_id: Some(new_job.row.id.clone()),
                tenant_id: Some(new_job.row.tenant_id.clone()),
                reseller_id: reseller,
                details: {
                    let mut d = match &template {
                        Some((id, version)) => serde_json::json!({"template_id": id, "template_version": version}),
                        None => serde_json::json!({"workflow_id": new_job.row.workflow_id, "version": new_job.row.workflow_version}),
                    };
                    if !presets.is_empty() {
                        d["presets"] = presets.iter().map(|(n, p)| (n.clone(), serde_json::Value::String(p.clone()))).collect::<serde_json::Map<_, _>>().into();
                    }
                    d
                },
            })?;
            Ok(Ok(new_job.row))
        })
        .await?;
    Ok((row, webhook_secret))
}

/// Lists the tenant's jobs, newest first.
#[utoipa::path(tag = "jobs", params(JobListQuery), responses((status = 200, body = JobList), ReadErrors))]
#[get("/jobs")]
pub async fn list_jobs(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<JobListQuery>,
) -> Result<web::Json<JobList>, ApiError> {
    authed.require(Action::JobsRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let filter = repo::JobFilter {
        status: q.status.map(|s| s.as_str()),
        template_id: q.template_id.map(|t| t.to_string()),
    };
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| repo::list(c, &scope, &page, &filter))
        .await?;
    Ok(web::Json(JobList::from_page(rows.map(|r| JobListItem {
        id: super::parse_uuid(&r.id),
        status: state_of(&r),
        workflow_id: super::parse_uuid_opt(r.workflow_id.as_deref()),
        template_id: super::parse_uuid_opt(r.template_id.as_deref()),
        template_version: r.template_version,
        progress: r.progress,
        error: r.error.clone(),
        created_at: super::utc(r.created_at),
        completed_at: r.completed_at.map(super::utc),
    }))))
}

fn etag(id: &str, seq: i64) -> String {
    format!("W/\"{id}-{seq}\"")
}

/// Seconds until the next poll: soon after a change, backing off (to 30 s) while idle.
fn poll_after(last_change: Option<NaiveDateTime>, state: JobState) -> u64 {
    if state.is_final() {
        return 60;
    }
    let idle = last_change
        .map(|t| (store::now() - t).num_seconds().max(0) as u64)
        .unwrap_or(0);
    (1 + idle / 2).min(30)
}

/// Reads a job: status, per-node status, progress, timings, error and outputs.
#[utoipa::path(
    tag = "jobs",
    params(("id" = Uuid, Path), ("If-None-Match" = Option<String>, Header, description = "ETag from a previous answer")),
    responses(
        (status = 200, body = JobView, headers(("ETag" = String, description = "W/\"<job id>-<seq>\""), ("Voxflow-Poll-After" = u64, description = "Seconds to wait before polling again"))),
        (status = 304, description = "Nothing changed since the given ETag"),
        ReadErrors
    )
)]
#[get("/jobs/{id}")]
pub async fn get_job(
    state: web::Data<AppState>,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::JobsRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let presented = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // A conditional poll of a job this process has heard from is answered from memory
    // (`realtime::latest`): still tenant-scoped, since the job's tenant must be the
    // caller's; anything else reads the database.
    let tenant = authed.principal.tenant_id.map(|t| t.to_string());
    let latest = state.store.hub().latest();
    if let (Some(p), Some(tenant), Some(known)) = (&presented, &tenant, latest.get(&id)) {
        if known.tenant_id == *tenant && p.split(',').any(|t| t.trim() == etag(&id, known.seq)) {
            state
                .metrics
                .job_polls_not_modified
                .with_label_values(&["memory"])
                .inc();
            return Ok(not_modified(&id, known.seq, Some(known.at)));
        }
    }
    let generation = latest.generation();
    let wanted = id.clone();
    // A conditional poll reads one integer (and the last event's time) before anything else.
    let found = state
        .store
        .read(scope, move |c| {
            let Some(seq) = repo::last_seq(c, &scope, &wanted)? else {
                return Ok(None);
            };
            let last = repo::events_since(c, &wanted, seq - 1, 1)?
                .pop()
                .map(|e| e.at);
            if presented
                .as_deref()
                .is_some_and(|p| p.split(',').any(|t| t.trim() == etag(&wanted, seq)))
            {
                return Ok(Some((seq, last, None)));
            }
            let Some(row) = repo::get(c, &scope, &wanted)? else {
                return Ok(None);
            };
            let nodes = repo::nodes(c, &wanted)?;
            let artifacts = repo::artifacts(c, &wanted)?;
            let usage = repos::usage::audio_for_job(c, &wanted)?;
            let retention = repos::tenants::retention_days(c, &row.tenant_id)?;
            Ok(Some((
                row.last_seq,
                last,
                Some((row, nodes, artifacts, usage, retention)),
            )))
        })
        .await?
        .ok_or_else(not_found)?;
    let (seq, last_change, full) = found;
    if let (Some(tenant), Some(at)) = (tenant, last_change) {
        let known = crate::realtime::latest::Latest {
            tenant_id: tenant,
            seq,
            at,
        };
        latest.remember(&id, known, generation);
    }
    let Some((row, nodes, artifacts, usage, retention)) = full else {
        state
            .metrics
            .job_polls_not_modified
            .with_label_values(&["database"])
            .inc();
        return Ok(not_modified(&id, seq, last_change));
    };
    let view = job_view(row, nodes, artifacts, usage, retention);
    let hint = poll_after(last_change, view.status);
    let mut res = HttpResponse::Ok()
        .insert_header(("Voxflow-Poll-After", hint.to_string()))
        .json(view);
    job_cache_headers(&mut res, &id, seq);
    Ok(res)
}

/// `304 Not Modified` for a poll whose ETag is current.
fn not_modified(id: &str, seq: i64, last_change: Option<NaiveDateTime>) -> HttpResponse {
    let hint = poll_after(last_change, JobState::Running);
    let mut res = HttpResponse::NotModified()
        .insert_header(("Voxflow-Poll-After", hint.to_string()))
        .finish();
    job_cache_headers(&mut res, id, seq);
    res
}

/// The caching headers of a job read: its ETag, revalidate every time, per credential.
fn job_cache_headers(res: &mut HttpResponse, id: &str, seq: i64) {
    let headers = res.headers_mut();
    if let Ok(v) = header::HeaderValue::from_str(&etag(id, seq)) {
        headers.insert(header::ETAG, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(
        header::VARY,
        header::HeaderValue::from_static("Authorization, X-API-Key"),
    );
}

/// A job's metered audio: its own total and each node's (thousandths of a second).
type AudioUsage = (Option<i64>, std::collections::BTreeMap<String, i64>);

fn job_view(
    row: JobRow,
    nodes: Vec<JobNodeRow>,
    artifacts: Vec<JobArtifactRow>,
    (job_audio, node_audio): AudioUsage,
    retention_days: Option<i32>,
) -> JobView {
    let seconds = |milli: i64| milli as f64 / 1000.0;
    let order: Vec<String> = serde_json::from_str::<Graph>(&row.graph)
        .map(|g| g.nodes.into_iter().map(|n| n.id).collect())
        .unwrap_or_default();
    let mut nodes = nodes;
    nodes.sort_by_key(|n| {
        order
            .iter()
            .position(|o| o == &n.node_id)
            .unwrap_or(usize::MAX)
    });
    JobView {
        id: super::parse_uuid(&row.id),
        status: state_of(&row),
        workflow_id: super::parse_uuid_opt(row.workflow_id.as_deref()),
        workflow_version: row.workflow_version,
        template_id: super::parse_uuid_opt(row.template_id.as_deref()),
        template_version: row.template_version,
        progress: row.progress,
        attempt: row.attempt,
        max_attempts: row.max_attempts,
        error: row.error.clone(),
        seq: row.last_seq,
        created_at: super::utc(row.created_at),
        started_at: row.started_at.map(super::utc),
        completed_at: row.completed_at.map(super::utc),
        processing_time: row.processing_time,
        audio_seconds: job_audio.map(seconds),
        nodes: nodes
            .into_iter()
            .map(|n| JobNodeView {
                audio_seconds: node_audio.get(&n.node_id).copied().map(seconds),
                node_id: n.node_id,
                kind: n.kind,
                status: n.status,
                progress: n.progress,
                started_at: n.started_at.map(super::utc),
                finished_at: n.finished_at.map(super::utc),
                error: n.error,
            })
            .collect(),
        outputs: artifacts
            .into_iter()
            .map(|a| ArtifactView {
                url: format!("/v1/jobs/{}/artifacts/{}", row.id, a.name),
                expires_at: crate::lifecycle::sweeper::expires_at(a.created_at, retention_days)
                    .map(super::utc),
                name: a.name,
                node_id: a.node_id,
                port: a.port,
                content_type: a.content_type,
            })
            .collect(),
    }
}

/// The job's event log after `since`, in order.
#[utoipa::path(tag = "jobs", params(("id" = Uuid, Path), EventsQuery), responses((status = 200, body = JobEventList), ReadErrors))]
#[get("/jobs/{id}/events")]
pub async fn list_job_events(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    query: web::Query<EventsQuery>,
) -> Result<web::Json<JobEventList>, ApiError> {
    authed.require(Action::JobsRead)?;
    let since = query.since.unwrap_or(0);
    let limit = query.limit.unwrap_or(500);
    if !(1..=1000).contains(&limit) || since < 0 {
        return Err(ApiError::new(
            Code::InvalidQuery,
            "limit must be 1–1000 and since ≥ 0",
        ));
    }
    let scope = authed.scope();
    let id = id.to_string();
    let (events, last_seq) = state
        .store
        .read(scope, move |c| {
            let Some(seq) = repo::last_seq(c, &scope, &id)? else {
                return Ok(None);
            };
            Ok(Some((repo::events_since(c, &id, since, limit)?, seq)))
        })
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(JobEventList {
        items: events.into_iter().map(JobEventView::from).collect(),
        last_seq,
    }))
}

/// Downloads one output of a job (transcript JSON, SRT, VTT, text, …).
#[utoipa::path(
    tag = "jobs",
    params(("id" = Uuid, Path), ("name" = String, Path, example = "srt.file.srt")),
    responses((status = 200, description = "The artifact, with its content type", body = String), ReadErrors)
)]
#[get("/jobs/{id}/artifacts/{name}")]
pub async fn get_job_artifact(
    state: web::Data<AppState>,
    authed: Authed,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::JobsRead)?;
    let (id, name) = path.into_inner();
    let scope = authed.scope();
    let id = id.to_string();
    let artifact = state
        .store
        .read(scope, move |c| {
            if repo::get(c, &scope, &id)?.is_none() {
                return Ok(Err(not_found()));
            }
            Ok(repo::artifact(c, &id, &name)?.ok_or_else(|| ApiError::of(Code::ArtifactNotFound)))
        })
        .await??;
    let body = crate::engine::worker::artifact_content(&artifact.body)
        .ok_or_else(|| ApiError::of(Code::ArtifactNotFound))?;
    // The name starts with the node id, which the graph's author chose: escaped, never
    // pasted into the header as it is.
    Ok(HttpResponse::Ok()
        .content_type(artifact.content_type)
        .insert_header(super::files::NOSNIFF)
        .insert_header(super::files::disposition_as(
            actix_web::http::header::DispositionType::Inline,
            &artifact.name,
        ))
        .body(body))
}

/// A state change requested over HTTP: `Ok(Err(..))` refuses it with a client error.
/// A job state change: (connection, job, the past-due grace period for re-admission).
type Transition = fn(
    &mut DbConn,
    &JobRow,
    &crate::engine::admission::Admission,
) -> Result<Result<JobState, ApiError>, StoreError>;

async fn transition(
    state: &AppState,
    authed: &Authed,
    id: Uuid,
    action: &'static str,
    f: Transition,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::JobsWrite)?;
    let scope = authed.scope();
    let actor = Actor::of(authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let id = id.to_string();
    let admission = state.admission();
    let status = state
        .store
        .write(scope, move |c| {
            let Some(job) = repo::get(c, &scope, &id)? else {
                return Ok(Err(not_found()));
            };
            let outcome = f(c, &job, &admission)?;
            if outcome.is_ok() {
                audit::record(
                    c,
                    &actor,
                    Event {
                        action,
                        target_type: "job",
                        target_id: Some(id.clone()),
                        tenant_id: Some(job.tenant_id.clone()),
                        reseller_id: reseller,
                        details: serde_json::json!({}),
                    },
                )?;
            }
            Ok(outcome)
        })
        .await??;
    state.wake_workers.notify_waiters();
    Ok(HttpResponse::Accepted().json(serde_json::json!({ "status": status })))
}

/// Cancels a job: at once when it waits, at the running node's next checkpoint otherwise.
#[utoipa::path(tag = "jobs", params(("id" = Uuid, Path)), responses((status = 202, description = "Cancelled, or cancellation requested"), WriteErrors))]
#[post("/jobs/{id}/cancel")]
pub async fn cancel_job(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    transition(&state, &authed, *id, "job.cancel", |c, job, _| {
        if queue::cancel_waiting(c, job)? {
            return Ok(Ok(JobState::Cancelled));
        }
        if queue::request_cancel(c, job)? {
            return Ok(Ok(JobState::Running));
        }
        Ok(Err(ApiError::new(
            Code::JobFinished,
            format!("The job is already {}", job.status),
        )))
    })
    .await
}

/// Runs a failed or cancelled job again; finished nodes are not redone.
#[utoipa::path(tag = "jobs", params(("id" = Uuid, Path)), responses((status = 202, description = "Queued again"), WriteErrors))]
#[post("/jobs/{id}/retry")]
pub async fn retry_job(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    transition(&state, &authed, *id, "job.retry", |c, job, admission| {
        // A manual retry is new work: admitted again (standing, the plan as it is now, the
        // quota it still needs).
        if matches!(job.status.as_str(), "failed" | "cancelled") {
            if let Err(r) = admission.readmit_retry(c, job)? {
                return Ok(Err(r.into()));
            }
        }
        if queue::retry(c, job)? {
            Ok(Ok(JobState::Queued))
        } else {
            Ok(Err(ApiError::new(
                Code::Conflict,
                format!(
                    "Only failed or cancelled jobs can be retried; this one is {}",
                    job.status
                ),
            )))
        }
    })
    .await
}

/// Deletes a finished job with its events and outputs.
#[utoipa::path(tag = "jobs", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/jobs/{id}")]
pub async fn delete_job(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::JobsWrite)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let id = id.to_string();
    state
        .store
        .write(scope, move |c| {
            let Some(job) = repo::get(c, &scope, &id)? else {
                return Ok(Err(not_found()));
            };
            if !state_of(&job).is_final() {
                return Ok(Err(ApiError::new(
                    Code::Conflict,
                    "The job is still active: cancel it first",
                )));
            }
            repo::delete(c, &id)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "job.delete",
                    target_type: "job",
                    target_id: Some(id.clone()),
                    tenant_id: Some(job.tenant_id),
                    reseller_id: reseller,
                    details: serde_json::json!({}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}
