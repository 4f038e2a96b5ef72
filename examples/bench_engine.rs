//! Engine benchmarks against the real service (`voxflow serve`, release build) — run by
//! `scripts/bench-engine.sh`, which records the output in `docs/benchmarks.md`.
//!
//! Sections (all in one run, so ratios compare numbers taken side by side):
//! 1. `poll`: `GET /v1/jobs/{id}` answered `304` (`If-None-Match`) next to `GET /healthz`,
//!    with wrk over loopback, rounds interleaved; on SQLite and on PostgreSQL.
//! 2. `ws`: N WebSocket clients subscribed (tenant-wide, then per job) to one API process
//!    on PostgreSQL; events are committed by this process through the engine's
//!    `queue::append_event` (as a worker process would) and reach the API process through
//!    `LISTEN/NOTIFY`; latency = receipt by a client − return of the committing transaction.
//! 3. `claim`: jobs claimed and completed per second by 1 and 4 workers on PostgreSQL,
//!    calling the queue functions directly (`queue::claim` then `ClaimedJob::finish`, each
//!    its own transaction, as a worker does) — queue cost only, no node runs — next to a bare
//!    `FOR UPDATE SKIP LOCKED` claim-and-complete loop on a one-column table of the same
//!    server (what any queue's claim costs at least), rounds interleaved.
//! 4. `growth`: poll (304 and 200), list and claim latency as the jobs table grows
//!    (1k → 100k rows, 90 % finished, 10 % queued) over 1 and 100 tenants (PostgreSQL), with
//!    the current indexes and again with the jobs indexes as they were before the tenant
//!    composite indexes (`2026-12-04-100000_job_tenant_indexes`), swapped in the same run.
//!
//! Usage: `bench_engine --bin target/release/voxflow --pg-admin postgres://… [--clients 1000]
//! [--events 300] [--claim-jobs 2000] [--growth 1000,10000,100000] [--wrk-secs 8]`

use anyhow::{anyhow, bail, Context, Result};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use voxflow::engine::queue::{self, ClaimOptions, JobState};
use voxflow::store::Store;
use voxflow::tenancy::Scope;

const PASSWORD: &str = "bench-password-1234";
const APP_ROLE: &str = "voxflow_bench";

struct Args {
    bin: String,
    pg_admin: String,
    clients: usize,
    events: usize,
    claim_jobs: usize,
    growth: Vec<usize>,
    wrk_secs: u32,
    sections: Vec<String>,
}

fn args() -> Result<Args> {
    let mut a = Args {
        bin: "target/release/voxflow".into(),
        pg_admin: "postgres://postgres:postgres@127.0.0.1:5432/postgres".into(),
        clients: 1000,
        events: 300,
        claim_jobs: 2000,
        growth: vec![1_000, 10_000, 100_000],
        wrk_secs: 8,
        sections: vec!["poll".into(), "ws".into(), "claim".into(), "growth".into()],
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| anyhow!("{flag} needs a value"));
        match flag.as_str() {
            "--bin" => a.bin = value()?,
            "--pg-admin" => a.pg_admin = value()?,
            "--clients" => a.clients = value()?.parse()?,
            "--events" => a.events = value()?.parse()?,
            "--claim-jobs" => a.claim_jobs = value()?.parse()?,
            "--wrk-secs" => a.wrk_secs = value()?.parse()?,
            "--growth" => {
                a.growth = value()?
                    .split(',')
                    .map(|s| s.parse().map_err(anyhow::Error::from))
                    .collect::<Result<_>>()?
            }
            "--sections" => a.sections = value()?.split(',').map(str::to_string).collect(),
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(a)
}

/// A `voxflow serve` process and an HTTP client for it.
struct Server {
    child: Child,
    base: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(bin: &str, database_url: &str) -> Result<Server> {
        let dir = tempfile::tempdir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log = std::fs::File::create(dir.path().join("server.log"))?;
        let child = Command::new(bin)
            .arg("serve")
            .env("VOXFLOW_BIND", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", database_url)
            .env("VOXFLOW_DATA_DIR", dir.path())
            .env(
                "VOXFLOW_JWT_SECRET",
                "bench-secret-bench-secret-bench-secret",
            )
            .env("VOXFLOW_BOOTSTRAP_ADMIN_EMAIL", "root@bench.test")
            .env("VOXFLOW_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD)
            // No in-process workers: the queue is driven by this benchmark alone.
            .env("VOXFLOW_WORKERS", "0")
            // The fan-out section holds up to --clients sessions of one tenant.
            .env("VOXFLOW_WS_MAX_SESSIONS_PER_TENANT", "100000")
            .env("VOXFLOW_WS_MAX_SUBSCRIPTIONS_PER_TENANT", "100000")
            .env("VOXFLOW_RATE_LIMIT_PER_MINUTE", "0")
            .env("VOXFLOW_LOG", "warn")
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {bin}"))?;
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
            _dir: dir,
        };
        let started = Instant::now();
        loop {
            if let Ok(r) = server.http.get(server.url("/readyz")).send().await {
                if r.status().is_success() {
                    return Ok(server);
                }
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("the server did not become ready");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Result<Value> {
        let mut req = self
            .http
            .request(method.parse()?, self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await?;
        let status = res.status();
        let v: Value = res.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("{method} {path}: {status} {v}");
        }
        Ok(v)
    }

    async fn login(&self, email: &str) -> Result<String> {
        let v = self
            .call(
                "POST",
                "/v1/auth/login",
                "",
                Some(json!({"email": email, "password": PASSWORD})),
            )
            .await?;
        Ok(v["access_token"]
            .as_str()
            .ok_or_else(|| anyhow!("no token"))?
            .to_string())
    }
}

/// A reseller with `tenants` tenants; the first one has an admin and a queued job.
struct Fixture {
    tenants: Vec<String>,
    token: String,
    job: String,
}

async fn fixture(s: &Server, tenants: usize) -> Result<Fixture> {
    let root = s.login("root@bench.test").await?;
    let reseller = s
        .call(
            "POST",
            "/v1/resellers",
            &root,
            Some(
                json!({"name": "Bench", "email": "bench@resellers.test", "commission_rate": "10"}),
            ),
        )
        .await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut ids = Vec::new();
    for i in 0..tenants.max(1) {
        let t = s
            .call(
                "POST",
                "/v1/tenants",
                &root,
                Some(json!({"name": format!("Tenant {i}"), "reseller_id": reseller})),
            )
            .await?;
        ids.push(t["id"].as_str().unwrap_or_default().to_string());
    }
    s.call(
        "POST",
        "/v1/users",
        &root,
        Some(json!({"email": "admin@t0.test", "password": PASSWORD, "role": "tenant_admin", "tenant_id": ids[0]})),
    )
    .await?;
    let token = s.login("admin@t0.test").await?;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(wav(32_000))
            .file_name("clip.wav")
            .mime_str("audio/wav")?,
    );
    let file: Value = s
        .http
        .post(s.url("/v1/files"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await?
        .json()
        .await?;
    let graph = json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "vad", "type": "vad.silero", "data": {"params": {}}}
        ],
        "edges": [{"id": "e1", "source": "src", "sourceHandle": "audio", "target": "vad", "targetHandle": "audio"}]
    });
    let job = s
        .call(
            "POST",
            "/v1/jobs",
            &token,
            Some(json!({"graph": graph, "inputs": {"src": file["id"]}})),
        )
        .await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    Ok(Fixture {
        tenants: ids,
        token,
        job,
    })
}

/// One second of silence as a 16 kHz mono WAV.
fn wav(data_len: u32) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&16_000u32.to_le_bytes());
    v.extend_from_slice(&32_000u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    v.resize(44 + data_len as usize, 0);
    v
}

/// A fresh PostgreSQL database owned by an ordinary role (RLS applies, as in production).
fn create_pg_database(admin_url: &str) -> Result<(String, String)> {
    let mut admin = diesel::PgConnection::establish(admin_url)?;
    admin.batch_execute(&format!(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
             CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_ROLE}' NOSUPERUSER NOBYPASSRLS NOCREATEDB;
           END IF;
         END $$;"
    ))?;
    let db = format!("vf_bench_{}", uuid::Uuid::new_v4().simple());
    admin.batch_execute(&format!("CREATE DATABASE {db} OWNER {APP_ROLE}"))?;
    let rest = admin_url
        .split_once("://")
        .map(|x| x.1)
        .unwrap_or(admin_url);
    let host = rest.rsplit_once('@').map(|x| x.1).unwrap_or(rest);
    let host = host.split('/').next().unwrap_or("127.0.0.1:5432");
    let base = admin_url.rsplit_once('/').map(|x| x.0).unwrap_or(admin_url);
    Ok((
        format!("postgres://{APP_ROLE}:{APP_ROLE}@{host}/{db}"),
        format!("{base}/{db}"),
    ))
}

fn drop_pg_database(admin_url: &str, app_url: &str) {
    if let (Ok(mut admin), Some(db)) = (
        diesel::PgConnection::establish(admin_url),
        app_url.rsplit('/').next(),
    ) {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn summary(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (
        percentile(&v, 0.5),
        percentile(&v, 0.99),
        v.last().copied().unwrap_or(f64::NAN),
    )
}

// ---------------------------------------------------------------- 1. polling

struct WrkResult {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
}

fn wrk(url: &str, headers: &[String], secs: u32) -> Result<WrkResult> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t2", "-c32", &format!("-d{secs}s"), "--latency"]);
    for h in headers {
        cmd.args(["-H", h]);
    }
    let out = cmd
        .arg(url)
        .stdout(Stdio::piped())
        .output()
        .context("running wrk")?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |prefix: &str| -> Option<String> {
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .map(|l| l[prefix.len()..].trim().to_string())
    };
    let ms = |s: String| -> f64 {
        let s = s.trim();
        let (num, factor) = if let Some(n) = s.strip_suffix("us") {
            (n, 0.001)
        } else if let Some(n) = s.strip_suffix("ms") {
            (n, 1.0)
        } else if let Some(n) = s.strip_suffix('s') {
            (n, 1000.0)
        } else {
            (s, 1.0)
        };
        num.parse::<f64>().unwrap_or(f64::NAN) * factor
    };
    Ok(WrkResult {
        rps: field("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| anyhow!("unreadable wrk output: {text}"))?,
        p50_ms: field("50%").map(ms).unwrap_or(f64::NAN),
        p99_ms: field("99%").map(ms).unwrap_or(f64::NAN),
        non_2xx: field("Non-2xx or 3xx responses:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    })
}

async fn bench_poll(label: &str, s: &Server, f: &Fixture, secs: u32) -> Result<()> {
    let first = s
        .http
        .get(s.url(&format!("/v1/jobs/{}", f.job)))
        .bearer_auth(&f.token)
        .send()
        .await?;
    let etag = first.headers()["etag"].to_str()?.to_string();
    let check = s
        .http
        .get(s.url(&format!("/v1/jobs/{}", f.job)))
        .bearer_auth(&f.token)
        .header("If-None-Match", &etag)
        .send()
        .await?;
    if check.status() != reqwest::StatusCode::NOT_MODIFIED {
        bail!("expected 304, got {}", check.status());
    }
    let auth = format!("Authorization: Bearer {}", f.token);
    let inm = format!("If-None-Match: {etag}");
    let (mut poll, mut health) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        health.push(wrk(&s.url("/healthz"), &[], secs)?);
        poll.push(wrk(
            &s.url(&format!("/v1/jobs/{}", f.job)),
            &[auth.clone(), inm.clone()],
            secs,
        )?);
    }
    for (name, runs) in [
        ("GET /healthz", &health),
        ("GET /v1/jobs/{id} → 304", &poll),
    ] {
        let rps: Vec<String> = runs.iter().map(|r| format!("{:.0}", r.rps)).collect();
        let bad: u64 = runs.iter().map(|r| r.non_2xx).sum();
        println!(
            "poll[{label}] {name:<26} req/s rounds {:<24} median {:>7.0}  p50 {:.2} ms  p99 {:.2} ms  (non-2xx/3xx: {bad})",
            rps.join(" / "),
            median(runs.iter().map(|r| r.rps).collect()),
            median(runs.iter().map(|r| r.p50_ms).collect()),
            median(runs.iter().map(|r| r.p99_ms).collect()),
        );
    }
    let ratios: Vec<f64> = poll
        .iter()
        .zip(&health)
        .map(|(p, h)| p.rps / h.rps)
        .collect();
    println!(
        "poll[{label}] 304 / healthz throughput ratio per round: {} → median {:.3}",
        ratios
            .iter()
            .map(|r| format!("{r:.3}"))
            .collect::<Vec<_>>()
            .join(", "),
        median(ratios.clone())
    );
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

// ---------------------------------------------------------------- 2. WebSocket fan-out

async fn ws_client(
    url: String,
    token: String,
    subscribe: Value,
    events: usize,
    ready: Arc<AtomicUsize>,
) -> Result<Vec<Option<Instant>>> {
    let mut req = url.into_client_request()?;
    req.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        format!("voxflow.v1, bearer.{token}").parse()?,
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await?;
    ws.send(Message::Text(subscribe.to_string().into())).await?;
    let mut got = vec![None; events];
    let mut seen = 0;
    let mut subscribed = false;
    while seen < events {
        let msg = tokio::time::timeout(Duration::from_secs(120), ws.next())
            .await
            .map_err(|_| anyhow!("no message for 120 s ({seen}/{events} events)"))?
            .ok_or_else(|| anyhow!("closed"))??;
        let now = Instant::now();
        let Message::Text(text) = msg else { continue };
        let v: Value = serde_json::from_str(&text)?;
        match v["type"].as_str() {
            Some("subscribed") if !subscribed => {
                subscribed = true;
                ready.fetch_add(1, Ordering::SeqCst);
            }
            Some("bench.tick") => {
                if let Some(n) = v["data"]["n"].as_u64() {
                    if let Some(slot) = got.get_mut(n as usize) {
                        if slot.is_none() {
                            *slot = Some(now);
                            seen += 1;
                        }
                    }
                }
            }
            Some("resync") => println!("ws: a client was told to resync"),
            _ => {}
        }
    }
    let _ = ws.close(None).await;
    Ok(got)
}

async fn bench_ws(
    s: &Server,
    f: &Fixture,
    store: &Store,
    clients: usize,
    events: usize,
    per_job: bool,
) -> Result<()> {
    let tenant = f.tenants[0].clone();
    let job = f.job.clone();
    let since = {
        let job = job.clone();
        store
            .read(Scope::System, move |c| {
                use diesel::prelude::*;
                use voxflow::store::schema::jobs::dsl as j;
                Ok(j::jobs
                    .filter(j::id.eq(job))
                    .select(j::last_seq)
                    .first::<i64>(c)?)
            })
            .await?
    };
    let subscribe = if per_job {
        json!({"type": "subscribe", "job_ids": [job], "since": since})
    } else {
        json!({"type": "subscribe", "tenant": true})
    };
    let url = s.base.replace("http://", "ws://") + "/v1/ws";
    let ready = Arc::new(AtomicUsize::new(0));
    let connect_started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..clients {
        tasks.push(tokio::spawn(ws_client(
            url.clone(),
            f.token.clone(),
            subscribe.clone(),
            events,
            ready.clone(),
        )));
        if i % 100 == 99 {
            // Let the server accept a batch before the next one (its listen backlog).
            while ready.load(Ordering::SeqCst) < i + 1 - 50 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
    while ready.load(Ordering::SeqCst) < clients {
        if connect_started.elapsed() > Duration::from_secs(120) {
            bail!(
                "only {} of {clients} clients subscribed",
                ready.load(Ordering::SeqCst)
            );
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let connect_time = connect_started.elapsed();
    // Committed one at a time, 20 ms apart, as a worker emits progress.
    let mut committed = Vec::with_capacity(events);
    for n in 0..events {
        let (job, tenant) = (job.clone(), tenant.clone());
        store
            .write(Scope::System, move |c| {
                queue::append_event(c, &job, &tenant, "bench.tick", json!({"n": n}))?;
                Ok(())
            })
            .await?;
        committed.push(Instant::now());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut latencies = Vec::with_capacity(clients * events);
    let mut missing = 0usize;
    for t in tasks {
        let got = t.await??;
        for (n, at) in got.into_iter().enumerate() {
            match at {
                Some(at) => latencies
                    .push(at.saturating_duration_since(committed[n]).as_secs_f64() * 1000.0),
                None => missing += 1,
            }
        }
    }
    let (p50, p99, max) = summary(latencies.clone());
    println!(
        "ws[{}] {clients} clients subscribed in {:.1} s; {events} events × {clients} clients = {} deliveries, {missing} missing; \
         commit→receipt p50 {p50:.2} ms  p99 {p99:.2} ms  max {max:.2} ms",
        if per_job { "per job" } else { "tenant-wide" },
        connect_time.as_secs_f64(),
        latencies.len(),
    );
    Ok(())
}

// ---------------------------------------------------------------- 3. claim rate

/// Inserts `n` jobs (a tenth queued, the rest finished — or all queued) over `tenants`.
fn insert_jobs(admin_db: &str, tenants: &[String], n: usize, all_queued: bool) -> Result<()> {
    let mut c = diesel::PgConnection::establish(admin_db)?;
    let ids = tenants
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(",");
    let queued = if all_queued { "TRUE" } else { "g % 10 = 0" };
    c.batch_execute(&format!(
        "INSERT INTO jobs (id, tenant_id, status, file_path, created_at, updated_at, started_at, completed_at, graph, inputs)
         SELECT gen_random_uuid()::text, t.ids[1 + g % array_length(t.ids, 1)],
                CASE WHEN {queued} THEN 'queued' ELSE 'succeeded' END, 'bench',
                (now() AT TIME ZONE 'utc') - g * interval '1 second',
                (now() AT TIME ZONE 'utc') - g * interval '1 second',
                CASE WHEN {queued} THEN NULL ELSE (now() AT TIME ZONE 'utc') - g * interval '1 second' END,
                CASE WHEN {queued} THEN NULL ELSE (now() AT TIME ZONE 'utc') - g * interval '1 second' END,
                '{{}}', '{{}}'
         FROM generate_series(1, {n}) g, (SELECT ARRAY[{ids}]::text[] AS ids) t;
         ANALYZE jobs;"
    ))?;
    Ok(())
}

fn delete_bench_jobs(admin_db: &str) -> Result<()> {
    let mut c = diesel::PgConnection::establish(admin_db)?;
    c.batch_execute(
        "DELETE FROM job_events e USING jobs j WHERE e.job_id = j.id AND j.file_path = 'bench';
         DELETE FROM jobs WHERE file_path = 'bench';
         ANALYZE jobs;",
    )?;
    Ok(())
}

fn claim_opts(worker: usize) -> ClaimOptions {
    ClaimOptions {
        worker_id: format!("bench-{worker}"),
        lease: chrono::TimeDelta::seconds(30),
        default_tenant_concurrency: 2,
    }
}

/// One claim and one completion, each its own transaction; None when nothing is claimable.
fn claim_and_finish(store: &Store, opts: &ClaimOptions) -> Result<Option<(f64, f64)>> {
    let t0 = Instant::now();
    let claimed = store.write_blocking(Scope::System, |c| queue::claim(c, opts))?;
    let claim_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let Some(job) = claimed else { return Ok(None) };
    let t1 = Instant::now();
    store.write_blocking(Scope::System, |c| job.finish(c, JobState::Succeeded, None))?;
    Ok(Some((claim_ms, t1.elapsed().as_secs_f64() * 1000.0)))
}

/// The claim times of every worker thread, together.
fn join_workers(handles: Vec<std::thread::JoinHandle<Result<Vec<f64>>>>) -> Result<Vec<f64>> {
    let mut claims = Vec::new();
    for h in handles {
        claims.extend(h.join().map_err(|_| anyhow!("worker panicked"))??);
    }
    Ok(claims)
}

/// Claims and completes every queued job of the 10 first tenants with `workers` threads;
/// returns jobs/s and the claim transactions' p50 and p99.
fn voxflow_claim_round(
    store: &Store,
    admin_db: &str,
    tenants: &[String],
    jobs: usize,
    workers: usize,
) -> Result<(f64, f64, f64)> {
    delete_bench_jobs(admin_db)?;
    insert_jobs(admin_db, &tenants[..10.min(tenants.len())], jobs, true)?;
    let started = Instant::now();
    let done = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let (store, done) = (store.clone(), done.clone());
            std::thread::spawn(move || -> Result<Vec<f64>> {
                let opts = claim_opts(w);
                let mut claims = Vec::new();
                let mut idle = 0;
                while idle < 3 {
                    match claim_and_finish(&store, &opts)? {
                        Some((c, _)) => {
                            claims.push(c);
                            done.fetch_add(1, Ordering::SeqCst);
                            idle = 0;
                        }
                        None => idle += 1,
                    }
                }
                Ok(claims)
            })
        })
        .collect();
    let claims = join_workers(handles)?;
    let secs = started.elapsed().as_secs_f64();
    let n = done.load(Ordering::SeqCst);
    // (The fixture's own queued job may be among them.)
    if n < jobs {
        bail!("claimed {n} of {jobs} jobs");
    }
    let (p50, p99, _) = summary(claims);
    Ok((n as f64 / secs, p50, p99))
}

/// The floor any PostgreSQL queue pays: `workers` connections claiming the lowest queued id
/// of a one-column table with `FOR UPDATE SKIP LOCKED` and completing it, each step its own
/// transaction (as in [`voxflow_claim_round`]); no tenants, fairness, leases or events.
fn bare_claim_round(admin_db: &str, jobs: usize, workers: usize) -> Result<(f64, f64, f64)> {
    let mut c = diesel::PgConnection::establish(admin_db)?;
    c.batch_execute(&format!(
        "DROP TABLE IF EXISTS bench_bare_jobs;
         CREATE TABLE bench_bare_jobs (id BIGSERIAL PRIMARY KEY, status TEXT NOT NULL);
         CREATE INDEX bench_bare_jobs_status_idx ON bench_bare_jobs(status, id);
         INSERT INTO bench_bare_jobs (status) SELECT 'queued' FROM generate_series(1, {jobs});
         ANALYZE bench_bare_jobs;"
    ))?;
    #[derive(diesel::QueryableByName)]
    struct Claimed {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let started = Instant::now();
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let url = admin_db.to_string();
            std::thread::spawn(move || -> Result<Vec<f64>> {
                use diesel::{OptionalExtension, RunQueryDsl};
                let mut c = diesel::PgConnection::establish(&url)?;
                let mut claims = Vec::new();
                loop {
                    let t0 = Instant::now();
                    let got: Option<Claimed> = c.transaction(|c| {
                        diesel::sql_query(
                            "UPDATE bench_bare_jobs SET status = 'running' WHERE id = (
                               SELECT id FROM bench_bare_jobs WHERE status = 'queued'
                               ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id",
                        )
                        .get_result::<Claimed>(c)
                        .optional()
                    })?;
                    let Some(job) = got else { break };
                    claims.push(t0.elapsed().as_secs_f64() * 1000.0);
                    c.transaction(|c| {
                        diesel::sql_query(
                            "UPDATE bench_bare_jobs SET status = 'succeeded' WHERE id = $1",
                        )
                        .bind::<diesel::sql_types::BigInt, _>(job.id)
                        .execute(c)
                    })?;
                }
                Ok(claims)
            })
        })
        .collect();
    let claims = join_workers(handles)?;
    let secs = started.elapsed().as_secs_f64();
    c.batch_execute("DROP TABLE bench_bare_jobs")?;
    if claims.len() != jobs {
        bail!("bare loop claimed {} of {jobs}", claims.len());
    }
    let (p50, p99, _) = summary(claims);
    Ok((jobs as f64 / secs, p50, p99))
}

fn bench_claim(store: &Store, admin_db: &str, tenants: &[String], jobs: usize) -> Result<()> {
    for workers in [1usize, 4] {
        let plural = if workers == 1 { "" } else { "s" };
        let mut ratios = Vec::new();
        // Two interleaved rounds of each, so a load change on the machine hits both.
        for round in 1..=2 {
            let (v, vp50, vp99) = voxflow_claim_round(store, admin_db, tenants, jobs, workers)?;
            println!(
                "claim[{workers} worker{plural}] round {round}: voxflow {jobs} jobs (10 tenants, all queued at start) claimed+completed = {v:.0} jobs/s; claim txn p50 {vp50:.2} ms p99 {vp99:.2} ms"
            );
            let (b, bp50, bp99) = bare_claim_round(admin_db, jobs, workers)?;
            println!(
                "claim[{workers} worker{plural}] round {round}: bare SKIP LOCKED loop {jobs} jobs = {b:.0} jobs/s; claim txn p50 {bp50:.2} ms p99 {bp99:.2} ms"
            );
            ratios.push(v / b);
        }
        println!(
            "claim[{workers} worker{plural}] voxflow / bare throughput per round: {} → median {:.2}",
            ratios.iter().map(|r| format!("{r:.2}")).collect::<Vec<_>>().join(", "),
            median(ratios.clone())
        );
    }
    delete_bench_jobs(admin_db)?;
    Ok(())
}

// ---------------------------------------------------------------- 4. growth

async fn timed_gets(
    s: &Server,
    path: &str,
    token: &str,
    etag: Option<&str>,
    n: usize,
) -> Result<f64> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let mut req = s.http.get(s.url(path)).bearer_auth(token);
        if let Some(e) = etag {
            req = req.header("If-None-Match", e);
        }
        let t = Instant::now();
        let r = req.send().await?;
        let status = r.status();
        let _ = r.bytes().await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if !status.is_success() && status != reqwest::StatusCode::NOT_MODIFIED {
            bail!("GET {path}: {status}");
        }
    }
    Ok(median(times))
}

/// The jobs indexes before and after `2026-12-04-100000_job_tenant_indexes`, so the growth
/// section can measure both in one run.
const NEW_JOB_INDEXES: &str = "
    CREATE INDEX IF NOT EXISTS jobs_tenant_recent_idx ON jobs(tenant_id, id);
    CREATE INDEX IF NOT EXISTS jobs_tenant_status_idx ON jobs(tenant_id, status, id);
    CREATE INDEX IF NOT EXISTS jobs_tenant_started_idx ON jobs(tenant_id, started_at);
    DROP INDEX IF EXISTS jobs_tenant_id_idx;
    ANALYZE jobs;";
const OLD_JOB_INDEXES: &str = "
    CREATE INDEX IF NOT EXISTS jobs_tenant_id_idx ON jobs(tenant_id);
    DROP INDEX IF EXISTS jobs_tenant_recent_idx;
    DROP INDEX IF EXISTS jobs_tenant_status_idx;
    DROP INDEX IF EXISTS jobs_tenant_started_idx;
    ANALYZE jobs;";

/// One growth row: medians of sequential polls, lists and claims on the table as it is.
async fn growth_row(s: &Server, f: &Fixture, store: &Store) -> Result<String> {
    let path = format!("/v1/jobs/{}", f.job);
    let etag = s
        .http
        .get(s.url(&path))
        .bearer_auth(&f.token)
        .send()
        .await?
        .headers()["etag"]
        .to_str()?
        .to_string();
    let p304 = timed_gets(s, &path, &f.token, Some(&etag), 300).await?;
    let p200 = timed_gets(s, &path, &f.token, None, 300).await?;
    let list = timed_gets(s, "/v1/jobs?limit=50", &f.token, None, 100).await?;
    let list_q = timed_gets(s, "/v1/jobs?limit=50&status=queued", &f.token, None, 100).await?;
    let store2 = store.clone();
    let (claims, claim, complete) =
        tokio::task::spawn_blocking(move || -> Result<(usize, f64, f64)> {
            let opts = claim_opts(0);
            let (mut c, mut d) = (Vec::new(), Vec::new());
            // Up to 50 claims, at most ~15 s of them (a slow claim query must not stall the
            // whole run); the claimed jobs are finished, so the next row sees fewer queued.
            let began = Instant::now();
            while c.len() < 50 && began.elapsed() < Duration::from_secs(15) {
                match claim_and_finish(&store2, &opts)? {
                    Some((a, b)) => {
                        c.push(a);
                        d.push(b);
                    }
                    None => break,
                }
            }
            Ok((c.len(), median(c), median(d)))
        })
        .await??;
    Ok(format!(
        "| {p304:>6.2} ms {p200:>6.2} ms | {list:>6.2} ms {list_q:>9.2} ms | {claim:>6.2} ms {complete:>6.2} ms  ({claims} claims)"
    ))
}

async fn bench_growth(
    s: &Server,
    f: &Fixture,
    store: &Store,
    admin_db: &str,
    sizes: &[usize],
) -> Result<()> {
    println!(
        "growth: rows = synthetic jobs (90 % succeeded, 10 % queued) spread evenly over the tenants; medians of sequential requests; \
         'now' = this build's indexes, 'old' = the jobs indexes before the tenant composite indexes, swapped in on the same rows"
    );
    println!(
        "growth: {:>7} {:>7} {:>5} | {:>9} {:>9} | {:>9} {:>12} | {:>9} {:>9}",
        "jobs",
        "tenants",
        "index",
        "poll 304",
        "poll 200",
        "list",
        "list queued",
        "claim",
        "complete"
    );
    let mut admin = diesel::PgConnection::establish(admin_db)?;
    for tenants in [1usize, 100] {
        for &n in sizes {
            delete_bench_jobs(admin_db)?;
            insert_jobs(
                admin_db,
                &f.tenants[..tenants.min(f.tenants.len())],
                n,
                false,
            )?;
            for (label, ddl) in [("old", OLD_JOB_INDEXES), ("now", NEW_JOB_INDEXES)] {
                admin.batch_execute(ddl)?;
                let row = growth_row(s, f, store).await?;
                println!("growth: {n:>7} {tenants:>7} {label:>5} {row}");
            }
        }
    }
    admin.batch_execute(NEW_JOB_INDEXES)?;
    delete_bench_jobs(admin_db)?;
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let a = args()?;
    let run = |s: &str| a.sections.iter().any(|x| x == s);
    println!(
        "bench-engine: {} | cores {} | wrk -t2 -c32 -d{}s",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        a.wrk_secs
    );

    if run("poll") {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let s = Server::start(&a.bin, &url).await?;
        let f = fixture(&s, 1).await?;
        bench_poll("sqlite", &s, &f, a.wrk_secs).await?;
    }

    let (app_url, admin_db) = create_pg_database(&a.pg_admin)?;
    let result = async {
        let s = Server::start(&a.bin, &app_url).await?;
        let f = fixture(&s, 100).await?;
        let store = Store::open(&app_url, 8)?;
        if run("poll") {
            bench_poll("postgres", &s, &f, a.wrk_secs).await?;
        }
        if run("ws") {
            bench_ws(&s, &f, &store, a.clients, a.events, false).await?;
            bench_ws(&s, &f, &store, a.clients, a.events, true).await?;
        }
        if run("claim") {
            let (store, admin_db, tenants, n) = (
                store.clone(),
                admin_db.clone(),
                f.tenants.clone(),
                a.claim_jobs,
            );
            tokio::task::spawn_blocking(move || bench_claim(&store, &admin_db, &tenants, n))
                .await??;
        }
        if run("growth") {
            bench_growth(&s, &f, &store, &admin_db, &a.growth).await?;
        }
        Ok::<_, anyhow::Error>(())
    }
    .await;
    drop_pg_database(&a.pg_admin, &app_url);
    result
}
