//! Tenant isolation as a matrix: every item route × method, tried with other tenants'
//! and other resellers' credentials (JWT and API key). Another tenant's object must be
//! indistinguishable from a missing one — same status, same problem code — and the
//! object must be untouched afterwards. Lists never show it either.

use crate::api_test;
use crate::helpers::{Cred, TestApp, World};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// (method, path with `{id}`, body) for every item route.
fn item_routes(kind: &str) -> Vec<(Method, String, Option<Value>)> {
    let base = format!("/v1/{kind}/{{id}}");
    let patch_body = match kind {
        "users" => json!({"first_name": "pwned"}),
        "tenants" => json!({"name": "pwned"}),
        "resellers" => json!({"name": "pwned"}),
        "plans" => json!({"name": "pwned"}),
        "workflows" => json!({"name": "pwned"}),
        "translation-engines" => json!({"name": "pwned"}),
        "credentials" => json!({"name": "pwned", "value": "pwned-secret-value"}),
        "branding/configurations" => json!({"product_name": "pwned"}),
        _ => json!({}),
    };
    let mut routes = vec![(Method::GET, base.clone(), None)];
    if kind == "files" {
        routes.push((Method::GET, format!("{base}/content"), None));
    }
    if kind == "translation-engines" {
        routes.push((Method::GET, format!("{base}/languages"), None));
    }
    if matches!(kind, "tenants" | "resellers") {
        // Usage reports (usage.rs has their role and scope matrix).
        routes.push((Method::GET, format!("{base}/usage"), None));
    }
    if kind == "tenants" {
        // Members and invitations (memberships.rs has their role matrix): another tenant's
        // are as missing as a missing tenant's, whoever the member named.
        let someone = "00000000-0000-7000-8000-000000000001";
        routes.push((Method::GET, format!("{base}/members"), None));
        routes.push((
            Method::POST,
            format!("{base}/members"),
            Some(json!({"email": "member@b.test", "role": "viewer"})),
        ));
        routes.push((
            Method::PATCH,
            format!("{base}/members/{someone}"),
            Some(json!({"role": "viewer"})),
        ));
        routes.push((Method::DELETE, format!("{base}/members/{someone}"), None));
        routes.push((Method::GET, format!("{base}/invitations"), None));
        routes.push((
            Method::POST,
            format!("{base}/invitations"),
            Some(json!({"email": "pwned@x.test", "role": "viewer"})),
        ));
        routes.push((
            Method::DELETE,
            format!("{base}/invitations/{someone}"),
            None,
        ));
    }
    // Billing (billing.rs has its role matrix).
    if kind == "tenants" {
        routes.push((Method::GET, format!("{base}/invoices/upcoming"), None));
    }
    if kind == "resellers" {
        routes.push((Method::GET, format!("{base}/dashboard"), None));
    }
    if kind == "invoices" {
        routes.push((Method::GET, format!("{base}/document"), None));
    }
    if kind == "tenants" {
        // The subscription status (revenuecat.rs has its role matrix).
        routes.push((Method::GET, format!("{base}/subscription"), None));
    }
    if kind == "resellers" {
        // A reseller's RevenueCat integration and the events it received.
        routes.push((Method::GET, format!("{base}/revenuecat"), None));
        routes.push((Method::PUT, format!("{base}/revenuecat"), Some(json!({}))));
        routes.push((Method::GET, format!("{base}/revenuecat/events"), None));
        routes.push((Method::DELETE, format!("{base}/revenuecat"), None));
    }
    if kind == "workflows" {
        // Upgrading an instance of a template (templates.rs has the template routes' matrix).
        routes.push((Method::POST, format!("{base}/upgrade"), Some(json!({}))));
    }
    if kind == "branding/configurations" {
        // Uploading (a JSON body: the owner check comes before the body is read) and
        // deleting an image.
        routes.push((Method::PUT, format!("{base}/assets/logo"), Some(json!({}))));
        routes.push((Method::DELETE, format!("{base}/assets/logo"), None));
    }
    if kind == "jobs" {
        routes.push((Method::GET, format!("{base}/events"), None));
        routes.push((Method::GET, format!("{base}/artifacts/srt.file.srt"), None));
        routes.push((Method::POST, format!("{base}/cancel"), Some(json!({}))));
        routes.push((Method::POST, format!("{base}/retry"), Some(json!({}))));
    }
    let read_only = matches!(
        kind,
        "audit-log" | "invoices" | "commission-statements" | "exports"
    );
    if !read_only && !matches!(kind, "api-keys" | "files" | "jobs") {
        routes.push((Method::PATCH, base.clone(), Some(patch_body)));
    }
    if kind == "tenants" {
        // Data exports (exports.rs has their role matrix).
        routes.push((Method::POST, format!("{base}/exports"), None));
        routes.push((Method::GET, format!("{base}/exports"), None));
    }
    if kind == "users" {
        routes.push((Method::POST, format!("{base}/exports"), None));
    }
    if kind == "exports" {
        routes.push((Method::GET, format!("{base}/content"), None));
    }
    if kind == "users" {
        // Erasing another tenant's user (data_lifecycle.rs has its role matrix).
        routes.push((Method::POST, format!("{base}/erasure"), None));
    }
    if kind == "users" {
        // A password reset of another tenant's user: as missing as any other change.
        routes.push((
            Method::PATCH,
            base.clone(),
            Some(json!({"password": "pwned-password-1"})),
        ));
    }
    if !read_only {
        routes.push((Method::DELETE, base, None));
    }
    routes
}

async fn call(
    app: &TestApp,
    cred: Cred<'_>,
    method: &Method,
    path: &str,
    body: &Option<Value>,
) -> (StatusCode, String) {
    let r = app.call(method.clone(), path, cred, body.clone()).await;
    let code = if r.status.is_success() {
        "SUCCESS".to_string()
    } else {
        r.code().to_string()
    };
    (r.status, code)
}

/// Asserts `cred` cannot tell `target_id` of `kind` apart from a missing id, for every method.
pub async fn assert_invisible(
    app: &TestApp,
    who: &str,
    cred: Cred<'_>,
    kind: &str,
    target_id: &str,
    must_be_404: bool,
) {
    let missing = uuid::Uuid::now_v7().to_string();
    for (method, template, body) in item_routes(kind) {
        let on_target = call(
            app,
            cred,
            &method,
            &template.replace("{id}", target_id),
            &body,
        )
        .await;
        let on_missing = call(
            app,
            cred,
            &method,
            &template.replace("{id}", &missing),
            &body,
        )
        .await;
        assert_eq!(
            on_target, on_missing,
            "{who}: {method} /v1/{kind}/<other's id> differs from a missing id"
        );
        assert!(
            !on_target.0.is_success(),
            "{who}: {method} {kind} succeeded on another's object"
        );
        // Tenant admins may never delete a tenant: 403 for every id, which reveals nothing.
        let role_forbids =
            kind == "tenants" && method == Method::DELETE && who.starts_with("B admin");
        if must_be_404 && !role_forbids {
            assert_eq!(on_target.0, StatusCode::NOT_FOUND, "{who}: {method} {kind}");
        }
    }
}

async fn list_ids(app: &TestApp, cred: Cred<'_>, path: &str) -> Vec<String> {
    let r = app.call(Method::GET, path, cred, None).await;
    if !r.status.is_success() {
        return Vec::new();
    }
    r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn a_audit_entry(app: &TestApp, w: &World) -> String {
    let r = app.get("/v1/audit-log?limit=1", &w.a_admin.1).await;
    r.body["items"][0]["id"]
        .as_str()
        .expect("an audit entry of tenant A")
        .to_string()
}

api_test!(tenant_b_cannot_see_or_touch_tenant_a, |app| {
    let w = app.world().await;
    let audit_a = a_audit_entry(&app, &w).await;
    let shared_workflow =
        crate::workflows::create_workflow(&app, &w.a_admin.1, "A shared", true).await;
    let upload = app
        .upload(
            Cred::Bearer(&w.a_member.1),
            "a.wav",
            crate::helpers::wav(1000),
        )
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{}", upload.body);
    let a_file = upload.id();
    let a_job = crate::jobs::submit(
        &app,
        &w.a_member.1,
        crate::jobs::vad_whisper_srt("tiny.en"),
        &crate::jobs::upload_speech(&app, &w.a_member.1, "isolation").await,
    )
    .await;
    let a_branding = crate::branding::create(
        &app,
        &w.a_admin.1,
        serde_json::json!({"product_name": "Tenant A"}),
    )
    .await;
    let a_invoice = crate::billing::november_invoice(&app, &w.tenant_a, &w.plan1).await;
    let a_credential = app
        .post(
            "/v1/credentials",
            &w.a_admin.1,
            json!({"name": "A's DeepL", "provider": "deepl", "value": "a-deepl-key-0123456789:fx"}),
        )
        .await;
    assert_eq!(
        a_credential.status,
        StatusCode::CREATED,
        "{}",
        a_credential.body
    );
    let a_credential = a_credential.id();
    let a_targets: Vec<(&str, String)> = vec![
        ("credentials", a_credential.clone()),
        ("invoices", a_invoice),
        ("branding/configurations", a_branding.clone()),
        ("workflows", shared_workflow.clone()),
        ("tenants", w.tenant_a.clone()),
        ("users", w.a_admin.0.clone()),
        ("users", w.a_member.0.clone()),
        ("users", w.a_viewer.0.clone()),
        ("api-keys", w.a_key.0.clone()),
        ("audit-log", audit_a.clone()),
        ("files", a_file.clone()),
        ("jobs", a_job.clone()),
    ];
    let attackers: Vec<(&str, Cred, bool)> = vec![
        ("B admin (JWT)", Cred::Bearer(&w.b_admin.1), true),
        ("B member (JWT)", Cred::Bearer(&w.b_member.1), false),
        (
            "B member (API key, bearer)",
            Cred::Bearer(&w.b_key.1),
            false,
        ),
        (
            "B member (API key, header)",
            Cred::XApiKey(&w.b_key.1),
            false,
        ),
    ];
    for (who, cred, is_admin) in &attackers {
        for (kind, id) in &a_targets {
            // Admins hold the permissions these routes need, so they must see a plain 404.
            let must_404 = *is_admin;
            assert_invisible(&app, who, *cred, kind, id, must_404).await;
        }
        for path in [
            "/v1/users?limit=100",
            "/v1/tenants?limit=100",
            "/v1/api-keys?limit=100",
            "/v1/audit-log?limit=100",
            "/v1/files?limit=100",
            "/v1/workflows?limit=100",
            "/v1/jobs?limit=100",
            "/v1/branding/configurations?limit=100",
            "/v1/invoices?limit=100",
            "/v1/credentials?limit=100",
        ] {
            let ids = list_ids(&app, *cred, path).await;
            for (_, id) in &a_targets {
                assert!(!ids.contains(id), "{who}: {path} lists tenant A's {id}");
            }
        }
        // Filters naming tenant A's id find nothing either.
        let ids = list_ids(&app, *cred, &format!("/v1/users?tenant_id={}", w.tenant_a)).await;
        assert!(ids.is_empty(), "{who}: filter by A's tenant id");
    }
    // Tenant A is untouched.
    let a = app
        .get(&format!("/v1/tenants/{}", w.tenant_a), &w.a_admin.1)
        .await;
    assert_eq!(a.body["name"], "Tenant A");
    let m = app
        .get(&format!("/v1/users/{}", w.a_member.0), &w.a_admin.1)
        .await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.body["first_name"].is_null());
    let f = app.get(&format!("/v1/files/{a_file}"), &w.a_member.1).await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    let b = app
        .get(
            &format!("/v1/branding/configurations/{a_branding}"),
            &w.a_admin.1,
        )
        .await;
    assert_eq!(b.body["product_name"], "Tenant A", "{}", b.body);
    let c = app
        .get(&format!("/v1/credentials/{a_credential}"), &w.a_admin.1)
        .await;
    assert_eq!(
        (c.body["name"].as_str(), c.body["hint"].as_str()),
        (Some("A's DeepL"), Some("…9:fx")),
        "{}",
        c.body
    );
    for email in ["admin@a.test", "member@a.test", "viewer@a.test"] {
        assert_eq!(
            app.login_response(email, crate::helpers::PASSWORD)
                .await
                .status,
            StatusCode::OK,
            "{email} keeps its password"
        );
    }
    assert_eq!(
        app.call(Method::GET, "/v1/me", Cred::Bearer(&w.a_key.1), None)
            .await
            .status,
        StatusCode::OK
    );
});

api_test!(reseller_admins_cannot_reach_other_resellers, |app| {
    let w = app.world().await;
    let audit_a = a_audit_entry(&app, &w).await;
    let r1_branding =
        crate::branding::create(&app, &w.reseller1_admin, json!({"product_name": "R1"})).await;
    let a_branding = crate::branding::create(
        &app,
        &w.reseller1_admin,
        json!({"tenant_id": w.tenant_a, "product_name": "A"}),
    )
    .await;
    let platform_branding =
        crate::branding::create(&app, &app.admin_token, json!({"product_name": "P"})).await;
    // A tenant admin manages neither its reseller's configuration nor the platform's.
    for id in [&r1_branding, &platform_branding] {
        assert_invisible(
            &app,
            "A admin",
            Cred::Bearer(&w.a_admin.1),
            "branding/configurations",
            id,
            true,
        )
        .await;
    }
    assert_invisible(
        &app,
        "reseller 1 admin",
        Cred::Bearer(&w.reseller1_admin),
        "branding/configurations",
        &platform_branding,
        true,
    )
    .await;
    let a_invoice = crate::billing::november_invoice(&app, &w.tenant_a, &w.plan1).await;
    let statements = app.get("/v1/commission-statements", &app.admin_token).await;
    let r1_statement = statements.body["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("reseller 1's statement: {}", statements.body))
        .to_string();
    let r1_targets: Vec<(&str, String)> = vec![
        ("invoices", a_invoice),
        ("commission-statements", r1_statement),
        ("branding/configurations", r1_branding.clone()),
        ("branding/configurations", a_branding.clone()),
        ("branding/configurations", platform_branding.clone()),
        ("resellers", w.reseller1.clone()),
        ("tenants", w.tenant_a.clone()),
        ("users", w.a_admin.0.clone()),
        ("users", w.a_member.0.clone()),
        ("plans", w.plan1.clone()),
        ("audit-log", audit_a),
    ];
    for (kind, id) in &r1_targets {
        assert_invisible(
            &app,
            "reseller 2 admin",
            Cred::Bearer(&w.reseller2_admin),
            kind,
            id,
            true,
        )
        .await;
    }
    // Tenant B (reseller 2) cannot be given reseller 1's plan, nor can reseller 2 create
    // tenants or users under reseller 1.
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_b),
            &w.reseller2_admin,
            json!({"subscription_plan_id": w.plan1}),
        )
        .await;
    assert_eq!(r.code(), "plan_not_found");
    let r = app
        .post(
            "/v1/tenants",
            &w.reseller2_admin,
            json!({"name": "Sneaky", "reseller_id": w.reseller1}),
        )
        .await;
    assert_eq!(r.code(), "reseller_not_found");
    let r = app.post("/v1/users", &w.reseller2_admin, json!({"email": "x@x.test", "password": crate::helpers::PASSWORD, "role": "member", "tenant_id": w.tenant_a})).await;
    assert_eq!(r.code(), "tenant_not_found");
    let ids = list_ids(
        &app,
        Cred::Bearer(&w.reseller2_admin),
        "/v1/tenants?limit=100",
    )
    .await;
    assert_eq!(ids, vec![w.tenant_b.clone()]);
    let ids = list_ids(&app, Cred::Bearer(&w.reseller2_admin), "/v1/resellers").await;
    assert_eq!(ids, vec![w.reseller2.clone()]);
    let plans = list_ids(&app, Cred::Bearer(&w.reseller2_admin), "/v1/plans").await;
    assert!(!plans.contains(&w.plan1));
    // Tenant users of reseller 1 see the plan on offer; tenant B's do not.
    assert_eq!(
        app.get(&format!("/v1/plans/{}", w.plan1), &w.a_member.1)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/v1/plans/{}", w.plan1), &w.b_member.1)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let ids = list_ids(
        &app,
        Cred::Bearer(&w.reseller2_admin),
        "/v1/branding/configurations",
    )
    .await;
    assert!(ids.is_empty(), "{ids:?}");
    // Reseller 1 still has everything.
    assert_eq!(
        app.get(
            &format!("/v1/branding/configurations/{r1_branding}"),
            &w.reseller1_admin
        )
        .await
        .body["product_name"],
        "R1"
    );
    assert_eq!(
        app.get(&format!("/v1/tenants/{}", w.tenant_a), &w.reseller1_admin)
            .await
            .body["name"],
        "Tenant A"
    );
    assert_eq!(
        app.get(&format!("/v1/plans/{}", w.plan1), &w.reseller1_admin)
            .await
            .body["name"],
        "R1 Pro"
    );
});

// Webhook endpoints: another tenant's is a missing one to every credential of tenant B
// (the member-owns-it check comes after the tenant scope, so it reveals nothing either).
api_test!(tenant_b_cannot_see_or_delete_tenant_a_webhooks, |app| {
    let w = app.world().await;
    // An IP literal: public, needs no DNS; no job finishes, so nothing is ever sent.
    let r = app
        .post(
            "/v1/webhooks",
            &w.a_member.1,
            json!({"url": "http://8.8.8.8:9/a-hook"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a_hook = r.id();
    let missing = uuid::Uuid::now_v7().to_string();
    for (who, cred) in [
        ("B admin (JWT)", Cred::Bearer(&w.b_admin.1)),
        ("B member (JWT)", Cred::Bearer(&w.b_member.1)),
        ("B member (API key)", Cred::XApiKey(&w.b_key.1)),
    ] {
        let on_target = call(
            &app,
            cred,
            &Method::DELETE,
            &format!("/v1/webhooks/{a_hook}"),
            &None,
        )
        .await;
        let on_missing = call(
            &app,
            cred,
            &Method::DELETE,
            &format!("/v1/webhooks/{missing}"),
            &None,
        )
        .await;
        assert_eq!(on_target, on_missing, "{who}");
        assert_eq!(on_target.0, StatusCode::NOT_FOUND, "{who}");
        let ids = list_ids(&app, cred, "/v1/webhooks").await;
        assert!(!ids.contains(&a_hook), "{who} lists A's endpoint");
    }
    let ids = list_ids(&app, Cred::Bearer(&w.a_admin.1), "/v1/webhooks").await;
    assert_eq!(ids, vec![a_hook], "A's endpoint is untouched");
});
