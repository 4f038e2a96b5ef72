use crate::api_test;
use crate::helpers::{Cred, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::json;

api_test!(reseller_tenant_plan_lifecycle_with_exact_money, |app| {
    let r = app
        .post(
            "/v1/resellers",
            &app.admin_token,
            json!({"name": "Acme Resale", "email": "Sales@Acme.test", "commission_rate": "12.5"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["commission_rate"], "12.50");
    assert_eq!(r.body["email"], "sales@acme.test");
    let reseller = r.id();
    assert_eq!(
        r.headers["location"].to_str().expect("loc"),
        format!("/v1/resellers/{reseller}")
    );

    let plan = app
        .post(
            "/v1/plans",
            &app.admin_token,
            json!({"name": "Pro", "reseller_id": reseller, "currency": "EUR",
            "price_monthly": "19.99", "price_yearly": "199.9", "storage_quota_mb": 5000,
            "processing_quota_minutes": 600, "max_users": 2, "features": {"max_audio_seconds": 3600}}),
        )
        .await;
    assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.body);
    assert_eq!(plan.body["price_monthly"], "19.99");
    assert_eq!(plan.body["price_yearly"], "199.90");
    assert_eq!(plan.body["features"]["max_audio_seconds"], 3600);
    let plan_id = plan.id();

    let t = app
        .post(
            "/v1/tenants",
            &app.admin_token,
            json!({"name": "Studio", "reseller_id": reseller, "subscription_plan_id": plan_id}),
        )
        .await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);
    let tenant = t.id();
    assert_eq!(t.body["subscription_plan_id"], plan_id.as_str());

    // The plan's user limit holds.
    app.create_user(
        &app.admin_token,
        "u1@studio.test",
        "tenant_admin",
        Some(&tenant),
        None,
    )
    .await;
    app.create_user(
        &app.admin_token,
        "u2@studio.test",
        "member",
        Some(&tenant),
        None,
    )
    .await;
    let third = app.post("/v1/users", &app.admin_token, json!({"email": "u3@studio.test", "password": PASSWORD, "role": "member", "tenant_id": tenant})).await;
    assert_eq!(third.status, StatusCode::CONFLICT);
    assert_eq!(third.code(), "plan_limit_reached");

    // A plan in use cannot be deleted.
    let del = app
        .delete(&format!("/v1/plans/{plan_id}"), &app.admin_token)
        .await;
    assert_eq!(del.code(), "plan_in_use");

    let upd = app
        .patch(
            &format!("/v1/tenants/{tenant}"),
            &app.admin_token,
            json!({"name": "Studio 2", "domain": "Studio.Example", "status": "suspended"}),
        )
        .await;
    assert_eq!(upd.status, StatusCode::OK, "{}", upd.body);
    assert_eq!(upd.body["domain"], "studio.example");
    assert_eq!(upd.body["status"], "suspended");
    // Suspended: its users still sign in, to a read-only session.
    let login = app.login_response("u1@studio.test", PASSWORD).await;
    assert_eq!(
        login.status,
        StatusCode::OK,
        "suspended tenant: {}",
        login.body
    );
    let token = login.body["access_token"].as_str().expect("token");
    assert_eq!(
        app.get("/v1/me", token).await.body["read_only"],
        "tenant_suspended"
    );
    let upd = app
        .patch(
            &format!("/v1/tenants/{tenant}"),
            &app.admin_token,
            json!({"domain": null, "status": "active"}),
        )
        .await;
    assert!(upd.body["domain"].is_null());

    let del = app
        .delete(&format!("/v1/tenants/{tenant}"), &app.admin_token)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/v1/tenants/{tenant}"), &app.admin_token)
            .await
            .code(),
        "tenant_not_found"
    );
    assert_eq!(
        app.login_response("u2@studio.test", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED,
        "users went with the tenant"
    );
    let del = app
        .delete(&format!("/v1/plans/{plan_id}"), &app.admin_token)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT, "{}", del.body);
    assert_eq!(
        app.get(&format!("/v1/plans/{plan_id}"), &app.admin_token)
            .await
            .code(),
        "plan_not_found"
    );

    let del = app
        .delete(&format!("/v1/resellers/{reseller}"), &app.admin_token)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/v1/resellers/{reseller}"), &app.admin_token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&format!("/v1/resellers/{reseller}"), &app.admin_token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
});

api_test!(
    validation_names_every_field_and_bad_bodies_are_problems,
    |app| {
        let r = app
        .post("/v1/plans", &app.admin_token, json!({"name": "", "price_monthly": "19.999", "price_yearly": "-1",
            "storage_quota_mb": -1, "processing_quota_minutes": 1, "max_users": 0, "currency": "usd"}))
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.code(), "validation_failed");
        let fields: Vec<&str> = r.body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or(""))
            .collect();
        for f in [
            "name",
            "price_monthly",
            "price_yearly",
            "storage_quota_mb",
            "max_users",
            "currency",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        // Unknown fields are rejected and named.
        let r = app
            .post(
                "/v1/resellers",
                &app.admin_token,
                json!({"name": "X", "email": "x@x.test", "tenant_id": "sneaky"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["errors"][0]["field"], "tenant_id");
        // Wrong types are named too.
        let r = app
            .post(
                "/v1/resellers",
                &app.admin_token,
                json!({"name": 5, "email": "x@x.test"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Malformed JSON, wrong content type, oversized body.
        let res = app
            .client
            .post(format!("{}/v1/resellers", app.base))
            .bearer_auth(&app.admin_token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let res = app
            .client
            .post(format!("{}/v1/resellers", app.base))
            .bearer_auth(&app.admin_token)
            .header("content-type", "text/plain")
            .body("hi")
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let big = "x".repeat(2 * 1024 * 1024);
        let res = app
            .client
            .post(format!("{}/v1/resellers", app.base))
            .bearer_auth(&app.admin_token)
            .json(&json!({"name": big, "email": "x@x.test"}))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        // Bad ids and bad query parameters.
        assert_eq!(
            app.get("/v1/users/not-a-uuid", &app.admin_token)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get("/v1/users?limit=0", &app.admin_token).await.code(),
            "invalid_query"
        );
        assert_eq!(
            app.get("/v1/users?cursor=%%%", &app.admin_token)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            app.get("/v1/users?bogus=1", &app.admin_token).await.code(),
            "invalid_query"
        );
        // Duplicate email.
        let r = app.post("/v1/users", &app.admin_token, json!({"email": "root@platform.test", "password": PASSWORD, "role": "platform_admin"})).await;
        assert_eq!(r.code(), "email_taken");
        // No internals leak from any of this, and the service still answers.
        assert_eq!(
            app.get("/v1/me", &app.admin_token).await.status,
            StatusCode::OK
        );
    }
);

api_test!(lists_paginate_with_cursors_and_filter, |app| {
    let reseller = app.create_reseller("Pager").await;
    let tenant = app
        .create_tenant(&app.admin_token, "Pages", Some(&reseller))
        .await;
    for i in 0..5 {
        let r = app.post("/v1/users", &app.admin_token, json!({"email": format!("p{i}@pages.test"), "password": PASSWORD, "role": "member", "tenant_id": tenant})).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut path = format!("/v1/users?tenant_id={tenant}&limit=2");
    loop {
        let page = app.get(&path, &app.admin_token).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let items = page.body["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .map(|u| u["email"].as_str().unwrap_or("").to_string()),
        );
        match page.body["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/users?tenant_id={tenant}&limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(
        seen,
        vec![
            "p4@pages.test",
            "p3@pages.test",
            "p2@pages.test",
            "p1@pages.test",
            "p0@pages.test"
        ]
    );
    let filtered = app
        .get("/v1/users?email=P3%40PAGES", &app.admin_token)
        .await;
    assert_eq!(filtered.body["items"].as_array().expect("items").len(), 1);
    let filtered = app.get("/v1/tenants?name=age", &app.admin_token).await;
    assert_eq!(filtered.body["items"][0]["id"], tenant.as_str());
    let filtered = app.get("/v1/users?email=100%25", &app.admin_token).await;
    assert_eq!(
        filtered.body["items"].as_array().expect("items").len(),
        0,
        "LIKE wildcards are literal"
    );
});

api_test!(every_mutation_is_audited_with_actor_and_request_id, |app| {
    let w = app.world().await;
    let res = app
        .client
        .patch(format!("{}/v1/users/{}", app.base, w.a_member.0))
        .bearer_auth(&w.a_admin.1)
        .header("x-request-id", "req-audit-1")
        .json(&json!({"first_name": "Mo"}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    let log = app
        .get("/v1/audit-log?action=user.update", &w.a_admin.1)
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let entry = &log.body["items"][0];
    assert_eq!(entry["actor_user_id"], w.a_admin.0.as_str());
    assert_eq!(entry["target_id"], w.a_member.0.as_str());
    assert_eq!(entry["tenant_id"], w.tenant_a.as_str());
    assert_eq!(entry["request_id"], "req-audit-1");
    assert_eq!(entry["ip"], "127.0.0.1");
    assert_eq!(entry["details"]["fields"][0], "first_name");
    let one = app
        .get(
            &format!("/v1/audit-log/{}", entry["id"].as_str().expect("id")),
            &w.a_admin.1,
        )
        .await;
    assert_eq!(one.status, StatusCode::OK);

    // Key creation through an API key records the key as the actor.
    let via_key = app
        .call(
            Method::POST,
            "/v1/api-keys",
            Cred::Bearer(&w.a_key.1),
            Some(json!({"name": "child"})),
        )
        .await;
    assert_eq!(via_key.status, StatusCode::CREATED, "{}", via_key.body);
    let log = app
        .get("/v1/audit-log?action=api_key.create&limit=1", &w.a_admin.1)
        .await;
    assert_eq!(log.body["items"][0]["actor_api_key_id"], w.a_key.0.as_str());

    // Each scope sees its own slice: the platform sees all, tenant A none of tenant B's.
    let actions = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|e| e["tenant_id"].as_str().unwrap_or("-").to_string())
            .collect()
    };
    let a = app.get("/v1/audit-log?limit=100", &w.a_admin.1).await;
    assert!(actions(&a.body).iter().all(|t| t == &w.tenant_a));
    let r1 = app.get("/v1/audit-log?limit=100", &w.reseller1_admin).await;
    assert!(!actions(&r1.body).contains(&w.tenant_b));
    let all = app.get("/v1/audit-log?limit=100", &app.admin_token).await;
    assert!(actions(&all.body).contains(&w.tenant_b) && actions(&all.body).contains(&w.tenant_a));
});
