//! Webhooks: signed POSTs when jobs finish, retried with backoff, logged per delivery.

use crate::helpers::{spawn_app_with, Backend, Cred, TestApp};
use crate::jobs::{submit_with, upload_speech, vad_whisper_srt, wait_for};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use reqwest::Method;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Sha256;
use std::io::{BufRead, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
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
    receiver_with(true)
}

/// A loopback receiver answering 200 (or, with `fail_first`, 500 to the first request on
/// each path).
fn receiver_with(fail_first: bool) -> (u16, Arc<Mutex<Vec<Received>>>) {
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
            let status = if first && fail_first {
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

/// Runs the body on SQLite and PostgreSQL with private URLs allowed (the receivers listen
/// on loopback) and a 1 s retry base.
macro_rules! webhook_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = spawn_app_with(Backend::Sqlite, |s| {
                    s.url_allow_private = true;
                    s.webhook_retry_base_secs = 1;
                })
                .await
                .expect("sqlite app");
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = spawn_app_with(Backend::Postgres, |s| {
                    s.url_allow_private = true;
                    s.webhook_retry_base_secs = 1;
                })
                .await
                else {
                    eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
                    return;
                };
                $body
            }
        }
    };
}

/// A loopback listener that accepts connections and never answers (holding them open);
/// returns its port and how many connections it accepted.
fn hanging_listener() -> (u16, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (port, accepted)
}

/// A job of `token`'s tenant brought to a final state quickly (submitted, then cancelled);
/// `extra` adds fields to the submission (e.g. `webhook_url`). Returns (id, answer).
async fn finished_job(app: &TestApp, token: &str, extra: Value) -> (String, Value) {
    let upload = app
        .upload(Cred::Bearer(token), "s.wav", crate::helpers::wav(3200))
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{}", upload.body);
    let mut body = json!({"graph": vad_whisper_srt("tiny.en"), "inputs": {"src": upload.id()}});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let submitted = submit_with(app, token, body).await;
    let id = submitted["id"].as_str().expect("id").to_string();
    let _ = app
        .post(&format!("/v1/jobs/{id}/cancel"), token, json!({}))
        .await;
    let job = wait_for(app, token, &id, |_| false).await;
    assert!(
        ["cancelled", "succeeded", "failed"].contains(&job["status"].as_str().unwrap_or("")),
        "{job}"
    );
    (id, submitted)
}

async fn deliveries(app: &TestApp, token: &str, job: &str) -> Vec<Value> {
    let r = app
        .get(&format!("/v1/webhooks/deliveries?job_id={job}"), token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["items"].as_array().expect("items").clone()
}

fn time(v: &Value) -> chrono::DateTime<chrono::Utc> {
    v.as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| panic!("not a time: {v}"))
}

// Tenant A registers as many endpoints as it may (20), all hanging; tenant B's one endpoint
// answers. A's deliveries fill only A's slots: B's is delivered within a few seconds.
webhook_test!(a_tenant_whose_endpoints_hang_delays_only_itself, |app| {
    let (hang_port, accepted) = hanging_listener();
    let (ok_port, seen) = receiver_with(false);
    let w = app.world().await;
    for i in 0..20 {
        let r = app
            .post(
                "/v1/webhooks",
                &w.a_admin.1,
                json!({"url": format!("http://127.0.0.1:{hang_port}/a{i}")}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "endpoint {i}: {}", r.body);
    }
    // The 21st is refused with a clear problem; B's count is its own.
    let r = app
        .post(
            "/v1/webhooks",
            &w.a_member.1,
            json!({"url": format!("http://127.0.0.1:{hang_port}/a20")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.code(), "webhook_limit_reached");
    assert!(
        r.body["detail"].as_str().unwrap_or("").contains("20"),
        "{}",
        r.body
    );
    let listed = app.get("/v1/webhooks", &w.a_member.1).await;
    assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(20));
    let r = app
        .post(
            "/v1/webhooks",
            &w.b_admin.1,
            json!({"url": format!("http://127.0.0.1:{ok_port}/b")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // A's job ends: 20 deliveries to endpoints that accept and never answer.
    let (a_job, _) = finished_job(&app, &w.a_member.1, json!({})).await;
    assert_eq!(deliveries(&app, &w.a_member.1, &a_job).await.len(), 20);
    let started = Instant::now();
    while accepted.load(Ordering::SeqCst) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "A's deliveries never started"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let a_started = Instant::now();

    // B's job ends while A's attempts hang: B's delivery goes out at once.
    let (b_job, _) = finished_job(&app, &w.b_member.1, json!({})).await;
    let delivered = loop {
        let items = deliveries(&app, &w.b_member.1, &b_job).await;
        assert_eq!(items.len(), 1, "{items:?}");
        if items[0]["status"] == "delivered" {
            break items[0].clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "B's delivery is stuck behind A's: {}",
            items[0]
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let waited = time(&delivered["delivered_at"]) - time(&delivered["created_at"]);
    assert!(
        waited < chrono::TimeDelta::seconds(4),
        "B waited {waited} for its delivery"
    );
    assert_eq!(delivered["attempts"], 1, "{delivered}");
    assert_eq!(seen.lock().expect("lock").len(), 1);
    // Meanwhile A had at most its own share in flight (2 by default), until they time out.
    if a_started.elapsed() < Duration::from_secs(9) {
        assert!(
            accepted.load(Ordering::SeqCst) <= 2,
            "A ran {} attempts at once",
            accepted.load(Ordering::SeqCst)
        );
    }
    // A's hanging attempts end at the attempt timeout (10 s by default) and are retried.
    let timed_out = loop {
        let items = deliveries(&app, &w.a_member.1, &a_job).await;
        if let Some(d) = items.iter().find(|d| !d["last_error"].is_null()) {
            break d.clone();
        }
        assert!(
            a_started.elapsed() < Duration::from_secs(40),
            "no attempt of A ended: {items:?}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(timed_out["status"], "pending", "{timed_out}");
    assert!(
        timed_out["last_error"]
            .as_str()
            .unwrap_or("")
            .contains("imeout")
            || timed_out["last_error"]
                .as_str()
                .unwrap_or("")
                .contains("timed out"),
        "{timed_out}"
    );
});

/// Runs `sql` (one text column named `v`) straight on the database, in system scope.
async fn raw_texts(app: &TestApp, sql: String) -> Vec<Option<String>> {
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        v: Option<String>,
    }
    let (url, backend) = (app.database_url.clone(), app.backend);
    tokio::task::spawn_blocking(move || match backend {
        Backend::Sqlite => {
            let mut c =
                SqliteConnection::establish(url.trim_start_matches("sqlite://")).expect("sqlite");
            diesel::sql_query(sql).load::<V>(&mut c)
        }
        Backend::Postgres => {
            let mut c = PgConnection::establish(&url).expect("pg");
            c.transaction(|c| {
                c.batch_execute("SELECT set_config('voxflow.scope', 'system', true)")?;
                diesel::sql_query(sql).load::<V>(c)
            })
        }
    })
    .await
    .expect("join")
    .expect("query")
    .into_iter()
    .map(|r| r.v)
    .collect()
}

/// Executes `sql` straight on the database, in system scope.
async fn raw_exec(app: &TestApp, sql: String) {
    let (url, backend) = (app.database_url.clone(), app.backend);
    tokio::task::spawn_blocking(move || match backend {
        Backend::Sqlite => {
            let mut c =
                SqliteConnection::establish(url.trim_start_matches("sqlite://")).expect("sqlite");
            c.batch_execute(&sql)
        }
        Backend::Postgres => {
            let mut c = PgConnection::establish(&url).expect("pg");
            c.transaction(|c| {
                c.batch_execute("SELECT set_config('voxflow.scope', 'system', true)")?;
                c.batch_execute(&sql)
            })
        }
    })
    .await
    .expect("join")
    .expect("exec");
}

fn sealing(app: &TestApp) -> voxflow::auth::sealing::SecretBox {
    let material =
        std::fs::read_to_string(app.data_dir().join("secrets_key")).expect("secrets key");
    voxflow::auth::sealing::SecretBox::new(material.trim().as_bytes())
}

async fn wait_delivered(app: &TestApp, token: &str, job: &str, n: usize) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let items = deliveries(app, token, job).await;
        if items.len() == n && items.iter().all(|d| d["status"] == "delivered") {
            return items;
        }
        assert!(started.elapsed() < Duration::from_secs(40), "{items:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

// Signing secrets are stored sealed (endpoints, jobs, deliveries), bound to their row; a
// plaintext secret from before still signs, and start-up sealing turns it into a sealed one.
webhook_test!(
    webhook_secrets_are_sealed_at_rest_and_old_plaintext_rows_still_sign,
    |app| {
        let (port, seen) = receiver_with(false);
        let w = app.world().await;
        let hook = app
            .post(
                "/v1/webhooks",
                &w.a_admin.1,
                json!({"url": format!("http://127.0.0.1:{port}/tenant")}),
            )
            .await;
        assert_eq!(hook.status, StatusCode::CREATED, "{}", hook.body);
        let hook_id = hook.id();
        let endpoint_secret = hook.body["secret"].as_str().expect("secret").to_string();
        let stored = raw_texts(
            &app,
            format!("SELECT secret AS v FROM webhook_endpoints WHERE id = '{hook_id}'"),
        )
        .await;
        let stored = stored[0].clone().expect("secret");
        assert!(
            stored.starts_with("v1.") && !stored.contains(&endpoint_secret),
            "{stored}"
        );
        let boxed = sealing(&app);
        assert_eq!(
            boxed
                .open(
                    &stored,
                    &format!("webhook_endpoint:{}:{hook_id}", w.tenant_a)
                )
                .expect("opens for its row"),
            endpoint_secret
        );
        assert!(boxed
            .open(
                &stored,
                &format!("webhook_endpoint:{}:{hook_id}", w.tenant_b)
            )
            .is_err());

        let (job, submitted) = finished_job(
            &app,
            &w.a_member.1,
            json!({"webhook_url": format!("http://127.0.0.1:{port}/job")}),
        )
        .await;
        let job_secret = submitted["webhook_secret"]
            .as_str()
            .expect("job secret")
            .to_string();
        assert!(
            job_secret.starts_with("whsec_"),
            "shown in clear once: {job_secret}"
        );
        let stored_job = raw_texts(
            &app,
            format!("SELECT webhook_secret AS v FROM jobs WHERE id = '{job}'"),
        )
        .await;
        let stored_job = stored_job[0].clone().expect("sealed");
        assert!(stored_job.starts_with("v1.") && !stored_job.contains(&job_secret));
        wait_delivered(&app, &w.a_member.1, &job, 2).await;
        for s in raw_texts(
            &app,
            format!("SELECT secret AS v FROM webhook_deliveries WHERE job_id = '{job}'"),
        )
        .await
        {
            let s = s.expect("secret");
            assert!(s.starts_with("v1.") && !s.contains("whsec_"), "{s}");
        }
        {
            let received = seen.lock().expect("lock").clone();
            for (path, secret) in [("/job", &job_secret), ("/tenant", &endpoint_secret)] {
                let r = received.iter().find(|r| r.path == path).expect(path);
                verify(secret, r);
            }
        }

        // A row from before sealing: plaintext. It keeps signing…
        let legacy = "whsec_legacy0123456789abcdef";
        raw_exec(
            &app,
            format!("UPDATE webhook_endpoints SET secret = '{legacy}' WHERE id = '{hook_id}'"),
        )
        .await;
        let (job2, _) = finished_job(&app, &w.a_member.1, json!({})).await;
        wait_delivered(&app, &w.a_member.1, &job2, 1).await;
        let last = seen
            .lock()
            .expect("lock")
            .last()
            .cloned()
            .expect("received");
        assert_eq!(last.path, "/tenant");
        verify(legacy, &last);
        // …and start-up sealing seals it (endpoints, deliveries; jobs are sealed already).
        let sealed = app
            .store
            .write(voxflow::tenancy::Scope::System, move |c| {
                voxflow::webhooks::seal_legacy_secrets(c, &boxed)
            })
            .await
            .expect("seal");
        assert_eq!(sealed, 2, "the endpoint and its delivery");
        let stored = raw_texts(
            &app,
            format!("SELECT secret AS v FROM webhook_endpoints WHERE id = '{hook_id}'"),
        )
        .await;
        assert!(stored[0].as_deref().unwrap_or("").starts_with("v1."));
        let (job3, _) = finished_job(&app, &w.a_member.1, json!({})).await;
        wait_delivered(&app, &w.a_member.1, &job3, 1).await;
        let last = seen
            .lock()
            .expect("lock")
            .last()
            .cloned()
            .expect("received");
        verify(legacy, &last);
    }
);

async fn create_hook(app: &TestApp, token: &str, path: &str) -> String {
    let r = app
        .post(
            "/v1/webhooks",
            token,
            json!({"url": format!("http://127.0.0.1:9/{path}")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id()
}

// Members delete only the endpoints they registered; tenant admins delete any.
webhook_test!(members_delete_only_the_webhooks_they_registered, |app| {
    let w = app.world().await;
    let (_, member2) = app
        .create_user(&w.a_admin.1, "member2@a.test", "member", None, None)
        .await;
    let by_member = create_hook(&app, &w.a_member.1, "m").await;
    let by_admin = create_hook(&app, &w.a_admin.1, "a").await;
    let by_member2 = create_hook(&app, &member2, "m2").await;
    let legacy = create_hook(&app, &w.a_admin.1, "legacy").await;
    raw_exec(
        &app,
        format!("UPDATE webhook_endpoints SET created_by = NULL WHERE id = '{legacy}'"),
    )
    .await;

    for (who, cred, id) in [
        ("member2 on member's", Cred::Bearer(&member2), &by_member),
        ("member on admin's", Cred::Bearer(&w.a_member.1), &by_admin),
        (
            "member's API key on member2's",
            Cred::XApiKey(&w.a_key.1),
            &by_member2,
        ),
        (
            "member on an endpoint with no recorded owner",
            Cred::Bearer(&w.a_member.1),
            &legacy,
        ),
    ] {
        let r = app
            .call(Method::DELETE, &format!("/v1/webhooks/{id}"), cred, None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
        assert_eq!(r.code(), "forbidden");
    }
    let listed = app.get("/v1/webhooks", &w.a_admin.1).await;
    assert_eq!(
        listed.body["items"].as_array().map(Vec::len),
        Some(4),
        "nothing deleted"
    );
    // Their own: the member's key acts as the member.
    let r = app
        .call(
            Method::DELETE,
            &format!("/v1/webhooks/{by_member}"),
            Cred::XApiKey(&w.a_key.1),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        app.delete(&format!("/v1/webhooks/{by_member2}"), &member2)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    // The admin deletes any, the ownerless one included.
    for id in [&by_admin, &legacy] {
        assert_eq!(
            app.delete(&format!("/v1/webhooks/{id}"), &w.a_admin.1)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
    }
    let listed = app.get("/v1/webhooks", &w.a_admin.1).await;
    assert_eq!(listed.body["items"], json!([]));
    // A viewer deletes nothing.
    let r = app
        .delete(&format!("/v1/webhooks/{by_admin}"), &w.a_viewer.1)
        .await;
    assert_eq!(r.code(), "forbidden");
});
