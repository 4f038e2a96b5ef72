//! Diarization jobs end to end: upload a two-voice conversation → Whisper (tiny.en, word
//! timestamps) + diarize.pyannote → transcript.assign_speakers → SRT with speaker labels;
//! and a server without ONNX Runtime refusing such graphs with a clear problem.

use crate::api_test;
use crate::helpers::{spawn_app_with, Backend, Cred, TestApp};
use crate::jobs::{submit, wait_for};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// (voice, pitch, line): two espeak voices CAM++ tells apart, taking turns.
const LINES: [(&str, &str, &str); 4] = [
    (
        "en-us",
        "40",
        "Good morning and welcome to the weekly planning meeting",
    ),
    (
        "en+f3",
        "70",
        "Thanks for having me I have a short update on the budget",
    ),
    (
        "en-us",
        "40",
        "Can we talk about the hiring plan for the second quarter",
    ),
    (
        "en+f3",
        "70",
        "We need two more engineers and one designer for the mobile team",
    ),
];

/// The conversation as one WAV (lines trimmed, 0.6 s pauses), made with espeak-ng + sox.
fn conversation() -> Vec<u8> {
    let dir = tempfile::tempdir().expect("dir");
    let mut parts = Vec::new();
    for (i, (voice, pitch, text)) in LINES.iter().enumerate() {
        let raw = dir.path().join(format!("raw{i}.wav"));
        let line = dir.path().join(format!("line{i}.wav"));
        let ok = std::process::Command::new("espeak-ng")
            .args(["-v", voice, "-p", pitch, "-s", "150", "-w"])
            .arg(&raw)
            .arg(text)
            .status()
            .expect("espeak-ng")
            .success();
        assert!(ok);
        let gap = dir.path().join(format!("gap{i}.wav"));
        for args in [
            vec![
                raw.to_str().unwrap(),
                "-r",
                "16000",
                "-c",
                "1",
                "-b",
                "16",
                line.to_str().unwrap(),
                "silence",
                "1",
                "0.02",
                "0.5%",
                "reverse",
                "silence",
                "1",
                "0.02",
                "0.5%",
                "reverse",
            ],
            vec![
                "-n",
                "-r",
                "16000",
                "-c",
                "1",
                "-b",
                "16",
                gap.to_str().unwrap(),
                "trim",
                "0",
                "0.6",
            ],
        ] {
            let ok = std::process::Command::new("sox")
                .args(&args)
                .status()
                .expect("sox")
                .success();
            assert!(ok, "sox {args:?}");
        }
        parts.push(gap.to_str().unwrap().to_owned());
        parts.push(line.to_str().unwrap().to_owned());
    }
    let out = dir.path().join("conversation.wav");
    let mut args = parts.clone();
    args.push(out.to_str().unwrap().to_owned());
    assert!(std::process::Command::new("sox")
        .args(&args)
        .status()
        .expect("sox")
        .success());
    std::fs::read(out).expect("wav")
}

fn graph() -> Value {
    json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"model": "tiny.en", "language": "en", "word_timestamps": true}}},
            {"id": "dia", "type": "diarize.pyannote", "data": {"params": {"max_speakers": 4}}},
            {"id": "spk", "type": "transcript.assign_speakers", "data": {"params": {"split_segments": true}}},
            {"id": "srt", "type": "export.subtitles", "data": {"params": {"format": "srt"}}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
            {"id": "e2", "source": "src", "sourceHandle": "audio", "target": "dia", "targetHandle": "audio"},
            {"id": "e3", "source": "asr", "sourceHandle": "transcript", "target": "spk", "targetHandle": "transcript"},
            {"id": "e4", "source": "dia", "sourceHandle": "speaker_turns", "target": "spk", "targetHandle": "speaker_turns"},
            {"id": "e5", "source": "spk", "sourceHandle": "transcript", "target": "srt", "targetHandle": "transcript"}
        ]
    })
}

pub async fn upload(app: &TestApp, token: &str) -> String {
    let r = app
        .upload(Cred::Bearer(token), "conversation.wav", conversation())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id()
}

pub async fn artifact(app: &TestApp, token: &str, job: &str, name: &str) -> String {
    let r = app
        .client
        .get(format!("{}/v1/jobs/{job}/artifacts/{name}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("artifact");
    assert_eq!(r.status(), StatusCode::OK, "{name}");
    r.text().await.expect("text")
}

api_test!(
    a_diarized_transcript_becomes_speaker_labelled_subtitles,
    |app| {
        let w = app.world().await;
        let token = &w.a_member.1;
        let file = upload(&app, token).await;
        let id = submit(&app, token, graph(), &file).await;
        let job = wait_for(&app, token, &id, |_| false).await;
        assert_eq!(job["status"], "succeeded", "{job}");

        let turns: Value =
            serde_json::from_str(&artifact(&app, token, &id, "dia.speaker_turns.json").await)
                .expect("json");
        assert_eq!(turns["num_speakers"], 2, "{turns}");

        let srt = artifact(&app, token, &id, "srt.file.srt").await;
        // Every cue is labelled; the speaker changes with each line of the conversation.
        let cues: Vec<&str> = srt.split("\n\n").filter(|c| c.contains("-->")).collect();
        assert!(cues.len() >= 4, "{srt}");
        assert!(cues.iter().all(|c| c.contains("[SPEAKER_0")), "{srt}");
        let speaker_of = |needle: &str| -> String {
            let cue = cues
                .iter()
                .find(|c| c.to_lowercase().contains(needle))
                .unwrap_or_else(|| panic!("no cue with {needle:?}: {srt}"));
            let at = cue.find("[SPEAKER_").expect("label");
            cue[at..at + 12].to_owned()
        };
        let (first, second) = (speaker_of("morning"), speaker_of("thanks"));
        assert_eq!(first, "[SPEAKER_00]", "{srt}");
        assert_eq!(second, "[SPEAKER_01]", "{srt}");
        assert_eq!(speaker_of("hiring"), first, "{srt}");
        assert_eq!(speaker_of("engineers"), second, "{srt}");

        let transcript: Value =
            serde_json::from_str(&artifact(&app, token, &id, "spk.transcript.json").await)
                .expect("json");
        let words = transcript["segments"][0]["words"]
            .as_array()
            .expect("words");
        assert!(
            words.iter().all(|w| w["speaker"] == "SPEAKER_00"),
            "{transcript}"
        );
    }
);

async fn refused_without_onnx_runtime(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |s| {
        s.ort_lib = "/nonexistent/libonnxruntime.so".into();
    })
    .await
    else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    let w = app.world().await;
    let token = &w.a_member.1;
    let file = upload(&app, token).await;
    let r = app
        .post(
            "/v1/jobs",
            token,
            json!({"graph": graph(), "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert_eq!(r.body["code"], "node_unavailable");
    assert_eq!(r.body["type"], "/problems/node_unavailable");
    let detail = r.body["detail"].as_str().expect("detail");
    assert!(
        detail.contains("dia") && detail.contains("diarize.pyannote"),
        "{detail}"
    );
    assert!(detail.contains("ONNX Runtime"), "{detail}");
    assert!(
        !detail.contains("/nonexistent"),
        "no server paths: {detail}"
    );
    let listed = app.get("/v1/jobs", token).await;
    assert_eq!(
        listed.body["items"].as_array().map(Vec::len),
        Some(0),
        "nothing queued"
    );
    // The registry says so before anyone submits: diarization unavailable (why, without
    // server paths), the rest available.
    let nodes = app.get("/v1/nodes", token).await;
    let availability = |kind: &str| {
        nodes.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|n| n["kind"] == kind)
            .map(|n| n["availability"].clone())
            .unwrap_or_default()
    };
    let dia = availability("diarize.pyannote");
    assert_eq!(dia["available"], false, "{dia}");
    let why = dia["detail"].as_str().expect("detail");
    assert!(
        why.contains("ONNX Runtime") && why.contains("setup-native.sh"),
        "{why}"
    );
    assert!(!why.contains("/nonexistent"), "no server paths: {why}");
    assert_eq!(availability("whisper.transcribe")["available"], true);
    assert_eq!(availability("vad.silero")["available"], true);
    // The rest works: a graph without diarization is accepted.
    let plain = crate::jobs::vad_whisper_srt("tiny.en");
    let r = app
        .post(
            "/v1/jobs",
            token,
            json!({"graph": plain, "inputs": {"src": file}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
}

mod a_server_without_onnx_runtime_refuses_diarization_graphs {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        refused_without_onnx_runtime(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        refused_without_onnx_runtime(Backend::Postgres).await;
    }
}
