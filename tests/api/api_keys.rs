use crate::api_test;
use crate::helpers::Cred;
use reqwest::{Method, StatusCode};
use serde_json::json;

api_test!(api_keys_authenticate_both_ways_and_can_be_revoked, |app| {
    let w = app.world().await;
    let (id, key) = w.a_key.clone();
    assert!(key.starts_with("vf_") && key.len() == 43);
    for cred in [Cred::Bearer(&key), Cred::XApiKey(&key)] {
        let me = app.call(Method::GET, "/v1/me", cred, None).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        assert_eq!(me.body["credential"], "api_key");
        assert_eq!(me.body["user"]["email"], "member@a.test");
        assert_eq!(me.body["tenant"]["id"], w.tenant_a.as_str());
    }
    // Listed without its secret; last use recorded.
    let list = app.get("/v1/api-keys", &w.a_member.1).await;
    let item = &list.body["items"][0];
    assert_eq!(item["id"], id.as_str());
    assert!(item.get("key").is_none() && item.get("key_hash").is_none());
    assert_eq!(item["prefix"], &key[..8]);
    assert!(item["last_used_at"].is_string());
    // The tenant admin sees all of the tenant's keys, the member only its own.
    let (_, admin_key) = app
        .create_api_key(&w.a_admin.1, json!({"name": "admin's"}))
        .await;
    assert_eq!(
        app.get("/v1/api-keys", &w.a_admin.1).await.body["items"]
            .as_array()
            .expect("items")
            .len(),
        2
    );
    assert_eq!(
        app.get("/v1/api-keys", &w.a_member.1).await.body["items"]
            .as_array()
            .expect("items")
            .len(),
        1
    );
    let _ = admin_key;

    let del = app
        .delete(&format!("/v1/api-keys/{id}"), &w.a_member.1)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let me = app
        .call(Method::GET, "/v1/me", Cred::XApiKey(&key), None)
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.code(), "invalid_api_key");
    let bogus = app
        .call(
            Method::GET,
            "/v1/me",
            Cred::Bearer("vf_0000000000000000000000000000000000000000"),
            None,
        )
        .await;
    assert_eq!(bogus.code(), "invalid_api_key");
});

api_test!(api_key_permissions_and_expiry, |app| {
    let w = app.world().await;
    let (_, read_only) = app
        .create_api_key(
            &w.a_member.1,
            json!({"name": "ro", "permissions": ["users:read", "tenants:read"]}),
        )
        .await;
    let r = app
        .call(Method::GET, "/v1/users", Cred::Bearer(&read_only), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .call(
            Method::POST,
            "/v1/api-keys",
            Cred::Bearer(&read_only),
            Some(json!({"name": "escalate"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body["detail"]
        .as_str()
        .expect("detail")
        .contains("api_keys:write"));

    // A member cannot mint a key with more than its role grants.
    let r = app
        .post(
            "/v1/api-keys",
            &w.a_member.1,
            json!({"name": "x", "permissions": ["users:write"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            "/v1/api-keys",
            &w.a_member.1,
            json!({"name": "x", "permissions": ["bogus:perm"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let soon = (chrono::Utc::now() + chrono::TimeDelta::seconds(2)).to_rfc3339();
    let (_, short) = app
        .create_api_key(&w.a_member.1, json!({"name": "short", "expires_at": soon}))
        .await;
    assert_eq!(
        app.call(Method::GET, "/v1/me", Cred::Bearer(&short), None)
            .await
            .status,
        StatusCode::OK
    );
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let r = app
        .call(Method::GET, "/v1/me", Cred::Bearer(&short), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "expired key");
    assert_eq!(r.code(), "invalid_api_key");
    let past = (chrono::Utc::now() - chrono::TimeDelta::seconds(5)).to_rfc3339();
    let r = app
        .post(
            "/v1/api-keys",
            &w.a_member.1,
            json!({"name": "past", "expires_at": past}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Keys of a deleted user stop working.
    let del = app
        .delete(&format!("/v1/users/{}", w.a_member.0), &w.a_admin.1)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.call(Method::GET, "/v1/me", Cred::Bearer(&w.a_key.1), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Reseller and platform admins hold no API keys.
    assert_eq!(
        app.post("/v1/api-keys", &w.reseller1_admin, json!({"name": "r"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
});
