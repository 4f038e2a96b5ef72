//! Translation end to end: upload → Whisper (tiny.en) → translate.text → SRT with the real
//! Apertium; tenant translation engines (CRUD, sealed keys, isolation); and an HTTP engine
//! used by a job against a loopback fake that checks what it is sent (LibreTranslate is a
//! third-party service: the fake stands in for it, as the test names say).

use crate::api_test;
use crate::helpers::{spawn_app_with, Backend, Cred, TestApp, World};
use crate::jobs::{submit, upload_speech, wait_for};
use crate::private_urls_test;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

pub(crate) const SPEECH: &str = "Good morning my friends. The house is very big and the garden is green. I have three dogs and a cat.";

pub(crate) fn whisper_translate_srt(engine: &str) -> Value {
    json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"model": "tiny.en", "language": "en"}}},
            {"id": "tr", "type": "translate.text", "data": {"params": {"engine": engine, "target_language": "es"}}},
            {"id": "srt", "type": "export.subtitles", "data": {"params": {"format": "srt"}}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
            {"id": "e2", "source": "asr", "sourceHandle": "transcript", "target": "tr", "targetHandle": "transcript"},
            {"id": "e3", "source": "tr", "sourceHandle": "transcript", "target": "srt", "targetHandle": "transcript"}
        ]
    })
}

async fn artifact(app: &TestApp, token: &str, job: &str, name: &str) -> Value {
    let r = app
        .get(&format!("/v1/jobs/{job}/artifacts/{name}"), token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
    r.body
}

async fn srt(app: &TestApp, token: &str, job: &str) -> String {
    app.client
        .get(format!("{}/v1/jobs/{job}/artifacts/srt.file.srt", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("srt")
        .text()
        .await
        .expect("text")
}

/// The segments' (start, end) pairs of a transcript artifact.
fn times(t: &Value) -> Vec<(f64, f64)> {
    t["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .map(|s| {
            (
                s["start"].as_f64().expect("start"),
                s["end"].as_f64().expect("end"),
            )
        })
        .collect()
}

api_test!(apertium_job_transcribes_translates_and_exports_srt, |app| {
    let w = app.world().await;
    let file = upload_speech(&app, &w.a_member.1, SPEECH).await;
    let id = submit(
        &app,
        &w.a_member.1,
        whisper_translate_srt("apertium"),
        &file,
    )
    .await;
    let job = wait_for(&app, &w.a_member.1, &id, |_| false).await;
    assert_eq!(job["status"], "succeeded", "{job}");

    let english = artifact(&app, &w.a_member.1, &id, "asr.transcript.json").await;
    let spanish = artifact(&app, &w.a_member.1, &id, "tr.transcript.json").await;
    assert_eq!(spanish["language"], "es");
    assert_eq!(
        times(&spanish),
        times(&english),
        "every segment keeps its times"
    );
    let text = spanish["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .filter_map(|s| s["text"].as_str())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let known = ["casa", "jardín", "perros", "gato", "amigos", "tres"];
    let found: Vec<&&str> = known.iter().filter(|k| text.contains(**k)).collect();
    assert!(found.len() >= 4, "too few known Spanish words in {text:?}");
    assert!(!text.contains("house") && !text.contains("dogs"), "{text}");

    let srt = srt(&app, &w.a_member.1, &id).await;
    let cues = srt.lines().filter(|l| l.contains(" --> ")).count();
    assert!(cues >= times(&spanish).len(), "{srt}");
    assert!(
        srt.to_lowercase().contains("perros") || srt.to_lowercase().contains("casa"),
        "{srt}"
    );

    // The built-in engine's pairs are listed for every tenant user.
    let langs = app
        .get("/v1/translation-engines/apertium/languages", &w.a_viewer.1)
        .await;
    assert_eq!(langs.status, StatusCode::OK, "{}", langs.body);
    assert!(langs.body["pairs"]
        .as_array()
        .expect("pairs")
        .contains(&json!({"source": "eng", "target": "spa"})));

    // A pair that is not installed is refused before any job runs, listing the pairs.
    let mut graph = whisper_translate_srt("apertium");
    graph["nodes"][2]["data"]["params"]["target_language"] = json!("fr");
    let r = app.post("/v1/graphs/validate", &w.a_member.1, graph).await;
    assert_eq!(r.code(), "invalid_graph");
    assert_eq!(r.body["errors"][0]["field"], "nodes/tr/params");
    let message = r.body["errors"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("→ fr") && message.contains("eng → spa"),
        "{message}"
    );
});

/// The sealed value of engine `id`'s workspace credential, read straight from the database
/// (bypassing the API).
pub(crate) async fn raw_sealed_key(app: &TestApp, id: &str) -> Option<String> {
    #[derive(QueryableByName)]
    struct Sealed {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        api_key_sealed: Option<String>,
    }
    let (url, backend, id) = (app.database_url.clone(), app.backend, id.to_string());
    tokio::task::spawn_blocking(move || {
        let sql = format!(
            "SELECT (SELECT c.value_sealed FROM workspace_credentials c WHERE c.id = e.credential_id) \
             AS api_key_sealed FROM translation_engines e WHERE e.id = '{id}'"
        );
        match backend {
            Backend::Sqlite => {
                let mut c = SqliteConnection::establish(url.trim_start_matches("sqlite://"))
                    .expect("sqlite");
                diesel::sql_query(sql).get_result::<Sealed>(&mut c)
            }
            Backend::Postgres => {
                let mut c = PgConnection::establish(&url).expect("pg");
                c.transaction(|c| {
                    c.batch_execute("SELECT set_config('voxflow.scope', 'system', true)")?;
                    diesel::sql_query(sql).get_result::<Sealed>(c)
                })
            }
        }
        .expect("row")
        .api_key_sealed
    })
    .await
    .expect("join")
}

const DEEPL_KEY: &str = "0f9e8d7c-6b5a-4321-aaaa-bbbbccccdddd:fx";

private_urls_test!(
    translation_engines_crud_seals_keys_and_never_returns_them,
    |app| {
        let w = app.world().await;
        let admin = &w.a_admin.1;
        let r = app
        .post(
            "/v1/translation-engines",
            admin,
            json!({"name": "team-deepl", "kind": "deepl", "base_url": "http://127.0.0.1:9/", "api_key": DEEPL_KEY}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.id();
        assert_eq!(
            r.headers["location"].to_str().expect("location"),
            format!("/v1/translation-engines/{id}")
        );
        assert_eq!(r.body["kind"], "deepl");
        assert_eq!(r.body["base_url"], "http://127.0.0.1:9");
        assert_eq!(r.body["has_api_key"], true);
        assert_eq!(r.body["api_key_hint"], "…d:fx");
        assert!(
            !r.body.to_string().contains(DEEPL_KEY),
            "the key is never returned"
        );

        // Stored sealed, as a workspace credential: not the key, but it opens with the
        // server's secrets key for that credential row only.
        let credential = r.body["credential_id"]
            .as_str()
            .expect("a credential")
            .to_string();
        let sealed = raw_sealed_key(&app, &id).await.expect("a sealed key");
        assert!(
            sealed.starts_with("v1.") && !sealed.contains("0f9e8d7c"),
            "{sealed}"
        );
        let material =
            std::fs::read_to_string(app.data_dir().join("secrets_key")).expect("secrets key");
        let sealing = voxflow::auth::sealing::SecretBox::new(material.trim().as_bytes());
        assert_eq!(
            sealing
                .open(
                    &sealed,
                    &format!("workspace_credential:{}:{credential}", w.tenant_a)
                )
                .expect("opens"),
            DEEPL_KEY
        );
        assert!(sealing
            .open(
                &sealed,
                &format!("workspace_credential:{}:{credential}", w.tenant_b)
            )
            .is_err());

        // Read, list (members and viewers too), never the key.
        for token in [admin, &w.a_member.1, &w.a_viewer.1] {
            let one = app
                .get(&format!("/v1/translation-engines/{id}"), token)
                .await;
            assert_eq!(one.status, StatusCode::OK, "{}", one.body);
            let list = app.get("/v1/translation-engines?limit=10", token).await;
            assert_eq!(list.body["items"][0]["id"], id.as_str());
            for body in [&one.body, &list.body] {
                assert!(!body.to_string().contains(DEEPL_KEY));
                assert!(!body.to_string().contains("v1."), "nor the sealed form");
            }
        }
        // Only tenant admins write.
        for (method, path, body) in [
            (
                Method::POST,
                "/v1/translation-engines".to_string(),
                Some(json!({"name": "x", "kind": "deepl"})),
            ),
            (
                Method::PATCH,
                format!("/v1/translation-engines/{id}"),
                Some(json!({"name": "x"})),
            ),
            (
                Method::DELETE,
                format!("/v1/translation-engines/{id}"),
                None,
            ),
        ] {
            let r = app
                .call(method.clone(), &path, Cred::Bearer(&w.a_member.1), body)
                .await;
            assert_eq!(r.code(), "forbidden", "member {method} {path}");
        }

        // Validation: every bad field named, problem+json.
        let r = app
            .post(
                "/v1/translation-engines",
                admin,
                json!({"name": "Apertium!", "kind": "google", "api_key": "has space"}),
            )
            .await;
        assert_eq!(r.code(), "validation_failed");
        let fields: Vec<&str> = r.body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        for f in ["name", "kind", "api_key"] {
            assert!(fields.contains(&f), "{f} missing from {}", r.body);
        }
        for (body, field) in [
            (
                json!({"name": "d2", "kind": "deepl", "base_url": "http://127.0.0.1:9"}),
                "api_key",
            ),
            (json!({"name": "lt", "kind": "libretranslate"}), "base_url"),
            (
                json!({"name": "apertium", "kind": "libretranslate", "base_url": "http://127.0.0.1:9"}),
                "name",
            ),
            (
                json!({"name": "lt", "kind": "libretranslate", "base_url": "ftp://127.0.0.1/x"}),
                "base_url",
            ),
            (
                json!({"name": "lt", "kind": "libretranslate", "base_url": "http://u:p@127.0.0.1:9"}),
                "base_url",
            ),
        ] {
            let r = app
                .post("/v1/translation-engines", admin, body.clone())
                .await;
            assert_eq!(r.code(), "validation_failed", "{body}");
            assert_eq!(r.body["errors"][0]["field"], field, "{body}: {}", r.body);
        }
        let r = app
        .post(
            "/v1/translation-engines",
            admin,
            json!({"name": "team-deepl", "kind": "libretranslate", "base_url": "http://127.0.0.1:9"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.code(), "translation_engine_name_taken");

        // Update: rename and a new key (sealed again); a DeepL engine cannot lose its key.
        let r = app
            .patch(
                &format!("/v1/translation-engines/{id}"),
                admin,
                json!({"name": "deepl-pro", "api_key": "another-long-deepl-key-9876"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            (r.body["name"].as_str(), r.body["api_key_hint"].as_str()),
            (Some("deepl-pro"), Some("…9876"))
        );
        let resealed = raw_sealed_key(&app, &id).await.expect("sealed");
        assert_ne!(resealed, sealed);
        assert_eq!(
            sealing
                .open(
                    &resealed,
                    &format!("workspace_credential:{}:{credential}", w.tenant_a)
                )
                .expect("opens"),
            "another-long-deepl-key-9876"
        );
        let r = app
            .patch(
                &format!("/v1/translation-engines/{id}"),
                admin,
                json!({"api_key": null}),
            )
            .await;
        assert_eq!(r.body["errors"][0]["field"], "api_key", "{}", r.body);
        // A LibreTranslate engine may drop its key.
        let lt = app
        .post(
            "/v1/translation-engines",
            admin,
            json!({"name": "lt", "kind": "libretranslate", "base_url": "http://127.0.0.1:9", "api_key": "libre-key-0123456789"}),
        )
        .await;
        assert_eq!(lt.status, StatusCode::CREATED, "{}", lt.body);
        let r = app
            .patch(
                &format!("/v1/translation-engines/{}", lt.id()),
                admin,
                json!({"api_key": null}),
            )
            .await;
        assert_eq!(
            (
                r.body["has_api_key"].as_bool(),
                r.body["api_key_hint"].is_null()
            ),
            (Some(false), true),
            "{}",
            r.body
        );
        assert_eq!(raw_sealed_key(&app, &lt.id()).await, None);

        // Audited, without the key.
        let log = app.get("/v1/audit-log?limit=100", admin).await;
        let actions: Vec<&str> = log.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        for a in ["translation_engine.create", "translation_engine.update"] {
            assert!(actions.contains(&a), "{a} not audited: {actions:?}");
        }
        assert!(!log.body.to_string().contains("another-long-deepl-key"));

        // Delete: gone, key included.
        let r = app
            .delete(&format!("/v1/translation-engines/{id}"), admin)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(
            app.get(&format!("/v1/translation-engines/{id}"), admin)
                .await
                .code(),
            "translation_engine_not_found"
        );
        assert!(!engine_row_exists(&app, &id).await, "the row is gone");
        // Its credential stays in the store, used by nothing now; deleting it removes the key.
        let r = app
            .get(&format!("/v1/credentials/{credential}"), admin)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["used_by"], json!([]));
        let r = app
            .delete(&format!("/v1/credentials/{credential}"), admin)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    }
);

async fn engine_row_exists(app: &TestApp, id: &str) -> bool {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let (url, backend, id) = (app.database_url.clone(), app.backend, id.to_string());
    tokio::task::spawn_blocking(move || {
        let sql = format!("SELECT count(*) AS n FROM translation_engines WHERE id = '{id}'");
        let n = match backend {
            Backend::Sqlite => {
                let mut c = SqliteConnection::establish(url.trim_start_matches("sqlite://"))
                    .expect("sqlite");
                diesel::sql_query(sql).get_result::<N>(&mut c)
            }
            Backend::Postgres => {
                let mut c = PgConnection::establish(&url).expect("pg");
                c.transaction(|c| {
                    c.batch_execute("SELECT set_config('voxflow.scope', 'system', true)")?;
                    diesel::sql_query(sql).get_result::<N>(c)
                })
            }
        };
        n.expect("count").n > 0
    })
    .await
    .expect("join")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_urls_pass_the_ssrf_guard_unless_private_urls_are_allowed() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await.expect("app");
    let w = app.world().await;
    for url in [
        "http://127.0.0.1:5000",
        "http://169.254.169.254",
        "http://[::1]:5000",
        "http://10.0.0.7",
    ] {
        let r = app
            .post(
                "/v1/translation-engines",
                &w.a_admin.1,
                json!({"name": "lt", "kind": "libretranslate", "base_url": url}),
            )
            .await;
        assert_eq!(r.code(), "validation_failed", "{url}");
        assert_eq!(r.body["errors"][0]["field"], "base_url");
        assert!(
            r.body["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("private, loopback or link-local"),
            "{url}: {}",
            r.body
        );
    }
}

/// What the fake LibreTranslate saw: one JSON body per `POST /translate`.
pub(crate) type Seen = Arc<Mutex<Vec<Value>>>;

/// A LibreTranslate stand-in (actix-web on loopback) that checks each request: the API key,
/// `q` as an array, the language codes and `format`. It "translates" by prefixing `ES:`.
pub(crate) async fn fake_libretranslate(key: &'static str) -> (String, Seen) {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let server = HttpServer::new(move || {
        let log = log.clone();
        App::new()
            .route(
                "/languages",
                web::get().to(|| async {
                    HttpResponse::Ok().json(json!([
                        {"code": "en", "name": "English", "targets": ["de", "es"]},
                        {"code": "es", "name": "Spanish", "targets": ["en"]}
                    ]))
                }),
            )
            .route(
                "/translate",
                web::post().to(move |body: web::Json<Value>| {
                    let log = log.clone();
                    async move {
                        log.lock().expect("log").push(body.0.clone());
                        if body["api_key"] != key {
                            return HttpResponse::Forbidden()
                                .json(json!({"error": "Invalid API key"}));
                        }
                        let Some(q) = body["q"].as_array() else {
                            return HttpResponse::BadRequest()
                                .json(json!({"error": "q must be a list here"}));
                        };
                        if body["source"] != "en"
                            || body["target"] != "es"
                            || body["format"] != "text"
                        {
                            return HttpResponse::BadRequest()
                                .json(json!({"error": "unexpected languages"}));
                        }
                        let out: Vec<String> = q
                            .iter()
                            .map(|t| format!("ES: {}", t.as_str().unwrap_or("").to_uppercase()))
                            .collect();
                        HttpResponse::Ok().json(json!({"translatedText": out}))
                    }
                }),
            )
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .expect("bind");
    let base = format!("http://{}", server.addrs()[0]);
    tokio::spawn(server.run());
    (base, seen)
}

private_urls_test!(
    libretranslate_job_against_loopback_fake_checks_requests,
    |app| {
        let (base, seen) = fake_libretranslate("libre-key-0123456789").await;
        let w = app.world().await;
        let r = app
        .post(
            "/v1/translation-engines",
            &w.a_admin.1,
            json!({"name": "libre", "kind": "libretranslate", "base_url": base, "api_key": "libre-key-0123456789"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let engine_id = r.id();
        let langs = app
            .get(
                &format!("/v1/translation-engines/{engine_id}/languages"),
                &w.a_member.1,
            )
            .await;
        assert_eq!(langs.status, StatusCode::OK, "{}", langs.body);
        assert_eq!(langs.body["sources"], json!(["en", "es"]));
        assert_eq!(langs.body["pairs"].as_array().map(Vec::len), Some(3));

        let file = upload_speech(&app, &w.a_member.1, SPEECH).await;
        let id = submit(&app, &w.a_member.1, whisper_translate_srt("libre"), &file).await;
        let job = wait_for(&app, &w.a_member.1, &id, |_| false).await;
        assert_eq!(job["status"], "succeeded", "{job}");
        let english = artifact(&app, &w.a_member.1, &id, "asr.transcript.json").await;
        let spanish = artifact(&app, &w.a_member.1, &id, "tr.transcript.json").await;
        assert_eq!(times(&spanish), times(&english));
        let segments = english["segments"].as_array().expect("segments").len();
        // One request carried every segment, with the key, as an array, en → es.
        let bodies = seen.lock().expect("log").clone();
        assert_eq!(bodies.len(), 1, "{bodies:?}");
        assert_eq!(bodies[0]["q"].as_array().map(Vec::len), Some(segments));
        assert_eq!(bodies[0]["api_key"], "libre-key-0123456789");
        let srt = srt(&app, &w.a_member.1, &id).await;
        assert!(srt.contains("ES: "), "{srt}");

        // A pair the engine lacks fails the job, naming what it offers.
        let mut graph = whisper_translate_srt("libre");
        graph["nodes"][2]["data"]["params"]["target_language"] = json!("fr");
        let id = submit(&app, &w.a_member.1, graph, &file).await;
        let job = wait_for(&app, &w.a_member.1, &id, |_| false).await;
        assert_eq!(job["status"], "failed", "{job}");
        let error = job["error"].as_str().expect("error");
        assert!(
            error.contains("en → fr") && error.contains("en → de, es"),
            "{error}"
        );
    }
);

// Tenant A's engine, as tenant B sees it: through every route, a missing one.
private_urls_test!(
    tenant_b_cannot_read_update_delete_or_use_tenant_a_engines,
    |app| {
        let (base, seen) = fake_libretranslate("libre-key-0123456789").await;
        let w: World = app.world().await;
        let r = app
        .post(
            "/v1/translation-engines",
            &w.a_admin.1,
            json!({"name": "a-engine", "kind": "libretranslate", "base_url": base, "api_key": "libre-key-0123456789"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let a_engine = r.id();
        let attackers = [
            ("B admin (JWT)", Cred::Bearer(&w.b_admin.1), true),
            ("B member (JWT)", Cred::Bearer(&w.b_member.1), false),
            ("B member (API key)", Cred::XApiKey(&w.b_key.1), false),
        ];
        for (who, cred, is_admin) in attackers {
            crate::isolation::assert_invisible(
                &app,
                who,
                cred,
                "translation-engines",
                &a_engine,
                is_admin,
            )
            .await;
            let list = app
                .call(Method::GET, "/v1/translation-engines?limit=100", cred, None)
                .await;
            assert_eq!(list.status, StatusCode::OK);
            assert_eq!(list.body["items"], json!([]), "{who}");
        }
        // Using it: a job naming A's engine, by name or by id, is refused at submission.
        let file = upload_speech(&app, &w.b_member.1, "hello").await;
        for engine in ["a-engine", a_engine.as_str()] {
            let r = app
                .post(
                    "/v1/jobs",
                    &w.b_member.1,
                    json!({"graph": whisper_translate_srt(engine), "inputs": {"src": file}}),
                )
                .await;
            assert_eq!(r.code(), "invalid_graph", "{engine}");
            assert_eq!(r.body["errors"][0]["field"], "graph/nodes/tr/params/engine");
            let message = r.body["errors"][0]["message"].as_str().unwrap_or("");
            assert!(message.ends_with("(available: `apertium`)"), "{message}");
        }
        assert!(
            seen.lock().expect("log").is_empty(),
            "A's engine was never called"
        );
        // A still has it, unchanged.
        let r = app
            .get(&format!("/v1/translation-engines/{a_engine}"), &w.a_admin.1)
            .await;
        assert_eq!(
            (r.body["name"].as_str(), r.body["has_api_key"].as_bool()),
            (Some("a-engine"), Some(true))
        );
        // B may create an engine of the same name: names are per tenant.
        let r = app
        .post(
            "/v1/translation-engines",
            &w.b_admin.1,
            json!({"name": "a-engine", "kind": "libretranslate", "base_url": "http://127.0.0.1:9"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
);

// A stored key is bound to its host: moving the engine takes the key again, so a tenant
// admin (or a stolen admin token) cannot redirect the sealed key to a server they control.
private_urls_test!(changing_an_engines_base_url_requires_its_key_again, |app| {
    let (first, first_seen) = fake_libretranslate("libre-key-0123456789").await;
    let (second, second_seen) = fake_libretranslate("libre-key-0123456789").await;
    let w = app.world().await;
    let admin = &w.a_admin.1;
    let r = app
            .post(
                "/v1/translation-engines",
                admin,
                json!({"name": "libre", "kind": "libretranslate", "base_url": first, "api_key": "libre-key-0123456789"}),
            )
            .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.id();
    let sealed = raw_sealed_key(&app, &id).await.expect("sealed");
    let path = format!("/v1/translation-engines/{id}");

    // A new URL without the key: refused, nothing changed.
    for body in [
        json!({"base_url": second}),
        json!({"base_url": second, "name": "moved"}),
    ] {
        let r = app.patch(&path, admin, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert_eq!(r.code(), "translation_engine_key_required");
    }
    let r = app.get(&path, admin).await;
    assert_eq!(
        (
            r.body["base_url"].as_str(),
            r.body["name"].as_str(),
            r.body["has_api_key"].as_bool()
        ),
        (Some(first.as_str()), Some("libre"), Some(true)),
        "{}",
        r.body
    );
    assert_eq!(
        raw_sealed_key(&app, &id).await.as_deref(),
        Some(sealed.as_str())
    );

    // The same URL again (normalised) is no move; other fields change freely.
    let r = app
        .patch(
            &path,
            admin,
            json!({"base_url": format!("{first}/"), "name": "libre2"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // A job still uses the first server only.
    let file = upload_speech(&app, &w.a_member.1, SPEECH).await;
    let job = submit(&app, &w.a_member.1, whisper_translate_srt("libre2"), &file).await;
    assert_eq!(
        wait_for(&app, &w.a_member.1, &job, |_| false).await["status"],
        "succeeded"
    );
    assert_eq!(first_seen.lock().expect("log").len(), 1);
    assert!(
        second_seen.lock().expect("log").is_empty(),
        "the key never went to the new host"
    );

    // With the key, the move is made (and the key sealed anew); or the key is dropped.
    let r = app
        .patch(
            &path,
            admin,
            json!({"base_url": second, "api_key": "libre-key-0123456789"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["base_url"], second.as_str());
    assert_ne!(
        raw_sealed_key(&app, &id).await.as_deref(),
        Some(sealed.as_str())
    );
    let r = app
        .patch(&path, admin, json!({"base_url": first, "api_key": null}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["has_api_key"], false);
    // Without a key, moving needs nothing more.
    let r = app.patch(&path, admin, json!({"base_url": second})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
});
