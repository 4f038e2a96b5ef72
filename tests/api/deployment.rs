//! A deployment of several processes, tested as one (README, "Several machines"):
//! PostgreSQL, an S3-compatible store, two `voxflow serve` API processes and two
//! `voxflow worker` processes, none sharing a disk with another. Jobs are uploaded and
//! submitted through both APIs and followed over a WebSocket on the *other* API; every job
//! finishes once, with every event, in order, on both the socket and the event log.

use crate::helpers::{models_dir, spawn_app_with, Backend, JWT_SECRET};
use crate::storage::S3Server;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Jobs submitted through each API process.
const JOBS_PER_API: usize = 2;

struct Process(std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_apis_and_two_workers_on_postgres_and_s3_run_every_job_once() {
    let s3 = S3Server::start();
    let storage = s3.url("deployment");
    // Only for setting up the database (migrations, the platform admin, tenants); it runs
    // no workers and serves none of the requests below.
    let Some(setup) = spawn_app_with(Backend::Postgres, |s| {
        s.workers = 0;
        s.storage_url = storage.clone();
    })
    .await
    else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = setup.world().await;
    let token = w.a_member.1.clone();

    // Each process gets its own empty data directory: only the database and the object
    // store are shared. The settings that must match: DATABASE_URL, VOXFLOW_STORAGE_URL,
    // VOXFLOW_JWT_SECRET (and VOXFLOW_SECRETS_KEY for sealed secrets).
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().expect("dir")).collect();
    let shared = |dir: &std::path::Path| -> Vec<(String, String)> {
        vec![
            ("VOXFLOW_DATA_DIR".into(), dir.display().to_string()),
            ("VOXFLOW_STORAGE_URL".into(), storage.clone()),
            (
                "VOXFLOW_SECRETS_KEY".into(),
                "deployment-secrets-key-0123456789abcdef".into(),
            ),
        ]
    };
    let mut apis = Vec::new();
    for dir in &dirs[..2] {
        let envs = shared(dir.path());
        let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        apis.push(setup.spawn_serve_process(&envs).await);
    }
    let _workers: Vec<Process> = dirs[2..]
        .iter()
        .map(|dir| {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_voxflow"));
            cmd.arg("worker")
                .env_remove("VOXFLOW_CONFIG")
                .env("DATABASE_URL", &setup.database_url)
                .env("VOXFLOW_JWT_SECRET", JWT_SECRET)
                .env("VOXFLOW_MODELS_DIR", models_dir())
                .env("VOXFLOW_WHISPER_THREADS", "1")
                .env("VOXFLOW_LOG", "warn")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::inherit());
            for (k, v) in shared(dir.path()) {
                cmd.env(k, v);
            }
            Process(cmd.spawn().expect("start voxflow worker"))
        })
        .collect();

    let client = reqwest::Client::new();
    let speech = {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("speech.wav");
        crate::helpers::speak("Every job runs once on the shared queue", "en-us", &path);
        std::fs::read(&path).expect("wav")
    };
    // Submit through both APIs; remember which one took each job.
    let mut submitted: BTreeMap<String, usize> = BTreeMap::new();
    for (n, api) in apis.iter().enumerate() {
        for _ in 0..JOBS_PER_API {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(speech.clone()).file_name("speech.wav"),
            );
            let up = client
                .post(format!("{}/v1/files", api.base))
                .bearer_auth(&token)
                .multipart(form)
                .send()
                .await
                .expect("upload");
            assert_eq!(up.status(), StatusCode::CREATED);
            let file: Value = up.json().await.expect("file");
            let job = client
                .post(format!("{}/v1/jobs", api.base))
                .bearer_auth(&token)
                .json(&json!({
                    "graph": crate::jobs::vad_whisper_srt("tiny.en"),
                    "inputs": {"src": file["id"]},
                }))
                .send()
                .await
                .expect("submit");
            assert_eq!(job.status(), StatusCode::ACCEPTED);
            let job: Value = job.json().await.expect("job");
            submitted.insert(job["id"].as_str().expect("id").to_string(), n);
        }
    }
    // Follow every job over a WebSocket on the API that did not take it.
    let mut sockets = Vec::new();
    for (n, api) in apis.iter().enumerate() {
        let theirs: Vec<&String> = submitted
            .iter()
            .filter(|(_, &by)| by != n)
            .map(|(id, _)| id)
            .collect();
        let mut ws = crate::realtime::connect_to(&api.base, Some(&token))
            .await
            .expect("connect");
        assert_eq!(crate::realtime::next_json(&mut ws).await["type"], "welcome");
        crate::realtime::send(
            &mut ws,
            json!({"type": "subscribe", "job_ids": theirs, "since": 0}),
        )
        .await;
        sockets.push((ws, theirs.into_iter().cloned().collect::<Vec<String>>()));
    }
    let started = Instant::now();
    let mut streamed: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (ws, ids) in &mut sockets {
        let mut open: std::collections::BTreeSet<String> = ids.iter().cloned().collect();
        while !open.is_empty() {
            let m = crate::realtime::next_json(ws).await;
            let Some(id) = m["job_id"].as_str().map(String::from) else {
                continue;
            };
            if ["job.succeeded", "job.failed", "job.cancelled"]
                .contains(&m["type"].as_str().unwrap_or(""))
            {
                open.remove(&id);
            }
            streamed.entry(id).or_default().push(m);
        }
    }
    assert!(started.elapsed() < Duration::from_secs(600));

    let mut ran_by = std::collections::BTreeSet::new();
    for (id, by) in &submitted {
        // The event log, read on the API that took the job.
        let log: Value = client
            .get(format!(
                "{}/v1/jobs/{id}/events?since=0&limit=1000",
                apis[*by].base
            ))
            .bearer_auth(&token)
            .send()
            .await
            .expect("events")
            .json()
            .await
            .expect("json");
        let log = log["items"].as_array().expect("items").clone();
        crate::realtime::assert_contiguous(&log, 1);
        let count = |t: &str| log.iter().filter(|e| e["type"] == t).count();
        assert_eq!(count("job.succeeded"), 1, "job {id} finished once: {log:?}");
        assert_eq!(count("job.running"), 1, "job {id} ran once: {log:?}");
        assert_eq!(count("job.failed") + count("job.cancelled"), 0);
        // The socket on the other API saw the same events, in order, none missing.
        let socket = &streamed[id];
        crate::realtime::assert_contiguous(socket, 1);
        let seqs = |v: &[Value]| v.iter().map(|e| e["seq"].clone()).collect::<Vec<_>>();
        assert_eq!(
            seqs(socket),
            seqs(&log),
            "job {id}: the socket missed nothing"
        );
        if let Some(worker) = log
            .iter()
            .find(|e| e["type"] == "job.running")
            .and_then(|e| e["data"]["worker"].as_str())
        {
            ran_by.insert(worker.to_string());
        }
        let job: Value = client
            .get(format!("{}/v1/jobs/{id}", apis[1 - by].base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("job")
            .json()
            .await
            .expect("json");
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["attempt"], 1, "{job}");
    }
    eprintln!(
        "{} jobs through 2 APIs, run by {} worker process(es) in {:.1} s",
        submitted.len(),
        ran_by.len(),
        started.elapsed().as_secs_f64()
    );
    // Every byte went to the object store: no process's data directory holds a file.
    for dir in &dirs {
        assert!(
            !dir.path().join("files").exists(),
            "{}",
            dir.path().display()
        );
    }
    assert_eq!(
        s3.keys("deployment")
            .iter()
            .filter(|k| k.starts_with("files/"))
            .count(),
        submitted.len(),
        "one object per upload"
    );
}
