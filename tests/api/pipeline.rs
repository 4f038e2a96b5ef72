//! The whole speech pipeline as one job, with every real model: audio → BGM separation →
//! VAD → Whisper → diarization → assign speakers → translation (Apertium en→es) →
//! subtitles. The same graph is the example in `docs/pipeline.md` (a test keeps them equal).

use crate::api_test;
use crate::diarize::{artifact, upload};
use crate::jobs::{submit, wait_for};
use serde_json::Value;

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
});
