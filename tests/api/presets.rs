//! Node presets (issue 12, §2): CRUD with the params checked against the kind's schema,
//! sharing (platform → everyone, reseller → all its tenants or a list, tenant → its users),
//! graph validation that merges a node's preset under its overrides (problems pinned to the
//! node), jobs that pin the merged params, template versions that pin them at save, the
//! isolation and scope matrices, and `GET /v1/nodes` listing the presets per kind.

use crate::api_test;
use crate::helpers::pg_count as count;
use crate::helpers::{Cred, TestApp, World};
use crate::jobs::{upload_speech, wait_for};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use voxflow::tenancy::Scope;

/// "Spanish interviews"-style Whisper params that run on the test models.
fn whisper_params() -> Value {
    json!({"model": "tiny.en", "language": "en", "word_timestamps": true})
}

async fn create_preset(app: &TestApp, token: &str, body: Value) -> String {
    let r = app.post("/v1/presets", token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id()
}

async fn whisper_preset(app: &TestApp, token: &str, name: &str, sharing: Option<Value>) -> String {
    let mut body = json!({"kind": "whisper.transcribe", "name": name, "params": whisper_params()});
    if let Some(s) = sharing {
        body["sharing"] = s;
    }
    create_preset(app, token, body).await
}

/// decode → whisper (naming `preset`, with `overrides`).
fn graph_with(preset: &str, overrides: Value) -> Value {
    json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": overrides, "preset": preset}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"}
        ]
    })
}

async fn list_ids(app: &TestApp, cred: Cred<'_>, path: &str) -> Vec<String> {
    let r = app.call(Method::GET, path, cred, None).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// `tenant C` of reseller 1 with an admin and a member: (tenant id, admin token, member token).
async fn tenant_c(app: &TestApp, w: &World) -> (String, String, String) {
    let c = app
        .create_tenant(&w.reseller1_admin, "Tenant C", None)
        .await;
    let (_, admin) = app
        .create_user(
            &w.reseller1_admin,
            "admin@c.test",
            "tenant_admin",
            Some(&c),
            None,
        )
        .await;
    let (_, member) = app
        .create_user(&admin, "member@c.test", "member", None, None)
        .await;
    (c, admin, member)
}

/// The stored (pinned) graph of a job.
async fn job_graph(app: &TestApp, id: &str) -> Value {
    let id = id.to_string();
    let row = app
        .store
        .read(Scope::System, move |c| {
            voxflow::store::repo::jobs::get(c, &Scope::System, &id)
        })
        .await
        .expect("read")
        .expect("job row");
    serde_json::from_str(&row.graph).expect("graph json")
}

fn field_errors(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_string(),
                        e["message"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

api_test!(presets_are_created_validated_changed_and_deleted, |app| {
    let w = app.world().await;
    let r1 = &w.reseller1_admin;
    let id = create_preset(
        &app,
        r1,
        json!({"kind": "whisper.transcribe", "name": "Interviews (EN)",
               "description": "tiny model, English, word timestamps",
               "params": whisper_params()}),
    )
    .await;
    let p = app.get(&format!("/v1/presets/{id}"), r1).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["kind"], "whisper.transcribe");
    assert_eq!(p.body["owner"], "reseller");
    assert_eq!(p.body["reseller_id"], w.reseller1.as_str());
    assert!(p.body["tenant_id"].is_null());
    assert_eq!(p.body["params"], whisper_params());
    assert_eq!(p.body["editable"], true);
    assert_eq!(p.body["sharing"]["mode"], "all");

    // Params are checked against the kind's schema, on create and on change.
    for (bad, field) in [
        (
            json!({"kind": "whisper.transcribe", "name": "x", "params": {"beam_size": 99}}),
            "params",
        ),
        (
            json!({"kind": "whisper.transcribe", "name": "x", "params": {"no_such_param": 1}}),
            "params",
        ),
        (
            json!({"kind": "export.subtitles", "name": "x", "params": {"format": "docx"}}),
            "params",
        ),
        (
            json!({"kind": "whisper.transcribe", "name": "x", "params": ["tiny"]}),
            "params",
        ),
        (
            json!({"kind": "no.such", "name": "x", "params": {}}),
            "kind",
        ),
        (
            json!({"kind": "job.status", "name": "x", "params": {}}),
            "kind",
        ),
        (
            json!({"kind": "whisper.transcribe", "name": "", "params": {}}),
            "name",
        ),
    ] {
        let r = app.post("/v1/presets", r1, bad.clone()).await;
        assert_eq!(r.code(), "validation_failed", "{bad}: {}", r.body);
        assert!(
            field_errors(&r.body).iter().any(|(f, _)| f == field),
            "{bad}: {}",
            r.body
        );
    }
    let r = app
        .post(
            "/v1/presets",
            r1,
            json!({"kind": "whisper.transcribe", "name": "x", "params": {"beam_size": 99}}),
        )
        .await;
    assert!(
        field_errors(&r.body)
            .iter()
            .any(|(_, m)| m.contains("beam_size")),
        "{}",
        r.body
    );
    let r = app
        .patch(
            &format!("/v1/presets/{id}"),
            r1,
            json!({"params": {"temperature": 7}}),
        )
        .await;
    assert_eq!(r.code(), "validation_failed", "{}", r.body);
    // The kind is fixed.
    let r = app
        .patch(
            &format!("/v1/presets/{id}"),
            r1,
            json!({"kind": "export.subtitles"}),
        )
        .await;
    assert_eq!(r.code(), "validation_failed", "{}", r.body);
    assert_eq!(field_errors(&r.body)[0].0, "kind");

    // Changes replace the params whole and are audited.
    let r = app
        .patch(
            &format!("/v1/presets/{id}"),
            r1,
            json!({"name": "Interviews", "params": {"model": "tiny.en", "beam_size": 2}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], "Interviews");
    assert_eq!(
        r.body["params"],
        json!({"model": "tiny.en", "beam_size": 2})
    );
    let audit = app
        .get(&format!("/v1/audit-log?target_id={id}"), &app.admin_token)
        .await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"preset.create") && actions.contains(&"preset.update"),
        "{actions:?}"
    );

    // Lists filter by kind, owner and text.
    let sub = create_preset(
        &app,
        r1,
        json!({"kind": "export.subtitles", "name": "Broadcast VTT",
               "params": {"format": "vtt", "max_line_length": 32}}),
    )
    .await;
    let r1c = Cred::Bearer(r1);
    assert_eq!(
        list_ids(&app, r1c, "/v1/presets?kind=export.subtitles").await,
        vec![sub.clone()]
    );
    assert_eq!(
        list_ids(&app, r1c, "/v1/presets?q=BROADCAST").await,
        vec![sub.clone()]
    );
    assert_eq!(
        list_ids(&app, r1c, "/v1/presets").await,
        vec![sub.clone(), id.clone()]
    );
    assert!(list_ids(&app, r1c, "/v1/presets?owner=platform")
        .await
        .is_empty());
    let first = app.get("/v1/presets?limit=1", r1).await;
    let cursor = first.body["next_cursor"].as_str().expect("cursor");
    assert_eq!(
        list_ids(&app, r1c, &format!("/v1/presets?limit=1&cursor={cursor}")).await,
        vec![id.clone()]
    );

    // Owners at each level: the platform, a tenant (its admins; members may not).
    let platform = create_preset(
        &app,
        &app.admin_token,
        json!({"kind": "vad.silero", "name": "Sensitive VAD", "params": {"threshold": 0.3}}),
    )
    .await;
    let own = create_preset(
        &app,
        &w.a_admin.1,
        json!({"kind": "export.subtitles", "name": "Our SRT", "params": {"max_lines": 1}}),
    )
    .await;
    let mine = app.get(&format!("/v1/presets/{own}"), &w.a_admin.1).await;
    assert_eq!(mine.body["owner"], "tenant");
    assert_eq!(mine.body["tenant_id"], w.tenant_a.as_str());
    let r = app
        .post(
            "/v1/presets",
            &w.a_member.1,
            json!({"kind": "export.subtitles", "name": "x", "params": {}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A tenant's presets are never shared with chosen tenants; neither are the platform's.
    let r = app
        .call(
            Method::PUT,
            &format!("/v1/presets/{own}/sharing"),
            Cred::Bearer(&w.a_admin.1),
            Some(json!({"mode": "selected", "tenant_ids": [w.tenant_a]})),
        )
        .await;
    assert_eq!(r.code(), "validation_failed", "{}", r.body);
    let r = app
        .call(
            Method::PUT,
            &format!("/v1/presets/{platform}/sharing"),
            Cred::Bearer(&app.admin_token),
            Some(json!({"mode": "selected", "tenant_ids": [w.tenant_a]})),
        )
        .await;
    assert_eq!(r.code(), "validation_failed", "{}", r.body);
    // A's member sees the platform's, its reseller's and its tenant's presets; none editable.
    let mut expect = vec![own.clone(), platform.clone(), sub.clone(), id.clone()];
    expect.sort();
    expect.reverse();
    let a = Cred::Bearer(&w.a_member.1);
    assert_eq!(list_ids(&app, a, "/v1/presets").await, expect);
    assert_eq!(
        list_ids(&app, a, "/v1/presets?owner=tenant").await,
        vec![own.clone()]
    );
    let seen = app.get(&format!("/v1/presets/{id}"), &w.a_member.1).await;
    assert_eq!(seen.body["editable"], false);
    assert!(
        seen.body.get("sharing").is_none(),
        "share lists are the owner's"
    );

    // Delete: gone for everyone.
    let r = app.delete(&format!("/v1/presets/{sub}"), r1).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = app.get(&format!("/v1/presets/{sub}"), r1).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "preset_not_found");
    assert_eq!(r.body["type"], "/problems/preset_not_found");
    let r = app.delete(&format!("/v1/presets/{sub}"), r1).await;
    assert_eq!(r.code(), "preset_not_found");
});

api_test!(
    graph_validation_merges_presets_and_pins_problems_to_nodes,
    |app| {
        let w = app.world().await;
        let member = &w.a_member.1;
        let preset = whisper_preset(&app, &w.reseller1_admin, "Words", None).await;
        let sub = create_preset(
            &app,
            &w.reseller1_admin,
            json!({"kind": "export.subtitles", "name": "VTT", "params": {"format": "vtt"}}),
        )
        .await;
        let theirs = whisper_preset(&app, &w.reseller2_admin, "R2", None).await;

        // Merged: the preset's params under the node's overrides; the normal form keeps the
        // reference, `resolved` is what a job would run.
        let r = app
            .post(
                "/v1/graphs/validate",
                member,
                graph_with(&preset, json!({"language": "auto", "beam_size": 3})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["graph"]["nodes"][1]["preset"], preset.as_str());
        assert_eq!(
            r.body["graph"]["nodes"][1]["params"],
            json!({"language": "auto", "beam_size": 3})
        );
        assert_eq!(
            r.body["resolved"]["nodes"][1]["params"],
            json!({"model": "tiny.en", "language": "auto", "word_timestamps": true, "beam_size": 3})
        );
        assert!(r.body["resolved"]["nodes"][1].get("preset").is_none());
        // The preset at the node's normal-form place works the same.
        let mut normal = graph_with(&preset, json!({}));
        normal["nodes"][1] =
            json!({"id": "asr", "kind": "whisper.transcribe", "params": {}, "preset": preset});
        let r = app.post("/v1/graphs/validate", member, normal).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // The merge is checked against the schema: a bad override is the node's params problem.
        let r = app
            .post(
                "/v1/graphs/validate",
                member,
                graph_with(&preset, json!({"beam_size": 99})),
            )
            .await;
        assert_eq!(r.code(), "invalid_graph", "{}", r.body);
        assert!(field_errors(&r.body)
            .iter()
            .any(|(f, m)| f == "nodes/asr/params" && m.contains("beam_size")));

        // A preset for another kind, a missing one, another reseller's: at `nodes/<id>/preset`,
        // all problems at once.
        let mut g = graph_with(&sub, json!({}));
        g["nodes"].as_array_mut().expect("nodes").push(
        json!({"id": "out", "type": "export.subtitles", "data": {"params": {}, "preset": "0190e0a6-0000-7000-8000-000000000000"}}),
    );
        g["edges"].as_array_mut().expect("edges").push(
        json!({"id": "e2", "source": "asr", "sourceHandle": "transcript", "target": "out", "targetHandle": "transcript"}),
    );
        let r = app.post("/v1/graphs/validate", member, g).await;
        assert_eq!(r.code(), "invalid_graph", "{}", r.body);
        let errors = field_errors(&r.body);
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == "nodes/asr/preset" && m.contains("export.subtitles")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == "nodes/out/preset" && m.contains("no node preset")),
            "{errors:?}"
        );
        // Another reseller's preset reads exactly like one that does not exist.
        let missing = uuid::Uuid::now_v7().to_string();
        let on_theirs = app
            .post(
                "/v1/graphs/validate",
                member,
                graph_with(&theirs, json!({})),
            )
            .await;
        let on_missing = app
            .post(
                "/v1/graphs/validate",
                member,
                graph_with(&missing, json!({})),
            )
            .await;
        assert_eq!(on_theirs.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            on_theirs.body.to_string().replace(&theirs, "ID"),
            on_missing.body.to_string().replace(&missing, "ID")
        );

        // Every way a graph is saved or run checks the same: workflow save, job submit, template save.
        let file = upload_speech(&app, member, "hello").await;
        let r = app
            .post(
                "/v1/workflows",
                member,
                json!({"name": "wf", "graph": graph_with(&theirs, json!({}))}),
            )
            .await;
        assert_eq!(r.code(), "invalid_graph", "{}", r.body);
        assert!(field_errors(&r.body)
            .iter()
            .any(|(f, _)| f == "graph/nodes/asr/preset"));
        let r = app
        .post(
            "/v1/jobs",
            member,
            json!({"graph": graph_with(&preset, json!({"beam_size": 99})), "inputs": {"src": file}}),
        )
        .await;
        assert_eq!(r.code(), "invalid_graph", "{}", r.body);
        assert!(field_errors(&r.body)
            .iter()
            .any(|(f, _)| f == "graph/nodes/asr/params"));
        let r = app
            .post(
                "/v1/templates",
                &w.reseller1_admin,
                json!({"name": "t", "graph": graph_with(&theirs, json!({}))}),
            )
            .await;
        assert_eq!(r.code(), "invalid_graph", "{}", r.body);
        assert!(field_errors(&r.body)
            .iter()
            .any(|(f, _)| f == "graph/nodes/asr/preset"));

        // A saved workflow keeps the reference; once the preset is deleted it no longer runs.
        let r = app
            .post(
                "/v1/workflows",
                member,
                json!({"name": "wf", "graph": graph_with(&preset, json!({}))}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let wf = r.id();
        assert_eq!(r.body["graph"]["nodes"][1]["preset"], preset.as_str());
        let r = app
            .delete(&format!("/v1/presets/{preset}"), &w.reseller1_admin)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = app
            .post(
                "/v1/jobs",
                member,
                json!({"workflow_id": wf, "inputs": {"src": file}}),
            )
            .await;
        assert_eq!(r.code(), "invalid_graph", "{}", r.body);
        assert!(field_errors(&r.body)
            .iter()
            .any(|(f, _)| f == "graph/nodes/asr/preset"));
    }
);

api_test!(jobs_pin_the_presets_they_run_with, |app| {
    let w = app.world().await;
    let member = &w.a_member.1;
    let asr = whisper_preset(&app, &w.a_admin.1, "Word timing", None).await;
    let out = create_preset(
        &app,
        &app.admin_token,
        json!({"kind": "export.subtitles", "name": "WebVTT", "params": {"format": "vtt"}}),
    )
    .await;
    let file = upload_speech(&app, member, "the quick brown fox jumps over the lazy dog").await;
    // Whisper takes the preset's word timestamps (a TXT export does not ask for them); the
    // export's override (`txt`) wins over its preset's `vtt`.
    let graph = json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": {}, "preset": asr}},
            {"id": "out", "type": "export.subtitles", "data": {"params": {"format": "txt"}, "preset": out}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
            {"id": "e2", "source": "asr", "sourceHandle": "transcript", "target": "out", "targetHandle": "transcript"}
        ]
    });
    let r = app
        .post(
            "/v1/workflows",
            member,
            json!({"name": "presets", "graph": graph}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let wf = r.id();
    let r = app
        .post(
            "/v1/jobs",
            member,
            json!({"workflow_id": wf, "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.id();
    // The job holds the merged params, not the references.
    let pinned = job_graph(&app, &id).await;
    assert_eq!(
        pinned["nodes"][1]["params"],
        json!({"model": "tiny.en", "language": "en", "word_timestamps": true})
    );
    assert_eq!(pinned["nodes"][2]["params"], json!({"format": "txt"}));
    assert!(pinned["nodes"][1].get("preset").is_none());
    let job = wait_for(&app, member, &id, |_| false).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let names: Vec<&str> = job["outputs"]
        .as_array()
        .expect("outputs")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert!(names.contains(&"out.file.txt"), "{names:?}");
    let transcript = app
        .get(
            &format!("/v1/jobs/{id}/artifacts/asr.transcript.json"),
            member,
        )
        .await;
    assert_eq!(transcript.status, StatusCode::OK, "{}", transcript.body);
    let segments = transcript.body["segments"].as_array().expect("segments");
    assert!(!segments.is_empty(), "{}", transcript.body);
    assert!(
        segments
            .iter()
            .any(|s| s["words"].as_array().is_some_and(|w| !w.is_empty())),
        "the preset's word_timestamps applied: {}",
        transcript.body
    );
    let audit = app
        .get(&format!("/v1/audit-log?target_id={id}"), &w.a_admin.1)
        .await;
    assert_eq!(
        audit.body["items"][0]["details"]["presets"],
        json!({"asr": asr, "out": out}),
        "{}",
        audit.body
    );

    // A changed preset reaches the workflow's next job; the first job keeps what it pinned.
    let r = app
        .patch(
            &format!("/v1/presets/{asr}"),
            &w.a_admin.1,
            json!({"params": {"model": "tiny.en", "word_timestamps": false}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post(
            "/v1/jobs",
            member,
            json!({"workflow_id": wf, "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let second = r.id();
    assert_eq!(
        job_graph(&app, &second).await["nodes"][1]["params"],
        json!({"model": "tiny.en", "word_timestamps": false})
    );
    assert_eq!(
        job_graph(&app, &id).await["nodes"][1]["params"]["word_timestamps"],
        true
    );
    let job = wait_for(&app, member, &second, |_| false).await;
    assert_eq!(job["status"], "succeeded", "{job}");

    // A template version pins its presets when saved: tenants run it as published.
    let shared = whisper_preset(&app, &w.reseller1_admin, "R1 words", None).await;
    let r = app
        .post(
            "/v1/templates",
            &w.reseller1_admin,
            json!({"name": "Words", "graph": graph_with(&shared, json!({"language": "en"}))}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let template = r.id();
    assert!(r.body["graph"]["nodes"][1].get("preset").is_none());
    assert_eq!(
        r.body["graph"]["nodes"][1]["params"],
        json!({"model": "tiny.en", "language": "en", "word_timestamps": true})
    );
    let r = app
        .post(
            &format!("/v1/templates/{template}/publish"),
            &w.reseller1_admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .delete(&format!("/v1/presets/{shared}"), &w.reseller1_admin)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app
        .post(
            "/v1/jobs",
            member,
            json!({"template_id": template, "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let third = r.id();
    assert_eq!(
        job_graph(&app, &third).await["nodes"][1]["params"]["word_timestamps"],
        true
    );
    let job = wait_for(&app, member, &third, |_| false).await;
    assert_eq!(job["status"], "succeeded", "{job}");
});

/// (status, body) of a call with `{id}` replaced.
async fn try_route(
    app: &TestApp,
    cred: Cred<'_>,
    method: &Method,
    path: &str,
    body: &Option<Value>,
    id: &str,
) -> (StatusCode, Value) {
    let body = body
        .as_ref()
        .map(|b| serde_json::from_str(&b.to_string().replace("{id}", id)).expect("json"));
    let r = app
        .call(method.clone(), &path.replace("{id}", id), cred, body)
        .await;
    (r.status, r.body)
}

/// Every preset route, and a graph naming the preset.
fn routes() -> Vec<(Method, &'static str, Option<Value>)> {
    vec![
        (Method::GET, "/v1/presets/{id}", None),
        (
            Method::PATCH,
            "/v1/presets/{id}",
            Some(json!({"name": "pwned"})),
        ),
        (
            Method::PUT,
            "/v1/presets/{id}/sharing",
            Some(json!({"mode": "all"})),
        ),
        (Method::DELETE, "/v1/presets/{id}", None),
        (
            Method::POST,
            "/v1/graphs/validate",
            Some(graph_with("{id}", json!({}))),
        ),
    ]
}

/// `cred` cannot tell `id` from a missing preset on any route: same status and body (the id
/// itself aside), a 404 (or the graph's 422). Reseller admins validate no graphs (they have
/// no `workflows:read`; their templates are checked the same way, see above).
/// Callers that may not write presets get 403 on the write routes, for `id` and a missing id
/// alike.
async fn assert_missing(app: &TestApp, who: &str, cred: Cred<'_>, writes: bool, id: &str) {
    let missing = uuid::Uuid::now_v7().to_string();
    let graphs = !who.starts_with("reseller");
    for (method, path, body) in routes()
        .iter()
        .filter(|r| graphs || !r.1.starts_with("/v1/graphs"))
    {
        let on_target = try_route(app, cred, method, path, body, id).await;
        let on_missing = try_route(app, cred, method, path, body, &missing).await;
        let expected = if path.starts_with("/v1/graphs") {
            StatusCode::UNPROCESSABLE_ENTITY
        } else if *method != Method::GET && !writes {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(
            on_target.0, expected,
            "{who}: {method} {path}: {}",
            on_target.1
        );
        assert_eq!(
            on_target.1.to_string().replace(id, "ID"),
            on_missing.1.to_string().replace(&missing, "ID"),
            "{who}: {method} {path} tells them apart"
        );
    }
}

api_test!(presets_are_offered_only_where_shared, |app| {
    let w = app.world().await;
    let (tenant_c, c_admin, c_member) = tenant_c(&app, &w).await;
    let platform = whisper_preset(&app, &app.admin_token, "Platform", None).await;
    let r1_all = whisper_preset(&app, &w.reseller1_admin, "R1 all", None).await;
    let r1_a_only = whisper_preset(
        &app,
        &w.reseller1_admin,
        "R1 for A",
        Some(json!({"mode": "selected", "tenant_ids": [w.tenant_a]})),
    )
    .await;
    let r2_all = whisper_preset(&app, &w.reseller2_admin, "R2 all", None).await;
    let a_own = whisper_preset(&app, &w.a_admin.1, "A's own", None).await;
    let b_own = whisper_preset(&app, &w.b_admin.1, "B's own", None).await;
    let c_own = whisper_preset(&app, &c_admin, "C's own", None).await;

    let sorted = |mut v: Vec<String>| {
        v.sort();
        v.reverse();
        v
    };
    // Who uses what.
    for (who, cred, expect) in [
        (
            "A member",
            Cred::Bearer(&w.a_member.1),
            vec![&a_own, &r1_a_only, &r1_all, &platform],
        ),
        (
            "A viewer",
            Cred::Bearer(&w.a_viewer.1),
            vec![&a_own, &r1_a_only, &r1_all, &platform],
        ),
        (
            "A key",
            Cred::XApiKey(&w.a_key.1),
            vec![&a_own, &r1_a_only, &r1_all, &platform],
        ),
        (
            "C member (same reseller, not chosen)",
            Cred::Bearer(&c_member),
            vec![&c_own, &r1_all, &platform],
        ),
        (
            "B member (other reseller's tenant)",
            Cred::Bearer(&w.b_member.1),
            vec![&b_own, &r2_all, &platform],
        ),
        (
            "B key",
            Cred::XApiKey(&w.b_key.1),
            vec![&b_own, &r2_all, &platform],
        ),
        (
            "reseller 1",
            Cred::Bearer(&w.reseller1_admin),
            vec![&r1_a_only, &r1_all, &platform],
        ),
        (
            "reseller 2",
            Cred::Bearer(&w.reseller2_admin),
            vec![&r2_all, &platform],
        ),
    ] {
        let expect = sorted(expect.into_iter().cloned().collect());
        assert_eq!(list_ids(&app, cred, "/v1/presets").await, expect, "{who}");
    }
    assert_eq!(
        list_ids(&app, Cred::Bearer(&app.admin_token), "/v1/presets")
            .await
            .len(),
        7
    );

    // What is not offered is missing, on every route and in graphs.
    let cases: Vec<(&str, Cred, bool, Vec<&String>)> = vec![
        (
            "B member (other reseller's tenant)",
            Cred::Bearer(&w.b_member.1),
            false,
            vec![&r1_all, &r1_a_only, &a_own],
        ),
        (
            "B admin",
            Cred::Bearer(&w.b_admin.1),
            true,
            vec![&r1_all, &r1_a_only, &a_own, &c_own],
        ),
        (
            "B key",
            Cred::XApiKey(&w.b_key.1),
            false,
            vec![&r1_all, &a_own],
        ),
        (
            "C admin (same reseller, not chosen)",
            Cred::Bearer(&c_admin),
            true,
            vec![&r1_a_only, &a_own, &r2_all],
        ),
        (
            "C member",
            Cred::Bearer(&c_member),
            false,
            vec![&r1_a_only, &a_own],
        ),
        (
            "A viewer (other tenant's, other reseller's)",
            Cred::Bearer(&w.a_viewer.1),
            false,
            vec![&c_own, &b_own, &r2_all],
        ),
        (
            "A admin",
            Cred::Bearer(&w.a_admin.1),
            true,
            vec![&c_own, &b_own, &r2_all],
        ),
        (
            "reseller 2 admin",
            Cred::Bearer(&w.reseller2_admin),
            true,
            vec![&r1_all, &r1_a_only, &a_own],
        ),
        (
            "reseller 1 admin (its tenants' own presets are theirs)",
            Cred::Bearer(&w.reseller1_admin),
            true,
            vec![&a_own, &r2_all, &b_own],
        ),
    ];
    for (who, cred, writes, targets) in &cases {
        for id in targets {
            assert_missing(&app, who, *cred, *writes, id).await;
        }
    }
    // Offered but someone else's: readable and usable, never changed (403).
    for (who, cred, id) in [
        ("A admin on R1's", Cred::Bearer(&w.a_admin.1), &r1_all),
        (
            "A admin on the platform's",
            Cred::Bearer(&w.a_admin.1),
            &platform,
        ),
        (
            "reseller 1 on the platform's",
            Cred::Bearer(&w.reseller1_admin),
            &platform,
        ),
    ] {
        let r = app
            .call(Method::GET, &format!("/v1/presets/{id}"), cred, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{who}");
        assert_eq!(r.body["editable"], false, "{who}");
        for (method, path, body) in &routes()[1..4] {
            let (status, body) = try_route(&app, cred, method, path, body, id).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{who}: {method} {path}: {body}"
            );
        }
        if !who.starts_with("reseller") {
            let (status, body) = try_route(
                &app,
                cred,
                &Method::POST,
                "/v1/graphs/validate",
                &Some(graph_with("{id}", json!({}))),
                id,
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{who}: {body}");
        }
    }
    // A reseller uses the platform's presets in its templates.
    let r = app
        .post(
            "/v1/templates",
            &w.reseller1_admin,
            json!({"name": "with platform preset", "graph": graph_with(&platform, json!({}))}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // Share lists take only the owner's tenants. Re-sharing moves the preset from A to C.
    let r = app
        .call(
            Method::PUT,
            &format!("/v1/presets/{r1_a_only}/sharing"),
            Cred::Bearer(&w.reseller1_admin),
            Some(json!({"mode": "selected", "tenant_ids": [w.tenant_b]})),
        )
        .await;
    assert_eq!(r.code(), "validation_failed", "{}", r.body);
    let r = app
        .call(
            Method::PUT,
            &format!("/v1/presets/{r1_a_only}/sharing"),
            Cred::Bearer(&w.reseller1_admin),
            Some(json!({"mode": "selected", "tenant_ids": [tenant_c]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["sharing"]["tenant_ids"], json!([tenant_c]));
    assert_missing(
        &app,
        "A member after re-sharing",
        Cred::Bearer(&w.a_member.1),
        false,
        &r1_a_only,
    )
    .await;
    assert!(list_ids(&app, Cred::Bearer(&c_member), "/v1/presets")
        .await
        .contains(&r1_a_only));
    // Nothing changed on what the others tried.
    for id in [&r1_all, &a_own, &platform] {
        let r = app
            .get(&format!("/v1/presets/{id}"), &app.admin_token)
            .await;
        assert!(
            !r.body["name"].as_str().unwrap_or("").contains("pwned"),
            "{}",
            r.body
        );
    }
});

api_test!(preset_routes_require_their_scopes, |app| {
    let w = app.world().await;
    let id = whisper_preset(&app, &w.a_admin.1, "Scoped", None).await;
    // (method, path, body, the scope it needs)
    let routes: Vec<(Method, String, Option<Value>, &str)> = vec![
        (Method::GET, "/v1/presets".into(), None, "presets:read"),
        (
            Method::GET,
            format!("/v1/presets/{id}"),
            None,
            "presets:read",
        ),
        (
            Method::POST,
            "/v1/graphs/validate".into(),
            Some(graph_with(&id, json!({}))),
            "presets:read",
        ),
        (
            Method::POST,
            "/v1/presets".into(),
            Some(json!({"kind": "vad.silero", "name": "x", "params": {}})),
            "presets:write",
        ),
        (
            Method::PATCH,
            format!("/v1/presets/{id}"),
            Some(json!({"name": "renamed"})),
            "presets:write",
        ),
        (
            Method::PUT,
            format!("/v1/presets/{id}/sharing"),
            Some(json!({"mode": "all"})),
            "presets:write",
        ),
    ];
    for (method, path, body, _) in &routes {
        let r = app
            .call(method.clone(), path, Cred::None, body.clone())
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    // An API key with every permission of its owner but the one needed: 403.
    let all: Vec<String> = voxflow::auth::policy::allowed(voxflow::tenancy::Role::TenantAdmin)
        .iter()
        .map(|a| a.as_str().to_string())
        .collect();
    assert!(
        all.contains(&"presets:read".to_string()) && all.contains(&"presets:write".to_string())
    );
    for (method, path, body, need) in &routes {
        let scopes: Vec<&String> = all.iter().filter(|s| s.as_str() != *need).collect();
        let (_, key) = app
            .create_api_key(
                &w.a_admin.1,
                json!({"name": format!("no {need}"), "permissions": scopes}),
            )
            .await;
        let r = app
            .call(method.clone(), path, Cred::XApiKey(&key), body.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "key without {need}: {method} {path}: {}",
            r.body
        );
        assert_eq!(r.code(), "forbidden");
        let mut needs = vec![need.to_string()];
        if path.starts_with("/v1/graphs") {
            needs.push("workflows:read".into());
        }
        let (_, key) = app
            .create_api_key(
                &w.a_admin.1,
                json!({"name": format!("{method} {path}"), "permissions": needs}),
            )
            .await;
        let r = app
            .call(method.clone(), path, Cred::XApiKey(&key), body.clone())
            .await;
        assert!(
            r.status.is_success(),
            "key with {needs:?}: {method} {path}: {}",
            r.body
        );
    }
    // Viewers and members read and use presets; neither writes one.
    for (who, token) in [("viewer", &w.a_viewer.1), ("member", &w.a_member.1)] {
        for (method, path, body, need) in &routes {
            let r = app
                .call(method.clone(), path, Cred::Bearer(token), body.clone())
                .await;
            if need.ends_with(":read") {
                assert_eq!(
                    r.status,
                    StatusCode::OK,
                    "{who}: {method} {path}: {}",
                    r.body
                );
            } else {
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {method} {path}");
                assert_eq!(r.code(), "forbidden");
            }
        }
    }
    let r = app
        .delete(&format!("/v1/presets/{id}"), &w.a_viewer.1)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.delete(&format!("/v1/presets/{id}"), &w.a_admin.1).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
});

api_test!(nodes_list_the_presets_each_caller_may_use, |app| {
    let w = app.world().await;
    let platform = whisper_preset(&app, &app.admin_token, "Platform words", None).await;
    let r1 = create_preset(
        &app,
        &w.reseller1_admin,
        json!({"kind": "export.subtitles", "name": "R1 VTT", "description": "Broadcast",
               "params": {"format": "vtt"}}),
    )
    .await;
    let a_own = whisper_preset(&app, &w.a_admin.1, "A words", None).await;
    let r2 = whisper_preset(&app, &w.reseller2_admin, "R2 words", None).await;

    let presets_of = |body: &Value, kind: &str| -> Vec<(String, String, String)> {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind}"))["presets"]
            .as_array()
            .unwrap_or_else(|| panic!("{kind} has no presets list"))
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().unwrap_or("").to_string(),
                    p["name"].as_str().unwrap_or("").to_string(),
                    p["owner"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let a = app.get("/v1/nodes", &w.a_member.1).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        presets_of(&a.body, "whisper.transcribe"),
        vec![
            (platform.clone(), "Platform words".into(), "platform".into()),
            (a_own.clone(), "A words".into(), "tenant".into()),
        ]
    );
    assert_eq!(
        presets_of(&a.body, "export.subtitles"),
        vec![(r1.clone(), "R1 VTT".into(), "reseller".into())]
    );
    assert!(presets_of(&a.body, "vad.silero").is_empty());
    let one = app.get("/v1/nodes/export.subtitles", &w.a_member.1).await;
    assert_eq!(one.body["presets"][0]["id"], r1.as_str());
    assert_eq!(one.body["presets"][0]["description"], "Broadcast");

    let b = app.get("/v1/nodes", &w.b_member.1).await;
    assert_eq!(
        presets_of(&b.body, "whisper.transcribe"),
        vec![
            (platform.clone(), "Platform words".into(), "platform".into()),
            (r2.clone(), "R2 words".into(), "reseller".into()),
        ]
    );
    assert!(presets_of(&b.body, "export.subtitles").is_empty());

    // The ETag follows the presets: a new one changes the answer.
    let etag = a.headers["etag"].to_str().expect("etag").to_string();
    whisper_preset(&app, &w.a_admin.1, "A words 2", None).await;
    let again = app.get("/v1/nodes", &w.a_member.1).await;
    assert_ne!(again.headers["etag"].to_str().expect("etag"), etag);

    // Without presets:read the list is simply absent.
    let (_, key) = app
        .create_api_key(
            &w.a_member.1,
            json!({"name": "no presets", "permissions": ["workflows:read", "jobs:write"]}),
        )
        .await;
    let r = app
        .call(Method::GET, "/v1/nodes", Cred::XApiKey(&key), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i.get("presets").is_none()));
});

// The policies alone (no repository): a tenant scope reads only what is offered to it and its
// own, and writes only its own; another reseller's scope sees nothing of reseller 1's.
api_test!(postgres_rls_offers_presets_only_to_their_tenants, |app| {
    if app.backend != crate::helpers::Backend::Postgres {
        return; // RLS is a PostgreSQL feature; SQLite relies on the repositories alone.
    }
    let w = app.world().await;
    whisper_preset(&app, &app.admin_token, "Platform", None).await;
    let all = whisper_preset(&app, &w.reseller1_admin, "R1 all", None).await;
    let chosen = whisper_preset(
        &app,
        &w.reseller1_admin,
        "R1 for A",
        Some(json!({"mode": "selected", "tenant_ids": [w.tenant_a]})),
    )
    .await;
    let a_own = whisper_preset(&app, &w.a_admin.1, "A's", None).await;
    let url = app.database_url.clone();
    let all_after = all.clone();
    let (a, b, r1, r2) = (
        w.tenant_a.clone(),
        w.tenant_b.clone(),
        w.reseller1.clone(),
        w.reseller2.clone(),
    );
    tokio::task::spawn_blocking(move || {
        use diesel::connection::SimpleConnection;
        use diesel::Connection;
        let mut c = diesel::PgConnection::establish(&url).expect("connect as the service role");
        assert_eq!(count(&mut c, "SELECT count(*) AS n FROM node_presets"), 0);
        let scoped = |c: &mut diesel::PgConnection, sql: &str, check: &dyn Fn(&mut diesel::PgConnection)| {
            c.transaction::<_, diesel::result::Error, _>(|c| {
                c.batch_execute(sql)?;
                check(c);
                Ok(())
            })
            .ok();
        };
        let tenant = |t: &str, r: &str| format!("SELECT set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{t}', true), set_config('voxflow.reseller_id', '{r}', true)");
        scoped(&mut c, &tenant(&a, &r1), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM node_presets"), 4);
        });
        scoped(&mut c, &tenant(&b, &r2), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM node_presets"), 1, "the platform's only");
            assert_eq!(count(c, "SELECT count(*) AS n FROM node_preset_shares"), 0);
        });
        // Tenant B claiming reseller 1 in its settings still is not on the share list, and
        // never sees A's own.
        scoped(&mut c, &tenant(&b, &r1), &|c| {
            assert_eq!(count(c, &format!("SELECT count(*) AS n FROM node_presets WHERE id IN ('{chosen}', '{a_own}')")), 0);
        });
        scoped(&mut c, &tenant(&a, &r1), &|c| {
            let update = c.batch_execute(&format!("UPDATE node_presets SET name = 'pwned' WHERE id = '{all}'"));
            assert!(update.is_ok(), "matches no row the tenant may change");
            let insert = c.batch_execute(&format!(
                "INSERT INTO node_presets (id, reseller_id, kind, name, params, share_mode, created_at, updated_at) \
                 VALUES ('{}', '{r1}', 'vad.silero', 'x', '{{}}', 'all', now(), now())",
                uuid::Uuid::now_v7()
            ));
            assert!(insert.is_err(), "a tenant scope writes no reseller preset");
        });
        scoped(&mut c, &tenant(&a, &r1), &|c| {
            let insert = c.batch_execute(&format!(
                "INSERT INTO node_presets (id, tenant_id, kind, name, params, share_mode, created_at, updated_at) \
                 VALUES ('{}', '{b}', 'vad.silero', 'x', '{{}}', 'all', now(), now())",
                uuid::Uuid::now_v7()
            ));
            assert!(insert.is_err(), "a tenant scope writes no other tenant's preset");
        });
        scoped(&mut c, &format!("SELECT set_config('voxflow.scope', 'reseller', true), set_config('voxflow.reseller_id', '{r2}', true)"), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM node_presets"), 1, "the platform's only");
            assert_eq!(count(c, "SELECT count(*) AS n FROM node_preset_shares"), 0);
        });
    })
    .await
    .expect("rls checks");
    let r = app
        .get(&format!("/v1/presets/{all_after}"), &w.reseller1_admin)
        .await;
    assert_eq!(r.body["name"], "R1 all");
});
