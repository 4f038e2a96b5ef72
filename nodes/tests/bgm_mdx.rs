//! `bgm.separate` with engine `mdx_net` through the real ONNX Runtime, on tiny ONNX models
//! this test writes (no UVR / MDX-Net weights are available here): `output = input × k`
//! with MDX-Net's tensor layout, and models with wrong shapes. This verifies the code path
//! (models dir lookup, session, shape checks, STFT → tensor → iSTFT, chunking, alignment,
//! stem assignment) — not separation quality, which needs real MDX-Net weights.

mod common;

use common::onnx::{write_reduce_model, write_scale_model, Dim};
use common::*;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use voxflow_nodes::{
    run_node_catching_panics, AudioBuffer, AudioInfo, NodeCtx, NodeError, NodeErrorKind,
    NodeInputs, NodeOutputs, NodeResources, PortValue, Registry,
};

const F: Dim = Dim::Fixed(2048);
const T: Dim = Dim::Fixed(32);

fn ctx_with_models(dir: &Path) -> NodeCtx {
    let mut r = NodeResources::new(dir).with_onnx_lib(ort_lib());
    r.max_threads = 2;
    NodeCtx::new(Arc::new(r))
}

/// 6.3 s of a 16 kHz two-tone signal.
fn signal() -> Vec<f32> {
    (0..100_800)
        .map(|i| {
            let t = i as f32 / 16_000.0;
            (2.0 * std::f32::consts::PI * 180.0 * t).sin() * 0.3
                + (2.0 * std::f32::consts::PI * 2500.0 * t).sin() * 0.1
        })
        .collect()
}

fn run(dir: &Path, params: serde_json::Value) -> Result<NodeOutputs, NodeError> {
    let samples = signal();
    let info = audio_info(&samples);
    let mut inputs = NodeInputs::new();
    inputs.insert(
        "audio".into(),
        PortValue::Audio(Arc::new(AudioBuffer {
            samples,
            sample_rate: 16_000,
            info,
        })),
    );
    let node = Registry::new().get("bgm.separate").unwrap();
    run_node_catching_panics(node.as_ref(), inputs, params, &ctx_with_models(dir))
}

fn stem(out: &NodeOutputs, port: &str) -> Vec<f32> {
    match &out[port] {
        PortValue::Audio(a) => a.samples.clone(),
        other => panic!("{other:?}"),
    }
}

/// Max |a − k·b| away from the first and last 20 ms.
fn max_err(a: &[f32], b: &[f32], k: f32) -> f32 {
    assert_eq!(a.len(), b.len());
    a[320..a.len() - 320]
        .iter()
        .zip(&b[320..])
        .map(|(x, y)| (x - k * y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn identity_model_returns_the_mix_as_its_stem() {
    let dir = tempfile::tempdir().unwrap();
    write_scale_model(
        &dir.path().join("identity.onnx"),
        &[Dim::Dynamic("batch"), Dim::Fixed(4), F, T],
        &[Dim::Dynamic("batch"), Dim::Fixed(4), F, T],
        1.0,
    );
    let x = signal();
    let out = run(
        dir.path(),
        json!({"engine": "mdx_net", "model": "identity.onnx", "model_stem": "vocals"}),
    )
    .unwrap_or_else(|e| panic!("{e} (run scripts/setup-native.sh first)"));
    let (v, a) = (stem(&out, "vocals"), stem(&out, "accompaniment"));
    let e = max_err(&v, &x, 1.0);
    println!("identity model: max |vocals − mix| = {e:.4}");
    assert!(e < 0.02, "{e}");
    assert!(max_err(&a, &x, 0.0) < 0.02);
}

#[test]
fn model_stem_decides_which_output_is_the_model_s() {
    let dir = tempfile::tempdir().unwrap();
    let shape = [Dim::Fixed(1), Dim::Fixed(4), F, T];
    write_scale_model(&dir.path().join("quarter.onnx"), &shape, &shape, 0.25);
    let x = signal();
    // Instrumental model: accompaniment = 0.25·mix, vocals = the rest.
    let out = run(
        dir.path(),
        json!({"engine": "mdx_net", "model": "quarter.onnx"}),
    )
    .unwrap();
    assert!(max_err(&stem(&out, "accompaniment"), &x, 0.25) < 0.02);
    assert!(max_err(&stem(&out, "vocals"), &x, 0.75) < 0.02);
    let out = run(
        dir.path(),
        json!({"engine": "mdx_net", "model": "quarter.onnx", "model_stem": "vocals", "threads": 1}),
    )
    .unwrap();
    assert!(max_err(&stem(&out, "vocals"), &x, 0.25) < 0.02);
}

#[test]
fn wrong_shapes_are_refused_at_load_with_the_shape_expected() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_scale_model(
        &d.join("two_channels.onnx"),
        &[Dim::Fixed(1), Dim::Fixed(2), F, T],
        &[Dim::Fixed(1), Dim::Fixed(2), F, T],
        1.0,
    );
    write_scale_model(
        &d.join("dynamic_t.onnx"),
        &[Dim::Fixed(1), Dim::Fixed(4), F, Dim::Dynamic("t")],
        &[Dim::Fixed(1), Dim::Fixed(4), F, Dim::Dynamic("t")],
        1.0,
    );
    write_scale_model(
        &d.join("too_many_bins.onnx"),
        &[Dim::Fixed(1), Dim::Fixed(4), Dim::Fixed(3600), T],
        &[Dim::Fixed(1), Dim::Fixed(4), Dim::Fixed(3600), T],
        1.0,
    );
    write_reduce_model(
        &d.join("reduces.onnx"),
        &[Dim::Fixed(1), Dim::Fixed(4), F, T],
        &[Dim::Fixed(1), Dim::Fixed(1), F, T],
        1,
    );
    for (model, n_fft, want) in [
        ("two_channels.onnx", 6144, "dimension 1 must be 4"),
        ("dynamic_t.onnx", 6144, "must be fixed"),
        ("too_many_bins.onnx", 6144, "n_fft/2 + 1 = 3073"),
        (
            "reduces.onnx",
            6144,
            "model output has shape [1, 1, 2048, 32]",
        ),
        ("too_many_bins.onnx", 7680, ""), // fits with n_fft 7680 (3841 bins)
    ] {
        let r = run(
            d,
            json!({"engine": "mdx_net", "model": model, "n_fft": n_fft}),
        );
        if want.is_empty() {
            r.unwrap();
            continue;
        }
        let e = r.unwrap_err();
        println!("{model}: {}", e.message);
        assert_eq!(e.kind, NodeErrorKind::ModelLoad, "{model}: {e}");
        assert!(e.message.contains(want), "{model}: {}", e.message);
        assert!(
            e.message.contains("[batch, 4, dim_f, dim_t]")
                || want.contains("n_fft")
                || want.contains("fixed"),
            "{}",
            e.message
        );
    }
}

#[test]
fn model_params_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let e = run(
        dir.path(),
        json!({"engine": "mdx_net", "model": "absent.onnx"}),
    )
    .unwrap_err();
    assert_eq!(e.kind, NodeErrorKind::ModelNotFound);
    assert!(e.message.contains("absent.onnx"), "{e}");
    let node = Registry::new().get("bgm.separate").unwrap();
    for (params, field) in [
        (json!({"engine": "mdx_net"}), "model"),
        (
            json!({"engine": "mdx_net", "model": "../etc/x.onnx"}),
            "model",
        ),
        (
            json!({"engine": "mdx_net", "model": "weights.bin"}),
            "model",
        ),
        (json!({"model": "a.onnx"}), "model"),
        (
            json!({"engine": "mdx_net", "model": "a.onnx", "n_fft": 6145}),
            "n_fft",
        ),
        (
            json!({"engine": "mdx_net", "model": "a.onnx", "model_stem": "drums"}),
            "model_stem",
        ),
    ] {
        let e = node.validate_params(&params).unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::InvalidParams, "{params}");
        assert!(e.message.contains(field), "{params}: {}", e.message);
    }
    node.validate_params(
        &json!({"engine": "mdx_net", "model": "UVR-MDX-NET-Inst_HQ_3.onnx", "n_fft": 6144}),
    )
    .unwrap();
}

fn audio_info(samples: &[f32]) -> AudioInfo {
    AudioInfo {
        duration_secs: samples.len() as f64 / 16_000.0,
        sample_rate: 16_000,
        channels: 1,
        codec: "pcm".into(),
    }
}
