//! Webhooks: signed POSTs when jobs finish, retried with backoff, logged per delivery.

use crate::helpers::{spawn_app_with, Backend};
use crate::jobs::{submit_with, upload_speech, vad_whisper_srt, wait_for};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Sha256;
use std::io::{BufRead, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A loopback receiver: answers 500 to the first request on each path, then 200.
fn receiver() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut s = stream;
            let mut reader = std::io::BufReader::new(s.try_clone().expect("clone"));
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .to_string();
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) <= 2 {
                    break;
                }
                if let Some((k, v)) = line.trim_end().split_once(':') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            let len = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            let _ = reader.read_exact(&mut body);
            let first = !log
                .lock()
                .expect("lock")
                .iter()
                .any(|r: &Received| r.path == path);
            log.lock().expect("lock").push(Received {
                path,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            let status = if first {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            let _ = s.write_all(
                format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
    });
    (port, seen)
}

fn verify(secret: &str, r: &Received) {
    let sig = r.header("voxflow-signature").expect("signature header");
    let (t, v1) = sig.split_once(",v1=").expect("t=…,v1=…");
    let t = t.strip_prefix("t=").expect("t=");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{t}.{}", r.body).as_bytes());
    assert_eq!(
        v1,
        hex::encode(mac.finalize().into_bytes()),
        "signature of {}",
        r.path
    );
    let age = chrono::Utc::now().timestamp() - t.parse::<i64>().expect("unix time");
    assert!((0..120).contains(&age));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finished_jobs_are_announced_signed_and_retried() {
    let (port, seen) = receiver();
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.url_allow_private = true;
        s.webhook_retry_base_secs = 1;
    })
    .await
    .expect("app");
    let w = app.world().await;
    let hook = app
        .post(
            "/v1/webhooks",
            &w.a_admin.1,
            json!({"url": format!("http://127.0.0.1:{port}/tenant"), "events": ["job.succeeded"]}),
        )
        .await;
    assert_eq!(hook.status, StatusCode::CREATED, "{}", hook.body);
    let endpoint_secret = hook.body["secret"].as_str().expect("secret").to_string();
    let listed = app.get("/v1/webhooks", &w.a_member.1).await;
    assert!(
        listed.body["items"][0].get("secret").is_none(),
        "secrets are shown once"
    );

    let file = upload_speech(&app, &w.a_member.1, "webhooks are delivered").await;
    let submitted = submit_with(&app, &w.a_member.1, json!({"graph": vad_whisper_srt("tiny.en"), "inputs": {"src": file}, "webhook_url": format!("http://127.0.0.1:{port}/job")})).await;
    let id = submitted["id"].as_str().expect("id").to_string();
    let job_secret = submitted["webhook_secret"]
        .as_str()
        .expect("a per-job secret")
        .to_string();
    assert_eq!(
        wait_for(&app, &w.a_member.1, &id, |_| false).await["status"],
        "succeeded"
    );

    // Both targets: first attempt answered 500, the retry 200.
    let started = Instant::now();
    let deliveries = loop {
        let log = app
            .get(
                &format!("/v1/webhooks/deliveries?job_id={id}"),
                &w.a_member.1,
            )
            .await;
        let items = log.body["items"].as_array().expect("items").clone();
        if items.len() == 2 && items.iter().all(|d| d["status"] == "delivered") {
            break items;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "deliveries: {}",
            log.body
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    for d in &deliveries {
        assert_eq!(d["attempts"], 2, "{d}");
        assert_eq!(d["last_status"], 200);
        assert_eq!(d["event_type"], "job.succeeded");
    }
    let received = seen.lock().expect("lock").clone();
    for (path, secret) in [("/job", &job_secret), ("/tenant", &endpoint_secret)] {
        let hits: Vec<&Received> = received.iter().filter(|r| r.path == path).collect();
        assert_eq!(hits.len(), 2, "{path}: one failed attempt, one success");
        for r in hits {
            verify(secret, r);
            assert_eq!(r.header("voxflow-event"), Some("job.succeeded"));
            let body: Value = serde_json::from_str(&r.body).expect("json");
            assert_eq!(body["job"]["id"], id.as_str());
            assert_eq!(body["job"]["status"], "succeeded");
        }
    }
    // Tenant B sees none of it and cannot delete A's endpoint.
    let b = app
        .get(
            &format!("/v1/webhooks/deliveries?job_id={id}"),
            &w.b_member.1,
        )
        .await;
    assert_eq!(b.body["items"].as_array().expect("items").len(), 0);
    let hook_id = hook.body["id"].as_str().expect("id");
    assert_eq!(
        app.delete(&format!("/v1/webhooks/{hook_id}"), &w.b_admin.1)
            .await
            .code(),
        "webhook_not_found"
    );
    assert_eq!(
        app.delete(&format!("/v1/webhooks/{hook_id}"), &w.a_admin.1)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_targets_pass_the_ssrf_guard() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await.expect("app");
    let w = app.world().await;
    let r = app
        .post(
            "/v1/webhooks",
            &w.a_admin.1,
            json!({"url": "http://169.254.169.254/hook"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "url");
    let r = app
        .post(
            "/v1/webhooks",
            &w.a_admin.1,
            json!({"url": "https://example.invalid/x", "events": ["job.exploded"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let file = upload_speech(&app, &w.a_member.1, "hi").await;
    let r = app.post("/v1/jobs", &w.a_member.1, json!({"graph": vad_whisper_srt("tiny.en"), "inputs": {"src": file}, "webhook_url": "http://127.0.0.1:9/x"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "webhook_url");
}
