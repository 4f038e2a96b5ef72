//! The serving fast path: credentials verified once and remembered for a few seconds
//! (`auth::cache`), and conditional job polls answered `304` from memory on PostgreSQL
//! (`realtime::latest`) — and that neither lets in anything the slow path would refuse: a
//! revoked key, a removed member, a suspended account, another tenant's job id, in this
//! process and in another one.

use crate::api_test;
use crate::helpers::{Cred, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::{Duration, Instant};

/// A counter of `/metrics` (`name{labels}`), 0 when absent.
async fn metric(app: &TestApp, base: &str, series: &str) -> f64 {
    let text = app
        .client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0.0)
}

/// GET a job with `If-None-Match: etag` as `cred` on `base`; the status.
async fn poll(app: &TestApp, base: &str, cred: Cred<'_>, job: &str, etag: &str) -> StatusCode {
    let mut req = app
        .client
        .get(format!("{base}/v1/jobs/{job}"))
        .header("If-None-Match", etag);
    req = match cred {
        Cred::None => req,
        Cred::Bearer(t) => req.bearer_auth(t),
        Cred::XApiKey(k) => req.header("X-API-Key", k),
    };
    req.send().await.expect("poll").status()
}

/// Polls until `want` or 5 s pass; the last status.
async fn poll_until(
    app: &TestApp,
    base: &str,
    cred: Cred<'_>,
    job: &str,
    etag: &str,
    want: StatusCode,
) -> StatusCode {
    let started = Instant::now();
    loop {
        let got = poll(app, base, cred, job, etag).await;
        if got == want || started.elapsed() > Duration::from_secs(5) {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

api_test!(the_fast_path_refuses_what_the_slow_path_refuses, |app| {
    let w = app.world().await;
    let file = crate::jobs::upload_speech(&app, &w.a_member.1, "Fast path").await;
    let id = crate::jobs::submit(&app, &w.a_member.1, crate::realtime::decode_vad(), &file).await;
    let done = crate::jobs::wait_for(&app, &w.a_member.1, &id, |_| false).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    let (key_id, key) = app
        .create_api_key(
            &w.a_member.1,
            json!({"name": "poller", "permissions": ["jobs:read"]}),
        )
        .await;
    let first = app
        .client
        .get(format!("{}/v1/jobs/{id}", app.base))
        .header("X-API-Key", &key)
        .send()
        .await
        .expect("get");
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()["etag"].to_str().expect("etag").to_string();
    let base = app.base.clone();
    let hits = "voxflow_credential_checks_total{cache=\"hit\"}";
    let before = metric(&app, &base, hits).await;
    for _ in 0..5 {
        assert_eq!(
            poll(&app, &base, Cred::XApiKey(&key), &id, &etag).await,
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            poll(&app, &base, Cred::Bearer(&w.a_member.1), &id, &etag).await,
            StatusCode::NOT_MODIFIED
        );
    }
    assert!(
        metric(&app, &base, hits).await >= before + 8.0,
        "the polls were answered from the credential cache"
    );
    if app.backend == crate::helpers::Backend::Postgres {
        let from_memory = metric(
            &app,
            &base,
            "voxflow_job_polls_not_modified_total{source=\"memory\"}",
        )
        .await;
        assert!(from_memory >= 8.0, "304s from memory: {from_memory}");
    }

    // Another tenant's job id is a 404, with or without the right ETag, on the fast path too.
    for cred in [Cred::Bearer(&w.b_member.1), Cred::XApiKey(&w.b_key.1)] {
        assert_eq!(
            poll(&app, &base, cred, &id, &etag).await,
            StatusCode::NOT_FOUND
        );
    }
    // A key without jobs:read is refused although its credential is cached.
    let (_, files_key) = app
        .create_api_key(
            &w.a_member.1,
            json!({"name": "files only", "permissions": ["files:read"]}),
        )
        .await;
    for _ in 0..2 {
        assert_eq!(
            poll(&app, &base, Cred::XApiKey(&files_key), &id, &etag).await,
            StatusCode::FORBIDDEN
        );
    }

    // Revoked: refused on the very next request, in this process.
    let del = app
        .delete(&format!("/v1/api-keys/{key_id}"), &w.a_member.1)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        poll(&app, &base, Cred::XApiKey(&key), &id, &etag).await,
        StatusCode::UNAUTHORIZED
    );

    // A member removed from the tenant: their cached token is refused at once.
    let viewer = w.a_viewer.1.clone();
    assert_eq!(
        poll(&app, &base, Cred::Bearer(&viewer), &id, &etag).await,
        StatusCode::NOT_MODIFIED
    );
    let r = app
        .call(
            Method::DELETE,
            &format!("/v1/tenants/{}/members/{}", w.tenant_a, w.a_viewer.0),
            Cred::Bearer(&w.a_admin.1),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(
        poll(&app, &base, Cred::Bearer(&viewer), &id, &etag).await,
        StatusCode::UNAUTHORIZED
    );
});

/// Across processes (PostgreSQL): a key revoked through one API process is refused by
/// another that had it cached, as soon as that process hears `voxflow_auth`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_reaches_every_process() {
    let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    let file = crate::jobs::upload_speech(&app, &w.a_member.1, "Across processes").await;
    let id = crate::jobs::submit(&app, &w.a_member.1, crate::realtime::decode_vad(), &file).await;
    let done = crate::jobs::wait_for(&app, &w.a_member.1, &id, |_| false).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    let other = app.spawn_serve_process(&[]).await;
    let (key_id, key) = app
        .create_api_key(
            &w.a_member.1,
            json!({"name": "poller", "permissions": ["jobs:read"]}),
        )
        .await;
    let first = app
        .client
        .get(format!("{}/v1/jobs/{id}", other.base))
        .header("X-API-Key", &key)
        .send()
        .await
        .expect("get");
    let etag = first.headers()["etag"].to_str().expect("etag").to_string();
    for _ in 0..3 {
        assert_eq!(
            poll(&app, &other.base, Cred::XApiKey(&key), &id, &etag).await,
            StatusCode::NOT_MODIFIED
        );
    }
    let revoked_at = Instant::now();
    let del = app
        .delete(&format!("/v1/api-keys/{key_id}"), &w.a_member.1)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let got = poll_until(
        &app,
        &other.base,
        Cred::XApiKey(&key),
        &id,
        &etag,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(got, StatusCode::UNAUTHORIZED);
    eprintln!(
        "revocation seen by the other process after {} ms",
        revoked_at.elapsed().as_millis()
    );
}
