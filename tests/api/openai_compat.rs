//! The OpenAI-compatible endpoints with real models (tiny.en, Silero VAD) on clips the
//! test speaks with espeak-ng, and the official `openai` Python SDK against the service.

use crate::api_test;
use crate::helpers::{spawn_app_with, speak, wer, Backend, Cred, TestApp};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;
use voxflow::store::{repo, Store};
use voxflow::tenancy::Scope;

const SENTENCE: &str = "The quick brown fox jumps over the lazy dog near the river bank";

pub(crate) struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }
}

pub(crate) async fn transcribe(
    app: &TestApp,
    cred: Cred<'_>,
    file: Option<(Vec<u8>, &str)>,
    fields: &[(&str, &str)],
) -> Reply {
    let part = file.map(|(bytes, name)| Part::bytes(bytes).file_name(name.to_string()));
    transcribe_part(app, cred, part, fields).await
}

async fn transcribe_part(
    app: &TestApp,
    cred: Cred<'_>,
    file: Option<Part>,
    fields: &[(&str, &str)],
) -> Reply {
    let mut form = Form::new();
    if let Some(part) = file {
        form = form.part("file", part);
    }
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let mut req = app
        .client
        .post(format!("{}/v1/audio/transcriptions", app.base))
        .multipart(form);
    req = match cred {
        Cred::Bearer(t) => req.bearer_auth(t),
        Cred::XApiKey(k) => req.header("X-API-Key", k),
        Cred::None => req,
    };
    let res = req.send().await.expect("send");
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    Reply {
        status,
        content_type,
        text: res.text().await.expect("body"),
    }
}

fn clip(dir: &std::path::Path, text: &str) -> Vec<u8> {
    let path = dir.join("clip.wav");
    speak(text, "en-us", &path);
    std::fs::read(path).expect("read clip")
}

fn assert_openai_error(r: &Reply, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    let body = r.json();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert!(body["error"]["type"].is_string());
    assert!(
        !r.text.contains("/tmp/") && !r.text.contains("shared/models"),
        "no paths leak: {}",
        r.text
    );
}

api_test!(openai_transcriptions_in_every_format, |app| {
    let w = app.world().await;
    let dir = tempfile::tempdir().expect("dir");
    let wav = clip(dir.path(), SENTENCE);
    let key = Cred::Bearer(&w.a_key.1);

    let r = transcribe(
        &app,
        key,
        Some((wav.clone(), "clip.wav")),
        &[("model", "whisper-1")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let text = r.json()["text"].as_str().expect("text").to_string();
    let err = wer(SENTENCE, &text);
    assert!(err <= 0.35, "WER {err:.2} too high: {text:?}");

    let r = transcribe(
        &app,
        Cred::XApiKey(&w.a_key.1),
        Some((wav.clone(), "clip.wav")),
        &[
            ("model", "tiny.en"),
            ("response_format", "verbose_json"),
            ("timestamp_granularities[]", "word"),
            ("timestamp_granularities[]", "segment"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    assert_eq!(v["task"], "transcribe");
    assert_eq!(v["language"], "english");
    assert!(v["duration"].as_f64().expect("duration") > 2.0);
    assert!(!v["segments"].as_array().expect("segments").is_empty());
    let words = v["words"].as_array().expect("words");
    assert!(words.len() >= 8, "{v}");
    assert!(
        words
            .windows(2)
            .all(|p| p[0]["start"].as_f64() <= p[1]["start"].as_f64()),
        "word times ascend"
    );

    let r = transcribe(
        &app,
        key,
        Some((wav.clone(), "clip.wav")),
        &[("model", "tiny.en"), ("response_format", "srt")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.starts_with("1\n00:00:0"), "{}", r.text);
    assert!(r.text.contains(" --> "));
    // Word-timed cues (no `timestamp_granularities[]` asked): every word of the transcript,
    // each cue starting at a word's start.
    let cue_words: Vec<String> = voxflow_nodes::subtitles::parse_subtitles(&r.text)
        .iter()
        .flat_map(|c| {
            c.words()
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let text_words: Vec<&str> = v["text"]
        .as_str()
        .expect("text")
        .split_whitespace()
        .collect();
    assert_eq!(cue_words, text_words, "{}", r.text);
    let starts: Vec<f64> = words.iter().filter_map(|w| w["start"].as_f64()).collect();
    for cue in voxflow_nodes::subtitles::parse_subtitles(&r.text) {
        assert!(
            starts.iter().any(|s| (s - cue.start).abs() <= 0.1),
            "cue {cue:?} starts at no word ({starts:?})"
        );
    }
    let r = transcribe(
        &app,
        key,
        Some((wav.clone(), "clip.wav")),
        &[("model", "tiny.en"), ("response_format", "vtt")],
    )
    .await;
    assert!(r.text.starts_with("WEBVTT"), "{}", r.text);
    assert!(r.content_type.starts_with("text/vtt"));
    let r = transcribe(
        &app,
        key,
        Some((wav.clone(), "clip.wav")),
        &[
            ("model", "tiny.en"),
            ("response_format", "text"),
            ("vad", "true"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(wer(SENTENCE, &r.text) <= 0.35, "{}", r.text);

    // Usage: five requests' audio seconds, on tenant A.
    let url = app.database_url.clone();
    let tenant = w.tenant_a.clone();
    let total = tokio::task::spawn_blocking(move || {
        let store = Store::open(&url, 1).expect("store");
        store.write_blocking(Scope::System, |c| {
            repo::usage::total_since(
                c,
                &tenant,
                &["transcription"],
                chrono::DateTime::UNIX_EPOCH.naive_utc(),
            )
        })
    })
    .await
    .expect("join")
    .expect("usage");
    let secs = v["duration"].as_f64().expect("duration");
    assert!(
        (total as f64 / 1000.0 - 5.0 * secs).abs() < 0.5,
        "usage {total} ms for 5 × {secs} s"
    );

    let models = app.get("/v1/models", &w.a_key.1).await;
    assert_eq!(models.body["object"], "list");
    let ids: Vec<&str> = models.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"whisper-1") && ids.contains(&"tiny.en-q8_0"),
        "{ids:?}"
    );
});

api_test!(
    openai_silence_gives_empty_text_on_every_model_and_format,
    |app| {
        let w = app.world().await;
        let key = Cred::Bearer(&w.a_key.1);
        let silence = crate::helpers::wav(30 * 32_000); // 30 s
        for (model, format, vad) in [
            ("tiny.en", "json", "false"),
            ("base", "json", "false"),
            ("tiny.en", "json", "true"),
            ("tiny.en", "srt", "false"),
            ("tiny.en", "vtt", "false"),
            ("tiny.en", "verbose_json", "false"),
        ] {
            let r = transcribe(
                &app,
                key,
                Some((silence.clone(), "silence.wav")),
                &[("model", model), ("response_format", format), ("vad", vad)],
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{model} {format}: {}", r.text);
            match format {
                "json" => assert_eq!(r.json()["text"], "", "{model} vad={vad}: {}", r.text),
                "verbose_json" => {
                    assert_eq!(r.json()["text"], "", "{}", r.text);
                    assert_eq!(r.json()["segments"], serde_json::json!([]), "{}", r.text);
                }
                _ => assert!(
                    !r.text.contains("-->") && !r.text.contains('['),
                    "{model} {format}: {:?}",
                    r.text
                ),
            }
        }
    }
);

/// `ffmpeg -i wav <args> -f <format> pipe:1`: written to a pipe like a live recorder, so a
/// WebM has no duration, no Cues and an unknown-size Segment.
fn encode_to_pipe(wav: &std::path::Path, args: &[&str], format: &str) -> Vec<u8> {
    let out = std::process::Command::new("ffmpeg")
        .args(["-loglevel", "error", "-i"])
        .arg(wav)
        .args(args)
        .args(["-f", format, "pipe:1"])
        .output()
        .expect("ffmpeg is installed (apt-get install ffmpeg)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

api_test!(openai_transcribes_browser_webm_and_ogg_opus, |app| {
    let w = app.world().await;
    let dir = tempfile::tempdir().expect("dir");
    let wav = dir.path().join("clip.wav");
    speak(SENTENCE, "en-us", &wav);
    // What Flowise forwards from a chat mic recording (MediaRecorder: `audio/webm`, Opus),
    // and a `.opus` voice note.
    let webm = encode_to_pipe(&wav, &["-ac", "1", "-c:a", "libopus"], "webm");
    let ogg = encode_to_pipe(&wav, &["-c:a", "libopus", "-b:a", "24k"], "ogg");
    for (bytes, name, mime) in [
        (webm, "recording.webm", "audio/webm;codecs=opus"),
        (ogg, "note.opus", "audio/ogg"),
    ] {
        let part = Part::bytes(bytes.clone())
            .file_name(name)
            .mime_str(mime)
            .expect("mime");
        let r = transcribe_part(
            &app,
            Cred::Bearer(&w.a_key.1),
            Some(part),
            &[("model", "tiny.en"), ("response_format", "verbose_json")],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.text);
        let v = r.json();
        let text = v["text"].as_str().expect("text");
        let err = wer(SENTENCE, text);
        assert!(err <= 0.35, "{name}: WER {err:.2} too high: {text:?}");
        assert!(v["duration"].as_f64().expect("duration") > 2.0, "{v}");
        // The files API takes it too (the type comes from the bytes).
        let up = app.upload(Cred::Bearer(&w.a_member.1), name, bytes).await;
        assert_eq!(up.status, StatusCode::CREATED, "{name}: {}", up.body);
        let expected = if name.ends_with(".webm") {
            "audio/webm"
        } else {
            "audio/ogg"
        };
        assert_eq!(up.body["content_type"], expected);
    }
});

api_test!(
    openai_bad_inputs_get_clear_errors_and_the_service_keeps_answering,
    |app| {
        let w = app.world().await;
        let key = Cred::Bearer(&w.a_key.1);
        let dir = tempfile::tempdir().expect("dir");
        let wav = clip(dir.path(), "hello world");
        assert_openai_error(
            &transcribe(&app, Cred::None, Some((wav.clone(), "a.wav")), &[]).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        );
        assert_openai_error(
            &transcribe(
                &app,
                Cred::Bearer("vf_nope"),
                Some((wav.clone(), "a.wav")),
                &[],
            )
            .await,
            StatusCode::UNAUTHORIZED,
            "invalid_api_key",
        );
        assert_openai_error(
            &transcribe(&app, key, None, &[("model", "whisper-1")]).await,
            StatusCode::BAD_REQUEST,
            "missing_file",
        );
        assert_openai_error(
            &transcribe(&app, key, Some((Vec::new(), "empty.wav")), &[]).await,
            StatusCode::BAD_REQUEST,
            "empty_audio",
        );
        let garbage: Vec<u8> = (0..50_000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let r = transcribe(&app, key, Some((garbage, "noise.mp3")), &[]).await;
        assert!(r.status == StatusCode::BAD_REQUEST, "{}", r.text);
        assert!(
            ["unsupported_format", "corrupt_audio"]
                .contains(&r.json()["error"]["code"].as_str().unwrap_or("")),
            "{}",
            r.text
        );
        let r = transcribe(
            &app,
            key,
            Some((b"#!/bin/sh\necho not audio\n".repeat(50), "script.wav")),
            &[],
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "an executable renamed .wav: {}",
            r.text
        );
        let mut truncated = wav.clone();
        truncated.truncate(60);
        let r = transcribe(&app, key, Some((truncated, "cut.wav")), &[]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "truncated: {}", r.text);
        assert_openai_error(
            &transcribe(
                &app,
                key,
                Some((wav.clone(), "a.wav")),
                &[("model", "large-v9")],
            )
            .await,
            StatusCode::NOT_FOUND,
            "model_not_found",
        );
        assert_openai_error(
            &transcribe(
                &app,
                key,
                Some((wav.clone(), "a.wav")),
                &[("response_format", "docx")],
            )
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_value",
        );
        assert_openai_error(
            &transcribe(
                &app,
                key,
                Some((wav.clone(), "a.wav")),
                &[("temperature", "7")],
            )
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_value",
        );
        // A viewer's key may read but not transcribe.
        let (_, viewer_key) = app
            .create_api_key(
                &w.a_admin.1,
                serde_json::json!({"name": "ro", "permissions": ["jobs:read"]}),
            )
            .await;
        assert_openai_error(
            &transcribe(
                &app,
                Cred::Bearer(&viewer_key),
                Some((wav.clone(), "a.wav")),
                &[],
            )
            .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        );
        // Still answering, and still transcribing.
        let r = transcribe(&app, key, Some((wav, "a.wav")), &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_uploads_over_the_limit_are_refused() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.max_upload_bytes = 50_000)
        .await
        .expect("app");
    let w = app.world().await;
    let r = transcribe(
        &app,
        Cred::Bearer(&w.a_key.1),
        Some((vec![7u8; 200_000], "big.wav")),
        &[],
    )
    .await;
    assert_openai_error(&r, StatusCode::PAYLOAD_TOO_LARGE, "file_too_large");
    assert_eq!(app.get("/healthz", "").await.status, StatusCode::OK);
}

/// The official `openai` Python package, unchanged, pointed at Voxflow with an API key.
/// Skipped when the package is missing, unless VOXFLOW_REQUIRE_OPENAI_SDK=1 (CI sets it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_openai_python_sdk_works_unchanged() {
    let python = std::env::var("VOXFLOW_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_sdk = std::process::Command::new(&python)
        .args(["-c", "import openai"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_sdk {
        assert!(
            std::env::var_os("VOXFLOW_REQUIRE_OPENAI_SDK").is_none(),
            "the openai package is required but missing"
        );
        eprintln!("skipped: the `openai` Python package is not installed");
        return;
    }
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await.expect("app");
    let w = app.world().await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sdk.wav");
    speak(SENTENCE, "en-us", &path);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/openai_sdk_check.py");
    let base = format!("{}/v1", app.base);
    let key = w.a_key.1.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
            .arg(base)
            .arg(key)
            .arg(&path)
            .output()
    })
    .await
    .expect("join")
    .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "SDK script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value =
        serde_json::from_str(stdout.lines().last().unwrap_or("")).expect("script prints JSON last");
    let text = result["text"].as_str().expect("text");
    assert!(wer(SENTENCE, text) <= 0.35, "{text}");
    assert!(result["srt"].as_str().expect("srt").contains(" --> "));
    assert_eq!(result["verbose_language"], "english");
    assert_eq!(result["bad_key_status"], 401);
    assert!(result["models"]
        .as_array()
        .expect("models")
        .iter()
        .any(|m| m == "whisper-1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_translations_turn_spanish_speech_into_english() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.default_model = "base".into())
        .await
        .expect("app");
    let w = app.world().await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("es.wav");
    speak(
        "Buenos días. Me llamo Carlos y vivo en Madrid con mi familia.",
        "es",
        &path,
    );
    let wav = std::fs::read(&path).expect("wav");
    let form = Form::new()
        .part("file", Part::bytes(wav).file_name("es.wav"))
        .text("model", "whisper-1")
        .text("response_format", "verbose_json");
    let res = app
        .client
        .post(format!("{}/v1/audio/translations", app.base))
        .bearer_auth(&w.a_key.1)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["task"], "translate");
    assert_eq!(v["language"], "spanish", "{v}");
    let text = v["text"].as_str().expect("text").to_lowercase();
    let english = ["my", "name", "live", "madrid", "family", "good", "morning"];
    let hits = english.iter().filter(|w| text.contains(*w)).count();
    assert!(hits >= 4, "expected an English translation, got {text:?}");
}
