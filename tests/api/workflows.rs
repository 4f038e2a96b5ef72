use crate::api_test;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

pub fn pipeline(model: &str) -> Value {
    json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"model": model}}},
            {"id": "srt", "type": "export.subtitles", "data": {"params": {"format": "srt"}}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
            {"id": "e2", "source": "asr", "sourceHandle": "transcript", "target": "srt", "targetHandle": "transcript"}
        ]
    })
}

/// Creates a workflow as `token`; returns its id.
pub async fn create_workflow(app: &TestApp, token: &str, name: &str, public: bool) -> String {
    let r = app
        .post(
            "/v1/workflows",
            token,
            json!({"name": name, "graph": pipeline("tiny.en"), "is_public": public}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id()
}

api_test!(
    workflows_are_versioned_and_shared_within_the_tenant,
    |app| {
        let w = app.world().await;
        let r = app.post("/v1/workflows", &w.a_member.1, json!({"name": "Subtitles", "description": "VAD-less", "graph": pipeline("tiny.en")})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.id();
        assert_eq!(r.body["version"], 1);
        assert_eq!(r.body["graph"]["nodes"][1]["kind"], "whisper.transcribe");
        assert_eq!(r.body["graph"]["edges"][0]["source_port"], "audio");

        let r = app
            .patch(
                &format!("/v1/workflows/{id}"),
                &w.a_member.1,
                json!({"graph": pipeline("base"), "name": "Subtitles v2"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["version"], 2);
        let r = app
            .patch(
                &format!("/v1/workflows/{id}"),
                &w.a_member.1,
                json!({"description": null}),
            )
            .await;
        assert_eq!(r.body["version"], 3);
        assert!(r.body["description"].is_null());

        let versions = app
            .get(&format!("/v1/workflows/{id}/versions"), &w.a_member.1)
            .await;
        let nums: Vec<i64> = versions.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|v| v["version"].as_i64())
            .collect();
        assert_eq!(nums, vec![3, 2, 1]);
        let v1 = app
            .get(&format!("/v1/workflows/{id}/versions/1"), &w.a_member.1)
            .await;
        assert_eq!(
            v1.body["graph"]["nodes"][1]["params"]["model"], "tiny.en",
            "versions are immutable"
        );
        assert_eq!(v1.body["name"], "Subtitles");
        assert_eq!(
            app.get(&format!("/v1/workflows/{id}/versions/9"), &w.a_member.1)
                .await
                .code(),
            "workflow_version_not_found"
        );

        // Private to its creator (and admins) until shared.
        assert_eq!(
            app.get(&format!("/v1/workflows/{id}"), &w.a_viewer.1)
                .await
                .code(),
            "workflow_not_found"
        );
        assert_eq!(
            app.get(&format!("/v1/workflows/{id}"), &w.a_admin.1)
                .await
                .status,
            StatusCode::OK
        );
        app.patch(
            &format!("/v1/workflows/{id}"),
            &w.a_member.1,
            json!({"is_public": true}),
        )
        .await;
        assert_eq!(
            app.get(&format!("/v1/workflows/{id}"), &w.a_viewer.1)
                .await
                .status,
            StatusCode::OK
        );
        // Shared is readable, not writable, by other members; viewers never write.
        let (_, other) = app
            .create_user(&w.a_admin.1, "m2@a.test", "member", None, None)
            .await;
        let r = app
            .patch(
                &format!("/v1/workflows/{id}"),
                &other,
                json!({"name": "mine now"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.patch(
                &format!("/v1/workflows/{id}"),
                &w.a_viewer.1,
                json!({"name": "x"})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.patch(
                &format!("/v1/workflows/{id}"),
                &w.a_admin.1,
                json!({"name": "Admin's edit"})
            )
            .await
            .body["version"],
            5
        );

        let list = app.get("/v1/workflows?name=admin", &w.a_viewer.1).await;
        assert_eq!(list.body["items"].as_array().expect("items").len(), 1);

        assert_eq!(
            app.delete(&format!("/v1/workflows/{id}"), &w.a_member.1)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            app.get(&format!("/v1/workflows/{id}"), &w.a_member.1)
                .await
                .code(),
            "workflow_not_found"
        );
    }
);

api_test!(workflows_with_bad_graphs_are_refused_precisely, |app| {
    let w = app.world().await;
    let mut g = pipeline("tiny.en");
    g["nodes"][1]["data"]["params"]["temperature"] = json!(3);
    g["edges"][1]["targetHandle"] = json!("audio");
    let r = app
        .post(
            "/v1/workflows",
            &w.a_member.1,
            json!({"name": "Broken", "graph": g}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "invalid_graph");
    let fields: Vec<&str> = r.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(fields.contains(&"graph/nodes/asr/params"), "{fields:?}");
    assert!(
        fields.contains(&"graph/edges/e2/targetHandle"),
        "{fields:?}"
    );
    // Cycle.
    let cyclic = json!({
        "nodes": [
            {"id": "d", "type": "audio.decode"}, {"id": "w", "type": "whisper.transcribe"}, {"id": "x", "type": "export.subtitles"}
        ],
        "edges": [
            {"id": "1", "source": "d", "sourceHandle": "audio", "target": "w", "targetHandle": "audio"},
            {"id": "2", "source": "w", "sourceHandle": "transcript", "target": "x", "targetHandle": "transcript"},
            {"id": "3", "source": "x", "sourceHandle": "file", "target": "d", "targetHandle": "file"}
        ]
    });
    let r = app
        .post(
            "/v1/workflows",
            &w.a_member.1,
            json!({"name": "Loop", "graph": cyclic}),
        )
        .await;
    assert_eq!(r.code(), "invalid_graph");
    assert!(r.body["detail"].as_str().expect("detail").contains("cycle"));
    // Platform and reseller admins own no workflows.
    assert_eq!(
        app.post(
            "/v1/workflows",
            &w.reseller1_admin,
            json!({"name": "x", "graph": pipeline("tiny.en")})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
});
