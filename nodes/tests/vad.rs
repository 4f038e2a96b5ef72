//! Silero VAD, alone and feeding Whisper.

mod common;

use common::*;
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;
use voxflow_nodes::audio::decode::decode_path;
use voxflow_nodes::{CancelToken, NodeErrorKind, NodeInputs, PortValue, Registry};

#[test]
fn vad_finds_speech_and_speeds_up_whisper() {
    let dir = tempfile::tempdir().unwrap();
    let wav = long_silence_wav(dir.path());
    let audio = Arc::new(decode_path(&wav, &Default::default(), &CancelToken::new()).unwrap());
    let reg = Registry::new();
    let c = ctx();
    let mut inputs = NodeInputs::new();
    inputs.insert("audio".into(), PortValue::Audio(audio.clone()));

    let t0 = Instant::now();
    let out = reg
        .get("vad.silero")
        .unwrap()
        .run(inputs.clone(), json!({}), &c)
        .unwrap();
    let vad_time = t0.elapsed();
    let PortValue::SpeechRegions(regions) = out["speech_regions"].clone() else {
        panic!()
    };
    println!(
        "VAD {:?} on {:.1} s: {:?} ratio {:.2}",
        vad_time, regions.duration, regions.regions, regions.speech_ratio
    );
    assert!((regions.duration - audio.duration_secs()).abs() < 0.01);
    // Three utterances separated by 8 s of silence: three groups of regions, nothing in the
    // middle of a silence.
    assert!(regions.regions.len() >= 3, "{regions:?}");
    assert!(
        regions.speech_ratio > 0.15 && regions.speech_ratio < 0.6,
        "{regions:?}"
    );
    let first_end = regions
        .regions
        .iter()
        .filter(|r| r.start < 4.0)
        .map(|r| r.end)
        .fold(0.0, f64::max);
    for r in &regions.regions {
        assert!(r.end > r.start && r.end <= regions.duration + 1e-6);
        let mid_silence = first_end + 4.0;
        assert!(
            !(r.start < mid_silence && r.end > mid_silence),
            "region spans silence: {r:?}"
        );
    }
    assert!(regions.regions.windows(2).all(|w| w[0].end <= w[1].start));

    let whisper = reg.get("whisper.transcribe").unwrap();
    let params = json!({"model": "tiny.en", "threads": 2});
    let reference = SILENCE_PARTS.join(" ");
    // Warm the model so both timings exclude loading.
    resources().whisper_models.get("tiny.en").unwrap();

    let t0 = Instant::now();
    let plain = whisper.run(inputs.clone(), params.clone(), &c).unwrap();
    let plain_time = t0.elapsed();
    let mut with_regions = inputs.clone();
    with_regions.insert(
        "speech_regions".into(),
        PortValue::SpeechRegions(regions.clone()),
    );
    let t0 = Instant::now();
    let vadded = whisper.run(with_regions, params, &c).unwrap();
    let vad_whisper_time = t0.elapsed() + vad_time;

    let PortValue::Transcript(tp) = &plain["transcript"] else {
        panic!()
    };
    let PortValue::Transcript(tv) = &vadded["transcript"] else {
        panic!()
    };
    let (wp, wv) = (wer(&reference, &tp.text()), wer(&reference, &tv.text()));
    println!("whisper alone: {plain_time:?} WER {wp:.3} {:?}", tp.text());
    println!(
        "VAD + whisper: {vad_whisper_time:?} WER {wv:.3} {:?}",
        tv.text()
    );
    println!(
        "speedup {:.2}x",
        plain_time.as_secs_f64() / vad_whisper_time.as_secs_f64()
    );
    assert!(wp <= 0.35, "plain WER {wp}");
    assert!(wv <= 0.35, "VAD WER {wv}");
    // Timestamps are on the original timeline: the last utterance starts after both silences.
    let last = tv.segments.last().unwrap();
    assert!(last.start > 16.0, "{:?}", tv.segments);
    assert!((tv.duration - tp.duration).abs() < 1e-9);
    for s in &tv.segments {
        let inside = regions
            .regions
            .iter()
            .any(|r| s.start >= r.start - 0.2 && s.start <= r.end + 0.2);
        assert!(
            inside,
            "segment outside speech: {s:?} {:?}",
            regions.regions
        );
    }
}

#[test]
fn vad_on_silence_gives_no_regions_and_whisper_skips() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("silence.wav");
    sox(&[
        "-n",
        "-r",
        "16000",
        "-c",
        "1",
        "-b",
        "16",
        p.to_str().unwrap(),
        "trim",
        "0",
        "5",
    ]);
    let audio = Arc::new(decode_path(&p, &Default::default(), &CancelToken::new()).unwrap());
    let reg = Registry::new();
    let mut inputs = NodeInputs::new();
    inputs.insert("audio".into(), PortValue::Audio(audio));
    let out = reg
        .get("vad.silero")
        .unwrap()
        .run(inputs.clone(), json!({}), &ctx())
        .unwrap();
    let PortValue::SpeechRegions(r) = out["speech_regions"].clone() else {
        panic!()
    };
    assert!(r.regions.is_empty(), "{r:?}");
    assert_eq!(r.speech_ratio, 0.0);
    inputs.insert("speech_regions".into(), PortValue::SpeechRegions(r));
    let out = reg
        .get("whisper.transcribe")
        .unwrap()
        .run(inputs, json!({"model": "tiny.en"}), &ctx())
        .unwrap();
    let PortValue::Transcript(t) = &out["transcript"] else {
        panic!()
    };
    assert!(t.segments.is_empty());
}

#[test]
fn vad_params_and_model_errors() {
    let reg = Registry::new();
    let node = reg.get("vad.silero").unwrap();
    let audio = Arc::new(voxflow_nodes::AudioBuffer {
        samples: vec![0.0; 16_000],
        sample_rate: 16_000,
        info: voxflow_nodes::AudioInfo {
            duration_secs: 1.0,
            sample_rate: 16_000,
            channels: 1,
            codec: "pcm".into(),
        },
    });
    let mut inputs = NodeInputs::new();
    inputs.insert("audio".into(), PortValue::Audio(audio));
    let e = node
        .run(inputs.clone(), json!({"threshold": 1.5}), &ctx())
        .unwrap_err();
    assert_eq!(e.kind, NodeErrorKind::InvalidParams);
    assert!(e.message.contains("threshold"), "{e}");
    let e = node
        .run(inputs.clone(), json!({"min_silence": 100}), &ctx())
        .unwrap_err();
    assert!(e.message.contains("min_silence"), "{e}");
    let e = node
        .run(inputs, json!({"model": "silero-v9"}), &ctx())
        .unwrap_err();
    assert_eq!(e.kind, NodeErrorKind::ModelNotFound, "{e}");
}
