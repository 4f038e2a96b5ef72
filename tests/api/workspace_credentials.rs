//! Workspace credentials (`/v1/credentials`, docs/credentials.md): a tenant's third-party
//! secrets in one sealed store. CRUD with the value never in a response, an audit entry or the
//! database in clear; the role matrix; translation engines using a credential end to end
//! (against the loopback LibreTranslate fake of translation.rs); origin binding; deletion
//! refused while in use; and engine keys stored before the store moving into it at startup,
//! under a key rotation.

use crate::helpers::{spawn_app_with, Backend, Cred, TestApp};
use crate::jobs::{submit, upload_speech, wait_for};
use crate::private_urls_test;
use crate::translation::{fake_libretranslate, whisper_translate_srt, SPEECH};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use voxflow::auth::sealing::SecretBox;

const DEEPL_VALUE: &str = "5c4b3a29-1807-4f6e-9d8c-7b6a5e4d3c2b:fx";
const ROTATED_VALUE: &str = "e1d2c3b4-a596-4877-8899-aabbccddeeff:fx";

/// Everything the database holds for credentials, engines and the audit log, as text: on
/// SQLite the raw bytes of the database file and its WAL, on PostgreSQL every row as JSON.
async fn raw_database(app: &TestApp) -> String {
    let (url, backend) = (app.database_url.clone(), app.backend);
    tokio::task::spawn_blocking(move || match backend {
        Backend::Sqlite => {
            let path = url.trim_start_matches("sqlite://").to_string();
            let mut out = String::new();
            for p in [path.clone(), format!("{path}-wal")] {
                if let Ok(bytes) = std::fs::read(&p) {
                    out.push_str(&String::from_utf8_lossy(&bytes));
                }
            }
            assert!(!out.is_empty(), "read {path}");
            out
        }
        Backend::Postgres => {
            #[derive(QueryableByName)]
            struct Dump {
                #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
                dump: Option<String>,
            }
            let mut c = PgConnection::establish(&url).expect("pg");
            c.transaction(|c| {
                c.batch_execute("SELECT set_config('voxflow.scope', 'system', true)")?;
                let mut out = String::new();
                for table in ["workspace_credentials", "translation_engines", "audit_log"] {
                    let sql = format!(
                        "SELECT string_agg(row_to_json(t)::text, '\n') AS dump FROM {table} t"
                    );
                    let d: Dump = diesel::sql_query(sql).get_result(c)?;
                    out.push_str(&d.dump.unwrap_or_default());
                }
                Ok::<_, diesel::result::Error>(out)
            })
            .expect("dump")
        }
    })
    .await
    .expect("join")
}

/// The sealed value of credential `id`, read straight from the database.
async fn raw_sealed(app: &TestApp, id: &str) -> Option<String> {
    let id = id.to_string();
    app.store
        .read(voxflow::tenancy::Scope::System, move |c| {
            use voxflow::store::schema::workspace_credentials::dsl as wc;
            Ok(wc::workspace_credentials
                .filter(wc::id.eq(id))
                .select(wc::value_sealed)
                .first::<String>(c)
                .optional()?)
        })
        .await
        .expect("read")
}

fn sealing(app: &TestApp) -> SecretBox {
    let material =
        std::fs::read_to_string(app.data_dir().join("secrets_key")).expect("secrets key");
    SecretBox::new(material.trim().as_bytes())
}

fn fields(r: &crate::helpers::Response) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["field"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

private_urls_test!(credentials_crud_never_reveals_the_value, |app| {
    let w = app.world().await;
    let admin = &w.a_admin.1;
    let r = app
        .post(
            "/v1/credentials",
            admin,
            json!({"name": "DeepL team account", "provider": "deepl", "value": DEEPL_VALUE, "origin": "https://api-free.deepl.com/v2"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.id();
    assert_eq!(
        r.headers["location"].to_str().expect("location"),
        format!("/v1/credentials/{id}")
    );
    assert_eq!(r.body["provider"], "deepl");
    assert_eq!(r.body["hint"], "…b:fx");
    assert_eq!(r.body["origin"], "https://api-free.deepl.com:443");
    assert_eq!(r.body["used_by"], json!([]));
    assert_eq!(r.body["created_by"], w.a_admin.0.as_str());
    assert_eq!(r.body["tenant_id"], w.tenant_a.as_str());

    // Sealed in the database, bound to this row: opens with the server's key for it only.
    let sealed = raw_sealed(&app, &id).await.expect("stored");
    assert!(sealed.starts_with("v1."), "{sealed}");
    let keys = sealing(&app);
    let context = format!("workspace_credential:{}:{id}", w.tenant_a);
    assert_eq!(keys.open(&sealed, &context).expect("opens"), DEEPL_VALUE);
    assert!(keys
        .open(
            &sealed,
            &format!("workspace_credential:{}:{id}", w.tenant_b)
        )
        .is_err());

    // Read and list: never the value, nor its sealed form.
    let one = app.get(&format!("/v1/credentials/{id}"), admin).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    let list = app.get("/v1/credentials?limit=10", admin).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["items"][0]["id"], id.as_str());
    for body in [&one.body, &list.body] {
        assert!(!body.to_string().contains(DEEPL_VALUE), "{body}");
        assert!(!body.to_string().contains(&sealed), "{body}");
    }

    // Validation: every bad field named.
    let r = app
        .post(
            "/v1/credentials",
            admin,
            json!({"name": " ", "provider": "google", "value": "x", "origin": "ftp://example.com"}),
        )
        .await;
    assert_eq!(r.code(), "validation_failed", "{}", r.body);
    let f = fields(&r);
    for field in ["name", "provider", "origin"] {
        assert!(f.iter().any(|x| x == field), "{field} in {}", r.body);
    }
    let r = app
        .post(
            "/v1/credentials",
            admin,
            json!({"name": "k", "provider": "libretranslate", "value": "has a space"}),
        )
        .await;
    assert_eq!(fields(&r), vec!["value".to_string()], "{}", r.body);
    let r = app
        .post(
            "/v1/credentials",
            admin,
            json!({"name": "k", "provider": "generic", "value": "v", "secret": "x"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused: {}",
        r.body
    );

    // Rename; rotate (a new sealed value, hint and rotated_at); the origin moves only with
    // the value.
    let path = format!("/v1/credentials/{id}");
    let r = app.patch(&path, admin, json!({"name": "DeepL"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], "DeepL");
    let rotated_at = one.body["rotated_at"].clone();
    assert_eq!(r.body["rotated_at"], rotated_at, "a rename is no rotation");
    let r = app
        .patch(&path, admin, json!({"origin": "https://api.deepl.com"}))
        .await;
    assert_eq!(fields(&r), vec!["origin".to_string()], "{}", r.body);
    let r = app
        .patch(
            &path,
            admin,
            json!({"value": ROTATED_VALUE, "origin": "https://api.deepl.com"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["hint"], "…f:fx");
    assert_eq!(r.body["origin"], "https://api.deepl.com:443");
    assert_ne!(r.body["rotated_at"], rotated_at);
    assert!(!r.body.to_string().contains(ROTATED_VALUE));
    let resealed = raw_sealed(&app, &id).await.expect("stored");
    assert_ne!(resealed, sealed);
    assert_eq!(
        keys.open(&resealed, &context).expect("opens"),
        ROTATED_VALUE
    );

    // Nothing in the database holds either value in clear (the file's bytes on SQLite).
    let raw = raw_database(&app).await;
    for value in [DEEPL_VALUE, ROTATED_VALUE] {
        assert!(!raw.contains(value), "{value} is stored in clear");
    }

    // Audited without the value.
    let log = app.get("/v1/audit-log?limit=100", admin).await;
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for a in [
        "credential.create",
        "credential.update",
        "credential.rotate",
    ] {
        assert!(actions.contains(&a), "{a} not audited: {actions:?}");
    }
    for value in [DEEPL_VALUE, ROTATED_VALUE] {
        assert!(!log.body.to_string().contains(value));
    }

    // Delete: gone (and its sealed value with it), audited.
    let r = app.delete(&path, admin).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = app.get(&path, admin).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "credential_not_found");
    assert_eq!(
        app.delete(&path, admin).await.code(),
        "credential_not_found"
    );
    assert_eq!(raw_sealed(&app, &id).await, None);
    let log = app
        .get("/v1/audit-log?action=credential.delete", admin)
        .await;
    assert_eq!(
        log.body["items"][0]["target_id"],
        id.as_str(),
        "{}",
        log.body
    );
});

private_urls_test!(only_tenant_admins_manage_credentials, |app| {
    let w = app.world().await;
    let r = app
        .post(
            "/v1/credentials",
            &w.a_admin.1,
            json!({"name": "lt", "provider": "libretranslate", "value": "libre-key-0123456789"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.id();
    let item = format!("/v1/credentials/{id}");
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/v1/credentials".into(), None),
        (
            Method::POST,
            "/v1/credentials".into(),
            Some(json!({"name": "x", "provider": "generic", "value": "v"})),
        ),
        (Method::GET, item.clone(), None),
        (Method::PATCH, item.clone(), Some(json!({"name": "pwned"}))),
        (Method::DELETE, item.clone(), None),
    ];
    // Members, viewers, member API keys, reseller and platform admins: 403 on every route.
    let (_, admin_engines_key) = app
        .create_api_key(
            &w.a_admin.1,
            json!({"name": "engines", "permissions": ["translation_engines:read", "translation_engines:write"]}),
        )
        .await;
    let refused: Vec<(&str, Cred)> = vec![
        ("member", Cred::Bearer(&w.a_member.1)),
        ("viewer", Cred::Bearer(&w.a_viewer.1)),
        ("member's API key", Cred::XApiKey(&w.a_key.1)),
        (
            "admin's key without credentials:*",
            Cred::Bearer(&admin_engines_key),
        ),
        ("reseller admin", Cred::Bearer(&w.reseller1_admin)),
        ("platform admin", Cred::Bearer(&app.admin_token)),
    ];
    for (who, cred) in &refused {
        for (method, path, body) in &routes {
            let r = app.call(method.clone(), path, *cred, body.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{who}: {method} {path}: {}",
                r.body
            );
            assert_eq!(r.code(), "forbidden", "{who}");
        }
    }
    // A member cannot put the permission on a key either.
    let r = app
        .post(
            "/v1/api-keys",
            &w.a_member.1,
            json!({"name": "k", "permissions": ["credentials:read"]}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    // An admin's key with credentials:read reads, and only that.
    let (_, reader) = app
        .create_api_key(
            &w.a_admin.1,
            json!({"name": "reader", "permissions": ["credentials:read"]}),
        )
        .await;
    let r = app.get("/v1/credentials", &reader).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["items"][0]["id"], id.as_str());
    let r = app.patch(&item, &reader, json!({"name": "x"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Tenant B's admin: another tenant's credential is a missing one; B's list is empty.
    let missing = format!("/v1/credentials/{}", uuid::Uuid::now_v7());
    for (method, body) in [
        (Method::GET, None),
        (Method::PATCH, Some(json!({"name": "pwned"}))),
        (Method::DELETE, None),
    ] {
        let theirs = app
            .call(
                method.clone(),
                &item,
                Cred::Bearer(&w.b_admin.1),
                body.clone(),
            )
            .await;
        let none = app
            .call(method.clone(), &missing, Cred::Bearer(&w.b_admin.1), body)
            .await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{method}");
        assert_eq!(
            (theirs.status, theirs.code().to_string()),
            (none.status, none.code().to_string())
        );
    }
    let r = app.get("/v1/credentials", &w.b_admin.1).await;
    assert_eq!(r.body["items"], json!([]), "{}", r.body);
    // Untouched.
    let r = app.get(&item, &w.a_admin.1).await;
    assert_eq!(r.body["name"], "lt", "{}", r.body);
});

private_urls_test!(translation_engines_use_credentials_end_to_end, |app| {
    // The fake accepts only the rotated key: the first job fails with the first value, the
    // second succeeds once the credential is rotated, with no change to the engine.
    let (base, seen) = fake_libretranslate("libre-key-rotated-0002").await;
    let (elsewhere, elsewhere_seen) = fake_libretranslate("libre-key-rotated-0002").await;
    let w = app.world().await;
    let admin = &w.a_admin.1;
    let r = app
        .post(
            "/v1/credentials",
            admin,
            json!({"name": "self-hosted LibreTranslate", "provider": "libretranslate", "value": "libre-key-first-0001"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let cred = r.id();
    assert!(r.body["origin"].is_null());

    // Checks before anything is created: another provider's engine, both key forms at once,
    // another tenant's credential (as missing as a missing one), a key lacking
    // credentials:read.
    let r = app
        .post(
            "/v1/translation-engines",
            admin,
            json!({"name": "d", "kind": "deepl", "base_url": base, "credential_id": cred}),
        )
        .await;
    assert_eq!(fields(&r), vec!["credential_id".to_string()], "{}", r.body);
    let r = app
        .post(
            "/v1/translation-engines",
            admin,
            json!({"name": "lt", "kind": "libretranslate", "base_url": base, "credential_id": cred, "api_key": "libre-key-0123456789"}),
        )
        .await;
    assert_eq!(fields(&r), vec!["credential_id".to_string()], "{}", r.body);
    let r = app
        .post(
            "/v1/translation-engines",
            &w.b_admin.1,
            json!({"name": "lt", "kind": "libretranslate", "base_url": base, "credential_id": cred}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(r.code(), "credential_not_found");
    let (_, engines_only) = app
        .create_api_key(
            admin,
            json!({"name": "engines", "permissions": ["translation_engines:write"]}),
        )
        .await;
    let r = app
        .post(
            "/v1/translation-engines",
            &engines_only,
            json!({"name": "lt", "kind": "libretranslate", "base_url": base, "credential_id": cred}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Binding an unbound credential to a host decides where the secret goes:
    // credentials:write, not just read.
    let (_, reader) = app
        .create_api_key(
            admin,
            json!({"name": "reader", "permissions": ["translation_engines:write", "credentials:read"]}),
        )
        .await;
    let r = app
        .post(
            "/v1/translation-engines",
            &reader,
            json!({"name": "lt", "kind": "libretranslate", "base_url": base, "credential_id": cred}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // The engine uses the credential, which is now bound to the engine's origin.
    let r = app
        .post(
            "/v1/translation-engines",
            admin,
            json!({"name": "libre", "kind": "libretranslate", "base_url": base, "credential_id": cred}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let engine = r.id();
    assert_eq!(r.body["credential_id"], cred.as_str());
    assert_eq!(r.body["has_api_key"], true);
    assert_eq!(r.body["api_key_hint"], "…0001");
    let c = app.get(&format!("/v1/credentials/{cred}"), admin).await;
    assert_eq!(
        c.body["origin"],
        base.as_str(),
        "bound to the engine's origin"
    );
    assert_eq!(
        c.body["used_by"],
        json!([{"id": engine, "name": "libre"}]),
        "{}",
        c.body
    );
    // An engine on another host cannot use it; nor can this one move there without a key.
    let r = app
        .post(
            "/v1/translation-engines",
            admin,
            json!({"name": "other", "kind": "libretranslate", "base_url": elsewhere, "credential_id": cred}),
        )
        .await;
    assert_eq!(fields(&r), vec!["credential_id".to_string()], "{}", r.body);
    let r = app
        .patch(
            &format!("/v1/translation-engines/{engine}"),
            admin,
            json!({"base_url": elsewhere}),
        )
        .await;
    assert_eq!(r.code(), "translation_engine_key_required", "{}", r.body);
    let r = app
        .patch(
            &format!("/v1/translation-engines/{engine}"),
            admin,
            json!({"base_url": elsewhere, "credential_id": cred}),
        )
        .await;
    assert_eq!(fields(&r), vec!["credential_id".to_string()], "{}", r.body);
    // Nor can the credential move away from the engine's host.
    let r = app
        .patch(
            &format!("/v1/credentials/{cred}"),
            admin,
            json!({"value": "libre-key-rotated-0002", "origin": elsewhere}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.code(), "credential_in_use");
    // In use: not deleted (the detail names the engine).
    let r = app.delete(&format!("/v1/credentials/{cred}"), admin).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.code(), "credential_in_use");
    assert!(
        r.body["detail"].as_str().unwrap_or("").contains("`libre`"),
        "{}",
        r.body
    );

    // A job sends the credential's value: the fake refuses the first one…
    let file = upload_speech(&app, &w.a_member.1, SPEECH).await;
    let job = submit(&app, &w.a_member.1, whisper_translate_srt("libre"), &file).await;
    let done = wait_for(&app, &w.a_member.1, &job, |_| false).await;
    assert_eq!(done["status"], "failed", "{done}");
    assert!(
        done["error"]
            .as_str()
            .unwrap_or("")
            .contains("Invalid API key"),
        "{done}"
    );
    // …and after a rotation of the credential alone, the engine sends the new one.
    let r = app
        .patch(
            &format!("/v1/credentials/{cred}"),
            admin,
            json!({"value": "libre-key-rotated-0002"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let job = submit(&app, &w.a_member.1, whisper_translate_srt("libre"), &file).await;
    let done = wait_for(&app, &w.a_member.1, &job, |_| false).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    let keys: Vec<String> = seen
        .lock()
        .expect("log")
        .iter()
        .map(|b| b["api_key"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        (
            keys.first().map(String::as_str),
            keys.last().map(String::as_str)
        ),
        (Some("libre-key-first-0001"), Some("libre-key-rotated-0002")),
        "{keys:?}"
    );
    assert!(elsewhere_seen.lock().expect("log").is_empty());
    let e = app
        .get(&format!("/v1/translation-engines/{engine}"), admin)
        .await;
    assert_eq!(e.body["api_key_hint"], "…0002", "{}", e.body);

    // An inline api_key on an engine is a credential too, named after the engine.
    let r = app
        .post(
            "/v1/translation-engines",
            admin,
            json!({"name": "inline", "kind": "libretranslate", "base_url": elsewhere, "api_key": "libre-key-inline-0003"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let inline = r.body["credential_id"]
        .as_str()
        .expect("credential")
        .to_string();
    let c = app.get(&format!("/v1/credentials/{inline}"), admin).await;
    assert_eq!(
        (
            c.body["name"].as_str(),
            c.body["provider"].as_str(),
            c.body["hint"].as_str()
        ),
        (Some("inline"), Some("libretranslate"), Some("…0003")),
        "{}",
        c.body
    );
    let log = app.get("/v1/audit-log?limit=100", admin).await;
    assert!(!log.body.to_string().contains("libre-key-inline-0003"));
    assert!(!log.body.to_string().contains("libre-key-rotated-0002"));

    // Dropping the engine's key frees the credential, which may then be deleted.
    let r = app
        .patch(
            &format!("/v1/translation-engines/{engine}"),
            admin,
            json!({"api_key": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["credential_id"].is_null(), "{}", r.body);
    let r = app.delete(&format!("/v1/credentials/{cred}"), admin).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
});

/// Engine keys stored in `translation_engines.api_key_sealed` before the store existed move
/// into it when a process starts — here one started for a key rotation, so the old key opens
/// them and the new one seals them.
async fn legacy_engine_keys_move_into_the_store(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |s| s.url_allow_private = true).await else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    let r = app
        .post(
            "/v1/translation-engines",
            &w.a_admin.1,
            json!({"name": "legacy", "kind": "deepl", "base_url": "http://127.0.0.1:9", "api_key": DEEPL_VALUE}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let engine = r.id();
    let old = sealing(&app);
    // Make it look as an engine stored before: the key sealed for the engine row, no
    // credential.
    let legacy = old.seal(
        DEEPL_VALUE,
        &format!("translation_engine:{}:{engine}", w.tenant_a),
    );
    {
        let (engine, legacy) = (engine.clone(), legacy.clone());
        app.store
            .write(voxflow::tenancy::Scope::System, move |c| {
                use voxflow::store::schema::translation_engines::dsl as te;
                use voxflow::store::schema::workspace_credentials::dsl as wc;
                diesel::update(te::translation_engines.filter(te::id.eq(&engine)))
                    .set((
                        te::credential_id.eq(None::<String>),
                        te::api_key_sealed.eq(Some(legacy)),
                        te::api_key_hint.eq(Some("…2b:fx")),
                    ))
                    .execute(c)?;
                diesel::delete(wc::workspace_credentials).execute(c)?;
                Ok(())
            })
            .await
            .expect("make legacy");
    }
    let old_key =
        std::fs::read_to_string(app.data_dir().join("secrets_key")).expect("the generated key");
    let new_key = "a brand-new secrets key, at least 32 characters long".to_string();
    let (nk, ok) = (new_key.clone(), old_key.trim().to_string());
    app.spawn_peer(move |s| {
        s.secrets_key = nk;
        s.secrets_key_previous = ok;
    })
    .await;
    // Moved: the engine names a credential, its own columns are empty, and the credential
    // opens with the new key (only) to the same key.
    let e = app
        .get(&format!("/v1/translation-engines/{engine}"), &w.a_admin.1)
        .await;
    assert_eq!(e.body["has_api_key"], true, "{}", e.body);
    let cred = e.body["credential_id"]
        .as_str()
        .unwrap_or_else(|| panic!("not moved: {}", e.body))
        .to_string();
    let (left, hint): (Option<String>, Option<String>) = {
        let engine = engine.clone();
        app.store
            .read(voxflow::tenancy::Scope::System, move |c| {
                use voxflow::store::schema::translation_engines::dsl as te;
                Ok(te::translation_engines
                    .filter(te::id.eq(engine))
                    .select((te::api_key_sealed, te::api_key_hint))
                    .first(c)?)
            })
            .await
            .expect("engine row")
    };
    assert_eq!((left, hint), (None, None));
    let sealed = raw_sealed(&app, &cred).await.expect("credential");
    let context = format!("workspace_credential:{}:{cred}", w.tenant_a);
    let new = SecretBox::new(new_key.as_bytes());
    assert_eq!(new.open(&sealed, &context).expect("opens"), DEEPL_VALUE);
    assert!(old.open(&sealed, &context).is_err());
    let c = app
        .get(&format!("/v1/credentials/{cred}"), &w.a_admin.1)
        .await;
    assert_eq!(
        (
            c.body["name"].as_str(),
            c.body["origin"].as_str(),
            c.body["hint"].as_str()
        ),
        (Some("legacy"), Some("http://127.0.0.1:9"), Some("…b:fx")),
        "{}",
        c.body
    );
    // Starting again moves nothing twice.
    let nk = new_key.clone();
    app.spawn_peer(move |s| s.secrets_key = nk).await;
    let r = app.get("/v1/credentials?limit=100", &w.a_admin.1).await;
    assert_eq!(
        r.body["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_engine_keys_move_into_the_store_sqlite() {
    legacy_engine_keys_move_into_the_store(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_engine_keys_move_into_the_store_postgres() {
    legacy_engine_keys_move_into_the_store(Backend::Postgres).await;
}
