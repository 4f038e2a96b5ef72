//! Bounds on what one client can make the service do (issue 11, points 3, 4 and 7): the
//! login throttle under concurrency, bounded password checks, the client address behind
//! proxies, multipart forms, graph sizes and storage quotas under concurrent uploads.

use crate::api_test;
use crate::helpers::{spawn_app_with, wav, Backend, Cred, TestApp, ADMIN_EMAIL, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Like `api_test!`, with the settings adjusted by `$tweak`.
macro_rules! api_test_with {
    ($name:ident, $tweak:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = spawn_app_with(Backend::Sqlite, $tweak)
                    .await
                    .expect("sqlite app");
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = spawn_app_with(Backend::Postgres, $tweak).await else {
                    eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
                    return;
                };
                $body
            }
        }
    };
}

/// The heavy tests (large bodies, memory figures) one at a time.
static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const MIB: usize = 1024 * 1024;

async fn login_from(
    app: &TestApp,
    email: &str,
    password: &str,
    xff: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .post(format!("{}/v1/auth/login", app.base))
        .json(&json!({"email": email, "password": password}));
    if let Some(x) = xff {
        req = req.header("x-forwarded-for", x);
    }
    let res = req.send().await.expect("login request");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A reseller admin `email` with the test password.
async fn account(app: &TestApp, email: &str) -> String {
    let reseller = app.create_reseller(&format!("R {email}")).await;
    app.create_user(
        &app.admin_token,
        email,
        "reseller_admin",
        None,
        Some(&reseller),
    )
    .await
    .0
}

// ---------------------------------------------------------------------------------------
// Point 3: the login throttle, password checks, client addresses
// ---------------------------------------------------------------------------------------

api_test!(
    concurrent_wrong_logins_are_counted_before_they_are_checked,
    |app| {
        account(&app, "race@throttle.test").await;
        let attempts =
            (0..100).map(|_| login_from(&app, "race@throttle.test", "wrong-password-x", None));
        let answers = futures_util::future::join_all(attempts).await;
        let unauthorized = answers
            .iter()
            .filter(|(s, _)| *s == StatusCode::UNAUTHORIZED)
            .count();
        assert!(
            unauthorized <= 5,
            "{unauthorized} wrong guesses were checked"
        );
        assert!(unauthorized >= 1);
        for (status, body) in &answers {
            if *status != StatusCode::UNAUTHORIZED {
                assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS, "{body}");
                let code = body["code"].as_str().unwrap_or("");
                assert!(
                    code == "too_many_login_attempts" || code == "too_many_concurrent_logins",
                    "{body}"
                );
            }
        }
        // Attempts refused while the password checks were busy were not counted: the account
        // takes exactly five wrong guesses in all, then refuses even the right password.
        let mut checked = unauthorized;
        loop {
            let (status, body) =
                login_from(&app, "race@throttle.test", "wrong-password-x", None).await;
            if status == StatusCode::TOO_MANY_REQUESTS {
                break;
            }
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
            checked += 1;
            assert!(checked <= 5, "more than five guesses checked");
        }
        assert_eq!(checked, 5);
        let (status, body) = login_from(&app, "race@throttle.test", PASSWORD, None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "locked now: {body}");
    }
);

api_test_with!(
    password_checks_beyond_the_bound_are_refused_not_queued,
    |s| {
        s.auth_concurrency = 1;
        s.login_max_failures = 100;
    },
    |app| {
        // Unknown accounts: each costs a full (dummy) password check.
        let attempts = (0..24).map(|i| {
            let app = &app;
            async move {
                let r = app
                    .client
                    .post(format!("{}/v1/auth/login", app.base))
                    .json(&json!({"email": format!("nobody{i}@bound.test"), "password": "whatever-1234"}))
                    .send()
                    .await
                    .expect("login");
                let status = r.status();
                let retry = r.headers().get("retry-after").is_some();
                let body: Value = r.json().await.unwrap_or(Value::Null);
                (status, retry, body["code"].as_str().unwrap_or("").to_string())
            }
        });
        let answers = futures_util::future::join_all(attempts).await;
        let busy: Vec<_> = answers
            .iter()
            .filter(|(s, _, _)| *s == StatusCode::TOO_MANY_REQUESTS)
            .collect();
        assert!(
            !busy.is_empty(),
            "24 checks at once with a bound of 1: {answers:?}"
        );
        for (status, retry, code) in &answers {
            match *status {
                StatusCode::UNAUTHORIZED => assert_eq!(code, "invalid_credentials"),
                StatusCode::TOO_MANY_REQUESTS => {
                    assert_eq!(code, "too_many_concurrent_logins");
                    assert!(retry, "Retry-After is sent");
                }
                other => panic!("unexpected {other}"),
            }
        }
        // Refused-while-busy attempts were not counted; the bound frees up again.
        let (status, body) = login_from(&app, ADMIN_EMAIL, PASSWORD, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
);

api_test!(
    a_suspended_account_answers_the_same_to_any_password,
    |app| {
        let id = account(&app, "suspended@same.test").await;
        let r = app
            .patch(
                &format!("/v1/users/{id}"),
                &app.admin_token,
                json!({"status": "suspended"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let right = login_from(&app, "suspended@same.test", PASSWORD, None).await;
        let wrong = login_from(&app, "suspended@same.test", "not-the-password", None).await;
        assert_eq!(right.0, StatusCode::FORBIDDEN, "{}", right.1);
        assert_eq!(right, wrong, "the answer says nothing about the password");

        let tenant = app
            .create_tenant(&app.admin_token, "Suspended T", None)
            .await;
        app.create_user(
            &app.admin_token,
            "member@suspended-t.test",
            "tenant_admin",
            Some(&tenant),
            None,
        )
        .await;
        let r = app
            .patch(
                &format!("/v1/tenants/{tenant}"),
                &app.admin_token,
                json!({"status": "suspended"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // A suspended tenant is read-only, not closed: the right password signs in, the
        // wrong one is refused as for anyone.
        let right = login_from(&app, "member@suspended-t.test", PASSWORD, None).await;
        let wrong = login_from(&app, "member@suspended-t.test", "not-the-password", None).await;
        assert_eq!(right.0, StatusCode::OK, "{}", right.1);
        assert_eq!(wrong.0, StatusCode::UNAUTHORIZED, "{}", wrong.1);
    }
);

/// The address the audit log recorded for the latest login of `user_id`.
async fn login_ip(app: &TestApp, user_id: &str) -> String {
    let r = app
        .get(
            &format!("/v1/audit-log?action=auth.login&target_id={user_id}&limit=1"),
            &app.admin_token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["items"][0]["ip"].as_str().unwrap_or("").to_string()
}

/// Failed logins for four accounts, each claiming another address; then a fifth.
async fn spray(app: &TestApp) -> StatusCode {
    for i in 0..4 {
        let (s, _) = login_from(
            app,
            &format!("spray{i}@proxy.test"),
            "wrong-password-x",
            Some(&format!("203.0.113.{i}")),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    login_from(
        app,
        "spray9@proxy.test",
        "wrong-password-x",
        Some("203.0.113.9"),
    )
    .await
    .0
}

api_test_with!(
    forwarded_for_is_ignored_by_default,
    |s| s.login_max_failures = 1,
    |app| {
        let id = account(&app, "direct@proxy.test").await;
        let (s, _) = login_from(&app, "direct@proxy.test", PASSWORD, Some("203.0.113.7")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            login_ip(&app, &id).await,
            "127.0.0.1",
            "a spoofed header is not believed"
        );
        // Every attempt counts for the peer: four failures (4 × 1) block the address.
        assert_eq!(spray(&app).await, StatusCode::TOO_MANY_REQUESTS);
    }
);

api_test_with!(
    forwarded_for_is_honoured_from_a_trusted_proxy,
    |s| {
        s.login_max_failures = 1;
        s.trusted_proxies = "127.0.0.1, 10.0.0.0/8".into();
    },
    |app| {
        let id = account(&app, "proxied@proxy.test").await;
        let (s, _) = login_from(
            &app,
            "proxied@proxy.test",
            PASSWORD,
            Some("6.6.6.6, 203.0.113.7, 10.1.2.3"),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            login_ip(&app, &id).await,
            "203.0.113.7",
            "the right-most address that is not a trusted proxy"
        );
        // Each client address has its own count now.
        assert_eq!(spray(&app).await, StatusCode::UNAUTHORIZED);
        // 203.0.113.0 failed once (spray0); three more accounts fill its limit of four.
        for i in 1..4 {
            let (s, _) = login_from(
                &app,
                &format!("other{i}@proxy.test"),
                "wrong-password-x",
                Some("203.0.113.0"),
            )
            .await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        let (s, _) = login_from(
            &app,
            "other9@proxy.test",
            "wrong-password-x",
            Some("6.6.6.6, 203.0.113.0"),
        )
        .await;
        assert_eq!(
            s,
            StatusCode::TOO_MANY_REQUESTS,
            "203.0.113.0 is at its limit"
        );
    }
);

// ---------------------------------------------------------------------------------------
// Raw HTTP, for bodies the server refuses before it has read them
// ---------------------------------------------------------------------------------------

/// Sends `body` on its own connection while reading the answer, so an answer that comes
/// before the body is sent is read, not lost to a reset. Returns (status, JSON body).
async fn raw_post(
    app: &TestApp,
    path: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> (u16, Value) {
    let addr = app.base.trim_start_matches("http://").to_string();
    let stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let (mut rd, mut wr) = stream.into_split();
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let writer = tokio::spawn(async move {
        if wr.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let mut sent = 0;
        for chunk in body.chunks(64 * 1024) {
            if let Err(e) = wr.write_all(chunk).await {
                eprintln!("raw_post: write failed after {sent} bytes: {e}");
                return;
            }
            sent += chunk.len();
        }
        // Keep the connection open (no half-close) until the answer is read.
        std::future::pending::<()>().await;
        drop(wr);
    });
    let mut buf = Vec::new();
    let mut tmp = vec![0u8; 64 * 1024];
    let parsed = loop {
        if let Some(r) = parse_response(&buf) {
            break Some(r);
        }
        match tokio::time::timeout(Duration::from_secs(60), rd.read(&mut tmp)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break parse_response(&buf),
            Ok(Ok(n)) => buf.extend_from_slice(&tmp[..n]),
            Err(_) => panic!("no answer within 60 s"),
        }
    };
    writer.abort();
    parsed.unwrap_or_else(|| panic!("no HTTP answer: {:?}", String::from_utf8_lossy(&buf)))
}

fn parse_response(buf: &[u8]) -> Option<(u16, Value)> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let status: u16 = head.split_whitespace().nth(1)?.parse().ok()?;
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let body = buf.get(end + 4..end + 4 + len)?;
    Some((status, serde_json::from_slice(body).unwrap_or(Value::Null)))
}

const BOUNDARY: &str = "vfBoundary7MA4YWxkTrZu0gW";

fn multipart_headers(token: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Authorization", format!("Bearer {token}")),
        (
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ),
    ]
}

/// `count` text fields named `name`, each holding `value`; no file, no closing boundary
/// unless `close`.
fn fields(name: &str, value: &str, count: usize, close: bool) -> Vec<u8> {
    let part = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
    );
    let mut body = part.repeat(count).into_bytes();
    if close {
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    }
    body
}

fn file_form(bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// This process's resident memory, in KiB (the service runs in-process).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------
// Point 4: multipart forms
// ---------------------------------------------------------------------------------------

api_test!(
    a_flood_of_form_fields_is_refused_in_bounded_time_and_memory,
    |app| {
        let _heavy = HEAVY.lock().await;
        let w = app.world().await;
        let key = w.a_key.1.clone();
        // 100,000 `timestamp_granularities[]` fields of 2 KiB each (about 210 MB).
        let flood = fields(
            "timestamp_granularities[]",
            &"w".repeat(2048),
            100_000,
            true,
        );
        let before = rss_kib();
        let started = Instant::now();
        let (status, body) = raw_post(
            &app,
            "/v1/audio/transcriptions",
            &multipart_headers(&key),
            flood,
        )
        .await;
        let elapsed = started.elapsed();
        let grown_mib = rss_kib().saturating_sub(before) / 1024;
        eprintln!("openai: 100,000 fields: {status} in {elapsed:?}, RSS +{grown_mib} MiB");
        assert_eq!(status, 413, "{body}");
        assert_eq!(body["error"]["code"], "too_many_fields", "{body}");
        assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
        assert!(grown_mib < 64, "RSS grew by {grown_mib} MiB");

        // POST /v1/files: the same flood of small fields.
        let started = Instant::now();
        let (status, body) = raw_post(
            &app,
            "/v1/files",
            &multipart_headers(&key),
            fields("note", "x", 100_000, true),
        )
        .await;
        eprintln!("files: 100,000 fields: {status} in {:?}", started.elapsed());
        assert_eq!(
            (status, body["code"].as_str()),
            (413, Some("too_many_form_fields")),
            "{body}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));

        // A preamble without line breaks is not buffered whole.
        let (status, body) = raw_post(
            &app,
            "/v1/files",
            &multipart_headers(&key),
            vec![b'a'; 4 * MIB],
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (413, Some("payload_too_large")),
            "{body}"
        );

        // Text fields together are bounded too (40 × 60 KiB > 256 KiB).
        let (status, body) = raw_post(
            &app,
            "/v1/files",
            &multipart_headers(&key),
            fields("note", &"n".repeat(60 * 1024), 40, true),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (413, Some("payload_too_large")),
            "{body}"
        );

        // The service still answers, and a normal upload still works.
        let health = app
            .client
            .get(format!("{}/healthz", app.base))
            .send()
            .await
            .expect("health");
        assert!(health.status().is_success());
        let r = app
            .upload(Cred::Bearer(&w.a_member.1), "ok.wav", wav(1000))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
);

// ---------------------------------------------------------------------------------------
// Point 7: graph sizes, storage quotas
// ---------------------------------------------------------------------------------------

api_test!(graphs_over_the_size_limits_are_refused, |app| {
    let w = app.world().await;
    let token = &w.a_admin.1;
    let nodes = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| json!({"id": format!("n{i}"), "type": "audio.decode", "data": {"params": {}}}))
            .collect()
    };
    let ok = app
        .post(
            "/v1/graphs/validate",
            token,
            json!({"nodes": nodes(200), "edges": []}),
        )
        .await;
    assert_eq!(
        ok.status,
        StatusCode::OK,
        "200 nodes are allowed: {}",
        ok.body
    );

    let r = app
        .post(
            "/v1/graphs/validate",
            token,
            json!({"nodes": nodes(201), "edges": []}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_graph"),
        "{}",
        r.body
    );
    assert_eq!(r.body["errors"][0]["field"], "nodes", "{}", r.body);

    let edges: Vec<Value> = (0..401)
        .map(|i| json!({"id": format!("e{i}"), "source": "n0", "target": "n1"}))
        .collect();
    let r = app
        .post(
            "/v1/graphs/validate",
            token,
            json!({"nodes": nodes(2), "edges": edges}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "edges", "{}", r.body);

    let big = json!({"nodes": [{"id": "a", "type": "audio.decode", "data": {"params": {"x": "p".repeat(65 * 1024)}}}]});
    let r = app.post("/v1/graphs/validate", token, big.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "nodes/a/params", "{}", r.body);

    // The same limits where a graph is saved or run.
    let r = app
        .post(
            "/v1/workflows",
            token,
            json!({"name": "huge", "graph": {"nodes": nodes(201), "edges": []}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "graph/nodes", "{}", r.body);
    let r = app
        .post(
            "/v1/jobs",
            token,
            json!({"graph": {"nodes": nodes(201), "edges": []}, "inputs": {}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "graph/nodes", "{}", r.body);
});

/// Bytes under `dir` (hidden upload temp files included).
fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

api_test!(concurrent_uploads_never_stage_more_than_the_quota, |app| {
    let _heavy = HEAVY.lock().await;
    let w = app.world().await;
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"storage_quota_mb": 10}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let quota = 10 * MIB as u64;
    let dir = app.data_dir().join("files").join(&w.tenant_a);
    // Watch the tenant's directory while the uploads run.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (dir, stop) = (dir.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut peak = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(dir_bytes(&dir));
                std::thread::sleep(Duration::from_millis(2));
            }
            peak
        })
    };
    let body = file_form(&wav((9 * MIB - 44) as u32));
    let headers = multipart_headers(&w.a_member.1);
    let uploads = (0..20).map(|_| raw_post(&app, "/v1/files", &headers, body.clone()));
    let answers = futures_util::future::join_all(uploads).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.join().expect("sampler");
    let created = answers.iter().filter(|(s, _)| *s == 201).count();
    let refused = answers
        .iter()
        .filter(|(s, b)| *s == 413 && b["code"] == "storage_quota_exceeded")
        .count();
    eprintln!(
        "20 × 9 MiB against 10 MiB: {created} created, {refused} refused, peak staged {peak} bytes"
    );
    let other: Vec<_> = answers
        .iter()
        .filter(|(s, b)| *s != 201 && !(*s == 413 && b["code"] == "storage_quota_exceeded"))
        .collect();
    assert_eq!((created, refused), (1, 19), "{other:?}");
    assert!(peak <= quota, "{peak} bytes staged at once");
    assert!(dir_bytes(&dir) <= quota);
});

api_test_with!(
    a_tenant_without_a_plan_gets_the_default_quota,
    |s| s.default_storage_quota_mb = 1,
    |app| {
        let w = app.world().await;
        // Tenant B has no plan and no override.
        let first = app
            .upload(Cred::Bearer(&w.b_member.1), "a.wav", wav(600_000))
            .await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let second = app
            .upload(Cred::Bearer(&w.b_member.1), "b.wav", wav(600_000))
            .await;
        assert_eq!(
            (second.status, second.code()),
            (StatusCode::PAYLOAD_TOO_LARGE, "storage_quota_exceeded"),
            "{}",
            second.body
        );
        // A refused upload releases what it had reserved.
        let small = app
            .upload(Cred::Bearer(&w.b_member.1), "c.wav", wav(100_000))
            .await;
        assert_eq!(small.status, StatusCode::CREATED, "{}", small.body);
    }
);
