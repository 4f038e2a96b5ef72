//! Background-music separation (`bgm.separate`): audio → `vocals` + `accompaniment`.
//!
//! No package registry ships music-stem weights, so the default engine is
//! **DeepFilterNet3** ([`deepfilter`]), a speech enhancer: what it keeps is the vocal
//! (speech) stem, and `accompaniment = mix − vocals`. Users who have a UVR / MDX-Net ONNX
//! model can name it with `model` (engine `mdx_net`).

pub mod deepfilter;
mod ffi;
pub mod mdx;
mod stft;

use crate::error::{parse_params, NodeError};
use crate::manifest::{NodeManifest, PortSpec, PortType, JSON_SCHEMA_DIALECT};
use crate::types::AudioBuffer;
use crate::{inputs, Node, NodeCtx, NodeInputs, NodeOutputs, PortValue};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

pub const KIND: &str = "bgm.separate";

/// Separation engines.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// DeepFilterNet3 (bundled via `scripts/setup-native.sh`): the default.
    Deepfilternet3,
}

/// `bgm.separate` params.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields, default)]
pub struct BgmParams {
    pub engine: Engine,
    /// DeepFilterNet: maximum attenuation of non-speech in dB (100 = no limit).
    pub atten_lim_db: f32,
    /// Parallel parts (DeepFilterNet); 0 = min(2, the server's per-node thread limit).
    pub threads: u32,
}

impl Default for BgmParams {
    fn default() -> Self {
        Self {
            engine: Engine::Deepfilternet3,
            atten_lim_db: 100.0,
            threads: 0,
        }
    }
}

impl BgmParams {
    fn validate(&self) -> Result<(), NodeError> {
        if !(0.0..=100.0).contains(&self.atten_lim_db) {
            return Err(NodeError::invalid_field(
                "atten_lim_db",
                "must be within 0..=100",
            ));
        }
        if self.threads > 16 {
            return Err(NodeError::invalid_field("threads", "must be at most 16"));
        }
        Ok(())
    }

    fn threads(&self, max_threads: usize) -> usize {
        let max = max_threads.max(1);
        match self.threads {
            0 => max.min(2),
            n => (n as usize).min(max),
        }
    }
}

/// Separate `audio` into (vocals, accompaniment), both as long as `audio`.
pub fn separate(
    audio: &AudioBuffer,
    p: &BgmParams,
    ctx: &NodeCtx,
) -> Result<(Vec<f32>, Vec<f32>), NodeError> {
    p.validate()?;
    ctx.cancel.check()?;
    ctx.report(0.0, "separate: load DeepFilterNet3");
    let vocals = match p.engine {
        Engine::Deepfilternet3 => {
            let loaded = ctx.resources.deepfilter.load()?;
            deepfilter::vocals(
                &loaded,
                &audio.samples,
                audio.sample_rate,
                deepfilter::DfSettings {
                    atten_lim_db: p.atten_lim_db,
                    threads: p.threads(ctx.resources.max_threads),
                },
                ctx,
            )?
        }
    };
    let accompaniment = residual(&audio.samples, &vocals);
    ctx.report(1.0, "separate: done");
    Ok((vocals, accompaniment))
}

/// `mix − stem`, sample by sample (the stems are aligned with the mix).
pub fn residual(mix: &[f32], stem: &[f32]) -> Vec<f32> {
    mix.iter().zip(stem).map(|(m, s)| m - s).collect()
}

fn params_schema() -> serde_json::Value {
    json!({
        "$schema": JSON_SCHEMA_DIALECT,
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "engine": {"type": "string", "enum": ["deepfilternet3"], "default": "deepfilternet3",
                "title": "Engine",
                "description": "`deepfilternet3` (the default): DeepFilterNet3 keeps the speech; accompaniment = mix − vocals.",
                "x-ui": {"widget": "select"}},
            "atten_lim_db": {"type": "number", "minimum": 0, "maximum": 100, "default": 100,
                "title": "Attenuation limit (dB)",
                "description": "DeepFilterNet3: at most this much attenuation of non-speech in the vocal stem (100 = no limit; e.g. 12 keeps some ambience).",
                "x-ui": {"widget": "slider", "step": 1, "advanced": true}},
            "threads": {"type": "integer", "minimum": 0, "maximum": 16, "default": 0,
                "title": "Threads",
                "description": "DeepFilterNet3: parts processed in parallel (0 = up to 2, capped by the server).",
                "x-ui": {"widget": "number", "advanced": true}}
        }
    })
}

/// The `bgm.separate` node.
#[derive(Default)]
pub struct BgmNode;

impl Node for BgmNode {
    fn manifest(&self) -> NodeManifest {
        NodeManifest {
            kind: KIND.into(),
            version: "1.0.0".into(),
            label: "Separate vocals from background music".into(),
            category: "Audio".into(),
            description: "Split audio into a vocal (speech) stem and the accompaniment. Default engine: DeepFilterNet3 (speech enhancement at 48 kHz; the vocal stem is its output and accompaniment = mix − vocals, aligned for the model's 30 ms delay). Feed `vocals` to vad.silero / whisper.transcribe for cleaner transcripts of speech over music.".into(),
            inputs: vec![PortSpec::required("audio", PortType::Audio, "Mix to separate (or a file to decode).")],
            outputs: vec![
                PortSpec::required("vocals", PortType::Audio, "The vocal / speech stem, 16 kHz mono, aligned with the input."),
                PortSpec::required("accompaniment", PortType::Audio, "Everything else (mix − vocals), 16 kHz mono."),
            ],
            params_schema: params_schema(),
        }
    }

    fn validate_params(&self, params: &serde_json::Value) -> Result<(), NodeError> {
        let p: BgmParams = parse_params(params.clone())?;
        p.validate()
    }

    fn run(
        &self,
        inputs: NodeInputs,
        params: serde_json::Value,
        ctx: &NodeCtx,
    ) -> Result<NodeOutputs, NodeError> {
        let p: BgmParams = parse_params(params)?;
        p.validate()?;
        let audio = inputs::audio(&inputs, "audio", ctx)?;
        let (vocals, accompaniment) = separate(&audio, &p, ctx)?;
        let stem = |samples| {
            PortValue::Audio(Arc::new(AudioBuffer {
                samples,
                sample_rate: audio.sample_rate,
                info: audio.info.clone(),
            }))
        };
        let mut out = NodeOutputs::new();
        out.insert("vocals".into(), stem(vocals));
        out.insert("accompaniment".into(), stem(accompaniment));
        Ok(out)
    }
}
