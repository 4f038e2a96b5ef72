//! Speech benchmark: the `whisper.transcribe` node against a bare whisper-rs call, and the
//! node with and without Silero VAD. Prints a Markdown report on stdout (progress on stderr).
//!
//! ```text
//! cargo run --release -p voxflow-nodes --example bench_whisper -- \
//!     --speech speech.wav --speech-text speech.txt \
//!     --silence gaps.wav --silence-text gaps.txt \
//!     [--model tiny.en] [--threads 2] [--rounds 3] [--language en]
//! ```
//!
//! `scripts/bench-speech.sh` makes the clips and writes the report into `docs/benchmarks.md`.
//!
//! * Both paths decode the same 16 kHz samples with the same model file, threads and
//!   decoding settings; each model is loaded once, before anything is timed (the bare path
//!   loads its own `WhisperContext`, the node loads through its `ModelCache`).
//! * The bare path mirrors what `transcribe` does per call: `create_state`, `FullParams`
//!   with the node's settings, `state.full`, collect segment text. What the node does on
//!   top (param validation, cache lookup, progress/abort callbacks, building the
//!   `Transcript` with per-token log-probabilities) is what the ratio measures.
//! * Runs are interleaved (A B A B …) after one untimed warm-up each, so drift in machine
//!   load hits both paths alike. Medians are reported.
//! * Peak RSS: `VmHWM` from `/proc/self/status`. Before every timed run the high-water mark is
//!   reset (`echo 5 > /proc/self/clear_refs`) so each path's own peak can be reported; the
//!   whole-run peak is the maximum of every reading taken.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use voxflow_nodes::asr::whisper::{resolve_model, transcribe, WhisperParams};
use voxflow_nodes::audio::decode::decode_path;
use voxflow_nodes::audio::vad::{detect, VadParams};
use voxflow_nodes::{AudioBuffer, CancelToken, DecodeLimits, NodeCtx, NodeResources};
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

// ---------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------

struct Args {
    speech: PathBuf,
    speech_text: PathBuf,
    silence: PathBuf,
    silence_text: PathBuf,
    model: String,
    threads: u32,
    rounds: usize,
    language: String,
}

fn usage() -> ! {
    eprintln!(
        "usage: bench_whisper --speech WAV --speech-text TXT --silence WAV --silence-text TXT \
         [--model tiny.en] [--threads 2] [--rounds 3] [--language en]"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut speech = None;
    let mut speech_text = None;
    let mut silence = None;
    let mut silence_text = None;
    let mut model = "tiny.en".to_owned();
    let mut threads = 2u32;
    let mut rounds = 3usize;
    let mut language = "en".to_owned();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--speech" => speech = Some(PathBuf::from(val())),
            "--speech-text" => speech_text = Some(PathBuf::from(val())),
            "--silence" => silence = Some(PathBuf::from(val())),
            "--silence-text" => silence_text = Some(PathBuf::from(val())),
            "--model" => model = val(),
            "--threads" => threads = val().parse().unwrap_or_else(|_| usage()),
            "--rounds" => rounds = val().parse().unwrap_or_else(|_| usage()),
            "--language" => language = val(),
            _ => usage(),
        }
    }
    if threads == 0 || rounds == 0 {
        usage();
    }
    Args {
        speech: speech.unwrap_or_else(|| usage()),
        speech_text: speech_text.unwrap_or_else(|| usage()),
        silence: silence.unwrap_or_else(|| usage()),
        silence_text: silence_text.unwrap_or_else(|| usage()),
        model,
        threads,
        rounds,
        language,
    }
}

// ---------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------

fn status_kb(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse().ok())
}

/// Tracks `VmHWM` across resets of the high-water mark.
struct Peak {
    whole_run_kb: u64,
    can_reset: bool,
}

impl Peak {
    fn new() -> Self {
        Self {
            whole_run_kb: 0,
            can_reset: true,
        }
    }

    /// Current high-water mark (kB), folded into the whole-run peak.
    fn read(&mut self) -> u64 {
        let hwm = status_kb("VmHWM:").unwrap_or(0);
        self.whole_run_kb = self.whole_run_kb.max(hwm);
        hwm
    }

    /// Reset the high-water mark to the current RSS (Linux `clear_refs` 5).
    fn reset(&mut self) {
        self.read();
        if self.can_reset && std::fs::write("/proc/self/clear_refs", "5").is_err() {
            eprintln!("note: cannot reset VmHWM; per-path peaks are whole-run peaks");
            self.can_reset = false;
        }
    }
}

/// CPU time (user + system) of the whole process so far, in seconds, from
/// `/proc/self/stat` (clock ticks; 100 Hz assumed, as on every mainstream Linux build).
fn cpu_secs() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(11) // state is field 3; utime and stime are fields 14 and 15
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<u64>() as f64 / 100.0
}

/// Wall and CPU seconds of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (c0, t0) = (cpu_secs(), Instant::now());
    let out = f();
    (out, t0.elapsed().as_secs_f64(), cpu_secs() - c0)
}

fn mib(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

// ---------------------------------------------------------------------------------------
// Word error rate
// ---------------------------------------------------------------------------------------

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Word error rate: word-level Levenshtein distance / reference length.
fn wer(reference: &str, hypothesis: &str) -> f64 {
    let r = words(reference);
    let h = words(hypothesis);
    if r.is_empty() {
        return if h.is_empty() { 0.0 } else { 1.0 };
    }
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    let mut cur = vec![0usize; h.len() + 1];
    for (i, rw) in r.iter().enumerate() {
        cur[0] = i + 1;
        for (j, hw) in h.iter().enumerate() {
            let sub = prev[j] + usize::from(rw != hw);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[h.len()] as f64 / r.len() as f64
}

// ---------------------------------------------------------------------------------------
// Stats
// ---------------------------------------------------------------------------------------

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

// ---------------------------------------------------------------------------------------
// The two paths
// ---------------------------------------------------------------------------------------

/// A bare whisper-rs call with the settings `transcribe` uses for `p` (greedy, no
/// timestamps options, no prompt).
fn bare(wctx: &WhisperContext, samples: &[f32], p: &WhisperParams, language: &str) -> String {
    let mut state = wctx.create_state().expect("create_state");
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
    fp.set_n_threads(p.threads as i32);
    fp.set_translate(false);
    fp.set_language(Some(language));
    fp.set_print_progress(false);
    fp.set_print_realtime(false);
    fp.set_print_special(false);
    fp.set_print_timestamps(false);
    fp.set_temperature(p.temperature);
    fp.set_temperature_inc(p.temperature_increment);
    fp.set_no_speech_thold(p.no_speech_threshold);
    state.full(fp, samples).expect("full");
    let mut parts = Vec::new();
    for seg in state.as_iter() {
        let t = seg.to_str_lossy().expect("segment text");
        let t = t.trim();
        if !t.is_empty() {
            parts.push(t.to_owned());
        }
    }
    parts.join(" ")
}

fn node(audio: &AudioBuffer, p: &WhisperParams, ctx: &NodeCtx) -> String {
    transcribe(audio, None, p, ctx).expect("transcribe").text()
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn load_audio(path: &Path) -> AudioBuffer {
    decode_path(path, &DecodeLimits::default(), &CancelToken::new())
        .unwrap_or_else(|e| panic!("cannot decode {}: {e}", path.display()))
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn main() {
    let args = parse_args();
    let mut peak = Peak::new();
    let models = voxflow_nodes::models_dir_from_env(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/models"
    ));
    let speech = load_audio(&args.speech);
    let silence = load_audio(&args.silence);
    let speech_ref = read_text(&args.speech_text);
    let silence_ref = read_text(&args.silence_text);
    let dur_a = speech.duration_secs();
    let dur_b = silence.duration_secs();

    let model_path = resolve_model(&models, &args.model).expect("model");
    let model_file = model_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    // The node: one NodeResources per process; allow exactly the requested threads.
    let mut res = NodeResources::new(models.clone());
    res.max_threads = args.threads as usize;
    let ctx = NodeCtx::new(Arc::new(res));
    let p = WhisperParams {
        model: args.model.clone(),
        language: args.language.clone(),
        threads: args.threads,
        ..Default::default()
    };
    let rss_before_models = status_kb("VmRSS:").unwrap_or(0);
    let t0 = Instant::now();
    let (_, node_model) = ctx
        .resources
        .whisper_models
        .get(&p.model)
        .expect("node model");
    let node_load_s = t0.elapsed().as_secs_f64();
    // The node uses "en" for English-only models whatever `language` says.
    let language = if node_model.is_multilingual() {
        args.language.clone()
    } else {
        "en".to_owned()
    };
    if language == "auto" {
        eprintln!(
            "note: language auto: the node detects the language in its own encoder pass, \
             the bare call lets whisper.cpp do it inside full(); use --language en for a \
             like-for-like comparison"
        );
    }

    // The bare path: its own context, loaded the way the node loads (CPU, no GPU).
    let t0 = Instant::now();
    whisper_rs::install_logging_hooks();
    let mut cp = WhisperContextParameters::default();
    cp.use_gpu(false);
    let bare_ctx = WhisperContext::new_with_params(&model_path, cp).expect("bare model");
    let bare_load_s = t0.elapsed().as_secs_f64();
    let rss_models = status_kb("VmRSS:").unwrap_or(0);

    // ---- 1. node vs bare on the continuous-speech clip --------------------------------
    eprintln!("warm-up (bare, node) on {:.1} s of speech", dur_a);
    let bare_text = bare(&bare_ctx, &speech.samples, &p, &language);
    let node_text = node(&speech, &p, &ctx);
    let (mut t_bare, mut t_node) = (Vec::new(), Vec::new());
    let (mut c_bare, mut c_node) = (Vec::new(), Vec::new());
    let (mut pk_bare, mut pk_node) = (0u64, 0u64);
    let mut same_text = bare_text == node_text;
    for round in 0..args.rounds {
        peak.reset();
        let (tb, wall, cpu) = timed(|| bare(&bare_ctx, &speech.samples, &p, &language));
        t_bare.push(wall);
        c_bare.push(cpu);
        pk_bare = pk_bare.max(peak.read());

        peak.reset();
        let (tn, wall, cpu) = timed(|| node(&speech, &p, &ctx));
        t_node.push(wall);
        c_node.push(cpu);
        pk_node = pk_node.max(peak.read());
        same_text &= tb == bare_text && tn == node_text;
        eprintln!(
            "round {}/{}: bare {:.3} s (cpu {:.2}), node {:.3} s (cpu {:.2}); load {}",
            round + 1,
            args.rounds,
            t_bare[round],
            c_bare[round],
            t_node[round],
            c_node[round],
            loadavg()
        );
    }
    let pair_ratios: Vec<f64> = t_node.iter().zip(&t_bare).map(|(n, b)| n / b).collect();
    let cpu_pair_ratios: Vec<f64> = c_node.iter().zip(&c_bare).map(|(n, b)| n / b).collect();

    // ---- 2. node with and without VAD on the long-silence clip ------------------------
    let vp = VadParams::default();
    eprintln!(
        "warm-up (no VAD, VAD + node) on {:.1} s with long silences",
        dur_b
    );
    let novad_text = transcribe(&silence, None, &p, &ctx).expect("node").text();
    let regions = detect(&silence, &vp, &ctx).expect("vad");
    let vad_text = transcribe(&silence, Some(&regions), &p, &ctx)
        .expect("node")
        .text();
    let (mut t_novad, mut t_vad, mut t_vad_asr, mut t_vad_total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut c_novad, mut c_vad_total) = (Vec::new(), Vec::new());
    let (mut pk_novad, mut pk_vad) = (0u64, 0u64);
    let mut regions_last = regions;
    for round in 0..args.rounds {
        peak.reset();
        let (_, wall, cpu) = timed(|| transcribe(&silence, None, &p, &ctx).expect("node"));
        t_novad.push(wall);
        c_novad.push(cpu);
        pk_novad = pk_novad.max(peak.read());

        peak.reset();
        let (c0, t0) = (cpu_secs(), Instant::now());
        let r = detect(&silence, &vp, &ctx).expect("vad");
        let t1 = Instant::now();
        let _ = transcribe(&silence, Some(&r), &p, &ctx).expect("node");
        let t2 = Instant::now();
        c_vad_total.push(cpu_secs() - c0);
        t_vad.push((t1 - t0).as_secs_f64());
        t_vad_asr.push((t2 - t1).as_secs_f64());
        t_vad_total.push((t2 - t0).as_secs_f64());
        pk_vad = pk_vad.max(peak.read());
        regions_last = r;
        eprintln!(
            "round {}/{}: no VAD {:.3} s (cpu {:.2}), VAD {:.3} s + node {:.3} s (cpu {:.2}); load {}",
            round + 1,
            args.rounds,
            t_novad[round],
            c_novad[round],
            t_vad[round],
            t_vad_asr[round],
            c_vad_total[round],
            loadavg()
        );
    }
    let whole_run_kb = peak.read().max(peak.whole_run_kb);
    let speech_secs: f64 = regions_last.regions.iter().map(|r| r.end - r.start).sum();

    // ---- Report ------------------------------------------------------------------------
    let (mb, mn) = (median(&t_bare), median(&t_node));
    let ratio = mn / mb;
    let (pr_lo, pr_hi) = min_max(&pair_ratios);
    let cpu_ratio = median(&c_node) / median(&c_bare);
    let (cr_lo, cr_hi) = min_max(&cpu_pair_ratios);
    let verdict = |r: f64| {
        if (r - 1.0).abs() <= 0.05 {
            "within 5 %"
        } else {
            "outside 5 %"
        }
    };
    println!(
        "Model `{}` (`{model_file}`), {} threads, greedy (`best_of` 5, temperature 0, \
         fallback +0.2), language `{language}`; {} timed rounds per path after one warm-up \
         each, interleaved. Model loading excluded (node cache {:.2} s, bare {:.2} s, loaded once).\n",
        args.model, args.threads, args.rounds, node_load_s, bare_load_s
    );
    println!("**Node vs bare whisper-rs** — continuous speech, {dur_a:.1} s:\n");
    println!("| path | wall, median (s) | wall min – max (s) | RTF (median wall) | CPU, median (s) | WER |");
    println!("|---|---:|---:|---:|---:|---:|");
    let row = |name: &str, v: &[f64], c: &[f64], w: f64| {
        let (lo, hi) = min_max(v);
        println!(
            "| {name} | {:.3} | {lo:.3} – {hi:.3} | {:.4} | {:.2} | {:.1} % |",
            median(v),
            median(v) / dur_a,
            median(c),
            w * 100.0
        );
    };
    row(
        "bare whisper-rs (`state.full`)",
        &t_bare,
        &c_bare,
        wer(&speech_ref, &bare_text),
    );
    row(
        "node (`asr::whisper::transcribe`)",
        &t_node,
        &c_node,
        wer(&speech_ref, &node_text),
    );
    println!(
        "| **node / bare** | **{ratio:.3}** ({}) | per round {pr_lo:.3} – {pr_hi:.3} | | **{cpu_ratio:.3}** ({}; per round {cr_lo:.3} – {cr_hi:.3}) | |",
        verdict(ratio),
        verdict(cpu_ratio)
    );
    println!(
        "\nSame text from both paths in every run: {}.\n",
        if same_text { "yes" } else { "**no**" }
    );

    let (mv, mt) = (median(&t_novad), median(&t_vad_total));
    println!(
        "**VAD** — {dur_b:.1} s clip with long silences; Silero VAD found {} regions, \
         {speech_secs:.1} s of speech ({:.0} %):\n",
        regions_last.regions.len(),
        regions_last.speech_ratio * 100.0
    );
    println!("| path | VAD (s) | Whisper (s) | total wall, median (s) | min – max (s) | RTF | speedup | CPU, median (s) | WER |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let (lo, hi) = min_max(&t_novad);
    println!(
        "| node, no VAD | – | {mv:.3} | {mv:.3} | {lo:.3} – {hi:.3} | {:.4} | 1.00× | {:.2} | {:.1} % |",
        mv / dur_b,
        median(&c_novad),
        wer(&silence_ref, &novad_text) * 100.0
    );
    let (lo, hi) = min_max(&t_vad_total);
    println!(
        "| `vad::detect` + node on regions | {:.3} | {:.3} | {mt:.3} | {lo:.3} – {hi:.3} | {:.4} | {:.2}× | {:.2} | {:.1} % |",
        median(&t_vad),
        median(&t_vad_asr),
        mt / dur_b,
        mv / mt,
        median(&c_vad_total),
        wer(&silence_ref, &vad_text) * 100.0
    );
    println!(
        "\nVAD time includes loading the Silero model, which `vad::detect` does on every call. \
         RTF = wall time / clip length; \
         VAD and Whisper columns are medians of their own, so they need not add up to the total. \
         CPU = user + system time of the process (both threads) during the run.\n"
    );

    println!("**Peak RSS** (`VmHWM`):\n");
    println!("| what | MiB |");
    println!("|---|---:|");
    println!(
        "| RSS before loading Whisper (both clips decoded) | {:.0} |",
        mib(rss_before_models)
    );
    println!(
        "| RSS with both Whisper contexts loaded (node cache + bare) | {:.0} |",
        mib(rss_models)
    );
    if peak.can_reset {
        println!("| peak during a bare run | {:.0} |", mib(pk_bare));
        println!("| peak during a node run | {:.0} |", mib(pk_node));
        println!(
            "| peak during a node run, no VAD (long-silence clip) | {:.0} |",
            mib(pk_novad)
        );
        println!("| peak during VAD + node run | {:.0} |", mib(pk_vad));
    }
    println!(
        "| **whole run** (decoding, both contexts, every run above) | **{:.0}** |",
        mib(whole_run_kb)
    );
    println!(
        "\nPer-run peaks are the high-water mark after resetting it (`/proc/self/clear_refs`) \
         just before the run; they include everything resident at that moment (both model \
         contexts, both clips), so compare them with each other and with the loaded baseline, \
         not with a single-model process."
    );

    eprintln!("\nbare : {bare_text}\nnode : {node_text}\nnoVAD: {novad_text}\nVAD  : {vad_text}");
}
