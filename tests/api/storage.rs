//! Object storage (src/storage.rs): with `VOXFLOW_STORAGE_URL=s3://…` every stored byte —
//! uploads, the copies a worker reads, export archives — goes through a real S3-compatible
//! server on loopback, never the data directory; the sweeper's orphan pass; a job run by a
//! `voxflow worker` process that shares nothing with the API but the database and the store.
//!
//! The server is s3s-fs (crates.io): the s3s crate's implementation of the S3 protocol —
//! SigV4-signed requests checked against its keys, multipart uploads, ranged GETs, listing —
//! over a directory. It runs inside the test process, so no install step or fixed port is
//! needed, and every client (the API in-process, worker processes) reaches it over TCP
//! exactly as it would reach AWS or MinIO.

use crate::helpers::{models_dir, spawn_app_with, Backend, Cred, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const BUCKET: &str = "voxflow-test";
const ACCESS_KEY: &str = "voxflow-access";
const SECRET_KEY: &str = "voxflow-secret-key-for-tests";

/// An S3-compatible server on a loopback port, serving until the test process ends.
pub struct S3Server {
    pub endpoint: String,
    root: tempfile::TempDir,
}

impl S3Server {
    pub fn start() -> S3Server {
        let root = tempfile::tempdir().expect("s3 root");
        std::fs::create_dir(root.path().join(BUCKET)).expect("bucket");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
        let dir = root.path().to_path_buf();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("s3 runtime");
            runtime.block_on(serve(listener, dir));
        });
        S3Server { endpoint, root }
    }

    /// A storage URL for objects under `prefix/` of the test bucket.
    pub fn url(&self, prefix: &str) -> String {
        format!(
            "s3://{BUCKET}/{prefix}?endpoint={}&allow_http=true&region=us-east-1&access_key_id={ACCESS_KEY}&secret_access_key={SECRET_KEY}",
            self.endpoint
        )
    }

    /// Where the server keeps the object `key` under `prefix/`.
    pub fn object_path(&self, prefix: &str, key: &str) -> PathBuf {
        self.root.path().join(BUCKET).join(prefix).join(key)
    }

    /// Every object the server holds under `prefix/`, as keys relative to it.
    pub fn keys(&self, prefix: &str) -> Vec<String> {
        let base = self.root.path().join(BUCKET).join(prefix);
        let mut keys = Vec::new();
        let mut dirs = vec![base.clone()];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if let Ok(rel) = p.strip_prefix(&base) {
                    let rel = rel.to_string_lossy().to_string();
                    // s3s-fs keeps its own metadata and in-progress parts beside the objects.
                    if !rel.contains(".upload") && !rel.starts_with('.') && !rel.contains("/.") {
                        keys.push(rel);
                    }
                }
            }
        }
        keys.sort();
        keys
    }
}

async fn serve(listener: std::net::TcpListener, root: PathBuf) {
    use hyper_util::rt::{TokioExecutor, TokioIo};
    let fs = s3s_fs::FileSystem::new(root).expect("s3s-fs");
    let mut builder = s3s::service::S3ServiceBuilder::new(fs);
    builder.set_auth(s3s::auth::SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
    let service = builder.build();
    let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
    let http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            continue;
        };
        let conn = http
            .serve_connection(TokioIo::new(socket), service.clone())
            .into_owned();
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
}

/// Files under `dir/files` (where local storage would have put them).
fn local_files(dir: &Path) -> usize {
    let mut n = 0;
    let mut dirs = vec![dir.join("files")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else {
                n += 1;
            }
        }
    }
    n
}

/// A `voxflow worker` process with its own, empty data directory: the job's input can only
/// come from the object store.
fn worker_process(app: &TestApp, storage_url: &str, data_dir: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_voxflow"))
        .arg("worker")
        .env_remove("VOXFLOW_CONFIG")
        .env("DATABASE_URL", &app.database_url)
        .env("VOXFLOW_DATA_DIR", data_dir)
        .env("VOXFLOW_STORAGE_URL", storage_url)
        .env("VOXFLOW_MODELS_DIR", models_dir())
        .env("VOXFLOW_WHISPER_THREADS", "2")
        .env("VOXFLOW_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("start voxflow worker")
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn bytes_live_in_the_object_store(backend: Backend) {
    let s3 = S3Server::start();
    let url = s3.url("deploy-a");
    let Some(app) = spawn_app_with(backend, |s| {
        s.storage_url = url.clone();
        s.workers = 0;
    })
    .await
    else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    let worker_dir = tempfile::tempdir().expect("worker dir");
    let _worker = KillOnDrop(worker_process(&app, &url, worker_dir.path()));

    // Upload: stored in the bucket under the same keys as on disk, nothing in the data dir.
    let file_id =
        crate::jobs::upload_speech(&app, &w.a_member.1, "The report is due on Friday").await;
    let view = app
        .get(&format!("/v1/files/{file_id}"), &w.a_member.1)
        .await;
    let key = format!("files/{}/{file_id}", w.tenant_a);
    let stored = std::fs::read(s3.object_path("deploy-a", &key)).expect("the object is in S3");
    assert_eq!(
        hex::encode(Sha256::digest(&stored)),
        view.body["sha256"].as_str().expect("sha256"),
        "the checksum kept is the object's"
    );
    assert_eq!(view.body["size_bytes"], stored.len());
    assert_eq!(local_files(app.data_dir()), 0, "no bytes on the API's disk");

    // Download: whole, and a range.
    let path = format!("/v1/files/{file_id}/content");
    let (status, _, whole) = app.get_bytes(Cred::Bearer(&w.a_member.1), &path, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(whole, stored);
    let (status, headers, part) = app
        .get_bytes(
            Cred::Bearer(&w.a_member.1),
            &path,
            &[("Range", "bytes=10-99")],
        )
        .await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part, stored[10..100]);
    assert_eq!(
        headers["content-range"],
        format!("bytes 10-99/{}", stored.len()).as_str()
    );
    // Another tenant's file id is still nobody's.
    let (status, _, _) = app.get_bytes(Cred::Bearer(&w.b_member.1), &path, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A job run by the worker process, whose data directory never held the file.
    let id = crate::jobs::submit(
        &app,
        &w.a_member.1,
        crate::jobs::vad_whisper_srt("tiny.en"),
        &file_id,
    )
    .await;
    let job = crate::jobs::wait_for(&app, &w.a_member.1, &id, |_| false).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let transcript = app
        .get(
            &format!("/v1/jobs/{id}/artifacts/asr.transcript.json"),
            &w.a_member.1,
        )
        .await;
    let text: String = transcript.body["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .filter_map(|s| s["text"].as_str())
        .collect();
    assert!(
        text.to_lowercase().contains("friday"),
        "{}",
        transcript.body
    );
    assert_eq!(
        local_files(worker_dir.path()),
        0,
        "the worker's copy of the input is gone after the job"
    );
    let leftovers: Vec<_> = std::fs::read_dir(worker_dir.path().join("tmp"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(leftovers.is_empty(), "temp copies removed: {leftovers:?}");

    // A tenant export, built by the worker process: the archive goes to the bucket and
    // downloads from there, holding the uploaded bytes.
    let r = app
        .post(
            &format!("/v1/tenants/{}/exports", w.tenant_a),
            &w.a_admin.1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let export_id = r.id();
    let built = crate::exports::wait_built(&app, &w.a_admin.1, &export_id).await;
    assert_eq!(built["status"], "succeeded", "{built}");
    let archive_key = format!("files/{}/exports/{export_id}.zip", w.tenant_a);
    assert!(s3.object_path("deploy-a", &archive_key).exists());
    let (status, _, zip) = app
        .get_bytes(
            Cred::Bearer(&w.a_admin.1),
            &format!("/v1/exports/{export_id}/content"),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let archive = crate::exports::Archive::open(&zip);
    archive.assert_manifest_sums();
    let entry = archive
        .0
        .iter()
        .find(|(name, _)| name.starts_with(&format!("files/{file_id}/")))
        .expect("the file is in the archive");
    assert_eq!(entry.1, &stored, "byte-for-byte");
    assert_eq!(local_files(app.data_dir()), 0);

    // Deleting the file removes its object; the archive stays until it expires.
    let r = app
        .delete(&format!("/v1/files/{file_id}"), &w.a_member.1)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(s3.keys("deploy-a"), vec![archive_key]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bytes_live_in_the_object_store_sqlite() {
    bytes_live_in_the_object_store(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bytes_live_in_the_object_store_postgres() {
    bytes_live_in_the_object_store(Backend::Postgres).await;
}

/// Uploads refused midway (not audio, over the limit, a second file) store nothing; a
/// large upload goes up in several multipart parts and comes back intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uploads_store_nothing_and_large_ones_arrive_whole() {
    let s3 = S3Server::start();
    let url = s3.url("refusals");
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.storage_url = url.clone();
        s.max_upload_bytes = 40 * 1024 * 1024;
    })
    .await
    .expect("app");
    let w = app.world().await;
    let r = app
        .upload(
            Cred::Bearer(&w.a_member.1),
            "x.wav",
            b"not audio at all".repeat(1000),
        )
        .await;
    assert_eq!(r.code(), "file_not_audio");
    let too_big = crate::helpers::wav(41 * 1024 * 1024);
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "big.wav", too_big)
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(crate::helpers::wav(64 * 1024)).file_name("a.wav"),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(crate::helpers::wav(64 * 1024)).file_name("b.wav"),
        );
    let res = app
        .client
        .post(format!("{}/v1/files", app.base))
        .bearer_auth(&w.a_member.1)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a second file"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s3.keys("refusals"), Vec::<String>::new(), "nothing stored");

    // 12 MiB: three parts of 5 MiB (S3's minimum) and the rest.
    let big = crate::helpers::wav(12 * 1024 * 1024);
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "big.wav", big.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.id();
    assert_eq!(r.body["sha256"], hex::encode(Sha256::digest(&big)));
    let (_, _, back) = app
        .get_bytes(
            Cred::Bearer(&w.a_member.1),
            &format!("/v1/files/{id}/content"),
            &[],
        )
        .await;
    assert!(back == big, "the large upload came back intact");
    let (_, _, tail) = app
        .get_bytes(
            Cred::Bearer(&w.a_member.1),
            &format!("/v1/files/{id}/content"),
            &[("Range", "bytes=-1000")],
        )
        .await;
    assert_eq!(tail, big[big.len() - 1000..]);
}

/// The sweeper's orphan pass removes objects no row needs once past the grace period, on
/// both kinds of storage, and leaves every object a row needs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweeper_removes_orphans_and_nothing_else() {
    let s3 = S3Server::start();
    for url in [String::new(), s3.url("orphans")] {
        let app = spawn_app_with(Backend::Sqlite, |s| s.storage_url = url.clone())
            .await
            .expect("app");
        let w = app.world().await;
        let kept = app
            .upload(
                Cred::Bearer(&w.a_member.1),
                "a.wav",
                crate::helpers::wav(4096),
            )
            .await
            .id();
        let blobs =
            voxflow::storage::BlobStore::open(app.data_dir(), &url).expect("the same storage");
        // What a process killed between storing and committing leaves.
        let orphan = voxflow::storage::BlobStore::storage_key(
            w.tenant_a.parse().expect("uuid"),
            uuid::Uuid::now_v7(),
        );
        let mut writer = blobs.begin(&orphan).await.expect("begin");
        writer.write(b"orphaned").await.expect("write");
        writer.finish().await.expect("finish");
        let sweep = |grace| voxflow::lifecycle::sweeper::remove_orphans(&app.store, &blobs, grace);
        assert_eq!(
            sweep(Duration::from_secs(3600)).await.expect("sweep"),
            0,
            "too young"
        );
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(
            sweep(Duration::from_secs(1)).await.expect("sweep"),
            1,
            "{url}"
        );
        assert_eq!(blobs.size(&orphan).await.expect("head"), None);
        let (status, _, _) = app
            .get_bytes(
                Cred::Bearer(&w.a_member.1),
                &format!("/v1/files/{kept}/content"),
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "a file with a row is kept ({url})");
    }
}
