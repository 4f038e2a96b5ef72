//! Credentials that must stop working: password changes (only with an access token and the
//! current password, signing out other sessions), suspended resellers (read-only on every
//! credential path; their tenants' queued jobs wait) and deleted ones (every credential
//! refused), and WebSocket sessions whose credential lapses while they are open.

use crate::api_test;
use crate::helpers::{spawn_app_with, Backend, Cred, TestApp, JWT_SECRET, PASSWORD};
use crate::realtime::{connect, next_json, send};
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use voxflow::auth::jwt::JwtKeys;
use voxflow::tenancy::Role;

const NEW_PASSWORD: &str = "a-brand-new-passphrase";

async fn refresh(app: &TestApp, token: &str) -> crate::helpers::Response {
    app.call(
        Method::POST,
        "/v1/auth/refresh",
        Cred::None,
        Some(json!({"refresh_token": token})),
    )
    .await
}

async fn change_password(
    app: &TestApp,
    cred: Cred<'_>,
    current: &str,
    new: &str,
) -> crate::helpers::Response {
    app.call(
        Method::POST,
        "/v1/me/password",
        cred,
        Some(json!({"current_password": current, "new_password": new})),
    )
    .await
}

api_test!(an_api_key_cannot_change_its_owners_password, |app| {
    let w = app.world().await;
    // The narrow key a Flowise canvas would hold.
    let (_, narrow) = app
        .create_api_key(
            &w.a_member.1,
            json!({"name": "flowise", "permissions": ["jobs:read"]}),
        )
        .await;
    let own = format!("/v1/users/{}", w.a_member.0);
    for cred in [
        Cred::Bearer(&narrow),
        Cred::XApiKey(&narrow),
        Cred::Bearer(&w.a_key.1),
    ] {
        let r = app
            .call(
                Method::PATCH,
                &own,
                cred,
                Some(json!({"password": NEW_PASSWORD, "first_name": "Mallory"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.code(), "forbidden");
        let r = change_password(&app, cred, PASSWORD, NEW_PASSWORD).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.code(), "forbidden");
        // Nor its names: a key acts only within its permissions.
        let r = app
            .call(
                Method::PATCH,
                &own,
                cred,
                Some(json!({"first_name": "Mallory"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    // The old password still works; the new one does not; nothing changed.
    assert_eq!(
        app.login_response("member@a.test", PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.login_response("member@a.test", NEW_PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let me = app.get(&own, &w.a_admin.1).await;
    assert!(me.body["first_name"].is_null(), "{}", me.body);
    // Even with an access token, PATCH on oneself does not take a password: it points to
    // the route that asks for the current one.
    let r = app
        .patch(&own, &w.a_member.1, json!({"password": NEW_PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("POST /v1/me/password"),
        "{}",
        r.body
    );
    assert_eq!(
        app.login_response("member@a.test", PASSWORD).await.status,
        StatusCode::OK
    );
});

api_test!(a_key_of_any_scope_cannot_set_a_password, |app| {
    let w = app.world().await;
    let victim = format!("/v1/users/{}", w.a_member.0);
    let mine = format!("/v1/users/{}", w.a_admin.0);
    // Every permission a tenant admin may put on a key, one per key, and all of them at once.
    let mut scopes: Vec<Vec<&str>> = voxflow::auth::policy::allowed(Role::TenantAdmin)
        .iter()
        .map(|a| vec![a.as_str()])
        .collect();
    scopes.push(Vec::new());
    for perms in scopes {
        let body = if perms.is_empty() {
            json!({"name": "all"})
        } else {
            json!({"name": "one", "permissions": perms})
        };
        let (_, key) = app.create_api_key(&w.a_admin.1, body).await;
        for (path, what) in [(&victim, "another user's"), (&mine, "its owner's")] {
            let r = app
                .call(
                    Method::PATCH,
                    path,
                    Cred::Bearer(&key),
                    Some(json!({"password": NEW_PASSWORD})),
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "a key with {perms:?} set {what} password: {}",
                r.body
            );
        }
        let r = change_password(&app, Cred::XApiKey(&key), PASSWORD, NEW_PASSWORD).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{perms:?}: {}", r.body);
        // Nor mint a new account whose password it knows (a login with a whole role).
        let r = app
            .call(
                Method::POST,
                "/v1/users",
                Cred::Bearer(&key),
                Some(json!({"email": "minted@a.test", "password": NEW_PASSWORD, "role": "tenant_admin"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{perms:?}: {}", r.body);
    }
    assert_eq!(
        app.login_response("minted@a.test", NEW_PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "no account was created"
    );
    for email in ["admin@a.test", "member@a.test"] {
        assert_eq!(
            app.login_response(email, PASSWORD).await.status,
            StatusCode::OK,
            "{email} keeps its password"
        );
    }
});

api_test!(
    changing_ones_password_needs_the_current_one_and_ends_other_sessions,
    |app| {
        let w = app.world().await;
        // Another session of the member, from before the change.
        let other = app.login_response("member@a.test", PASSWORD).await;
        let other_rt = other.body["refresh_token"]
            .as_str()
            .expect("rt")
            .to_string();

        let wrong = change_password(
            &app,
            Cred::Bearer(&w.a_member.1),
            "not-my-password",
            NEW_PASSWORD,
        )
        .await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN, "{}", wrong.body);
        assert_eq!(wrong.code(), "current_password_incorrect");
        let weak = change_password(&app, Cred::Bearer(&w.a_member.1), PASSWORD, "short").await;
        assert_eq!(
            weak.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            weak.body
        );
        assert_eq!(weak.body["errors"][0]["field"], "new_password");
        assert_eq!(
            app.login_response("member@a.test", PASSWORD).await.status,
            StatusCode::OK,
            "a refused change changes nothing"
        );

        let ok = change_password(&app, Cred::Bearer(&w.a_member.1), PASSWORD, NEW_PASSWORD).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let access = ok.body["access_token"].as_str().expect("access token");
        let rt = ok.body["refresh_token"].as_str().expect("refresh token");
        assert_eq!(app.get("/v1/me", access).await.status, StatusCode::OK);
        // Access tokens from before the change, this one's included, are refused.
        let other_access = other.body["access_token"].as_str().expect("at");
        for old in [w.a_member.1.as_str(), other_access] {
            let r = app.get("/v1/me", old).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
            assert_eq!(r.code(), "invalid_token");
        }
        // The earlier session is over; the one handed back goes on.
        let r = refresh(&app, &other_rt).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        assert_eq!(r.code(), "invalid_refresh_token");
        assert_eq!(refresh(&app, rt).await.status, StatusCode::OK);
        assert_eq!(
            app.login_response("member@a.test", PASSWORD).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.login_response("member@a.test", NEW_PASSWORD)
                .await
                .status,
            StatusCode::OK
        );
        // Audited, without the password.
        let log = app
            .get("/v1/audit-log?action=user.password_change", &w.a_admin.1)
            .await;
        assert_eq!(log.status, StatusCode::OK, "{}", log.body);
        let entry = &log.body["items"][0];
        assert_eq!(entry["action"], "user.password_change", "{}", log.body);
        assert_eq!(entry["target_id"], w.a_member.0.as_str());
        assert!(!log.body.to_string().contains(NEW_PASSWORD));
    }
);

api_test!(
    admins_reset_passwords_only_with_an_access_token_and_users_write,
    |app| {
        let w = app.world().await;
        let member = format!("/v1/users/{}", w.a_member.0);
        let viewer = format!("/v1/users/{}", w.a_viewer.0);
        let before = app.login_response("viewer@a.test", PASSWORD).await;
        let viewer_rt = before.body["refresh_token"]
            .as_str()
            .expect("rt")
            .to_string();
        // A member (no users:write) cannot reset the viewer's password.
        let r = app
            .patch(&viewer, &w.a_member.1, json!({"password": NEW_PASSWORD}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        // Another tenant's admin cannot find the user.
        let r = app
            .patch(&member, &w.b_admin.1, json!({"password": NEW_PASSWORD}))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(r.code(), "user_not_found");
        // The tenant admin can, with an access token; the viewer's sessions end.
        let r = app
            .patch(&viewer, &w.a_admin.1, json!({"password": NEW_PASSWORD}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            refresh(&app, &viewer_rt).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/v1/me", &w.a_viewer.1).await.status,
            StatusCode::UNAUTHORIZED,
            "the viewer's access token from before the reset"
        );
        assert_eq!(
            app.login_response("viewer@a.test", NEW_PASSWORD)
                .await
                .status,
            StatusCode::OK
        );
        // So can the tenant's reseller admin; a reseller admin of another reseller cannot see it.
        let r = app
            .patch(
                &member,
                &w.reseller2_admin,
                json!({"password": NEW_PASSWORD}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app
            .patch(
                &member,
                &w.reseller1_admin,
                json!({"password": NEW_PASSWORD}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.login_response("member@a.test", NEW_PASSWORD)
                .await
                .status,
            StatusCode::OK
        );
    }
);

async fn set_reseller_status(app: &TestApp, id: &str, status: &str) {
    let r = app
        .patch(
            &format!("/v1/resellers/{id}"),
            &app.admin_token,
            json!({"status": status}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// `reseller_suspended` (403) for `cred` on `GET path`.
async fn assert_reseller_refused(app: &TestApp, who: &str, cred: Cred<'_>, path: &str) {
    let r = app.call(Method::GET, path, cred, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
    assert_eq!(r.code(), "reseller_suspended", "{who}");
}

/// The changes a suspended tenant's or reseller's people try, each refused with `code`.
pub async fn assert_changes_refused(app: &TestApp, w: &crate::helpers::World, code: &str) {
    let graph = crate::jobs::vad_whisper_srt("tiny.en");
    let attempts: Vec<(&str, Cred<'_>, Method, String, Value)> = vec![
        (
            "member JWT: a workflow",
            Cred::Bearer(&w.a_member.1),
            Method::POST,
            "/v1/workflows".into(),
            json!({"name": "new", "graph": graph}),
        ),
        (
            "API key: a job",
            Cred::XApiKey(&w.a_key.1),
            Method::POST,
            "/v1/jobs".into(),
            json!({"graph": graph, "inputs": {"src": uuid::Uuid::now_v7()}}),
        ),
        (
            "tenant admin JWT: a user",
            Cred::Bearer(&w.a_admin.1),
            Method::POST,
            "/v1/users".into(),
            json!({"email": "new@a.test", "password": PASSWORD, "role": "member"}),
        ),
        (
            "tenant admin JWT: an API key",
            Cred::Bearer(&w.a_admin.1),
            Method::POST,
            "/v1/api-keys".into(),
            json!({"name": "new"}),
        ),
    ];
    for (who, cred, method, path, body) in attempts {
        let r = app.call(method, &path, cred, Some(body)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
        assert_eq!(r.code(), code, "{who}");
        assert!(
            r.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("reads and downloads still work")),
            "{who}: {}",
            r.body
        );
    }
    let r = app
        .upload(
            Cred::Bearer(&w.a_member.1),
            "x.wav",
            crate::helpers::wav(800),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "upload: {}", r.body);
    assert_eq!(r.code(), code, "upload");
}

/// What a suspended tenant's or reseller's people still do: read, download, watch, export.
pub async fn assert_reads_work(app: &TestApp, w: &crate::helpers::World, file: &str) {
    for (who, cred, path) in [
        (
            "member JWT",
            Cred::Bearer(&w.a_member.1),
            "/v1/me".to_string(),
        ),
        (
            "tenant admin JWT",
            Cred::Bearer(&w.a_admin.1),
            "/v1/users".to_string(),
        ),
        ("API key", Cred::Bearer(&w.a_key.1), "/v1/jobs".to_string()),
        (
            "API key header",
            Cred::XApiKey(&w.a_key.1),
            "/v1/files".to_string(),
        ),
        (
            "member: a download",
            Cred::Bearer(&w.a_member.1),
            format!("/v1/files/{file}/content"),
        ),
    ] {
        let r = app.call(Method::GET, &path, cred, None).await;
        assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.body);
    }
    let r = app
        .post(
            &format!("/v1/tenants/{}/exports", w.tenant_a),
            &w.a_admin.1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "a data export: {}", r.body);
    let mut ws = welcomed(app, &w.a_key.1).await;
    still_open(&mut ws).await;
}

api_test!(a_suspended_tenant_is_read_only, |app| {
    let w = app.world().await;
    let file = app
        .upload(
            Cred::Bearer(&w.a_member.1),
            "kept.wav",
            crate::helpers::wav(800),
        )
        .await
        .id();
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.login_response("member@a.test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The caller is told, and its permissions shrink to the reads.
    let me = app.get("/v1/me", &w.a_admin.1).await;
    assert_eq!(me.body["read_only"], "tenant_suspended", "{}", me.body);
    let perms = me.body["permissions"].as_array().expect("permissions");
    assert!(perms.iter().any(|p| p == "jobs:read"), "{}", me.body);
    assert!(!perms.iter().any(|p| p == "jobs:write"), "{}", me.body);
    assert_reads_work(&app, &w, &file).await;
    assert_changes_refused(&app, &w, "tenant_suspended").await;
    // Tenant B, and the reseller's own work, are untouched.
    let r = app
        .upload(
            Cred::Bearer(&w.b_member.1),
            "b.wav",
            crate::helpers::wav(800),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(app.get("/v1/me", &w.b_member.1).await.body["read_only"].is_null());
    // Reactivated: changes work again.
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"status": "active"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .upload(
            Cred::Bearer(&w.a_member.1),
            "a.wav",
            crate::helpers::wav(800),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
});

api_test!(
    a_suspended_reseller_is_read_only_and_a_deleted_one_refuses_every_credential,
    |app| {
        let w = app.world().await;
        let file = app
            .upload(
                Cred::Bearer(&w.a_member.1),
                "kept.wav",
                crate::helpers::wav(800),
            )
            .await
            .id();
        let member_rt = app.login_response("member@a.test", PASSWORD).await.body["refresh_token"]
            .as_str()
            .expect("rt")
            .to_string();
        let ra_rt = app.login_response("ra1@r1.test", PASSWORD).await.body["refresh_token"]
            .as_str()
            .expect("rt")
            .to_string();
        set_reseller_status(&app, &w.reseller1, "suspended").await;

        // Sign-in and refresh still work: the reseller's admins and its tenants' users read.
        for email in ["ra1@r1.test", "admin@a.test", "member@a.test"] {
            let r = app.login_response(email, PASSWORD).await;
            assert_eq!(r.status, StatusCode::OK, "{email}: {}", r.body);
        }
        for rt in [&member_rt, &ra_rt] {
            let r = refresh(&app, rt).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        assert_reads_work(&app, &w, &file).await;
        let r = app.get("/v1/tenants", &w.reseller1_admin).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Every change is refused, with why.
        assert_changes_refused(&app, &w, "reseller_suspended").await;
        let r = app
            .patch(
                &format!("/v1/tenants/{}", w.tenant_a),
                &w.reseller1_admin,
                json!({"name": "Renamed"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.code(), "reseller_suspended");

        // The other reseller and the platform are untouched.
        assert_eq!(
            app.get("/v1/me", &w.b_member.1).await.status,
            StatusCode::OK
        );
        let r = app
            .post(
                "/v1/workflows",
                &w.b_member.1,
                json!({"name": "b's", "graph": crate::jobs::vad_whisper_srt("tiny.en")}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            app.get("/v1/tenants", &w.reseller2_admin).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.get("/v1/me", &app.admin_token).await.status,
            StatusCode::OK
        );

        // Reactivated: the same credentials change things again.
        set_reseller_status(&app, &w.reseller1, "active").await;
        let r = app
            .post(
                "/v1/workflows",
                &w.a_member.1,
                json!({"name": "again", "graph": crate::jobs::vad_whisper_srt("tiny.en")}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            app.call(Method::GET, "/v1/me", Cred::Bearer(&w.a_key.1), None)
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.get("/v1/tenants", &w.reseller1_admin).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.login_response("admin@a.test", PASSWORD).await.status,
            StatusCode::OK
        );

        // Deleted: refused for good.
        let r = app
            .delete(&format!("/v1/resellers/{}", w.reseller1), &app.admin_token)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let r = app.login_response("admin@a.test", PASSWORD).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.code(), "reseller_suspended");
        assert_reseller_refused(&app, "member JWT", Cred::Bearer(&w.a_member.1), "/v1/me").await;
        assert_reseller_refused(&app, "API key", Cred::Bearer(&w.a_key.1), "/v1/me").await;
        assert_reseller_refused(
            &app,
            "reseller admin JWT",
            Cred::Bearer(&w.reseller1_admin),
            "/v1/resellers",
        )
        .await;
    }
);

/// Submits a decode + VAD job of `token`'s tenant (no worker runs in these tests).
async fn queued_job(app: &TestApp, token: &str) -> String {
    let upload = app
        .upload(Cred::Bearer(token), "s.wav", crate::helpers::wav(32_000))
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{}", upload.body);
    crate::jobs::submit(app, token, crate::realtime::decode_vad(), &upload.id()).await
}

async fn claim(app: &TestApp) -> Option<String> {
    use voxflow::engine::queue;
    let opts = queue::ClaimOptions {
        worker_id: "test-worker".into(),
        lease: chrono::TimeDelta::seconds(600),
        default_tenant_concurrency: 100,
    };
    app.store
        .write(voxflow::tenancy::Scope::System, move |c| {
            queue::claim(c, &opts)
        })
        .await
        .expect("claim")
        .map(|j| j.id)
}

mod queued_jobs_of_a_suspended_reseller_or_tenant_wait {
    use super::*;

    async fn run(app: TestApp) {
        let w = app.world().await;
        let a_job = queued_job(&app, &w.a_member.1).await;
        let b_job = queued_job(&app, &w.b_member.1).await;
        set_reseller_status(&app, &w.reseller1, "suspended").await;
        assert_eq!(claim(&app).await.as_deref(), Some(b_job.as_str()));
        assert_eq!(claim(&app).await, None, "tenant A's job waits");
        // Back to active, but the tenant itself suspended: still waiting.
        set_reseller_status(&app, &w.reseller1, "active").await;
        let r = app
            .patch(
                &format!("/v1/tenants/{}", w.tenant_a),
                &app.admin_token,
                json!({"status": "suspended"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(claim(&app).await, None);
        let r = app
            .patch(
                &format!("/v1/tenants/{}", w.tenant_a),
                &app.admin_token,
                json!({"status": "active"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(claim(&app).await.as_deref(), Some(a_job.as_str()));
        // A deleted reseller's tenants' jobs are never claimed.
        let later = queued_job(&app, &w.a_member.1).await;
        let r = app
            .delete(&format!("/v1/resellers/{}", w.reseller1), &app.admin_token)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert_eq!(claim(&app).await, None, "{later} waits");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = spawn_app_with(Backend::Sqlite, |s| s.workers = 0)
            .await
            .expect("sqlite app");
        run(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(app) = spawn_app_with(Backend::Postgres, |s| s.workers = 0).await else {
            eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
            return;
        };
        run(app).await;
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Reads until the server closes; returns the last `error` message seen, the close code and
/// reason, and how long it took.
async fn closed_by_server(ws: &mut Socket, within: Duration) -> (Value, u16, String, Duration) {
    let started = Instant::now();
    let mut last_error = Value::Null;
    loop {
        let msg = tokio::time::timeout(within.saturating_sub(started.elapsed()), ws.next())
            .await
            .unwrap_or_else(|_| panic!("the server did not close the socket within {within:?}"));
        match msg {
            Some(Ok(Message::Text(t))) => {
                let v: Value = serde_json::from_str(&t).expect("json");
                if v["type"] == "error" {
                    last_error = v;
                }
            }
            Some(Ok(Message::Close(frame))) => {
                let frame = frame.expect("a close code");
                return (
                    last_error,
                    u16::from(frame.code),
                    frame.reason.to_string(),
                    started.elapsed(),
                );
            }
            Some(Ok(_)) => {}
            other => panic!("the socket ended without a close frame: {other:?}"),
        }
    }
}

async fn welcomed(app: &TestApp, token: &str) -> Socket {
    let mut ws = connect(app, Some(token)).await.expect("connect");
    assert_eq!(next_json(&mut ws).await["type"], "welcome");
    send(&mut ws, json!({"type": "subscribe", "tenant": true})).await;
    assert_eq!(next_json(&mut ws).await["type"], "subscribed");
    ws
}

/// Still open: a ping is answered.
async fn still_open(ws: &mut Socket) {
    send(ws, json!({"type": "ping"})).await;
    loop {
        if next_json(ws).await["type"] == "pong" {
            return;
        }
    }
}

mod websocket_sessions_end_with_their_credentials {
    use super::*;

    async fn run(app: TestApp) {
        let w = app.world().await;
        let recheck = Duration::from_secs(1);
        // Well under the 20 s ping and 60 s idle limits: only the re-check can close this soon.
        let slack = recheck * 8;
        // Revoked API key.
        let mut key_ws = welcomed(&app, &w.a_key.1).await;
        let mut member_ws = welcomed(&app, &w.a_member.1).await;
        let mut admin_ws = welcomed(&app, &w.a_admin.1).await;
        let mut b_ws = welcomed(&app, &w.b_member.1).await;
        let r = app
            .delete(&format!("/v1/api-keys/{}", w.a_key.0), &w.a_member.1)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let (err, code, reason, took) = closed_by_server(&mut key_ws, slack).await;
        assert_eq!(code, 4401, "{reason}");
        assert_eq!(reason, "invalid_api_key");
        assert_eq!(err["data"]["code"], "invalid_api_key", "{err}");
        eprintln!("revoked key: closed after {took:?}");
        still_open(&mut member_ws).await;

        // Suspended user.
        let r = app
            .patch(
                &format!("/v1/users/{}", w.a_member.0),
                &w.a_admin.1,
                json!({"status": "suspended"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (err, code, reason, _) = closed_by_server(&mut member_ws, slack).await;
        assert_eq!(code, 4403, "{reason}");
        assert_eq!(reason, "forbidden");
        assert!(
            err["data"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("suspended"),
            "{err}"
        );
        still_open(&mut admin_ws).await;

        // Suspended reseller: its tenants' sessions stay (reads); deleted, they close and
        // other resellers' stay.
        set_reseller_status(&app, &w.reseller1, "suspended").await;
        tokio::time::sleep(recheck * 3).await;
        still_open(&mut admin_ws).await;
        let r = app
            .delete(&format!("/v1/resellers/{}", w.reseller1), &app.admin_token)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let (err, code, reason, _) = closed_by_server(&mut admin_ws, slack).await;
        assert_eq!(code, 4403, "{reason}");
        assert_eq!(reason, "reseller_suspended");
        assert_eq!(err["data"]["code"], "reseller_suspended", "{err}");
        still_open(&mut b_ws).await;

        // Deleted user.
        let mut viewer_ws = welcomed(&app, &w.b_admin.1).await;
        let (viewer_id, viewer_token) = app
            .create_user(&w.b_admin.1, "viewer@b.test", "viewer", None, None)
            .await;
        let mut deleted_ws = welcomed(&app, &viewer_token).await;
        let r = app
            .delete(&format!("/v1/users/{viewer_id}"), &w.b_admin.1)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let (_, code, reason, _) = closed_by_server(&mut deleted_ws, slack).await;
        assert_eq!(code, 4401, "{reason}");
        assert_eq!(reason, "invalid_token");
        still_open(&mut viewer_ws).await;
        still_open(&mut b_ws).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = spawn_app_with(Backend::Sqlite, |s| s.ws_recheck_secs = 1)
            .await
            .expect("sqlite app");
        run(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(app) = spawn_app_with(Backend::Postgres, |s| s.ws_recheck_secs = 1).await else {
            eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
            return;
        };
        run(app).await;
    }
}

mod an_expired_access_token_closes_its_websocket {
    use super::*;

    async fn run(app: TestApp) {
        let w = app.world().await;
        // A token of the member's that expires in 3 s; the re-check interval is far longer,
        // so the expiry alone must close the session.
        let keys = JwtKeys::new(JWT_SECRET.as_bytes(), 900);
        let mut claims = keys.verify(&w.a_member.1).expect("claims");
        claims.exp = chrono::Utc::now().timestamp() + 3;
        let short = keys.sign_claims(&claims).expect("sign");
        let mut ws = welcomed(&app, &short).await;
        let mut long = welcomed(&app, &w.a_member.1).await;
        let (err, code, reason, took) = closed_by_server(&mut ws, Duration::from_secs(15)).await;
        assert_eq!(code, 4401, "{reason}");
        assert!(reason.starts_with("invalid_token"), "{reason}");
        assert_eq!(err["data"]["code"], "invalid_token", "{err}");
        assert!(took < Duration::from_secs(10), "closed after {took:?}");
        still_open(&mut long).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = spawn_app_with(Backend::Sqlite, |s| s.ws_recheck_secs = 600)
            .await
            .expect("sqlite app");
        run(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(app) = spawn_app_with(Backend::Postgres, |s| s.ws_recheck_secs = 600).await else {
            eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
            return;
        };
        run(app).await;
    }
}

mod websocket_sessions_and_subscriptions_are_bounded_per_tenant {
    use super::*;

    async fn run(app: TestApp) {
        let w = app.world().await;
        let mut first = welcomed(&app, &w.a_member.1).await;
        let second = welcomed(&app, &w.a_admin.1).await;
        // A third session of tenant A is refused; tenant B is not affected.
        let mut third = connect(&app, Some(&w.a_member.1)).await.expect("connect");
        let (err, code, reason, _) = closed_by_server(&mut third, Duration::from_secs(10)).await;
        assert_eq!(code, 4429, "{reason}");
        assert_eq!(err["data"]["code"], "too_many_sessions", "{err}");
        let mut b = welcomed(&app, &w.b_member.1).await;
        // Closing one frees its slot.
        drop(second);
        let started = Instant::now();
        let mut again = loop {
            let mut ws = connect(&app, Some(&w.a_admin.1)).await.expect("connect");
            if next_json(&mut ws).await["type"] == "welcome" {
                break ws;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the slot stays taken"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };

        // Two job subscriptions for the whole tenant.
        let jobs = [
            queued_job(&app, &w.a_member.1).await,
            queued_job(&app, &w.a_member.1).await,
            queued_job(&app, &w.a_member.1).await,
        ];
        send(
            &mut first,
            json!({"type": "subscribe", "job_ids": [jobs[0], jobs[1]]}),
        )
        .await;
        let sub = loop {
            let m = next_json(&mut first).await;
            if m["type"] == "subscribed" {
                break m;
            }
        };
        assert_eq!(sub["data"]["job_ids"], json!([jobs[0], jobs[1]]));
        send(
            &mut again,
            json!({"type": "subscribe", "job_ids": [jobs[2]]}),
        )
        .await;
        let mut refused = false;
        let sub = loop {
            let m = next_json(&mut again).await;
            if m["type"] == "error" && m["data"]["code"] == "too_many_subscriptions" {
                refused = true;
            }
            if m["type"] == "subscribed" {
                break m;
            }
        };
        assert!(refused && sub["data"]["job_ids"] == json!([]), "{sub}");
        // Unsubscribing gives one back.
        send(
            &mut first,
            json!({"type": "unsubscribe", "job_ids": [jobs[0]]}),
        )
        .await;
        loop {
            if next_json(&mut first).await["type"] == "unsubscribed" {
                break;
            }
        }
        send(
            &mut again,
            json!({"type": "subscribe", "job_ids": [jobs[2]]}),
        )
        .await;
        let sub = loop {
            let m = next_json(&mut again).await;
            if m["type"] == "subscribed" {
                break m;
            }
        };
        assert_eq!(sub["data"]["job_ids"], json!([jobs[2]]));
        still_open(&mut b).await;
    }

    fn tweak(s: &mut voxflow::config::Settings) {
        s.workers = 0;
        s.ws_max_sessions_per_tenant = 2;
        s.ws_max_subscriptions_per_tenant = 2;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = spawn_app_with(Backend::Sqlite, tweak)
            .await
            .expect("sqlite app");
        run(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(app) = spawn_app_with(Backend::Postgres, tweak).await else {
            eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
            return;
        };
        run(app).await;
    }
}

/// (context, id, sealed) of the stored workspace credentials (translation engines' keys among
/// them) and webhook endpoint secrets.
async fn sealed_values(app: &TestApp) -> Vec<(String, String, String)> {
    app.store
        .read(voxflow::tenancy::Scope::System, |c| {
            use diesel::prelude::*;
            use voxflow::store::schema::webhook_endpoints::dsl as ep;
            use voxflow::store::schema::workspace_credentials::dsl as wc;
            let mut out: Vec<(String, String, String)> = wc::workspace_credentials
                .order(wc::id.asc())
                .select((wc::id, wc::tenant_id, wc::value_sealed))
                .load(c)?
                .into_iter()
                .map(|(id, t, s): (String, String, String)| {
                    (format!("workspace_credential:{t}:{id}"), id, s)
                })
                .collect();
            out.extend(
                ep::webhook_endpoints
                    .select((ep::id, ep::tenant_id, ep::secret))
                    .load::<(String, String, String)>(c)?
                    .into_iter()
                    .map(|(id, t, s)| (format!("webhook_endpoint:{t}:{id}"), id, s)),
            );
            Ok(out)
        })
        .await
        .expect("sealed values")
}

async fn rotated_key_reseals(backend: Backend) {
    use voxflow::auth::sealing::SecretBox;
    // Loopback engine and webhook URLs (nothing is called).
    let Some(app) = spawn_app_with(backend, |s| s.url_allow_private = true).await else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    let r = app
        .post(
            "/v1/translation-engines",
            &w.a_admin.1,
            json!({"name": "team-deepl", "kind": "deepl", "base_url": "http://127.0.0.1:9/", "api_key": "deepl-key-123:fx"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A credential of its own, used by no engine, and one of tenant B.
    for (token, name) in [(&w.a_admin.1, "generic A"), (&w.b_admin.1, "generic B")] {
        let r = app
            .post(
                "/v1/credentials",
                token,
                json!({"name": name, "provider": "generic", "value": format!("{name} secret value")}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = app
        .post(
            "/v1/webhooks",
            &w.a_admin.1,
            json!({"url": "http://127.0.0.1:9/hook", "events": ["job.succeeded"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let old_key =
        std::fs::read_to_string(app.data_dir().join("secrets_key")).expect("the generated key");
    let old = SecretBox::new(old_key.trim().as_bytes());
    let before = sealed_values(&app).await;
    assert_eq!(before.len(), 4);
    for (ctx, _, sealed) in &before {
        assert!(old.open(sealed, ctx).is_ok(), "{ctx}");
    }
    // A process started with the new key and the old one as previous re-seals everything.
    let new_key = "a brand-new secrets key, at least 32 characters long".to_string();
    let (nk, ok) = (new_key.clone(), old_key.trim().to_string());
    app.spawn_peer(move |s| {
        s.secrets_key = nk;
        s.secrets_key_previous = ok;
    })
    .await;
    let after = sealed_values(&app).await;
    let new = SecretBox::new(new_key.as_bytes());
    for ((ctx, id, was), (_, id2, now)) in before.iter().zip(after.iter()) {
        assert_eq!(id, id2);
        assert_ne!(was, now, "{ctx} was not re-sealed");
        assert_eq!(
            new.open(now, ctx).unwrap(),
            old.open(was, ctx).unwrap(),
            "{ctx}"
        );
        assert!(
            old.open(now, ctx).is_err(),
            "{ctx}: the old key still opens it"
        );
    }
    // Starting again with the new key alone finds nothing left to re-seal and runs.
    let nk = new_key.clone();
    let base = app.spawn_peer(move |s| s.secrets_key = nk).await;
    assert_eq!(sealed_values(&app).await, after);
    let health = reqwest::get(format!("{base}/healthz"))
        .await
        .expect("peer answers");
    assert!(health.status().is_success());
    // A previous key shorter than 32 characters stops the service at startup.
    let bad = voxflow::config::Settings::from_sources(
        "",
        &[("VOXFLOW_SECRETS_KEY_PREVIOUS".into(), "short".into())],
    );
    assert!(bad.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_secrets_key_reseals_what_the_old_one_sealed_sqlite() {
    rotated_key_reseals(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_secrets_key_reseals_what_the_old_one_sealed_postgres() {
    rotated_key_reseals(Backend::Postgres).await;
}
