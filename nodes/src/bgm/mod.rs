//! Background-music separation (`bgm.separate`): audio → `vocals` + `accompaniment`.
//!
//! No package registry ships music-stem weights, so the default engine is
//! **DeepFilterNet3** ([`deepfilter`]), a speech enhancer: what it keeps is the vocal
//! (speech) stem, and `accompaniment = mix − vocals`. Users who have a UVR / MDX-Net ONNX
//! model can name it with `model` (engine `mdx_net`, run with ONNX Runtime; see [`mdx`]).

pub mod deepfilter;
mod ffi;
pub mod mdx;
mod stft;

use crate::error::{parse_params, NodeError, NodeErrorKind};
use crate::manifest::{NodeManifest, PortSpec, PortType, JSON_SCHEMA_DIALECT};
use crate::types::AudioBuffer;
use crate::{inputs, Node, NodeCtx, NodeInputs, NodeOutputs, PortValue};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const KIND: &str = "bgm.separate";

/// Separation engines.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// DeepFilterNet3 (bundled via `scripts/setup-native.sh`): the default.
    Deepfilternet3,
    /// A user-supplied UVR / MDX-Net ONNX model (`model`), through ONNX Runtime.
    MdxNet,
}

/// What an MDX-Net model outputs; the other stem is mix − it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ModelStem {
    Instrumental,
    Vocals,
}

/// `bgm.separate` params.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields, default)]
pub struct BgmParams {
    pub engine: Engine,
    /// DeepFilterNet: maximum attenuation of non-speech in dB (100 = no limit).
    pub atten_lim_db: f32,
    /// Parallel parts (DeepFilterNet) or ONNX Runtime threads (MDX-Net); 0 = min(2, the
    /// server's per-node thread limit).
    pub threads: u32,
    /// MDX-Net: an `.onnx` file name in the models dir.
    pub model: Option<String>,
    /// MDX-Net: the model's STFT size.
    pub n_fft: u32,
    /// MDX-Net: which stem the model outputs.
    pub model_stem: ModelStem,
}

impl Default for BgmParams {
    fn default() -> Self {
        Self {
            engine: Engine::Deepfilternet3,
            atten_lim_db: 100.0,
            threads: 0,
            model: None,
            n_fft: 6144,
            model_stem: ModelStem::Instrumental,
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
        if !self.n_fft.is_multiple_of(2) || !(512..=16384).contains(&self.n_fft) {
            return Err(NodeError::invalid_field(
                "n_fft",
                "must be an even number within 512..=16384 (UVR MDX-Net: 6144 or 7680)",
            ));
        }
        match (&self.engine, &self.model) {
            (Engine::MdxNet, None) => Err(NodeError::invalid_field(
                "model",
                "engine `mdx_net` needs `model`: an .onnx file name in the models directory",
            )),
            (Engine::MdxNet, Some(m)) => validate_model_file(m),
            (Engine::Deepfilternet3, Some(_)) => Err(NodeError::invalid_field(
                "model",
                "only engine `mdx_net` takes a model file (DeepFilterNet3 is built in); set `engine: \"mdx_net\"`",
            )),
            (Engine::Deepfilternet3, None) => Ok(()),
        }
    }

    fn threads(&self, max_threads: usize) -> usize {
        let max = max_threads.max(1);
        match self.threads {
            0 => max.min(2),
            n => (n as usize).min(max),
        }
    }
}

/// A model file name: `<name>.onnx`, no directories.
fn validate_model_file(name: &str) -> Result<(), NodeError> {
    let ok = name.ends_with(".onnx")
        && name.len() > 5
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-+ ()".contains(c));
    if ok {
        Ok(())
    } else {
        Err(NodeError::invalid_field(
            "model",
            "must be an .onnx file name in the models directory (letters, digits, `._-+ ()`; no paths)",
        ))
    }
}

/// `<models_dir>/<model>`, or `ModelNotFound`.
fn mdx_model_path(models_dir: &Path, model: &str) -> Result<PathBuf, NodeError> {
    let path = models_dir.join(model);
    if path.is_file() {
        return Ok(path);
    }
    Err(NodeError::new(
        NodeErrorKind::ModelNotFound,
        format!(
            "MDX-Net model `{model}` is not in the models directory ({})",
            models_dir.display()
        ),
    ))
}

/// The model stem of `audio` from a user-supplied MDX-Net model.
fn mdx_stem(
    audio: &AudioBuffer,
    p: &BgmParams,
    model: &str,
    ctx: &NodeCtx,
) -> Result<Vec<f32>, NodeError> {
    let path = mdx_model_path(&ctx.resources.models_dir, model)?;
    let mut session = ctx
        .resources
        .onnx
        .session(&path, p.threads(ctx.resources.max_threads))?;
    let dims = |outlet: Option<&ort::value::Outlet>| -> Vec<i64> {
        outlet
            .and_then(|o| o.dtype().tensor_shape())
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    };
    let (input_dims, output_dims) = (
        dims(session.inputs().first()),
        dims(session.outputs().first()),
    );
    let shape = mdx::check_shapes(&input_dims, &output_dims, p.n_fft as usize).map_err(|why| {
        NodeError::new(
            NodeErrorKind::ModelLoad,
            format!("`{model}` is not a usable MDX-Net model: {why}"),
        )
    })?;
    let mut infer = |input: Vec<f32>| -> Result<Vec<f32>, NodeError> {
        let tensor = ort::value::Tensor::from_array((
            [1usize, 4, shape.dim_f, shape.dim_t],
            input.into_boxed_slice(),
        ))
        .map_err(|e| crate::onnx::inference_error("MDX-Net input", e))?;
        let outputs = session
            .run(ort::inputs![tensor])
            .map_err(|e| crate::onnx::inference_error("MDX-Net model", e))?;
        let (_, data) = outputs[0]
            .try_extract_tensor::<f32>()
            .map_err(|e| crate::onnx::inference_error("MDX-Net output", e))?;
        Ok(data.to_vec())
    };
    mdx::stem(&audio.samples, audio.sample_rate, shape, &mut infer, ctx)
}

/// Separate `audio` into (vocals, accompaniment), both as long as `audio`.
pub fn separate(
    audio: &AudioBuffer,
    p: &BgmParams,
    ctx: &NodeCtx,
) -> Result<(Vec<f32>, Vec<f32>), NodeError> {
    p.validate()?;
    ctx.cancel.check()?;
    ctx.report(0.0, "separate: load model");
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
        Engine::MdxNet => {
            let model = p.model.as_deref().unwrap_or_default();
            let stem = mdx_stem(audio, p, model, ctx)?;
            match p.model_stem {
                ModelStem::Vocals => stem,
                ModelStem::Instrumental => residual(&audio.samples, &stem),
            }
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
            "engine": {"type": "string", "enum": ["deepfilternet3", "mdx_net"], "default": "deepfilternet3",
                "title": "Engine",
                "description": "`deepfilternet3` (the default, built in): DeepFilterNet3 keeps the speech; accompaniment = mix − vocals. `mdx_net`: your own UVR / MDX-Net ONNX model named by `model`.",
                "x-ui": {"widget": "select"}},
            "model": {"type": ["string", "null"], "default": null, "title": "MDX-Net model",
                "description": "engine `mdx_net` only: an .onnx file in the models directory, e.g. `UVR-MDX-NET-Inst_HQ_3.onnx`. Expected tensors: input [batch, 4, dim_f, dim_t] float32 (left-re, left-im, right-re, right-im of a 44.1 kHz STFT, hop 1024; dim_f ≤ n_fft/2+1 and dim_t fixed in the model, e.g. 3072 × 256), output the same shape (the spectrum of `model_stem`). Checked when the model loads.",
                "x-ui": {"widget": "model-select", "advanced": true}},
            "n_fft": {"type": "integer", "minimum": 512, "maximum": 16384, "default": 6144,
                "title": "MDX-Net n_fft", "description": "engine `mdx_net`: the model's STFT size (6144 for most UVR instrumental models, 7680 for e.g. Kim_Vocal_2).",
                "x-ui": {"widget": "number", "advanced": true}},
            "model_stem": {"type": "string", "enum": ["instrumental", "vocals"], "default": "instrumental",
                "title": "MDX-Net output stem", "description": "engine `mdx_net`: what the model outputs; the other stem is mix − it.",
                "x-ui": {"widget": "select", "advanced": true}},
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
            description: "Split audio into a vocal (speech) stem and the accompaniment. The default engine is DeepFilterNet3 (built in; speech enhancement at 48 kHz: the vocal stem is its output and accompaniment = mix − vocals, aligned for the model's 30 ms delay). Engine `mdx_net` runs your own UVR / MDX-Net ONNX model from the models directory (input and output [batch, 4, dim_f, dim_t]: the STFT of 44.1 kHz stereo, n_fft 6144 or 7680, hop 1024). Feed `vocals` to vad.silero / whisper.transcribe for cleaner transcripts of speech over music.".into(),
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

    fn availability(
        &self,
        resources: &crate::NodeResources,
        params: &serde_json::Value,
    ) -> Result<(), NodeError> {
        let p: BgmParams = parse_params(params.clone())?;
        match (p.engine, p.model.as_deref()) {
            (Engine::Deepfilternet3, _) => resources.deepfilter.load().map(|_| ()),
            (Engine::MdxNet, model) => {
                resources.onnx.init()?;
                // Without a model the params are invalid; validation says so.
                model.map_or(Ok(()), |m| {
                    mdx_model_path(&resources.models_dir, m).map(|_| ())
                })
            }
        }
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
