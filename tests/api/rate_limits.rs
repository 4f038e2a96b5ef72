//! Request rate limits per tenant and API key (issue 12 §5): GCRA buckets from the plan
//! (`requests_per_minute`, `key_requests_per_minute`) or the server default; `429
//! rate_limited` with `Retry-After` and the `RateLimit` / `RateLimit-Policy` headers (also on
//! successes); shared by every API process on PostgreSQL.

use crate::helpers::{spawn_app_with, Backend, Cred, Response, TestApp, World};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Like `api_test!`, with the settings tweaked.
macro_rules! rate_test_with {
    ($name:ident, $tweak:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = spawn_app_with(Backend::Sqlite, $tweak).await.expect("app");
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

/// Puts tenant A on a new plan of reseller 1 with `features`.
async fn plan_for_a(app: &TestApp, w: &World, features: Value) {
    let plan = app
        .post(
            "/v1/plans",
            &w.reseller1_admin,
            json!({"name": "Limited", "price_monthly": "9.00", "price_yearly": "90.00",
                   "storage_quota_mb": 1000, "processing_quota_minutes": 600, "max_users": 10,
                   "features": features}),
        )
        .await;
    assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.body);
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"subscription_plan_id": plan.id()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

fn header<'a>(r: &'a Response, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

async fn jobs(app: &TestApp, cred: Cred<'_>) -> Response {
    app.call(Method::GET, "/v1/jobs", cred, None).await
}

fn assert_refused(r: &Response, policy: &str) {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.code(), "rate_limited");
    let wait: u64 = header(r, "retry-after").parse().unwrap_or(0);
    assert!(wait >= 1, "Retry-After: {:?}", r.headers);
    assert!(
        header(r, "ratelimit-policy").contains(&format!("\"{policy}\";q=")),
        "{:?}",
        r.headers
    );
    assert!(
        header(r, "ratelimit").contains(&format!("\"{policy}\";r=0;t=")),
        "{:?}",
        r.headers
    );
}

crate::api_test!(the_plans_limit_refuses_the_request_after_a_burst, |app| {
    let w = app.world().await;
    plan_for_a(&app, &w, json!({"requests_per_minute": 3})).await;
    let member = Cred::Bearer(&w.a_member.1);
    for i in 0..3 {
        let r = jobs(&app, member).await;
        assert_eq!(r.status, StatusCode::OK, "request {i}: {}", r.body);
        assert_eq!(header(&r, "ratelimit-policy"), "\"tenant\";q=3;w=60");
        assert!(
            header(&r, "ratelimit").starts_with(&format!("\"tenant\";r={};t=", 2 - i)),
            "{:?}",
            r.headers
        );
    }
    // The 4th: refused, whichever credential of the tenant asks (the key shares the bucket).
    assert_refused(&jobs(&app, member).await, "tenant");
    assert_refused(&jobs(&app, Cred::XApiKey(&w.a_key.1)).await, "tenant");
    // The OpenAI routes answer in OpenAI's shape, with the same headers.
    let r = app
        .call(Method::GET, "/v1/models", Cred::Bearer(&w.a_key.1), None)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.body["error"]["type"], "rate_limit_error", "{}", r.body);
    assert_eq!(r.body["error"]["code"], "rate_limited", "{}", r.body);
    assert!(header(&r, "retry-after").parse::<u64>().unwrap_or(0) >= 1);
    assert!(header(&r, "ratelimit").starts_with("\"tenant\";r=0;"));
    // Another tenant is unaffected; platform and reseller callers are not limited.
    let r = jobs(&app, Cred::Bearer(&w.b_member.1)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.get("/v1/tenants", &w.reseller1_admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers.get("ratelimit").is_none());
    // Health and login are never limited.
    let r = app.call(Method::GET, "/healthz", Cred::None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .login_response("member@a.test", crate::helpers::PASSWORD)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
});

crate::api_test!(a_keys_limit_is_independent_of_its_tenants, |app| {
    let w = app.world().await;
    plan_for_a(
        &app,
        &w,
        json!({"requests_per_minute": 100, "key_requests_per_minute": 2}),
    )
    .await;
    let key = Cred::XApiKey(&w.a_key.1);
    for _ in 0..2 {
        let r = jobs(&app, key).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            header(&r, "ratelimit-policy"),
            "\"key\";q=2;w=60, \"tenant\";q=100;w=60"
        );
    }
    assert_refused(&jobs(&app, key).await, "key");
    // The tenant has room: its users and its other keys go on.
    let r = jobs(&app, Cred::Bearer(&w.a_member.1)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        header(&r, "ratelimit").starts_with("\"tenant\";r=97;"),
        "two key requests and this one: {:?}",
        r.headers
    );
    let (_, other) = app
        .create_api_key(&w.a_admin.1, json!({"name": "second"}))
        .await;
    let r = jobs(&app, Cred::XApiKey(&other)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
});

crate::api_test!(a_bucket_refills_at_its_rate, |app| {
    let w = app.world().await;
    // 60 a minute: one more every second.
    plan_for_a(&app, &w, json!({"requests_per_minute": 60})).await;
    let member = Cred::Bearer(&w.a_member.1);
    let mut refused = None;
    for i in 0..70 {
        let r = jobs(&app, member).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some((i, r));
            break;
        }
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let (i, r) = refused.expect("refused within 70 requests");
    assert!((60..=62).contains(&i), "refused after {i}");
    assert_refused(&r, "tenant");
    assert_eq!(header(&r, "retry-after"), "1");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = jobs(&app, member).await;
    assert_eq!(r.status, StatusCode::OK, "recovered: {}", r.body);
});

rate_test_with!(
    the_server_default_applies_without_a_plan_limit,
    |s| s.rate_limit_per_minute = 20,
    |app| {
        let w = app.world().await;
        // world() itself spent some of A's requests: drain to the limit.
        let member = Cred::Bearer(&w.a_member.1);
        let mut last = jobs(&app, member).await;
        for _ in 0..25 {
            if last.status == StatusCode::TOO_MANY_REQUESTS {
                break;
            }
            last = jobs(&app, member).await;
        }
        assert_refused(&last, "tenant");
        assert_eq!(header(&last, "ratelimit-policy"), "\"tenant\";q=20;w=60");
        // A plan's own limit replaces the default (0: none).
        plan_for_a(&app, &w, json!({"requests_per_minute": 0})).await;
        let r = jobs(&app, member).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.headers.get("ratelimit").is_none());
    }
);

/// Two API processes on one PostgreSQL database share the tenant's bucket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tenants_limit_holds_across_two_api_processes_on_postgres() {
    let Some(app) = spawn_app_with(Backend::Postgres, |_| {}).await else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    plan_for_a(&app, &w, json!({"requests_per_minute": 6})).await;
    let peer = app.spawn_peer(|_| {}).await;
    let on = |base: &str| {
        app.client
            .get(format!("{base}/v1/jobs"))
            .bearer_auth(&w.a_member.1)
            .send()
    };
    // Alternate between the processes: 6 allowed in all, not 6 each.
    let mut statuses = Vec::new();
    for i in 0..10 {
        let base = if i % 2 == 0 {
            app.base.clone()
        } else {
            peer.clone()
        };
        let r = on(&base).await.expect("request");
        statuses.push(r.status().as_u16());
    }
    assert_eq!(
        statuses,
        [200, 200, 200, 200, 200, 200, 429, 429, 429, 429],
        "one bucket for both processes"
    );
    // Another tenant is unaffected on either.
    let r = app
        .client
        .get(format!("{peer}/v1/jobs"))
        .bearer_auth(&w.b_member.1)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK);
}

/// The same with two real `voxflow serve` processes (the binary, started as an operator
/// would): the tenant's limit holds across both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tenants_limit_holds_across_two_serve_processes_on_postgres() {
    let Some(app) = spawn_app_with(Backend::Postgres, |_| {}).await else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    plan_for_a(&app, &w, json!({"requests_per_minute": 5})).await;
    let first = app.spawn_serve_process(&[]).await;
    let second = app.spawn_serve_process(&[]).await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let base = if i % 2 == 0 {
            &first.base
        } else {
            &second.base
        };
        let r = app
            .client
            .get(format!("{base}/v1/jobs"))
            .bearer_auth(&w.a_member.1)
            .send()
            .await
            .expect("request");
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(r.headers().get("retry-after").is_some());
        }
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
    let r = app
        .client
        .get(format!("{}/v1/jobs", second.base))
        .bearer_auth(&w.b_member.1)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK, "tenant B has its own bucket");
}

/// Large limits are served from per-process leases (1 % of the limit per database round
/// trip): two processes together still admit the limit — not less (unused lease tokens go
/// back) and not more than one lease each beyond it, plus what refilled meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leased_tokens_keep_a_large_limit_across_processes_on_postgres() {
    let Some(app) = spawn_app_with(Backend::Postgres, |_| {}).await else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    let limit = 200u32; // a lease is 2 tokens
    plan_for_a(&app, &w, json!({"requests_per_minute": limit})).await;
    let peer = app.spawn_peer(|_| {}).await;
    let started = std::time::Instant::now();
    let (mut allowed, mut refused) = (0u32, 0u32);
    for i in 0..(2 * limit) {
        let base = if i % 2 == 0 { &app.base } else { &peer };
        let r = app
            .client
            .get(format!("{base}/v1/jobs"))
            .bearer_auth(&w.a_member.1)
            .send()
            .await
            .expect("request");
        match r.status() {
            StatusCode::OK => allowed += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(r.headers().get("retry-after").is_some());
                refused += 1;
            }
            s => panic!("unexpected {s}"),
        }
        // Pause once mid-way so a lease expires and hands its unused tokens back.
        if i == limit / 2 {
            tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let refilled = (elapsed * f64::from(limit) / 60.0).ceil() as u32;
    let leases = 2 * 2;
    assert!(
        allowed + leases >= limit && allowed <= limit + refilled + leases,
        "allowed {allowed}, refused {refused}, refilled ≤ {refilled} in {elapsed:.1}s"
    );
    assert!(refused > 0, "the limit was reached");
}
