//! Fault drills (issue: scale and recovery): what a crash or a full disk leaves behind.
//!
//! - `kill -9` of an API process in the middle of an upload: no row, nothing listed or
//!   counted; the partial staging file it leaves is invisible and removed by the sweeper
//!   once idle past the orphan grace period; the restarted process answers at once.
//! - The disk filling up (a small tmpfs as the data directory) during an upload and
//!   during a job: `507 storage_full` with nothing half-written, the job fails with the
//!   reason, the service keeps answering, and uploads work again once there is room.

use crate::helpers::{spawn_app_with, wav, Backend, Cred, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// Every file under `dir` whose name ends in `#<digits>` (an upload being written).
fn staging_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if p.is_dir() {
                dirs.push(p);
            } else if name
                .rsplit_once('#')
                .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            {
                found.push(p);
            }
        }
    }
    found
}

/// Starts an upload of `total` bytes of WAV to `base` over a raw socket and sends only the
/// first `sent` of them; returns the open socket (the upload hangs there).
fn start_upload(base: &str, token: &str, total: usize, sent: usize) -> std::net::TcpStream {
    let addr = base.trim_start_matches("http://");
    let mut sock = std::net::TcpStream::connect(addr).expect("connect");
    let boundary = "drillboundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let body = wav(u32::try_from(total).expect("size"));
    let length = head.len() + body.len() + tail.len();
    write!(
        sock,
        "POST /v1/files HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\r\n{head}"
    )
    .expect("headers");
    sock.write_all(&body[..sent])
        .expect("first part of the body");
    sock.flush().expect("flush");
    sock
}

async fn killed_mid_upload(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |s| s.workers = 0).await else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    let token = w.a_member.1.clone();
    let api = app.spawn_serve_process(&[]).await;
    let _socket = start_upload(&api.base, &token, 24 * 1024 * 1024, 6 * 1024 * 1024);
    // Wait until the process has written part of it.
    let started = Instant::now();
    let staging = loop {
        let found = staging_files(&app.data_dir().join("files"));
        if let Some(p) = found
            .into_iter()
            .find(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 1024 * 1024))
        {
            break p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the upload never reached the disk"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // SIGKILL: no destructor, no cleanup.
    drop(api);
    let partial = std::fs::metadata(&staging).expect("the partial file").len();

    // No row: not listed, not counted, not downloadable; the service answers at once.
    let list = app.get("/v1/files", &token).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        list.body["items"],
        json!([]),
        "no orphan row: {}",
        list.body
    );
    let restarted = app.spawn_serve_process(&[]).await;
    let health = app
        .client
        .get(format!("{}/healthz", restarted.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), StatusCode::OK);
    let usage: Value = app
        .client
        .get(format!("{}/v1/files", restarted.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(usage["items"], json!([]));
    let ok = app
        .upload(Cred::Bearer(&token), "after.wav", wav(64 * 1024))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);

    // The sweeper: a staging file idle past the grace period is removed, nothing else is.
    let sweep = |app: &TestApp| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_voxflow"))
            .arg("sweep")
            .env_remove("VOXFLOW_CONFIG")
            .env("DATABASE_URL", &app.database_url)
            .env("VOXFLOW_DATA_DIR", app.data_dir())
            .env("VOXFLOW_LOG", "warn")
            .output()
            .expect("voxflow sweep");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).expect("sweep report")
    };
    assert_eq!(
        sweep(&app)["orphans_removed"],
        0,
        "a fresh staging file may be a live upload"
    );
    assert!(staging.exists());
    let idle =
        SystemTime::now() - voxflow::lifecycle::sweeper::ORPHAN_GRACE - Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&staging)
        .and_then(|f| f.set_modified(idle))
        .expect("age the staging file");
    assert_eq!(sweep(&app)["orphans_removed"], 1);
    assert!(
        !staging.exists(),
        "the partial file ({partial} bytes) is gone"
    );
    assert!(staging_files(&app.data_dir().join("files")).is_empty());
    let (status, _, bytes) = app
        .get_bytes(
            Cred::Bearer(&token),
            &format!("/v1/files/{}/content", ok.id()),
            &[],
        )
        .await;
    assert_eq!(
        (status, bytes.len()),
        (StatusCode::OK, wav(64 * 1024).len())
    );
    eprintln!("kill -9 mid-upload: {partial} bytes left in staging, no row, swept once idle");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_upload_sqlite() {
    killed_mid_upload(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_upload_postgres() {
    killed_mid_upload(Backend::Postgres).await;
}

/// A tmpfs of `mib` MiB, unmounted when dropped. `None` where this process may not mount
/// (not root); CI runs as root.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(mib: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().expect("mount point");
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.0.path())
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_clearly_loses_nothing_and_keeps_answering() {
    let Some(disk) = Tmpfs::mount(8) else {
        // Root only (mount); CI's run is root, and says so if this is skipped.
        eprintln!("skipped: cannot mount a tmpfs here (not root)");
        return;
    };
    let data = disk.0.path().to_path_buf();
    // The database stays on the big disk: this drill fills the file storage only.
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.data_dir = data.clone();
        s.secrets_key = "drill-secrets-key-0123456789abcdef0123".into();
        s.url_allow_private = true;
        s.max_upload_bytes = 64 * 1024 * 1024;
    })
    .await
    .expect("app");
    let w = app.world().await;
    let token = w.a_member.1.clone();
    let first = app
        .upload(Cred::Bearer(&token), "a.wav", wav(3 * 1024 * 1024))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    // 6 MiB more does not fit in what is left of 8 MiB.
    let full = app
        .upload(Cred::Bearer(&token), "b.wav", wav(6 * 1024 * 1024))
        .await;
    assert_eq!(
        full.status,
        StatusCode::INSUFFICIENT_STORAGE,
        "{}",
        full.body
    );
    assert_eq!(full.code(), "storage_full");
    assert_eq!(
        full.headers["content-type"], "application/problem+json",
        "{:?}",
        full.headers
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(staging_files(&data).is_empty(), "nothing half-written");
    let list = app.get("/v1/files", &token).await;
    assert_eq!(
        list.body["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        list.body
    );

    // During a job: its URL input is downloaded to the full disk; the job fails and says
    // why, and nothing of the download stays.
    let filler = app
        .upload(Cred::Bearer(&token), "c.wav", wav(4 * 1024 * 1024))
        .await;
    let port = crate::jobs::serve_file(wav(6 * 1024 * 1024));
    let r = app
        .post(
            "/v1/jobs",
            &token,
            json!({
                "graph": {"nodes": [{"id": "src", "type": "audio.decode"}], "edges": []},
                "inputs": {"src": format!("http://127.0.0.1:{port}/speech.wav")},
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = crate::jobs::wait_for(&app, &token, &r.id(), |_| false).await;
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].as_str().unwrap_or_default().to_lowercase();
    assert!(error.contains("space"), "the reason is given: {error}");
    let tmp: Vec<_> = std::fs::read_dir(data.join("tmp"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(tmp.is_empty(), "the partial download is removed: {tmp:?}");

    // The service keeps answering; with room made, uploads work again.
    assert_eq!(app.get("/v1/files", &token).await.status, StatusCode::OK);
    if filler.status == StatusCode::CREATED {
        let r = app
            .delete(&format!("/v1/files/{}", filler.id()), &token)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
    let again = app
        .upload(Cred::Bearer(&token), "d.wav", wav(2 * 1024 * 1024))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    eprintln!("disk full: upload 507 storage_full, job failed with: {error}");
}

/// A PostgreSQL server of the test's own (initdb into a temp directory, run as the
/// `postgres` user), so it can be stopped and started without touching the one every other
/// test shares. Stopped and removed when dropped.
struct OwnPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl OwnPostgres {
    /// `None` where there is no PostgreSQL server binary or this process is not root.
    fn start() -> Option<OwnPostgres> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|e| e.path().join("bin"))
            .find(|b| b.join("pg_ctl").exists())?;
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let pg = OwnPostgres { dir, bin, port };
        pg.as_postgres(&format!(
            "{} -D {}/data -A trust -U postgres >/dev/null",
            pg.bin.join("initdb").display(),
            pg.dir.path().display()
        ))
        .then_some(())?;
        pg.ctl("start").then_some(pg)
    }

    fn as_postgres(&self, command: &str) -> bool {
        std::process::Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", command])
            .status()
            .is_ok_and(|s| s.success())
    }

    /// `pg_ctl start` (waiting until it accepts connections) or `stop -m fast`.
    fn ctl(&self, what: &str) -> bool {
        let dir = self.dir.path().display();
        let how = if what == "stop" {
            "stop -m fast"
        } else {
            "start"
        };
        self.as_postgres(&format!(
            "{} -D {dir}/data -w -l {dir}/log -o '-p {} -k {dir} -c listen_addresses=127.0.0.1' {how}",
            self.bin.join("pg_ctl").display(),
            self.port
        ))
    }

    fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        self.ctl("stop");
    }
}

/// The drill: jobs running, a client polling and one on a WebSocket, and the database
/// stopped for a few seconds, then started again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_load_loses_nothing() {
    use futures_util::StreamExt;
    let Some(pg) = OwnPostgres::start() else {
        eprintln!("skipped: cannot run a PostgreSQL server of this test's own here (not root, or no server binaries)");
        return;
    };
    let admin = pg.admin_url();
    let url = tokio::task::spawn_blocking(move || {
        use diesel::connection::SimpleConnection;
        use diesel::Connection;
        let mut c = diesel::PgConnection::establish(&admin).expect("admin");
        c.batch_execute("CREATE ROLE drill LOGIN PASSWORD 'drill' NOSUPERUSER NOBYPASSRLS")
            .expect("role");
        c.batch_execute("CREATE DATABASE drill OWNER drill")
            .expect("database");
    })
    .await
    .map(|_| format!("postgres://drill:drill@127.0.0.1:{}/drill", pg.port))
    .expect("setup");
    let dir = tempfile::tempdir().expect("dir");
    let app = crate::helpers::spawn_app_on(Backend::Postgres, dir, url, |s| {
        s.workers = 2;
        s.job_lease_secs = 6;
    })
    .await;
    let w = app.world().await;
    let token = w.a_member.1.clone();
    let long = "The quarterly report goes to the finance team before Friday. ".repeat(4);
    let mut jobs = Vec::new();
    for _ in 0..3 {
        let file = crate::jobs::upload_speech(&app, &token, &long).await;
        jobs.push(
            crate::jobs::submit(&app, &token, crate::jobs::vad_whisper_srt("tiny.en"), &file).await,
        );
    }
    let mut ws = crate::realtime::connect(&app, Some(&token))
        .await
        .expect("ws");
    assert_eq!(crate::realtime::next_json(&mut ws).await["type"], "welcome");
    crate::realtime::send(
        &mut ws,
        json!({"type": "subscribe", "job_ids": jobs, "since": 0}),
    )
    .await;

    // A poller: every answer must be 200, 304 or a 503 problem, never anything else.
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let poller = {
        let (client, base, token, job) = (
            app.client.clone(),
            app.base.clone(),
            token.clone(),
            jobs[0].clone(),
        );
        tokio::spawn(async move {
            let mut seen: std::collections::BTreeMap<u16, usize> = Default::default();
            let mut etag = String::new();
            loop {
                let res = client
                    .get(format!("{base}/v1/jobs/{job}"))
                    .bearer_auth(&token)
                    .header("If-None-Match", etag.clone())
                    .timeout(Duration::from_secs(30))
                    .send()
                    .await;
                if let Ok(res) = res {
                    let status = res.status().as_u16();
                    if let Some(e) = res.headers().get("etag") {
                        etag = e.to_str().unwrap_or_default().to_string();
                    }
                    if status == 503 {
                        let body: Value = res.json().await.unwrap_or_default();
                        assert_eq!(body["code"], "database_unavailable", "{body}");
                    }
                    *seen.entry(status).or_default() += 1;
                    if std::env::var_os("VOXFLOW_DRILL_TRACE").is_some() {
                        eprintln!("poll {status} at {:?}", std::time::SystemTime::now());
                    }
                }
                if *stop_rx.borrow_and_update() {
                    return seen;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    // Wait until the first job runs, then take the database away for a while.
    crate::jobs::wait_for(&app, &token, &jobs[0], |j| j["status"] == "running").await;
    let down_at = Instant::now();
    assert!(pg.ctl("stop"), "stop PostgreSQL");
    if std::env::var_os("VOXFLOW_DRILL_TRACE").is_some() {
        eprintln!("stopped at {:?}", std::time::SystemTime::now());
    }
    let readyz = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .expect("readyz");
    assert_eq!(readyz.status(), StatusCode::SERVICE_UNAVAILABLE);
    let health = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "alive while the database is away"
    );
    let while_down = app.get("/v1/files", &token).await;
    assert_eq!(
        while_down.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        while_down.body
    );
    assert_eq!(while_down.code(), "database_unavailable");
    let first_503 = down_at.elapsed();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(pg.ctl("start"), "start PostgreSQL");
    if std::env::var_os("VOXFLOW_DRILL_TRACE").is_some() {
        eprintln!("started at {:?}", std::time::SystemTime::now());
    }
    let up_at = Instant::now();
    // Recovers by itself: the first answered request after the start.
    let recovered = loop {
        if app.get("/v1/files", &token).await.status == StatusCode::OK {
            break up_at.elapsed();
        }
        assert!(up_at.elapsed() < Duration::from_secs(30), "never recovered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    // Every job finishes, once, with every event on the socket, in order, without a gap.
    let mut streamed: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
    let mut open: std::collections::BTreeSet<String> = jobs.iter().cloned().collect();
    let deadline = Instant::now() + Duration::from_secs(300);
    while !open.is_empty() {
        assert!(Instant::now() < deadline, "jobs still open: {open:?}");
        let msg = tokio::time::timeout(Duration::from_secs(60), ws.next())
            .await
            .expect("an event in time")
            .expect("the socket stays open")
            .expect("frame");
        let tokio_tungstenite::tungstenite::Message::Text(text) = msg else {
            continue;
        };
        let m: Value = serde_json::from_str(&text).expect("json");
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
    stop_tx.send(true).expect("stop poller");
    let seen = poller.await.expect("poller");
    let mut attempts = Vec::new();
    for id in &jobs {
        let job = app.get(&format!("/v1/jobs/{id}"), &token).await;
        assert_eq!(job.body["status"], "succeeded", "{}", job.body);
        attempts.push(job.body["attempt"].as_i64().unwrap_or(0));
        let log = app
            .get(&format!("/v1/jobs/{id}/events?since=0&limit=1000"), &token)
            .await;
        let log = log.body["items"].as_array().expect("items").clone();
        crate::realtime::assert_contiguous(&log, 1);
        assert_eq!(
            log.iter().filter(|e| e["type"] == "job.succeeded").count(),
            1
        );
        let socket = &streamed[id];
        crate::realtime::assert_contiguous(socket, 1);
        assert_eq!(
            socket.len(),
            log.len(),
            "job {id}: the socket got every event"
        );
    }
    assert!(seen.keys().all(|s| [200, 304, 503].contains(s)), "{seen:?}");
    eprintln!(
        "postgres restart drill: first 503 after {:.2} s, down 4 s, answering again {:.2} s after the start, polls {seen:?}, attempts {attempts:?}",
        first_503.as_secs_f64(),
        recovered.as_secs_f64()
    );
}
