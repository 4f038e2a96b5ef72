//! Speaker diarization (`diarize.pyannote`): who spoke when.
//!
//! 1. **Segmentation** ([`segmentation`]): pyannote segmentation-3.0 over 10 s windows every
//!    `segmentation_step_s`, powerset-decoded; the windows are aggregated into a per-frame
//!    speaker count (0 = silence, 2+ = overlapped speech).
//! 2. **Embeddings** ([`embedding`]): the speech (count ≥ 1) is cut into
//!    `embedding_window_s` stretches every `embedding_step_s` and each gets a CAM++ embedding
//!    (Kaldi fbank computed in Rust, [`fbank`]). Short stretches, not the segmentation's local
//!    speakers, carry the identity: the segmentation model merges similar voices that follow
//!    each other without a pause into one local speaker, while a 1.5 s stretch rarely spans a
//!    change of speaker.
//! 3. **Clustering** ([`cluster`]): spectral clustering with an eigengap estimate of the
//!    number of speakers within `min_speakers..=max_speakers` (or exactly `num_speakers`),
//!    then centroids closer than `merge_threshold` merged.
//! 4. **Frames → turns**: each speech frame takes the majority label of the stretches that
//!    cover it. Where the count says two or more people talk at once, each window's local
//!    speakers are mapped to the global speaker they mostly coincide with, and every active
//!    local speaker's global speaker is marked — so overlapped speech yields overlapping
//!    turns. Per speaker, gaps shorter than `min_gap_s` are filled and turns shorter than
//!    `min_turn_s` dropped.
//!
//! Memory on long audio: only per-frame bytes (count, 3-bit local activity per window),
//! one 192-float embedding per stretch and a bounded affinity matrix are kept — about
//! 20 MB per hour on top of the decoded audio. Windows and stretches are processed one at a
//! time, checking cancellation and reporting progress between them.

pub mod cluster;
pub mod embedding;
pub mod fbank;
pub mod metrics;
pub mod segmentation;

use crate::error::{parse_params, NodeError, NodeErrorKind};
use crate::manifest::{NodeManifest, PortSpec, PortType, JSON_SCHEMA_DIALECT};
use crate::progress::{Step, Steps};
use crate::types::{AudioBuffer, SpeakerTurn, SpeakerTurns};
use crate::{inputs, Node, NodeCtx, NodeInputs, NodeOutputs, PortValue};
use segmentation::{frame_center, FRAME_STEP};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::{Path, PathBuf};

pub const KIND: &str = "diarize.pyannote";
const SAMPLE_RATE: f64 = 16_000.0;
/// Speaker labels are bits of a `u64` per frame.
pub const MAX_SPEAKERS: u32 = 64;

/// `diarize.pyannote` params.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields, default)]
pub struct DiarizeParams {
    /// Exact number of speakers, when known (then `min_speakers`/`max_speakers` are ignored).
    pub num_speakers: Option<u32>,
    pub min_speakers: u32,
    pub max_speakers: u32,
    /// Cosine similarity above which two speakers' centroids are merged into one.
    pub merge_threshold: f32,
    /// Step between 10 s segmentation windows (seconds).
    pub segmentation_step_s: f32,
    /// Length of the stretches that get an embedding (seconds).
    pub embedding_window_s: f32,
    /// Step between those stretches (seconds).
    pub embedding_step_s: f32,
    /// Drop turns shorter than this (seconds).
    pub min_turn_s: f32,
    /// Fill gaps shorter than this within one speaker's speech (seconds).
    pub min_gap_s: f32,
    /// `<name>.onnx` in the models directory.
    pub segmentation_model: String,
    pub embedding_model: String,
    /// ONNX Runtime intra-op threads; 0 = min(4, server limit).
    pub threads: u32,
}

impl Default for DiarizeParams {
    fn default() -> Self {
        Self {
            num_speakers: None,
            min_speakers: 1,
            max_speakers: 10,
            merge_threshold: 0.78,
            segmentation_step_s: 2.5,
            embedding_window_s: 1.5,
            embedding_step_s: 0.5,
            min_turn_s: 0.2,
            min_gap_s: 0.5,
            segmentation_model: "pyannote-segmentation-3.0".into(),
            embedding_model: "campplus_cn_en_common".into(),
            threads: 0,
        }
    }
}

impl DiarizeParams {
    fn validate(&self) -> Result<(), NodeError> {
        let speakers = 1..=MAX_SPEAKERS;
        if let Some(n) = self.num_speakers {
            if !speakers.contains(&n) {
                return Err(NodeError::invalid_field(
                    "num_speakers",
                    format!("must be within 1..={MAX_SPEAKERS} (or null)"),
                ));
            }
        }
        for (field, v) in [
            ("min_speakers", self.min_speakers),
            ("max_speakers", self.max_speakers),
        ] {
            if !speakers.contains(&v) {
                return Err(NodeError::invalid_field(
                    field,
                    format!("must be within 1..={MAX_SPEAKERS}"),
                ));
            }
        }
        if self.min_speakers > self.max_speakers {
            return Err(NodeError::invalid_field(
                "min_speakers",
                format!(
                    "must not exceed max_speakers ({} > {})",
                    self.min_speakers, self.max_speakers
                ),
            ));
        }
        let ranges: [(&str, f32, f32, f32); 6] = [
            ("merge_threshold", self.merge_threshold, 0.0, 1.0),
            ("segmentation_step_s", self.segmentation_step_s, 0.5, 10.0),
            ("embedding_window_s", self.embedding_window_s, 0.5, 10.0),
            ("embedding_step_s", self.embedding_step_s, 0.1, 10.0),
            ("min_turn_s", self.min_turn_s, 0.0, 10.0),
            ("min_gap_s", self.min_gap_s, 0.0, 10.0),
        ];
        for (field, v, lo, hi) in ranges {
            if !(lo..=hi).contains(&v) {
                return Err(NodeError::invalid_field(
                    field,
                    format!("must be within {lo}..={hi}"),
                ));
            }
        }
        if self.embedding_step_s > self.embedding_window_s {
            return Err(NodeError::invalid_field(
                "embedding_step_s",
                "must not exceed embedding_window_s",
            ));
        }
        crate::asr::whisper::validate_model_name("segmentation_model", &self.segmentation_model)?;
        crate::asr::whisper::validate_model_name("embedding_model", &self.embedding_model)?;
        if self.threads > 64 {
            return Err(NodeError::invalid_field("threads", "must be at most 64"));
        }
        Ok(())
    }

    fn bounds(&self) -> cluster::Bounds {
        cluster::Bounds {
            num: self.num_speakers.map(|n| n as usize),
            min: self.min_speakers as usize,
            max: self.max_speakers as usize,
        }
    }
}

/// `<models_dir>/<name>.onnx`, or `ModelNotFound` listing the ONNX files present.
pub fn resolve_onnx_model(models_dir: &Path, name: &str) -> Result<PathBuf, NodeError> {
    let path = models_dir.join(format!("{name}.onnx"));
    if path.is_file() {
        return Ok(path);
    }
    let mut installed: Vec<String> = std::fs::read_dir(models_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".onnx")
                .map(str::to_owned)
        })
        .collect();
    installed.sort();
    Err(NodeError::new(
        NodeErrorKind::ModelNotFound,
        format!(
            "ONNX model `{name}` is not installed (looked for {name}.onnx in {}); installed: [{}]",
            models_dir.display(),
            installed.join(", ")
        ),
    ))
}

/// A stretch of speech that gets one embedding: samples embedded, and the span (seconds)
/// whose frames its label votes for.
struct Stretch {
    samples: (usize, usize),
    span: (f64, f64),
}

/// Cut speech regions (seconds) into embedding stretches.
fn stretches(regions: &[(f64, f64)], window: f64, step: f64, n_samples: usize) -> Vec<Stretch> {
    let dur = n_samples as f64 / SAMPLE_RATE;
    let to_samples = |t: f64| ((t.clamp(0.0, dur)) * SAMPLE_RATE).round() as usize;
    let mut out = Vec::new();
    for &(start, end) in regions {
        if end - start <= window {
            // One stretch, widened around the region's middle to at least the minimum
            // CAM++ length, voting only for the region itself.
            let half = (end - start).max(embedding::MIN_SAMPLES as f64 / SAMPLE_RATE) / 2.0;
            let mid = (start + end) / 2.0;
            let (a, b) = (to_samples(mid - half), to_samples(mid + half));
            if b > a + 400 {
                out.push(Stretch {
                    samples: (a, b),
                    span: (start, end),
                });
            }
            continue;
        }
        let mut t = start;
        loop {
            let e = (t + window).min(end);
            out.push(Stretch {
                samples: (to_samples(t), to_samples(e)),
                span: (t, e),
            });
            if e >= end {
                break;
            }
            t += step;
            if end - t < window {
                t = end - window;
            }
        }
    }
    out
}

/// Runs of frames where `on(f)` holds, as (first, past-the-end).
fn runs(n: usize, on: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut f = 0;
    while f < n {
        if on(f) {
            let start = f;
            while f < n && on(f) {
                f += 1;
            }
            out.push((start, f));
        } else {
            f += 1;
        }
    }
    out
}

/// Seconds spanned by frames `first..past` (each frame stands for one step around its centre).
fn frames_to_secs(first: usize, past: usize, dur: f64) -> (f64, f64) {
    let half = FRAME_STEP as f64 / SAMPLE_RATE / 2.0;
    (
        (frame_center(first) - half).max(0.0),
        (frame_center(past - 1) + half).min(dur),
    )
}

fn effective_threads(requested: u32, max: usize) -> usize {
    let max = max.max(1);
    if requested == 0 {
        max.min(4)
    } else {
        (requested as usize).min(max)
    }
}

/// Diarize `audio`.
pub fn diarize(
    audio: &AudioBuffer,
    p: &DiarizeParams,
    ctx: &NodeCtx,
) -> Result<SpeakerTurns, NodeError> {
    p.validate()?;
    ctx.cancel.check()?;
    let res = &ctx.resources;
    res.onnx.init()?;
    let seg_path = resolve_onnx_model(&res.models_dir, &p.segmentation_model)?;
    let emb_path = resolve_onnx_model(&res.models_dir, &p.embedding_model)?;
    let threads = effective_threads(p.threads, res.max_threads);
    let steps = Steps::new(
        ctx.progress.clone(),
        &[
            Step {
                name: "segment",
                weight: 3.0,
            },
            Step {
                name: "embed",
                weight: 6.0,
            },
            Step {
                name: "cluster",
                weight: 1.0,
            },
        ],
    );
    let samples = &audio.samples;
    let dur = samples.len() as f64 / SAMPLE_RATE;
    if samples.len() < embedding::MIN_SAMPLES / 4 {
        return Ok(SpeakerTurns {
            turns: Vec::new(),
            num_speakers: 0,
        });
    }

    // 1. Segmentation.
    let step_frames =
        ((p.segmentation_step_s as f64 * SAMPLE_RATE / FRAME_STEP as f64).round() as usize).max(1);
    let seg = {
        let mut session = res.onnx.session(&seg_path, threads)?;
        segmentation::segment(&mut session, samples, step_frames, |done, total| {
            ctx.cancel.check()?;
            steps.report(
                "segment",
                done as f32 / total as f32,
                &format!("{done}/{total} windows"),
            );
            Ok(())
        })?
    };
    let n_frames = seg.count.len();
    let regions: Vec<(f64, f64)> = runs(n_frames, |f| seg.count[f] >= 1)
        .into_iter()
        .map(|(a, b)| frames_to_secs(a, b, dur))
        .collect();

    // 2. Embeddings of short stretches of speech.
    let cuts = stretches(
        &regions,
        p.embedding_window_s as f64,
        p.embedding_step_s as f64,
        samples.len(),
    );
    let mut embeddings = Vec::with_capacity(cuts.len());
    {
        let mut embedder = embedding::Embedder::new(res.onnx.session(&emb_path, threads)?);
        for (i, c) in cuts.iter().enumerate() {
            ctx.cancel.check()?;
            embeddings.push(embedder.embed(&samples[c.samples.0..c.samples.1])?);
            if i % 8 == 7 || i + 1 == cuts.len() {
                steps.report(
                    "embed",
                    (i + 1) as f32 / cuts.len() as f32,
                    &format!("{}/{} stretches", i + 1, cuts.len()),
                );
            }
        }
    }

    // 3. Clustering.
    ctx.cancel.check()?;
    steps.report("cluster", 0.0, "");
    let labels = cluster::cluster(&embeddings, p.bounds(), p.merge_threshold);
    let k = labels.iter().max().map_or(0, |m| m + 1);
    drop(embeddings);

    // 4. Frame labels by majority vote of the stretches covering each frame.
    let mut votes = vec![0u16; n_frames * k.max(1)];
    for (c, &l) in cuts.iter().zip(&labels) {
        let first = ((c.span.0 * SAMPLE_RATE - segmentation::FRAME_SPAN as f64 / 2.0)
            / FRAME_STEP as f64)
            .ceil()
            .max(0.0) as usize;
        for f in first..n_frames {
            let t = frame_center(f);
            if t >= c.span.1 {
                break;
            }
            if t >= c.span.0 {
                votes[f * k + l] = votes[f * k + l].saturating_add(1);
            }
        }
    }
    let label_of = |f: usize| -> Option<usize> {
        let v = &votes[f * k..(f + 1) * k];
        let (best, n) = v
            .iter()
            .enumerate()
            .max_by_key(|(_, &n)| n)
            .map(|(i, &n)| (i, n))?;
        (n > 0).then_some(best)
    };
    let mut active = vec![0u64; n_frames];
    for (f, a) in active.iter_mut().enumerate() {
        if seg.count[f] >= 1 {
            if let Some(l) = label_of(f) {
                *a |= 1 << l;
            }
        }
    }
    // Overlap: map each window's local speakers to global ones, mark every active one.
    for (w, &start) in seg.starts.iter().enumerate() {
        let offset = start / FRAME_STEP;
        let bits = &seg.local[w];
        let frames = || {
            bits.iter()
                .enumerate()
                .map(move |(j, &b)| (offset + j, b))
                .filter(|&(f, _)| f < n_frames)
        };
        if !frames().any(|(f, b)| b.count_ones() >= 2 && seg.count[f] >= 2) {
            continue;
        }
        let mut global = [None; 3];
        for (local, g) in global.iter_mut().enumerate() {
            let mut tally = vec![0u32; k];
            for (f, b) in frames() {
                if b == 1 << local {
                    if let Some(l) = label_of(f) {
                        tally[l] += 1;
                    }
                }
            }
            *g = tally
                .iter()
                .enumerate()
                .max_by_key(|(_, &n)| n)
                .filter(|(_, &n)| n > 0)
                .map(|(i, _)| i);
        }
        for (f, b) in frames() {
            if b.count_ones() >= 2 && seg.count[f] >= 2 {
                for (local, g) in global.iter().enumerate() {
                    if let (true, Some(g)) = (b & (1 << local) != 0, g) {
                        active[f] |= 1 << g;
                    }
                }
            }
        }
    }
    steps.report("cluster", 0.5, "");

    // 5. Turns per speaker, smoothed.
    let mut turns: Vec<(f64, f64, usize)> = Vec::new();
    for s in 0..k {
        let mut mine: Vec<(f64, f64)> = runs(n_frames, |f| active[f] & (1 << s) != 0)
            .into_iter()
            .map(|(a, b)| frames_to_secs(a, b, dur))
            .collect();
        smooth(&mut mine, p.min_gap_s as f64, p.min_turn_s as f64);
        turns.extend(mine.into_iter().map(|(a, b)| (a, b, s)));
    }
    turns.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
    // Name speakers in order of first appearance.
    let mut names: Vec<Option<usize>> = vec![None; k];
    let mut next = 0;
    let turns: Vec<SpeakerTurn> = turns
        .into_iter()
        .map(|(start, end, s)| {
            let n = *names[s].get_or_insert_with(|| {
                next += 1;
                next - 1
            });
            SpeakerTurn {
                start: (start * 1000.0).round() / 1000.0,
                end: (end * 1000.0).round() / 1000.0,
                speaker: format!("SPEAKER_{n:02}"),
            }
        })
        .collect();
    steps.report("cluster", 1.0, "");
    Ok(SpeakerTurns {
        turns,
        num_speakers: next as u32,
    })
}

/// Fill gaps shorter than `min_gap` and drop turns shorter than `min_turn` (sorted input).
fn smooth(turns: &mut Vec<(f64, f64)>, min_gap: f64, min_turn: f64) {
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(turns.len());
    for &(a, b) in turns.iter() {
        match merged.last_mut() {
            Some(last) if a - last.1 < min_gap => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged.retain(|(a, b)| b - a >= min_turn);
    *turns = merged;
}

fn params_schema() -> serde_json::Value {
    json!({
        "$schema": JSON_SCHEMA_DIALECT,
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "num_speakers": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_SPEAKERS, "default": null,
                "title": "Number of speakers", "description": "Exact number of speakers when known (then min/max are ignored); null = estimate.",
                "x-ui": {"widget": "number"}},
            "min_speakers": {"type": "integer", "minimum": 1, "maximum": MAX_SPEAKERS, "default": 1,
                "title": "Min speakers", "description": "Fewest speakers the estimate may return.",
                "x-ui": {"widget": "number"}},
            "max_speakers": {"type": "integer", "minimum": 1, "maximum": MAX_SPEAKERS, "default": 10,
                "title": "Max speakers", "description": "Most speakers the estimate may return.",
                "x-ui": {"widget": "number"}},
            "merge_threshold": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.78,
                "title": "Merge threshold", "description": "Speakers whose voice centroids are at least this cosine-similar are merged into one (higher = more speakers).",
                "x-ui": {"widget": "slider", "step": 0.01, "advanced": true}},
            "segmentation_step_s": {"type": "number", "minimum": 0.5, "maximum": 10, "default": 2.5,
                "title": "Segmentation step (s)", "description": "Step between the 10 s segmentation windows (smaller = slower, smoother).",
                "x-ui": {"widget": "number", "advanced": true}},
            "embedding_window_s": {"type": "number", "minimum": 0.5, "maximum": 10, "default": 1.5,
                "title": "Embedding window (s)", "description": "Length of the speech stretches that get a speaker embedding.",
                "x-ui": {"widget": "number", "advanced": true}},
            "embedding_step_s": {"type": "number", "minimum": 0.1, "maximum": 10, "default": 0.5,
                "title": "Embedding step (s)", "description": "Step between those stretches (the time resolution of speaker changes).",
                "x-ui": {"widget": "number", "advanced": true}},
            "min_turn_s": {"type": "number", "minimum": 0, "maximum": 10, "default": 0.2,
                "title": "Min turn (s)", "description": "Drop turns shorter than this.",
                "x-ui": {"widget": "number", "advanced": true}},
            "min_gap_s": {"type": "number", "minimum": 0, "maximum": 10, "default": 0.5,
                "title": "Fill gaps (s)", "description": "Join one speaker's turns separated by less than this.",
                "x-ui": {"widget": "number", "advanced": true}},
            "segmentation_model": {"type": "string", "default": "pyannote-segmentation-3.0",
                "title": "Segmentation model", "description": "`<name>.onnx` in the models directory (pyannote segmentation-3.0 export).",
                "x-ui": {"widget": "model-select", "advanced": true}},
            "embedding_model": {"type": "string", "default": "campplus_cn_en_common",
                "title": "Embedding model", "description": "`<name>.onnx` in the models directory (CAM++: 80-dim fbank in, 192-dim embedding out).",
                "x-ui": {"widget": "model-select", "advanced": true}},
            "threads": {"type": "integer", "minimum": 0, "maximum": 64, "default": 0,
                "title": "Threads", "description": "ONNX Runtime threads (0 = automatic, capped by the server).",
                "x-ui": {"widget": "number", "advanced": true}}
        }
    })
}

/// The `diarize.pyannote` node.
#[derive(Default)]
pub struct DiarizeNode;

impl Node for DiarizeNode {
    fn manifest(&self) -> NodeManifest {
        NodeManifest {
            kind: KIND.into(),
            version: "1.0.0".into(),
            label: "Speaker diarization (pyannote + CAM++)".into(),
            category: "Speech".into(),
            description: "Who spoke when: pyannote segmentation-3.0 finds speech and overlaps, CAM++ embeddings are clustered into speakers (optionally a known number or a range). Needs ONNX Runtime. Feed the turns to transcript.assign_speakers.".into(),
            inputs: vec![PortSpec::required("audio", PortType::Audio, "Audio to diarize (or a file to decode).")],
            outputs: vec![PortSpec::required("speaker_turns", PortType::SpeakerTurns, "Speaker turns in seconds (turns of different speakers may overlap).")],
            params_schema: params_schema(),
        }
    }

    fn validate_params(&self, params: &serde_json::Value) -> Result<(), NodeError> {
        let p: DiarizeParams = parse_params(params.clone())?;
        p.validate()
    }

    fn availability(
        &self,
        resources: &crate::NodeResources,
        params: &serde_json::Value,
    ) -> Result<(), NodeError> {
        let p: DiarizeParams = parse_params(params.clone())?;
        resources.onnx.init()?;
        resolve_onnx_model(resources.models_dir(), &p.segmentation_model)?;
        resolve_onnx_model(resources.models_dir(), &p.embedding_model).map(|_| ())
    }

    fn run(
        &self,
        inputs: NodeInputs,
        params: serde_json::Value,
        ctx: &NodeCtx,
    ) -> Result<NodeOutputs, NodeError> {
        let p: DiarizeParams = parse_params(params)?;
        p.validate()?;
        ctx.resources.onnx.init()?;
        let audio = inputs::audio(&inputs, "audio", ctx)?;
        let turns = diarize(&audio, &p, ctx)?;
        let mut out = NodeOutputs::new();
        out.insert("speaker_turns".into(), PortValue::SpeakerTurns(turns));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_are_checked() {
        let ok = |v: serde_json::Value| DiarizeNode.validate_params(&v);
        assert!(ok(json!(null)).is_ok());
        assert!(ok(json!({"num_speakers": 3})).is_ok());
        assert!(ok(json!({"min_speakers": 2, "max_speakers": 4})).is_ok());
        let err = ok(json!({"min_speakers": 5, "max_speakers": 2})).unwrap_err();
        assert!(err.message.contains("min_speakers"), "{err}");
        assert!(ok(json!({"num_speakers": 0})).is_err());
        assert!(ok(json!({"merge_threshold": 1.5})).is_err());
        assert!(ok(json!({"embedding_step_s": 2.0, "embedding_window_s": 1.0})).is_err());
        assert!(ok(json!({"segmentation_model": "../etc/passwd"})).is_err());
        assert!(ok(json!({"speakers": 2})).is_err());
    }

    #[test]
    fn stretches_cover_regions() {
        let s = stretches(&[(1.0, 1.4), (3.0, 6.0)], 1.5, 0.5, 16_000 * 10);
        // The short region is embedded over ≥ 0.5 s but votes only for itself.
        assert_eq!(s[0].span, (1.0, 1.4));
        assert!(s[0].samples.1 - s[0].samples.0 >= 8_000);
        let long: Vec<_> = s[1..].iter().map(|x| x.span).collect();
        assert_eq!(long.first().unwrap().0, 3.0);
        assert_eq!(long.last().unwrap().1, 6.0);
        assert!(long.iter().all(|(a, b)| (b - a - 1.5).abs() < 1e-9));
    }

    #[test]
    fn smoothing_fills_gaps_and_drops_blips() {
        let mut t = vec![(0.0, 1.0), (1.3, 2.0), (3.0, 3.1), (5.0, 6.0)];
        smooth(&mut t, 0.5, 0.2);
        assert_eq!(t, vec![(0.0, 2.0), (5.0, 6.0)]);
    }
}
