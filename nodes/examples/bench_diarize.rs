//! Diarization benchmark: real-time factor of `diarize.pyannote` (per stage), peak RSS, and
//! DER against a reference. Prints a Markdown report on stdout (progress on stderr).
//!
//! ```text
//! cargo run --release -p voxflow-nodes --example bench_diarize -- \
//!     --audio conv.wav --reference conv.tsv [--threads 2] [--rounds 2] [--ort-lib PATH]
//! ```
//!
//! `conv.tsv`: one reference turn per line, `start<TAB>end<TAB>speaker` (seconds).
//! `scripts/bench-diarize.sh` makes the conversation and writes the report into
//! `docs/benchmarks.md`. Sessions are loaded (and the runtime initialised) by one untimed
//! warm-up run, as a long-running server has them pooled.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use voxflow_nodes::audio::decode::decode_path;
use voxflow_nodes::diarize::metrics::der;
use voxflow_nodes::diarize::{diarize, DiarizeParams};
use voxflow_nodes::{CancelToken, DecodeLimits, NodeCtx, NodeResources, SpeakerTurn};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn status_kb(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse().ok())
}

/// User + system CPU seconds of the process (100 Hz clock ticks).
fn cpu_secs() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
    rest.split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse::<u64>().ok())
        .sum::<u64>() as f64
        / 100.0
}

fn main() {
    let audio_path = PathBuf::from(arg("--audio").expect("--audio WAV"));
    let reference = arg("--reference").map(|p| {
        std::fs::read_to_string(p)
            .expect("reference")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                SpeakerTurn {
                    start: f[0].parse().expect("start"),
                    end: f[1].parse().expect("end"),
                    speaker: f[2].to_owned(),
                }
            })
            .collect::<Vec<_>>()
    });
    let threads: u32 = arg("--threads").map_or(2, |t| t.parse().expect("threads"));
    let rounds: usize = arg("--rounds").map_or(2, |t| t.parse().expect("rounds"));
    let models = voxflow_nodes::models_dir_from_env(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/models"
    ));
    let ort_lib = arg("--ort-lib").map(PathBuf::from).unwrap_or_else(|| {
        std::env::var_os("VOXFLOW_ORT_LIB")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
                    .join(voxflow_nodes::onnx::DEFAULT_LIB_PATH)
            })
    });
    let mut res = NodeResources::new(models).with_onnx_lib(ort_lib);
    res.max_threads = threads as usize;
    let res = Arc::new(res);
    let audio =
        decode_path(&audio_path, &DecodeLimits::default(), &CancelToken::new()).expect("decode");
    let secs = audio.duration_secs();
    let info = res.onnx.init().expect("ONNX Runtime").to_owned();
    let p = DiarizeParams {
        threads,
        ..Default::default()
    };

    // Stage timings from the progress messages: time spent while each step was reported.
    let stages = Arc::new(Mutex::new(Vec::<(String, f64)>::new()));
    let s2 = stages.clone();
    let t0 = Arc::new(Mutex::new(Instant::now()));
    let t2 = t0.clone();
    let ctx = NodeCtx::new(res.clone()).with_progress(Arc::new(move |_, m: &str| {
        let step = m.split(' ').next().unwrap_or("").to_owned();
        let now = t2.lock().unwrap().elapsed().as_secs_f64();
        s2.lock().unwrap().push((step, now));
    }));
    eprintln!("warm-up…");
    diarize(&audio, &p, &ctx).expect("diarize");
    let mut runs = Vec::new();
    for r in 0..rounds {
        stages.lock().unwrap().clear();
        *t0.lock().unwrap() = Instant::now();
        let (c0, w0) = (cpu_secs(), Instant::now());
        let turns = diarize(&audio, &p, &ctx).expect("diarize");
        let (wall, cpu) = (w0.elapsed().as_secs_f64(), cpu_secs() - c0);
        // Last report time of each step = when it finished.
        let marks = stages.lock().unwrap().clone();
        let end_of = |s: &str| {
            marks
                .iter()
                .filter(|(n, _)| n == s)
                .map(|x| x.1)
                .fold(0.0, f64::max)
        };
        let (seg, emb) = (end_of("segment"), end_of("embed"));
        eprintln!("round {}: {wall:.2} s wall, {cpu:.2} s CPU", r + 1);
        runs.push((wall, cpu, seg, emb - seg, wall - emb, turns));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (wall, cpu, seg, emb, rest, turns) = &runs[runs.len() / 2];
    println!(
        "Audio {secs:.1} s; {threads} ONNX Runtime thread(s) (`max_threads` {threads}); {} timed rounds after a warm-up, median shown; {info}.\n",
        rounds
    );
    println!("| stage | wall (s) | RTF |\n|---|---:|---:|");
    for (name, t) in [
        ("segmentation (pyannote, 10 s windows every 2.5 s)", *seg),
        (
            "embeddings (fbank + CAM++, 1.5 s every 0.5 s of speech)",
            *emb,
        ),
        ("clustering + turns", *rest),
        ("**total**", *wall),
    ] {
        println!("| {name} | {t:.2} | {:.4} |", t / secs);
    }
    println!(
        "\nCPU time (user + system) {cpu:.2} s = {:.2} cores busy on average. Peak RSS (`VmHWM`) {:.0} MiB (audio itself: {:.1} MiB).",
        cpu / wall,
        status_kb("VmHWM:").unwrap_or(0) as f64 / 1024.0,
        audio.samples.len() as f64 * 4.0 / 1048576.0
    );
    if let Some(r) = reference {
        let d = der(&r, &turns.turns, 0.25);
        let mut truth: Vec<&str> = r.iter().map(|t| t.speaker.as_str()).collect();
        truth.sort();
        truth.dedup();
        println!(
            "\nQuality on this clip: {} speakers found (truth {}), DER {:.2} % with a 0.25 s collar (missed {:.2} s, false alarm {:.2} s, confusion {:.2} s of {:.1} s).",
            turns.num_speakers,
            truth.len(),
            d.der * 100.0,
            d.missed,
            d.false_alarm,
            d.confusion,
            d.total
        );
    }
}
