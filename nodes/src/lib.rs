//! Voxflow speech nodes: audio decoding, Silero VAD, Whisper transcription, speaker
//! diarization, background-music separation, transcript translation and subtitle export.
//! Pure processing: no HTTP, no database.
//!
//! Every node kind implements [`Node`]: a [`NodeManifest`] describing its ports and params,
//! and a blocking [`Node::run`] (the service calls it inside `spawn_blocking`). Use
//! [`run_node_catching_panics`] so a panic inside a node becomes that node's error.

pub mod asr;
pub mod audio;
pub mod bgm;
pub mod diarize;
pub mod error;
pub mod export;
pub mod manifest;
pub mod onnx;
pub mod progress;
pub mod registry;
pub mod speakers;
pub mod subtitles;
pub mod translate;
pub mod types;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use asr::whisper::{ModelCache, ModelCacheConfig};
pub use audio::decode::DecodeLimits;
pub use error::{FaultSource, NodeError, NodeErrorKind};
pub use manifest::{NodeManifest, PortSpec, PortType};
pub use progress::{no_progress, CancelToken, ProgressFn};
pub use registry::Registry;
pub use types::*;

/// A value on a port.
///
/// Everything but [`PortValue::Audio`] is serde-serialisable (the service stores outputs as
/// artifacts); serialising `Audio` fails by design (raw audio stays in memory).
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum PortValue {
    #[serde(skip)]
    Audio(Arc<AudioBuffer>),
    SpeechRegions(SpeechRegions),
    Transcript(Transcript),
    SpeakerTurns(SpeakerTurns),
    Text(String),
    File(FileValue),
}

impl PortValue {
    pub fn port_type(&self) -> PortType {
        match self {
            PortValue::Audio(_) => PortType::Audio,
            PortValue::SpeechRegions(_) => PortType::SpeechRegions,
            PortValue::Transcript(_) => PortType::Transcript,
            PortValue::SpeakerTurns(_) => PortType::SpeakerTurns,
            PortValue::Text(_) => PortType::Text,
            PortValue::File(_) => PortType::File,
        }
    }
}

/// Port name → value.
pub type NodeInputs = BTreeMap<String, PortValue>;
/// Port name → value.
pub type NodeOutputs = BTreeMap<String, PortValue>;

/// Shared, long-lived resources: where models are, the model cache, decode limits.
pub struct NodeResources {
    pub models_dir: PathBuf,
    pub whisper_models: ModelCache,
    /// DeepFilterNet3 (`bgm.separate`'s default engine), loaded on first use.
    pub deepfilter: bgm::deepfilter::DeepFilter,
    pub decode_limits: DecodeLimits,
    /// Upper bound on threads any one node may use.
    pub max_threads: usize,
    /// ONNX Runtime, loaded on first use (see [`onnx`]); nodes that need it check
    /// [`onnx::OnnxRuntime::init`].
    pub onnx: onnx::OnnxRuntime,
}

impl NodeResources {
    pub fn new(models_dir: impl Into<PathBuf>) -> Self {
        let models_dir = models_dir.into();
        Self {
            whisper_models: ModelCache::new(models_dir.clone(), ModelCacheConfig::default()),
            models_dir,
            deepfilter: bgm::deepfilter::DeepFilter::new(DEFAULT_DEEPFILTER_DIR),
            decode_limits: DecodeLimits::default(),
            max_threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            onnx: onnx::OnnxRuntime::new(onnx::lib_path_from_env()),
        }
    }

    /// Load ONNX Runtime from `lib_path` instead of `$VOXFLOW_ORT_LIB` / the vendor dir.
    pub fn with_onnx_lib(mut self, lib_path: impl Into<PathBuf>) -> Self {
        self.onnx = onnx::OnnxRuntime::new(lib_path);
        self
    }

    pub fn with_decode_limits(mut self, limits: DecodeLimits) -> Self {
        self.decode_limits = limits;
        self
    }

    /// Where `libdeepfilter.so` and the DeepFilterNet3 model are.
    pub fn with_deepfilter_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.deepfilter = bgm::deepfilter::DeepFilter::new(dir);
        self
    }

    pub fn with_cache_config(mut self, config: ModelCacheConfig) -> Self {
        self.whisper_models = ModelCache::new(self.models_dir.clone(), config);
        self
    }

    pub fn models_dir(&self) -> &Path {
        &self.models_dir
    }

    /// `message` with this server's own paths (models directory, native libraries) replaced
    /// by what they are: node errors name files for the operator's log, but tenants see
    /// them too and have no business knowing the server's layout.
    pub fn scrub_paths(&self, message: &str) -> String {
        let mut paths = [
            (
                self.onnx.lib_path().display().to_string(),
                "the configured ONNX Runtime path",
            ),
            (
                self.deepfilter.dir().display().to_string(),
                "the configured DeepFilterNet directory",
            ),
            (
                self.models_dir.display().to_string(),
                "the models directory",
            ),
        ];
        // Longest first, so a path inside another is replaced whole.
        paths.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        paths
            .iter()
            .filter(|(p, _)| !p.is_empty())
            .fold(message.to_owned(), |m, (p, name)| {
                m.replace(p.as_str(), name)
            })
    }
}

/// What a running node gets besides its inputs and params.
#[derive(Clone)]
pub struct NodeCtx {
    pub progress: ProgressFn,
    pub cancel: CancelToken,
    pub resources: Arc<NodeResources>,
    /// The job's tenant's translation engines (set per job by the service; `None` outside
    /// jobs). Per job rather than in [`NodeResources`] because engines and their keys
    /// belong to a tenant, not to the process.
    pub translators: Option<Arc<dyn translate::TranslatorProvider>>,
    /// A node downstream needs word timestamps on this node's transcript (see
    /// [`Node::needs_word_timing`]): a transcribing node computes them even when its own
    /// params did not ask for words.
    pub word_timing: bool,
}

impl NodeCtx {
    pub fn new(resources: Arc<NodeResources>) -> Self {
        Self {
            progress: no_progress(),
            cancel: CancelToken::new(),
            resources,
            translators: None,
            word_timing: false,
        }
    }

    pub fn with_progress(mut self, progress: ProgressFn) -> Self {
        self.progress = progress;
        self
    }

    pub fn with_cancel(mut self, cancel: CancelToken) -> Self {
        self.cancel = cancel;
        self
    }

    pub fn with_translators(mut self, translators: Arc<dyn translate::TranslatorProvider>) -> Self {
        self.translators = Some(translators);
        self
    }

    pub fn with_word_timing(mut self, word_timing: bool) -> Self {
        self.word_timing = word_timing;
        self
    }

    pub fn report(&self, fraction: f32, message: &str) {
        (self.progress)(fraction.clamp(0.0, 1.0), message);
    }
}

/// One kind of node.
pub trait Node: Send + Sync {
    fn manifest(&self) -> NodeManifest;

    /// Checks `params` without running anything (graph validation calls it before a job
    /// is accepted). Must accept exactly what [`Node::run`] accepts.
    fn validate_params(&self, params: &serde_json::Value) -> Result<(), NodeError>;

    /// Whether this process can run the node with `params` (`null` = the defaults): the
    /// native runtime and model files it needs are there. Cheap (file checks; a runtime is
    /// loaded once). The service refuses jobs that use an unavailable node before queueing
    /// them, and `GET /v1/nodes` reports it for the defaults.
    fn availability(
        &self,
        _resources: &NodeResources,
        _params: &serde_json::Value,
    ) -> Result<(), NodeError> {
        Ok(())
    }

    /// Whether this node, with `params`, needs word timestamps on the transcripts it
    /// receives (subtitle cues are cut and timed from words). The service then runs the
    /// transcribing nodes upstream with [`NodeCtx::word_timing`] set.
    fn needs_word_timing(&self, _params: &serde_json::Value) -> bool {
        false
    }

    /// Run the node. Blocking; call it from a blocking-friendly thread.
    fn run(
        &self,
        inputs: NodeInputs,
        params: serde_json::Value,
        ctx: &NodeCtx,
    ) -> Result<NodeOutputs, NodeError>;
}

/// Run a node, turning a panic inside it into a `Internal`/`Bug` [`NodeError`].
pub fn run_node_catching_panics(
    node: &dyn Node,
    inputs: NodeInputs,
    params: serde_json::Value,
    ctx: &NodeCtx,
) -> Result<NodeOutputs, NodeError> {
    match catch_unwind(AssertUnwindSafe(|| node.run(inputs, params, ctx))) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_owned());
            Err(NodeError::new(
                NodeErrorKind::Internal,
                format!("node `{}` panicked: {what}", node.manifest().kind),
            )
            .with_fault(FaultSource::Bug))
        }
    }
}

/// Input helpers shared by the nodes.
pub(crate) mod inputs {
    use super::*;

    /// The audio on `port`: an [`AudioBuffer`], or a `File` decoded with the ctx's limits.
    pub fn audio(
        inputs: &NodeInputs,
        port: &str,
        ctx: &NodeCtx,
    ) -> Result<Arc<AudioBuffer>, NodeError> {
        match inputs.get(port) {
            Some(PortValue::Audio(a)) => Ok(a.clone()),
            Some(PortValue::File(f)) => Ok(Arc::new(audio::decode::decode_file_value(
                f,
                &ctx.resources.decode_limits,
                &ctx.cancel,
            )?)),
            Some(other) => Err(NodeError::invalid_input(format!(
                "input `{port}` must be audio, got {:?}",
                other.port_type()
            ))),
            None => Err(NodeError::invalid_input(format!(
                "missing required input `{port}`"
            ))),
        }
    }

    pub fn transcript(inputs: &NodeInputs, port: &str) -> Result<Transcript, NodeError> {
        match inputs.get(port) {
            Some(PortValue::Transcript(t)) => Ok(t.clone()),
            Some(other) => Err(NodeError::invalid_input(format!(
                "input `{port}` must be a transcript, got {:?}",
                other.port_type()
            ))),
            None => Err(NodeError::invalid_input(format!(
                "missing required input `{port}`"
            ))),
        }
    }

    pub fn optional_regions(
        inputs: &NodeInputs,
        port: &str,
    ) -> Result<Option<SpeechRegions>, NodeError> {
        match inputs.get(port) {
            Some(PortValue::SpeechRegions(r)) => Ok(Some(r.clone())),
            Some(other) => Err(NodeError::invalid_input(format!(
                "input `{port}` must be speech regions, got {:?}",
                other.port_type()
            ))),
            None => Ok(None),
        }
    }
}

/// Where `scripts/setup-native.sh` puts DeepFilterNet, relative to the working directory.
pub const DEFAULT_DEEPFILTER_DIR: &str = "vendor/deepfilter";

/// Resolve the DeepFilterNet directory: `$VOXFLOW_DEEPFILTER_DIR`, else `default`.
pub fn deepfilter_dir_from_env(default: impl Into<PathBuf>) -> PathBuf {
    std::env::var_os(bgm::deepfilter::DIR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| default.into())
}

/// Resolve the models directory: `$VOXFLOW_MODELS_DIR`, else `default`.
pub fn models_dir_from_env(default: impl Into<PathBuf>) -> PathBuf {
    std::env::var_os("VOXFLOW_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| default.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_values_serialise_except_audio() {
        let v = PortValue::SpeechRegions(SpeechRegions {
            regions: vec![Region {
                start: 0.5,
                end: 1.25,
            }],
            speech_ratio: 0.25,
            duration: 3.0,
        });
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["type"], "speech_regions");
        assert_eq!(json["value"]["regions"][0]["end"], 1.25);
        assert_eq!(serde_json::from_value::<PortValue>(json).unwrap(), v);
        let f = PortValue::File(FileValue {
            name: "a.srt".into(),
            mime: None,
            content: FileContent::Text { text: "x".into() },
        });
        let back: PortValue = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back, f);
        let audio = PortValue::Audio(Arc::new(AudioBuffer {
            samples: vec![0.0; 4],
            sample_rate: TARGET_SAMPLE_RATE,
            info: AudioInfo {
                duration_secs: 0.0,
                sample_rate: 16_000,
                channels: 1,
                codec: "pcm".into(),
            },
        }));
        assert!(serde_json::to_string(&audio).is_err());
        assert_eq!(audio.port_type(), PortType::Audio);
    }

    #[test]
    fn errors_serialise_snake_case() {
        let e = NodeError::new(NodeErrorKind::TooLong, "x");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "too_long");
        assert_eq!(json["fault"], "user");
        assert_eq!(
            NodeError::new(NodeErrorKind::ModelLoad, "y").fault,
            FaultSource::Runtime
        );
    }
}
