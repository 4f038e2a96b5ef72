//! One admission path (`engine::admission`): the processing quota reserved at admission and
//! settled when a job ends, whatever way; parallel submissions; the OpenAI routes under
//! the same quota and concurrency limit.

use crate::api_test;
use crate::helpers::{spawn_app_with, wav, Backend, Cred, TestApp, World};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};
use voxflow::engine::queue::{self, ClaimOptions, JobState};
use voxflow::store::repo::{reservations, usage};
use voxflow::store::{self, StoreError};
use voxflow::tenancy::Scope;

/// Bytes of 16 kHz 16-bit mono silence per second.
const SECOND: u32 = 32_000;

fn decode_vad() -> Value {
    json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "vad", "type": "vad.silero", "data": {"params": {}}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "vad", "targetHandle": "audio"}
        ]
    })
}

/// Uploads `secs` seconds of silence; returns the file id.
async fn upload_secs(app: &TestApp, token: &str, secs: u32) -> String {
    let r = app
        .upload(Cred::Bearer(token), "silence.wav", wav(secs * SECOND))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id()
}

async fn set_minutes(app: &TestApp, w: &World, minutes: i32) {
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"processing_quota_minutes": minutes}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn submit(app: &TestApp, token: &str, file: &str) -> crate::helpers::Response {
    app.post(
        "/v1/jobs",
        token,
        json!({"graph": decode_vad(), "inputs": {"src": file}}),
    )
    .await
}

async fn transcribe(app: &TestApp, key: &str, audio: Vec<u8>) -> (StatusCode, Value) {
    let form = Form::new()
        .part("file", Part::bytes(audio).file_name("a.wav"))
        .text("model", "whisper-1");
    let res = app
        .client
        .post(format!("{}/v1/audio/transcriptions", app.base))
        .bearer_auth(key)
        .multipart(form)
        .send()
        .await
        .expect("send");
    let status = res.status();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Claims the tenant's next job as a worker would, records that its `src` node finished
/// having processed `secs` of audio, and ends the attempt with `end`.
async fn run_by_hand(
    app: &TestApp,
    secs: f64,
    end: impl FnOnce(&mut store::DbConn, &queue::ClaimedJob) -> Result<(), StoreError> + Send + 'static,
) -> String {
    app.store
        .write(Scope::System, move |c| {
            let opts = ClaimOptions {
                worker_id: "test".into(),
                lease: chrono::TimeDelta::seconds(60),
                default_tenant_concurrency: 2,
            };
            let job = queue::claim(c, &opts)?.expect("a job to claim");
            let row = voxflow::store::repo::jobs::get(c, &Scope::System, &job.id)?.expect("row");
            job.node_state(c, "src", "running", None)?;
            job.node_state(c, "src", "succeeded", None)?;
            usage::insert(
                c,
                &usage::UsageRow {
                    id: store::new_id(),
                    tenant_id: row.tenant_id.clone(),
                    user_id: row.user_id.clone(),
                    job_id: Some(job.id.clone()),
                    resource_type: "node_audio".into(),
                    amount_milli: (secs * 1000.0) as i64,
                    unit: "audio_seconds".into(),
                    recorded_at: store::now(),
                    node_id: Some("src".into()),
                    node_kind: Some("audio.decode".into()),
                },
            )?;
            end(c, &job)?;
            Ok(job.id)
        })
        .await
        .expect("run by hand")
}

api_test!(
    a_tenant_without_minutes_gets_402_on_the_openai_routes_too,
    |app| {
        let w = app.world().await;
        set_minutes(&app, &w, 0).await;
        let file = upload_secs(&app, &w.a_member.1, 2).await;
        let r = submit(&app, &w.a_member.1, &file).await;
        assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "{}", r.body);
        assert_eq!(r.code(), "quota_exceeded");
        let (status, body) = transcribe(&app, &w.a_key.1, wav(2 * SECOND)).await;
        assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{body}");
        assert_eq!(body["error"]["code"], "quota_exceeded", "{body}");
        // Tenant B (no quota) is not affected.
        let (status, body) = transcribe(&app, &w.b_key.1, wav(2 * SECOND)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
);

api_test!(
    parallel_submissions_pass_only_as_far_as_the_quota_goes,
    |app| {
        let w = app.world().await;
        set_minutes(&app, &w, 1).await;
        // 20 s each: three fit in a minute, the other five of eight must not.
        let file = upload_secs(&app, &w.a_member.1, 20).await;
        let results =
            futures_util::future::join_all((0..8).map(|_| submit(&app, &w.a_member.1, &file)))
                .await;
        let accepted = results
            .iter()
            .filter(|r| r.status == StatusCode::ACCEPTED)
            .count();
        let refused = results
            .iter()
            .filter(|r| r.status == StatusCode::PAYMENT_REQUIRED && r.code() == "quota_exceeded")
            .count();
        assert_eq!(
            (accepted, refused),
            (3, 5),
            "{:?}",
            results.iter().map(|r| &r.body).collect::<Vec<_>>()
        );
        // The accepted ones run and are billed 20 s each: nothing more fits this month.
        for r in results.iter().filter(|r| r.status == StatusCode::ACCEPTED) {
            let job = crate::jobs::wait_for(&app, &w.a_member.1, &r.id(), |_| false).await;
            assert_eq!(job["status"], "succeeded", "{job}");
            assert_eq!(job["audio_seconds"], 20.0, "{job}");
        }
        let small = upload_secs(&app, &w.a_member.1, 1).await;
        let r = submit(&app, &w.a_member.1, &small).await;
        assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "{}", r.body);
    }
);

/// Settlement checks shared by the cancelled and failed cases: the job was billed the 10 s
/// its finished node measured (not its 20 s reservation, not nothing), and its reservation
/// is free: 50 s fit afterwards, and then nothing more.
async fn assert_billed_ten_seconds_and_released(app: &TestApp, w: &World, job_id: &str) {
    let job = app.get(&format!("/v1/jobs/{job_id}"), &w.a_member.1).await;
    assert_eq!(job.body["audio_seconds"], 10.0, "{}", job.body);
    let fifty = upload_secs(app, &w.a_member.1, 50).await;
    let r = submit(app, &w.a_member.1, &fifty).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let one = upload_secs(app, &w.a_member.1, 1).await;
    let r = submit(app, &w.a_member.1, &one).await;
    assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_cancelled_after_a_node_finished_is_billed_for_it() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app_with(backend, |s| s.workers = 0).await else {
            continue;
        };
        let w = app.world().await;
        set_minutes(&app, &w, 1).await;
        let file = upload_secs(&app, &w.a_member.1, 20).await;
        let r = submit(&app, &w.a_member.1, &file).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let id = r.id();
        // A worker runs `src` (10 s of it, say a trimmed decode), then the tenant cancels
        // and the worker stops.
        let job_id = run_by_hand(&app, 10.0, |_, _| Ok(())).await;
        assert_eq!(job_id, id);
        let r = app
            .post(&format!("/v1/jobs/{id}/cancel"), &w.a_member.1, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let tenant_id = w.tenant_a.clone();
        app.store
            .write(Scope::System, move |c| {
                let job = queue::ClaimedJob {
                    id: job_id,
                    tenant_id,
                    attempt: 1,
                };
                job.finish(c, JobState::Cancelled, Some("cancelled"))
            })
            .await
            .expect("finish");
        let job = app.get(&format!("/v1/jobs/{id}"), &w.a_member.1).await;
        assert_eq!(job.body["status"], "cancelled", "{}", job.body);
        assert_billed_ten_seconds_and_released(&app, &w, &id).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_job_is_billed_and_its_reservation_released_and_retries_are_admitted() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app_with(backend, |s| s.workers = 0).await else {
            continue;
        };
        let w = app.world().await;
        set_minutes(&app, &w, 1).await;
        let file = upload_secs(&app, &w.a_member.1, 20).await;
        let r = app
            .post(
                "/v1/jobs",
                &w.a_member.1,
                json!({"graph": decode_vad(), "inputs": {"src": file}, "max_attempts": 2}),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let id = r.id();
        // A runtime fault: the job goes back to `retrying` under its one reservation.
        let job_id = run_by_hand(&app, 10.0, |c, j| {
            j.fail_attempt(c, "boom", true, 2).map(|_| ())
        })
        .await;
        let (held, job_id) = app
            .store
            .read(Scope::System, move |c| {
                Ok((reservations::for_job(c, &job_id)?, job_id))
            })
            .await
            .expect("read");
        assert_eq!(held.expect("reservation").held_milli, 20_000);
        // The next attempt fails for good.
        app.store
            .write(Scope::System, move |c| {
                // Claimed again as a worker would (attempt 2), then failed.
                let opts = ClaimOptions {
                    worker_id: "test".into(),
                    lease: chrono::TimeDelta::seconds(60),
                    default_tenant_concurrency: 2,
                };
                diesel_set_run_after_now(c, &job_id)?;
                let again = queue::claim(c, &opts)?.expect("claim the retry");
                again.fail_attempt(c, "boom again", false, 2).map(|_| ())
            })
            .await
            .expect("fail");
        let job = app.get(&format!("/v1/jobs/{id}"), &w.a_member.1).await;
        assert_eq!(job.body["status"], "failed", "{}", job.body);
        // A manual retry is admitted again: it needs the 10 s not yet billed, and 50 s
        // are left, so it passes (the 402 case is below). Cancelled while queued, it
        // releases that again.
        let r = app
            .post(&format!("/v1/jobs/{id}/retry"), &w.a_member.1, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let r = app
            .post(&format!("/v1/jobs/{id}/cancel"), &w.a_member.1, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        assert_billed_ten_seconds_and_released(&app, &w, &id).await;
        // Quota used up: a retry is refused like a new job.
        let r = app
            .post(&format!("/v1/jobs/{id}/retry"), &w.a_member.1, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "{}", r.body);
        assert_eq!(r.code(), "quota_exceeded");
    }
}

/// Makes a `retrying` job claimable now (skips its backoff).
fn diesel_set_run_after_now(c: &mut store::DbConn, id: &str) -> Result<(), StoreError> {
    use diesel::prelude::*;
    use voxflow::store::schema::jobs::dsl as j;
    diesel::update(j::jobs.filter(j::id.eq(id.to_string())))
        .set(j::run_after.eq(Some(store::now() - chrono::TimeDelta::seconds(1))))
        .execute(c)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_requests_share_the_tenant_concurrency_limit_and_get_429_at_it() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app_with(backend, |s| s.tenant_job_concurrency = 1).await else {
            continue;
        };
        let w = app.world().await;
        // One request of tenant A in flight (its slot, as admission takes it).
        let tenant = w.tenant_a.clone();
        let slot = app
            .store
            .write(Scope::System, move |c| {
                let row = reservations::ReservationRow {
                    id: store::new_id(),
                    tenant_id: tenant,
                    job_id: None,
                    kind: "transcription".into(),
                    amount_milli: 1000,
                    held_milli: 1000,
                    created_at: store::now(),
                    expires_at: Some(store::now() + chrono::TimeDelta::seconds(30)),
                    settled_at: None,
                };
                reservations::insert(c, &row)?;
                Ok(row.id)
            })
            .await
            .expect("slot");
        let (status, body) = transcribe(&app, &w.a_key.1, wav(SECOND)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(
            body["error"]["code"], "too_many_concurrent_requests",
            "{body}"
        );
        assert_eq!(body["error"]["type"], "rate_limit_error", "{body}");
        // Another tenant is not held back by A's limit.
        let (status, body) = transcribe(&app, &w.b_key.1, wav(SECOND)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // A's job waits in the queue while the request holds the slot…
        let file = upload_secs(&app, &w.a_member.1, 1).await;
        let r = submit(&app, &w.a_member.1, &file).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let id = r.id();
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let job = app.get(&format!("/v1/jobs/{id}"), &w.a_member.1).await;
        assert_eq!(job.body["status"], "queued", "{}", job.body);
        // …and runs once it is freed; then A's requests pass again and free their slot.
        app.store
            .write(Scope::System, move |c| reservations::delete(c, &slot))
            .await
            .expect("free");
        let job = crate::jobs::wait_for(&app, &w.a_member.1, &id, |_| false).await;
        assert_eq!(job["status"], "succeeded", "{job}");
        let (status, body) = transcribe(&app, &w.a_key.1, wav(SECOND)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let tenant = w.tenant_a.clone();
        let live = app
            .store
            .read(Scope::System, move |c| {
                reservations::live_transcriptions(c, &tenant, store::now())
            })
            .await
            .expect("count");
        assert_eq!(live, 0);
    }
}

/// A URL input's length is unknown at admission: once fetched, its audio joins the job's
/// reservation, and a job whose URL audio does not fit fails with the quota's message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn url_inputs_are_reserved_once_fetched() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app_with(backend, |s| s.url_allow_private = true).await else {
            eprintln!("skipped {backend:?}: VOXFLOW_TEST_PG_URL is not set");
            continue;
        };
        let w = app.world().await;
        set_minutes(&app, &w, 1).await;
        let url_of = |secs: u32| {
            let port = crate::jobs::serve_file(wav(secs * SECOND));
            format!("http://127.0.0.1:{port}/silence.wav")
        };
        // 80 s: accepted (nothing known yet), refused by the quota once fetched.
        let r = app
            .post(
                "/v1/jobs",
                &w.a_member.1,
                json!({"graph": decode_vad(), "inputs": {"src": url_of(80)}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{backend:?}: {}", r.body);
        let job = crate::jobs::wait_for(&app, &w.a_member.1, &r.id(), |_| false).await;
        assert_eq!(job["status"], "failed", "{backend:?}: {job}");
        assert!(
            job["error"].as_str().is_some_and(|e| e.contains("quota")),
            "{backend:?}: {job}"
        );
        assert!(job["audio_seconds"].is_null(), "nothing billed: {job}");
        // 20 s fits: reserved when fetched, billed when done.
        let r = app
            .post(
                "/v1/jobs",
                &w.a_member.1,
                json!({"graph": decode_vad(), "inputs": {"src": url_of(20)}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{backend:?}: {}", r.body);
        let job = crate::jobs::wait_for(&app, &w.a_member.1, &r.id(), |_| false).await;
        assert_eq!(job["status"], "succeeded", "{backend:?}: {job}");
        assert_eq!(job["audio_seconds"], 20.0, "{backend:?}: {job}");
    }
}

/// A client that hangs up on `POST /v1/audio/transcriptions` stops its work: the decode and
/// Whisper stop at their next checkpoint (`voxflow_transcriptions_cancelled_total`), and the
/// tenant's concurrency slot is freed at once, long before the transcription would have
/// ended.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_openai_client_that_disconnects_cancels_its_transcription_and_frees_its_slot() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await.expect("app");
    let w = app.world().await;
    // Three minutes of speech: the base model takes far longer than this test waits.
    let dir = tempfile::tempdir().expect("tempdir");
    let (one, long) = (dir.path().join("one.wav"), dir.path().join("long.wav"));
    crate::helpers::speak(
        "The quick brown fox jumps over the lazy dog, and then it runs far away into the woods.",
        "en-us",
        &one,
    );
    let status = std::process::Command::new("sox")
        .arg(&one)
        .args(["-r", "16000", "-c", "1"])
        .arg(&long)
        .args(["repeat", "36"])
        .status()
        .expect("sox");
    assert!(status.success());
    let audio = std::fs::read(&long).expect("long clip");
    let metric = |text: &str, name: &str| -> i64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or(-1)
    };
    let metrics = || async {
        app.client
            .get(format!("{}/metrics", app.base))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text")
    };
    let request = {
        let (client, base, key) = (app.client.clone(), app.base.clone(), w.a_key.1.clone());
        tokio::spawn(async move {
            let form = Form::new()
                .part("file", Part::bytes(audio).file_name("long.wav"))
                .text("model", "base");
            client
                .post(format!("{base}/v1/audio/transcriptions"))
                .bearer_auth(key)
                .multipart(form)
                .send()
                .await
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while metric(&metrics().await, "voxflow_transcriptions_running") != 1 {
        assert!(std::time::Instant::now() < deadline, "never started");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let tenant = w.tenant_a.clone();
    let live = || {
        let tenant = tenant.clone();
        app.store.read(Scope::System, move |c| {
            reservations::live_transcriptions(c, &tenant, store::now())
        })
    };
    assert_eq!(live().await.expect("count"), 1, "the request holds a slot");
    // Hang up: dropping the request closes its connection.
    request.abort();
    let _ = request.await;
    let hung_up = std::time::Instant::now();
    loop {
        let text = metrics().await;
        if metric(&text, "voxflow_transcriptions_running") == 0 {
            assert_eq!(
                metric(&text, "voxflow_transcriptions_cancelled_total"),
                1,
                "stopped early, not finished: {text}"
            );
            break;
        }
        assert!(
            hung_up.elapsed() < std::time::Duration::from_secs(20),
            "the transcription kept running after the client left"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while live().await.expect("count") != 0 {
        assert!(std::time::Instant::now() < deadline, "slot not freed");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The service keeps answering, and the tenant may transcribe again.
    let (status, body) = transcribe(&app, &w.a_key.1, wav(SECOND)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
