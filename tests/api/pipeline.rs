//! The whole speech pipeline as one job, with every real model: audio → BGM separation →
//! VAD → Whisper → diarization → assign speakers → translation (Apertium en→es) →
//! subtitles. The same graph is the example in `docs/pipeline.md` (a test keeps them equal).

use crate::api_test;
use crate::diarize::{artifact, upload};
use crate::jobs::{submit, upload_speech, wait_for};
use serde_json::{json, Value};
use voxflow_nodes::subtitles::parse_subtitles;

/// The words of a transcript artifact (`*.transcript.json`), in order.
fn transcript_words(transcript: &Value) -> Vec<String> {
    transcript["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .flat_map(|s| s["text"].as_str().expect("text").split_whitespace())
        .map(str::to_owned)
        .collect()
}

/// The spoken words of SRT/VTT cues (speaker labels left out), in order.
fn subtitle_words(text: &str) -> Vec<String> {
    parse_subtitles(text)
        .iter()
        .flat_map(|c| {
            c.words()
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The graph of `docs/pipeline.md`, read from the document so the example cannot rot.
fn documented_graph() -> Value {
    let doc = include_str!("../../docs/pipeline.md");
    let start = doc
        .find("```json\n")
        .expect("a json block in docs/pipeline.md")
        + 8;
    let end = start + doc[start..].find("```").expect("end of the json block");
    serde_json::from_str(&doc[start..end]).expect("docs/pipeline.md: the graph is valid JSON")
}

api_test!(the_full_pipeline_runs_as_one_job, |app| {
    let w = app.world().await;
    let token = &w.a_member.1;
    let file = upload(&app, token).await;
    let id = submit(&app, token, documented_graph(), &file).await;
    let job = wait_for(&app, token, &id, |_| false).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let nodes = job["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 8, "{job}");
    assert!(nodes.iter().all(|n| n["status"] == "succeeded"), "{job}");

    let turns: Value =
        serde_json::from_str(&artifact(&app, token, &id, "dia.speaker_turns.json").await)
            .expect("json");
    assert_eq!(turns["num_speakers"], 2, "{turns}");

    let translated: Value =
        serde_json::from_str(&artifact(&app, token, &id, "es.transcript.json").await)
            .expect("json");
    assert_eq!(translated["language"], "es", "{translated}");

    // Spanish subtitles, each cue labelled with its speaker, both speakers present.
    let srt = artifact(&app, token, &id, "srt.file.srt").await;
    let cues: Vec<&str> = srt.split("\n\n").filter(|c| c.contains("-->")).collect();
    assert!(cues.len() >= 2, "{srt}");
    assert!(cues.iter().all(|c| c.contains("[SPEAKER_0")), "{srt}");
    assert!(
        srt.contains("[SPEAKER_00]") && srt.contains("[SPEAKER_01]"),
        "{srt}"
    );
    let lower = srt.to_lowercase();
    let spanish = [
        "buenos",
        "reunión",
        "presupuesto",
        "ingenieros",
        "equipo",
        "contratación",
    ];
    let found: Vec<&str> = spanish
        .iter()
        .copied()
        .filter(|w| lower.contains(w))
        .collect();
    assert!(
        found.len() >= 2,
        "expected Spanish words, found {found:?}: {srt}"
    );
    // Every word of the translated transcript, once and in order.
    assert_eq!(subtitle_words(&srt), transcript_words(&translated), "{srt}");
});

api_test!(
    subtitle_cues_are_timed_from_words_the_user_did_not_ask_for,
    |app| {
        let w = app.world().await;
        let token = &w.a_member.1;
        let text = "The harbour was quiet that morning. A few boats came back with the tide, \
        and the fishermen sorted their catch on the pier while the gulls waited. \
        Nobody spoke about the storm that was coming, but everyone had seen the sky.";
        let file = upload_speech(&app, token, text).await;
        // Whisper without `word_timestamps`; SRT and WebVTT exports downstream.
        let graph = json!({
            "nodes": [
                {"id": "src", "type": "audio.decode"},
                {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"model": "tiny.en", "language": "en"}}},
                {"id": "srt", "type": "export.subtitles", "data": {"params": {"format": "srt"}}},
                {"id": "vtt", "type": "export.subtitles", "data": {"params": {"format": "vtt", "max_line_length": 32}}}
            ],
            "edges": [
                {"id": "a", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
                {"id": "b", "source": "asr", "sourceHandle": "transcript", "target": "srt", "targetHandle": "transcript"},
                {"id": "c", "source": "asr", "sourceHandle": "transcript", "target": "vtt", "targetHandle": "transcript"}
            ]
        });
        let id = submit(&app, token, graph, &file).await;
        let job = wait_for(&app, token, &id, |_| false).await;
        assert_eq!(job["status"], "succeeded", "{job}");
        let transcript: Value =
            serde_json::from_str(&artifact(&app, token, &id, "asr.transcript.json").await)
                .expect("json");
        let words: Vec<&Value> = transcript["segments"]
            .as_array()
            .expect("segments")
            .iter()
            .flat_map(|s| s["words"].as_array().expect("word timings computed").iter())
            .collect();
        assert!(words.len() >= 30, "{transcript}");
        for (name, max_line) in [("srt.file.srt", 42), ("vtt.file.vtt", 32)] {
            let subs = artifact(&app, token, &id, name).await;
            assert_eq!(
                subtitle_words(&subs),
                transcript_words(&transcript),
                "{subs}"
            );
            // Each cue starts with its first word (cue times come from the words) and no
            // line is longer than the export allows.
            let mut k = 0;
            for cue in parse_subtitles(&subs) {
                let first = words[k]["start"].as_f64().expect("start");
                assert!(
                    (cue.start - first).abs() <= 0.1,
                    "{name}: {cue:?} vs word {}",
                    words[k]
                );
                assert!(
                    cue.lines.iter().all(|l| l.chars().count() <= max_line),
                    "{cue:?}"
                );
                k += cue.words().split_whitespace().count();
            }
            assert_eq!(k, words.len());
        }
    }
);
