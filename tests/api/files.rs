//! The Files API: uploads (sniffed, limited, quota'd), metadata, ranged downloads, lists,
//! deletes, and tenant isolation. Every test runs on SQLite and PostgreSQL.

use crate::api_test;
use crate::helpers::{spawn_app_with, speak, wav, Backend, Cred, TestApp};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Every regular file under the data directory's `files/` folder.
fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.data_dir().join("files"), &mut out);
    out
}

/// A WAV spoken by espeak-ng.
fn spoken_wav() -> Vec<u8> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("hello.wav");
    speak("Hello from the files API.", "en-us", &path);
    std::fs::read(&path).expect("wav")
}

async fn download(
    app: &TestApp,
    cred: Cred<'_>,
    id: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    app.get_bytes(cred, &format!("/v1/files/{id}/content"), headers)
        .await
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

async fn audit_actions(app: &TestApp, token: &str) -> Vec<String> {
    let r = app.get("/v1/audit-log?limit=100", token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["action"].as_str().unwrap_or("").to_string())
        .collect()
}

api_test!(upload_download_list_delete, |app| {
    let w = app.world().await;
    let audio = spoken_wav();
    let sha = hex::encode(Sha256::digest(&audio));
    let size = audio.len();

    let r = app
        .upload(
            Cred::Bearer(&w.a_member.1),
            "../../etc/hello.wav",
            audio.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.id();
    assert_eq!(header(&r.headers, "location"), format!("/v1/files/{id}"));
    assert_eq!(r.body["name"], "hello.wav");
    assert_eq!(r.body["content_type"], "audio/wav");
    assert_eq!(r.body["size_bytes"], size as u64);
    assert_eq!(r.body["sha256"], sha.as_str());
    assert!(r.body["created_at"].is_string());

    // The bytes sit at files/<tenant>/<id>, nothing else (no temp files left).
    let on_disk = stored_files(&app);
    assert_eq!(
        on_disk,
        vec![app.data_dir().join("files").join(&w.tenant_a).join(&id)]
    );

    // Metadata, for every tenant user (viewers read too).
    for token in [&w.a_member.1, &w.a_admin.1, &w.a_viewer.1] {
        let m = app.get(&format!("/v1/files/{id}"), token).await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.body);
        assert_eq!(m.body, r.body);
    }

    // The whole file.
    let (status, h, body) = download(&app, Cred::Bearer(&w.a_viewer.1), &id, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, audio);
    assert_eq!(header(&h, "content-type"), "audio/wav");
    assert_eq!(header(&h, "content-length"), size.to_string());
    assert_eq!(header(&h, "accept-ranges"), "bytes");
    let etag = format!("\"{sha}\"");
    assert_eq!(header(&h, "etag"), etag);
    assert!(header(&h, "content-disposition").contains("hello.wav"));

    // Ranges: first 10 bytes, a suffix, open-ended, past the end.
    let (status, h, body) = download(
        &app,
        Cred::Bearer(&w.a_member.1),
        &id,
        &[("range", "bytes=0-9")],
    )
    .await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, &audio[..10]);
    assert_eq!(
        body,
        b"RIFF"[..]
            .iter()
            .chain(&audio[4..10])
            .copied()
            .collect::<Vec<u8>>()
    );
    assert_eq!(header(&h, "content-range"), format!("bytes 0-9/{size}"));
    assert_eq!(header(&h, "content-length"), "10");
    assert_eq!(header(&h, "content-type"), "audio/wav");

    let (status, h, body) = download(
        &app,
        Cred::Bearer(&w.a_member.1),
        &id,
        &[("range", "bytes=-100")],
    )
    .await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, &audio[size - 100..]);
    assert_eq!(
        header(&h, "content-range"),
        format!("bytes {}-{}/{size}", size - 100, size - 1)
    );

    let from = format!("bytes={}-", size - 7);
    let (status, h, body) =
        download(&app, Cred::Bearer(&w.a_member.1), &id, &[("range", &from)]).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, &audio[size - 7..]);
    assert_eq!(
        header(&h, "content-range"),
        format!("bytes {}-{}/{size}", size - 7, size - 1)
    );

    // A range reaching past the end is clipped; one spanning the middle is exact.
    let (status, _, body) = download(
        &app,
        Cred::Bearer(&w.a_member.1),
        &id,
        &[("range", "bytes=100-99999999")],
    )
    .await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, &audio[100..]);

    let past = format!("bytes={size}-");
    let (status, h, body) =
        download(&app, Cred::Bearer(&w.a_member.1), &id, &[("range", &past)]).await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(header(&h, "content-range"), format!("bytes */{size}"));
    let problem: serde_json::Value = serde_json::from_slice(&body).expect("problem");
    assert_eq!(problem["code"], "range_not_satisfiable");

    // If-Range with a stale ETag: the whole file. If-None-Match with the current one: 304.
    let (status, _, body) = download(
        &app,
        Cred::Bearer(&w.a_member.1),
        &id,
        &[("range", "bytes=0-9"), ("if-range", "\"stale\"")],
    )
    .await;
    assert_eq!((status, body.len()), (StatusCode::OK, size));
    let (status, _, body) = download(
        &app,
        Cred::Bearer(&w.a_member.1),
        &id,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!((status, body.len()), (StatusCode::NOT_MODIFIED, 0));

    // An API key uploads too (X-API-Key); lists page newest first.
    let r2 = app
        .upload(Cred::XApiKey(&w.a_key.1), "two.wav", wav(1000))
        .await;
    assert_eq!(r2.status, StatusCode::CREATED, "{}", r2.body);
    let r3 = app
        .upload(Cred::Bearer(&w.a_admin.1), "three.wav", wav(2000))
        .await;
    assert_eq!(r3.status, StatusCode::CREATED, "{}", r3.body);
    let (id2, id3) = (r2.id(), r3.id());
    let p1 = app.get("/v1/files?limit=2", &w.a_viewer.1).await;
    assert_eq!(p1.status, StatusCode::OK, "{}", p1.body);
    let ids = |b: &serde_json::Value| -> Vec<String> {
        b["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_string())
            .collect()
    };
    assert_eq!(ids(&p1.body), vec![id3.clone(), id2.clone()]);
    let cursor = p1.body["next_cursor"]
        .as_str()
        .expect("a second page")
        .to_string();
    let p2 = app
        .get(&format!("/v1/files?limit=2&cursor={cursor}"), &w.a_viewer.1)
        .await;
    assert_eq!(ids(&p2.body), vec![id.clone()]);
    assert!(p2.body["next_cursor"].is_null());

    // Viewers cannot delete; members can.
    let d = app.delete(&format!("/v1/files/{id}"), &w.a_viewer.1).await;
    assert_eq!((d.status, d.code()), (StatusCode::FORBIDDEN, "forbidden"));
    let d = app.delete(&format!("/v1/files/{id}"), &w.a_member.1).await;
    assert_eq!(d.status, StatusCode::NO_CONTENT, "{}", d.body);
    let g = app.get(&format!("/v1/files/{id}"), &w.a_member.1).await;
    assert_eq!(
        (g.status, g.code()),
        (StatusCode::NOT_FOUND, "file_not_found")
    );
    let (status, _, _) = download(&app, Cred::Bearer(&w.a_member.1), &id, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let d = app.delete(&format!("/v1/files/{id}"), &w.a_member.1).await;
    assert_eq!(
        (d.status, d.code()),
        (StatusCode::NOT_FOUND, "file_not_found")
    );
    let all = app.get("/v1/files", &w.a_member.1).await;
    assert_eq!(ids(&all.body), vec![id3.clone(), id2.clone()]);
    // Its bytes are gone; the others remain.
    let mut left = stored_files(&app);
    left.sort();
    let dir = app.data_dir().join("files").join(&w.tenant_a);
    let mut expected = vec![dir.join(&id2), dir.join(&id3)];
    expected.sort();
    assert_eq!(left, expected);

    // Both mutations are in the audit log.
    let actions = audit_actions(&app, &w.a_admin.1).await;
    assert_eq!(actions.iter().filter(|a| *a == "file.upload").count(), 3);
    assert_eq!(actions.iter().filter(|a| *a == "file.delete").count(), 1);
});

api_test!(uploads_that_are_not_audio_are_refused_and_not_kept, |app| {
    let w = app.world().await;
    let mut elf = b"\x7FELF\x02\x01\x01\x00".to_vec();
    elf.resize(4096, 0x90);
    let mut pe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec();
    pe.resize(4096, 0);
    let script = b"#!/bin/sh\necho pwned > /tmp/pwned\n".repeat(20);
    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    zip.resize(2048, 7);
    let tiny_text = b"hi".to_vec();
    for (what, bytes) in [
        ("elf", elf),
        ("pe", pe),
        ("script", script),
        ("zip", zip),
        ("text", tiny_text),
    ] {
        let r = app
            .upload(Cred::Bearer(&w.a_member.1), "song.wav", bytes)
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{what}: {}",
            r.body
        );
        assert_eq!(r.code(), "file_not_audio", "{what}");
    }
    // Empty file, no file field, not multipart at all.
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "empty.wav", Vec::new())
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    assert_eq!(r.body["errors"][0]["field"], "file");
    let form = reqwest::multipart::Form::new().text("purpose", "audio");
    let r = app
        .client
        .post(format!("{}/v1/files", app.base))
        .bearer_auth(&w.a_member.1)
        .multipart(form)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post("/v1/files", &w.a_member.1, json!({"file": "UklGRg=="}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );
    assert!(stored_files(&app).is_empty(), "{:?}", stored_files(&app));

    // Only tenant users with files:write upload.
    let who: [(&str, &str); 3] = [
        ("viewer", &w.a_viewer.1),
        ("reseller admin", &w.reseller1_admin),
        ("platform admin", &app.admin_token),
    ];
    for (label, token) in who {
        let r = app.upload(Cred::Bearer(token), "ok.wav", wav(100)).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{label}"
        );
    }
    let (_, read_only_key) = app
        .create_api_key(
            &w.a_member.1,
            json!({"name": "ro", "permissions": ["files:read"]}),
        )
        .await;
    let r = app
        .upload(Cred::Bearer(&read_only_key), "ok.wav", wav(100))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"));
    let r = app.upload(Cred::None, "ok.wav", wav(100)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(stored_files(&app).is_empty());
    assert!(!audit_actions(&app, &w.a_admin.1)
        .await
        .contains(&"file.upload".to_string()));

    // Other audio containers are recognised by their magic bytes.
    let mut flac = b"fLaC\x00\x00\x00\x22".to_vec();
    flac.resize(200, 0);
    let mut mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    mp3.resize(200, 0);
    let mut m4a = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00".to_vec();
    m4a.resize(200, 0);
    for (bytes, ct) in [
        (flac, "audio/flac"),
        (mp3, "audio/mpeg"),
        (m4a, "audio/mp4"),
    ] {
        let r = app
            .upload(Cred::Bearer(&w.a_member.1), "x.bin", bytes)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["content_type"], ct);
    }
});

api_test!(storage_quota_is_enforced, |app| {
    let w = app.world().await;
    // A plan with 1 MiB of storage, given to tenant A.
    let plan = app
        .post(
            "/v1/plans",
            &w.reseller1_admin,
            json!({"name": "Tiny", "price_monthly": "1.00", "price_yearly": "10.00",
                   "storage_quota_mb": 1, "processing_quota_minutes": 10, "max_users": 10}),
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

    let first = app
        .upload(Cred::Bearer(&w.a_member.1), "a.wav", wav(600_000))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let second = app
        .upload(Cred::Bearer(&w.a_member.1), "b.wav", wav(600_000))
        .await;
    assert_eq!(
        second.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        second.body
    );
    assert_eq!(second.code(), "storage_quota_exceeded");
    assert_eq!(stored_files(&app).len(), 1);
    // What fits still goes in.
    let small = app
        .upload(Cred::Bearer(&w.a_member.1), "c.wav", wav(100_000))
        .await;
    assert_eq!(small.status, StatusCode::CREATED, "{}", small.body);
    // Tenant B (no plan, no override) is not limited by A's quota.
    let b = app
        .upload(Cred::Bearer(&w.b_member.1), "b.wav", wav(600_000))
        .await;
    assert_eq!(b.status, StatusCode::CREATED, "{}", b.body);
    // Deleting frees the space.
    let d = app
        .delete(&format!("/v1/files/{}", first.id()), &w.a_member.1)
        .await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    let again = app
        .upload(Cred::Bearer(&w.a_member.1), "b.wav", wav(600_000))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);

    // The tenant's own override beats the plan's quota.
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"storage_quota_mb": 0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "d.wav", wav(100))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "storage_quota_exceeded")
    );
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"storage_quota_mb": 100}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "e.wav", wav(600_000))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
});

async fn upload_limit(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |s| s.max_upload_bytes = 100_000).await else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "big.wav", wav(200_000))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    assert!(stored_files(&app).is_empty(), "{:?}", stored_files(&app));
    // Exactly at the limit is fine.
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "edge.wav", wav(100_000 - 44))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["size_bytes"], 100_000);
}

mod upload_limit_is_enforced {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        upload_limit(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        upload_limit(Backend::Postgres).await;
    }
}

async fn probe(
    app: &TestApp,
    cred: Cred<'_>,
    method: Method,
    path: String,
) -> (StatusCode, String) {
    let r = app.call(method, &path, cred, None).await;
    let code = if r.status.is_success() {
        "SUCCESS".to_string()
    } else {
        r.code().to_string()
    };
    (r.status, code)
}

api_test!(another_tenants_file_is_a_missing_file, |app| {
    let w = app.world().await;
    let audio = wav(5000);
    let r = app
        .upload(Cred::Bearer(&w.a_member.1), "secret.wav", audio.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a_file = r.id();
    let missing = uuid::Uuid::now_v7().to_string();
    // Tenant B has a file of its own, so its lists are not trivially empty.
    let r = app
        .upload(Cred::Bearer(&w.b_member.1), "mine.wav", wav(100))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let b_file = r.id();

    let attackers: Vec<(&str, Cred)> = vec![
        ("B admin", Cred::Bearer(&w.b_admin.1)),
        ("B member", Cred::Bearer(&w.b_member.1)),
        ("B API key (bearer)", Cred::Bearer(&w.b_key.1)),
        ("B API key (header)", Cred::XApiKey(&w.b_key.1)),
    ];
    for (who, cred) in &attackers {
        for (method, suffix) in [
            (Method::GET, ""),
            (Method::GET, "/content"),
            (Method::DELETE, ""),
        ] {
            let on_a = probe(
                &app,
                *cred,
                method.clone(),
                format!("/v1/files/{a_file}{suffix}"),
            )
            .await;
            let on_missing = probe(
                &app,
                *cred,
                method.clone(),
                format!("/v1/files/{missing}{suffix}"),
            )
            .await;
            assert_eq!(
                on_a, on_missing,
                "{who}: {method} {suffix} differs from a missing id"
            );
            assert_eq!(
                on_a,
                (StatusCode::NOT_FOUND, "file_not_found".to_string()),
                "{who}: {method} {suffix}"
            );
        }
        // Ranged downloads too.
        let (status, _, _) = download(&app, *cred, &a_file, &[("range", "bytes=0-9")]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
        let r = app
            .call(Method::GET, "/v1/files?limit=100", *cred, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.body);
        let ids: Vec<&str> = r.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(
            ids,
            vec![b_file.as_str()],
            "{who}: B's list shows only B's file"
        );
    }
    // Reseller 2 (tenant B's reseller) has no file permissions at all.
    let r = app
        .get(&format!("/v1/files/{a_file}"), &w.reseller2_admin)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A's file is untouched.
    let (status, _, body) = download(&app, Cred::Bearer(&w.a_member.1), &a_file, &[]).await;
    assert_eq!((status, body), (StatusCode::OK, audio));
    let list = app.get("/v1/files", &w.a_admin.1).await;
    assert_eq!(list.body["items"].as_array().expect("items").len(), 1);
    assert_eq!(list.body["items"][0]["id"], a_file.as_str());
});
