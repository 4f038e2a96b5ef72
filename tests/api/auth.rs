use crate::api_test;
use crate::helpers::{Cred, ADMIN_EMAIL, JWT_SECRET, PASSWORD};
use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::json;
use voxflow::auth::jwt::{Claims, JwtKeys};
use voxflow::tenancy::Role;

api_test!(login_me_and_wrong_credentials, |app| {
    let me = app.get("/v1/me", &app.admin_token).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.body["user"]["email"], ADMIN_EMAIL);
    assert_eq!(me.body["user"]["role"], "platform_admin");
    assert_eq!(me.body["credential"], "access_token");
    assert!(me.body["user"].get("password_hash").is_none());

    let ok = app
        .login_response(&ADMIN_EMAIL.to_uppercase(), PASSWORD)
        .await;
    assert_eq!(ok.status, StatusCode::OK, "emails are case-insensitive");
    assert_eq!(ok.body["token_type"], "Bearer");
    assert_eq!(ok.body["expires_in"], 900);
    assert!(ok.body["refresh_token"]
        .as_str()
        .expect("rt")
        .starts_with("vfr_"));

    let wrong = app.login_response(ADMIN_EMAIL, "not-the-password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid_credentials");
    let unknown = app.login_response("nobody@nowhere.test", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        unknown.body["detail"], wrong.body["detail"],
        "unknown email looks like a wrong password"
    );

    let none = app.call(Method::GET, "/v1/me", Cred::None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.code(), "unauthenticated");
    assert_eq!(
        none.headers
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap_or("")),
        Some("Bearer")
    );
});

api_test!(failed_logins_are_throttled, |app| {
    let (_, _) = app
        .create_user(
            &app.admin_token,
            "ra@throttle.test",
            "reseller_admin",
            None,
            Some(&app.create_reseller("Throttle").await),
        )
        .await;
    for _ in 0..5 {
        let r = app
            .login_response("ra@throttle.test", "wrong-password-x")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = app.login_response("ra@throttle.test", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert_eq!(r.code(), "too_many_login_attempts");
    assert!(r.headers.contains_key("retry-after"));
    // Other accounts from the same address are not locked out yet.
    assert_eq!(
        app.login_response(ADMIN_EMAIL, PASSWORD).await.status,
        StatusCode::OK
    );
});

api_test!(refresh_rotates_and_reuse_revokes_the_family, |app| {
    let first = app.login_response(ADMIN_EMAIL, PASSWORD).await;
    let rt1 = first.body["refresh_token"]
        .as_str()
        .expect("rt")
        .to_string();
    let refresh = |token: String| {
        let app = &app;
        async move {
            app.call(
                Method::POST,
                "/v1/auth/refresh",
                Cred::None,
                Some(json!({"refresh_token": token})),
            )
            .await
        }
    };
    let second = refresh(rt1.clone()).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let rt2 = second.body["refresh_token"]
        .as_str()
        .expect("rt2")
        .to_string();
    assert_ne!(rt1, rt2);
    let access = second.body["access_token"].as_str().expect("at");
    assert_eq!(app.get("/v1/me", access).await.status, StatusCode::OK);

    // Replaying the spent token: refused, and the whole family is revoked.
    let replay = refresh(rt1.clone()).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.code(), "refresh_token_reused");
    let after = refresh(rt2.clone()).await;
    assert_eq!(
        after.status,
        StatusCode::UNAUTHORIZED,
        "rt2 died with its family"
    );
    assert_eq!(after.code(), "invalid_refresh_token");

    // Logout ends a session; garbage tokens are refused.
    let s = app.login_response(ADMIN_EMAIL, PASSWORD).await;
    let rt = s.body["refresh_token"].as_str().expect("rt").to_string();
    let out = app
        .call(
            Method::POST,
            "/v1/auth/logout",
            Cred::None,
            Some(json!({"refresh_token": rt.clone()})),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(refresh(rt).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refresh("vfr_garbage".into()).await.code(),
        "invalid_refresh_token"
    );
});

api_test!(forged_expired_and_alg_none_tokens_are_rejected, |app| {
    let keys = JwtKeys::new(JWT_SECRET.as_bytes(), 900);
    let valid = keys.verify(&app.admin_token).expect("our token verifies");
    let now = chrono::Utc::now().timestamp();
    let cases: Vec<(&str, String)> = vec![
        (
            "expired",
            keys.sign_claims(&Claims {
                exp: now - 120,
                iat: now - 1000,
                ..valid.clone()
            })
            .expect("sign"),
        ),
        (
            "wrong key",
            JwtKeys::new(b"another-secret-another-secret-another", 900)
                .sign_claims(&valid)
                .expect("sign"),
        ),
        (
            "wrong issuer",
            keys.sign_claims(&Claims {
                iss: "evil".into(),
                ..valid.clone()
            })
            .expect("sign"),
        ),
        (
            "wrong audience",
            keys.sign_claims(&Claims {
                aud: "other".into(),
                ..valid.clone()
            })
            .expect("sign"),
        ),
        ("tampered", {
            // Swap the payload for one claiming another role, keeping the signature.
            let parts: Vec<&str> = app.admin_token.split('.').collect();
            let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let forged = Claims {
                role: Role::PlatformAdmin,
                sub: uuid::Uuid::now_v7(),
                ..valid.clone()
            };
            format!(
                "{}.{}.{}",
                parts[0],
                b64.encode(serde_json::to_vec(&forged).expect("json")),
                parts[2]
            )
        }),
        ("alg none", {
            let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            format!(
                "{}.{}.",
                b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
                b64.encode(serde_json::to_vec(&valid).expect("json"))
            )
        }),
        ("garbage", "not.a.jwt".to_string()),
    ];
    for (name, token) in cases {
        let r = app.get("/v1/me", &token).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{name}: {}", r.body);
        assert_eq!(r.code(), "invalid_token", "{name}");
    }
    // And the service still answers.
    assert_eq!(
        app.get("/v1/me", &app.admin_token).await.status,
        StatusCode::OK
    );
});

api_test!(roles_limit_what_each_user_may_do, |app| {
    let w = app.world().await;
    // Viewers only read.
    let r = app
        .post(
            "/v1/users",
            &w.a_viewer.1,
            json!({"email": "x@a.test", "password": PASSWORD, "role": "viewer"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "forbidden");
    assert_eq!(
        app.post("/v1/api-keys", &w.a_viewer.1, json!({"name": "k"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/v1/users", &w.a_viewer.1).await.status,
        StatusCode::OK
    );
    // Members cannot manage users, read the audit log, or create tenants.
    assert_eq!(
        app.post(
            "/v1/users",
            &w.a_member.1,
            json!({"email": "y@a.test", "password": PASSWORD, "role": "viewer"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/v1/audit-log", &w.a_member.1).await.status,
        StatusCode::FORBIDDEN
    );
    // Tenant admins cannot create tenants, nor grant roles above their own.
    assert_eq!(
        app.post("/v1/tenants", &w.a_admin.1, json!({"name": "Mine"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let up = app
        .post(
            "/v1/users",
            &w.a_admin.1,
            json!({"email": "z@a.test", "password": PASSWORD, "role": "platform_admin"}),
        )
        .await;
    assert_eq!(up.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(up.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .any(|e| e["field"] == "role"));
    // A tenant admin's users land in its tenant, whatever the body says.
    let r = app.post("/v1/users", &w.a_admin.1, json!({"email": "m2@a.test", "password": PASSWORD, "role": "member", "tenant_id": w.tenant_b})).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another tenant is not found: {}",
        r.body
    );
    let r = app
        .post(
            "/v1/users",
            &w.a_admin.1,
            json!({"email": "m3@a.test", "password": PASSWORD, "role": "member"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["tenant_id"], w.tenant_a.as_str());
    // Reseller admins cannot create resellers.
    assert_eq!(
        app.post(
            "/v1/resellers",
            &w.reseller1_admin,
            json!({"name": "X", "email": "x@x.test"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // Nobody changes their own role.
    let me = app
        .patch(
            &format!("/v1/users/{}", w.a_admin.0),
            &w.a_admin.1,
            json!({"role": "member"}),
        )
        .await;
    assert_eq!(me.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Everyone may change their own name.
    let me = app
        .patch(
            &format!("/v1/users/{}", w.a_viewer.0),
            &w.a_viewer.1,
            json!({"first_name": "Vi"}),
        )
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.body["first_name"], "Vi");
});

api_test!(suspended_and_deleted_users_lose_access, |app| {
    let w = app.world().await;
    let r = app
        .patch(
            &format!("/v1/users/{}", w.a_member.0),
            &w.a_admin.1,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let login = app.login_response("member@a.test", PASSWORD).await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    // The member's API key stops working while suspended.
    let me = app
        .call(Method::GET, "/v1/me", Cred::Bearer(&w.a_key.1), None)
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.code(), "invalid_api_key");

    let del = app
        .delete(&format!("/v1/users/{}", w.a_viewer.0), &w.a_admin.1)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/v1/users/{}", w.a_viewer.0), &w.a_admin.1)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.login_response("viewer@a.test", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Deleting yourself is refused.
    let selfdel = app
        .delete(&format!("/v1/users/{}", w.a_admin.0), &w.a_admin.1)
        .await;
    assert_eq!(selfdel.status, StatusCode::CONFLICT);
});
