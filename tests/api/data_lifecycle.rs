//! The data lifecycle (docs/data-lifecycle.md): a deleted tenant purged by the sweeper after
//! its grace period — nothing left on disk or in its tables, its bills kept; files and job
//! artifacts expiring under the tenant's retention, the API saying when; erasing a person.

use crate::api_test;
use crate::helpers::{Cred, TestApp, PASSWORD};
use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use voxflow::lifecycle::sweeper::{self, SweepOptions, SweepReport};
use voxflow::tenancy::Scope;

/// Runs the sweeper as the service would `days` from now.
pub(crate) async fn sweep_in(app: &TestApp, days: i64) -> SweepReport {
    let blobs = voxflow::storage::BlobStore::local(app.data_dir()).expect("storage");
    let opts = SweepOptions {
        purge_grace: chrono::TimeDelta::days(30),
    };
    sweeper::sweep(
        &app.store,
        &blobs,
        &opts,
        voxflow::store::now() + chrono::TimeDelta::days(days),
    )
    .await
    .expect("sweep")
}

/// Rows of each table that belong to `tenant` (straight from the database).
async fn rows_of(app: &TestApp, tenant: &str) -> Vec<(&'static str, i64)> {
    let t = tenant.to_string();
    app.store
        .read(Scope::System, move |c| {
            use voxflow::store::schema::*;
            macro_rules! count {
                ($($table:ident),*) => {
                    vec![$((
                        stringify!($table),
                        $table::table
                            .filter($table::tenant_id.eq(t.clone()))
                            .count()
                            .get_result::<i64>(c)?,
                    )),*]
                };
            }
            Ok(count!(
                jobs,
                job_nodes,
                job_events,
                job_artifacts,
                files,
                workflows,
                workflow_versions,
                api_keys,
                tenant_users,
                refresh_tokens,
                webhook_endpoints,
                workspace_credentials,
                usage_records
            ))
        })
        .await
        .expect("count")
}

fn count(rows: &[(&str, i64)], table: &str) -> i64 {
    rows.iter()
        .find(|(t, _)| *t == table)
        .map(|(_, n)| *n)
        .unwrap_or_else(|| panic!("no count for {table}"))
}

/// A tenant-A job that ran to the end (upload, VAD, Whisper, subtitles).
async fn finished_job(app: &TestApp, token: &str) -> (String, String) {
    let file = crate::jobs::upload_speech(app, token, "the lifecycle of data").await;
    let job = crate::jobs::submit(app, token, crate::jobs::vad_whisper_srt("tiny.en"), &file).await;
    let done = crate::jobs::wait_for(app, token, &job, |_| false).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    (file, job)
}

api_test!(a_deleted_tenant_is_purged_after_its_grace_period, |app| {
    let w = app.world().await;
    let (a_file, a_job) = finished_job(&app, &w.a_member.1).await;
    let r = app
        .post(
            "/v1/workflows",
            &w.a_admin.1,
            json!({"name": "kept?", "graph": crate::jobs::vad_whisper_srt("tiny.en")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let b_file = app
        .upload(
            Cred::Bearer(&w.b_member.1),
            "b.wav",
            crate::helpers::wav(800),
        )
        .await
        .id();
    let a_dir = app.data_dir().join("files").join(&w.tenant_a);
    assert!(a_dir.is_dir(), "tenant A has files on disk");
    let before = rows_of(&app, &w.tenant_a).await;
    assert!(count(&before, "usage_records") > 0, "{before:?}");

    // Deleting: the tenant is gone from the API at once, its data waits out the grace.
    let del = app
        .delete(&format!("/v1/tenants/{}", w.tenant_a), &w.reseller1_admin)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT, "{}", del.body);
    let audit = app
        .get("/v1/audit-log?action=tenant.delete", &app.admin_token)
        .await;
    let purge_after = audit.body["items"][0]["details"]["purge_after"]
        .as_str()
        .unwrap_or_else(|| panic!("purge_after in {}", audit.body))
        .to_string();
    let purge_after = chrono::DateTime::parse_from_rfc3339(&purge_after).expect("rfc3339");
    let days = (purge_after.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((29 * 24..=30 * 24).contains(&days), "purge in {days} h");
    assert_eq!(
        sweep_in(&app, 0).await,
        SweepReport::default(),
        "nothing is purged within the grace period"
    );
    assert!(a_dir.is_dir(), "files stay during the grace period");

    let report = sweep_in(&app, 31).await;
    assert_eq!(report.tenants_purged, 1, "{report:?}");
    assert!(!a_dir.exists(), "nothing of tenant A remains under files/");
    let after = rows_of(&app, &w.tenant_a).await;
    for (table, n) in &after {
        if *table == "usage_records" {
            assert_eq!(
                *n,
                count(&before, "usage_records"),
                "usage is kept for billing"
            );
        } else {
            assert_eq!(*n, 0, "{table} still holds tenant A's rows: {after:?}");
        }
    }
    // Once purged, a later sweep has nothing to do for it.
    assert_eq!(sweep_in(&app, 32).await.tenants_purged, 0);
    // The purge is on the record, with what it deleted.
    let audit = app
        .get("/v1/audit-log?action=tenant.purge", &app.admin_token)
        .await;
    let entry = &audit.body["items"][0];
    assert_eq!(entry["target_id"], w.tenant_a.as_str(), "{}", audit.body);
    assert!(
        entry["details"]["deleted"]["jobs"].as_i64() >= Some(1),
        "{entry}"
    );
    // Its members (in no other tenant) were erased: no login, no trace of the address.
    for email in ["admin@a.test", "member@a.test", "viewer@a.test"] {
        let r = app.login_response(email, PASSWORD).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{email}");
    }
    let emails = app
        .store
        .read(Scope::System, |c| {
            use voxflow::store::schema::users::dsl as u;
            Ok(u::users.select(u::email).load::<String>(c)?)
        })
        .await
        .expect("emails");
    assert!(!emails.iter().any(|e| e.ends_with("@a.test")), "{emails:?}");
    // The job, its artifacts and the file answer 404 to the platform too.
    for path in [format!("/v1/jobs/{a_job}"), format!("/v1/files/{a_file}")] {
        assert_eq!(
            app.get(&path, &app.admin_token).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // Tenant B is untouched.
    let r = app
        .call(
            Method::GET,
            &format!("/v1/files/{b_file}/content"),
            Cred::Bearer(&w.b_member.1),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(app.data_dir().join("files").join(&w.tenant_b).is_dir());
});

api_test!(a_running_job_delays_the_purge_until_it_stops, |app| {
    let w = app.world().await;
    let file = crate::jobs::upload_speech(&app, &w.a_member.1, "wait for me").await;
    let job = crate::jobs::submit(
        &app,
        &w.a_member.1,
        crate::jobs::vad_whisper_srt("tiny.en"),
        &file,
    )
    .await;
    let del = app
        .delete(&format!("/v1/tenants/{}", w.tenant_a), &w.reseller1_admin)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT, "{}", del.body);
    // Deleting cancelled it (queued) or asked it to stop (running); either way it ends.
    let ended = tokio::time::timeout(std::time::Duration::from_secs(300), async {
        loop {
            let status = app
                .store
                .read(Scope::System, {
                    let job = job.clone();
                    move |c| {
                        use voxflow::store::schema::jobs::dsl as j;
                        Ok(j::jobs
                            .filter(j::id.eq(job))
                            .select(j::status)
                            .first::<String>(c)?)
                    }
                })
                .await
                .expect("status");
            if ["succeeded", "failed", "cancelled"].contains(&status.as_str()) {
                return status;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    })
    .await
    .expect("the deleted tenant's job ends");
    assert!(ended == "cancelled" || ended == "succeeded", "{ended}");
    let report = sweep_in(&app, 31).await;
    assert_eq!(report.tenants_purged, 1, "{report:?}");
    assert_eq!(count(&rows_of(&app, &w.tenant_a).await, "jobs"), 0);
});

api_test!(
    retention_expires_files_and_artifacts_and_the_api_says_when,
    |app| {
        let w = app.world().await;
        // The plan keeps 30 days; tenant A's own setting, 7, wins.
        let r = app
            .patch(
                &format!("/v1/plans/{}", w.plan1),
                &w.reseller1_admin,
                json!({"retention_days": 30}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["retention_days"], 30);
        let r = app
            .patch(
                &format!("/v1/tenants/{}", w.tenant_a),
                &w.reseller1_admin,
                json!({"subscription_plan_id": w.plan1}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body["retention_days"].is_null());
        let (file, job) = finished_job(&app, &w.a_member.1).await;
        let view = app.get(&format!("/v1/files/{file}"), &w.a_member.1).await;
        let expiry = |v: &Value, field: &str| {
            let created =
                chrono::DateTime::parse_from_rfc3339(v["created_at"].as_str().expect("created"))
                    .expect("created_at");
            let expires = chrono::DateTime::parse_from_rfc3339(
                v[field]
                    .as_str()
                    .unwrap_or_else(|| panic!("{field} in {v}")),
            )
            .expect("expires_at");
            (expires - created).num_days()
        };
        assert_eq!(expiry(&view.body, "expires_at"), 30, "the plan's retention");
        let r = app
            .patch(
                &format!("/v1/tenants/{}", w.tenant_a),
                &w.reseller1_admin,
                json!({"retention_days": 7}),
            )
            .await;
        assert_eq!(r.body["retention_days"], 7, "{}", r.body);
        let view = app.get(&format!("/v1/files/{file}"), &w.a_member.1).await;
        assert_eq!(
            expiry(&view.body, "expires_at"),
            7,
            "the tenant's own retention"
        );
        let list = app.get("/v1/files", &w.a_member.1).await;
        assert_eq!(
            expiry(&list.body["items"][0], "expires_at"),
            7,
            "{}",
            list.body
        );
        let job_view = app.get(&format!("/v1/jobs/{job}"), &w.a_member.1).await;
        let outputs = job_view.body["outputs"]
            .as_array()
            .expect("outputs")
            .clone();
        assert!(!outputs.is_empty(), "{}", job_view.body);
        for o in &outputs {
            let expires =
                chrono::DateTime::parse_from_rfc3339(o["expires_at"].as_str().expect("expires_at"))
                    .expect("rfc3339");
            let in_days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
            assert!((6 * 24..=7 * 24).contains(&in_days), "{o}");
        }
        // Tenant B keeps everything: no retention on its plan or itself.
        let b_file = app
            .upload(
                Cred::Bearer(&w.b_member.1),
                "b.wav",
                crate::helpers::wav(800),
            )
            .await;
        assert!(b_file.body["expires_at"].is_null(), "{}", b_file.body);
        // Only resellers and the platform set it, within bounds.
        let r = app
            .patch(
                &format!("/v1/tenants/{}", w.tenant_a),
                &w.a_admin.1,
                json!({"retention_days": 365}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        for bad in [0, -1, 36_501] {
            let r = app
                .patch(
                    &format!("/v1/tenants/{}", w.tenant_a),
                    &w.reseller1_admin,
                    json!({"retention_days": bad}),
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{bad}: {}",
                r.body
            );
            assert_eq!(r.code(), "validation_failed");
        }

        // Within the retention nothing goes; past it the file and the artifacts do.
        let report = sweep_in(&app, 6).await;
        assert_eq!(
            (report.files_expired, report.artifacts_expired),
            (0, 0),
            "{report:?}"
        );
        let blob = app.data_dir().join("files").join(&w.tenant_a).join(&file);
        assert!(blob.is_file());
        let report = sweep_in(&app, 8).await;
        assert_eq!(report.files_expired, 1, "{report:?}");
        assert_eq!(report.artifacts_expired, outputs.len(), "{report:?}");
        assert!(!blob.exists(), "the expired file's bytes are gone");
        assert_eq!(
            app.get(&format!("/v1/files/{file}"), &w.a_member.1)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let job_view = app.get(&format!("/v1/jobs/{job}"), &w.a_member.1).await;
        assert_eq!(job_view.body["outputs"], json!([]), "{}", job_view.body);
        let artifact = outputs[0]["url"].as_str().expect("url").to_string();
        assert_eq!(
            app.get(&artifact, &w.a_member.1).await.status,
            StatusCode::NOT_FOUND
        );
        let audit = app
            .get("/v1/audit-log?action=retention.purge", &w.a_admin.1)
            .await;
        assert_eq!(
            audit.body["items"][0]["details"]["files"], 1,
            "{}",
            audit.body
        );
        // Tenant B's file is still there.
        assert_eq!(
            app.get(&format!("/v1/files/{}", b_file.id()), &w.b_member.1)
                .await
                .status,
            StatusCode::OK
        );
    }
);

api_test!(erasing_a_user_removes_the_person_everywhere, |app| {
    let w = app.world().await;
    let created = app
        .post(
            "/v1/users",
            &w.a_admin.1,
            json!({"email": "erin@a.test", "password": PASSWORD, "role": "member",
                   "first_name": "Erin", "last_name": "Quillfeather"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let erin = created.id();
    let token = app.login("erin@a.test", PASSWORD).await;
    let (_, key) = app
        .create_api_key(&token, json!({"name": "erin's key"}))
        .await;
    let r = app
        .patch(
            &format!("/v1/users/{erin}"),
            &w.a_admin.1,
            json!({"first_name": "Erin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let erase = format!("/v1/users/{erin}/erasure");

    // Who may: admins with users:write, never members, viewers or a read-only key.
    for (who, cred) in [
        ("member", Cred::Bearer(&w.a_member.1)),
        ("viewer", Cred::Bearer(&w.a_viewer.1)),
        ("member's key", Cred::Bearer(&w.a_key.1)),
    ] {
        let r = app.call(Method::POST, &erase, cred, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
    }
    let (_, ro_key) = app
        .create_api_key(
            &w.a_admin.1,
            json!({"name": "ro", "permissions": ["users:read"]}),
        )
        .await;
    let r = app
        .call(Method::POST, &erase, Cred::Bearer(&ro_key), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Other tenants' and resellers' admins see no such user.
    for cred in [&w.b_admin.1, &w.reseller2_admin] {
        let r = app
            .call(Method::POST, &erase, Cred::Bearer(cred), None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(r.code(), "user_not_found");
    }
    // The tenant's last admin cannot be erased, nor oneself.
    let r = app
        .call(
            Method::POST,
            &format!("/v1/users/{}/erasure", w.a_admin.0),
            Cred::Bearer(&w.reseller1_admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.code(), "last_tenant_admin");
    let r = app
        .call(
            Method::POST,
            &format!("/v1/users/{}/erasure", w.a_admin.0),
            Cred::Bearer(&w.a_admin.1),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    let r = app
        .call(Method::POST, &erase, Cred::Bearer(&w.a_admin.1), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // No way in: password, access token, API key.
    assert_eq!(
        app.login_response("erin@a.test", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/v1/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call(Method::GET, "/v1/me", Cred::Bearer(&key), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Gone from the API, and a second erasure finds nothing.
    assert_eq!(
        app.get(&format!("/v1/users/{erin}"), &w.a_admin.1)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let again = app
        .call(Method::POST, &erase, Cred::Bearer(&w.a_admin.1), None)
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    // The audit log keeps every action, none of the person: not in any entry's details.
    let audit = app.get("/v1/audit-log?limit=100", &app.admin_token).await;
    let text = audit.body.to_string().to_lowercase();
    for needle in ["erin@a.test", "quillfeather", "\"erin\""] {
        assert!(!text.contains(needle), "{needle} in the audit log: {text}");
    }
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["target_id"] == erin.as_str())
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in ["user.create", "user.update", "user.erase"] {
        assert!(actions.contains(&action), "{action} kept: {actions:?}");
    }
    // The row is anonymous: no email, no names, no password.
    let row = app
        .store
        .read(Scope::System, {
            let erin = erin.clone();
            move |c| {
                use voxflow::store::schema::users::dsl as u;
                Ok(u::users
                    .filter(u::id.eq(erin))
                    .select((u::email, u::first_name, u::last_name, u::password_hash))
                    .first::<(String, Option<String>, Option<String>, String)>(c)?)
            }
        })
        .await
        .expect("row");
    assert_eq!(row.0, format!("erased-{erin}@erased.invalid"));
    assert_eq!((row.1, row.2), (None, None));
    assert!(!row.3.starts_with("$argon2"), "no password hash is kept");
});
