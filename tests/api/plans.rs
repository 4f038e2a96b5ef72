//! Plans gate features (issue 12 §4): typed `plans.features` (unknown keys refused), each
//! gate at admission, upload and create time, `GET /v1/nodes` marking what is outside the
//! plan, and the subscription status (past_due grace, cancelled: work refused, reads work).

use crate::api_test;
use crate::helpers::{spawn_app_with, wav, Backend, Cred, TestApp, World};
use reqwest::StatusCode;
use serde_json::{json, Value};
use voxflow::tenancy::Scope;

/// Bytes of 16 kHz 16-bit mono silence per second.
const SECOND: u32 = 32_000;

/// Like `api_test!`, with the settings tweaked.
macro_rules! plan_test_with {
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

fn decode_whisper(params: Value) -> Value {
    json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": params}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"}
        ]
    })
}

/// Puts tenant A on a new plan of reseller 1 with `features`; returns the plan's id.
async fn plan_for_a(app: &TestApp, w: &World, features: Value) -> String {
    let plan = app
        .post(
            "/v1/plans",
            &w.reseller1_admin,
            json!({"name": "Gated", "price_monthly": "9.00", "price_yearly": "90.00",
                   "storage_quota_mb": 1000, "processing_quota_minutes": 600, "max_users": 10,
                   "features": features}),
        )
        .await;
    assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.body);
    let id = plan.id();
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"subscription_plan_id": id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    id
}

async fn upload_secs(app: &TestApp, token: &str, secs: u32) -> String {
    let r = app
        .upload(Cred::Bearer(token), "silence.wav", wav(secs * SECOND))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id()
}

async fn submit(app: &TestApp, token: &str, graph: Value, file: &str) -> crate::helpers::Response {
    app.post(
        "/v1/jobs",
        token,
        json!({"graph": graph, "inputs": {"src": file}}),
    )
    .await
}

fn node<'a>(list: &'a Value, kind: &str) -> &'a Value {
    list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["kind"] == kind))
        .unwrap_or(&Value::Null)
}

async fn set_status(app: &TestApp, w: &World, status: &str) {
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"subscription_status": status}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

api_test!(unknown_feature_keys_are_refused_naming_the_key, |app| {
    let w = app.world().await;
    let body = json!({"name": "Bad", "price_monthly": "1.00", "price_yearly": "10.00",
                      "storage_quota_mb": 1, "processing_quota_minutes": 1, "max_users": 1,
                      "features": {"diarization": true, "max_api_keys": "three"}});
    let r = app.post("/v1/plans", &w.reseller1_admin, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.code(), "validation_failed");
    let fields: Vec<&str> = r.body["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        fields,
        ["features.diarization", "features.max_api_keys"],
        "{}",
        r.body
    );
    let r = app
        .patch(
            &format!("/v1/plans/{}", w.plan1),
            &w.reseller1_admin,
            json!({"features": {"allowed_node_kinds": ["no.such.kind"]}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "features.allowed_node_kinds");
    // Typed features round-trip; max_concurrent_jobs is the column's value.
    let r = app
        .patch(
            &format!("/v1/plans/{}", w.plan1),
            &w.reseller1_admin,
            json!({"features": {"max_api_keys": 3, "requests_per_minute": 60, "max_concurrent_jobs": 4}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["features"]["max_api_keys"], 3);
    assert_eq!(r.body["features"]["requests_per_minute"], 60);
    assert_eq!(r.body["max_concurrent_jobs"], 4);
    assert_eq!(r.body["features"]["max_concurrent_jobs"], 4);
});

api_test!(stored_free_form_features_do_not_break_the_service, |app| {
    let w = app.world().await;
    let plan = plan_for_a(&app, &w, json!({})).await;
    // A row written before features were typed.
    let id = plan.clone();
    app.store
        .write(Scope::System, move |c| {
            use diesel::prelude::*;
            use voxflow::store::schema::subscription_plans::dsl as p;
            diesel::update(p::subscription_plans.filter(p::id.eq(id)))
                .set(
                    p::features.eq(
                        r#"{"diarization": true, "max_audio_seconds": "long", "max_api_keys": 5}"#,
                    ),
                )
                .execute(c)?;
            Ok(())
        })
        .await
        .expect("legacy row");
    let r = app
        .get(&format!("/v1/plans/{plan}"), &w.reseller1_admin)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["features"]["max_api_keys"], 5, "{}", r.body);
    assert!(
        r.body["features"].get("diarization").is_none(),
        "{}",
        r.body
    );
    let file = upload_secs(&app, &w.a_member.1, 1).await;
    let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
});

api_test!(
    a_plan_without_whisper_base_refuses_it_and_nodes_show_it,
    |app| {
        let w = app.world().await;
        plan_for_a(&app, &w, json!({"allowed_whisper_models": ["tiny.en"]})).await;
        let file = upload_secs(&app, &w.a_member.1, 1).await;
        let r = submit(
            &app,
            &w.a_member.1,
            decode_whisper(json!({"model": "base"})),
            &file,
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.code(), "not_in_plan");
        let detail = r.body["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains("`base`") && detail.contains("tiny.en"),
            "{detail}"
        );
        // No model param: the node's default (`base`) is what counts.
        let r = submit(&app, &w.a_member.1, decode_whisper(json!({})), &file).await;
        assert_eq!(r.code(), "not_in_plan", "{}", r.body);
        let r = submit(
            &app,
            &w.a_member.1,
            decode_whisper(json!({"model": "tiny.en"})),
            &file,
        )
        .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);

        let nodes = app.get("/v1/nodes", &w.a_member.1).await;
        assert_eq!(nodes.status, StatusCode::OK);
        let asr = &node(&nodes.body, "whisper.transcribe")["availability"];
        assert_eq!(asr["models_in_plan"], json!(["tiny.en"]), "{asr}");
        // Tenant B's plan (none) restricts nothing.
        let nodes_b = app.get("/v1/nodes", &w.b_member.1).await;
        let asr_b = &node(&nodes_b.body, "whisper.transcribe")["availability"];
        assert!(asr_b.get("models_in_plan").is_none(), "{asr_b}");
        assert_ne!(
            nodes.headers["etag"], nodes_b.headers["etag"],
            "the ETag follows the plan"
        );
        // The OpenAI model list shows only the plan's models (`whisper-1` is the server's
        // default model, tiny.en in tests); tenant B sees every installed one.
        let ids = |r: &crate::helpers::Response| -> Vec<String> {
            r.body["data"]
                .as_array()
                .expect("data")
                .iter()
                .filter_map(|m| m["id"].as_str().map(str::to_string))
                .collect()
        };
        let models = ids(&app.get("/v1/models", &w.a_key.1).await);
        assert!(models.contains(&"whisper-1".to_string()), "{models:?}");
        assert!(
            models
                .iter()
                .all(|m| m == "whisper-1" || m.starts_with("tiny.en")),
            "{models:?}"
        );
        let models_b = ids(&app.get("/v1/models", &w.b_key.1).await);
        assert!(
            models_b.iter().any(|m| m.starts_with("base")),
            "{models_b:?}"
        );
    }
);

api_test!(a_node_kind_outside_the_plan_is_refused_and_marked, |app| {
    let w = app.world().await;
    plan_for_a(
        &app,
        &w,
        json!({"allowed_node_kinds": ["audio.decode", "whisper.transcribe"]}),
    )
    .await;
    let file = upload_secs(&app, &w.a_member.1, 1).await;
    let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.code(), "not_in_plan");
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("vad.silero"),
        "{}",
        r.body
    );
    // Tenant B is not on that plan.
    let file_b = upload_secs(&app, &w.b_member.1, 1).await;
    let r = submit(&app, &w.b_member.1, decode_vad(), &file_b).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);

    let nodes = app.get("/v1/nodes", &w.a_member.1).await;
    let vad = &node(&nodes.body, "vad.silero")["availability"];
    assert_eq!(vad["available"], false, "{vad}");
    assert_eq!(vad["reason"], "not_in_plan", "{vad}");
    assert!(vad["detail"]
        .as_str()
        .unwrap_or_default()
        .starts_with("Not in your plan"));
    assert_ne!(
        node(&nodes.body, "audio.decode")["availability"]["reason"],
        "not_in_plan"
    );
    let one = app.get("/v1/nodes/vad.silero", &w.a_member.1).await;
    assert_eq!(
        one.body["availability"]["reason"], "not_in_plan",
        "{}",
        one.body
    );
    let nodes_b = app.get("/v1/nodes", &w.b_member.1).await;
    assert_ne!(
        node(&nodes_b.body, "vad.silero")["availability"]["reason"],
        "not_in_plan"
    );
    // The ETag still answers 304 for the same caller and plan.
    let etag = nodes.headers["etag"].to_str().expect("etag").to_string();
    let again = app
        .client
        .get(format!("{}/v1/nodes", app.base))
        .bearer_auth(&w.a_member.1)
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("get");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
});

api_test!(audio_longer_than_the_plan_allows_is_refused, |app| {
    let w = app.world().await;
    plan_for_a(&app, &w, json!({"max_audio_seconds": 2})).await;
    let long = upload_secs(&app, &w.a_member.1, 3).await;
    let r = submit(&app, &w.a_member.1, decode_vad(), &long).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.code(), "audio_too_long_for_plan");
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("(2 s)"),
        "{}",
        r.body
    );
    let short = upload_secs(&app, &w.a_member.1, 1).await;
    let r = submit(&app, &w.a_member.1, decode_vad(), &short).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
});

api_test!(an_upload_over_the_plans_size_is_refused, |app| {
    let w = app.world().await;
    plan_for_a(&app, &w, json!({"max_upload_bytes": 20_000})).await;
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "big.wav", wav(SECOND))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.code(), "upload_too_large_for_plan");
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("20000"),
        "{}",
        r.body
    );
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "small.wav", wav(SECOND / 4))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Tenant B's uploads are not limited by A's plan.
    let r = app
        .upload(Cred::Bearer(&w.b_member.1), "big.wav", wav(SECOND))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
});

plan_test_with!(
    api_key_and_webhook_counts_follow_the_plan,
    |s: &mut voxflow::config::Settings| s.url_allow_private = true,
    |app| {
        let w = app.world().await;
        // A already holds one live key (the world's `a_key`).
        plan_for_a(
            &app,
            &w,
            json!({"max_api_keys": 2, "max_webhook_endpoints": 1}),
        )
        .await;
        let r = app
            .post("/v1/api-keys", &w.a_member.1, json!({"name": "second"}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let second = r.body["id"].as_str().unwrap_or_default().to_string();
        let r = app
            .post("/v1/api-keys", &w.a_member.1, json!({"name": "third"}))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.code(), "plan_limit_reached");
        assert!(r.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("max_api_keys"));
        // A revoked key no longer counts.
        let r = app
            .delete(&format!("/v1/api-keys/{second}"), &w.a_member.1)
            .await;
        assert!(r.status.is_success(), "{}", r.body);
        let r = app
            .post("/v1/api-keys", &w.a_member.1, json!({"name": "third"}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // Tenant B is not on the plan.
        let r = app
            .post("/v1/api-keys", &w.b_member.1, json!({"name": "b2"}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        let hook = json!({"url": "http://127.0.0.1:9/hook", "events": ["job.succeeded"]});
        let r = app.post("/v1/webhooks", &w.a_admin.1, hook.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app.post("/v1/webhooks", &w.a_admin.1, hook.clone()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.code(), "plan_limit_reached");
        assert!(r.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("max_webhook_endpoints"));
        let r = app.post("/v1/webhooks", &w.b_admin.1, hook.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app.post("/v1/webhooks", &w.b_admin.1, hook).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
);

api_test!(
    past_due_runs_within_the_grace_period_and_not_beyond,
    |app| {
        let w = app.world().await;
        let file = upload_secs(&app, &w.a_member.1, 1).await;
        set_status(&app, &w, "past_due").await;
        let t = app
            .get(&format!("/v1/tenants/{}", w.tenant_a), &w.reseller1_admin)
            .await;
        assert!(t.body["past_due_since"].is_string(), "{}", t.body);
        let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
        assert_eq!(
            r.status,
            StatusCode::ACCEPTED,
            "within the grace period: {}",
            r.body
        );
        let job = r.id();
        // Past due for 8 days: beyond the default 7.
        let tenant = w.tenant_a.clone();
        app.store
            .write(Scope::System, move |c| {
                use diesel::prelude::*;
                use voxflow::store::schema::tenants::dsl as t;
                let since = voxflow::store::now() - chrono::TimeDelta::days(8);
                diesel::update(t::tenants.filter(t::id.eq(tenant)))
                    .set(t::past_due_since.eq(Some(since)))
                    .execute(c)?;
                Ok(())
            })
            .await
            .expect("backdate");
        let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
        assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "{}", r.body);
        assert_eq!(r.code(), "subscription_past_due");
        assert!(
            r.body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("7-day"),
            "{}",
            r.body
        );
        // Reads still work.
        let r = app.get(&format!("/v1/jobs/{job}"), &w.a_member.1).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Paid again: work runs, and past_due_since is cleared.
        set_status(&app, &w, "active").await;
        let t = app
            .get(&format!("/v1/tenants/{}", w.tenant_a), &w.reseller1_admin)
            .await;
        assert!(t.body["past_due_since"].is_null(), "{}", t.body);
        let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    }
);

plan_test_with!(
    past_due_with_no_grace_is_refused_at_once,
    |s: &mut voxflow::config::Settings| s.past_due_grace_days = 0,
    |app| {
        let w = app.world().await;
        let file = upload_secs(&app, &w.a_member.1, 1).await;
        set_status(&app, &w, "past_due").await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
        assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "{}", r.body);
        assert_eq!(r.code(), "subscription_past_due");
    }
);

api_test!(cancelled_refuses_work_but_reads_and_downloads_work, |app| {
    let w = app.world().await;
    let file = upload_secs(&app, &w.a_member.1, 1).await;
    let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = r.id();
    let done = crate::jobs::wait_for(&app, &w.a_member.1, &job, |_| false).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    for status in ["cancelled", "expired"] {
        set_status(&app, &w, status).await;
        let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
        assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "{}", r.body);
        assert_eq!(r.code(), "subscription_inactive");
        let r = app.get(&format!("/v1/jobs/{job}"), &w.a_member.1).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .get(
                &format!("/v1/jobs/{job}/artifacts/vad.speech_regions.json"),
                &w.a_member.1,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .client
            .get(format!("{}/v1/files/{file}/content", app.base))
            .bearer_auth(&w.a_member.1)
            .send()
            .await
            .expect("download");
        assert_eq!(r.status(), StatusCode::OK);
    }
    // A suspended tenant: new work refused (`tenant_suspended`), downloads still work.
    set_status(&app, &w, "active").await;
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.code(), "tenant_suspended");
    let r = app
        .client
        .get(format!("{}/v1/files/{file}/content", app.base))
        .bearer_auth(&w.a_member.1)
        .send()
        .await
        .expect("download");
    assert_eq!(r.status(), StatusCode::OK);
});

plan_test_with!(
    url_audio_longer_than_the_plan_allows_fails_once_fetched,
    |s: &mut voxflow::config::Settings| s.url_allow_private = true,
    |app| {
        let w = app.world().await;
        plan_for_a(&app, &w, json!({"max_audio_seconds": 2})).await;
        let port = crate::jobs::serve_file(wav(3 * SECOND));
        let r = app
            .post(
                "/v1/jobs",
                &w.a_member.1,
                json!({"graph": decode_vad(), "inputs": {"src": format!("http://127.0.0.1:{port}/a.wav")}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let job = crate::jobs::wait_for(&app, &w.a_member.1, &r.id(), |_| false).await;
        assert_eq!(job["status"], "failed", "{job}");
        assert!(
            job["error"]
                .as_str()
                .is_some_and(|e| e.contains("plan allows")),
            "{job}"
        );
    }
);

plan_test_with!(
    a_retry_is_checked_against_the_plan_as_it_is_now,
    |s| s.workers = 0,
    |app| {
        let w = app.world().await;
        let file = upload_secs(&app, &w.a_member.1, 1).await;
        let r = submit(&app, &w.a_member.1, decode_vad(), &file).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let id = r.id();
        let r = app
            .post(&format!("/v1/jobs/{id}/cancel"), &w.a_member.1, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        // The plan changes: VAD is no longer in it.
        plan_for_a(
            &app,
            &w,
            json!({"allowed_node_kinds": ["audio.decode", "whisper.transcribe"]}),
        )
        .await;
        let r = app
            .post(&format!("/v1/jobs/{id}/retry"), &w.a_member.1, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.code(), "not_in_plan");
        assert!(
            r.body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("vad.silero"),
            "{}",
            r.body
        );
        let job = app.get(&format!("/v1/jobs/{id}"), &w.a_member.1).await;
        assert_eq!(
            job.body["status"], "cancelled",
            "nothing changed: {}",
            job.body
        );
        // Back on a plan with VAD, the retry passes.
        plan_for_a(&app, &w, json!({})).await;
        let r = app
            .post(&format!("/v1/jobs/{id}/retry"), &w.a_member.1, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    }
);

/// `POST /v1/audio/transcriptions` with a WAV of `secs` seconds; returns status and body.
async fn openai_transcribe(
    app: &TestApp,
    key: &str,
    model: &str,
    secs: u32,
) -> (StatusCode, Value) {
    let r = crate::openai_compat::transcribe(
        app,
        Cred::Bearer(key),
        Some((wav(secs * SECOND), "clip.wav")),
        &[("model", model)],
    )
    .await;
    (
        r.status,
        serde_json::from_str(&r.text).unwrap_or(Value::String(r.text)),
    )
}

api_test!(the_openai_route_passes_the_same_plan_gates, |app| {
    let w = app.world().await;
    let key = &w.a_key.1;
    plan_for_a(
        &app,
        &w,
        json!({"allowed_whisper_models": ["tiny.en"], "max_audio_seconds": 2,
               "max_upload_bytes": 3 * SECOND + 1000}),
    )
    .await;
    let refused = |(status, body): (StatusCode, Value), want: StatusCode, code: &str| {
        assert_eq!(status, want, "{code}: {body}");
        assert_eq!(body["error"]["code"], code, "{body}");
        assert!(body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    };
    // A model outside the plan, audio longer than it allows, an upload larger than it allows.
    refused(
        openai_transcribe(&app, key, "base", 1).await,
        StatusCode::FORBIDDEN,
        "not_in_plan",
    );
    refused(
        openai_transcribe(&app, key, "tiny.en", 3).await,
        StatusCode::FORBIDDEN,
        "audio_too_long_for_plan",
    );
    refused(
        openai_transcribe(&app, key, "tiny.en", 4).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "upload_too_large_for_plan",
    );
    // Within the plan it runs (silence: an empty text).
    let (status, body) = openai_transcribe(&app, key, "tiny.en", 1).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["text"], "", "{body}");
    // The subscription gates it as it gates jobs.
    set_status(&app, &w, "cancelled").await;
    refused(
        openai_transcribe(&app, key, "tiny.en", 1).await,
        StatusCode::PAYMENT_REQUIRED,
        "subscription_inactive",
    );
    set_status(&app, &w, "active").await;
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    refused(
        openai_transcribe(&app, key, "tiny.en", 1).await,
        StatusCode::FORBIDDEN,
        "tenant_suspended",
    );
    // Tenant B (no plan) is not limited by A's.
    let (status, body) = openai_transcribe(&app, &w.b_key.1, "base", 4).await;
    assert_eq!(status, StatusCode::OK, "{body}");
});

api_test!(retention_in_features_is_the_plans_retention, |app| {
    let w = app.world().await;
    let body = |features: Value, extra: Value| {
        let mut b = json!({"name": "Kept", "price_monthly": "1.00", "price_yearly": "10.00",
                           "storage_quota_mb": 10, "processing_quota_minutes": 10, "max_users": 2,
                           "features": features});
        for (k, v) in extra.as_object().expect("object") {
            b[k] = v.clone();
        }
        b
    };
    let r = app
        .post(
            "/v1/plans",
            &w.reseller1_admin,
            body(json!({"retention_days": 10}), json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["retention_days"], 10, "{}", r.body);
    let id = r.id();
    let r = app
        .post(
            "/v1/plans",
            &w.reseller1_admin,
            body(json!({"retention_days": 10}), json!({"retention_days": 20})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.body["errors"][0]["field"], "features.retention_days",
        "{}",
        r.body
    );
    let r = app
        .patch(
            &format!("/v1/plans/{id}"),
            &w.reseller1_admin,
            json!({"features": {"retention_days": 3}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["retention_days"], 3, "{}", r.body);
    let r = app
        .patch(
            &format!("/v1/plans/{id}"),
            &w.reseller1_admin,
            json!({"features": {"retention_days": 0}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
});
