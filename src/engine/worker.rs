//! Workers: claim a job, run its graph, record everything.
//!
//! Threads: the worker loop is an async task; each node runs on tokio's blocking pool
//! (CPU-bound whisper/VAD work), and a side task renews the lease every third of its
//! length, outside any node transaction so the renewal is visible at once. A heartbeat
//! that finds the job reclaimed, or a cancellation request, trips the nodes' cancel token.
//!
//! For each job:
//! 1. load the graph snapshot, its inputs and what earlier attempts finished;
//! 2. choose the nodes to run: all but those that already succeeded with their outputs
//!    stored;
//! 3. run every node whose upstream nodes have finished, independent branches side by
//!    side (at most `max_parallel_nodes` at once, polled from this one task); store each
//!    node's outputs as artifacts and its processed audio seconds as usage, then mark it
//!    succeeded. After a failure nothing new starts;
//! 4. finish: `succeeded`, `cancelled`, or a failed attempt (runtime faults retry with
//!    backoff, user faults and bugs fail at once), and record the job's audio seconds.
//!
//! Audio stays in memory and is never stored, so a resumed job re-runs every node whose audio
//! a node still to run needs, back to the decode (see `nodes_to_run`).

use super::graph::{self, Graph};
use super::queue::{self, ClaimOptions, ClaimedJob, JobState};
use crate::storage::BlobStore;
use crate::store::repo::jobs::{self as jobs_repo, JobArtifactRow};
use crate::store::repo::usage::{self, UsageRow};
use crate::store::{self, Store, StoreError};
use crate::tenancy::Scope;
use chrono::TimeDelta;
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use voxflow_nodes::{
    run_node_catching_panics, CancelToken, FaultSource, FileContent, FileValue, NodeCtx,
    NodeErrorKind, NodeResources, PortType, PortValue, Registry,
};

#[derive(Debug, Clone)]
pub struct WorkerOptions {
    pub lease: Duration,
    /// How often an idle worker looks for work (it is also woken on enqueue).
    pub poll_interval: Duration,
    pub default_tenant_concurrency: i64,
    /// Where URL inputs are downloaded to while a job runs.
    pub tmp_dir: PathBuf,
    /// Largest input fetched from a URL.
    pub max_download_bytes: u64,
    /// The SSRF guard's switch (see `crate::fetch`).
    pub url_allow_private: bool,
    /// Nodes of one job run side by side at most (independent branches).
    pub max_parallel_nodes: usize,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(30),
            poll_interval: Duration::from_millis(500),
            default_tenant_concurrency: 2,
            tmp_dir: std::env::temp_dir(),
            max_download_bytes: 100 * 1024 * 1024,
            url_allow_private: false,
            max_parallel_nodes: 2,
        }
    }
}

/// What one `process_next` call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Idle,
    Ran {
        job_id: String,
        state: JobState,
    },
    /// Another worker reclaimed the job mid-run; this one stopped without writing.
    Lost {
        job_id: String,
    },
}

pub struct Worker {
    pub id: String,
    store: Store,
    registry: Registry,
    resources: Arc<NodeResources>,
    /// Where uploaded files live (job inputs name them by id).
    blobs: BlobStore,
    opts: WorkerOptions,
    wake: Arc<Notify>,
    /// Builds each job's tenant translation engines (none: only Apertium works).
    translation: Option<crate::translation::Engines>,
}

/// The outputs of finished nodes, by node id and port.
type Outputs = HashMap<String, BTreeMap<String, PortValue>>;

impl Worker {
    pub fn new(
        store: Store,
        registry: Registry,
        resources: Arc<NodeResources>,
        blobs: BlobStore,
        opts: WorkerOptions,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            id: format!("{}-{}", hostname(), uuid::Uuid::new_v4().simple()),
            store,
            registry,
            resources,
            blobs,
            opts,
            wake,
            translation: None,
        }
    }

    /// Lets `translate.text` nodes use their tenant's HTTP translation engines.
    pub fn with_translation(mut self, engines: crate::translation::Engines) -> Self {
        self.translation = Some(engines);
        self
    }

    /// Runs until the task is dropped: claim, run, repeat; sleep when idle.
    pub async fn run_forever(self: Arc<Self>) {
        loop {
            match self.process_next().await {
                Ok(Outcome::Idle) => {
                    let _ =
                        tokio::time::timeout(self.opts.poll_interval, self.wake.notified()).await;
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(worker = %self.id, error = %e, "worker step failed");
                    tokio::time::sleep(self.opts.poll_interval).await;
                }
            }
        }
    }

    /// Claims and runs at most one job (tests drive the queue with it).
    pub async fn process_next(&self) -> Result<Outcome, StoreError> {
        let opts = ClaimOptions {
            worker_id: self.id.clone(),
            lease: TimeDelta::from_std(self.opts.lease).unwrap_or(TimeDelta::seconds(30)),
            default_tenant_concurrency: self.opts.default_tenant_concurrency,
        };
        let Some(job) = self
            .store
            .write(Scope::System, move |c| queue::claim(c, &opts))
            .await?
        else {
            return Ok(Outcome::Idle);
        };
        // Every line logged for this job names it and its tenant (instrumented, not entered:
        // an entered guard held across `.await` would leak the span to other tasks).
        let span = tracing::info_span!(
            "job",
            job = %job.id,
            tenant_id = %job.tenant_id,
            attempt = job.attempt
        );
        tracing::Instrument::instrument(self.run(job), span).await
    }

    async fn run(&self, job: ClaimedJob) -> Result<Outcome, StoreError> {
        let job_id = job.id.clone();
        let row = {
            let id = job_id.clone();
            self.store
                .read(Scope::System, move |c| {
                    jobs_repo::get(c, &Scope::System, &id)
                })
                .await?
        };
        let Some(row) = row else {
            return Ok(Outcome::Lost { job_id });
        };
        let scope = Scope::Tenant {
            tenant_id: uuid::Uuid::parse_str(&row.tenant_id).unwrap_or_default(),
            reseller_id: None,
        };
        let graph: Graph = match serde_json::from_str(&row.graph) {
            Ok(g) => g,
            Err(e) => {
                return self
                    .fail_now(
                        &job,
                        &format!("the job's graph is unreadable: {e}"),
                        row.max_attempts,
                    )
                    .await
            }
        };
        let plan = match graph::validate(&graph, &self.registry) {
            Ok(p) => p,
            Err(problems) => {
                let msg = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                return self
                    .fail_now(&job, &format!("invalid graph: {msg}"), row.max_attempts)
                    .await;
            }
        };
        let inputs: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&row.inputs).unwrap_or_default();

        // What earlier attempts finished.
        let (node_rows, artifacts) = {
            let id = job_id.clone();
            self.store
                .read(Scope::System, move |c| {
                    Ok((jobs_repo::nodes(c, &id)?, jobs_repo::artifacts(c, &id)?))
                })
                .await?
        };
        let done: HashMap<String, bool> = node_rows
            .iter()
            .map(|n| (n.node_id.clone(), n.status == "succeeded"))
            .collect();
        let mut outputs: Outputs = HashMap::new();
        for a in &artifacts {
            if let Ok(v) = serde_json::from_str::<PortValue>(&a.body) {
                outputs
                    .entry(a.node_id.clone())
                    .or_default()
                    .insert(a.port.clone(), v);
            }
        }

        // Heartbeats, and the cancel token they can trip. The guard stops the heartbeat
        // however this function returns (a store error included), so a job is never kept
        // `running` by a worker that stopped working on it.
        let cancel = CancelToken::new();
        let lost = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let cancelled = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let heartbeat = AbortOnDrop(self.spawn_heartbeat(
            job.clone(),
            cancel.clone(),
            lost.clone(),
            cancelled.clone(),
        ));

        // 2. Which nodes run in this attempt: all but those an earlier attempt finished with
        //    their outputs stored (audio is never stored, so a chain of audio producers runs
        //    again while a node still to run needs its audio; see `nodes_to_run`).
        let run_set = nodes_to_run(&plan.order, &graph, &self.registry, &done, &outputs);
        let mut to_run: Vec<&graph::GraphNode> = Vec::new();
        let mut finished: HashSet<&str> = HashSet::new();
        for node_id in &plan.order {
            let Some(node) = graph.nodes.iter().find(|n| &n.id == node_id) else {
                continue;
            };
            if self.registry.get(&node.kind).is_none() {
                continue;
            }
            if !run_set.contains(node_id) {
                finished.insert(node_id.as_str());
            } else {
                to_run.push(node);
            }
        }
        let progress = Arc::new(JobProgress::new(plan.order.len(), finished.len()));
        let attempt = Attempt {
            job: &job,
            row: &row,
            scope,
            inputs: &inputs,
            plan: &plan,
            cancel: &cancel,
            cancelled: &cancelled,
            progress: &progress,
        };

        // 3. Run every node whose upstream nodes have all finished, up to
        //    `max_parallel_nodes` at once, in topological order among the ready ones. After
        //    a failure nothing new starts; nodes already running finish (their outputs are
        //    kept, so a retry resumes after them). A cancellation stops them all through
        //    the shared token.
        let limit = self.opts.max_parallel_nodes.max(1);
        let mut running = FuturesUnordered::new();
        let mut audio_seconds = 0.0f64;
        let mut result: Result<(), (String, bool, bool)> = Ok(()); // (error, retryable, cancelled)
        loop {
            if result.is_ok() {
                let mut i = 0;
                while running.len() < limit && i < to_run.len() {
                    let node = to_run[i];
                    let ready = graph
                        .edges
                        .iter()
                        .filter(|e| e.target == node.id)
                        .all(|e| finished.contains(e.source.as_str()));
                    if !ready {
                        i += 1;
                        continue;
                    }
                    to_run.remove(i);
                    // Upstream outputs are copied now, so running nodes borrow nothing that
                    // changes while they run.
                    let mut node_inputs = BTreeMap::new();
                    for e in graph.edges.iter().filter(|e| e.target == node.id) {
                        if let Some(v) = outputs.get(&e.source).and_then(|o| o.get(&e.source_port))
                        {
                            node_inputs.insert(e.target_port.clone(), v.clone());
                        }
                    }
                    running.push(self.run_node(&attempt, node, node_inputs));
                }
            }
            let Some(ran) = running.next().await else {
                break;
            };
            if lost.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok(Outcome::Lost { job_id });
            }
            match ran? {
                NodeRun::Succeeded {
                    node_id,
                    outputs: out,
                    audio_seconds: secs,
                } => {
                    audio_seconds = audio_seconds.max(secs);
                    outputs.insert(node_id.clone(), out);
                    if let Some(node) = graph.nodes.iter().find(|n| n.id == node_id) {
                        finished.insert(node.id.as_str());
                    }
                }
                NodeRun::Failed(error, retryable, was_cancelled) => {
                    if result.is_ok() {
                        result = Err((error, retryable, was_cancelled));
                    }
                }
            }
        }
        if result.is_ok() && !to_run.is_empty() {
            // Unreachable with a validated plan (it is acyclic); fail loudly rather than
            // report success with nodes never run.
            result = Err((
                format!(
                    "nodes never became ready: {}",
                    to_run
                        .iter()
                        .map(|n| n.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                false,
                false,
            ));
        }
        drop(heartbeat);
        for input in &plan.inputs {
            let _ = std::fs::remove_file(self.download_path(&job_id, &input.node_id));
        }
        if lost.load(std::sync::atomic::Ordering::SeqCst) {
            return Ok(Outcome::Lost { job_id });
        }
        let max_attempts = row.max_attempts;
        let state = match result {
            // `finish` settles the job's reservation: its `job_audio` usage is what its
            // nodes measured (`admission::settle_job`), whichever way it ended.
            Ok(()) => {
                self.store_write_as(&job, move |c, j| {
                    j.finish(c, JobState::Succeeded, None)?;
                    Ok(JobState::Succeeded)
                })
                .await?
            }
            Err((error, _, true)) => {
                self.store_write_as(&job, move |c, j| {
                    j.finish(c, JobState::Cancelled, Some(&error))
                        .map(|_| JobState::Cancelled)
                })
                .await?
            }
            Err((error, retryable, false)) => {
                self.store_write_as(&job, move |c, j| {
                    j.fail_attempt(c, &error, retryable, max_attempts)
                })
                .await?
            }
        };
        tracing::info!(state = state.as_str(), "job finished");
        Ok(Outcome::Ran { job_id, state })
    }

    /// Runs one node of an attempt: resolves its job inputs (files, URLs), marks it
    /// running, runs it on the blocking pool, stores its outputs as artifacts and its
    /// processed audio seconds as usage, and marks it succeeded, failed or cancelled.
    async fn run_node(
        &self,
        at: &Attempt<'_>,
        node: &graph::GraphNode,
        mut node_inputs: BTreeMap<String, PortValue>,
    ) -> Result<NodeRun, StoreError> {
        let job = at.job;
        let node_id = node.id.clone();
        let Some(implementation) = self.registry.get(&node.kind) else {
            return Ok(NodeRun::Failed(
                format!("node `{node_id}`: unknown kind `{}`", node.kind),
                false,
                false,
            ));
        };
        // Job inputs for unconnected file ports; their local copies live until the node ends.
        let mut input_copies = Vec::new();
        for input in at.plan.inputs.iter().filter(|i| i.node_id == node_id) {
            let spec = at.inputs.get(&node_id).cloned().unwrap_or_default();
            let file = match spec["url"].as_str() {
                Some(url) => match self.fetch_input(&job.id, &node_id, url).await {
                    Ok(f) => self.reserve_fetched(at, f).await?,
                    Err(e) => Err(e),
                },
                None => {
                    let file_id = spec["file_id"].as_str().unwrap_or_default().to_string();
                    let scope = at.scope;
                    let row = self
                        .store
                        .read(scope, move |c| {
                            crate::files::resolve_input(c, &scope, &file_id)
                        })
                        .await?;
                    match row {
                        None => Err(format!(
                            "input `{}` of node `{node_id}` names no file of this tenant",
                            input.port
                        )),
                        // On object storage, copied here for the node and removed after it.
                        Some(row) => match self.blobs.local_copy(&row.storage_key).await {
                            Ok(copy) => {
                                let value = crate::files::input_value(row, &copy);
                                input_copies.push(copy);
                                Ok(value)
                            }
                            Err(e) => {
                                tracing::error!(error = %e, "cannot read a job input from storage");
                                return Ok(NodeRun::Failed(
                                    format!("input `{}` of node `{node_id}`: the file could not be read from storage", input.port),
                                    true,
                                    false,
                                ));
                            }
                        },
                    }
                }
            };
            match file {
                Ok(f) => {
                    node_inputs.insert(input.port.clone(), PortValue::File(f));
                }
                Err(problem) => return Ok(NodeRun::Failed(problem, false, false)),
            }
        }
        self.store_write_as(job, {
            let node_id = node_id.clone();
            move |c, j| j.node_state(c, &node_id, "running", None)
        })
        .await?;
        let mut audio_seconds = audio_duration(node_inputs.values());
        let mut ctx = NodeCtx::new(self.resources.clone())
            .with_cancel(at.cancel.clone())
            .with_progress(self.progress_reporter(job, node_id.clone(), at.progress.clone()))
            .with_word_timing(at.plan.word_timing.contains(&node_id));
        if let (Some(engines), Some(tenant)) = (&self.translation, at.scope.tenant_id()) {
            // Per job: the engines (and keys) of this job's tenant, nobody else's.
            ctx = ctx.with_translators(Arc::new(engines.for_tenant(self.store.clone(), tenant)));
        }
        let params = node.params.clone();
        let run = tokio::task::spawn_blocking(move || {
            run_node_catching_panics(implementation.as_ref(), node_inputs, params, &ctx)
        })
        .await
        .unwrap_or_else(|e| {
            Err(voxflow_nodes::NodeError::internal(format!(
                "node task failed: {e}"
            )))
        });
        match run {
            Ok(out) => {
                audio_seconds = audio_seconds.max(audio_duration(out.values()));
                for (port, value) in &out {
                    if matches!(value, PortValue::Audio(_)) {
                        continue;
                    }
                    let artifact = artifact_row(job, &node_id, port, value);
                    self.store_write_as(job, move |c, j| j.save_artifact(c, &artifact))
                        .await?;
                }
                // The node's usage lands with its `succeeded` mark, once.
                let usage = (audio_seconds > 0.0)
                    .then(|| usage_row(at.row, Some(node), "node_audio", audio_seconds));
                self.store_write_as(job, {
                    let node_id = node_id.clone();
                    move |c, j| {
                        if !j.owned(c)? {
                            return Ok(());
                        }
                        j.node_state(c, &node_id, "succeeded", None)?;
                        if let Some(u) = &usage {
                            usage::insert(c, u)?;
                        }
                        Ok(())
                    }
                })
                .await?;
                at.progress.set(&node_id, 1.0);
                Ok(NodeRun::Succeeded {
                    node_id,
                    outputs: out,
                    audio_seconds,
                })
            }
            Err(e) => {
                let was_cancelled = e.kind == NodeErrorKind::Cancelled
                    || at.cancelled.load(std::sync::atomic::Ordering::SeqCst);
                // Tenants read this; the full message (with paths) goes to the log below.
                let message = self.resources.scrub_paths(&e.message);
                self.store_write_as(job, {
                    let (node_id, message) = (node_id.clone(), message.clone());
                    let state = if was_cancelled { "cancelled" } else { "failed" };
                    move |c, j| j.node_state(c, &node_id, state, Some(&message))
                })
                .await?;
                match e.fault {
                    FaultSource::Bug => tracing::error!(node = %node_id, error = %e, "node bug"),
                    FaultSource::Runtime => {
                        tracing::warn!(node = %node_id, error = %e, "node failed (runtime)")
                    }
                    // The tenant's input or params (corrupt audio, a bad key): theirs to fix,
                    // nothing for an operator; the job span names the job and tenant.
                    FaultSource::User => {
                        tracing::info!(node = %node_id, error = %message, "node failed (input)")
                    }
                }
                Ok(NodeRun::Failed(
                    format!("node `{node_id}` ({}): {message}", node.kind),
                    e.fault == FaultSource::Runtime,
                    was_cancelled,
                ))
            }
        }
    }

    /// Where a node's URL input is downloaded while the job runs.
    fn download_path(&self, job_id: &str, node_id: &str) -> PathBuf {
        self.opts.tmp_dir.join(format!("fetch-{job_id}-{node_id}"))
    }

    /// Fetches a URL input (SSRF-guarded) into the data dir and checks it is audio.
    /// A fetched URL input's audio joins the job's reservation (`admission::top_up_job`);
    /// `Err(problem)` when it does not fit in the tenant's quota.
    async fn reserve_fetched(
        &self,
        at: &Attempt<'_>,
        file: FileValue,
    ) -> Result<Result<FileValue, String>, StoreError> {
        let FileContent::Path { path } = &file.content else {
            return Ok(Ok(file));
        };
        let (resources, path) = (self.resources.clone(), path.clone());
        let milli = tokio::task::spawn_blocking(move || {
            crate::engine::admission::probe_milli(&resources, &path)
        })
        .await
        .unwrap_or(None);
        let Some(milli) = milli else {
            return Ok(Ok(file)); // undecodable: its decode node fails on it
        };
        let (tenant, job_id) = (at.job.tenant_id.clone(), at.job.id.clone());
        // System scope: admission reads the tenant's plan, which on PostgreSQL row-level
        // security hides from a tenant scope without its reseller (a reseller's plan).
        let refused = self
            .store
            .write(Scope::System, move |c| {
                crate::engine::admission::top_up_job(c, &tenant, &job_id, milli)
            })
            .await?;
        Ok(match refused {
            Ok(()) => Ok(file),
            Err(r) => Err(format!("input URL: {r}")),
        })
    }

    async fn fetch_input(
        &self,
        job_id: &str,
        node_id: &str,
        url: &str,
    ) -> Result<FileValue, String> {
        let dest = self.download_path(job_id, node_id);
        let (url, target, max, allow_private) = (
            url.to_string(),
            dest.clone(),
            self.opts.max_download_bytes,
            self.opts.url_allow_private,
        );
        let fetched = tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(target.parent().unwrap_or(&target))
                .map_err(|e| e.to_string())?;
            let allowed = crate::fetch::policy(allow_private);
            let (final_url, _) = crate::fetch::download(&url, &target, max, &allowed)
                .map_err(|e| format!("input URL: {e}"))?;
            let mut head = [0u8; 64];
            let n = std::fs::File::open(&target)
                .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
                .map_err(|e| e.to_string())?;
            let mime = crate::files::sniff::sniff(&head[..n])
                .ok_or_else(|| "input URL: the downloaded file is not audio".to_string())?;
            let name = final_url
                .rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .unwrap_or("download")
                .to_string();
            Ok::<_, String>(FileValue {
                name: crate::files::sanitize_name(&name),
                mime: Some(mime.to_string()),
                content: FileContent::Path { path: target },
            })
        })
        .await
        .map_err(|e| e.to_string())?;
        fetched
    }

    async fn fail_now(
        &self,
        job: &ClaimedJob,
        error: &str,
        max_attempts: i32,
    ) -> Result<Outcome, StoreError> {
        let error = error.to_string();
        let state = self
            .store_write_as(job, move |c, j| {
                j.fail_attempt(c, &error, false, max_attempts)
            })
            .await?;
        Ok(Outcome::Ran {
            job_id: job.id.clone(),
            state,
        })
    }

    /// Runs `f` with the claimed job in a system-scope write transaction.
    async fn store_write_as<T: Send + 'static>(
        &self,
        job: &ClaimedJob,
        f: impl FnOnce(&mut store::DbConn, &ClaimedJob) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let job = job.clone();
        self.store.write(Scope::System, move |c| f(c, &job)).await
    }

    fn spawn_heartbeat(
        &self,
        job: ClaimedJob,
        cancel: CancelToken,
        lost: Arc<std::sync::atomic::AtomicBool>,
        cancelled: Arc<std::sync::atomic::AtomicBool>,
    ) -> tokio::task::JoinHandle<()> {
        let store = self.store.clone();
        let lease = self.opts.lease;
        tokio::spawn(async move {
            let every = lease / 3;
            loop {
                tokio::time::sleep(every).await;
                let j = job.clone();
                let delta = TimeDelta::from_std(lease).unwrap_or(TimeDelta::seconds(30));
                match store
                    .write(Scope::System, move |c| j.heartbeat(c, delta))
                    .await
                {
                    Ok(hb) if !hb.still_owned => {
                        lost.store(true, std::sync::atomic::Ordering::SeqCst);
                        cancel.cancel();
                        return;
                    }
                    Ok(hb) if hb.cancel_requested => {
                        cancelled.store(true, std::sync::atomic::Ordering::SeqCst);
                        cancel.cancel();
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "heartbeat failed"),
                }
            }
        })
    }

    /// A progress callback for one node: throttled (every 0.5 s or 5 %), written from the
    /// node's blocking thread. The job's progress is the mean over all its nodes, so nodes
    /// running side by side each move it by their share.
    fn progress_reporter(
        &self,
        job: &ClaimedJob,
        node_id: String,
        progress: Arc<JobProgress>,
    ) -> voxflow_nodes::ProgressFn {
        let store = self.store.clone();
        let job = job.clone();
        let last = Mutex::new((Instant::now() - Duration::from_secs(10), -1.0f32));
        Arc::new(move |fraction: f32, message: &str| {
            let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
            if fraction < 1.0
                && last.0.elapsed() < Duration::from_millis(500)
                && fraction - last.1 < 0.05
            {
                return;
            }
            *last = (Instant::now(), fraction);
            let job_progress = progress.set(&node_id, f64::from(fraction));
            let message = message.to_string();
            let node_id = node_id.clone();
            let j = job.clone();
            if let Err(e) = store.write_blocking(Scope::System, move |c| {
                j.set_progress(c, &node_id, f64::from(fraction), job_progress, &message)
            }) {
                tracing::warn!(error = %e, "progress not recorded");
            }
        })
    }
}

/// Stops a task when dropped (the job's heartbeat).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What the nodes of one attempt share.
struct Attempt<'a> {
    job: &'a ClaimedJob,
    row: &'a jobs_repo::JobRow,
    scope: Scope,
    /// The job's inputs by node id (`{"file_id"}` or `{"url"}`).
    inputs: &'a BTreeMap<String, serde_json::Value>,
    plan: &'a graph::Plan,
    cancel: &'a CancelToken,
    /// Set by the heartbeat when the job's cancellation was requested.
    cancelled: &'a std::sync::atomic::AtomicBool,
    progress: &'a Arc<JobProgress>,
}

/// How one node's run ended.
enum NodeRun {
    Succeeded {
        node_id: String,
        outputs: BTreeMap<String, PortValue>,
        /// The longest audio among its inputs and outputs.
        audio_seconds: f64,
    },
    /// (error, retryable, cancelled)
    Failed(String, bool, bool),
}

/// Per-node fractions done; the job's progress is their mean.
struct JobProgress {
    nodes: Mutex<HashMap<String, f64>>,
    total: f64,
    /// Nodes an earlier attempt finished (each counts as done).
    already_done: f64,
}

impl JobProgress {
    fn new(total: usize, already_done: usize) -> Self {
        Self {
            nodes: Mutex::new(HashMap::new()),
            total: total.max(1) as f64,
            already_done: already_done as f64,
        }
    }

    /// Records a node's fraction; returns the job's progress.
    fn set(&self, node_id: &str, fraction: f64) -> f64 {
        let mut nodes = self.nodes.lock().unwrap_or_else(|e| e.into_inner());
        nodes.insert(node_id.to_string(), fraction.clamp(0.0, 1.0));
        ((self.already_done + nodes.values().sum::<f64>()) / self.total).min(1.0)
    }
}

/// The longest audio among some port values, in seconds.
fn audio_duration<'a>(values: impl Iterator<Item = &'a PortValue>) -> f64 {
    values
        .filter_map(|v| match v {
            PortValue::Audio(a) => Some(a.info.duration_secs),
            _ => None,
        })
        .fold(0.0, f64::max)
}

/// A usage row of audio seconds for a job (`node` None) or one of its nodes.
fn usage_row(
    row: &jobs_repo::JobRow,
    node: Option<&graph::GraphNode>,
    resource: &str,
    secs: f64,
) -> UsageRow {
    UsageRow {
        id: store::new_id(),
        tenant_id: row.tenant_id.clone(),
        user_id: row.user_id.clone(),
        job_id: Some(row.id.clone()),
        node_id: node.map(|n| n.id.clone()),
        node_kind: node.map(|n| n.kind.clone()),
        resource_type: resource.into(),
        amount_milli: (secs * 1000.0).round() as i64,
        unit: "audio_seconds".into(),
        recorded_at: store::now(),
    }
}

/// The nodes this attempt must run: every node that has not succeeded with all its
/// non-audio outputs stored, and — walking back from those — every node whose audio (never
/// stored) one of them consumes. A chain of audio nodes (`audio.decode → bgm.separate →
/// whisper.transcribe`) therefore re-runs from its start when a later node still needs it.
fn nodes_to_run(
    order: &[String],
    graph: &Graph,
    registry: &Registry,
    done: &HashMap<String, bool>,
    outputs: &Outputs,
) -> std::collections::HashSet<String> {
    let mut run = std::collections::HashSet::new();
    for node_id in order.iter().rev() {
        let Some(manifest) = graph
            .nodes
            .iter()
            .find(|n| &n.id == node_id)
            .and_then(|n| registry.get(&n.kind))
            .map(|n| n.manifest())
        else {
            continue;
        };
        let stored = manifest.outputs.iter().all(|p| {
            p.port_type == PortType::Audio
                || outputs
                    .get(node_id)
                    .is_some_and(|o| o.contains_key(&p.name))
        });
        let finished = done.get(node_id).copied().unwrap_or(false) && stored;
        let audio_needed = graph.edges.iter().any(|e| {
            &e.source == node_id
                && run.contains(&e.target)
                && manifest
                    .outputs
                    .iter()
                    .any(|p| p.name == e.source_port && p.port_type == PortType::Audio)
        });
        if !finished || audio_needed {
            run.insert(node_id.clone());
        }
    }
    run
}

fn artifact_row(job: &ClaimedJob, node_id: &str, port: &str, value: &PortValue) -> JobArtifactRow {
    let (ext, content_type) = match value {
        PortValue::Text(_) => ("txt".to_string(), "text/plain; charset=utf-8".to_string()),
        PortValue::File(f) => (
            f.name
                .rsplit_once('.')
                .map(|(_, e)| e.to_string())
                .unwrap_or_else(|| "bin".into()),
            f.mime
                .clone()
                .unwrap_or_else(|| "application/octet-stream".into()),
        ),
        _ => ("json".to_string(), "application/json".to_string()),
    };
    JobArtifactRow {
        id: store::new_id(),
        job_id: job.id.clone(),
        tenant_id: job.tenant_id.clone(),
        node_id: node_id.to_string(),
        port: port.to_string(),
        name: format!("{node_id}.{port}.{ext}"),
        content_type,
        body: serde_json::to_string(value).unwrap_or_default(),
        created_at: store::now(),
    }
}

/// The bytes a client downloads for an artifact (the stored body is the tagged port value).
pub fn artifact_content(body: &str) -> Option<String> {
    match serde_json::from_str::<PortValue>(body).ok()? {
        PortValue::Text(t) => Some(t),
        PortValue::File(FileValue {
            content: FileContent::Text { text },
            ..
        }) => Some(text),
        PortValue::File(_) | PortValue::Audio(_) => None,
        PortValue::Transcript(t) => serde_json::to_string_pretty(&t).ok(),
        PortValue::SpeechRegions(r) => serde_json::to_string_pretty(&r).ok(),
        PortValue::SpeakerTurns(s) => serde_json::to_string_pretty(&s).ok(),
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "worker".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, kind: &str) -> graph::GraphNode {
        graph::GraphNode {
            id: id.into(),
            kind: kind.into(),
            params: serde_json::json!({}),
            preset: None,
        }
    }

    fn edge(source: &str, sp: &str, target: &str, tp: &str) -> graph::GraphEdge {
        graph::GraphEdge {
            id: format!("{source}-{target}"),
            source: source.into(),
            source_port: sp.into(),
            target: target.into(),
            target_port: tp.into(),
        }
    }

    /// decode → bgm → (vad, whisper) → export, resumed at various points.
    #[test]
    fn audio_chains_rerun_back_to_the_decode() {
        let g = Graph {
            nodes: vec![
                node("dec", "audio.decode"),
                node("bgm", "bgm.separate"),
                node("vad", "vad.silero"),
                node("asr", "whisper.transcribe"),
                node("srt", "export.subtitles"),
            ],
            edges: vec![
                edge("dec", "audio", "bgm", "audio"),
                edge("bgm", "vocals", "vad", "audio"),
                edge("bgm", "vocals", "asr", "audio"),
                edge("vad", "speech_regions", "asr", "speech_regions"),
                edge("asr", "transcript", "srt", "transcript"),
            ],
        };
        let registry = Registry::new();
        let plan = graph::validate(&g, &registry).unwrap();
        let stored = |ids: &[(&str, &[&str])]| -> Outputs {
            ids.iter()
                .map(|(id, ports)| {
                    let o = ports
                        .iter()
                        .map(|p| (p.to_string(), PortValue::Text("x".into())))
                        .collect();
                    (id.to_string(), o)
                })
                .collect()
        };
        let done = |ids: &[&str]| -> HashMap<String, bool> {
            ids.iter().map(|i| (i.to_string(), true)).collect()
        };
        let sorted = |s: std::collections::HashSet<String>| {
            let mut v: Vec<String> = s.into_iter().collect();
            v.sort();
            v
        };
        // Fresh job: everything.
        let all = nodes_to_run(&plan.order, &g, &registry, &done(&[]), &Outputs::new());
        assert_eq!(sorted(all), ["asr", "bgm", "dec", "srt", "vad"]);
        // Stopped before whisper: whisper needs bgm's vocals, bgm needs dec's audio.
        let outs = stored(&[("vad", &["speech_regions"])]);
        let run = nodes_to_run(
            &plan.order,
            &g,
            &registry,
            &done(&["dec", "bgm", "vad"]),
            &outs,
        );
        assert_eq!(sorted(run), ["asr", "bgm", "dec", "srt"]);
        // Stopped before export: only export (its input is a stored transcript).
        let outs = stored(&[
            ("vad", &["speech_regions"]),
            ("asr", &["transcript", "text"]),
        ]);
        let run = nodes_to_run(
            &plan.order,
            &g,
            &registry,
            &done(&["dec", "bgm", "vad", "asr"]),
            &outs,
        );
        assert_eq!(sorted(run), ["srt"]);
    }
}
