//! Measure decode time/peak memory and Whisper real-time factor.
//!
//! `cargo run -p voxflow-nodes --example measure -- decode <file>`
//! `cargo run -p voxflow-nodes --example measure -- whisper <file> [model] [threads]`

use std::sync::Arc;
use std::time::Instant;
use voxflow_nodes::asr::whisper::{transcribe, WhisperParams};
use voxflow_nodes::audio::decode::decode_path;
use voxflow_nodes::{CancelToken, DecodeLimits, NodeCtx, NodeResources};

fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let file = std::path::Path::new(&args[2]);
    let t0 = Instant::now();
    let audio = decode_path(file, &DecodeLimits::default(), &CancelToken::new()).unwrap();
    let decode_s = t0.elapsed().as_secs_f64();
    println!(
        "decode {}: {:.1} s audio ({} Hz, {} ch, {}) in {decode_s:.2} s; output {:.1} MB; peak RSS {:.1} MB",
        file.display(),
        audio.info.duration_secs,
        audio.info.sample_rate,
        audio.info.channels,
        audio.info.codec,
        audio.samples.len() as f64 * 4.0 / 1e6,
        peak_rss_mb()
    );
    if args[1] == "whisper" {
        let models = voxflow_nodes::models_dir_from_env(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/models"
        ));
        let mut res = NodeResources::new(models);
        res.max_threads = 64;
        let ctx = NodeCtx::new(Arc::new(res));
        let p = WhisperParams {
            model: args.get(3).cloned().unwrap_or_else(|| "tiny.en".into()),
            threads: args.get(4).map_or(2, |t| t.parse().unwrap()),
            ..Default::default()
        };
        ctx.resources.whisper_models.get(&p.model).unwrap();
        let t0 = Instant::now();
        let t = transcribe(&audio, None, &p, &ctx).unwrap();
        let s = t0.elapsed().as_secs_f64();
        println!(
            "whisper {} threads {}: {s:.2} s for {:.2} s audio, RTF {:.3}\n{}",
            p.model,
            p.threads,
            t.duration,
            s / t.duration,
            t.text()
        );
    }
}
