//! Password resets and email verification (docs/email.md), with mail delivered by the outbox
//! to a real SMTP server on loopback (Python's aiosmtpd, from PyPI) and read back from its
//! Maildir; without an SMTP server the outbox keeps the mail.

use crate::api_test;
use crate::helpers::{spawn_app_with, Backend, Cred, TestApp, World, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use voxflow::tenancy::Scope;

/// aiosmtpd serving on a free loopback port, writing each mail into a Maildir.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> String {
    std::env::var("VOXFLOW_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Starts aiosmtpd, or None (skipping) when it is not installed — unless
/// `VOXFLOW_REQUIRE_AIOSMTPD=1` (CI), which makes a missing server a failure.
async fn smtp_server() -> Option<SmtpServer> {
    let have = std::process::Command::new(python())
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        assert!(
            std::env::var("VOXFLOW_REQUIRE_AIOSMTPD").as_deref() != Ok("1"),
            "aiosmtpd is required: pip install aiosmtpd into $VOXFLOW_PYTHON's environment"
        );
        eprintln!("skipped: aiosmtpd is not installed (pip install aiosmtpd)");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let maildir = tempfile::tempdir().expect("maildir");
    let child = std::process::Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir.path().join("box"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("aiosmtpd starts");
    let server = SmtpServer {
        child,
        port,
        maildir,
    };
    let start = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "aiosmtpd did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Some(server)
}

/// Every mail delivered so far (raw RFC 5322 text), oldest first.
fn mails(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = ["new", "cur"]
        .iter()
        .filter_map(|d| std::fs::read_dir(dir.join("box").join(d)).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// Waits for the `n`th mail (1-based) and returns it.
async fn nth_mail(server: &SmtpServer, n: usize) -> String {
    let start = Instant::now();
    loop {
        let all = mails(server.maildir.path());
        if all.len() >= n {
            return all[n - 1].clone();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "mail {n} did not arrive ({} so far)",
            all.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A mail with its quoted-printable soft breaks and `=3D` undone (enough for links).
fn decoded(text: &str) -> String {
    text.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The `token=` of the link in a mail body.
fn token_in(text: &str) -> String {
    let text = decoded(text);
    let at = text
        .find("token=")
        .unwrap_or_else(|| panic!("no link in {text}"))
        + 6;
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn reset(app: &TestApp, email: &str) -> (StatusCode, Value) {
    let r = app
        .call(
            Method::POST,
            "/v1/auth/password-reset",
            Cred::None,
            Some(json!({ "email": email })),
        )
        .await;
    (r.status, r.body)
}

async fn confirm(app: &TestApp, token: &str, new_password: &str) -> crate::helpers::Response {
    app.call(
        Method::POST,
        "/v1/auth/password-reset/confirm",
        Cred::None,
        Some(json!({"token": token, "new_password": new_password})),
    )
    .await
}

async fn with_smtp(backend: Backend) -> Option<(SmtpServer, TestApp)> {
    let server = smtp_server().await?;
    let url = format!("smtp://127.0.0.1:{}", server.port);
    let app = spawn_app_with(backend, move |s| {
        s.smtp_url = url;
        s.smtp_from = "no-reply@voxflow.test".into();
        s.public_url = "https://studio.voxflow.test/".into();
    })
    .await?;
    Some((server, app))
}

async fn reset_mail_flow(backend: Backend) {
    let Some((server, app)) = with_smtp(backend).await else {
        return;
    };
    let w: World = app.world().await;
    // The mail wears tenant A's branding.
    crate::branding::create(
        &app,
        &w.a_admin.1,
        json!({"product_name": "Acme Speech", "email_sender_name": "Acme Support"}),
    )
    .await;
    let login = app.login_response("member@a.test", PASSWORD).await;
    let refresh = login.body["refresh_token"].as_str().unwrap().to_string();
    let old_access = w.a_member.1.clone();

    // Known and unknown addresses get the same answer; only the known one gets mail.
    let known = reset(&app, "Member@A.test").await;
    let unknown = reset(&app, "nobody@nowhere.test").await;
    assert_eq!(known.0, StatusCode::ACCEPTED, "{}", known.1);
    assert_eq!(known, unknown);
    let mail = nth_mail(&server, 1).await;
    assert!(mail.contains("To: member@a.test"), "{mail}");
    assert!(mail.contains("Acme Support"), "{mail}");
    assert!(mail.contains("no-reply@voxflow.test"), "{mail}");
    assert!(mail.contains("Reset your Acme Speech password"), "{mail}");
    assert!(
        decoded(&mail).contains("https://studio.voxflow.test/reset-password?token="),
        "{mail}"
    );
    let token = token_in(&mail);
    assert_eq!(token.len(), 43, "{mail}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        mails(server.maildir.path()).len(),
        1,
        "a mail for an unknown address"
    );

    // Only the token's hash is stored.
    let stored: Vec<String> = app
        .store
        .read(Scope::System, |c| {
            use diesel::prelude::*;
            use voxflow::store::schema::one_time_tokens::dsl as ot;
            Ok(ot::one_time_tokens
                .select(ot::token_hash)
                .load::<String>(c)?)
        })
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);

    // A weak password is refused and spends nothing.
    let r = confirm(&app, &token, "short").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = confirm(&app, &token, "a-brand-new-passphrase").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // Once only.
    let r = confirm(&app, &token, "another-new-passphrase").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "invalid_one_time_token");
    // Every session ended: the old refresh token and access token, the old password.
    let r = app
        .call(
            Method::POST,
            "/v1/auth/refresh",
            Cred::None,
            Some(json!({ "refresh_token": refresh })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    let r = app.get("/v1/me", &old_access).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login_response("member@a.test", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let me = app.login("member@a.test", "a-brand-new-passphrase").await;
    // Reading the mail proved the address.
    let r = app.get("/v1/me", &me).await;
    assert!(
        r.body["user"]["email_verified_at"].is_string(),
        "{}",
        r.body
    );
    // The audit log says a reset happened.
    let log = app.get("/v1/audit-log?limit=20", &w.a_admin.1).await;
    assert!(
        log.body.to_string().contains("user.password_reset"),
        "{}",
        log.body
    );

    // Email verification: the admin asks, the link verifies, once.
    let r = app.get("/v1/me", &w.a_admin.1).await;
    assert!(r.body["user"]["email_verified_at"].is_null());
    let r = app
        .post("/v1/me/email-verification", &w.a_admin.1, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let mail = nth_mail(&server, 2).await;
    assert!(mail.contains("To: admin@a.test"), "{mail}");
    assert!(decoded(&mail).contains("verify-email?token="), "{mail}");
    let token = token_in(&mail);
    let verify = |t: String| {
        let app = &app;
        async move {
            app.call(
                Method::POST,
                "/v1/auth/verify-email",
                Cred::None,
                Some(json!({ "token": t })),
            )
            .await
        }
    };
    assert_eq!(verify(token.clone()).await.status, StatusCode::NO_CONTENT);
    let r = verify(token).await;
    assert_eq!(r.code(), "invalid_one_time_token");
    let r = app.get("/v1/me", &w.a_admin.1).await;
    assert!(
        r.body["user"]["email_verified_at"].is_string(),
        "{}",
        r.body
    );
    let r = app
        .post("/v1/me/email-verification", &w.a_admin.1, json!({}))
        .await;
    assert_eq!(r.code(), "conflict");
    // An API key does not act for its owner's mailbox.
    let r = app
        .call(
            Method::POST,
            "/v1/me/email-verification",
            Cred::Bearer(&w.a_key.1),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // An invitation is mailed to the invitee, with the tenant's branding and the same token
    // the admin got; the link accepts it.
    let inv = app
        .post(
            &format!("/v1/tenants/{}/invitations", w.tenant_a),
            &w.a_admin.1,
            json!({"email": "guest@x.test", "role": "viewer"}),
        )
        .await;
    assert_eq!(inv.status, StatusCode::CREATED, "{}", inv.body);
    let mail = nth_mail(&server, 3).await;
    assert!(mail.contains("To: guest@x.test"), "{mail}");
    assert!(mail.contains("Acme Support"), "{mail}");
    assert!(
        mail.contains("You are invited to Tenant A on Acme Speech"),
        "{mail}"
    );
    assert!(
        decoded(&mail).contains("accept-invitation?token=vfi_"),
        "{mail}"
    );
    let token = token_in(&mail);
    assert_eq!(token, inv.body["token"].as_str().unwrap());
    let r = app
        .call(
            Method::POST,
            "/v1/invitations/accept",
            Cred::None,
            Some(json!({"token": token, "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The delivered mails are marked sent.
    let sent: i64 = app
        .store
        .read(Scope::System, |c| {
            use diesel::prelude::*;
            use voxflow::store::schema::email_outbox::dsl as eo;
            Ok(eo::email_outbox
                .filter(eo::status.eq("sent"))
                .count()
                .get_result(c)?)
        })
        .await
        .unwrap();
    assert_eq!(sent, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_and_verification_mails_arrive_and_their_links_work_once_sqlite() {
    reset_mail_flow(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_and_verification_mails_arrive_and_their_links_work_once_postgres() {
    if crate::helpers::pg_admin_url().is_none() {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    }
    reset_mail_flow(Backend::Postgres).await;
}

/// The newest outbox row: (status, to, body).
async fn last_outbox(app: &TestApp) -> (String, String, String) {
    app.store
        .read(Scope::System, |c| {
            use diesel::prelude::*;
            use voxflow::store::schema::email_outbox::dsl as eo;
            Ok(eo::email_outbox
                .order(eo::id.desc())
                .select((eo::status, eo::to_address, eo::body_text))
                .first::<(String, String, String)>(c)?)
        })
        .await
        .expect("an outbox row")
}

api_test!(
    without_smtp_the_outbox_keeps_the_mail_and_tokens_expire,
    |app| {
        let w = app.world().await;
        let (status, _) = reset(&app, "member@a.test").await;
        assert_eq!(status, StatusCode::ACCEPTED);
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let (state, to, body) = last_outbox(&app).await;
        assert_eq!((state.as_str(), to.as_str()), ("pending", "member@a.test"));
        // A second request replaces the first link.
        let first = token_in(&body);
        reset(&app, "member@a.test").await;
        let (_, _, body) = last_outbox(&app).await;
        let second = token_in(&body);
        assert_ne!(first, second);
        let r = confirm(&app, &first, "a-brand-new-passphrase").await;
        assert_eq!(r.code(), "invalid_one_time_token");
        // An expired link is refused like a wrong one.
        app.store
            .write(Scope::System, |c| {
                use diesel::RunQueryDsl;
                diesel::sql_query("UPDATE one_time_tokens SET expires_at = created_at")
                    .execute(c)?;
                Ok(())
            })
            .await
            .unwrap();
        let r = confirm(&app, &second, "a-brand-new-passphrase").await;
        assert_eq!(r.code(), "invalid_one_time_token");
        for wrong in ["", "x", &"a".repeat(500)] {
            let r = confirm(&app, wrong, "a-brand-new-passphrase").await;
            assert_eq!(r.code(), "invalid_one_time_token", "{wrong:?}");
        }
        assert_eq!(
            app.login_response("member@a.test", PASSWORD).await.status,
            StatusCode::OK
        );
        // Suspended accounts get no mail.
        let r = app
            .patch(
                &format!("/v1/users/{}", w.a_viewer.0),
                &w.a_admin.1,
                json!({"status": "suspended"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (status, _) = reset(&app, "viewer@a.test").await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let (_, to, _) = last_outbox(&app).await;
        assert_eq!(to, "member@a.test");
        // Throttled per address, found or not: five an hour, then 429 with Retry-After.
        for _ in 0..5 {
            assert_eq!(
                reset(&app, "ghost@nowhere.test").await.0,
                StatusCode::ACCEPTED
            );
        }
        let r = app
            .call(
                Method::POST,
                "/v1/auth/password-reset",
                Cred::None,
                Some(json!({"email": "ghost@nowhere.test"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.contains_key("retry-after"));
        let r = app
            .call(
                Method::POST,
                "/v1/auth/password-reset",
                Cred::None,
                Some(json!({"email": "not an address"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

api_test!(
    a_reseller_can_open_self_service_signup_on_a_trial_plan,
    |app| {
        let w = app.world().await;
        let r1 = format!("/v1/resellers/{}", w.reseller1);
        let signup = |reseller: String, email: &'static str| {
            let app = &app;
            async move {
                app.call(
                    Method::POST,
                    "/v1/auth/signup",
                    Cred::None,
                    Some(
                        json!({"reseller_id": reseller, "tenant_name": "Self Serve Co",
                            "email": email, "password": "a-brand-new-passphrase"}),
                    ),
                )
                .await
            }
        };
        // Off by default: a reseller without sign-up is as missing as one that does not exist.
        let off = signup(w.reseller1.clone(), "founder@self.test").await;
        let missing = signup(uuid::Uuid::now_v7().to_string(), "founder@self.test").await;
        assert_eq!(off.status, StatusCode::NOT_FOUND, "{}", off.body);
        assert_eq!((off.status, off.code()), (missing.status, missing.code()));
        // Turning it on needs a plan the reseller may sell.
        let r = app
            .patch(&r1, &w.reseller1_admin, json!({"signup_enabled": true}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let other = app
            .post(
                "/v1/plans",
                &w.reseller2_admin,
                json!({"name": "R2", "price_monthly": "1.00", "price_yearly": "10.00",
                   "storage_quota_mb": 10, "processing_quota_minutes": 10, "max_users": 2}),
            )
            .await
            .id();
        let r = app
            .patch(
                &r1,
                &w.reseller1_admin,
                json!({"signup_enabled": true, "signup_plan_id": other}),
            )
            .await;
        assert_eq!(r.code(), "plan_not_found");
        let r = app
            .patch(
                &r1,
                &w.reseller1_admin,
                json!({"signup_enabled": true, "signup_plan_id": w.plan1}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["signup_enabled"], true);
        // Another reseller cannot open it for reseller 1.
        let r = app
            .patch(&r1, &w.reseller2_admin, json!({"signup_enabled": false}))
            .await;
        assert_eq!(r.code(), "reseller_not_found");

        let r = signup(w.reseller1.clone(), "Founder@Self.test").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let token = r.body["tokens"]["access_token"]
            .as_str()
            .unwrap()
            .to_string();
        let me = app.get("/v1/me", &token).await;
        assert_eq!(me.body["tenant"]["name"], "Self Serve Co", "{}", me.body);
        assert_eq!(me.body["tenant"]["subscription_status"], "trial");
        assert_eq!(me.body["tenant"]["subscription_plan_id"], w.plan1.as_str());
        assert_eq!(me.body["tenant"]["reseller_id"], w.reseller1.as_str());
        assert_eq!(me.body["user"]["role"], "tenant_admin");
        assert!(me.body["user"]["email_verified_at"].is_null());
        // A verification mail waits in the outbox (no SMTP here).
        let (_, to, body) = last_outbox(&app).await;
        assert_eq!(to, "founder@self.test");
        assert!(decoded(&body).contains("verify-email?token="), "{body}");
        // The reseller sees its new customer; the address is taken now.
        let tenants = app.get("/v1/tenants?limit=100", &w.reseller1_admin).await;
        assert!(tenants.body.to_string().contains("Self Serve Co"));
        let again = signup(w.reseller1.clone(), "founder@self.test").await;
        assert_eq!(again.code(), "email_taken");
        // Closing it again closes the door.
        let r = app
            .patch(&r1, &w.reseller1_admin, json!({"signup_enabled": false}))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            signup(w.reseller1.clone(), "late@self.test").await.code(),
            "reseller_not_found"
        );
    }
);
