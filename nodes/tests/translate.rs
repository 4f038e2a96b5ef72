//! `translate.text` with the real Apertium (Debian `apertium` + `apertium-eng-spa`): an
//! English transcript to Spanish, segment by segment, times kept; pairs discovered from
//! what is installed; unknown pairs listed; timeouts and cancellation kill the pipeline.

mod common;

use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use voxflow_nodes::translate::apertium::Apertium;
use voxflow_nodes::translate::{TranslateNode, Translator};
use voxflow_nodes::{
    CancelToken, Node, NodeErrorKind, NodeInputs, PortValue, Segment, Transcript, Word,
};

fn apertium() -> Apertium {
    let a = Apertium::system();
    assert!(
        a.is_installed() && a.mode_names().contains(&"eng-spa".to_string()),
        "these tests need the Debian packages apertium and apertium-eng-spa (see APT_PACKAGES.txt); found {:?}",
        a.mode_names()
    );
    a
}

fn seg(id: u32, start: f64, end: f64, text: &str) -> Segment {
    Segment {
        id,
        start,
        end,
        text: text.into(),
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
        words: Some(vec![Word {
            start,
            end: start + 0.3,
            text: text.split_whitespace().next().unwrap_or("").into(),
            probability: 0.9,
            speaker: None,
        }]),
        speaker: id.is_multiple_of(2).then(|| "SPEAKER_00".to_string()),
    }
}

/// English segments, some cut mid-sentence the way Whisper cuts them.
fn english() -> Transcript {
    Transcript {
        language: "en".into(),
        language_probability: Some(0.98),
        duration: 14.0,
        segments: vec![
            seg(0, 0.0, 2.1, " Good morning, my friends."),
            seg(
                1,
                2.1,
                4.5,
                " The house is very big and the garden is green.",
            ),
            seg(2, 4.5, 6.0, " I have three dogs and a cat."),
            seg(3, 6.0, 7.2, " We went to the"),
            seg(4, 7.2, 9.9, " library yesterday with my brother."),
            seg(5, 9.9, 10.4, " "),
            seg(6, 10.4, 14.0, " Thank you very much."),
        ],
    }
}

fn run(node: &TranslateNode, t: Transcript, params: serde_json::Value) -> Transcript {
    let mut inputs = NodeInputs::new();
    inputs.insert("transcript".into(), PortValue::Transcript(t));
    let out = node.run(inputs, params, &common::ctx()).expect("translate");
    match out.get("transcript") {
        Some(PortValue::Transcript(t)) => t.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn apertium_translates_an_english_transcript_to_spanish_keeping_segments_and_times() {
    let node = TranslateNode::new(Arc::new(apertium()));
    let source = english();
    let started = Instant::now();
    let t = run(&node, source.clone(), json!({"target_language": "es"}));
    eprintln!("7 segments in {:?}", started.elapsed());
    assert_eq!(t.language, "es");
    assert_eq!(t.segments.len(), source.segments.len());
    for (a, b) in t.segments.iter().zip(&source.segments) {
        assert_eq!((a.id, a.start, a.end), (b.id, b.start, b.end));
        assert_eq!(a.speaker, b.speaker);
        assert!(a.words.is_none(), "word timestamps are dropped");
    }
    let texts: Vec<String> = t.segments.iter().map(|s| s.text.to_lowercase()).collect();
    eprintln!("{texts:#?}");
    // Known words, each in its own segment (so segments did not shift).
    let expect: [&[&str]; 7] = [
        &["buenos", "amigos"],
        &["casa", "jardín", "verde"],
        &["tres", "perros", "gato"],
        &["fuimos"],
        &["biblioteca", "ayer", "hermano"],
        &[],
        &["gracias"],
    ];
    for (i, words) in expect.iter().enumerate() {
        for w in *words {
            assert!(
                texts[i].contains(w),
                "segment {i} lacks `{w}`: {:?}",
                texts[i]
            );
        }
    }
    assert_eq!(t.segments[5].text, " ", "blank segments stay blank");
    assert!(!texts
        .iter()
        .any(|s| s.contains("house") || s.contains("dogs")));
}

#[test]
fn apertium_keeps_hundreds_of_segments_aligned_in_one_batch() {
    let a = apertium();
    let texts: Vec<String> = (0..300)
        .map(|i| format!("I see {i} dogs in the garden."))
        .collect();
    let started = Instant::now();
    let out = a
        .translate(&texts, "eng", "spa", &CancelToken::new())
        .expect("translate");
    eprintln!("300 segments in one call: {:?}", started.elapsed());
    assert_eq!(out.len(), 300);
    for (i, o) in out.iter().enumerate() {
        assert!(
            o.contains(&format!(" {i} ")) && o.contains("perros") && o.contains("jardín"),
            "segment {i}: {o}"
        );
    }
}

#[test]
fn apertium_pairs_come_from_the_installed_modes_and_unknown_pairs_list_them() {
    let a = apertium();
    let listed = std::process::Command::new("apertium")
        .arg("-l")
        .output()
        .expect("apertium -l");
    let listed: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut ours = a.mode_names();
    ours.sort();
    let mut theirs = listed.clone();
    theirs.sort();
    assert_eq!(ours, theirs, "the same directions `apertium -l` lists");

    let node = TranslateNode::new(Arc::new(a));
    assert!(node
        .validate_params(&json!({"target_language": "es"}))
        .is_ok());
    assert!(node
        .validate_params(&json!({"source_language": "spa", "target_language": "en-US"}))
        .is_ok());
    let e = node
        .validate_params(&json!({"source_language": "en", "target_language": "fr"}))
        .expect_err("no eng-fra installed");
    assert_eq!(e.kind, NodeErrorKind::InvalidParams);
    assert!(
        e.message.contains("en → fr") && e.message.contains("eng → spa"),
        "{}",
        e.message
    );
    // The manifest advertises the installed pairs.
    let m = node.manifest();
    let pairs = m.params_schema["x-apertium-pairs"]
        .as_array()
        .expect("pairs");
    assert!(pairs.contains(&json!("eng-spa")), "{pairs:?}");
    assert!(m.description.contains("task `translate`"));
    // A transcript in a language no pair translates from fails at run time, listing pairs.
    let mut french = english();
    french.language = "fr".into();
    let mut inputs = NodeInputs::new();
    inputs.insert("transcript".into(), PortValue::Transcript(french));
    let e = node
        .run(inputs, json!({"target_language": "es"}), &common::ctx())
        .expect_err("fr → es");
    assert!(
        e.message.contains("fr → es") && e.message.contains("spa → eng"),
        "{}",
        e.message
    );
}

/// A stand-in `apertium` that starts a child process and hangs, recording the child's pid.
fn hanging_apertium(dir: &std::path::Path) -> (Apertium, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir.join("modes")).unwrap();
    std::fs::write(dir.join("modes/eng-spa.mode"), "").unwrap();
    let pid_file = dir.join("child.pid");
    let script = dir.join("apertium");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nsleep 60 &\necho $! > {}\nwait\n",
            pid_file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (Apertium::discover(&script, dir), pid_file)
}

fn gone(pid_file: &std::path::Path) -> bool {
    let pid = std::fs::read_to_string(pid_file).unwrap_or_default();
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
    // Gone, or a zombie waiting for init to reap it.
    stat.is_empty() || stat.split_whitespace().nth(2) == Some("Z")
}

#[test]
fn a_hung_apertium_times_out_and_its_whole_process_group_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, pid_file) = hanging_apertium(dir.path());
    a.timeout = Duration::from_secs(1);
    let started = Instant::now();
    let e = a
        .translate(&["hello".to_string()], "eng", "spa", &CancelToken::new())
        .expect_err("timeout");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.kind, NodeErrorKind::Inference);
    assert!(e.message.contains("longer than 1 s"), "{}", e.message);
    std::thread::sleep(Duration::from_millis(200));
    assert!(gone(&pid_file), "the pipeline's child survived");
}

#[test]
fn cancelling_stops_apertium_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (a, pid_file) = hanging_apertium(dir.path());
    let cancel = CancelToken::new();
    let c = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        c.cancel();
    });
    let started = Instant::now();
    let e = a
        .translate(&["hello".to_string()], "eng", "spa", &cancel)
        .expect_err("cancelled");
    assert_eq!(e.kind, NodeErrorKind::Cancelled);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(gone(&pid_file), "the pipeline's child survived");
}
