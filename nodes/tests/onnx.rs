//! ONNX Runtime loads from the vendored library and runs the diarization models.

mod common;

use voxflow_nodes::onnx::OnnxRuntime;
use voxflow_nodes::NodeErrorKind;

#[test]
fn runtime_loads_and_runs_pyannote_segmentation() {
    let res = common::resources();
    let info = res.onnx.init().unwrap_or_else(|e| {
        panic!("{e} (run scripts/setup-native.sh before the tests)")
    });
    assert!(!info.is_empty());
    let model = common::models_dir().join("pyannote-segmentation-3.0.onnx");
    let mut session = res.onnx.session(&model, 1).expect("load segmentation model");
    let samples = vec![0f32; 160_000];
    let input = ort::value::TensorRef::from_array_view(([1usize, 1, 160_000], &samples[..]))
        .expect("tensor");
    let outputs = session.run(ort::inputs![input]).expect("run");
    let (shape, data) = outputs[0].try_extract_tensor::<f32>().expect("f32 output");
    // 10 s at 16 kHz → 589 frames × 7 powerset classes (log-probabilities).
    assert_eq!(&shape[..], &[1, 589, 7]);
    let row: f32 = data[..7].iter().map(|l| l.exp()).sum();
    assert!((row - 1.0).abs() < 1e-3, "log-softmax rows sum to 1, got {row}");
}

#[test]
fn a_missing_model_is_model_not_found() {
    let res = common::resources();
    let e = res
        .onnx
        .session(&common::models_dir().join("nope.onnx"), 1)
        .err()
        .expect("missing model");
    assert_eq!(e.kind, NodeErrorKind::ModelNotFound);
}

#[test]
fn a_missing_library_only_fails_onnx_users() {
    let rt = OnnxRuntime::new("/nonexistent/libonnxruntime.so");
    let e = rt.init().unwrap_err();
    assert_eq!(e.kind, NodeErrorKind::RuntimeUnavailable);
    assert!(e.message.contains("VOXFLOW_ORT_LIB"), "{e}");
}
