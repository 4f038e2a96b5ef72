//! Music separation as a job step: upload speech over music → `bgm.separate` → the vocal
//! stem into VAD and Whisper → SRT, with the real DeepFilterNet3 and Whisper tiny.en.

use crate::api_test;
use crate::helpers::{speak, wer, Cred};
use crate::jobs::{submit, wait_for};
use reqwest::StatusCode;
use serde_json::json;

const SENTENCE: &str = "Please send the quarterly report to the finance team before Friday";

fn sox(args: &[&str]) {
    let out = std::process::Command::new("sox")
        .args(args)
        .output()
        .expect("sox is installed (apt-get install sox)");
    assert!(
        out.status.success(),
        "sox {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `SENTENCE` over plucked chords and noise-burst drums (music peaks 12 dB under the speech).
fn speech_over_music(dir: &std::path::Path) -> Vec<u8> {
    let p = |n: &str| dir.join(n).to_str().expect("utf-8").to_owned();
    speak(SENTENCE, "en-us", &dir.join("raw.wav"));
    sox(&[&p("raw.wav"), "-r", "16000", "-c", "1", &p("speech.wav")]);
    sox(&[
        "-R",
        "-n",
        "-r",
        "16000",
        "-c",
        "3",
        &p("c3.wav"),
        "synth",
        "1",
        "pluck",
        "C3",
        "pluck",
        "E4",
        "pluck",
        "G4",
    ]);
    sox(&[&p("c3.wav"), "-c", "1", &p("chord.wav")]);
    sox(&[
        "-R",
        "-n",
        "-r",
        "16000",
        "-c",
        "1",
        &p("drum.wav"),
        "synth",
        "0.08",
        "whitenoise",
        "fade",
        "q",
        "0",
        "0.08",
        "0.07",
        "pad",
        "0",
        "0.17",
    ]);
    sox(&[
        &p("drum.wav"),
        &p("drum.wav"),
        &p("drum.wav"),
        &p("drum.wav"),
        &p("drums.wav"),
    ]);
    sox(&["-m", &p("chord.wav"), &p("drums.wav"), &p("bar.wav")]);
    sox(&[&p("bar.wav"), &p("music.wav"), "repeat", "8"]);
    // Normalise both, music 12 dB under the speech, trimmed to the speech.
    sox(&[&p("speech.wav"), &p("speech_n.wav"), "norm", "-3"]);
    sox(&[&p("music.wav"), &p("music_n.wav"), "norm", "-15"]);
    sox(&[
        "-m",
        &p("speech_n.wav"),
        &p("music_n.wav"),
        &p("mix_long.wav"),
    ]);
    let secs = std::process::Command::new("soxi")
        .args(["-D", &p("speech.wav")])
        .output()
        .expect("soxi");
    let secs = String::from_utf8_lossy(&secs.stdout).trim().to_string();
    sox(&[&p("mix_long.wav"), &p("mix.wav"), "trim", "0", &secs]);
    std::fs::read(dir.join("mix.wav")).expect("mix")
}

api_test!(a_music_separation_job_feeds_the_vocals_to_whisper, |app| {
    let w = app.world().await;
    let dir = tempfile::tempdir().expect("dir");
    let up = app
        .upload(
            Cred::Bearer(&w.a_member.1),
            "mix.wav",
            speech_over_music(dir.path()),
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let graph = json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "bgm", "type": "bgm.separate", "data": {"params": {"engine": "deepfilternet3"}}},
            {"id": "vad", "type": "vad.silero", "data": {"params": {}}},
            {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"model": "tiny.en", "language": "en", "temperature_increment": 0.0}}},
            {"id": "srt", "type": "export.subtitles", "data": {"params": {"format": "srt"}}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "bgm", "targetHandle": "audio"},
            {"id": "e2", "source": "bgm", "sourceHandle": "vocals", "target": "vad", "targetHandle": "audio"},
            {"id": "e3", "source": "bgm", "sourceHandle": "vocals", "target": "asr", "targetHandle": "audio"},
            {"id": "e4", "source": "vad", "sourceHandle": "speech_regions", "target": "asr", "targetHandle": "speech_regions"},
            {"id": "e5", "source": "asr", "sourceHandle": "transcript", "target": "srt", "targetHandle": "transcript"}
        ]
    });
    let id = submit(&app, &w.a_member.1, graph, &up.id()).await;
    let job = wait_for(&app, &w.a_member.1, &id, |_| false).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let bgm = job["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["node_id"] == "bgm" || n["id"] == "bgm")
        .unwrap_or_else(|| panic!("no bgm node in {job}"));
    assert_eq!(bgm["status"], "succeeded", "{job}");
    let srt = app
        .client
        .get(format!("{}/v1/jobs/{id}/artifacts/srt.file.srt", app.base))
        .bearer_auth(&w.a_member.1)
        .send()
        .await
        .expect("srt");
    assert_eq!(srt.status(), StatusCode::OK);
    let srt = srt.text().await.expect("text");
    assert!(srt.starts_with("1\n") && srt.contains(" --> "), "{srt}");
    let text: String = srt
        .lines()
        .filter(|l| !l.contains("-->") && l.parse::<u32>().is_err())
        .collect::<Vec<_>>()
        .join(" ");
    let w_vocals = wer(SENTENCE, &text);
    println!("WER through bgm.separate: {w_vocals:.3} ({text:?})");
    // The plumbing is the point here; separation quality is measured in the nodes crate
    // (tiny.en on DeepFilterNet's stem of espeak speech scored 0.64–0.78 WER there and here).
    assert!(w_vocals <= 0.8, "{text}");
    // The stems stay in memory: no audio artifacts.
    let names: Vec<&str> = job["outputs"]
        .as_array()
        .expect("outputs")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with("bgm.")), "{names:?}");
    // Progress events came from the separation node.
    let events = app
        .get(&format!("/v1/jobs/{id}/events?since=0"), &w.a_member.1)
        .await;
    let bgm_progress = events.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["type"] == "node.progress" && e.to_string().contains("\"bgm\""))
        .count();
    assert!(bgm_progress > 0, "{}", events.body);
});

api_test!(bgm_separate_is_listed_with_two_audio_outputs, |app| {
    let w = app.world().await;
    let nodes = app.get("/v1/nodes", &w.a_member.1).await;
    assert_eq!(nodes.status, StatusCode::OK, "{}", nodes.body);
    let all = nodes
        .body
        .as_array()
        .cloned()
        .or_else(|| nodes.body["items"].as_array().cloned())
        .expect("a list");
    let bgm = all
        .iter()
        .find(|n| n["kind"] == "bgm.separate")
        .expect("bgm.separate listed");
    let outs: Vec<(&str, &str)> = bgm["outputs"]
        .as_array()
        .expect("outputs")
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap_or(""),
                o["port_type"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(outs, [("vocals", "audio"), ("accompaniment", "audio")]);
    assert_eq!(
        bgm["params_schema"]["properties"]["engine"]["default"],
        "deepfilternet3"
    );
    // A bad param is refused when the job is submitted, naming the node and field.
    let r = app
        .post(
            "/v1/jobs",
            &w.a_member.1,
            json!({"graph": {"nodes": [
                {"id": "src", "type": "audio.decode"},
                {"id": "bgm", "type": "bgm.separate", "data": {"params": {"atten_lim_db": 500}}}
            ], "edges": [
                {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "bgm", "targetHandle": "audio"}
            ]}, "inputs": {"src": "nope"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.to_string().contains("atten_lim_db"), "{}", r.body);
});
