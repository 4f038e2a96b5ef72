//! Whisper transcription (`whisper.transcribe`) with whisper-rs 0.16 (whisper.cpp, CPU).
//!
//! * Models are resolved by catalog name (`tiny.en`, `base`, `base-q8_0`, …) to
//!   `ggml-<name>.bin` in the models dir; a name without a quantisation suffix may use an
//!   installed quantised variant (`ggml-tiny.en-q8_0.bin`).
//! * [`ModelCache`] loads each model once and shares it (`Arc<WhisperContext>`); a counting
//!   semaphore bounds concurrent decodes; idle models can be unloaded.
//! * With a `speech_regions` input only those regions are decoded (concatenated with short
//!   silences) and every timestamp is mapped back onto the original timeline.
//! * Without one, the **speech gate** (`speech_gate`, on by default) runs Silero VAD over the
//!   audio when its model is installed: audio with no speech at all is not decoded (Whisper
//!   spent 60–150 s per 30 s of noise or music in temperature fallbacks here), and segments
//!   where VAD hears no speech are dropped — Whisper's known hallucinations on music and
//!   noise (base wrote `1 tbps.` over 30 s of chords and drums). Decoding itself still sees
//!   the whole audio, so the words and their times are what they would be without the gate.
//! * Word times come from whisper.cpp's DTW alignment of the text to the audio (alignment-head
//!   presets per model, `dtw_preset`), with pauses between words restored from the signal's
//!   silent frames (`restore_pauses`); whisper.cpp's own token timestamps remain only for
//!   models without a preset. Those are unusable for subtitles in whisper.cpp 1.8.3: its
//!   voice-activity refinement (`whisper_exp_compute_token_level_timestamps`) indexes the
//!   whole input's energy with segment-relative sample positions (ggml-org/whisper.cpp#3230),
//!   so every segment after a window's first is refined against the wrong audio — on the
//!   pyannote phone-call sample the words snapped to whole seconds and speaker turns started
//!   0.9 s early; against the Montreal Forced Aligner's alignments of its test clips 37 % of
//!   word starts were within 100 ms (DTW: 71 %).

use super::callbacks::{full_with_callbacks, Callbacks};
use super::markers;
use crate::error::{parse_params, NodeError, NodeErrorKind};
use crate::manifest::{NodeManifest, PortSpec, PortType, JSON_SCHEMA_DIALECT};
use crate::progress::{CancelToken, Step, Steps};
use crate::types::{AudioBuffer, Region, Segment, SpeechRegions, Transcript, Word};
use crate::{inputs, Node, NodeCtx, NodeInputs, NodeOutputs, PortValue};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

pub const KIND: &str = "whisper.transcribe";

/// Quantisation suffixes tried, in order, for a name given without one.
const QUANT_PREFERENCE: &[&str] = &[
    "q8_0", "q5_1", "q5_0", "q4_1", "q4_0", "q6_k", "q5_k", "q4_k",
];

fn is_quant_suffix(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    s.len() >= 2
        && s.starts_with('q')
        && s[1..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.as_bytes()[1].is_ascii_digit()
}

/// Check a catalog name: letters, digits, `.`, `_`, `-`; no paths.
pub(crate) fn validate_model_name(field: &str, name: &str) -> Result<(), NodeError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(NodeError::invalid_field(
            field,
            format!("`{name}` is not a model name (use e.g. `tiny.en`, `base`, `base-q8_0`)"),
        ))
    }
}

/// Installed model names (`ggml-<name>.bin` → `<name>`), sorted.
pub fn installed_models(models_dir: &Path, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(models_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let stem = n.strip_prefix("ggml-")?.strip_suffix(".bin")?.to_owned();
            stem.starts_with(prefix).then_some(stem)
        })
        .collect();
    v.sort();
    v
}

/// Resolve a Whisper catalog name to a model file.
pub fn resolve_model(models_dir: &Path, name: &str) -> Result<PathBuf, NodeError> {
    validate_model_name("model", name)?;
    let exact = models_dir.join(format!("ggml-{name}.bin"));
    if exact.is_file() {
        return Ok(exact);
    }
    let has_quant = name
        .rsplit_once('-')
        .is_some_and(|(_, q)| is_quant_suffix(q));
    if !has_quant {
        for q in QUANT_PREFERENCE {
            let p = models_dir.join(format!("ggml-{name}-{q}.bin"));
            if p.is_file() {
                return Ok(p);
            }
        }
        // Any other quantised variant.
        if let Some(other) = installed_models(models_dir, &format!("{name}-"))
            .into_iter()
            .find(|m| {
                m[name.len() + 1..].split('-').count() == 1 && is_quant_suffix(&m[name.len() + 1..])
            })
        {
            return Ok(models_dir.join(format!("ggml-{other}.bin")));
        }
    }
    let available: Vec<String> = installed_models(models_dir, "")
        .into_iter()
        .filter(|m| !m.starts_with("silero"))
        .collect();
    Err(NodeError::new(
        NodeErrorKind::ModelNotFound,
        format!(
            "Whisper model `{name}` is not installed (looked for ggml-{name}.bin{} in {}); installed: [{}]",
            if has_quant { "" } else { " and quantised variants" },
            models_dir.display(),
            available.join(", ")
        ),
    ))
}

// ---------------------------------------------------------------------------------------
// Model cache and decode semaphore
// ---------------------------------------------------------------------------------------

/// Model cache settings.
#[derive(Clone, Copy, Debug)]
pub struct ModelCacheConfig {
    /// How many `full()` decodes may run at once across all models.
    pub max_concurrent_decodes: usize,
}

impl Default for ModelCacheConfig {
    fn default() -> Self {
        Self {
            max_concurrent_decodes: 1,
        }
    }
}

struct CacheEntry {
    ctx: Arc<WhisperContext>,
    last_used: Instant,
}

/// Loads each Whisper model once and shares it; bounds concurrent decodes.
pub struct ModelCache {
    models_dir: PathBuf,
    entries: Mutex<HashMap<PathBuf, CacheEntry>>,
    permits: Mutex<usize>,
    permits_cv: Condvar,
    config: ModelCacheConfig,
}

/// A held decode slot; released on drop.
pub struct DecodePermit<'a> {
    cache: &'a ModelCache,
}

impl Drop for DecodePermit<'_> {
    fn drop(&mut self) {
        let mut p = self.cache.permits.lock().unwrap_or_else(|e| e.into_inner());
        *p += 1;
        self.cache.permits_cv.notify_one();
    }
}

impl ModelCache {
    pub fn new(models_dir: PathBuf, config: ModelCacheConfig) -> Self {
        let permits = config.max_concurrent_decodes.max(1);
        Self {
            models_dir,
            entries: Mutex::new(HashMap::new()),
            permits: Mutex::new(permits),
            permits_cv: Condvar::new(),
            config,
        }
    }

    pub fn models_dir(&self) -> &Path {
        &self.models_dir
    }

    pub fn config(&self) -> ModelCacheConfig {
        self.config
    }

    /// The model for catalog `name`, loading it on first use.
    pub fn get(&self, name: &str) -> Result<(PathBuf, Arc<WhisperContext>), NodeError> {
        let path = resolve_model(&self.models_dir, name)?;
        let ctx = self.get_path(&path)?;
        Ok((path, ctx))
    }

    /// The model at `path`, loading it on first use. Holds the cache lock while loading so
    /// that concurrent first uses load it once.
    pub fn get_path(&self, path: &Path) -> Result<Arc<WhisperContext>, NodeError> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = entries.get_mut(path) {
            e.last_used = Instant::now();
            return Ok(e.ctx.clone());
        }
        whisper_rs::install_logging_hooks();
        let mut params = WhisperContextParameters::default();
        params.use_gpu(false);
        // Word times come from the DTW alignment of the text to the audio (see `dtw_words`).
        if let Some(model_preset) = dtw_preset(path) {
            params.dtw_parameters(whisper_rs::DtwParameters {
                mode: whisper_rs::DtwMode::ModelPreset { model_preset },
                ..Default::default()
            });
        }
        let ctx = WhisperContext::new_with_params(path, params).map_err(|e| {
            NodeError::new(
                NodeErrorKind::ModelLoad,
                format!("cannot load Whisper model {}: {e}", path.display()),
            )
        })?;
        let ctx = Arc::new(ctx);
        entries.insert(
            path.to_owned(),
            CacheEntry {
                ctx: ctx.clone(),
                last_used: Instant::now(),
            },
        );
        Ok(ctx)
    }

    /// Paths of loaded models.
    pub fn loaded(&self) -> Vec<PathBuf> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut v: Vec<PathBuf> = entries.keys().cloned().collect();
        v.sort();
        v
    }

    /// Drop models unused for longer than `older_than` and not in use; returns how many.
    pub fn unload_idle(&self, older_than: Duration) -> usize {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let before = entries.len();
        entries.retain(|_, e| e.last_used.elapsed() < older_than || Arc::strong_count(&e.ctx) > 1);
        before - entries.len()
    }

    /// Wait for a decode slot, giving up if `cancel` fires.
    pub fn acquire(&self, cancel: &CancelToken) -> Result<DecodePermit<'_>, NodeError> {
        let mut p = self.permits.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            cancel.check()?;
            if *p > 0 {
                *p -= 1;
                return Ok(DecodePermit { cache: self });
            }
            p = self
                .permits_cv
                .wait_timeout(p, Duration::from_millis(50))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Params
// ---------------------------------------------------------------------------------------

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    Transcribe,
    Translate,
}

/// `whisper.transcribe` params.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields, default)]
pub struct WhisperParams {
    pub model: String,
    pub language: String,
    pub task: Task,
    pub beam_size: u32,
    pub best_of: u32,
    pub temperature: f32,
    pub temperature_increment: f32,
    pub initial_prompt: Option<String>,
    pub word_timestamps: bool,
    pub no_speech_threshold: f32,
    pub max_segment_length: u32,
    pub threads: u32,
    /// Keep whisper.cpp's sound annotations (`[BLANK_AUDIO]`, `[MUSIC]`, `(laughs)`, `♪`).
    /// Off by default: non-speech tokens are suppressed in decoding and any marker that
    /// slips through is removed (see [`super::markers`]).
    pub keep_sound_annotations: bool,
    /// Drop what Whisper writes where Silero VAD hears no speech (when no `speech_regions`
    /// input is given, the VAD model is installed and sound annotations are not kept); see
    /// the module docs.
    pub speech_gate: bool,
}

impl Default for WhisperParams {
    fn default() -> Self {
        Self {
            model: "base".into(),
            language: "auto".into(),
            task: Task::Transcribe,
            beam_size: 1,
            best_of: 5,
            temperature: 0.0,
            temperature_increment: 0.2,
            initial_prompt: None,
            word_timestamps: false,
            no_speech_threshold: 0.6,
            max_segment_length: 0,
            threads: 0,
            keep_sound_annotations: false,
            speech_gate: true,
        }
    }
}

impl WhisperParams {
    fn validate(&self) -> Result<(), NodeError> {
        validate_model_name("model", &self.model)?;
        if self.language != "auto" && whisper_rs::get_lang_id(&self.language).is_none() {
            return Err(NodeError::invalid_field(
                "language",
                format!(
                    "`{}` is not a Whisper language code (use `auto` or e.g. `en`, `de`)",
                    self.language
                ),
            ));
        }
        if !(1..=16).contains(&self.beam_size) {
            return Err(NodeError::invalid_field(
                "beam_size",
                "must be 1..=16 (1 = greedy)",
            ));
        }
        if !(1..=16).contains(&self.best_of) {
            return Err(NodeError::invalid_field("best_of", "must be 1..=16"));
        }
        if !(0.0..=1.0).contains(&self.temperature) {
            return Err(NodeError::invalid_field(
                "temperature",
                "must be within 0..=1",
            ));
        }
        if !(0.0..=1.0).contains(&self.temperature_increment) {
            return Err(NodeError::invalid_field(
                "temperature_increment",
                "must be within 0..=1",
            ));
        }
        if !(0.0..=1.0).contains(&self.no_speech_threshold) {
            return Err(NodeError::invalid_field(
                "no_speech_threshold",
                "must be within 0..=1",
            ));
        }
        if let Some(p) = &self.initial_prompt {
            if p.contains('\0') {
                return Err(NodeError::invalid_field(
                    "initial_prompt",
                    "must not contain NUL",
                ));
            }
            if p.len() > 4096 {
                return Err(NodeError::invalid_field(
                    "initial_prompt",
                    "longer than 4096 bytes",
                ));
            }
        }
        if self.threads > 64 {
            return Err(NodeError::invalid_field(
                "threads",
                "must be 0 (auto) ..= 64",
            ));
        }
        Ok(())
    }
}

/// Every language whisper.cpp knows, as `{value, label}` UI options (with `auto` first), so
/// front ends can offer a list without hard-coding one.
fn language_options() -> Vec<serde_json::Value> {
    let mut options = vec![json!({"value": "auto", "label": "Detect automatically"})];
    for id in 0..=whisper_rs::get_lang_max_id() {
        if let (Some(code), Some(name)) = (
            whisper_rs::get_lang_str(id),
            whisper_rs::get_lang_str_full(id),
        ) {
            options.push(json!({"value": code, "label": format!("{name} ({code})")}));
        }
    }
    options
}

fn params_schema() -> serde_json::Value {
    json!({
        "$schema": JSON_SCHEMA_DIALECT,
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "model": {"type": "string", "default": "base", "title": "Model",
                "description": "Catalog name resolved to ggml-<name>.bin in the models dir (e.g. tiny.en, base, base-q8_0); a name without a quantisation suffix may use an installed quantised file.",
                "pattern": "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$",
                "examples": ["tiny.en", "base", "base-q8_0", "small"],
                "x-ui": {"widget": "model-select"}},
            "language": {"type": "string", "default": "auto", "title": "Language",
                "description": "`auto` to detect, or an ISO 639-1 code (en, de, es…).",
                "x-ui": {"widget": "language-select", "options": language_options()}},
            "task": {"type": "string", "enum": ["transcribe", "translate"], "default": "transcribe",
                "title": "Task", "description": "`translate` outputs English (multilingual models only).",
                "x-ui": {"widget": "select"}},
            "beam_size": {"type": "integer", "minimum": 1, "maximum": 16, "default": 1,
                "title": "Beam size", "description": "1 = greedy decoding; >1 = beam search (slower, often more accurate).",
                "x-ui": {"widget": "number", "advanced": true}},
            "best_of": {"type": "integer", "minimum": 1, "maximum": 16, "default": 5,
                "title": "Best of", "description": "Candidates sampled at temperature > 0 (greedy fallback).",
                "x-ui": {"widget": "number", "advanced": true}},
            "temperature": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.0,
                "title": "Temperature", "x-ui": {"widget": "slider", "step": 0.1, "advanced": true}},
            "temperature_increment": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.2,
                "title": "Temperature increment",
                "description": "Raise the temperature by this on decode failure (0 disables fallback).",
                "x-ui": {"widget": "slider", "step": 0.1, "advanced": true}},
            "initial_prompt": {"type": ["string", "null"], "default": null, "maxLength": 4096,
                "title": "Initial prompt", "description": "Text to prime the decoder (names, spelling, style).",
                "x-ui": {"widget": "textarea", "advanced": true}},
            "word_timestamps": {"type": "boolean", "default": false, "title": "Word timestamps",
                "x-ui": {"widget": "checkbox"}},
            "no_speech_threshold": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.6,
                "title": "No-speech threshold", "x-ui": {"widget": "slider", "step": 0.05, "advanced": true}},
            "max_segment_length": {"type": "integer", "minimum": 0, "default": 0,
                "title": "Max segment length", "description": "Split segments longer than this many characters at word boundaries (0 = no limit).",
                "x-ui": {"widget": "number", "advanced": true}},
            "threads": {"type": "integer", "minimum": 0, "maximum": 64, "default": 0,
                "title": "Threads", "description": "CPU threads (0 = automatic, capped by the server).",
                "x-ui": {"widget": "number", "advanced": true}},
            "keep_sound_annotations": {"type": "boolean", "default": false, "title": "Keep sound annotations",
                "description": "Keep Whisper's non-speech markers such as [BLANK_AUDIO], [MUSIC], (laughs) or ♪ in the transcript. Off: non-speech tokens are suppressed and any marker left is removed, so silence gives an empty transcript.",
                "x-ui": {"widget": "checkbox", "advanced": true}},
            "speech_gate": {"type": "boolean", "default": true, "title": "Speech gate",
                "description": "Without a speech_regions input: run Silero VAD (when installed) and drop text Whisper writes where no one speaks, such as hallucinations over music or noise; audio without speech is not decoded.",
                "x-ui": {"widget": "checkbox", "advanced": true}}
        }
    })
}

// ---------------------------------------------------------------------------------------
// Word timing
// ---------------------------------------------------------------------------------------

/// How late whisper.cpp's DTW token times are, after the one-token shift of [`dtw_words`]:
/// measured with tiny.en against two independent references, the Montreal Forced Aligner's
/// word alignments of its three test clips (word starts +90 ms, ends +120 ms median) and the
/// pyannote sample's hand-made speaker-turn boundaries (turn starts +107 ms). Whisper's audio
/// frames are 20 ms and the alignment is median-filtered over 7 of them, so a lag of a few
/// frames is expected; the benchmark (`scripts/bench-subtitles.sh`) re-measures it.
const DTW_LAG: f64 = 0.1;

/// Word times from whisper.cpp's DTW token times. `ends[k]` is the `t_dtw` of word `k`'s last
/// token, in seconds: whisper.cpp records, for each token, the time the alignment path enters
/// the decoder position that *follows* it (its loop skips the first row, that of the
/// no-timestamps token), so it is about where that token ends, not where it starts (OpenAI's
/// `find_alignment` takes the row entries as token starts). Word `k` thus spans from the end
/// of word `k − 1` to its own end, less [`DTW_LAG`]; the first word of a segment starts at the
/// end of the previous segment's last word (`prev_end`) or the segment's own start, whichever
/// is later.
fn dtw_words(words: &mut [Word], ends: &[f64], prev_end: Option<f64>, seg_start: f64) {
    let ends: Vec<f64> = ends.iter().map(|e| (e - DTW_LAG).max(0.0)).collect();
    for k in 0..words.len().min(ends.len()) {
        let start = match k {
            0 => prev_end.map_or(seg_start, |e| (e - DTW_LAG).max(seg_start)),
            _ => ends[k - 1],
        };
        words[k].start = start.min(ends[k]);
        words[k].end = ends[k];
    }
}

/// 10 ms frames of the decoded audio marked silent: below a level a quarter of the way
/// from the recording's quiet frames (10th percentile, dB) to its loud ones (90th).
struct SilenceFrames {
    silent: Vec<bool>,
}

const FRAME: f64 = 0.01;
/// A pause shorter than this is not looked for between words (stop closures are shorter).
const MIN_PAUSE: f64 = 0.15;
/// A word keeps at least this much of its DTW span.
const MIN_WORD: f64 = 0.03;

impl SilenceFrames {
    fn new(x: &[f32]) -> Self {
        let n = (FRAME * 16_000.0) as usize;
        let db: Vec<f32> = x
            .chunks(n)
            .map(|c| {
                let e = c.iter().map(|v| v * v).sum::<f32>() / c.len() as f32;
                10.0 * (e + 1e-12).log10()
            })
            .collect();
        let mut sorted = db.clone();
        sorted.sort_by(f32::total_cmp);
        let at = |q: f64| {
            sorted
                .get((q * (sorted.len().max(1) - 1) as f64) as usize)
                .copied()
        };
        let thr = match (at(0.1), at(0.9)) {
            (Some(lo), Some(hi)) => lo + 0.25 * (hi - lo),
            _ => f32::NEG_INFINITY,
        };
        Self {
            silent: db.iter().map(|d| *d < thr).collect(),
        }
    }

    fn frame(&self, t: f64) -> usize {
        ((t.max(0.0) / FRAME).round() as usize).min(self.silent.len())
    }

    /// The silent run starting at frame `a`, within `a..b`.
    fn leading_run(&self, a: usize, b: usize) -> Option<(usize, usize)> {
        let b = b.min(self.silent.len());
        let e = (a..b).find(|&k| !self.silent[k]).unwrap_or(b);
        (e > a).then_some((a, e))
    }

    /// The silent run ending at frame `b`, within `a..b`.
    fn trailing_run(&self, a: usize, b: usize) -> Option<(usize, usize)> {
        let b = b.min(self.silent.len());
        let s = (a..b).rev().find(|&k| !self.silent[k]).map_or(a, |k| k + 1);
        (b > s).then_some((s, b))
    }

    /// The longest silent run (start, end frame) in frames `a..b`.
    fn longest_run(&self, a: usize, b: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        let mut k = a;
        while k < b.min(self.silent.len()) {
            if self.silent[k] {
                let s = k;
                while k < b.min(self.silent.len()) && self.silent[k] {
                    k += 1;
                }
                if best.is_none_or(|(x, y)| k - s > y - x) {
                    best = Some((s, k));
                }
            } else {
                k += 1;
            }
        }
        best
    }
}

/// DTW word boundaries are contiguous: a pause between two words is counted into one of
/// them. Where the audio has a silent run of at least [`MIN_PAUSE`] between two words (from
/// [`MIN_WORD`] into the first to [`MIN_WORD`] before the end of the second), the first ends
/// and the second starts at its edges; a silent run of that length at a word's own start or
/// end (the first word of a segment, the last before a pause) is trimmed off it too. Words
/// only shrink: nothing moves into speech.
fn restore_pauses(words: &mut [Word], f: &SilenceFrames) {
    let min_run = (MIN_PAUSE / FRAME).round() as usize;
    let keep = (MIN_WORD / FRAME).round() as usize;
    let t = |k: usize| k as f64 * FRAME;
    let long = |r: &(usize, usize)| r.1 - r.0 >= min_run;
    for k in 0..words.len() {
        if k + 1 < words.len() {
            let a = f.frame(words[k].start) + keep;
            let b = f.frame(words[k + 1].end).saturating_sub(keep);
            if let Some((s, e)) = f.longest_run(a, b).filter(long) {
                words[k].end = words[k].end.min(t(s)).max(words[k].start);
                words[k + 1].start = words[k + 1].start.max(t(e)).min(words[k + 1].end);
            }
        }
        let (a, b) = (f.frame(words[k].start), f.frame(words[k].end));
        if b > a + keep {
            if let Some((_, e)) = f.leading_run(a, b - keep).filter(long) {
                words[k].start = t(e);
            }
        }
        let (a, b) = (f.frame(words[k].start), f.frame(words[k].end));
        if b > a + keep {
            if let Some((s, _)) = f.trailing_run(a + keep, b).filter(long) {
                words[k].end = t(s);
            }
        }
    }
}

/// The DTW alignment-head preset for a model file, when its architecture is a known one.
///
/// The preset names attention heads by layer, so it must fit the weights actually loaded: a
/// preset for more layers than the model has makes whisper.cpp read past its tensors (a
/// segfault of the whole process, seen with a tiny model saved as `ggml-small.en.bin`). The
/// architecture therefore comes from the file's own header; the file name only tells apart
/// the large models whose shapes are identical (v1 and v2). An unreadable header, an unknown
/// shape or an ambiguous one: no DTW (word times then come from the token timestamps).
fn dtw_preset(path: &Path) -> Option<whisper_rs::DtwModelPreset> {
    let dims = ModelDims::read(path)?;
    preset_for(&dims, dtw_preset_by_name(path))
}

/// A ggml Whisper file's hyper-parameters (the header after the `ggml` magic).
#[derive(Debug, Clone, Copy, PartialEq)]
struct ModelDims {
    n_vocab: i32,
    n_audio_layer: i32,
    n_text_state: i32,
    n_text_layer: i32,
    n_mels: i32,
}

impl ModelDims {
    fn read(path: &Path) -> Option<Self> {
        use std::io::Read;
        let mut head = [0u8; 48];
        std::fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
        let word =
            |i: usize| i32::from_le_bytes(head[i * 4..i * 4 + 4].try_into().unwrap_or([0; 4]));
        // Magic "ggml" (0x67676d6c), then n_vocab, n_audio_ctx, n_audio_state, n_audio_head,
        // n_audio_layer, n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype.
        if word(0) as u32 != 0x6767_6d6c {
            return None;
        }
        Some(Self {
            n_vocab: word(1),
            n_audio_layer: word(5),
            n_text_state: word(7),
            n_text_layer: word(9),
            n_mels: word(10),
        })
    }
}

/// The preset whose architecture `dims` has; `by_name` decides between same-shaped ones.
fn preset_for(
    dims: &ModelDims,
    by_name: Option<whisper_rs::DtwModelPreset>,
) -> Option<whisper_rs::DtwModelPreset> {
    use whisper_rs::DtwModelPreset as P;
    // English-only models have a 51,864-token vocabulary; multilingual ones more.
    let en = dims.n_vocab == 51864;
    Some(
        match (dims.n_audio_layer, dims.n_text_layer, dims.n_text_state) {
            (4, 4, 384) if en => P::TinyEn,
            (4, 4, 384) => P::Tiny,
            (6, 6, 512) if en => P::BaseEn,
            (6, 6, 512) => P::Base,
            (12, 12, 768) if en => P::SmallEn,
            (12, 12, 768) => P::Small,
            (24, 24, 1024) if en => P::MediumEn,
            (24, 24, 1024) => P::Medium,
            (32, 4, 1280) if dims.n_mels == 128 => P::LargeV3Turbo,
            (32, 32, 1280) if dims.n_mels == 128 => P::LargeV3,
            (32, 32, 1280) => match by_name {
                Some(p @ (P::LargeV1 | P::LargeV2)) => p,
                _ => return None,
            },
            _ => return None,
        },
    )
}

/// The preset a model file's name implies (`ggml-tiny.en-q8_0.bin` → tiny.en).
fn dtw_preset_by_name(path: &Path) -> Option<whisper_rs::DtwModelPreset> {
    use whisper_rs::DtwModelPreset as P;
    let stem = path.file_stem()?.to_str()?;
    let name = stem.strip_prefix("ggml-").unwrap_or(stem);
    let name = match name.rsplit_once('-') {
        Some((head, tail)) if is_quant_suffix(tail) => head,
        _ => name,
    };
    Some(match name {
        "tiny.en" => P::TinyEn,
        "tiny" => P::Tiny,
        "base.en" => P::BaseEn,
        "base" => P::Base,
        "small.en" => P::SmallEn,
        "small" => P::Small,
        "medium.en" => P::MediumEn,
        "medium" => P::Medium,
        "large-v1" => P::LargeV1,
        "large-v2" => P::LargeV2,
        "large-v3" | "large" => P::LargeV3,
        "large-v3-turbo" => P::LargeV3Turbo,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------
// Region concatenation and timeline mapping
// ---------------------------------------------------------------------------------------

/// Silence inserted between concatenated speech regions (seconds).
const REGION_GAP_SECS: f64 = 0.1;

/// Maps times in a concatenation of regions back onto the source timeline.
#[derive(Clone, Debug, Default)]
pub struct TimeMap {
    /// (start in concatenated audio, start in source, length), seconds, sorted.
    pieces: Vec<(f64, f64, f64)>,
}

impl TimeMap {
    /// Concatenate `regions` of `samples` (16 kHz) with short silences between them.
    pub fn concat(samples: &[f32], rate: u32, regions: &[Region]) -> (Vec<f32>, TimeMap) {
        let rate_f = rate as f64;
        let gap = vec![0.0f32; (REGION_GAP_SECS * rate_f) as usize];
        let mut out = Vec::new();
        let mut pieces = Vec::new();
        for r in regions {
            let a = ((r.start.max(0.0) * rate_f) as usize).min(samples.len());
            let b = ((r.end.max(0.0) * rate_f).ceil() as usize).min(samples.len());
            if b <= a {
                continue;
            }
            if !out.is_empty() {
                out.extend_from_slice(&gap);
            }
            pieces.push((
                out.len() as f64 / rate_f,
                a as f64 / rate_f,
                (b - a) as f64 / rate_f,
            ));
            out.extend_from_slice(&samples[a..b]);
        }
        (out, TimeMap { pieces })
    }

    /// Map a time (seconds) in the concatenated audio to the source timeline.
    pub fn map(&self, t: f64) -> f64 {
        if self.pieces.is_empty() {
            return t;
        }
        let idx = self.pieces.partition_point(|p| p.0 <= t).saturating_sub(1);
        let (cat, src, len) = self.pieces[idx];
        src + (t - cat).clamp(0.0, len)
    }
}

// ---------------------------------------------------------------------------------------
// Transcription
// ---------------------------------------------------------------------------------------

fn effective_threads(requested: u32, max: usize) -> i32 {
    let max = max.max(1);
    let n = if requested == 0 {
        max.min(4)
    } else {
        (requested as usize).min(max)
    };
    n as i32
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Seconds around a speech region within which a segment still counts as speech.
const GATE_PAD: f64 = 0.2;

/// The speech gate's regions: Silero VAD with its defaults, `None` when no VAD model is
/// installed (the gate is then open: everything Whisper writes is kept).
fn speech_gate(audio: &AudioBuffer, ctx: &NodeCtx) -> Result<Option<SpeechRegions>, NodeError> {
    use crate::audio::vad;
    let defaults = vad::VadParams::default();
    if vad::resolve_vad_model(&ctx.resources.models_dir, &defaults.model).is_err() {
        return Ok(None);
    }
    let quiet = NodeCtx {
        progress: crate::progress::no_progress(),
        ..ctx.clone()
    };
    vad::detect(audio, &defaults, &quiet).map(Some)
}

/// Transcribe `audio` (optionally only `regions` of it). The core of the node.
pub fn transcribe(
    audio: &AudioBuffer,
    regions: Option<&SpeechRegions>,
    p: &WhisperParams,
    ctx: &NodeCtx,
) -> Result<Transcript, NodeError> {
    p.validate()?;
    let steps = Steps::new(
        ctx.progress.clone(),
        &[
            Step {
                name: "load_model",
                weight: 0.05,
            },
            Step {
                name: "detect_language",
                weight: 0.05,
            },
            Step {
                name: "transcribe",
                weight: 0.9,
            },
        ],
    );
    ctx.cancel.check()?;
    let cache = &ctx.resources.whisper_models;
    steps.report("load_model", 0.0, &p.model);
    let (model_path, model) = cache.get(&p.model)?;
    steps.report("load_model", 1.0, &p.model);
    let multilingual = model.is_multilingual();
    if !multilingual {
        if p.task == Task::Translate {
            return Err(NodeError::invalid_field(
                "task",
                format!("model `{}` is English-only and cannot translate; use a multilingual model such as `base`", p.model),
            ));
        }
        if p.language != "auto" && p.language != "en" {
            return Err(NodeError::invalid_field(
                "language",
                format!(
                    "model `{}` is English-only; language must be `en` or `auto`",
                    p.model
                ),
            ));
        }
    }
    let duration = audio.duration_secs();
    let threads = effective_threads(p.threads, ctx.resources.max_threads);

    // What to decode.
    let (owned, map);
    let samples: &[f32] = match regions {
        Some(r) => {
            let (cat, m) = TimeMap::concat(&audio.samples, audio.sample_rate, &r.regions);
            owned = cat;
            map = m;
            &owned
        }
        None => {
            map = TimeMap::default();
            &audio.samples
        }
    };
    let mut transcript = Transcript {
        language: if multilingual {
            p.language.clone()
        } else {
            "en".into()
        },
        language_probability: None,
        duration: round3(duration),
        segments: Vec::new(),
    };
    let gate = match regions {
        // Sound annotations are what is written where no one speaks: no gate for them.
        None if p.speech_gate && !p.keep_sound_annotations => speech_gate(audio, ctx)?,
        _ => None,
    };
    let no_speech = gate.as_ref().is_some_and(|g| g.regions.is_empty());
    if no_speech || samples.len() < (audio.sample_rate as usize / 10) {
        // Nothing (or under 100 ms) to decode, or VAD heard no speech: no speech.
        if transcript.language == "auto" {
            transcript.language = "und".into();
        }
        steps.report("transcribe", 1.0, "no speech");
        return Ok(transcript);
    }

    let _permit = cache.acquire(&ctx.cancel)?;
    let mut state = model.create_state().map_err(|e| {
        NodeError::new(
            NodeErrorKind::ModelLoad,
            format!(
                "cannot create Whisper state for {}: {e}",
                model_path.display()
            ),
        )
    })?;

    // Language detection on the first 30 s (the same encoder pass whisper.cpp would do).
    if multilingual && p.language == "auto" {
        steps.report("detect_language", 0.0, "");
        let head = &samples[..samples.len().min(30 * audio.sample_rate as usize)];
        state
            .pcm_to_mel(head, threads as usize)
            .map_err(|e| NodeError::inference(format!("mel spectrogram failed: {e}")))?;
        ctx.cancel.check()?;
        let (id, probs) = state
            .lang_detect(0, threads as usize)
            .map_err(|e| NodeError::inference(format!("language detection failed: {e}")))?;
        let code = whisper_rs::get_lang_str(id).unwrap_or("en").to_owned();
        transcript.language_probability = probs.get(id as usize).copied();
        transcript.language = code;
        steps.report("detect_language", 1.0, &transcript.language);
    }
    ctx.cancel.check()?;

    let strategy = if p.beam_size > 1 {
        SamplingStrategy::BeamSearch {
            beam_size: p.beam_size as i32,
            patience: -1.0,
        }
    } else {
        SamplingStrategy::Greedy {
            best_of: p.best_of as i32,
        }
    };
    let mut fp = FullParams::new(strategy);
    fp.set_n_threads(threads);
    fp.set_translate(p.task == Task::Translate);
    fp.set_language(Some(transcript.language.as_str()));
    fp.set_print_progress(false);
    fp.set_print_realtime(false);
    fp.set_print_special(false);
    fp.set_print_timestamps(false);
    fp.set_temperature(p.temperature);
    fp.set_temperature_inc(p.temperature_increment);
    fp.set_no_speech_thold(p.no_speech_threshold);
    // whisper.cpp's non-speech-token suppression (`[`, `(`, `♪`, … never sampled).
    fp.set_suppress_nst(!p.keep_sound_annotations);
    if let Some(prompt) = p.initial_prompt.as_deref().filter(|s| !s.trim().is_empty()) {
        fp.set_initial_prompt(prompt);
    }
    // Words also when a subtitle export downstream needs them to cut and time its cues.
    let with_words = p.word_timestamps || ctx.word_timing;
    if with_words || p.max_segment_length > 0 {
        fp.set_token_timestamps(true);
    }
    if p.max_segment_length > 0 {
        fp.set_max_len(p.max_segment_length as i32);
        fp.set_split_on_word(true);
    }

    let progress = |pct: i32| {
        steps.report("transcribe", pct as f32 / 100.0, &format!("{pct}%"));
    };
    let callbacks = Callbacks {
        cancel: ctx.cancel.flag(),
        on_progress: &progress,
    };
    steps.report("transcribe", 0.0, "0%");
    let result = full_with_callbacks(&mut state, fp, samples, &callbacks);
    if ctx.cancel.is_cancelled() {
        return Err(NodeError::cancelled());
    }
    result.map_err(|e| NodeError::inference(format!("whisper decode failed: {e}")))?;

    let eot = model.token_eot();
    // The last DTW time of the previous segment, and the silent frames of what is decoded.
    let mut prev_dtw_end: Option<f64> = None;
    let frames = with_words.then(|| SilenceFrames::new(samples));
    let n = state.full_n_segments();
    for i in 0..n {
        let Some(seg) = state.get_segment(i) else {
            continue;
        };
        let text = seg
            .to_str_lossy()
            .map_err(|e| NodeError::inference(format!("segment text: {e}")))?
            .trim()
            .to_owned();
        let text = if p.keep_sound_annotations {
            text
        } else {
            markers::strip_sound_markers(&text)
        };
        let mut logprob_sum = 0.0f32;
        let mut logprob_n = 0usize;
        let mut words: Vec<Word> = Vec::new();
        // Per word: the DTW time of its last token (whisper.cpp's `t_dtw` is where the
        // alignment enters the *next* token's row, i.e. about where this token ends).
        let mut dtw_ends: Vec<Option<f64>> = Vec::new();
        let mut word_probs: Vec<f32> = Vec::new();
        for t in 0..seg.n_tokens() {
            let Some(tok) = seg.get_token(t) else {
                continue;
            };
            if tok.token_id() >= eot {
                continue; // special / timestamp token
            }
            let data = tok.token_data();
            logprob_sum += data.plog;
            logprob_n += 1;
            if !with_words {
                continue;
            }
            let piece = tok
                .to_str_lossy()
                .map(|s| s.into_owned())
                .unwrap_or_default();
            let starts_word = piece.starts_with(' ') || words.is_empty();
            let (t0, t1) = (data.t0 as f64 / 100.0, data.t1 as f64 / 100.0);
            if starts_word && !piece.trim().is_empty() {
                if let Some(w) = words.last_mut() {
                    w.probability = mean(&word_probs);
                }
                word_probs.clear();
                dtw_ends.push(None);
                words.push(Word {
                    start: t0,
                    end: t1,
                    text: piece.trim().to_owned(),
                    probability: 0.0,
                    speaker: None,
                });
            } else if let Some(w) = words.last_mut() {
                w.text.push_str(piece.trim_end());
                w.end = w.end.max(t1);
            }
            if !words.is_empty() && data.t_dtw >= 0 {
                if let Some(e) = dtw_ends.last_mut() {
                    *e = Some(data.t_dtw as f64 / 100.0);
                }
            }
            word_probs.push(data.p);
        }
        if let Some(w) = words.last_mut() {
            w.probability = mean(&word_probs);
        }
        // DTW times when the model has them (a known alignment-head preset), else
        // whisper.cpp's token timestamps.
        if let (Some(frames), false) = (&frames, words.is_empty()) {
            if dtw_ends.iter().all(Option::is_some) {
                let ends: Vec<f64> = dtw_ends.iter().flatten().copied().collect();
                let seg_start = seg.start_timestamp() as f64 / 100.0;
                dtw_words(&mut words, &ends, prev_dtw_end, seg_start);
                restore_pauses(&mut words, frames);
                prev_dtw_end = ends.last().copied();
            }
        }
        if !p.keep_sound_annotations {
            words = markers::strip_marker_words(words);
        }
        let start = map.map(seg.start_timestamp() as f64 / 100.0);
        let end = map.map(seg.end_timestamp() as f64 / 100.0).max(start);
        transcript.segments.push(Segment {
            id: transcript.segments.len() as u32,
            start: round3(start),
            end: round3(end.min(duration.max(start))),
            text,
            avg_logprob: if logprob_n > 0 {
                logprob_sum / logprob_n as f32
            } else {
                0.0
            },
            no_speech_prob: seg.no_speech_probability(),
            words: with_words.then(|| {
                words
                    .into_iter()
                    .map(|w| {
                        let s = round3(map.map(w.start));
                        Word {
                            start: s,
                            end: round3(map.map(w.end)).max(s),
                            ..w
                        }
                    })
                    .collect()
            }),
            speaker: None,
        });
    }
    transcript.segments.retain(|s| !s.text.is_empty());
    if let Some(g) = &gate {
        transcript.segments.retain(|s| {
            g.regions
                .iter()
                .any(|r| r.start < s.end + GATE_PAD && s.start - GATE_PAD < r.end)
        });
    }
    for (i, s) in transcript.segments.iter_mut().enumerate() {
        s.id = i as u32;
    }
    steps.report("transcribe", 1.0, "done");
    Ok(transcript)
}

fn mean(v: &[f32]) -> f32 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f32>() / v.len() as f32
    }
}

/// The `whisper.transcribe` node.
#[derive(Default)]
pub struct WhisperNode;

impl Node for WhisperNode {
    fn manifest(&self) -> NodeManifest {
        NodeManifest {
            kind: KIND.into(),
            version: "1.0.0".into(),
            label: "Whisper transcription".into(),
            category: "Speech".into(),
            description: "Transcribe (or translate to English) speech with Whisper (whisper.cpp, CPU). Optional speech regions from a VAD node restrict decoding to speech; timestamps stay on the original timeline.".into(),
            inputs: vec![
                PortSpec::required("audio", PortType::Audio, "Audio to transcribe (or a file to decode)."),
                PortSpec::optional("speech_regions", PortType::SpeechRegions, "Only decode these regions (from vad.silero)."),
            ],
            outputs: vec![
                PortSpec::required("transcript", PortType::Transcript, "Segments with timings, optional words."),
                PortSpec::required("text", PortType::Text, "The transcript as plain text."),
            ],
            params_schema: params_schema(),
        }
    }

    fn validate_params(&self, params: &serde_json::Value) -> Result<(), NodeError> {
        let p: WhisperParams = parse_params(params.clone())?;
        p.validate()
    }

    fn availability(
        &self,
        resources: &crate::NodeResources,
        params: &serde_json::Value,
    ) -> Result<(), NodeError> {
        let p: WhisperParams = parse_params(params.clone())?;
        resolve_model(resources.models_dir(), &p.model).map(|_| ())
    }

    fn run(
        &self,
        inputs: NodeInputs,
        params: serde_json::Value,
        ctx: &NodeCtx,
    ) -> Result<NodeOutputs, NodeError> {
        let p: WhisperParams = parse_params(params)?;
        p.validate()?;
        let regions = inputs::optional_regions(&inputs, "speech_regions")?;
        let audio = inputs::audio(&inputs, "audio", ctx)?;
        let t = transcribe(&audio, regions.as_ref(), &p, ctx)?;
        let mut out = NodeOutputs::new();
        out.insert("text".into(), PortValue::Text(t.text()));
        out.insert("transcript".into(), PortValue::Transcript(t));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_map_maps_back() {
        let samples = vec![0.0f32; 16_000 * 20];
        let regions = [
            Region {
                start: 2.0,
                end: 4.0,
            },
            Region {
                start: 10.0,
                end: 11.5,
            },
        ];
        let (cat, map) = TimeMap::concat(&samples, 16_000, &regions);
        assert_eq!(cat.len(), 16_000 * 2 + 1_600 + 24_000);
        assert!((map.map(0.0) - 2.0).abs() < 1e-9);
        assert!((map.map(1.5) - 3.5).abs() < 1e-9);
        // Inside the gap: clamps to the end of the previous region.
        assert!((map.map(2.05) - 4.0).abs() < 1e-9);
        assert!((map.map(2.1) - 10.0).abs() < 1e-9);
        assert!((map.map(3.1) - 11.0).abs() < 1e-9);
        assert!((map.map(99.0) - 11.5).abs() < 1e-9);
    }

    fn word(start: f64, end: f64, text: &str) -> Word {
        Word {
            start,
            end,
            text: text.into(),
            probability: 1.0,
            speaker: None,
        }
    }

    fn ms(words: &[Word]) -> Vec<(i64, i64)> {
        let r = |x: f64| (x * 1000.0).round() as i64;
        words.iter().map(|w| (r(w.start), r(w.end))).collect()
    }

    #[test]
    fn dtw_presets_follow_the_model_file() {
        let preset = |f: &str| format!("{:?}", dtw_preset_by_name(Path::new(f)));
        assert_eq!(preset("/m/ggml-tiny.en-q8_0.bin"), "Some(TinyEn)");
        assert_eq!(preset("/m/ggml-tiny.en.bin"), "Some(TinyEn)");
        assert_eq!(preset("/m/ggml-base-q5_1.bin"), "Some(Base)");
        assert_eq!(preset("/m/ggml-large-v3.bin"), "Some(LargeV3)");
        assert_eq!(
            preset("/m/ggml-large-v3-turbo-q8_0.bin"),
            "Some(LargeV3Turbo)"
        );
        assert_eq!(preset("/m/ggml-distil-small.en.bin"), "None");
    }

    #[test]
    fn the_dtw_preset_follows_the_weights_not_the_file_name() {
        // The real tiny.en file, also under another model's name (a renamed or mislabelled
        // file): its header decides, so the preset never names layers the model lacks.
        let models =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models");
        let tiny = models.join("ggml-tiny.en-q8_0.bin");
        if tiny.exists() {
            let dims = ModelDims::read(&tiny).expect("header");
            assert_eq!(
                (dims.n_text_layer, dims.n_text_state, dims.n_vocab),
                (4, 384, 51864)
            );
            assert_eq!(format!("{:?}", dtw_preset(&tiny)), "Some(TinyEn)");
            let dir = tempfile::tempdir().expect("dir");
            let renamed = dir.path().join("ggml-small.en.bin");
            std::os::unix::fs::symlink(&tiny, &renamed).expect("link");
            assert_eq!(format!("{:?}", dtw_preset(&renamed)), "Some(TinyEn)");
        }
        // Not a ggml file: no DTW.
        let dir = tempfile::tempdir().expect("dir");
        let junk = dir.path().join("ggml-small.en.bin");
        std::fs::write(&junk, b"not a ggml model").expect("write");
        assert_eq!(format!("{:?}", dtw_preset(&junk)), "None");
        // Shapes: large v1 and v2 are told apart by name only; v3 by its 128 mel bands.
        let large = ModelDims {
            n_vocab: 51865,
            n_audio_layer: 32,
            n_text_state: 1280,
            n_text_layer: 32,
            n_mels: 80,
        };
        use whisper_rs::DtwModelPreset as P;
        assert_eq!(
            format!("{:?}", preset_for(&large, Some(P::LargeV1))),
            "Some(LargeV1)"
        );
        assert_eq!(
            format!("{:?}", preset_for(&large, Some(P::SmallEn))),
            "None"
        );
        let v3 = ModelDims {
            n_mels: 128,
            n_vocab: 51866,
            ..large
        };
        assert_eq!(format!("{:?}", preset_for(&v3, None)), "Some(LargeV3)");
        let turbo = ModelDims {
            n_text_layer: 4,
            ..v3
        };
        assert_eq!(
            format!("{:?}", preset_for(&turbo, None)),
            "Some(LargeV3Turbo)"
        );
    }

    #[test]
    fn dtw_times_are_shifted_one_token_and_by_the_lag() {
        // `t_dtw` of each word's last token: where the next word begins.
        let mut words = vec![
            word(0.0, 0.0, "One"),
            word(0.0, 0.0, "two"),
            word(0.0, 0.0, "three."),
        ];
        dtw_words(&mut words, &[1.0, 1.5, 2.3], None, 0.4);
        assert_eq!(ms(&words), [(400, 900), (900, 1400), (1400, 2200)]);
        // A later segment starts where the previous one's last word ended, not before its
        // own start.
        dtw_words(&mut words, &[1.0, 1.5, 2.3], Some(0.7), 0.4);
        assert_eq!(ms(&words)[0], (600, 900));
        dtw_words(&mut words, &[1.0, 1.5, 2.3], Some(0.3), 0.4);
        assert_eq!(ms(&words)[0], (400, 900));
    }

    /// 2.5 s of faint noise with a 200 Hz tone over `spans` (seconds).
    fn tone_over_noise(spans: &[(f64, f64)]) -> Vec<f32> {
        let mut seed = 1u32;
        (0..40_000)
            .map(|i| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let noise = (seed >> 9) as f32 / (1u32 << 23) as f32 - 0.5;
                let t = i as f64 / 16_000.0;
                let on = spans.iter().any(|&(a, b)| t >= a && t < b);
                let tone = if on {
                    0.3 * (t * 200.0 * std::f64::consts::TAU).sin()
                } else {
                    0.0
                };
                0.002 * noise + tone as f32
            })
            .collect()
    }

    #[test]
    fn pauses_between_contiguous_dtw_words_are_restored() {
        // Speech 0.5–1.0 and 1.6–2.0 s; the DTW words span 0.3–1.5 and 1.5–2.0 s, the first
        // holding the leading silence and the pause.
        let f = SilenceFrames::new(&tone_over_noise(&[(0.5, 1.0), (1.6, 2.0)]));
        let mut words = vec![word(0.3, 1.5, "Hello."), word(1.5, 2.0, "Yes.")];
        restore_pauses(&mut words, &f);
        assert_eq!(ms(&words), [(500, 1000), (1600, 2000)]);
        // The pause counted into the second word instead.
        let mut words = vec![word(0.5, 1.0, "Hello."), word(1.0, 2.0, "Yes.")];
        restore_pauses(&mut words, &f);
        assert_eq!(ms(&words), [(500, 1000), (1600, 2000)]);
        // 80 ms of silence inside speech (a stop closure) is no pause.
        let f = SilenceFrames::new(&tone_over_noise(&[(0.5, 1.0), (1.08, 2.0)]));
        let mut words = vec![word(0.5, 1.3, "Hello"), word(1.3, 2.0, "there.")];
        restore_pauses(&mut words, &f);
        assert_eq!(ms(&words), [(500, 1300), (1300, 2000)]);
    }

    #[test]
    fn model_names_are_validated_and_resolved() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ggml-tiny.en-q8_0.bin"), b"x").unwrap();
        std::fs::write(dir.path().join("ggml-base-q5_1.bin"), b"x").unwrap();
        std::fs::write(dir.path().join("ggml-small.bin"), b"x").unwrap();
        let r = |n: &str| resolve_model(dir.path(), n);
        assert!(r("tiny.en").unwrap().ends_with("ggml-tiny.en-q8_0.bin"));
        assert!(r("tiny.en-q8_0")
            .unwrap()
            .ends_with("ggml-tiny.en-q8_0.bin"));
        assert!(r("base").unwrap().ends_with("ggml-base-q5_1.bin"));
        assert!(r("small").unwrap().ends_with("ggml-small.bin"));
        assert_eq!(r("tiny").unwrap_err().kind, NodeErrorKind::ModelNotFound);
        assert_eq!(
            r("base-q8_0").unwrap_err().kind,
            NodeErrorKind::ModelNotFound
        );
        assert_eq!(
            r("../etc/passwd").unwrap_err().kind,
            NodeErrorKind::InvalidParams
        );
        assert_eq!(r("a/b").unwrap_err().kind, NodeErrorKind::InvalidParams);
        let msg = r("large-v3").unwrap_err().message;
        assert!(msg.contains("tiny.en-q8_0"), "{msg}");
    }

    #[test]
    fn params_are_validated_with_field_names() {
        let e = parse_params::<WhisperParams>(json!({"beam_size": "x"})).unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::InvalidParams);
        assert!(e.message.contains("beam_size"), "{}", e.message);
        let e = parse_params::<WhisperParams>(json!({"bogus": 1})).unwrap_err();
        assert!(e.message.contains("bogus"), "{}", e.message);
        let p = parse_params::<WhisperParams>(json!({"language": "xx"})).unwrap();
        assert!(p.validate().unwrap_err().message.contains("language"));
        let p = parse_params::<WhisperParams>(serde_json::Value::Null).unwrap();
        assert_eq!(p.model, "base");
        p.validate().unwrap();
    }
}
