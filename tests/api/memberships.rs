//! Memberships and tenant switching (issue 13, §4): a user in several tenants with a role in
//! each, `GET /v1/me/tenants`, `POST /v1/auth/switch`, refresh tokens per membership, adding,
//! removing and re-ranking members (never the last tenant admin), and invitations.

use crate::api_test;
use crate::helpers::{Cred, TestApp, World, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A second tenant of reseller 1 with its own admin; returns (tenant id, admin token).
async fn second_tenant(app: &TestApp, w: &World) -> (String, String, String) {
    let a2 = app
        .create_tenant(&w.reseller1_admin, "Tenant A2", None)
        .await;
    let (admin_id, admin) = app
        .create_user(
            &w.reseller1_admin,
            "admin@a2.test",
            "tenant_admin",
            Some(&a2),
            None,
        )
        .await;
    (a2, admin_id, admin)
}

async fn add(app: &TestApp, token: &str, tenant: &str, email: &str, role: &str) -> Value {
    let r = app
        .post(
            &format!("/v1/tenants/{tenant}/members"),
            token,
            json!({"email": email, "role": role}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "add {email}: {}", r.body);
    r.body
}

fn login_body(email: &str, tenant: Option<&str>) -> Value {
    let mut b = json!({"email": email, "password": PASSWORD});
    if let Some(t) = tenant {
        b["tenant_id"] = json!(t);
    }
    b
}

async fn login_in(app: &TestApp, email: &str, tenant: Option<&str>) -> crate::helpers::Response {
    app.call(
        Method::POST,
        "/v1/auth/login",
        Cred::None,
        Some(login_body(email, tenant)),
    )
    .await
}

fn token_of(r: &crate::helpers::Response) -> String {
    r.body["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no access token in {} {}", r.status, r.body))
        .to_string()
}

async fn refresh(app: &TestApp, refresh_token: &str) -> crate::helpers::Response {
    app.call(
        Method::POST,
        "/v1/auth/refresh",
        Cred::None,
        Some(json!({"refresh_token": refresh_token})),
    )
    .await
}

api_test!(
    a_user_in_two_tenants_lists_switches_and_signs_in_to_either,
    |app| {
        let w = app.world().await;
        let (a2, _, a2_admin) = second_tenant(&app, &w).await;
        let added = add(&app, &a2_admin, &a2, "MEMBER@a.test", "viewer").await;
        assert_eq!(added["user_id"], json!(w.a_member.0));
        assert_eq!(added["role"], "viewer");

        // Both memberships, the current one marked.
        let mine = app.get("/v1/me/tenants", &w.a_member.1).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        let items = mine.body["items"].as_array().expect("items").clone();
        assert_eq!(items.len(), 2, "{}", mine.body);
        assert_eq!(items[0]["tenant_id"], json!(w.tenant_a));
        assert_eq!(items[0]["name"], "Tenant A");
        assert_eq!(items[0]["role"], "member");
        assert_eq!(items[0]["current"], true);
        assert_eq!(items[1]["tenant_id"], json!(a2));
        assert_eq!(items[1]["role"], "viewer");
        assert_eq!(items[1]["current"], false);

        // Switch: the new token acts in A2 with the role held there.
        let sw = app
            .post("/v1/auth/switch", &w.a_member.1, json!({"tenant_id": a2}))
            .await;
        assert_eq!(sw.status, StatusCode::OK, "{}", sw.body);
        let in_a2 = token_of(&sw);
        let me = app.get("/v1/me", &in_a2).await;
        assert_eq!(me.body["tenant"]["id"], json!(a2), "{}", me.body);
        assert_eq!(me.body["user"]["tenant_id"], json!(a2));
        assert_eq!(me.body["user"]["role"], "viewer");
        let perms = me.body["permissions"].as_array().expect("permissions");
        assert!(!perms.contains(&json!("jobs:write")), "{perms:?}");
        // A viewer there: no writes, and only A2's rows.
        let wf = app
            .post(
                "/v1/workflows",
                &in_a2,
                json!({"name": "x", "graph": {"nodes": [], "edges": []}}),
            )
            .await;
        assert_eq!(wf.status, StatusCode::FORBIDDEN, "{}", wf.body);
        let users = app.get("/v1/users", &in_a2).await;
        let emails: Vec<&str> = users.body["items"]
            .as_array()
            .expect("users")
            .iter()
            .filter_map(|u| u["email"].as_str())
            .collect();
        assert!(
            emails.contains(&"admin@a2.test") && emails.contains(&"member@a.test"),
            "{emails:?}"
        );
        assert!(!emails.contains(&"admin@a.test"), "{emails:?}");
        // The tenant-A token still acts in A as a member.
        let me_a = app.get("/v1/me", &w.a_member.1).await;
        assert_eq!(me_a.body["tenant"]["id"], json!(w.tenant_a));
        assert_eq!(me_a.body["user"]["role"], "member");
        let current = app.get("/v1/me/tenants", &in_a2).await;
        assert_eq!(
            current.body["items"][1]["current"], true,
            "{}",
            current.body
        );
        assert_eq!(current.body["items"][0]["current"], false);

        // Refresh tokens belong to their membership.
        let a2_refresh = sw.body["refresh_token"].as_str().expect("rt").to_string();
        let r = refresh(&app, &a2_refresh).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let me = app.get("/v1/me", &token_of(&r)).await;
        assert_eq!(me.body["tenant"]["id"], json!(a2));
        let login_a = login_in(&app, "member@a.test", Some(&w.tenant_a)).await;
        assert_eq!(login_a.status, StatusCode::OK, "{}", login_a.body);
        let r = refresh(&app, login_a.body["refresh_token"].as_str().expect("rt")).await;
        let me = app.get("/v1/me", &token_of(&r)).await;
        assert_eq!(me.body["tenant"]["id"], json!(w.tenant_a));
        assert_eq!(me.body["user"]["role"], "member");

        // Login without a tenant: the one last signed in to (A, just now); naming A2 lands there.
        let me = app
            .get(
                "/v1/me",
                &token_of(&login_in(&app, "member@a.test", None).await),
            )
            .await;
        assert_eq!(me.body["tenant"]["id"], json!(w.tenant_a));
        let l2 = login_in(&app, "member@a.test", Some(&a2)).await;
        assert_eq!(l2.status, StatusCode::OK, "{}", l2.body);
        let me = app.get("/v1/me", &token_of(&l2)).await;
        assert_eq!(me.body["tenant"]["id"], json!(a2));
        let me = app
            .get(
                "/v1/me",
                &token_of(&login_in(&app, "member@a.test", None).await),
            )
            .await;
        assert_eq!(
            me.body["tenant"]["id"],
            json!(a2),
            "the default follows the last used"
        );

        // Not a member of B: switching or signing in there is refused; a wrong password says
        // nothing about memberships.
        let sw = app
            .post(
                "/v1/auth/switch",
                &w.a_member.1,
                json!({"tenant_id": w.tenant_b}),
            )
            .await;
        assert_eq!(sw.status, StatusCode::NOT_FOUND);
        assert_eq!(sw.code(), "membership_not_found");
        let lb = login_in(&app, "member@a.test", Some(&w.tenant_b)).await;
        assert_eq!(lb.status, StatusCode::NOT_FOUND, "{}", lb.body);
        assert_eq!(lb.code(), "membership_not_found");
        let wrong = app
        .call(
            Method::POST,
            "/v1/auth/login",
            Cred::None,
            Some(json!({"email": "member@a.test", "password": "wrong-password-1", "tenant_id": w.tenant_b})),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(wrong.code(), "invalid_credentials");

        // API keys stay bound to their tenant: no switching, and they list only it.
        let sw = app
            .call(
                Method::POST,
                "/v1/auth/switch",
                Cred::XApiKey(&w.a_key.1),
                Some(json!({"tenant_id": a2})),
            )
            .await;
        assert_eq!(sw.status, StatusCode::FORBIDDEN);
        let keyed = app
            .call(
                Method::GET,
                "/v1/me/tenants",
                Cred::Bearer(&w.a_key.1),
                None,
            )
            .await;
        assert_eq!(keyed.status, StatusCode::OK, "{}", keyed.body);
        let items = keyed.body["items"].as_array().expect("items");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["tenant_id"], json!(w.tenant_a));

        // A suspended tenant can be switched to and read, not changed; the default login
        // prefers the tenant that is not suspended.
        let s = app
            .patch(
                &format!("/v1/tenants/{a2}"),
                &w.reseller1_admin,
                json!({"status": "suspended"}),
            )
            .await;
        assert_eq!(s.status, StatusCode::OK, "{}", s.body);
        let sw = app
            .post("/v1/auth/switch", &w.a_member.1, json!({"tenant_id": a2}))
            .await;
        assert_eq!(sw.status, StatusCode::OK, "{}", sw.body);
        let me = app.get("/v1/me", &in_a2).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        assert_eq!(me.body["read_only"], "tenant_suspended", "{}", me.body);
        // The default login skips it.
        let me = app
            .get(
                "/v1/me",
                &token_of(&login_in(&app, "member@a.test", None).await),
            )
            .await;
        assert_eq!(me.body["tenant"]["id"], json!(w.tenant_a));
    }
);

api_test!(
    removing_a_membership_ends_its_sessions_and_keys_but_not_the_account,
    |app| {
        let w = app.world().await;
        let (a2, _, a2_admin) = second_tenant(&app, &w).await;
        add(&app, &a2_admin, &a2, "member@a.test", "member").await;
        let sw = app
            .post("/v1/auth/switch", &w.a_member.1, json!({"tenant_id": a2}))
            .await;
        assert_eq!(sw.status, StatusCode::OK, "{}", sw.body);
        let in_a2 = token_of(&sw);
        let a2_refresh = sw.body["refresh_token"].as_str().expect("rt").to_string();
        let (_, a2_key) = app.create_api_key(&in_a2, json!({"name": "a2 key"})).await;
        let keyed = app
            .call(Method::GET, "/v1/me", Cred::XApiKey(&a2_key), None)
            .await;
        assert_eq!(keyed.body["tenant"]["id"], json!(a2), "{}", keyed.body);

        let del = app
            .delete(
                &format!("/v1/tenants/{a2}/members/{}", w.a_member.0),
                &a2_admin,
            )
            .await;
        assert_eq!(del.status, StatusCode::NO_CONTENT, "{}", del.body);

        // A2's access token stops at its next request, its refresh token and key are dead.
        let me = app.get("/v1/me", &in_a2).await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        assert_eq!(me.code(), "invalid_token");
        let r = refresh(&app, &a2_refresh).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.code(), "invalid_refresh_token");
        let keyed = app
            .call(Method::GET, "/v1/me", Cred::XApiKey(&a2_key), None)
            .await;
        assert_eq!(keyed.code(), "invalid_api_key");
        // Tenant A is untouched: its token, its key and the account.
        assert_eq!(
            app.get("/v1/me", &w.a_member.1).await.status,
            StatusCode::OK
        );
        let keyed = app
            .call(Method::GET, "/v1/me", Cred::XApiKey(&w.a_key.1), None)
            .await;
        assert_eq!(keyed.status, StatusCode::OK);
        let mine = app.get("/v1/me/tenants", &w.a_member.1).await;
        assert_eq!(mine.body["items"].as_array().expect("items").len(), 1);
        let gone = login_in(&app, "member@a.test", Some(&a2)).await;
        assert_eq!(gone.code(), "membership_not_found");
        assert_eq!(
            app.get(&format!("/v1/users/{}", w.a_member.0), &a2_admin)
                .await
                .status,
            StatusCode::NOT_FOUND,
            "no longer one of A2's users"
        );
        let list = app
            .get(&format!("/v1/tenants/{a2}/members"), &a2_admin)
            .await;
        assert_eq!(
            list.body["items"].as_array().expect("items").len(),
            1,
            "{}",
            list.body
        );
        let again = app
            .delete(
                &format!("/v1/tenants/{a2}/members/{}", w.a_member.0),
                &a2_admin,
            )
            .await;
        assert_eq!(again.code(), "membership_not_found");

        // Added back later: a token of the earlier membership stays refused.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        add(&app, &a2_admin, &a2, "member@a.test", "member").await;
        assert_eq!(app.get("/v1/me", &in_a2).await.code(), "invalid_token");
        let fresh = login_in(&app, "member@a.test", Some(&a2)).await;
        assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);

        // Members leave by themselves.
        let leave = app
            .delete(
                &format!("/v1/tenants/{a2}/members/{}", w.a_member.0),
                &token_of(&fresh),
            )
            .await;
        assert_eq!(leave.status, StatusCode::NO_CONTENT, "{}", leave.body);

        // Deleting a tenant keeps the accounts that belong elsewhere too.
        add(&app, &a2_admin, &a2, "member@a.test", "member").await;
        let d = app
            .delete(&format!("/v1/tenants/{a2}"), &w.reseller1_admin)
            .await;
        assert_eq!(d.status, StatusCode::NO_CONTENT, "{}", d.body);
        assert_eq!(
            login_in(&app, "member@a.test", None).await.status,
            StatusCode::OK
        );
        assert_eq!(
            login_in(&app, "admin@a2.test", None).await.status,
            StatusCode::UNAUTHORIZED,
            "A2's own admin went with it"
        );
    }
);

api_test!(
    the_last_tenant_admin_can_be_neither_removed_nor_demoted,
    |app| {
        let w = app.world().await;
        let path = format!("/v1/tenants/{}/members/{}", w.tenant_a, w.a_admin.0);
        let r = app.delete(&path, &w.reseller1_admin).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.code(), "last_tenant_admin");
        let r = app
            .patch(&path, &w.reseller1_admin, json!({"role": "member"}))
            .await;
        assert_eq!(r.code(), "last_tenant_admin");
        let r = app
            .patch(
                &format!("/v1/users/{}", w.a_admin.0),
                &w.reseller1_admin,
                json!({"role": "viewer"}),
            )
            .await;
        assert_eq!(r.code(), "last_tenant_admin");
        let r = app
            .delete(&format!("/v1/users/{}", w.a_admin.0), &w.reseller1_admin)
            .await;
        assert_eq!(r.code(), "last_tenant_admin");
        let r = app.delete(&path, &w.a_admin.1).await;
        assert_eq!(r.code(), "last_tenant_admin", "nor can it leave");
        let me = app.get("/v1/me", &w.a_admin.1).await;
        assert_eq!(me.body["user"]["role"], "tenant_admin");

        // With a second admin, the first may be demoted; the new role applies at once.
        let promote = app
            .patch(
                &format!("/v1/tenants/{}/members/{}", w.tenant_a, w.a_member.0),
                &w.a_admin.1,
                json!({"role": "tenant_admin"}),
            )
            .await;
        assert_eq!(promote.status, StatusCode::OK, "{}", promote.body);
        assert_eq!(promote.body["role"], "tenant_admin");
        let me = app.get("/v1/me", &w.a_member.1).await;
        assert_eq!(me.body["user"]["role"], "tenant_admin");
        let r = app
            .patch(&path, &w.a_member.1, json!({"role": "member"}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let me = app.get("/v1/me", &w.a_admin.1).await;
        assert_eq!(me.body["user"]["role"], "member");
        let r = app
            .post(
                &format!("/v1/tenants/{}/members", w.tenant_a),
                &w.a_admin.1,
                json!({"email": "viewer@a.test", "role": "viewer"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a member now: {}", r.body);
        // Nobody changes their own role.
        let own = app
            .patch(
                &format!("/v1/tenants/{}/members/{}", w.tenant_a, w.a_member.0),
                &w.a_member.1,
                json!({"role": "member"}),
            )
            .await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

api_test!(members_routes_are_isolated_and_need_the_role, |app| {
    let w = app.world().await;
    let a = w.tenant_a.clone();
    let b = w.tenant_b.clone();
    let b_member = w.b_member.0.clone();
    // Another tenant's (or reseller's) members: 404, as if the tenant did not exist.
    let foreign: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/v1/tenants/{b}/members"), None),
        (
            Method::POST,
            format!("/v1/tenants/{b}/members"),
            Some(json!({"email": "member@a.test", "role": "viewer"})),
        ),
        (
            Method::PATCH,
            format!("/v1/tenants/{b}/members/{b_member}"),
            Some(json!({"role": "viewer"})),
        ),
        (
            Method::DELETE,
            format!("/v1/tenants/{b}/members/{b_member}"),
            None,
        ),
        (
            Method::POST,
            format!("/v1/tenants/{b}/invitations"),
            Some(json!({"email": "x@x.test", "role": "viewer"})),
        ),
        (Method::GET, format!("/v1/tenants/{b}/invitations"), None),
    ];
    for cred in [&w.a_admin.1, &w.reseller1_admin] {
        for (m, p, body) in &foreign {
            let r = app
                .call(m.clone(), p, Cred::Bearer(cred), body.clone())
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {p}: {}", r.body);
            assert_eq!(r.code(), "tenant_not_found", "{m} {p}");
        }
    }
    let list = app
        .get(&format!("/v1/tenants/{b}/members"), &w.b_admin.1)
        .await;
    assert_eq!(
        list.body["items"].as_array().expect("items").len(),
        2,
        "B untouched: {}",
        list.body
    );

    // Members and viewers read the list; only admins change it.
    let list = app
        .get(&format!("/v1/tenants/{a}/members"), &w.a_viewer.1)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["items"].as_array().expect("items").len(), 3);
    for cred in [
        Cred::Bearer(&w.a_member.1),
        Cred::Bearer(&w.a_viewer.1),
        Cred::XApiKey(&w.a_key.1),
    ] {
        let r = app
            .call(
                Method::POST,
                &format!("/v1/tenants/{a}/members"),
                cred,
                Some(json!({"email": "member@b.test", "role": "viewer"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = app
            .call(
                Method::DELETE,
                &format!("/v1/tenants/{a}/members/{}", w.a_admin.0),
                cred,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = app
            .call(
                Method::POST,
                &format!("/v1/tenants/{a}/invitations"),
                cred,
                Some(json!({"email": "n@x.test", "role": "viewer"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    // An admin's API key adds members (within its permissions) but never invites.
    let (_, admin_key) = app
        .create_api_key(
            &w.a_admin.1,
            json!({"name": "admin key", "permissions": ["users:read", "users:write"]}),
        )
        .await;
    let r = app
        .call(
            Method::POST,
            &format!("/v1/tenants/{a}/invitations"),
            Cred::XApiKey(&admin_key),
            Some(json!({"email": "n@x.test", "role": "viewer"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Roles: tenant roles only, never above one's own.
    let r = app
        .post(
            &format!("/v1/tenants/{a}/members"),
            &w.a_admin.1,
            json!({"email": "member@b.test", "role": "reseller_admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &format!("/v1/tenants/{a}/members"),
            &w.a_admin.1,
            json!({"email": "nobody@x.test", "role": "viewer"}),
        )
        .await;
    assert_eq!(r.code(), "user_not_found");
    let r = app
        .post(
            &format!("/v1/tenants/{a}/members"),
            &w.a_admin.1,
            json!({"email": "viewer@a.test", "role": "viewer"}),
        )
        .await;
    assert_eq!(r.code(), "membership_exists");
    let r = app
        .post(
            &format!("/v1/tenants/{a}/members"),
            &w.a_admin.1,
            json!({"email": "ra2@r2.test", "role": "viewer"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // B's member joins A too. A's admin sees the account as A's viewer but may not change
    // what B relies on (email, password, status, names) nor delete it.
    let added = add(&app, &w.a_admin.1, &a, "member@b.test", "viewer").await;
    assert_eq!(added["role"], "viewer");
    let seen = app
        .get(&format!("/v1/users/{b_member}"), &w.a_admin.1)
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(seen.body["tenant_id"], json!(a));
    assert_eq!(seen.body["role"], "viewer");
    let seen_b = app
        .get(&format!("/v1/users/{b_member}"), &w.b_admin.1)
        .await;
    assert_eq!(seen_b.body["tenant_id"], json!(b));
    assert_eq!(seen_b.body["role"], "member");
    for body in [
        json!({"first_name": "pwned"}),
        json!({"email": "pwned@x.test"}),
        json!({"password": "pwned-password-1"}),
        json!({"status": "suspended"}),
    ] {
        let r = app
            .patch(&format!("/v1/users/{b_member}"), &w.a_admin.1, body.clone())
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{body}: {}", r.body);
    }
    let r = app
        .delete(&format!("/v1/users/{b_member}"), &w.a_admin.1)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Its role in A is A's to change, and B's role stays.
    let r = app
        .patch(
            &format!("/v1/users/{b_member}"),
            &w.a_admin.1,
            json!({"role": "member"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["role"], "member");
    assert_eq!(
        app.get(&format!("/v1/users/{b_member}"), &w.b_admin.1)
            .await
            .body["role"],
        "member"
    );
    let me = app.get("/v1/me", &w.b_member.1).await;
    assert_eq!(me.body["tenant"]["id"], json!(b));
    // A's audit log has the membership; B's log does not show A's actions.
    let audit = app.get("/v1/audit-log", &w.b_admin.1).await;
    assert!(
        !audit.body.to_string().contains("membership.add"),
        "{}",
        audit.body
    );
    let audit = app.get("/v1/audit-log", &w.a_admin.1).await;
    assert!(
        audit.body.to_string().contains("membership.add"),
        "{}",
        audit.body
    );
    // B's admin still manages the account (B is its home and A's rows are not its to see).
    let r = app
        .delete(&format!("/v1/tenants/{a}/members/{b_member}"), &w.b_admin.1)
        .await;
    assert_eq!(r.code(), "tenant_not_found");
});

api_test!(invitations_are_single_use_expiring_and_hashed, |app| {
    let w = app.world().await;
    let a = w.tenant_a.clone();
    let inv = app
        .post(
            &format!("/v1/tenants/{a}/invitations"),
            &w.a_admin.1,
            json!({"email": "New@X.test", "role": "member"}),
        )
        .await;
    assert_eq!(inv.status, StatusCode::CREATED, "{}", inv.body);
    assert_eq!(inv.body["email"], "new@x.test");
    let token = inv.body["token"].as_str().expect("token").to_string();
    assert!(token.starts_with("vfi_"));
    let list = app
        .get(&format!("/v1/tenants/{a}/invitations"), &w.a_admin.1)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["items"].as_array().expect("items").len(), 1);
    assert!(
        !list.body.to_string().contains(&token),
        "the token is shown once"
    );
    // Only the hash is stored.
    let t = token.clone();
    let stored: i64 = app
        .store
        .read_blocking(voxflow::tenancy::Scope::System, move |c| {
            use diesel::prelude::*;
            use voxflow::store::schema::invitations::dsl as i;
            let plain: i64 = i::invitations
                .filter(i::token_hash.eq(t.clone()))
                .count()
                .get_result(c)?;
            assert_eq!(plain, 0);
            Ok(i::invitations
                .filter(i::token_hash.eq(voxflow::auth::secrets::digest(&t)))
                .count()
                .get_result(c)?)
        })
        .expect("read");
    assert_eq!(stored, 1);

    let accept = |body: Value| {
        let app = &app;
        async move {
            app.call(
                Method::POST,
                "/v1/invitations/accept",
                Cred::None,
                Some(body),
            )
            .await
        }
    };
    let r = accept(json!({"token": "vfi_wrong"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "invitation_not_found");
    let r = accept(json!({"token": token})).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a new account needs a password: {}",
        r.body
    );
    let r = accept(json!({"token": token, "password": PASSWORD, "first_name": "Nova"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["account_created"], true);
    assert_eq!(r.body["role"], "member");
    let session = r.body["tokens"]["access_token"]
        .as_str()
        .expect("session")
        .to_string();
    let me = app.get("/v1/me", &session).await;
    assert_eq!(me.body["tenant"]["id"], json!(a));
    assert_eq!(me.body["user"]["role"], "member");
    assert_eq!(me.body["user"]["first_name"], "Nova");
    assert_eq!(
        app.login_response("new@x.test", PASSWORD).await.status,
        StatusCode::OK
    );
    let r = accept(json!({"token": token, "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "invitation_used");
    let r = app
        .post(
            &format!("/v1/tenants/{a}/invitations"),
            &w.a_admin.1,
            json!({"email": "new@x.test", "role": "viewer"}),
        )
        .await;
    assert_eq!(r.code(), "membership_exists");

    // An existing account (B's member) joins without a new password, and signs in as usual.
    let inv = app
        .post(
            &format!("/v1/tenants/{a}/invitations"),
            &w.a_admin.1,
            json!({"email": "member@b.test", "role": "viewer"}),
        )
        .await;
    assert_eq!(inv.status, StatusCode::CREATED, "{}", inv.body);
    let r = accept(json!({"token": inv.body["token"], "password": "ignored-password-1"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["account_created"], false);
    assert!(
        r.body["tokens"].is_null(),
        "no session for whoever holds the token"
    );
    let mine = app.get("/v1/me/tenants", &w.b_member.1).await;
    assert_eq!(
        mine.body["items"].as_array().expect("items").len(),
        2,
        "{}",
        mine.body
    );
    assert_eq!(
        login_in(&app, "member@b.test", Some(&a)).await.status,
        StatusCode::OK
    );

    // Expired and withdrawn invitations.
    let inv = app
        .post(
            &format!("/v1/tenants/{a}/invitations"),
            &w.a_admin.1,
            json!({"email": "late@x.test", "role": "viewer"}),
        )
        .await;
    let late = inv.body["token"].as_str().expect("token").to_string();
    let id = inv.id();
    app.store
        .write_blocking(voxflow::tenancy::Scope::System, move |c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(format!(
                "UPDATE invitations SET expires_at = '2000-01-01 00:00:00' WHERE id = '{id}'"
            ))
            .execute(c)?;
            Ok(())
        })
        .expect("expire");
    let r = accept(json!({"token": late, "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(r.code(), "invitation_expired");
    let inv = app
        .post(
            &format!("/v1/tenants/{a}/invitations"),
            &w.a_admin.1,
            json!({"email": "gone@x.test", "role": "viewer"}),
        )
        .await;
    let first = inv.body["token"].as_str().expect("token").to_string();
    // Inviting the same email again replaces the open invitation.
    let inv2 = app
        .post(
            &format!("/v1/tenants/{a}/invitations"),
            &w.a_admin.1,
            json!({"email": "gone@x.test", "role": "viewer"}),
        )
        .await;
    assert_eq!(
        accept(json!({"token": first, "password": PASSWORD}))
            .await
            .code(),
        "invitation_not_found"
    );
    let del = app
        .delete(
            &format!("/v1/tenants/{a}/invitations/{}", inv2.id()),
            &w.a_admin.1,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT, "{}", del.body);
    let r = accept(json!({"token": inv2.body["token"], "password": PASSWORD})).await;
    assert_eq!(r.code(), "invitation_not_found");
    assert_eq!(
        app.login_response("gone@x.test", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Another tenant's admin cannot withdraw it (nor see it).
    let r = app
        .delete(
            &format!("/v1/tenants/{a}/invitations/{}", inv2.id()),
            &w.b_admin.1,
        )
        .await;
    assert_eq!(r.code(), "tenant_not_found");
});

api_test!(
    postgres_rls_keeps_memberships_and_invitations_to_their_tenant,
    |app| {
        if app.backend != crate::helpers::Backend::Postgres {
            return; // RLS is a PostgreSQL feature; SQLite relies on the repositories alone.
        }
        let w = app.world().await;
        // B's member also joins A; one open invitation in each tenant.
        add(&app, &w.a_admin.1, &w.tenant_a, "member@b.test", "viewer").await;
        for (t, token) in [(&w.tenant_a, &w.a_admin.1), (&w.tenant_b, &w.b_admin.1)] {
            let r = app
                .post(
                    &format!("/v1/tenants/{t}/invitations"),
                    token,
                    json!({"email": "n@x.test", "role": "viewer"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let url = app.database_url.clone();
        let (a, b, r1, r2, b_member) = (
            w.tenant_a.clone(),
            w.tenant_b.clone(),
            w.reseller1.clone(),
            w.reseller2.clone(),
            w.b_member.0.clone(),
        );
        tokio::task::spawn_blocking(move || {
        use crate::helpers::pg_count;
        use diesel::connection::SimpleConnection;
        use diesel::Connection;
        let mut c = diesel::PgConnection::establish(&url).expect("connect as the service role");
        // No scope: nothing.
        assert_eq!(pg_count(&mut c, "SELECT count(*) AS n FROM tenant_users"), 0);
        assert_eq!(pg_count(&mut c, "SELECT count(*) AS n FROM invitations"), 0);
        let in_scope = |c: &mut diesel::PgConnection, set: String, check: &dyn Fn(&mut diesel::PgConnection)| {
            c.transaction::<_, diesel::result::Error, _>(|c| {
                c.batch_execute(&set)?;
                check(c);
                Ok(())
            })
            // (A refused write aborts the transaction: its end is not checked, the counts are.)
            .ok();
        };
        let tenant = |t: &str, r: &str| format!("SELECT set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{t}', true), set_config('voxflow.reseller_id', '{r}', true)");
        let reseller = |r: &str| format!("SELECT set_config('voxflow.scope', 'reseller', true), set_config('voxflow.reseller_id', '{r}', true)");
        in_scope(&mut c, tenant(&a, &r1), &|c| {
            // A's admin, member and viewer, and B's member who joined.
            assert_eq!(pg_count(c, "SELECT count(*) AS n FROM tenant_users"), 4);
            assert_eq!(pg_count(c, &format!("SELECT count(*) AS n FROM tenant_users WHERE tenant_id = '{b}'")), 0);
            assert_eq!(pg_count(c, "SELECT count(*) AS n FROM invitations"), 1);
            // B's member is visible to A through its membership; B's admin is not.
            assert_eq!(pg_count(c, &format!("SELECT count(*) AS n FROM users WHERE id = '{b_member}'")), 1);
            assert_eq!(pg_count(c, "SELECT count(*) AS n FROM users WHERE email = 'admin@b.test'"), 0);
            // A tenant cannot write a membership or invitation of another tenant.
            let forged = c.batch_execute(&format!(
                "INSERT INTO tenant_users (id, tenant_id, user_id, role, created_at, updated_at) \
                 VALUES ('forged', '{b}', '{b_member}', 'tenant_admin', now(), now())"
            ));
            assert!(forged.is_err(), "RLS refuses a membership of another tenant");
        });
        in_scope(&mut c, tenant(&b, &r2), &|c| {
            assert_eq!(pg_count(c, "SELECT count(*) AS n FROM tenant_users"), 2);
            assert_eq!(pg_count(c, "SELECT count(*) AS n FROM invitations"), 1);
        });
        in_scope(&mut c, reseller(&r2), &|c| {
            assert_eq!(pg_count(c, "SELECT count(*) AS n FROM tenant_users"), 2);
            assert_eq!(pg_count(c, &format!("SELECT count(*) AS n FROM tenant_users WHERE tenant_id = '{a}'")), 0);
        });
    })
    .await
    .expect("rls checks");
    }
);
