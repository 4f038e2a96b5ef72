//! What the log says about a user's bad input: not an `ERROR` (nothing for an operator to
//! do), but an `INFO` line inside the request or job span naming the request id, tenant
//! and job. The test installs the process-wide subscriber with the service's own filter
//! (`voxflow::telemetry::filter`), capturing every line; it is skipped if another
//! subscriber was installed first.

use crate::helpers::{spawn_app_with, Backend, Cred};
use crate::jobs::{vad_whisper_srt, wait_for};
use reqwest::StatusCode;
use serde_json::json;
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The captured log (installed once per test process), if this test could install it.
fn captured() -> Option<Sink> {
    static LOG: OnceLock<Option<Sink>> = OnceLock::new();
    LOG.get_or_init(|| {
        let sink = Sink(Arc::default());
        let writer = sink.clone();
        tracing_subscriber::fmt()
            .with_env_filter(voxflow::telemetry::filter())
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init()
            .is_ok()
            .then_some(sink)
    })
    .clone()
}

fn lines(sink: &Sink) -> Vec<String> {
    String::from_utf8_lossy(&sink.0.lock().expect("log"))
        .lines()
        .map(str::to_string)
        .collect()
}

/// 67 bytes that look like MP3 to the upload check (an ID3v2 tag header) and hold no audio:
/// the decoder's probe reads to the end without finding a stream.
fn corrupt_audio() -> Vec<u8> {
    let mut v = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    v.resize(67, b'U');
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_audio_is_logged_as_the_users_fault_with_request_job_and_tenant() {
    let Some(sink) = captured() else {
        eprintln!("skipped: another tracing subscriber is installed");
        return;
    };
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await.expect("app");
    let w = app.world().await;

    // The OpenAI route: a 400 to the caller, an INFO line in the request's span.
    let request_id = format!("log-test-{}", uuid::Uuid::new_v4().simple());
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(corrupt_audio()).file_name("cut.mp3"),
    );
    let res = app
        .client
        .post(format!("{}/v1/audio/transcriptions", app.base))
        .bearer_auth(&w.a_member.1)
        .header("x-request-id", &request_id)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // A job: it fails, and the log names the job and tenant.
    let up = app
        .upload(Cred::Bearer(&w.a_member.1), "cut.mp3", corrupt_audio())
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let r = app
        .post(
            "/v1/jobs",
            &w.a_member.1,
            json!({"graph": vad_whisper_srt("tiny.en"), "inputs": {"src": up.id()}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = r.id();
    assert_eq!(
        wait_for(&app, &w.a_member.1, &job, |_| false).await["status"],
        "failed"
    );

    let log = lines(&sink);
    let errors: Vec<&String> = log
        .iter()
        .filter(|l| l.contains("ERROR"))
        .filter(|l| l.contains("probe") || l.contains(&request_id) || l.contains(&job))
        .collect();
    assert!(
        errors.is_empty(),
        "user faults logged as errors: {errors:#?}"
    );
    let tenant = format!("tenant_id={}", w.tenant_a);
    let refused = log
        .iter()
        .find(|l| l.contains("transcription refused (input)") && l.contains(&request_id));
    let refused = refused.unwrap_or_else(|| panic!("no line for request {request_id}: {log:#?}"));
    assert!(
        refused.contains(" INFO ") && refused.contains(&tenant),
        "{refused}"
    );
    let failed = log
        .iter()
        .find(|l| l.contains("node failed (input)") && l.contains(&job));
    let failed = failed.unwrap_or_else(|| panic!("no line for job {job}: {log:#?}"));
    assert!(
        failed.contains(" INFO ") && failed.contains(&tenant),
        "{failed}"
    );
}
