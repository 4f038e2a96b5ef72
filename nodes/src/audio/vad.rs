//! Voice activity detection (`vad.silero`) with whisper.cpp's built-in Silero VAD.
//!
//! The VAD context always runs with **1 thread**: with 2+ threads whisper.cpp's VAD was
//! ~1000x slower on our 2-core machines (0.05 s vs 47 s for 15 s of audio).

use crate::asr::whisper::{installed_models, validate_model_name};
use crate::error::{parse_params, NodeError, NodeErrorKind};
use crate::manifest::{NodeManifest, PortSpec, PortType, JSON_SCHEMA_DIALECT};
use crate::types::{AudioBuffer, Region, SpeechRegions};
use crate::{inputs, Node, NodeCtx, NodeInputs, NodeOutputs, PortValue};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::{Path, PathBuf};
use whisper_rs::{WhisperVadContext, WhisperVadContextParams, WhisperVadParams};

pub const KIND: &str = "vad.silero";

/// `vad.silero` params.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields, default)]
pub struct VadParams {
    /// Catalog name: `silero` (any installed version) or e.g. `silero-v6.2.3`.
    pub model: String,
    pub threshold: f32,
    pub min_speech_ms: u32,
    pub min_silence_ms: u32,
    /// Split speech longer than this (seconds); `null` = no limit.
    pub max_speech_s: Option<f32>,
    pub speech_pad_ms: u32,
}

impl Default for VadParams {
    fn default() -> Self {
        Self {
            model: "silero".into(),
            threshold: 0.5,
            min_speech_ms: 250,
            min_silence_ms: 100,
            max_speech_s: None,
            speech_pad_ms: 30,
        }
    }
}

impl VadParams {
    fn validate(&self) -> Result<(), NodeError> {
        validate_model_name("model", &self.model)?;
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(NodeError::invalid_field(
                "threshold",
                "must be within 0..=1",
            ));
        }
        if let Some(m) = self.max_speech_s {
            if m.is_nan() || m < 1.0 {
                return Err(NodeError::invalid_field(
                    "max_speech_s",
                    "must be at least 1 second (or null)",
                ));
            }
        }
        for (field, v) in [
            ("min_speech_ms", self.min_speech_ms),
            ("min_silence_ms", self.min_silence_ms),
            ("speech_pad_ms", self.speech_pad_ms),
        ] {
            if v > 60_000 {
                return Err(NodeError::invalid_field(field, "must be at most 60000 ms"));
            }
        }
        Ok(())
    }
}

/// Resolve a Silero catalog name to `ggml-<name>.bin` (`silero` = newest installed).
pub fn resolve_vad_model(models_dir: &Path, name: &str) -> Result<PathBuf, NodeError> {
    validate_model_name("model", name)?;
    let exact = models_dir.join(format!("ggml-{name}.bin"));
    if exact.is_file() {
        return Ok(exact);
    }
    if name == "silero" {
        if let Some(newest) = installed_models(models_dir, "silero-")
            .into_iter()
            .next_back()
        {
            return Ok(models_dir.join(format!("ggml-{newest}.bin")));
        }
    }
    Err(NodeError::new(
        NodeErrorKind::ModelNotFound,
        format!(
            "VAD model `{name}` is not installed (looked for ggml-{name}.bin in {}); installed: [{}]",
            models_dir.display(),
            installed_models(models_dir, "silero").join(", ")
        ),
    ))
}

/// Run Silero VAD over `audio`.
pub fn detect(
    audio: &AudioBuffer,
    p: &VadParams,
    ctx: &NodeCtx,
) -> Result<SpeechRegions, NodeError> {
    p.validate()?;
    ctx.cancel.check()?;
    let path = resolve_vad_model(&ctx.resources.models_dir, &p.model)?;
    whisper_rs::install_logging_hooks();
    let mut cparams = WhisperVadContextParams::new();
    cparams.set_n_threads(1);
    cparams.set_use_gpu(false);
    let path_str = path
        .to_str()
        .ok_or_else(|| NodeError::new(NodeErrorKind::ModelLoad, "model path is not UTF-8"))?;
    ctx.report(0.05, "vad: load model");
    let mut vctx = WhisperVadContext::new(path_str, cparams).map_err(|e| {
        NodeError::new(
            NodeErrorKind::ModelLoad,
            format!("cannot load VAD model {}: {e}", path.display()),
        )
    })?;
    let mut vp = WhisperVadParams::new();
    vp.set_threshold(p.threshold);
    vp.set_min_speech_duration(p.min_speech_ms as i32);
    vp.set_min_silence_duration(p.min_silence_ms as i32);
    vp.set_max_speech_duration(p.max_speech_s.unwrap_or(f32::MAX));
    vp.set_speech_pad(p.speech_pad_ms as i32);
    let duration = audio.duration_secs();
    let mut regions: Vec<Region> = Vec::new();
    if !audio.samples.is_empty() {
        // Run in 10-minute blocks so cancellation and progress work on long audio.
        let block = 600 * audio.sample_rate as usize;
        let n_blocks = audio.samples.len().div_ceil(block);
        for (bi, chunk) in audio.samples.chunks(block).enumerate() {
            ctx.cancel.check()?;
            let offset = (bi * block) as f64 / audio.sample_rate as f64;
            let segs = vctx
                .segments_from_samples(vp, chunk)
                .map_err(|e| NodeError::inference(format!("VAD failed: {e}")))?;
            for s in segs {
                // whisper-rs reports centiseconds.
                let start = offset + s.start as f64 / 100.0;
                let end = (offset + s.end as f64 / 100.0).min(duration);
                if end <= start {
                    continue;
                }
                match regions.last_mut() {
                    // Merge regions touching across a block boundary.
                    Some(last) if start <= last.end + 1e-3 => last.end = last.end.max(end),
                    _ => regions.push(Region { start, end }),
                }
            }
            ctx.report(0.1 + 0.9 * (bi + 1) as f32 / n_blocks as f32, "vad: detect");
        }
    }
    for r in &mut regions {
        r.start = (r.start * 1000.0).round() / 1000.0;
        r.end = (r.end * 1000.0).round() / 1000.0;
    }
    let speech: f64 = regions.iter().map(|r| r.end - r.start).sum();
    Ok(SpeechRegions {
        regions,
        speech_ratio: if duration > 0.0 {
            (speech / duration).clamp(0.0, 1.0)
        } else {
            0.0
        },
        duration: (duration * 1000.0).round() / 1000.0,
    })
}

fn params_schema() -> serde_json::Value {
    json!({
        "$schema": JSON_SCHEMA_DIALECT,
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "model": {"type": "string", "default": "silero", "title": "Model",
                "description": "`silero` (newest installed) or a file name stem such as `silero-v6.2.3`.",
                "x-ui": {"widget": "model-select", "advanced": true}},
            "threshold": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.5,
                "title": "Speech threshold", "description": "Frames with speech probability above this count as speech.",
                "x-ui": {"widget": "slider", "step": 0.05}},
            "min_speech_ms": {"type": "integer", "minimum": 0, "maximum": 60000, "default": 250,
                "title": "Min speech (ms)", "description": "Drop speech shorter than this.",
                "x-ui": {"widget": "number", "advanced": true}},
            "min_silence_ms": {"type": "integer", "minimum": 0, "maximum": 60000, "default": 100,
                "title": "Min silence (ms)", "description": "Silence must last this long to end a region.",
                "x-ui": {"widget": "number", "advanced": true}},
            "max_speech_s": {"type": ["number", "null"], "minimum": 1, "default": null,
                "title": "Max speech (s)", "description": "Split regions longer than this (null = no limit).",
                "x-ui": {"widget": "number", "advanced": true}},
            "speech_pad_ms": {"type": "integer", "minimum": 0, "maximum": 60000, "default": 30,
                "title": "Speech padding (ms)", "description": "Padding added on both sides of each region.",
                "x-ui": {"widget": "number", "advanced": true}}
        }
    })
}

/// The `vad.silero` node.
#[derive(Default)]
pub struct VadNode;

impl Node for VadNode {
    fn manifest(&self) -> NodeManifest {
        NodeManifest {
            kind: KIND.into(),
            version: "1.0.0".into(),
            label: "Voice activity detection (Silero)".into(),
            category: "Speech".into(),
            description: "Find the stretches of speech in audio with Silero VAD (whisper.cpp). Feed the regions to whisper.transcribe to skip silence.".into(),
            inputs: vec![PortSpec::required("audio", PortType::Audio, "Audio to analyse (or a file to decode).")],
            outputs: vec![PortSpec::required("speech_regions", PortType::SpeechRegions, "Speech regions in seconds.")],
            params_schema: params_schema(),
        }
    }

    fn validate_params(&self, params: &serde_json::Value) -> Result<(), NodeError> {
        let p: VadParams = parse_params(params.clone())?;
        p.validate()
    }

    fn availability(
        &self,
        resources: &crate::NodeResources,
        params: &serde_json::Value,
    ) -> Result<(), NodeError> {
        let p: VadParams = parse_params(params.clone())?;
        resolve_vad_model(resources.models_dir(), &p.model).map(|_| ())
    }

    fn run(
        &self,
        inputs: NodeInputs,
        params: serde_json::Value,
        ctx: &NodeCtx,
    ) -> Result<NodeOutputs, NodeError> {
        let p: VadParams = parse_params(params)?;
        p.validate()?;
        let audio = inputs::audio(&inputs, "audio", ctx)?;
        let regions = detect(&audio, &p, ctx)?;
        let mut out = NodeOutputs::new();
        out.insert("speech_regions".into(), PortValue::SpeechRegions(regions));
        Ok(out)
    }
}
