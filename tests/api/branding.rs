//! Branding with inheritance (issue 12, §3): configurations at three levels merged field by
//! field, the public lookup by host, ETags and invalidation (across processes on
//! PostgreSQL), image uploads and how they are served, the plan gate for tenant admins, the
//! scope matrix and row-level security. The isolation matrix has the configurations too
//! (isolation.rs).

use crate::api_test;
use crate::helpers::pg_count as count;
use crate::helpers::{spawn_app_with, Backend, Cred, Response, TestApp, World};
use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A real 1×1 PNG.
const PIXEL_PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

pub fn pixel_png() -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(PIXEL_PNG)
        .expect("png")
}

/// The start of a PNG of `w`×`h` (signature and IHDR: all the service reads), padded to
/// `len` bytes.
fn png_header(w: u32, h: u32, len: usize) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    v.resize(len.max(v.len()), 0);
    v
}

/// A JPEG's SOI and a baseline frame header of `w`×`h`.
fn jpeg_header(w: u16, h: u16) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&[3; 12]);
    v
}

/// A lossless WebP header of `w`×`h`.
fn webp_header(w: u32, h: u32) -> Vec<u8> {
    let mut v = b"RIFF\0\0\0\0WEBPVP8L\x05\0\0\0\x2f".to_vec();
    let bits = (w - 1) | ((h - 1) << 14);
    v.extend_from_slice(&bits.to_le_bytes());
    v.extend_from_slice(&[0; 8]);
    v
}

/// `PUT /v1/branding/configurations/{id}/assets/{kind}` with `bytes` as the `file` part,
/// named `name` and sent as `mime`.
pub async fn upload(
    app: &TestApp,
    token: &str,
    id: &str,
    kind: &str,
    name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str(mime)
            .expect("mime"),
    );
    let res = app
        .client
        .put(format!(
            "{}/v1/branding/configurations/{id}/assets/{kind}",
            app.base
        ))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload request");
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Response {
        status,
        headers,
        body,
    }
}

/// Creates a configuration as `token`; returns its id.
pub async fn create(app: &TestApp, token: &str, body: Value) -> String {
    let r = app.post("/v1/branding/configurations", token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id()
}

async fn public(app: &TestApp, host: &str) -> Response {
    app.call(
        Method::GET,
        &format!("/v1/branding/public?host={host}"),
        Cred::None,
        None,
    )
    .await
}

async fn get_with(app: &TestApp, path: &str, token: Option<&str>, etag: &str) -> Response {
    let mut req = app
        .client
        .get(format!("{}{path}", app.base))
        .header("If-None-Match", etag);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.expect("body");
    Response {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

fn etag(r: &Response) -> String {
    r.headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("an ETag")
        .to_string()
}

/// Platform, reseller 1 and tenant A configurations with distinct fields.
async fn three_levels(app: &TestApp, w: &World) -> (String, String, String) {
    let platform = create(
        app,
        &app.admin_token,
        json!({"product_name": "Platform Speech", "colors": {"background": "#000", "primary": "#010101"},
               "support_url": "https://help.platform.test", "email_sender_name": "Platform"}),
    )
    .await;
    let reseller = create(
        app,
        &w.reseller1_admin,
        json!({"product_name": "R1 Voice", "colors": {"primary": "#112233", "accent": "#445566"},
               "support_email": "help@r1.test", "powered_by": false}),
    )
    .await;
    let tenant = create(
        app,
        &w.reseller1_admin,
        json!({"tenant_id": w.tenant_a, "product_name": "Tenant A Speech", "colors": {"primary": "#ABC"}}),
    )
    .await;
    (platform, reseller, tenant)
}

api_test!(
    fields_merge_one_by_one_and_say_where_they_came_from,
    |app| {
        let w = app.world().await;
        // Nothing configured: the built-in default, for every caller and host.
        let r = app.get("/v1/branding", &w.a_member.1).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["product_name"], "Voxflow");
        assert_eq!(r.body["sources"]["product_name"], "default");
        assert_eq!(r.body["powered_by"], true);
        assert_eq!(r.body["warnings"], json!([]));
        let (platform, reseller, tenant) = three_levels(&app, &w).await;

        let a = app.get("/v1/branding", &w.a_member.1).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let b = &a.body;
        assert_eq!(b["product_name"], "Tenant A Speech");
        assert_eq!(b["colors"]["primary"], "#aabbcc");
        assert_eq!(b["colors"]["accent"], "#445566");
        assert_eq!(b["colors"]["background"], "#000000");
        assert_eq!(b["colors"]["text"], "#111827");
        assert_eq!(b["support_email"], "help@r1.test");
        assert_eq!(b["support_url"], "https://help.platform.test");
        assert_eq!(b["email_sender_name"], "Platform");
        assert_eq!(b["powered_by"], false);
        assert_eq!(b["logo_url"], Value::Null);
        assert_eq!(
            b["sources"],
            json!({
                "product_name": "tenant", "logo_url": "default", "favicon_url": "default",
                "colors": {"primary": "tenant", "secondary": "default", "accent": "reseller",
                           "background": "platform", "text": "default"},
                "support_email": "reseller", "support_url": "platform",
                "email_sender_name": "platform", "powered_by": "reseller"
            })
        );
        assert_eq!(b["warnings"], json!([]));
        // Viewers and API keys read it too.
        for cred in [Cred::Bearer(&w.a_viewer.1), Cred::XApiKey(&w.a_key.1)] {
            let r = app.call(Method::GET, "/v1/branding", cred, None).await;
            assert_eq!(r.body, a.body);
        }
        // Tenant B (reseller 2, which has none): the platform's.
        let bb = app.get("/v1/branding", &w.b_member.1).await;
        assert_eq!(bb.body["product_name"], "Platform Speech");
        assert_eq!(bb.body["sources"]["colors"]["primary"], "platform");
        assert_eq!(bb.body["powered_by"], true);
        // A reseller admin sees its reseller's, a platform admin the platform's.
        let r1 = app.get("/v1/branding", &w.reseller1_admin).await;
        assert_eq!(r1.body["product_name"], "R1 Voice");
        assert_eq!(r1.body["sources"]["product_name"], "reseller");
        let p = app.get("/v1/branding", &app.admin_token).await;
        assert_eq!(p.body["product_name"], "Platform Speech");

        // The stored configurations: null fields inherit.
        let t = app
            .get(
                &format!("/v1/branding/configurations/{tenant}"),
                &w.a_admin.1,
            )
            .await;
        assert_eq!(t.status, StatusCode::OK, "{}", t.body);
        assert_eq!(t.body["level"], "tenant");
        assert_eq!(t.body["tenant_id"], json!(w.tenant_a));
        assert_eq!(t.body["colors"]["primary"], "#aabbcc");
        assert_eq!(t.body["colors"]["accent"], Value::Null);
        assert_eq!(t.body["support_email"], Value::Null);
        // Who lists what.
        let ids = |r: &Response| -> Vec<String> {
            r.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["id"].as_str().unwrap_or("").to_string())
                .collect()
        };
        let all = app
            .get("/v1/branding/configurations", &app.admin_token)
            .await;
        assert_eq!(ids(&all).len(), 3);
        let mine = app
            .get("/v1/branding/configurations", &w.reseller1_admin)
            .await;
        assert_eq!(ids(&mine), vec![tenant.clone(), reseller.clone()]);
        let own = app.get("/v1/branding/configurations", &w.a_viewer.1).await;
        assert_eq!(ids(&own), vec![tenant.clone()]);
        let levels = app
            .get(
                "/v1/branding/configurations?level=platform",
                &app.admin_token,
            )
            .await;
        assert_eq!(ids(&levels), vec![platform.clone()]);

        // PATCH: null inherits again, colours change one by one.
        let r = app
            .patch(
                &format!("/v1/branding/configurations/{tenant}"),
                &w.a_admin.1,
                json!({"product_name": null, "colors": {"primary": null, "secondary": "#0f0"}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let a = app.get("/v1/branding", &w.a_member.1).await;
        assert_eq!(a.body["product_name"], "R1 Voice");
        assert_eq!(a.body["sources"]["product_name"], "reseller");
        assert_eq!(a.body["colors"]["primary"], "#112233");
        assert_eq!(a.body["colors"]["secondary"], "#00ff00");
        assert_eq!(a.body["sources"]["colors"]["secondary"], "tenant");

        // One configuration per owner; invalid fields are named.
        let r = app
            .post(
                "/v1/branding/configurations",
                &w.reseller1_admin,
                json!({"tenant_id": w.tenant_a}),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "branding_exists")
        );
        assert!(r.body["detail"].as_str().unwrap_or("").contains(&tenant));
        let r = app
            .patch(
                &format!("/v1/branding/configurations/{reseller}"),
                &w.reseller1_admin,
                json!({"colors": {"primary": "blue", "glow": "#fff"}}),
            )
            .await;
        assert_eq!(r.code(), "validation_failed", "{}", r.body);
        let r = app
        .patch(
            &format!("/v1/branding/configurations/{reseller}"),
            &w.reseller1_admin,
            json!({"colors": {"primary": "blue"}, "support_email": "nope", "support_url": "ftp://x",
                   "custom_domain": "not a domain", "subdomain": "www", "logo": "some-id",
                   "email_sender_name": "Evil <x@y>"}),
        )
        .await;
        assert_eq!(r.code(), "validation_failed", "{}", r.body);
        let fields: Vec<&str> = r.body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or(""))
            .collect();
        for f in [
            "colors/primary",
            "support_email",
            "support_url",
            "custom_domain",
            "subdomain",
            "logo",
            "email_sender_name",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        // Every change is in the audit log, the tenant's in its reseller's too.
        let log = app
            .get(
                "/v1/audit-log?action=branding.update&limit=100",
                &w.reseller1_admin,
            )
            .await;
        assert!(
            log.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|e| e["target_id"] == json!(tenant)),
            "{}",
            log.body
        );
        let log = app
            .get(
                "/v1/audit-log?action=branding.create&limit=100",
                &app.admin_token,
            )
            .await;
        assert_eq!(log.body["items"].as_array().map(Vec::len), Some(3));
        // Deleting a configuration: its owner inherits everything again.
        let r = app
            .delete(
                &format!("/v1/branding/configurations/{reseller}"),
                &w.reseller1_admin,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let a = app.get("/v1/branding", &w.a_member.1).await;
        assert_eq!(a.body["product_name"], "Platform Speech");
        assert_eq!(a.body["powered_by"], true);
        assert_eq!(a.body["colors"]["secondary"], "#00ff00");
    }
);

api_test!(broken_parts_fall_back_with_warnings, |app| {
    let w = app.world().await;
    let (_, reseller, tenant) = three_levels(&app, &w).await;
    let r = upload(
        &app,
        &w.reseller1_admin,
        &reseller,
        "logo",
        "r1.png",
        "image/png",
        png_header(300, 100, 500),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let reseller_logo = r.body["logo"]["url"].as_str().expect("url").to_string();
    let r = upload(
        &app,
        &w.a_admin.1,
        &tenant,
        "logo",
        "a.png",
        "image/png",
        pixel_png(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tenant_logo = r.body["logo"]["url"].as_str().expect("url").to_string();
    let a = app.get("/v1/branding", &w.a_member.1).await;
    assert_eq!(a.body["logo_url"], json!(tenant_logo));
    assert_eq!(a.body["sources"]["logo_url"], "tenant");

    // Deleting the tenant's logo: the reseller's is used, and the answer says why.
    let r = app
        .delete(
            &format!("/v1/branding/configurations/{tenant}/assets/logo"),
            &w.a_admin.1,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let a = app.get("/v1/branding", &w.a_member.1).await;
    assert_eq!(a.body["logo_url"], json!(reseller_logo));
    assert_eq!(a.body["sources"]["logo_url"], "reseller");
    assert_eq!(
        a.body["warnings"],
        json!([{"field": "logo_url", "level": "tenant",
                "message": "the tenant's logo was deleted; the reseller's value is used"}])
    );
    // The configuration shows the deleted image; its URL is gone.
    let t = app
        .get(
            &format!("/v1/branding/configurations/{tenant}"),
            &w.a_admin.1,
        )
        .await;
    assert!(t.body["logo"]["deleted_at"].is_string(), "{}", t.body);
    assert_eq!(t.body["logo"]["url"], Value::Null);
    let gone = app.call(Method::GET, &tenant_logo, Cred::None, None).await;
    assert_eq!(
        (gone.status, gone.code()),
        (StatusCode::NOT_FOUND, "branding_asset_not_found")
    );
    let again = app
        .delete(
            &format!("/v1/branding/configurations/{tenant}/assets/logo"),
            &w.a_admin.1,
        )
        .await;
    assert_eq!(again.code(), "branding_asset_not_found");

    // A colour stored before it was checked (written here straight into the table) is
    // skipped for the next level's, with a warning; so is a bad support email.
    let id = tenant.clone();
    app.store
        .write_blocking(voxflow::tenancy::Scope::System, move |c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(format!(
                "UPDATE branding_configurations SET colors = '{{\"primary\": \"hotpink\", \"text\": \"#12\"}}', \
                 support_email = 'not-an-email' WHERE id = '{id}'"
            ))
            .execute(c)?;
            Ok(())
        })
        .expect("store an invalid colour");
    // Any change drops the cache (on PostgreSQL the direct write already announced itself).
    let r = app
        .patch(
            &format!("/v1/branding/configurations/{tenant}"),
            &w.a_admin.1,
            json!({"support_url": "https://help.a.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let a = app.get("/v1/branding", &w.a_member.1).await;
    assert_eq!(a.body["colors"]["primary"], "#112233");
    assert_eq!(a.body["sources"]["colors"]["primary"], "reseller");
    assert_eq!(a.body["colors"]["text"], "#111827");
    assert_eq!(a.body["sources"]["colors"]["text"], "default");
    assert_eq!(a.body["support_email"], "help@r1.test");
    let fields: Vec<&str> = a.body["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        fields,
        ["logo_url", "colors.primary", "colors.text", "support_email"]
    );
    assert!(a.body["warnings"][1]["message"]
        .as_str()
        .unwrap_or("")
        .contains("hotpink"));
    // The public lookup reports the same.
    let r = app
        .patch(
            &format!("/v1/branding/configurations/{tenant}"),
            &w.a_admin.1,
            json!({"custom_domain": "brand.tenant-a.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = public(&app, "brand.tenant-a.test").await;
    assert_eq!(p.body["warnings"].as_array().map(Vec::len), Some(4));

    // Inheriting on purpose: no warning.
    let r = app
        .patch(
            &format!("/v1/branding/configurations/{tenant}"),
            &w.a_admin.1,
            json!({"logo": null, "colors": {"primary": null, "text": null}, "support_email": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["logo"], Value::Null);
    let a = app.get("/v1/branding", &w.a_member.1).await;
    assert_eq!(a.body["warnings"], json!([]));
    assert_eq!(a.body["logo_url"], json!(reseller_logo));
});

async fn host_lookup(backend: Backend) {
    let Some(app) =
        spawn_app_with(backend, |s| s.branding_base_domain = "voxflow.test".into()).await
    else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    let (_, reseller, tenant) = three_levels(&app, &w).await;
    let r = app
        .patch(
            &format!("/v1/branding/configurations/{tenant}"),
            &w.a_admin.1,
            json!({"custom_domain": "Login.Tenant-A.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["custom_domain"], "login.tenant-a.test");
    let r = app
        .patch(
            &format!("/v1/branding/configurations/{reseller}"),
            &w.reseller1_admin,
            json!({"subdomain": "r1"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // A tenant's custom domain (any case, a port, a trailing dot).
    for host in [
        "login.tenant-a.test",
        "LOGIN.tenant-a.TEST.",
        "login.tenant-a.test:8443",
    ] {
        let r = public(&app, host).await;
        assert_eq!(r.status, StatusCode::OK, "{host}: {}", r.body);
        assert_eq!(r.body["product_name"], "Tenant A Speech", "{host}");
        assert_eq!(r.body["sources"]["product_name"], "tenant");
        assert_eq!(r.body["colors"]["accent"], "#445566");
        // Branding and nothing else: no ids, no domains of anyone.
        let text = r.body.to_string();
        for secret in [&w.tenant_a, &w.reseller1, &tenant, &reseller] {
            assert!(!text.contains(secret.as_str()), "{host} reveals {secret}");
        }
        assert!(!text.contains("tenant-a.test"));
    }
    // A reseller's subdomain under the base domain.
    let r = public(&app, "r1.voxflow.test").await;
    assert_eq!(r.body["product_name"], "R1 Voice");
    assert_eq!(r.body["sources"]["product_name"], "reseller");
    // Anything else: the platform's branding, never a 404.
    for host in [
        "unknown.example",
        "x.r1.voxflow.test",
        "voxflow.test",
        "10.0.0.1",
        "%20",
    ] {
        let r = public(&app, host).await;
        assert_eq!(r.status, StatusCode::OK, "{host}");
        assert_eq!(r.body["product_name"], "Platform Speech", "{host}");
    }
    // No `?host=`: the request's Host header.
    let res = app
        .client
        .get(format!("{}/v1/branding/public", app.base))
        .header("Host", "r1.voxflow.test")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["product_name"], "R1 Voice");
    let plain = app
        .call(Method::GET, "/v1/branding/public", Cred::None, None)
        .await;
    assert_eq!(plain.body["product_name"], "Platform Speech");

    // Claims are unique across all configurations, and not under the base domain.
    let r = app
        .post(
            "/v1/branding/configurations",
            &w.reseller2_admin,
            json!({"custom_domain": "login.tenant-a.test"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "domain_taken"));
    let r = app
        .post(
            "/v1/branding/configurations",
            &w.reseller2_admin,
            json!({"subdomain": "R1"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "domain_taken"));
    let r = app
        .post(
            "/v1/branding/configurations",
            &w.reseller2_admin,
            json!({"custom_domain": "r2.voxflow.test"}),
        )
        .await;
    assert_eq!(r.code(), "validation_failed");
    let r2 = create(&app, &w.reseller2_admin, json!({"subdomain": "r2"})).await;
    let r = public(&app, "r2.voxflow.test").await;
    assert_eq!(r.body["sources"]["product_name"], "platform");
    assert_eq!(r.body["sources"]["powered_by"], "default");
    let r = app
        .patch(
            &format!("/v1/branding/configurations/{r2}"),
            &w.reseller2_admin,
            json!({"product_name": "R2"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        public(&app, "r2.voxflow.test").await.body["product_name"],
        "R2"
    );

    // A deleted tenant's domain shows the platform's branding.
    let r = app
        .delete(&format!("/v1/tenants/{}", w.tenant_a), &w.reseller1_admin)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = public(&app, "login.tenant-a.test").await;
    assert_eq!(r.body["product_name"], "Platform Speech");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_lookup_by_custom_domain_subdomain_and_unknown_host_sqlite() {
    host_lookup(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_lookup_by_custom_domain_subdomain_and_unknown_host_postgres() {
    host_lookup(Backend::Postgres).await;
}

api_test!(etags_answer_304_until_a_change, |app| {
    let w = app.world().await;
    let (_, _, tenant) = three_levels(&app, &w).await;
    let r = app
        .patch(
            &format!("/v1/branding/configurations/{tenant}"),
            &w.a_admin.1,
            json!({"custom_domain": "etag.tenant-a.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let private = "/v1/branding";
    let public_path = "/v1/branding/public?host=etag.tenant-a.test";
    let first = app.get(private, &w.a_member.1).await;
    let tag = etag(&first);
    assert!(
        tag.starts_with('"') && !tag.starts_with("W/"),
        "strong: {tag}"
    );
    assert_eq!(
        first
            .headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("private, no-cache")
    );
    let pub_first = app.call(Method::GET, public_path, Cred::None, None).await;
    let pub_tag = etag(&pub_first);
    assert_eq!(pub_tag, tag, "the same branding, the same ETag");
    assert_eq!(
        pub_first
            .headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("public, no-cache")
    );
    for _ in 0..2 {
        let r = get_with(&app, private, Some(&w.a_member.1), &tag).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED);
        assert_eq!(etag(&r), tag);
        assert_eq!(r.body, Value::String(String::new()));
        let r = get_with(&app, public_path, None, &pub_tag).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    }
    let r = get_with(&app, private, Some(&w.a_member.1), "\"something-else\"").await;
    assert_eq!(r.status, StatusCode::OK);

    // A PostgreSQL peer process caches the public answer too.
    let peer = if app.backend == Backend::Postgres {
        let base = app.spawn_peer(|_| {}).await;
        let r = app
            .client
            .get(format!("{base}{public_path}"))
            .send()
            .await
            .expect("peer");
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["product_name"], "Tenant A Speech");
        Some(base)
    } else {
        None
    };

    // A change at any level is seen at once, with a new ETag.
    let r = app
        .patch(
            &format!("/v1/branding/configurations/{tenant}"),
            &w.reseller1_admin,
            json!({"product_name": "Renamed"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = get_with(&app, private, Some(&w.a_member.1), &tag).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["product_name"], "Renamed");
    let tag2 = etag(&r);
    assert_ne!(tag2, tag);
    let r = get_with(&app, public_path, None, &pub_tag).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["product_name"], "Renamed");
    // A change above the tenant (the reseller's accent) changes the tenant's answer too.
    let list = app
        .get(
            "/v1/branding/configurations?level=reseller",
            &w.reseller1_admin,
        )
        .await;
    let reseller = list.body["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = app
        .patch(
            &format!("/v1/branding/configurations/{reseller}"),
            &w.reseller1_admin,
            json!({"colors": {"accent": "#999999"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = get_with(&app, private, Some(&w.a_member.1), &tag2).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["colors"]["accent"], "#999999");

    // The peer hears of the change (NOTIFY) and drops its cache.
    if let Some(base) = peer {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let body: Value = app
                .client
                .get(format!("{base}{public_path}"))
                .send()
                .await
                .expect("peer")
                .json()
                .await
                .expect("json");
            if body["product_name"] == "Renamed" && body["colors"]["accent"] == "#999999" {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the peer still serves {body} after the change"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
});

api_test!(images_are_sniffed_limited_and_served_immutable, |app| {
    let w = app.world().await;
    let id = create(&app, &w.a_admin.1, json!({"product_name": "A"})).await;
    let token = &w.a_admin.1;
    // A PNG named .jpg and sent as image/jpeg is a PNG.
    let r = upload(
        &app,
        token,
        &id,
        "logo",
        "logo.jpg",
        "image/jpeg",
        pixel_png(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let logo = &r.body["logo"];
    assert_eq!(logo["content_type"], "image/png");
    assert_eq!(
        (logo["width"].as_i64(), logo["height"].as_i64()),
        (Some(1), Some(1))
    );
    let url = logo["url"].as_str().expect("url").to_string();
    let sha = logo["sha256"].as_str().expect("sha").to_string();
    assert_eq!(url, format!("/v1/branding/assets/{sha}.png"));
    // JPEG and WebP are taken too (as favicons here).
    let r = upload(
        &app,
        token,
        &id,
        "favicon",
        "f.png",
        "image/png",
        jpeg_header(64, 32),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["favicon"]["content_type"], "image/jpeg");
    assert_eq!(r.body["favicon"]["width"], 64);
    let r = upload(
        &app,
        token,
        &id,
        "favicon",
        "f.bin",
        "application/octet-stream",
        webp_header(48, 48),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["favicon"]["content_type"], "image/webp");
    assert!(r.body["favicon"]["url"]
        .as_str()
        .unwrap_or("")
        .ends_with(".webp"));

    // Refusals, each with its code; nothing changes.
    let refusals: Vec<(&str, &str, Vec<u8>, StatusCode, &str)> = vec![
        ("logo", "notes.png", b"just some text, honest".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "image_not_supported"),
        ("logo", "logo.svg", br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "image_not_supported"),
        ("logo", "wide.png", png_header(4096, 100, 100), StatusCode::UNPROCESSABLE_ENTITY, "image_dimensions_too_large"),
        ("favicon", "big.png", png_header(600, 600, 100), StatusCode::UNPROCESSABLE_ENTITY, "image_dimensions_too_large"),
        ("logo", "heavy.png", png_header(100, 100, 1024 * 1024 + 1), StatusCode::PAYLOAD_TOO_LARGE, "image_too_large"),
        ("favicon", "heavy.png", png_header(16, 16, 256 * 1024 + 1), StatusCode::PAYLOAD_TOO_LARGE, "image_too_large"),
        ("logo", "cut.png", b"\x89PNG\r\n\x1a\n\0\0".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "image_not_supported"),
    ];
    for (kind, name, bytes, status, code) in refusals {
        let r = upload(&app, token, &id, kind, name, "image/png", bytes).await;
        assert_eq!((r.status, r.code()), (status, code), "{name}: {}", r.body);
        if name == "logo.svg" {
            assert!(
                r.body["detail"].as_str().unwrap_or("").contains("SVG"),
                "{}",
                r.body
            );
        }
    }
    // Exactly at the byte limit is fine.
    let r = upload(
        &app,
        token,
        &id,
        "logo",
        "edge.png",
        "image/png",
        png_header(100, 100, 1024 * 1024),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let edge_url = r.body["logo"]["url"].as_str().expect("url").to_string();
    // Replacing the logo removed the old image.
    let old = app.call(Method::GET, &url, Cred::None, None).await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    let r = upload(
        &app,
        token,
        &id,
        "logo",
        "logo.png",
        "image/png",
        pixel_png(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body["logo"]["url"],
        json!(url),
        "the same bytes, the same URL"
    );
    let _ = edge_url;

    // Served to anyone, as what it is, cacheable forever.
    let res = app
        .client
        .get(format!("{}{url}", app.base))
        .send()
        .await
        .expect("asset");
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    let header = |n: &str| {
        h.get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(header("etag"), format!("\"{sha}\""));
    assert_eq!(
        header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), pixel_png());
    let r = get_with(&app, &url, None, &format!("\"{sha}\"")).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    // Resolution names it.
    let b = app.get("/v1/branding", &w.a_member.1).await;
    assert_eq!(b.body["logo_url"], json!(url));
    assert!(b.body["favicon_url"]
        .as_str()
        .unwrap_or("")
        .ends_with(".webp"));
    // Another extension, a malformed or unknown name: missing.
    for bad in [
        format!("/v1/branding/assets/{sha}.jpg"),
        format!("/v1/branding/assets/{sha}"),
        "/v1/branding/assets/../../etc/passwd.png".to_string(),
        format!("/v1/branding/assets/{}.png", "0".repeat(64)),
    ] {
        let r = app.call(Method::GET, &bad, Cred::None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }
    // Not multipart, no file, an unknown kind.
    let r = app
        .call(
            Method::PUT,
            &format!("/v1/branding/configurations/{id}/assets/logo"),
            Cred::Bearer(token),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.body);
    let r = upload(
        &app,
        token,
        &id,
        "banner",
        "x.png",
        "image/png",
        pixel_png(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
});

/// Puts tenant A on a plan of reseller 1 whose `tenant_branding` is `allowed`.
async fn gate_a(app: &TestApp, w: &World, allowed: bool) {
    let plan = app
        .post(
            "/v1/plans",
            &w.reseller1_admin,
            json!({"name": format!("Branding {allowed}"), "price_monthly": "9.00", "price_yearly": "90.00",
                   "storage_quota_mb": 1000, "processing_quota_minutes": 600, "max_users": 10,
                   "features": {"tenant_branding": allowed}}),
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

api_test!(
    tenant_admins_brand_themselves_only_if_the_plan_allows,
    |app| {
        let w = app.world().await;
        gate_a(&app, &w, false).await;
        let admin = &w.a_admin.1;
        let r = app
            .post(
                "/v1/branding/configurations",
                admin,
                json!({"product_name": "Mine"}),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "not_in_plan"),
            "{}",
            r.body
        );
        // The reseller brands the tenant for it.
        let id = create(
            &app,
            &w.reseller1_admin,
            json!({"tenant_id": w.tenant_a, "product_name": "By the reseller"}),
        )
        .await;
        let path = format!("/v1/branding/configurations/{id}");
        for (method, p, body) in [
            (
                Method::PATCH,
                path.clone(),
                Some(json!({"product_name": "Mine"})),
            ),
            (Method::DELETE, path.clone(), None),
            (Method::DELETE, format!("{path}/assets/logo"), None),
        ] {
            let r = app
                .call(method.clone(), &p, Cred::Bearer(admin), body)
                .await;
            assert_eq!(
                (r.status, r.code()),
                (StatusCode::FORBIDDEN, "not_in_plan"),
                "{method} {p}"
            );
        }
        let r = upload(&app, admin, &id, "logo", "a.png", "image/png", pixel_png()).await;
        assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "not_in_plan"));
        // Reads are not gated.
        assert_eq!(app.get(&path, admin).await.status, StatusCode::OK);
        let b = app.get("/v1/branding", admin).await;
        assert_eq!(b.body["product_name"], "By the reseller");
        // A plan that allows it.
        gate_a(&app, &w, true).await;
        let r = app
            .patch(&path, admin, json!({"product_name": "Mine"}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = upload(&app, admin, &id, "logo", "a.png", "image/png", pixel_png()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // A tenant without a plan (B): no limit.
        let b = create(&app, &w.b_admin.1, json!({"product_name": "B"})).await;
        let r = app
            .get(&format!("/v1/branding/configurations/{b}"), &w.b_admin.1)
            .await;
        assert_eq!(r.body["tenant_id"], json!(w.tenant_b));
        // Tenant admins brand their own tenant only; members not at all.
        let r = app
            .post(
                "/v1/branding/configurations",
                &w.b_admin.1,
                json!({"reseller_id": w.reseller2}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .post(
                "/v1/branding/configurations",
                &w.b_admin.1,
                json!({"tenant_id": w.tenant_a}),
            )
            .await;
        assert_eq!(r.code(), "tenant_not_found");
        let r = app
            .patch(&path, &w.a_member.1, json!({"product_name": "x"}))
            .await;
        assert_eq!(r.code(), "forbidden");
        // Reseller admins brand their own reseller and tenants only.
        let r = app
            .post(
                "/v1/branding/configurations",
                &w.reseller2_admin,
                json!({"reseller_id": w.reseller1}),
            )
            .await;
        assert_eq!(r.code(), "reseller_not_found");
        let r = app
            .post(
                "/v1/branding/configurations",
                &w.reseller2_admin,
                json!({"tenant_id": w.tenant_a}),
            )
            .await;
        assert_eq!(r.code(), "tenant_not_found");
    }
);

api_test!(branding_routes_require_their_scopes, |app| {
    let w = app.world().await;
    let id = create(&app, &w.a_admin.1, json!({"product_name": "A"})).await;
    let r = upload(
        &app,
        &w.a_admin.1,
        &id,
        "logo",
        "a.png",
        "image/png",
        pixel_png(),
    )
    .await;
    let asset = r.body["logo"]["url"].as_str().expect("url").to_string();
    let item = format!("/v1/branding/configurations/{id}");
    // (method, path, body, the scope it needs)
    let routes: Vec<(Method, String, Option<Value>, &str)> = vec![
        (Method::GET, "/v1/branding".into(), None, "branding:read"),
        (
            Method::GET,
            "/v1/branding/configurations".into(),
            None,
            "branding:read",
        ),
        (Method::GET, item.clone(), None, "branding:read"),
        (
            Method::POST,
            "/v1/branding/configurations".into(),
            Some(json!({})),
            "branding:write",
        ),
        (
            Method::PATCH,
            item.clone(),
            Some(json!({"product_name": "B"})),
            "branding:write",
        ),
        (
            Method::PUT,
            format!("{item}/assets/logo"),
            Some(json!({})),
            "branding:write",
        ),
        (
            Method::DELETE,
            format!("{item}/assets/favicon"),
            None,
            "branding:write",
        ),
        (Method::DELETE, item.clone(), None, "branding:write"),
    ];
    // The public routes need nothing.
    for path in ["/v1/branding/public?host=a.example", asset.as_str()] {
        let r = app.call(Method::GET, path, Cred::None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    for (method, path, body, _) in &routes {
        let r = app
            .call(method.clone(), path, Cred::None, body.clone())
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    let everything_but = |need: &str| -> Vec<&'static str> {
        voxflow::auth::policy::allowed(voxflow::tenancy::Role::TenantAdmin)
            .iter()
            .map(|a| a.as_str())
            .filter(|s| *s != need)
            .collect()
    };
    // Deletes last: they remove what the other routes use.
    for (method, path, body, need) in &routes {
        let (_, key) = app
            .create_api_key(
                &w.a_admin.1,
                json!({"name": format!("no {need}"), "permissions": everything_but(need)}),
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
        // Viewers read but write nothing.
        let r = app
            .call(
                method.clone(),
                path,
                Cred::Bearer(&w.a_viewer.1),
                body.clone(),
            )
            .await;
        if need.ends_with(":read") {
            assert_eq!(
                r.status,
                StatusCode::OK,
                "viewer: {method} {path}: {}",
                r.body
            );
        } else {
            assert_eq!(
                (r.status, r.code()),
                (StatusCode::FORBIDDEN, "forbidden"),
                "viewer: {method} {path}"
            );
        }
        // A key with exactly that scope passes the check.
        let (_, key) = app
            .create_api_key(
                &w.a_admin.1,
                json!({"name": format!("only {need}"), "permissions": [need]}),
            )
            .await;
        let r = app
            .call(method.clone(), path, Cred::XApiKey(&key), body.clone())
            .await;
        assert!(
            r.status != StatusCode::FORBIDDEN && r.status != StatusCode::UNAUTHORIZED,
            "key with {need}: {method} {path}: {} {}",
            r.status,
            r.body
        );
    }
});

// The policies alone (no repository): a tenant scope sees and writes only its own tenant's
// configuration; a reseller its own and its tenants'; nobody without a scope sees anything.
api_test!(postgres_rls_keeps_branding_to_its_owners, |app| {
    if app.backend != Backend::Postgres {
        return; // RLS is a PostgreSQL feature; SQLite relies on the repositories alone.
    }
    let w = app.world().await;
    let (_, _, tenant) = three_levels(&app, &w).await;
    upload(
        &app,
        &w.a_admin.1,
        &tenant,
        "logo",
        "a.png",
        "image/png",
        pixel_png(),
    )
    .await;
    let b_config = create(&app, &w.b_admin.1, json!({"product_name": "B"})).await;
    let url = app.database_url.clone();
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
        assert_eq!(count(&mut c, "SELECT count(*) AS n FROM branding_configurations"), 0);
        assert_eq!(count(&mut c, "SELECT count(*) AS n FROM branding_assets"), 0);
        let scoped = |c: &mut diesel::PgConnection, sql: &str, check: &dyn Fn(&mut diesel::PgConnection)| {
            c.transaction::<_, diesel::result::Error, _>(|c| {
                c.batch_execute(sql)?;
                check(c);
                Ok(())
            })
            .ok();
        };
        let tenant_scope = |t: &str, r: &str| format!("SELECT set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{t}', true), set_config('voxflow.reseller_id', '{r}', true)");
        scoped(&mut c, &tenant_scope(&a, &r1), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM branding_configurations"), 1);
            assert_eq!(count(c, "SELECT count(*) AS n FROM branding_assets"), 1);
            let insert = c.batch_execute(&format!(
                "INSERT INTO branding_configurations (id, level, reseller_id, colors, created_at, updated_at) \
                 VALUES ('{}', 'reseller', '{r1}', '{{}}', now(), now())",
                uuid::Uuid::now_v7()
            ));
            assert!(insert.is_err(), "a tenant scope writes no reseller configuration");
        });
        scoped(&mut c, &tenant_scope(&b, &r1), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM branding_configurations"), 1);
            assert_eq!(count(c, "SELECT count(*) AS n FROM branding_assets"), 0);
            c.batch_execute("UPDATE branding_configurations SET product_name = 'pwned'").expect("update");
        });
        scoped(&mut c, &format!("SELECT set_config('voxflow.scope', 'reseller', true), set_config('voxflow.reseller_id', '{r1}', true)"), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM branding_configurations"), 2);
        });
        scoped(&mut c, &format!("SELECT set_config('voxflow.scope', 'reseller', true), set_config('voxflow.reseller_id', '{r2}', true)"), &|c| {
            assert_eq!(count(c, "SELECT count(*) AS n FROM branding_configurations"), 1);
            assert_eq!(count(c, "SELECT count(*) AS n FROM branding_assets"), 0);
        });
    })
    .await
    .expect("rls checks");
    // The update above touched only tenant B's own row.
    let t = app
        .get(
            &format!("/v1/branding/configurations/{tenant}"),
            &w.a_admin.1,
        )
        .await;
    assert_eq!(t.body["product_name"], "Tenant A Speech");
    let bb = app
        .get(
            &format!("/v1/branding/configurations/{b_config}"),
            &w.b_admin.1,
        )
        .await;
    assert_eq!(bb.body["product_name"], "pwned");
});
