//! The service's handle on the speech nodes: shared model cache, limits, and the
//! decode → (VAD) → Whisper pipeline used by the OpenAI-compatible endpoints.
//!
//! Node work is blocking and CPU-bound; it runs on tokio's blocking pool, and a panic
//! inside a node becomes that request's error instead of taking the process down.

use crate::config::Settings;
use std::path::PathBuf;
use std::sync::Arc;
use voxflow_nodes::asr::whisper::{self, WhisperParams};
use voxflow_nodes::audio::{decode, vad};
use voxflow_nodes::{
    CancelToken, DecodeLimits, FaultSource, ModelCacheConfig, NodeCtx, NodeError, NodeErrorKind,
    NodeResources, Transcript,
};

pub struct Speech {
    resources: Arc<NodeResources>,
    default_model: String,
    whisper_threads: u32,
    metrics: crate::metrics::TranscriptionMetrics,
}

/// One transcription request, already validated at the HTTP layer.
#[derive(Debug, Clone)]
pub struct TranscribeRequest {
    /// The uploaded file (deleted by the caller afterwards).
    pub path: PathBuf,
    pub whisper: WhisperParams,
    /// Run Silero VAD first and decode only the speech.
    pub vad: bool,
}

impl Speech {
    /// `metrics`: the `voxflow_transcriptions_*` series this updates as it works.
    pub fn new(settings: &Settings, metrics: crate::metrics::TranscriptionMetrics) -> Self {
        let resources = NodeResources::new(settings.models_dir.clone())
            .with_decode_limits(DecodeLimits {
                max_bytes: settings.max_upload_bytes,
                max_duration_secs: settings.max_audio_secs,
            })
            .with_cache_config(ModelCacheConfig {
                max_concurrent_decodes: settings.whisper_concurrency,
            })
            .with_deepfilter_dir(settings.deepfilter_dir.clone())
            .with_onnx_lib(settings.ort_lib.clone());
        Self {
            resources: Arc::new(resources),
            default_model: settings.default_model.clone(),
            whisper_threads: settings.whisper_threads,
            metrics,
        }
    }

    /// Unloads Whisper models unused for `idle`, checking every minute, for as long as the
    /// returned task runs (the caller aborts it at shutdown).
    pub fn spawn_idle_unloader(&self, idle: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let resources = self.resources.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(60).min(idle));
            loop {
                tick.tick().await;
                let resources = resources.clone();
                let unloaded =
                    tokio::task::spawn_blocking(move || resources.whisper_models.unload_idle(idle))
                        .await
                        .unwrap_or(0);
                if unloaded > 0 {
                    tracing::info!(unloaded, "unloaded idle Whisper models");
                }
            }
        })
    }

    /// Loads ONNX Runtime now and logs once whether the nodes that need it can run; the
    /// rest of Voxflow works either way.
    pub fn log_onnx_runtime(&self) {
        let onnx = &self.resources.onnx;
        match onnx.init() {
            Ok(info) => tracing::info!(
                library = %onnx.lib_path().display(), %info,
                "ONNX Runtime loaded: diarization nodes are available"
            ),
            Err(e) => tracing::warn!(
                "{}. Nodes that need it (diarize.pyannote) fail until it is installed; \
                 everything else works.",
                e.message
            ),
        }
    }

    /// Logs whether `bgm.separate`'s default engine (DeepFilterNet3) can run, so a missing
    /// library shows at startup rather than only when a job needs it.
    pub fn log_deepfilter(&self) {
        match self.resources.deepfilter.status() {
            Ok(ready) => tracing::info!("bgm.separate: {ready}"),
            Err(why) => tracing::warn!(
                "bgm.separate's default engine is unavailable (every other node works): {why}"
            ),
        }
    }

    /// The shared node resources (model cache, limits), for the job workers.
    pub fn resources(&self) -> Arc<NodeResources> {
        self.resources.clone()
    }

    pub fn models_dir(&self) -> &std::path::Path {
        self.resources.models_dir()
    }

    /// Maps an API model name to a catalog name: OpenAI's `whisper-1` (and an empty name)
    /// mean the configured default.
    pub fn model_name(&self, requested: &str) -> String {
        match requested.trim() {
            "" | "whisper-1" => self.default_model.clone(),
            other => other.to_string(),
        }
    }

    /// Installed Whisper models, by catalog name (e.g. `tiny.en-q8_0`).
    pub fn installed_whisper_models(&self) -> Vec<String> {
        whisper::installed_models(self.resources.models_dir(), "")
            .into_iter()
            .filter(|m| !m.starts_with("silero"))
            .collect()
    }

    /// Checks that `name` resolves to an installed model file.
    pub fn resolve_model(&self, name: &str) -> Result<PathBuf, NodeError> {
        whisper::resolve_model(self.resources.models_dir(), name)
    }

    /// Decodes the upload, optionally runs VAD, and transcribes. Returns the transcript.
    pub async fn transcribe(&self, mut req: TranscribeRequest) -> Result<Transcript, NodeError> {
        if req.whisper.threads == 0 {
            req.whisper.threads = self.whisper_threads;
        }
        let cancel = CancelToken::new();
        let ctx = NodeCtx::new(self.resources.clone()).with_cancel(cancel.clone());
        // A request whose client went away is dropped mid-await: the guard trips the
        // token, so the decode and Whisper stop at their next checkpoint instead of
        // running to the end for nobody.
        let _stop_if_dropped = CancelOnDrop(cancel);
        let span = tracing::Span::current();
        let metrics = self.metrics.clone();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            metrics.running.inc();
            let out =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_pipeline(&req, &ctx)))
                    .unwrap_or_else(|_| {
                        Err(NodeError::new(
                            NodeErrorKind::Internal,
                            "the transcription pipeline panicked",
                        )
                        .with_fault(FaultSource::Bug))
                    });
            metrics.running.dec();
            if matches!(&out, Err(e) if e.kind == NodeErrorKind::Cancelled) {
                metrics.cancelled.inc();
            }
            out
        })
        .await
        .map_err(|e| NodeError::new(NodeErrorKind::Internal, format!("task failed: {e}")))?
    }
}

/// Cancels its token when dropped (once the work is done, that changes nothing).
struct CancelOnDrop(CancelToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

fn run_pipeline(req: &TranscribeRequest, ctx: &NodeCtx) -> Result<Transcript, NodeError> {
    let audio = decode::decode_path(&req.path, &ctx.resources.decode_limits, &ctx.cancel)?;
    let regions = if req.vad {
        Some(vad::detect(&audio, &vad::VadParams::default(), ctx)?)
    } else {
        None
    };
    whisper::transcribe(&audio, regions.as_ref(), &req.whisper, ctx)
}
