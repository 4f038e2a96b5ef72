//! The model catalog, downloads and `voxflow models`, without touching the internet: downloads
//! come from a loopback HTTP server started here, model files from `shared/models`.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use voxflow::models::catalog::{self, ModelEntry, ModelKind};
use voxflow::models::download::{self, NoProgress, PullError};
use voxflow::models::{self as models, Verdict};

// ---------------------------------------------------------------- helpers

/// `shared/models` beside the checkout, else `$VOXFLOW_MODELS_DIR`.
fn shared_models() -> PathBuf {
    let beside = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/models"));
    if beside.join("ggml-silero-v6.2.3.bin").is_file() {
        return beside;
    }
    let from_env = std::env::var_os("VOXFLOW_MODELS_DIR").map(PathBuf::from);
    match from_env {
        Some(dir) if dir.join("ggml-silero-v6.2.3.bin").is_file() => dir,
        _ => panic!(
            "shared/models with ggml-silero-v6.2.3.bin not found beside the checkout nor in VOXFLOW_MODELS_DIR"
        ),
    }
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Deterministic pseudo-random bytes (so a misplaced range shows up as different content).
fn test_data(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn test_entry(sha256: Option<String>, sha1: Option<&'static str>) -> ModelEntry {
    ModelEntry {
        name: "test-model",
        file: "ggml-test-model.bin",
        kind: ModelKind::Whisper,
        multilingual: true,
        approx_bytes: 3 << 20,
        sha256: sha256.map(leak),
        sha1,
        path: Some("owner/repo/resolve/main/ggml-test-model.bin"),
    }
}

const ENTRY_URL_PATH: &str = "/owner/repo/resolve/main/ggml-test-model.bin";

#[derive(Debug, Clone)]
struct Seen {
    path: String,
    range: Option<String>,
    status: u16,
    body_bytes: usize,
}

/// A one-file HTTP/1.1 server on 127.0.0.1 that records every request.
struct TestServer {
    base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    fn start(url_path: &str, data: Vec<u8>, honor_range: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let url_path = url_path.to_string();
        let data = Arc::new(data);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (log, data, url_path) = (log.clone(), data.clone(), url_path.clone());
                std::thread::spawn(move || handle(stream, &url_path, &data, honor_range, &log));
            }
        });
        TestServer { base_url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("log").clone()
    }
}

fn handle(
    mut stream: TcpStream,
    url_path: &str,
    data: &[u8],
    honor_range: bool,
    log: &Mutex<Vec<Seen>>,
) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("")
        .to_string();
    let range = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("range"))
        .map(|(_, v)| v.trim().to_string());
    let len = data.len();
    let (status, extra, body): (u16, String, &[u8]) = if path != url_path {
        (404, String::new(), b"not found")
    } else {
        let start = range
            .as_deref()
            .filter(|_| honor_range)
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.strip_suffix('-'))
            .and_then(|n| n.parse::<usize>().ok());
        match start {
            Some(s) if s >= len => (416, format!("Content-Range: bytes */{len}\r\n"), &[]),
            Some(s) => (
                206,
                format!("Content-Range: bytes {s}-{}/{len}\r\n", len - 1),
                &data[s..],
            ),
            None => (200, String::new(), data),
        }
    };
    log.lock().expect("log").push(Seen {
        path,
        range,
        status,
        body_bytes: body.len(),
    });
    let reason = match status {
        200 => "OK",
        206 => "Partial Content",
        404 => "Not Found",
        _ => "Range Not Satisfiable",
    };
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\n{extra}Accept-Ranges: bytes\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn touch(dir: &Path, file: &str) {
    std::fs::write(dir.join(file), b"placeholder").expect("write placeholder");
}

// ---------------------------------------------------------------- resolution

#[test]
fn resolve_prefers_exact_then_q8_q5_1_q5_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    assert_eq!(models::resolve("tiny.en", d), None, "nothing installed yet");

    touch(d, "ggml-tiny.en-q8_0.bin");
    assert_eq!(
        models::resolve("tiny.en", d),
        Some(d.join("ggml-tiny.en-q8_0.bin"))
    );
    touch(d, "ggml-tiny.en.bin");
    assert_eq!(
        models::resolve("tiny.en", d),
        Some(d.join("ggml-tiny.en.bin"))
    );
    assert_eq!(
        models::resolve("ggml-tiny.en.bin", d),
        Some(d.join("ggml-tiny.en.bin"))
    );

    touch(d, "ggml-base-q5_0.bin");
    assert_eq!(
        models::resolve("base", d),
        Some(d.join("ggml-base-q5_0.bin"))
    );
    touch(d, "ggml-base-q5_1.bin");
    assert_eq!(
        models::resolve("base", d),
        Some(d.join("ggml-base-q5_1.bin"))
    );
    touch(d, "ggml-base-q8_0.bin");
    assert_eq!(
        models::resolve("base", d),
        Some(d.join("ggml-base-q8_0.bin"))
    );
    // `base` is multilingual: `base.en` must not pick up base's files, nor the reverse.
    assert_eq!(models::resolve("base.en", d), None);
    assert_eq!(models::resolve("tiny", d), None);

    // An explicit quantization only matches itself, published by whisper.cpp or not.
    assert_eq!(models::resolve("tiny.en-q5_1", d), None);
    assert_eq!(models::resolve("nosuch-q5_0", d), None);
    assert_eq!(
        models::resolve("base-q5_0", d),
        Some(d.join("ggml-base-q5_0.bin"))
    );

    // A directory with a model's name is not a model.
    std::fs::create_dir(d.join("ggml-small.bin")).expect("mkdir");
    assert_eq!(models::resolve("small", d), None);
}

#[test]
fn resolve_unknown_names_and_vad_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    touch(d, "ggml-foo.bin");
    assert_eq!(models::resolve("foo", d), None, "not a catalog name");
    assert_eq!(models::resolve("tiny.enn", d), None);
    assert_eq!(models::resolve("", d), None);

    assert_eq!(models::resolve("silero", d), None);
    touch(d, "ggml-silero-v5.1.2.bin");
    assert_eq!(
        models::resolve("silero", d),
        Some(d.join("ggml-silero-v5.1.2.bin"))
    );
    touch(d, "ggml-silero-v6.2.3.bin");
    assert_eq!(
        models::resolve("silero", d),
        Some(d.join("ggml-silero-v6.2.3.bin")),
        "newest installed VAD first"
    );
    assert_eq!(
        models::resolve("ggml-silero-v6.2.3.bin", d),
        Some(d.join("ggml-silero-v6.2.3.bin"))
    );
    let vad = catalog::find("ggml-silero-v6.2.3.bin").expect("known VAD file");
    assert_eq!(vad.kind, ModelKind::Vad);

    let close = catalog::suggest("tiny.enn");
    assert!(close.contains(&"tiny.en"), "{close:?}");
}

// ---------------------------------------------------------------- downloads

#[test]
fn pull_downloads_and_checks_sha256() {
    let data = test_data(3 * 1024 * 1024 + 123);
    let server = TestServer::start(ENTRY_URL_PATH, data.clone(), true);
    let dir = tempfile::tempdir().expect("tempdir");
    let models_dir = dir.path().join("models"); // created by pull
    let entry = test_entry(Some(sha256_hex(&data)), None);

    let out =
        download::pull_entry(&entry, &server.base_url, &models_dir, &mut NoProgress).expect("pull");
    assert_eq!(
        out.verdict,
        Verdict::Ok {
            by: "sha256".into()
        }
    );
    assert!(!out.already_installed && !out.restarted);
    assert_eq!(out.resumed_from, 0);
    assert_eq!(out.bytes, data.len() as u64);
    assert_eq!(
        std::fs::read(models_dir.join(entry.file)).expect("read"),
        data
    );
    assert!(!download::part_path(&models_dir, entry.file).exists());
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].path, ENTRY_URL_PATH);
    assert_eq!(seen[0].range, None);
    assert_eq!(seen[0].status, 200);

    // A second pull finds it installed and downloads nothing.
    let again = download::pull_entry(&entry, &server.base_url, &models_dir, &mut NoProgress)
        .expect("pull again");
    assert!(again.already_installed);
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn pull_resumes_a_partial_file_with_range() {
    let data = test_data(2 * 1024 * 1024 + 7);
    let server = TestServer::start(ENTRY_URL_PATH, data.clone(), true);
    let dir = tempfile::tempdir().expect("tempdir");
    let entry = test_entry(Some(sha256_hex(&data)), None);
    let kept = 1_000_001;
    std::fs::write(download::part_path(dir.path(), entry.file), &data[..kept]).expect("part");

    let out =
        download::pull_entry(&entry, &server.base_url, dir.path(), &mut NoProgress).expect("pull");
    assert_eq!(out.resumed_from, kept as u64);
    assert!(!out.restarted);
    assert!(out.verdict.is_ok(), "{:?}", out.verdict);
    assert_eq!(
        std::fs::read(dir.path().join(entry.file)).expect("read"),
        data
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].range.as_deref(), Some("bytes=1000001-"));
    assert_eq!(seen[0].status, 206);
    assert_eq!(
        seen[0].body_bytes,
        data.len() - kept,
        "only the rest was sent"
    );
}

#[test]
fn pull_with_a_complete_part_file_finishes_after_416() {
    let data = test_data(300_000);
    let server = TestServer::start(ENTRY_URL_PATH, data.clone(), true);
    let dir = tempfile::tempdir().expect("tempdir");
    let entry = test_entry(Some(sha256_hex(&data)), None);
    std::fs::write(download::part_path(dir.path(), entry.file), &data).expect("part");

    let out =
        download::pull_entry(&entry, &server.base_url, dir.path(), &mut NoProgress).expect("pull");
    assert!(out.verdict.is_ok());
    assert_eq!(
        std::fs::read(dir.path().join(entry.file)).expect("read"),
        data
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].status, 416);
}

#[test]
fn pull_restarts_when_the_server_ignores_range() {
    let data = test_data(1024 * 1024 + 99);
    let server = TestServer::start(ENTRY_URL_PATH, data.clone(), false);
    let dir = tempfile::tempdir().expect("tempdir");
    let entry = test_entry(Some(sha256_hex(&data)), None);
    // A partial file whose bytes are wrong: appending the full body to it would corrupt the
    // result, so only a real restart yields the right file.
    std::fs::write(
        download::part_path(dir.path(), entry.file),
        vec![0xAB; 500_000],
    )
    .expect("part");

    let out =
        download::pull_entry(&entry, &server.base_url, dir.path(), &mut NoProgress).expect("pull");
    assert!(out.restarted);
    assert_eq!(out.resumed_from, 0);
    assert!(out.verdict.is_ok(), "{:?}", out.verdict);
    assert_eq!(
        std::fs::read(dir.path().join(entry.file)).expect("read"),
        data
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        seen[0].range.as_deref(),
        Some("bytes=500000-"),
        "range was asked"
    );
    assert_eq!(seen[0].status, 200, "and ignored");
}

#[test]
fn pull_fails_on_checksum_mismatch_and_leaves_no_file() {
    let data = test_data(200_000);
    let server = TestServer::start(ENTRY_URL_PATH, data.clone(), true);
    let dir = tempfile::tempdir().expect("tempdir");
    let wrong = sha256_hex(b"something else");
    let entry = test_entry(Some(wrong.clone()), None);

    let err = download::pull_entry(&entry, &server.base_url, dir.path(), &mut NoProgress)
        .expect_err("must fail");
    match &err {
        PullError::ChecksumMismatch {
            expected, actual, ..
        } => {
            assert!(expected.contains(&wrong), "{expected}");
            assert_eq!(actual, &sha256_hex(&data));
        }
        other => panic!("expected a checksum mismatch, got {other:?}"),
    }
    assert!(err.to_string().contains("checksum mismatch"), "{err}");
    assert!(!dir.path().join(entry.file).exists());
    assert!(!download::part_path(dir.path(), entry.file).exists());
}

#[test]
fn pull_uses_sha1_or_reports_no_checksum() {
    let data = test_data(100_000);
    let server = TestServer::start(ENTRY_URL_PATH, data.clone(), true);

    let dir = tempfile::tempdir().expect("tempdir");
    let sha1 = leak(hex::encode(<sha1::Sha1 as Digest>::digest(&data)));
    let out = download::pull_entry(
        &test_entry(None, Some(sha1)),
        &server.base_url,
        dir.path(),
        &mut NoProgress,
    )
    .expect("pull");
    assert_eq!(out.verdict, Verdict::Ok { by: "sha1".into() });

    let dir = tempfile::tempdir().expect("tempdir");
    let out = download::pull_entry(
        &test_entry(None, None),
        &server.base_url,
        dir.path(),
        &mut NoProgress,
    )
    .expect("pull");
    assert_eq!(
        out.verdict,
        Verdict::NoChecksum {
            sha256: sha256_hex(&data)
        }
    );
}

#[test]
fn pull_reports_http_errors() {
    let server = TestServer::start("/elsewhere.bin", test_data(10), true);
    let dir = tempfile::tempdir().expect("tempdir");
    let err = download::pull_entry(
        &test_entry(None, None),
        &server.base_url,
        dir.path(),
        &mut NoProgress,
    )
    .expect_err("404");
    assert!(
        matches!(err, PullError::Http { status: 404, .. }),
        "{err:?}"
    );
    assert!(!dir.path().join("ggml-test-model.bin").exists());

    let not_published = catalog::find("silero-v6.2.3").expect("entry");
    let err = download::pull_entry(not_published, &server.base_url, dir.path(), &mut NoProgress)
        .expect_err("no download location");
    assert!(matches!(err, PullError::NotDownloadable(_)), "{err:?}");
}

// ---------------------------------------------------------------- verify

#[test]
fn verify_accepts_the_shared_vad_and_flags_a_corrupted_copy() {
    let shared = shared_models();
    let original = std::fs::read(shared.join("ggml-silero-v6.2.3.bin")).expect("read shared");

    let good = tempfile::tempdir().expect("tempdir");
    std::fs::write(good.path().join("ggml-silero-v6.2.3.bin"), &original).expect("copy");
    std::fs::write(good.path().join("custom.onnx"), b"not a known model").expect("write");
    std::fs::write(good.path().join("notes.txt"), b"ignored").expect("write");
    let rows = models::verify(good.path()).expect("verify");
    let files: Vec<&str> = rows.iter().map(|r| r.file.as_str()).collect();
    assert_eq!(files, ["custom.onnx", "ggml-silero-v6.2.3.bin"]);
    assert_eq!(
        rows[1].verdict,
        Verdict::Ok {
            by: "sha256".into()
        }
    );
    assert_eq!(rows[1].bytes, 885_098);
    assert!(matches!(rows[0].verdict, Verdict::NoChecksum { .. }));

    let bad = tempfile::tempdir().expect("tempdir");
    let mut corrupted = original.clone();
    corrupted[original.len() / 2] ^= 0xFF;
    std::fs::write(bad.path().join("ggml-silero-v6.2.3.bin"), &corrupted).expect("copy");
    let rows = models::verify(bad.path()).expect("verify");
    assert_eq!(rows.len(), 1);
    match &rows[0].verdict {
        Verdict::Mismatch { actual, .. } => assert_eq!(actual, &sha256_hex(&corrupted)),
        other => panic!("expected mismatch, got {other:?}"),
    }
}

#[test]
fn list_marks_installed_entries_and_other_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    touch(dir.path(), "ggml-base.en.bin");
    touch(dir.path(), "mystery.onnx");
    std::fs::write(dir.path().join("ggml-small.bin.part"), b"abc").expect("part");
    let listing = models::list(dir.path()).expect("list");
    assert_eq!(listing.models.len(), catalog::CATALOG.len());
    let installed: Vec<&str> = listing
        .models
        .iter()
        .filter(|m| m.installed_bytes.is_some())
        .map(|m| m.entry.name)
        .collect();
    assert_eq!(installed, ["base.en"]);
    let others: Vec<&str> = listing.others.iter().map(|o| o.file.as_str()).collect();
    assert_eq!(others, ["mystery.onnx"]);
    assert_eq!(listing.partial, [("ggml-small.bin.part".to_string(), 3)]);
}

// ---------------------------------------------------------------- the binary

fn voxflow(models_dir: &Path, cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_voxflow"));
    cmd.current_dir(cwd)
        .env_remove("VOXFLOW_CONFIG")
        .env_remove("VOXFLOW_MODELS_BASE_URL")
        .env("VOXFLOW_DATA_DIR", cwd.join("data"))
        .env("VOXFLOW_MODELS_DIR", models_dir)
        .env("VOXFLOW_LOG", "warn");
    cmd
}

#[test]
fn cli_list_verify_and_pull() {
    let shared = shared_models();
    let work = tempfile::tempdir().expect("tempdir");
    let models_dir = work.path().join("models");
    std::fs::create_dir(&models_dir).expect("mkdir");
    std::fs::copy(
        shared.join("ggml-silero-v6.2.3.bin"),
        models_dir.join("ggml-silero-v6.2.3.bin"),
    )
    .expect("copy");

    let out = voxflow(&models_dir, work.path())
        .args(["models", "list"])
        .output()
        .expect("run voxflow");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no line for {name} in:\n{stdout}"))
            .to_string()
    };
    assert!(line("silero-v6.2.3").contains("yes"), "{stdout}");
    assert!(
        line("large-v3-turbo").trim_end().ends_with("no"),
        "{stdout}"
    );

    let out = voxflow(&models_dir, work.path())
        .args(["models", "verify"])
        .output()
        .expect("run voxflow");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("ok (sha256)"), "{stdout}");

    // Unknown name: non-zero exit with close names.
    let out = voxflow(&models_dir, work.path())
        .args([
            "models",
            "pull",
            "tiny.enn",
            "--base-url",
            "http://127.0.0.1:9",
        ])
        .output()
        .expect("run voxflow");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("did you mean") && stderr.contains("tiny.en"),
        "{stderr}"
    );

    // A real catalog entry pulled from a loopback mirror: the shared tiny.en-q8_0 build is
    // accepted by its known SHA-256.
    let data = std::fs::read(shared.join("ggml-tiny.en-q8_0.bin")).expect("read shared");
    let server = TestServer::start(
        "/ggerganov/whisper.cpp/resolve/main/ggml-tiny.en-q8_0.bin",
        data.clone(),
        true,
    );
    let out = voxflow(&models_dir, work.path())
        .args([
            "models",
            "pull",
            "tiny.en-q8_0",
            "--base-url",
            &server.base_url,
        ])
        .output()
        .expect("run voxflow");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("Installed tiny.en-q8_0"), "{stdout}");
    assert!(
        stderr.contains("Downloading ggml-tiny.en-q8_0.bin"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\r'),
        "no progress bar when stderr is not a terminal"
    );
    assert_eq!(
        sha256_hex(&std::fs::read(models_dir.join("ggml-tiny.en-q8_0.bin")).expect("read")),
        sha256_hex(&data)
    );

    // A corrupted file makes verify fail.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(models_dir.join("ggml-silero-v6.2.3.bin"))
        .expect("open");
    f.write_all(b"junk").expect("append");
    drop(f);
    let out = voxflow(&models_dir, work.path())
        .args(["models", "verify"])
        .output()
        .expect("run voxflow");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(stdout.contains("MISMATCH"), "{stdout}");
    assert!(
        line_of(&stdout, "ggml-tiny.en-q8_0.bin").contains("ok (sha256, Voxflow build"),
        "{stdout}"
    );
}

fn line_of(text: &str, first_word: &str) -> String {
    text.lines()
        .find(|l| l.split_whitespace().next() == Some(first_word))
        .unwrap_or("")
        .to_string()
}

#[test]
fn base_url_setting_defaults_to_hugging_face_and_reads_the_environment() {
    use voxflow::config::Settings;
    let s = Settings::from_sources("", &[]).expect("defaults");
    assert_eq!(s.models_base_url, download::DEFAULT_BASE_URL);
    assert_eq!(s.models_base_url, "https://huggingface.co");
    let env = [(
        "VOXFLOW_MODELS_BASE_URL".to_string(),
        "http://mirror.local/hf".to_string(),
    )];
    let s = Settings::from_sources("", &env).expect("env");
    assert_eq!(s.models_base_url, "http://mirror.local/hf");
    let s = Settings::from_sources("models_base_url = \"http://file.local\"\n", &[]).expect("toml");
    assert_eq!(s.models_base_url, "http://file.local");
}

/// A loopback port nothing listens on (bound, then released).
fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}

#[test]
fn pull_defaults_skips_what_is_installed() {
    let shared = shared_models();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("models");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for f in [
        "ggml-base-q8_0.bin",
        "ggml-silero-v6.2.3.bin",
        "pyannote-segmentation-3.0.onnx",
        "campplus_cn_en_common.onnx",
    ] {
        std::os::unix::fs::symlink(shared.join(f), dir.join(f)).expect("symlink");
    }
    // Nothing is downloaded, so an unreachable host does not matter.
    let out = voxflow(&dir, tmp.path())
        .args(["models", "pull", "--defaults", "--base-url"])
        .arg(closed_port_url())
        .output()
        .expect("run voxflow");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "base",
        "silero",
        "pyannote-segmentation-3.0",
        "campplus_cn_en_common",
    ] {
        assert!(stdout.contains(&format!("{name}: installed")), "{stdout}");
    }
}

#[test]
fn pull_defaults_says_plainly_when_the_model_host_cannot_be_reached() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("models");
    let base = closed_port_url();
    let out = voxflow(&dir, tmp.path())
        .args(["models", "pull", "--defaults", "--base-url", &base])
        .output()
        .expect("run voxflow");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("the model host {base} could not be reached")),
        "{stderr}"
    );
    assert!(stderr.contains("VOXFLOW_MODELS_DIR"), "{stderr}");
    assert!(stderr.contains(&dir.display().to_string()), "{stderr}");
    for name in [
        "base",
        "silero-v6.2.0",
        "pyannote-segmentation-3.0",
        "campplus_cn_en_common",
    ] {
        assert!(stderr.contains(name), "{name} not named: {stderr}");
    }
    // A single pull says the same.
    let out = voxflow(&dir, tmp.path())
        .args([
            "models",
            "pull",
            "campplus_cn_en_common",
            "--base-url",
            &base,
        ])
        .output()
        .expect("run voxflow");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("could not be reached"), "{stderr}");
}

/// The diarization entries download like the Whisper ones: the project's own export of
/// pyannote segmentation-3.0, served at the catalog's pinned path, is installed under the
/// file name the node looks for and accepted by its known-build digest.
#[test]
fn a_diarization_model_is_pulled_to_the_name_the_node_uses() {
    let shared = shared_models();
    let entry = catalog::find("pyannote-segmentation-3.0").expect("catalog entry");
    assert_eq!(entry.kind, ModelKind::Segmentation);
    let data = std::fs::read(shared.join("pyannote-segmentation-3.0.onnx")).expect("read");
    let server = TestServer::start(&format!("/{}", entry.path.unwrap()), data, true);
    let tmp = tempfile::tempdir().expect("tempdir");
    let outcome =
        download::pull_entry(entry, &server.base_url, tmp.path(), &mut NoProgress).expect("pull");
    assert_eq!(
        outcome.path,
        tmp.path().join("pyannote-segmentation-3.0.onnx")
    );
    assert!(outcome.verdict.is_ok(), "{:?}", outcome.verdict);
    assert_eq!(server.seen().len(), 1);
    assert_eq!(
        catalog::resolve("pyannote-segmentation-3.0", tmp.path()),
        Some(outcome.path)
    );
}
