//! The SDKs generated from the spec (`sdks/`), against the real service: the Python client
//! (`voxflow_client`) and the TypeScript SDK (`@voxflow/sdk`) each log in, upload a clip
//! spoken by espeak-ng, run VAD → Whisper tiny.en → SRT and read the subtitles. And the
//! committed SDKs must be exactly what `scripts/generate-sdks.sh` makes from the spec.
//!
//! Each needs its tool chain (`VOXFLOW_SDK_VENV`, default `.venv`, with the generator and the
//! client's dependencies; `node` and `sdks/typescript/node_modules`). Without it a test is
//! skipped with a message, unless VOXFLOW_REQUIRE_SDKS=1 (CI sets it) makes that a failure.

use crate::api_test;
use crate::helpers::{speak, wer, PASSWORD};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const SENTENCE: &str = "Please send the quarterly report to the finance team before Friday";
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// False (after saying why) when a tool chain is missing and the SDKs are not required.
fn available(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            std::env::var_os("VOXFLOW_REQUIRE_SDKS").is_none(),
            "VOXFLOW_REQUIRE_SDKS is set but {what} is missing"
        );
        eprintln!("skipped: {what} is missing (see docs/sdks.md)");
    }
    ok
}

fn sdk_venv() -> PathBuf {
    std::env::var_os("VOXFLOW_SDK_VENV")
        .map_or_else(|| Path::new(ROOT).join(".venv"), PathBuf::from)
}

fn ts_dir() -> PathBuf {
    Path::new(ROOT).join("sdks/typescript")
}

/// Runs a check script; returns the JSON object it prints last.
async fn run_check(mut cmd: Command) -> Value {
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run the check script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "SDK check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.lines().last().unwrap_or("")).expect("the script prints JSON last")
}

/// A clip of SENTENCE; the TempDir keeps it alive.
fn clip() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("clip.wav");
    speak(SENTENCE, "en-us", &path);
    (dir, path)
}

/// What both SDK checks must report: the job ran and its subtitles say the sentence.
fn assert_job_and_srt(r: &Value) {
    assert_eq!(r["job_status"], "succeeded", "{r}");
    let kinds = r["node_kinds"].as_array().expect("node kinds");
    for k in ["vad.silero", "whisper.transcribe", "export.subtitles"] {
        assert!(kinds.iter().any(|n| n == k), "{k} missing from {kinds:?}");
    }
    assert!(r["file_size"].as_i64().expect("size") > 1000);
    assert_eq!(
        r["statuses_seen"].as_array().expect("seen").last(),
        Some(&Value::from("succeeded"))
    );
    let srt = r["srt"].as_str().expect("srt");
    assert!(srt.starts_with("1\n") && srt.contains(" --> "), "{srt}");
    let text: String = srt
        .lines()
        .filter(|l| !l.contains("-->") && l.parse::<u32>().is_err())
        .collect::<Vec<_>>()
        .join(" ");
    let err = wer(SENTENCE, &text);
    assert!(err <= 0.35, "WER {err:.2}: {text}");
    eprintln!("SDK job: {:?}, WER {err:.2}: {text}", r["statuses_seen"]);
}

api_test!(the_generated_python_client_runs_a_job, |app| {
    let python = sdk_venv().join("bin/python");
    let ok = Command::new(&python)
        .args(["-c", "import httpx, attrs"])
        .status()
        .is_ok_and(|s| s.success());
    if !available("the SDK venv (httpx, attrs)", ok) {
        return;
    }
    // The world's tenant A member (member@a.test) is who the SDKs log in as; a platform
    // template is offered to it.
    let _world = app.world().await;
    crate::templates::published(&app, &app.admin_token, "SDK template", None).await;
    let (_dir, wav) = clip();
    let mut cmd = Command::new(python);
    cmd.env("PYTHONPATH", Path::new(ROOT).join("sdks/python"))
        .arg(Path::new(ROOT).join("tests/sdk_python_check.py"))
        .args([&app.base, "member@a.test", PASSWORD])
        .arg(&wav);
    let r = run_check(cmd).await;
    assert_job_and_srt(&r);
    assert_eq!(r["wrong_password_status"], 401, "{r}");
    assert_eq!(r["wrong_password_code"], "invalid_credentials", "{r}");
    assert_eq!(r["refused_status"], 415, "{r}");
    assert_eq!(r["refused_code"], "file_not_audio", "{r}");
    assert_eq!(r["missing_code"], "job_not_found", "{r}");
    assert_eq!(r["bad_key_status"], 401, "{r}");
    assert_eq!(r["templates"], serde_json::json!(["SDK template"]), "{r}");
    assert_eq!(r["product_name"], "Voxflow", "{r}");
    assert_eq!(r["export_status"], "succeeded", "{r}");
    assert_eq!(r["export_etag_is_sha256"], true, "{r}");
    assert_eq!(r["export_format"], "voxflow-export/1", "{r}");
    assert_eq!(
        r["export_key_status"], 403,
        "an API key takes no personal export: {r}"
    );
    let outputs = r["outputs"].as_array().expect("outputs");
    assert!(outputs.iter().any(|o| o == "asr.transcript.json"), "{r}");
    // Conditional polling went through the generated client's If-None-Match parameter.
    assert!(r["polls"].as_i64() > r["statuses_seen"].as_array().map(|s| s.len() as i64));
});

/// Builds `sdks/typescript/dist` once per test process (both backends share it).
fn built_ts_sdk() -> Result<(), String> {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let tsc = ts_dir().join("node_modules/.bin/tsc");
            let out = Command::new(tsc)
                .arg("-p")
                .arg(ts_dir().join("tsconfig.json"))
                .output()
                .map_err(|e| e.to_string())?;
            if out.status.success() {
                Ok(())
            } else {
                Err(String::from_utf8_lossy(&out.stdout).into_owned())
            }
        })
        .clone()
}

api_test!(the_typescript_sdk_runs_a_job, |app| {
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let deps = ts_dir().join("node_modules/openapi-fetch").is_dir()
        && ts_dir().join("node_modules/.bin/tsc").exists();
    if !available(
        "node or sdks/typescript/node_modules (npm ci)",
        node_ok && deps,
    ) {
        return;
    }
    tokio::task::spawn_blocking(built_ts_sdk)
        .await
        .expect("join")
        .expect("tsc builds the SDK");
    // The world's tenant A member (member@a.test) is who the SDKs log in as; a platform
    // template is offered to it.
    let _world = app.world().await;
    crate::templates::published(&app, &app.admin_token, "SDK template", None).await;
    let (_dir, wav) = clip();
    let mut cmd = Command::new("node");
    cmd.args(node_websocket_flag())
        .arg(Path::new(ROOT).join("tests/sdk_typescript_check.mjs"))
        .args([&app.base, "member@a.test", PASSWORD])
        .arg(&wav);
    let r = run_check(cmd).await;
    assert_job_and_srt(&r);
    assert_eq!(r["wrong_password"]["status"], 401, "{r}");
    assert_eq!(r["wrong_password"]["code"], "invalid_credentials", "{r}");
    assert_eq!(r["refused"]["status"], 415, "{r}");
    assert_eq!(r["refused"]["code"], "file_not_audio", "{r}");
    assert_eq!(r["missing"]["code"], "job_not_found", "{r}");
    assert_eq!(r["templates"], serde_json::json!(["SDK template"]), "{r}");
    assert_eq!(r["product_name"], "Voxflow", "{r}");
    // watchJob: the job's whole event log over the WebSocket, in order, ending with success.
    if r["ws"].is_null() {
        eprintln!("WebSocket part skipped: this node has no WebSocket");
    } else {
        assert_eq!(r["ws"]["final"], "job.succeeded", "{r}");
        assert_eq!(r["ws"]["types"][0], "job.queued", "{r}");
        let last = r["ws"]["last_seq"].as_i64().expect("last seq");
        let seqs: Vec<i64> = r["ws"]["seqs"]
            .as_array()
            .expect("seqs")
            .iter()
            .filter_map(Value::as_i64)
            .collect();
        assert_eq!(seqs, (1..=last).collect::<Vec<_>>(), "{r}");
    }
});

/// Node 22+ has a global WebSocket; Node 20 has it behind a flag.
fn node_websocket_flag() -> Vec<&'static str> {
    let has = |flag: &[&'static str]| {
        Command::new("node")
            .args(flag)
            .args([
                "-e",
                "process.exit(typeof WebSocket === 'function' ? 0 : 1)",
            ])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !has(&[]) && has(&["--experimental-websocket"]) {
        vec!["--experimental-websocket"]
    } else {
        vec![]
    }
}

/// The committed SDKs are what the generators make from the committed spec.
#[test]
fn committed_sdks_match_the_spec() {
    let tools = sdk_venv().join("bin/openapi-python-client").exists()
        && ts_dir()
            .join("node_modules/.bin/openapi-typescript")
            .exists();
    if !available(
        "the SDK generators (scripts/generate-sdks.sh installs them)",
        tools,
    ) {
        return;
    }
    let out = Command::new(Path::new(ROOT).join("scripts/generate-sdks.sh"))
        .arg("--check")
        .env("VOXFLOW_SDK_VENV", sdk_venv())
        .output()
        .expect("run scripts/generate-sdks.sh");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
