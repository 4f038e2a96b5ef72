//! Data export (docs/data-export.md): a tenant's whole data, or one person's, as a ZIP
//! archive built in the background — every row, every file and artifact, a manifest with
//! SHA-256 sums, no secrets, nothing of anyone else; downloadable by who asked (and, for a
//! tenant's, by its admins) until it expires.

use crate::api_test;
use crate::helpers::{Cred, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::Read;

/// Polls the export until it has finished (at most 120 s); returns its view.
pub(crate) async fn wait_built(app: &TestApp, token: &str, id: &str) -> Value {
    let started = std::time::Instant::now();
    loop {
        let r = app.get(&format!("/v1/exports/{id}"), token).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        if ["succeeded", "failed"].contains(&r.body["status"].as_str().unwrap_or_default()) {
            return r.body;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "export {id} still {} after 120 s",
            r.body["status"]
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// GETs `path` with `token` and returns status, headers and raw bytes.
async fn raw(
    app: &TestApp,
    path: &str,
    token: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    app.get_bytes(Cred::Bearer(token), path, headers).await
}

/// An opened archive: its entries by name.
pub(crate) struct Archive(pub(crate) std::collections::BTreeMap<String, Vec<u8>>);

impl Archive {
    pub(crate) fn open(bytes: &[u8]) -> Archive {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP archive");
        let mut entries = std::collections::BTreeMap::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("entry");
            let mut body = Vec::new();
            entry.read_to_end(&mut body).expect("entry body");
            entries.insert(entry.name().expect("entry name").to_string(), body);
        }
        Archive(entries)
    }

    fn manifest(&self) -> Value {
        serde_json::from_slice(&self.0["manifest.json"]).expect("manifest.json")
    }

    /// The rows of `tables/<table>.jsonl`.
    fn rows(&self, table: &str) -> Vec<Value> {
        let body = self
            .0
            .get(&format!("tables/{table}.jsonl"))
            .unwrap_or_else(|| panic!("no tables/{table}.jsonl in {:?}", self.0.keys()));
        std::str::from_utf8(body)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    }

    /// Every entry's text (lossy), for "nothing of X anywhere" checks.
    fn all_text(&self) -> String {
        self.0
            .values()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every entry but the manifest is listed in it with its exact size and SHA-256.
    pub(crate) fn assert_manifest_sums(&self) {
        let manifest = self.manifest();
        assert_eq!(manifest["format"], "voxflow-export/1", "{manifest}");
        let listed = manifest["entries"].as_array().expect("entries");
        assert_eq!(listed.len(), self.0.len() - 1, "{manifest}");
        for e in listed {
            let path = e["path"].as_str().expect("path");
            let body = self.0.get(path).unwrap_or_else(|| panic!("{path} listed"));
            assert_eq!(e["size_bytes"].as_u64(), Some(body.len() as u64), "{path}");
            assert_eq!(
                e["sha256"].as_str(),
                Some(hex::encode(Sha256::digest(body)).as_str()),
                "{path}"
            );
        }
        for t in manifest["tables"].as_array().expect("tables") {
            let table = t["table"].as_str().expect("table");
            assert_eq!(
                t["rows"].as_u64(),
                Some(self.rows(table).len() as u64),
                "{table}"
            );
        }
    }
}

/// The archive file of a built export, on disk.
fn archive_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![app.data_dir().to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "zip") {
                found.push(p);
            }
        }
    }
    found
}

api_test!(a_tenant_export_holds_all_its_data_and_nothing_else, |app| {
    let w = app.world().await;
    let file = crate::jobs::upload_speech(&app, &w.a_member.1, "export everything we have").await;
    let job = crate::jobs::submit(
        &app,
        &w.a_member.1,
        crate::jobs::vad_whisper_srt("tiny.en"),
        &file,
    )
    .await;
    let done = crate::jobs::wait_for(&app, &w.a_member.1, &job, |_| false).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    let uploaded = raw(
        &app,
        &format!("/v1/files/{file}/content"),
        &w.a_member.1,
        &[],
    )
    .await
    .2;
    let b_file = app
        .upload(
            Cred::Bearer(&w.b_member.1),
            "b.wav",
            crate::helpers::wav(800),
        )
        .await
        .id();

    // Who may ask: the tenant's admins, its reseller's and the platform; not members,
    // viewers or keys without exports:write.
    let path = format!("/v1/tenants/{}/exports", w.tenant_a);
    for (who, cred) in [
        ("member", w.a_member.1.as_str()),
        ("viewer", w.a_viewer.1.as_str()),
        ("member's key", w.a_key.1.as_str()),
    ] {
        let r = app.post(&path, cred, json!({})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
        assert_eq!(r.code(), "forbidden", "{who}");
    }
    let r = app.post(&path, &w.a_admin.1, json!({})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.id();
    assert_eq!(
        r.headers["location"].to_str().expect("location"),
        format!("/v1/exports/{id}")
    );
    assert_eq!(r.body["kind"], "tenant");
    assert_eq!(r.body["tenant_id"], w.tenant_a.as_str());
    assert!(r.body["download_url"].is_null(), "{}", r.body);
    // Asking again while it is being built returns the same export (unless the worker was
    // already done with it: then a new one is queued).
    let again = app.post(&path, &w.reseller1_admin, json!({})).await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.body);
    // The newest of the tenant's exports, first in its list.
    let newest = again.id();
    let exports = if again.id() == id {
        1
    } else {
        let first = app.get(&format!("/v1/exports/{id}"), &w.a_admin.1).await;
        assert_eq!(first.body["status"], "succeeded", "{}", first.body);
        wait_built(&app, &w.a_admin.1, &again.id()).await;
        2
    };

    let built = wait_built(&app, &w.a_admin.1, &id).await;
    assert_eq!(built["status"], "succeeded", "{built}");
    let url = built["download_url"]
        .as_str()
        .expect("download_url")
        .to_string();
    assert_eq!(url, format!("/v1/exports/{id}/content"));
    let expires = chrono::DateTime::parse_from_rfc3339(built["expires_at"].as_str().expect("exp"))
        .expect("rfc3339");
    let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((6 * 24..=7 * 24).contains(&days), "expires in {days} h");

    let (status, headers, bytes) = raw(&app, &url, &w.a_admin.1, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/zip");
    assert_eq!(
        headers["etag"].to_str().expect("etag"),
        format!("\"{}\"", hex::encode(Sha256::digest(&bytes)))
    );
    assert_eq!(built["size_bytes"].as_u64(), Some(bytes.len() as u64));
    let archive = Archive::open(&bytes);
    archive.assert_manifest_sums();
    let manifest = archive.manifest();
    assert_eq!(manifest["tenant_id"], w.tenant_a.as_str());

    // Every kind of row, the file's exact bytes and the job's outputs.
    let ids = |table: &str| -> Vec<String> {
        archive
            .rows(table)
            .iter()
            .map(|r| r["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(ids("tenants"), vec![w.tenant_a.clone()]);
    assert!(ids("jobs").contains(&job), "{:?}", ids("jobs"));
    assert!(ids("files").contains(&file));
    assert!(!archive.rows("job_nodes").is_empty());
    assert!(!archive.rows("usage_records").is_empty());
    assert!(ids("api_keys").contains(&w.a_key.0));
    let users: Vec<String> = archive
        .rows("users")
        .iter()
        .map(|u| u["email"].as_str().unwrap_or_default().to_string())
        .collect();
    for email in ["admin@a.test", "member@a.test", "viewer@a.test"] {
        assert!(users.contains(&email.to_string()), "{users:?}");
    }
    let file_entry = archive
        .0
        .iter()
        .find(|(name, _)| name.starts_with(&format!("files/{file}/")))
        .unwrap_or_else(|| panic!("files/{file}/… in {:?}", archive.0.keys()));
    assert_eq!(file_entry.1, &uploaded, "the uploaded bytes, unchanged");
    let artifacts = archive.rows("job_artifacts");
    assert!(!artifacts.is_empty());
    for a in &artifacts {
        assert!(a.get("body").is_none(), "bodies are entries: {a}");
        let entry = format!(
            "artifacts/{}/{}-",
            a["job_id"].as_str().expect("job_id"),
            a["id"].as_str().expect("id")
        );
        assert!(
            archive.0.keys().any(|k| k.starts_with(&entry)),
            "{entry} in {:?}",
            archive.0.keys()
        );
    }
    let srt = archive
        .0
        .iter()
        .find(|(k, _)| k.starts_with(&format!("artifacts/{job}/")) && k.ends_with(".srt"))
        .map(|(_, v)| String::from_utf8_lossy(v).to_lowercase())
        .unwrap_or_else(|| panic!("an .srt artifact in {:?}", archive.0.keys()));
    assert!(srt.contains("-->"), "{srt}");

    // No secret, and nothing of tenant B.
    assert!(archive
        .rows("api_keys")
        .iter()
        .all(|k| k.get("key_hash").is_none()));
    assert!(archive
        .rows("users")
        .iter()
        .all(|u| u.get("password_hash").is_none()));
    assert_eq!(
        manifest["redacted_columns"]["api_keys"],
        json!(["key_hash"])
    );
    let text = archive.all_text();
    for secret in [&w.a_key.1, &w.b_key.1] {
        assert!(!text.contains(secret.as_str()), "an API key secret leaked");
    }
    assert!(!text.contains("$argon2"), "a password hash leaked");
    for other in [
        &w.tenant_b,
        &b_file,
        &w.b_admin.0,
        &w.b_member.0,
        &w.reseller2,
    ] {
        assert!(!text.contains(other.as_str()), "tenant B's {other} leaked");
    }
    assert!(!text.contains("@b.test"), "tenant B's addresses leaked");

    // Ranges and conditional requests work as for files.
    let (status, _, part) = raw(&app, &url, &w.a_admin.1, &[("Range", "bytes=0-9")]).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part, bytes[..10]);
    let etag = headers["etag"].to_str().expect("etag").to_string();
    let (status, _, _) = raw(&app, &url, &w.a_admin.1, &[("If-None-Match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    // The tenant's admins, its reseller and the platform see it; listed newest first.
    for token in [&w.reseller1_admin, &app.admin_token] {
        let (status, _, b) = raw(&app, &url, token, &[]).await;
        assert_eq!((status, b.len()), (StatusCode::OK, bytes.len()));
    }
    let list = app.get(&path, &w.a_admin.1).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(
        list.body["items"][0]["id"],
        newest.as_str(),
        "{}",
        list.body
    );
    for (who, token) in [("member", &w.a_member.1), ("viewer", &w.a_viewer.1)] {
        let r = app.get(&format!("/v1/exports/{id}"), token).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}: {}", r.body);
        assert_eq!(r.code(), "export_not_found");
    }
    // Downloads are on the record.
    let audit = app
        .get("/v1/audit-log?action=data_export.download", &w.a_admin.1)
        .await;
    assert!(
        audit.body["items"].as_array().is_some_and(|i| i.len() >= 3),
        "{}",
        audit.body
    );
    let audit = app
        .get("/v1/audit-log?action=tenant.export", &w.a_admin.1)
        .await;
    assert_eq!(
        audit.body["items"][0]["target_id"],
        id.as_str(),
        "{}",
        audit.body
    );

    // Another tenant's or reseller's people see no such export (as for a missing id).
    for (who, cred) in [
        ("B admin", Cred::Bearer(&w.b_admin.1)),
        ("B member", Cred::Bearer(&w.b_member.1)),
        ("B key", Cred::Bearer(&w.b_key.1)),
        ("reseller 2", Cred::Bearer(&w.reseller2_admin)),
    ] {
        crate::isolation::assert_invisible(&app, who, cred, "exports", &id, true).await;
    }

    // It expires: the archive goes, the row says so, the download answers 410.
    assert_eq!(archive_files(&app).len(), exports);
    let report = crate::data_lifecycle::sweep_in(&app, 6).await;
    assert_eq!(report.exports_expired, 0, "{report:?}");
    let report = crate::data_lifecycle::sweep_in(&app, 8).await;
    assert_eq!(report.exports_expired, exports, "{report:?}");
    assert!(archive_files(&app).is_empty(), "the archive is removed");
    let r = app.get(&url, &w.a_admin.1).await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.body);
    assert_eq!(r.code(), "export_gone");
    let view = app.get(&format!("/v1/exports/{id}"), &w.a_admin.1).await;
    assert_eq!(view.body["status"], "expired", "{}", view.body);
    assert!(view.body["download_url"].is_null());
    // A new one can be asked for.
    let r = app.post(&path, &w.a_admin.1, json!({})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_ne!(r.id(), id);
});

api_test!(a_personal_export_is_the_persons_alone, |app| {
    let w = app.world().await;
    let file = app
        .upload(
            Cred::Bearer(&w.a_member.1),
            "mine.wav",
            crate::helpers::wav(800),
        )
        .await
        .id();
    // Only with a session: an API key acts for a tenant, not a person.
    let r = app
        .call(
            Method::POST,
            "/v1/me/exports",
            Cred::Bearer(&w.a_key.1),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app.get("/v1/me/exports", &w.a_key.1).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Any signed-in person may ask, the viewer too.
    let r = app.post("/v1/me/exports", &w.a_viewer.1, json!({})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let viewer_export = r.id();
    let r = app.post("/v1/me/exports", &w.a_member.1, json!({})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.id();
    assert_eq!(r.body["kind"], "user");
    assert_eq!(r.body["user_id"], w.a_member.0.as_str());
    assert!(r.body["tenant_id"].is_null());
    let built = wait_built(&app, &w.a_member.1, &id).await;
    assert_eq!(built["status"], "succeeded", "{built}");
    let (status, _, bytes) = raw(
        &app,
        built["download_url"].as_str().expect("url"),
        &w.a_member.1,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let archive = Archive::open(&bytes);
    archive.assert_manifest_sums();
    let users = archive.rows("users");
    assert_eq!(users.len(), 1, "{users:?}");
    assert_eq!(users[0]["email"], "member@a.test");
    assert!(users[0].get("password_hash").is_none());
    let memberships = archive.rows("tenant_users");
    assert!(
        memberships
            .iter()
            .all(|m| m["user_id"] == w.a_member.0.as_str()),
        "{memberships:?}"
    );
    assert!(archive
        .rows("api_keys")
        .iter()
        .any(|k| k["id"] == w.a_key.0.as_str()));
    assert!(archive
        .rows("files")
        .iter()
        .any(|f| f["id"] == file.as_str()));
    let text = archive.all_text();
    for other in ["admin@a.test", "viewer@a.test", "@b.test"] {
        assert!(!text.contains(other), "{other} is someone else's");
    }
    assert!(!text.contains(&w.a_key.1), "the key's secret leaked");

    // The person's own: listed for them, unseen by their admin, the reseller or the platform.
    let list = app.get("/v1/me/exports", &w.a_member.1).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let listed: Vec<&str> = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(listed, vec![id.as_str()], "{}", list.body);
    for (who, token) in [
        ("A admin", &w.a_admin.1),
        ("A viewer", &w.a_viewer.1),
        ("reseller 1", &w.reseller1_admin),
        ("platform", &app.admin_token),
    ] {
        let r = app.get(&format!("/v1/exports/{id}"), token).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}: {}", r.body);
        assert_eq!(r.code(), "export_not_found", "{who}");
    }
    for (who, cred) in [
        ("A member's key", Cred::Bearer(&w.a_key.1)),
        ("B admin", Cred::Bearer(&w.b_admin.1)),
        ("B key", Cred::Bearer(&w.b_key.1)),
        ("reseller 2", Cred::Bearer(&w.reseller2_admin)),
    ] {
        crate::isolation::assert_invisible(&app, who, cred, "exports", &id, true).await;
    }

    // Erasing the person removes their archives with them (the viewer's stays).
    let viewers = wait_built(&app, &w.a_viewer.1, &viewer_export).await;
    assert_eq!(viewers["status"], "succeeded", "{viewers}");
    assert_eq!(archive_files(&app).len(), 2, "{:?}", archive_files(&app));
    let r = app
        .call(
            Method::POST,
            &format!("/v1/users/{}/erasure", w.a_member.0),
            Cred::Bearer(&w.a_admin.1),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let left = archive_files(&app);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        left[0].to_string_lossy().contains(&viewer_export),
        "{left:?}"
    );
});

api_test!(an_admin_exports_a_persons_data_within_their_reach, |app| {
    let w = app.world().await;
    let target = format!("/v1/users/{}/exports", w.a_member.0);
    // Members, viewers, keys: no; another tenant's or reseller's admins: no such user.
    for (who, cred) in [
        ("A viewer", Cred::Bearer(&w.a_viewer.1)),
        ("A admin's key", Cred::Bearer(&w.a_key.1)),
    ] {
        let r = app.call(Method::POST, &target, cred, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
    }
    let (_, admin_key) = app
        .create_api_key(
            &w.a_admin.1,
            json!({"name": "exporter", "permissions": ["exports:write"]}),
        )
        .await;
    let r = app
        .call(Method::POST, &target, Cred::Bearer(&admin_key), None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a key is not a person: {}",
        r.body
    );
    for (who, token) in [
        ("B admin", &w.b_admin.1),
        ("reseller 2", &w.reseller2_admin),
    ] {
        let r = app.post(&target, token, json!({})).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}: {}", r.body);
        assert_eq!(r.code(), "user_not_found", "{who}");
    }
    // Someone who is also in a tenant the admin does not manage is beyond them.
    let r = app
        .post(
            &format!("/v1/tenants/{}/members", w.tenant_b),
            &w.b_admin.1,
            json!({"email": "member@a.test", "role": "viewer"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app.post(&target, &w.a_admin.1, json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app
        .delete(
            &format!("/v1/tenants/{}/members/{}", w.tenant_b, w.a_member.0),
            &w.b_admin.1,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);

    let r = app.post(&target, &w.a_admin.1, json!({})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.id();
    assert_eq!(r.body["requested_by"], w.a_admin.0.as_str());
    let built = wait_built(&app, &w.a_admin.1, &id).await;
    assert_eq!(built["status"], "succeeded", "{built}");
    let (status, _, bytes) = raw(
        &app,
        built["download_url"].as_str().expect("url"),
        &w.a_admin.1,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let archive = Archive::open(&bytes);
    assert_eq!(archive.rows("users")[0]["email"], "member@a.test");
    // The archive is the requesting admin's: the person and the others do not see it.
    for (who, token) in [
        ("the person", &w.a_member.1),
        ("platform", &app.admin_token),
    ] {
        let r = app.get(&format!("/v1/exports/{id}"), token).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}: {}", r.body);
    }
});

api_test!(purging_a_tenant_removes_its_exports, |app| {
    let w = app.world().await;
    let r = app
        .post(
            &format!("/v1/tenants/{}/exports", w.tenant_a),
            &w.a_admin.1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.id();
    assert_eq!(
        wait_built(&app, &w.a_admin.1, &id).await["status"],
        "succeeded"
    );
    let r = app
        .post(
            &format!("/v1/tenants/{}/exports", w.tenant_b),
            &w.b_admin.1,
            json!({}),
        )
        .await;
    let b_id = r.id();
    assert_eq!(
        wait_built(&app, &w.b_admin.1, &b_id).await["status"],
        "succeeded"
    );
    assert_eq!(archive_files(&app).len(), 2);
    let del = app
        .delete(&format!("/v1/tenants/{}", w.tenant_a), &w.reseller1_admin)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT, "{}", del.body);
    // Deleted: no new export of it; purged: its archive is gone, B's stays.
    let r = app
        .post(
            &format!("/v1/tenants/{}/exports", w.tenant_a),
            &w.reseller1_admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let report = crate::data_lifecycle::sweep_in(&app, 5).await;
    assert_eq!(report.tenants_purged, 0, "{report:?}");
    let a_archive: Vec<_> = archive_files(&app)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(&w.tenant_a))
        .collect();
    assert_eq!(a_archive.len(), 1);
    // A month on, A is purged (its export with it) and B's has merely expired.
    let report = crate::data_lifecycle::sweep_in(&app, 31).await;
    assert_eq!(
        (report.tenants_purged, report.exports_expired),
        (1, 1),
        "{report:?}"
    );
    assert!(archive_files(&app).is_empty(), "{:?}", archive_files(&app));
    let rows = app
        .store
        .read(voxflow::tenancy::Scope::System, |c| {
            use diesel::prelude::*;
            use voxflow::store::schema::data_exports::dsl as e;
            Ok(e::data_exports
                .select((e::id, e::status))
                .load::<(String, String)>(c)?)
        })
        .await
        .expect("exports");
    assert_eq!(rows, vec![(b_id.clone(), "expired".to_string())], "{id}");
    assert_eq!(
        app.get(&format!("/v1/exports/{id}"), &app.admin_token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
});
