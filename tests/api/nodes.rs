use crate::api_test;
use crate::helpers::Cred;
use reqwest::{Method, StatusCode};

api_test!(node_registry_with_etags, |app| {
    let w = app.world().await;
    let r = app.get("/v1/nodes", &w.a_viewer.1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.body["items"].as_array().expect("items");
    let kinds: Vec<&str> = items.iter().filter_map(|i| i["kind"].as_str()).collect();
    for k in [
        "audio.decode",
        "vad.silero",
        "whisper.transcribe",
        "export.subtitles",
        "diarize.pyannote",
        "transcript.assign_speakers",
        "job.status",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    for item in items {
        assert!(
            item["version"]
                .as_str()
                .is_some_and(|v| v.split('.').count() == 3),
            "{item}"
        );
        assert_eq!(item["params_schema"]["type"], "object", "{item}");
        // The test server has every model and native library (setup-native.sh).
        assert_eq!(item["availability"]["available"], true, "{item}");
        assert!(
            item["outputs"].as_array().is_some_and(|o| !o.is_empty()),
            "{item}"
        );
    }
    let whisper = items
        .iter()
        .find(|i| i["kind"] == "whisper.transcribe")
        .expect("whisper");
    assert_eq!(whisper["inputs"][0]["port_type"], "audio");
    assert!(whisper["params_schema"]["properties"]["model"]["default"].is_string());
    let dia = items
        .iter()
        .find(|i| i["kind"] == "diarize.pyannote")
        .expect("diarize");
    assert_eq!(dia["outputs"][0]["port_type"], "speaker_turns");
    let props = &dia["params_schema"]["properties"];
    for p in ["num_speakers", "min_speakers", "max_speakers"] {
        assert!(props[p]["x-ui"].is_object(), "{p} has UI hints");
    }
    let assign = items
        .iter()
        .find(|i| i["kind"] == "transcript.assign_speakers")
        .expect("assign");
    let ports: Vec<&str> = assign["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|p| p["port_type"].as_str())
        .collect();
    assert_eq!(ports, ["transcript", "speaker_turns"]);

    let etag = r.headers["etag"].to_str().expect("etag").to_string();
    let res = app
        .client
        .get(format!("{}/v1/nodes", app.base))
        .bearer_auth(&w.a_viewer.1)
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert!(res.text().await.expect("body").is_empty());

    let one = app.get("/v1/nodes/whisper.transcribe", &w.a_key.1).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["kind"], "whisper.transcribe");
    let item_etag = one.headers["etag"].to_str().expect("etag").to_string();
    assert_ne!(item_etag, etag);
    let res = app
        .client
        .get(format!("{}/v1/nodes/whisper.transcribe", app.base))
        .bearer_auth(&w.a_key.1)
        .header("If-None-Match", &item_etag)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    assert_eq!(
        app.get("/v1/nodes/nope.nope", &w.a_viewer.1).await.code(),
        "node_kind_not_found"
    );
    assert_eq!(
        app.call(Method::GET, "/v1/nodes", Cred::None, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
});

api_test!(graphs_validate_over_http_reporting_every_problem, |app| {
    let w = app.world().await;
    let good = serde_json::json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "vad", "type": "vad.silero", "data": {"params": {}}},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"model": "tiny.en"}}},
            {"id": "srt", "type": "export.subtitles", "data": {"params": {"format": "srt"}}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "vad", "targetHandle": "audio"},
            {"id": "e2", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
            {"id": "e3", "source": "vad", "sourceHandle": "speech_regions", "target": "asr", "targetHandle": "speech_regions"},
            {"id": "e4", "source": "asr", "sourceHandle": "transcript", "target": "srt", "targetHandle": "transcript"}
        ]
    });
    let r = app.post("/v1/graphs/validate", &w.a_viewer.1, good).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["plan"]["order"],
        serde_json::json!(["src", "vad", "asr", "srt"])
    );
    assert_eq!(r.body["plan"]["inputs"][0]["node_id"], "src");

    let bad = serde_json::json!({
        "nodes": [
            {"id": "src", "type": "audio.decode"},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"beam_size": 0, "bogus": true}}},
            {"id": "zzz", "type": "teleport.audio"}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "speech_regions"}
        ]
    });
    let r = app.post("/v1/graphs/validate", &w.a_viewer.1, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "invalid_graph");
    let fields: Vec<&str> = r.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for f in [
        "nodes/asr/params",
        "nodes/zzz/type",
        "edges/e1/targetHandle",
        "nodes/asr/inputs/audio",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let r = app
        .post(
            "/v1/graphs/validate",
            &w.a_viewer.1,
            serde_json::json!({"nodes": "x"}),
        )
        .await;
    assert_eq!(r.code(), "invalid_graph");
});

api_test!(
    a_graph_naming_a_model_this_server_lacks_is_refused_before_queueing,
    |app| {
        let w = app.world().await;
        let token = &w.a_member.1;
        let file = crate::jobs::upload_speech(&app, token, "Hello there.").await;
        let graph = crate::jobs::vad_whisper_srt("large-v3");
        let r = app
            .post(
                "/v1/jobs",
                token,
                serde_json::json!({"graph": graph, "inputs": {"src": file}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert_eq!(r.code(), "node_unavailable");
        let detail = r.body["detail"].as_str().expect("detail");
        // Names the node and the model, lists what is installed, hides the server's paths.
        assert!(
            detail.contains("`asr`") && detail.contains("large-v3") && detail.contains("tiny.en"),
            "{detail}"
        );
        let models_dir = crate::helpers::models_dir().display().to_string();
        assert!(!detail.contains(&models_dir), "no server paths: {detail}");
        let listed = app.get("/v1/jobs", token).await;
        assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(0));
    }
);
