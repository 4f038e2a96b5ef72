//! Workflow templates (issue 12, §2): authoring and versions, publish/deprecate, sharing
//! (platform → everyone, reseller → all its tenants or a list), the isolation and
//! authorization matrices of every template route, instances, runs and upgrades.

use crate::api_test;
use crate::helpers::pg_count as count;
use crate::helpers::{Cred, TestApp, World};
use crate::jobs::{upload_speech, wait_for};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// decode → whisper (tiny.en); `language` varies the graph between versions.
fn whisper_graph(language: &str) -> Value {
    json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"model": "tiny.en", "language": language}}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"}
        ]
    })
}

async fn create_template(app: &TestApp, token: &str, body: Value) -> String {
    let r = app.post("/v1/templates", token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id()
}

async fn publish(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .post(&format!("/v1/templates/{id}/publish"), token, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

/// A published template named `name`, owned by whoever `token` is.
pub(crate) async fn published(
    app: &TestApp,
    token: &str,
    name: &str,
    sharing: Option<Value>,
) -> String {
    let mut body = json!({"name": name, "graph": whisper_graph("en")});
    if let Some(s) = sharing {
        body["sharing"] = s;
    }
    let id = create_template(app, token, body).await;
    publish(app, token, &id).await;
    id
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

api_test!(templates_are_versioned_published_and_deprecated, |app| {
    let w = app.world().await;
    let r1 = &w.reseller1_admin;
    let id = create_template(
        &app,
        r1,
        json!({"name": "Interviews", "description": "Transcribe an interview",
               "category": "interviews", "tags": ["English", "asr"],
               "graph": whisper_graph("en"),
               "inputs": {"src": "The interview recording (WAV, MP3, …)"},
               "preview_image_url": "https://cdn.example.com/interviews.png"}),
    )
    .await;
    let t = app.get(&format!("/v1/templates/{id}"), r1).await;
    assert_eq!(t.body["status"], "draft");
    assert_eq!(t.body["current_version"], 1);
    assert!(t.body["published_version"].is_null());
    assert_eq!(t.body["tags"], json!(["english", "asr"]));
    assert_eq!(
        t.body["inputs"]["src"],
        "The interview recording (WAV, MP3, …)"
    );
    assert_eq!(t.body["reseller_id"], w.reseller1.as_str());
    assert_eq!(t.body["sharing"]["mode"], "all");
    // A draft is offered to nobody.
    let a = Cred::Bearer(&w.a_member.1);
    assert!(list_ids(&app, a, "/v1/templates").await.is_empty());
    assert_eq!(
        app.get(&format!("/v1/templates/{id}"), &w.a_member.1)
            .await
            .code(),
        "template_not_found"
    );

    // Every save is a version; old versions stay as they were.
    let r = app
        .patch(
            &format!("/v1/templates/{id}"),
            r1,
            json!({"graph": whisper_graph("auto"), "description": "v2"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["current_version"], 2);
    assert_eq!(
        r.body["inputs"]["src"],
        "The interview recording (WAV, MP3, …)"
    );
    let versions = app.get(&format!("/v1/templates/{id}/versions"), r1).await;
    let numbers: Vec<i64> = versions.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| v["version"].as_i64().expect("n"))
        .collect();
    assert_eq!(numbers, vec![2, 1]);
    let v1 = app.get(&format!("/v1/templates/{id}/versions/1"), r1).await;
    assert_eq!(v1.body["graph"]["nodes"][1]["params"]["language"], "en");
    assert!(v1.body["published_at"].is_null());

    // Publish version 1: tenants see it (and only it).
    let r = app
        .post(
            &format!("/v1/templates/{id}/publish"),
            r1,
            json!({"version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "published");
    assert_eq!(r.body["published_version"], 1);
    assert_eq!(list_ids(&app, a, "/v1/templates").await, vec![id.clone()]);
    let seen = app.get(&format!("/v1/templates/{id}"), &w.a_member.1).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(seen.body["current_version"], 1);
    assert_eq!(seen.body["graph"]["nodes"][1]["params"]["language"], "en");
    assert!(
        seen.body.get("sharing").is_none(),
        "tenants never see share lists"
    );
    let tv = app
        .get(&format!("/v1/templates/{id}/versions"), &w.a_member.1)
        .await;
    assert_eq!(tv.body["items"].as_array().expect("items").len(), 1);
    let v2 = app
        .get(&format!("/v1/templates/{id}/versions/2"), &w.a_member.1)
        .await;
    assert_eq!(v2.status, StatusCode::NOT_FOUND);
    assert_eq!(v2.code(), "template_version_not_found");
    // Publish the newest.
    let r = publish(&app, r1, &id).await;
    assert_eq!(r["published_version"], 2);
    assert_eq!(
        app.get(&format!("/v1/templates/{id}/versions/2"), &w.a_member.1)
            .await
            .status,
        StatusCode::OK
    );
    let r = app
        .post(
            &format!("/v1/templates/{id}/publish"),
            r1,
            json!({"version": 9}),
        )
        .await;
    assert_eq!(r.code(), "template_version_not_found");

    // Deprecated: off the tenants' list, still readable by id, no more edits or publishing.
    let r = app
        .post(&format!("/v1/templates/{id}/deprecate"), r1, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "deprecated");
    assert!(list_ids(&app, a, "/v1/templates").await.is_empty());
    let seen = app.get(&format!("/v1/templates/{id}"), &w.a_member.1).await;
    assert_eq!(seen.body["status"], "deprecated");
    let r = app
        .patch(&format!("/v1/templates/{id}"), r1, json!({"name": "again"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "template_deprecated");
    let r = app
        .post(&format!("/v1/templates/{id}/publish"), r1, json!({}))
        .await;
    assert_eq!(r.code(), "template_deprecated");
    let owner_list = list_ids(&app, Cred::Bearer(r1), "/v1/templates?status=deprecated").await;
    assert_eq!(owner_list, vec![id.clone()]);

    // Validation: the graph against the registry, tags, documented inputs, preview URL.
    let r = app
        .post(
            "/v1/templates",
            r1,
            json!({"name": "Bad", "graph": {"nodes": [{"id": "x", "type": "no.such", "data": {}}], "edges": []}}),
        )
        .await;
    assert_eq!(r.code(), "invalid_graph");
    for bad in [
        json!({"name": "Bad", "graph": whisper_graph("en"), "tags": ["no\"quotes"]}),
        json!({"name": "Bad", "graph": whisper_graph("en"), "inputs": {"asr": "not an input"}}),
        json!({"name": "Bad", "graph": whisper_graph("en"), "preview_image_url": "file:///etc/passwd"}),
        json!({"name": "", "graph": whisper_graph("en")}),
    ] {
        let r = app.post("/v1/templates", r1, bad.clone()).await;
        assert_eq!(r.code(), "validation_failed", "{bad}: {}", r.body);
    }
});

api_test!(tenants_filter_search_and_page_templates, |app| {
    let w = app.world().await;
    let r1 = &w.reseller1_admin;
    let mut ids = Vec::new();
    for (name, category, tags, description) in [
        (
            "Spanish interviews",
            "interviews",
            json!(["es", "asr"]),
            "Entrevistas",
        ),
        (
            "Podcast subtitles",
            "subtitles",
            json!(["en"]),
            "SRT for podcasts",
        ),
        (
            "Meeting minutes",
            "meetings",
            json!(["en", "asr"]),
            "Board meetings",
        ),
    ] {
        let id = create_template(
            &app,
            r1,
            json!({"name": name, "category": category, "tags": tags,
                   "description": description, "graph": whisper_graph("en")}),
        )
        .await;
        publish(&app, r1, &id).await;
        ids.push(id);
    }
    let a = Cred::Bearer(&w.a_member.1);
    assert_eq!(
        list_ids(&app, a, "/v1/templates?category=subtitles").await,
        vec![ids[1].clone()]
    );
    assert_eq!(
        list_ids(&app, a, "/v1/templates?tag=asr").await,
        vec![ids[2].clone(), ids[0].clone()]
    );
    assert_eq!(
        list_ids(&app, a, "/v1/templates?q=PODCAST").await,
        vec![ids[1].clone()]
    );
    // Text search covers the description too; LIKE wildcards match literally.
    assert_eq!(
        list_ids(&app, a, "/v1/templates?q=entrevista").await,
        vec![ids[0].clone()]
    );
    assert!(list_ids(&app, a, "/v1/templates?q=%25").await.is_empty());
    // Cursor pagination, newest first.
    let first = app.get("/v1/templates?limit=2", &w.a_member.1).await;
    let page1: Vec<&str> = first.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id"))
        .collect();
    assert_eq!(page1, vec![ids[2].as_str(), ids[1].as_str()]);
    let cursor = first.body["next_cursor"].as_str().expect("cursor");
    let rest = list_ids(&app, a, &format!("/v1/templates?limit=2&cursor={cursor}")).await;
    assert_eq!(rest, vec![ids[0].clone()]);

    // The inputs doc alone is checked against the saved graph, and makes a version too.
    let r = app
        .patch(
            &format!("/v1/templates/{}", ids[0]),
            r1,
            json!({"inputs": {"src": "An interview in Spanish"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["current_version"], 2);
    assert_eq!(r.body["inputs"]["src"], "An interview in Spanish");
    let r = app
        .patch(
            &format!("/v1/templates/{}", ids[0]),
            r1,
            json!({"inputs": {"asr": "not an input"}}),
        )
        .await;
    assert_eq!(r.code(), "validation_failed", "{}", r.body);
});

/// Another tenant: `tenant C` of reseller 1 with a member.
async fn tenant_c(app: &TestApp, w: &World) -> (String, String) {
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
    (c, member)
}

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

/// Every template route a tenant may call on one template.
fn tenant_routes(file: &str) -> Vec<(Method, &'static str, Option<Value>)> {
    vec![
        (Method::GET, "/v1/templates/{id}", None),
        (Method::GET, "/v1/templates/{id}/versions", None),
        (Method::GET, "/v1/templates/{id}/versions/1", None),
        (
            Method::POST,
            "/v1/templates/{id}/instantiate",
            Some(json!({})),
        ),
        (
            Method::POST,
            "/v1/jobs",
            Some(json!({"template_id": "{id}", "inputs": {"src": file}})),
        ),
    ]
}

/// Every authoring route on one template.
fn owner_routes() -> Vec<(Method, &'static str, Option<Value>)> {
    vec![
        (Method::GET, "/v1/templates/{id}", None),
        (Method::GET, "/v1/templates/{id}/versions", None),
        (Method::GET, "/v1/templates/{id}/versions/1", None),
        (
            Method::PATCH,
            "/v1/templates/{id}",
            Some(json!({"name": "pwned"})),
        ),
        (Method::POST, "/v1/templates/{id}/publish", Some(json!({}))),
        (
            Method::POST,
            "/v1/templates/{id}/deprecate",
            Some(json!({})),
        ),
        (
            Method::PUT,
            "/v1/templates/{id}/sharing",
            Some(json!({"mode": "all"})),
        ),
    ]
}

/// `cred` cannot tell `id` from a missing template on any of `routes`: same status, same
/// body, and a 404.
async fn assert_missing(
    app: &TestApp,
    who: &str,
    cred: Cred<'_>,
    routes: &[(Method, &'static str, Option<Value>)],
    id: &str,
) {
    let missing = uuid::Uuid::now_v7().to_string();
    for (method, path, body) in routes {
        let on_target = try_route(app, cred, method, path, body, id).await;
        let on_missing = try_route(app, cred, method, path, body, &missing).await;
        assert_eq!(
            on_target.0,
            StatusCode::NOT_FOUND,
            "{who}: {method} {path}: {}",
            on_target.1
        );
        assert_eq!(
            on_target, on_missing,
            "{who}: {method} {path} tells them apart"
        );
    }
}

api_test!(templates_are_offered_only_where_shared, |app| {
    let w = app.world().await;
    let (tenant_c, c_member) = tenant_c(&app, &w).await;
    let platform = published(&app, &app.admin_token, "Platform", None).await;
    let r1_all = published(&app, &w.reseller1_admin, "R1 all", None).await;
    let r1_a_only = published(
        &app,
        &w.reseller1_admin,
        "R1 for A",
        Some(json!({"mode": "selected", "tenant_ids": [w.tenant_a]})),
    )
    .await;
    let r2_all = published(&app, &w.reseller2_admin, "R2 all", None).await;
    let r1_draft = create_template(
        &app,
        &w.reseller1_admin,
        json!({"name": "R1 draft", "graph": whisper_graph("en")}),
    )
    .await;
    let file_a = upload_speech(&app, &w.a_member.1, "hello").await;
    let file_b = upload_speech(&app, &w.b_member.1, "hello").await;
    let file_c = upload_speech(&app, &c_member, "hello").await;

    // Who sees what (lists).
    let mut expect_a = vec![r1_a_only.clone(), r1_all.clone(), platform.clone()];
    expect_a.sort();
    expect_a.reverse();
    let mut seen = list_ids(&app, Cred::Bearer(&w.a_member.1), "/v1/templates").await;
    assert_eq!(seen, expect_a, "tenant A");
    seen = list_ids(&app, Cred::Bearer(&c_member), "/v1/templates").await;
    assert_eq!(seen, vec![r1_all.clone(), platform.clone()], "tenant C");
    seen = list_ids(&app, Cred::Bearer(&w.b_member.1), "/v1/templates").await;
    assert_eq!(seen, vec![r2_all.clone(), platform.clone()], "tenant B");
    seen = list_ids(&app, Cred::XApiKey(&w.b_key.1), "/v1/templates").await;
    assert_eq!(
        seen,
        vec![r2_all.clone(), platform.clone()],
        "tenant B's key"
    );
    // Owners list their own only.
    let mut r1_own = vec![r1_all.clone(), r1_a_only.clone(), r1_draft.clone()];
    r1_own.sort();
    r1_own.reverse();
    seen = list_ids(&app, Cred::Bearer(&w.reseller1_admin), "/v1/templates").await;
    assert_eq!(seen, r1_own, "reseller 1");
    seen = list_ids(&app, Cred::Bearer(&w.reseller2_admin), "/v1/templates").await;
    assert_eq!(seen, vec![r2_all.clone()], "reseller 2");
    assert_eq!(
        list_ids(&app, Cred::Bearer(&app.admin_token), "/v1/templates")
            .await
            .len(),
        5
    );

    // What is not offered is missing, on every tenant route (instantiate and run included).
    let cases: Vec<(&str, Cred, &str, Vec<&String>)> = vec![
        (
            "B member (other reseller's tenant)",
            Cred::Bearer(&w.b_member.1),
            &file_b,
            vec![&r1_all, &r1_a_only, &r1_draft],
        ),
        (
            "B admin",
            Cred::Bearer(&w.b_admin.1),
            &file_b,
            vec![&r1_all, &r1_a_only],
        ),
        (
            "B member (API key)",
            Cred::XApiKey(&w.b_key.1),
            &file_b,
            vec![&r1_all, &r1_a_only],
        ),
        (
            "C member (same reseller, not chosen)",
            Cred::Bearer(&c_member),
            &file_c,
            vec![&r1_a_only, &r1_draft, &r2_all],
        ),
        (
            "A member (draft, other reseller)",
            Cred::Bearer(&w.a_member.1),
            &file_a,
            vec![&r1_draft, &r2_all],
        ),
    ];
    for (who, cred, file, targets) in &cases {
        for id in targets {
            assert_missing(&app, who, *cred, &tenant_routes(file), id).await;
        }
    }
    // Viewers read what their tenant is offered, and nothing else (their role runs nothing,
    // so only the reading routes can tell anything apart).
    let (_, b_viewer) = app
        .create_user(&w.b_admin.1, "viewer@b.test", "viewer", None, None)
        .await;
    let seen = list_ids(&app, Cred::Bearer(&b_viewer), "/v1/templates").await;
    assert_eq!(seen, vec![r2_all.clone(), platform.clone()], "B viewer");
    let reads: Vec<_> = tenant_routes(&file_b)
        .into_iter()
        .filter(|(m, _, _)| *m == Method::GET)
        .collect();
    for (who, cred, targets) in [
        (
            "B viewer (other reseller's tenant)",
            Cred::Bearer(&b_viewer),
            vec![&r1_all, &r1_a_only, &r1_draft],
        ),
        (
            "A viewer (other reseller, draft)",
            Cred::Bearer(&w.a_viewer.1),
            vec![&r2_all, &r1_draft],
        ),
    ] {
        for id in targets {
            assert_missing(&app, who, cred, &reads, id).await;
        }
    }
    let r = app
        .get(&format!("/v1/templates/{r1_all}"), &w.a_viewer.1)
        .await;
    assert_eq!(r.status, StatusCode::OK, "A viewer reads what A is offered");

    // The other reseller's admin can neither read nor change reseller 1's templates.
    for id in [&r1_all, &r1_a_only, &r1_draft] {
        assert_missing(
            &app,
            "reseller 2 admin",
            Cred::Bearer(&w.reseller2_admin),
            &owner_routes(),
            id,
        )
        .await;
    }
    // A reseller admin never manages platform templates.
    assert_missing(
        &app,
        "reseller 1 admin on a platform template",
        Cred::Bearer(&w.reseller1_admin),
        &owner_routes(),
        &platform,
    )
    .await;

    // Share lists take only the owner's tenants; platform templates go to everyone.
    let r = app
        .call(
            Method::PUT,
            &format!("/v1/templates/{r1_a_only}/sharing"),
            Cred::Bearer(&w.reseller1_admin),
            Some(json!({"mode": "selected", "tenant_ids": [w.tenant_b]})),
        )
        .await;
    assert_eq!(r.code(), "validation_failed", "{}", r.body);
    let r = app
        .call(
            Method::PUT,
            &format!("/v1/templates/{platform}/sharing"),
            Cred::Bearer(&app.admin_token),
            Some(json!({"mode": "selected", "tenant_ids": [w.tenant_a]})),
        )
        .await;
    assert_eq!(r.code(), "validation_failed", "{}", r.body);
    // Re-share "R1 for A" with C instead: A loses it, C gains it.
    let r = app
        .call(
            Method::PUT,
            &format!("/v1/templates/{r1_a_only}/sharing"),
            Cred::Bearer(&w.reseller1_admin),
            Some(json!({"mode": "selected", "tenant_ids": [tenant_c]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["sharing"]["tenant_ids"], json!([tenant_c]));
    assert!(
        !list_ids(&app, Cred::Bearer(&w.a_member.1), "/v1/templates")
            .await
            .contains(&r1_a_only)
    );
    assert!(list_ids(&app, Cred::Bearer(&c_member), "/v1/templates")
        .await
        .contains(&r1_a_only));
    assert_missing(
        &app,
        "A member after the share list changed",
        Cred::Bearer(&w.a_member.1),
        &tenant_routes(&file_a),
        &r1_a_only,
    )
    .await;
    // Nothing changed on the templates the attackers tried.
    let t = app
        .get(&format!("/v1/templates/{r1_all}"), &w.reseller1_admin)
        .await;
    assert_eq!(t.body["name"], "R1 all");
    assert_eq!(t.body["status"], "published");
});

api_test!(template_routes_require_their_scopes, |app| {
    let w = app.world().await;
    let id = published(&app, &w.reseller1_admin, "Scoped", None).await;
    let file = upload_speech(&app, &w.a_admin.1, "hello").await;
    let r = app
        .post(
            &format!("/v1/templates/{id}/instantiate"),
            &w.a_admin.1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let instance = r.id();
    // (method, path, body, the scopes it needs)
    let routes: Vec<(Method, String, Option<Value>, Vec<&str>)> = vec![
        (
            Method::GET,
            "/v1/templates".into(),
            None,
            vec!["templates:read"],
        ),
        (
            Method::GET,
            format!("/v1/templates/{id}"),
            None,
            vec!["templates:read"],
        ),
        (
            Method::GET,
            format!("/v1/templates/{id}/versions"),
            None,
            vec!["templates:read"],
        ),
        (
            Method::GET,
            format!("/v1/templates/{id}/versions/1"),
            None,
            vec!["templates:read"],
        ),
        (
            Method::POST,
            format!("/v1/templates/{id}/instantiate"),
            Some(json!({})),
            vec!["templates:read", "workflows:write"],
        ),
        (
            Method::POST,
            "/v1/jobs".into(),
            Some(json!({"template_id": id, "inputs": {"src": file}})),
            vec!["templates:read", "jobs:write"],
        ),
        (
            Method::POST,
            format!("/v1/workflows/{instance}/upgrade"),
            Some(json!({})),
            vec!["templates:read", "workflows:write"],
        ),
    ];
    let authoring: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::POST,
            "/v1/templates".into(),
            Some(json!({"name": "x", "graph": whisper_graph("en")})),
        ),
        (
            Method::PATCH,
            format!("/v1/templates/{id}"),
            Some(json!({"name": "x"})),
        ),
        (
            Method::POST,
            format!("/v1/templates/{id}/publish"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/v1/templates/{id}/deprecate"),
            Some(json!({})),
        ),
        (
            Method::PUT,
            format!("/v1/templates/{id}/sharing"),
            Some(json!({"mode": "all"})),
        ),
    ];
    // No credential: 401 everywhere.
    for (method, path, body, _) in &routes {
        let r = app
            .call(method.clone(), path, Cred::None, body.clone())
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    for (method, path, body) in &authoring {
        let r = app
            .call(method.clone(), path, Cred::None, body.clone())
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        // Tenant roles never author templates, whatever their credential.
        for (who, cred) in [
            ("A admin", Cred::Bearer(&w.a_admin.1)),
            ("A member", Cred::Bearer(&w.a_member.1)),
            ("A viewer", Cred::Bearer(&w.a_viewer.1)),
            ("A key", Cred::XApiKey(&w.a_key.1)),
        ] {
            let r = app.call(method.clone(), path, cred, body.clone()).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {method} {path}");
            assert_eq!(r.code(), "forbidden");
        }
    }
    // An API key holding every permission of its owner but one needed scope: 403.
    let admin_scopes = [
        "tenants:read",
        "tenants:write",
        "users:read",
        "users:write",
        "plans:read",
        "api_keys:read",
        "api_keys:write",
        "audit:read",
        "workflows:read",
        "workflows:write",
        "jobs:read",
        "jobs:write",
        "files:read",
        "files:write",
        "translation_engines:read",
        "translation_engines:write",
        "templates:read",
    ];
    for (method, path, body, needs) in &routes {
        for need in needs {
            let scopes: Vec<&str> = admin_scopes.iter().copied().filter(|s| s != need).collect();
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
        }
        // A key with exactly the needed scopes passes the authorization check.
        let (_, key) = app
            .create_api_key(
                &w.a_admin.1,
                json!({"name": format!("{method} {path}"), "permissions": needs}),
            )
            .await;
        let r = app
            .call(method.clone(), path, Cred::XApiKey(&key), body.clone())
            .await;
        assert_ne!(
            r.status,
            StatusCode::FORBIDDEN,
            "key with {needs:?}: {method} {path}: {}",
            r.body
        );
        assert_ne!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    // Viewers read templates but may neither instantiate nor run them.
    let viewer = Cred::Bearer(&w.a_viewer.1);
    for (method, path, body, needs) in &routes {
        let r = app.call(method.clone(), path, viewer, body.clone()).await;
        if needs.iter().all(|n| n.ends_with(":read")) {
            assert_eq!(
                r.status,
                StatusCode::OK,
                "viewer: {method} {path}: {}",
                r.body
            );
        } else {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "viewer: {method} {path}");
            assert_eq!(r.code(), "forbidden");
        }
    }
});

api_test!(instances_run_upgrade_and_survive_deprecation, |app| {
    let w = app.world().await;
    let r1 = &w.reseller1_admin;
    let member = &w.a_member.1;
    let id = create_template(
        &app,
        r1,
        json!({"name": "Transcribe", "graph": whisper_graph("en"),
               "inputs": {"src": "Speech to transcribe"}}),
    )
    .await;
    publish(&app, r1, &id).await;
    let file = upload_speech(&app, member, "the quick brown fox jumps over the lazy dog").await;

    // Run straight from the template version (pinned): the job's graph is that version's.
    let r = app
        .post(
            "/v1/jobs",
            member,
            json!({"template_id": id, "version": 1, "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = wait_for(&app, member, r.body["id"].as_str().expect("id"), |_| false).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert!(job["workflow_id"].is_null());
    // The job records the template version it ran, and the list filters by template.
    assert_eq!(job["template_id"], id.as_str(), "{job}");
    assert_eq!(job["template_version"], 1, "{job}");
    let listed = app.get(&format!("/v1/jobs?template_id={id}"), member).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let items = listed.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{}", listed.body);
    assert_eq!(items[0]["id"], job["id"]);
    assert_eq!(items[0]["template_version"], 1);
    let other = app
        .get(
            &format!("/v1/jobs?template_id={}", uuid::Uuid::new_v4()),
            member,
        )
        .await;
    assert_eq!(other.body["items"], json!([]), "{}", other.body);
    // A version that is not published does not run; neither does a missing template.
    let r = app
        .post(
            "/v1/jobs",
            member,
            json!({"template_id": id, "version": 2, "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.code(), "template_version_not_found");
    let r = app
        .post(
            "/v1/jobs",
            member,
            json!({"template_id": id, "workflow_id": id, "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.code(), "validation_failed");

    // Instantiate: a tenant workflow recording the template and version.
    let r = app
        .post(
            &format!("/v1/templates/{id}/instantiate"),
            member,
            json!({"name": "My transcriber"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let wf = r.id();
    assert_eq!(r.body["template_id"], id.as_str());
    assert_eq!(r.body["template_version"], 1);
    assert_eq!(r.body["version"], 1);
    assert_eq!(r.body["name"], "My transcriber");
    assert_eq!(r.body["upgrade_available"], false);

    // A new version, unpublished: no upgrade yet; published: upgrade_available.
    let r = app
        .patch(
            &format!("/v1/templates/{id}"),
            r1,
            json!({"graph": whisper_graph("auto")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let get = app.get(&format!("/v1/workflows/{wf}"), member).await;
    assert_eq!(get.body["upgrade_available"], false);
    let r = app
        .post(&format!("/v1/workflows/{wf}/upgrade"), member, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    publish(&app, r1, &id).await;
    let get = app.get(&format!("/v1/workflows/{wf}"), member).await;
    assert_eq!(get.body["upgrade_available"], true, "{}", get.body);
    let list = app.get("/v1/workflows", member).await;
    assert_eq!(list.body["items"][0]["upgrade_available"], true);

    // Upgrade: a new workflow version with the template's newest published graph.
    let r = app
        .post(&format!("/v1/workflows/{wf}/upgrade"), member, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.body["template_version"], 2);
    assert_eq!(r.body["upgrade_available"], false);
    assert_eq!(r.body["graph"]["nodes"][1]["params"]["language"], "auto");
    let v1 = app
        .get(&format!("/v1/workflows/{wf}/versions/1"), member)
        .await;
    assert_eq!(v1.body["graph"]["nodes"][1]["params"]["language"], "en");
    let r = app
        .post(&format!("/v1/workflows/{wf}/upgrade"), member, json!({}))
        .await;
    assert_eq!(r.code(), "conflict");
    // A workflow not made from a template has nothing to upgrade to.
    let plain = crate::workflows::create_workflow(&app, member, "plain", false).await;
    let r = app
        .post(&format!("/v1/workflows/{plain}/upgrade"), member, json!({}))
        .await;
    assert_eq!(r.code(), "conflict");

    // Deprecated: no new instances or runs, with a clear problem; the instance still runs.
    let r = app
        .post(&format!("/v1/templates/{id}/deprecate"), r1, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post(
            &format!("/v1/templates/{id}/instantiate"),
            member,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "template_deprecated");
    assert_eq!(r.body["type"], "/problems/template_deprecated");
    let r = app
        .post(
            "/v1/jobs",
            member,
            json!({"template_id": id, "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.code(), "template_deprecated");
    let get = app.get(&format!("/v1/workflows/{wf}"), member).await;
    assert_eq!(get.status, StatusCode::OK);
    assert_eq!(get.body["upgrade_available"], false);
    let r = app
        .post(
            "/v1/jobs",
            member,
            json!({"workflow_id": wf, "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = wait_for(&app, member, r.body["id"].as_str().expect("id"), |_| false).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["workflow_version"], 2);
});

// The policies alone (no repository): a tenant scope reads only what is offered to it and
// writes no template table; another reseller's scope sees nothing of reseller 1's.
api_test!(postgres_rls_offers_templates_only_to_their_tenants, |app| {
    if app.backend != crate::helpers::Backend::Postgres {
        return; // RLS is a PostgreSQL feature; SQLite relies on the repositories alone.
    }
    let w = app.world().await;
    let all = published(&app, &w.reseller1_admin, "R1 all", None).await;
    let chosen = published(
        &app,
        &w.reseller1_admin,
        "R1 for A",
        Some(json!({"mode": "selected", "tenant_ids": [w.tenant_a]})),
    )
    .await;
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
        assert_eq!(count(&mut c, "SELECT count(*) AS n FROM workflow_templates"), 0);
        let scoped = |c: &mut diesel::PgConnection, sql: &str, check: &dyn Fn(&mut diesel::PgConnection)| {
            c.transaction::<_, diesel::result::Error, _>(|c| {
                c.batch_execute(sql)?;
                check(c);
                Ok(())
            })
            .ok();
        };
        scoped(&mut c, &format!("SELECT set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{a}', true), set_config('voxflow.reseller_id', '{r1}', true)"), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM workflow_templates"), 2);
            assert_eq!(count(c, "SELECT count(*) AS n FROM workflow_template_versions"), 2);
        });
        scoped(&mut c, &format!("SELECT set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{b}', true), set_config('voxflow.reseller_id', '{r2}', true)"), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM workflow_templates"), 0);
            assert_eq!(count(c, "SELECT count(*) AS n FROM workflow_template_versions"), 0);
            assert_eq!(count(c, "SELECT count(*) AS n FROM workflow_template_shares"), 0);
        });
        // Tenant B claiming reseller 1 in its settings still is not on the share list.
        scoped(&mut c, &format!("SELECT set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{b}', true), set_config('voxflow.reseller_id', '{r1}', true)"), &|c| {
            assert_eq!(count(c, &format!("SELECT count(*) AS n FROM workflow_templates WHERE id = '{chosen}'")), 0);
        });
        scoped(&mut c, &format!("SELECT set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{a}', true), set_config('voxflow.reseller_id', '{r1}', true)"), &|c| {
            let update = c.batch_execute(&format!("UPDATE workflow_templates SET name = 'pwned' WHERE id = '{all}'"));
            assert!(update.is_ok(), "matches no row the tenant may change");
            let insert = c.batch_execute(&format!(
                "INSERT INTO workflow_templates (id, reseller_id, name, tags, status, share_mode, current_version, created_at, updated_at) \
                 VALUES ('{}', '{r1}', 'x', '[]', 'published', 'all', 1, now(), now())",
                uuid::Uuid::now_v7()
            ));
            assert!(insert.is_err(), "a tenant scope writes no template");
        });
        scoped(&mut c, &format!("SELECT set_config('voxflow.scope', 'reseller', true), set_config('voxflow.reseller_id', '{r2}', true)"), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM workflow_templates"), 0);
            assert_eq!(count(c, "SELECT count(*) AS n FROM workflow_template_shares"), 0);
        });
    })
    .await
    .expect("rls checks");
    let t = app
        .get(&format!("/v1/templates/{all_after}"), &w.reseller1_admin)
        .await;
    assert_eq!(t.body["name"], "R1 all");
});
