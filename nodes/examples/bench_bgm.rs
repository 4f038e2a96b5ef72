//! Real-time factor of `bgm.separate` (DeepFilterNet3) on one audio file.
//!
//! cargo run --release -p voxflow-nodes --example bench_bgm -- \
//!     --audio mix.wav [--threads 1,2] [--rounds 3] [--deepfilter-dir vendor/deepfilter]
//!
//! Prints a Markdown table: per thread count, the median wall time, process CPU time
//! (user + system, from /proc/self/stat) and real-time factors, plus the peak RSS.
//! Used by `scripts/bench-bgm.sh`.

use std::sync::Arc;
use std::time::Instant;
use voxflow_nodes::audio::decode::decode_path;
use voxflow_nodes::{
    run_node_catching_panics, CancelToken, NodeCtx, NodeInputs, NodeResources, PortValue, Registry,
};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// User + system CPU seconds of this process.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let audio = arg("--audio").expect("--audio FILE");
    let rounds: usize = arg("--rounds").map_or(3, |r| r.parse().unwrap());
    let threads: Vec<u32> = arg("--threads")
        .unwrap_or_else(|| "1,2".into())
        .split(',')
        .map(|t| t.parse().unwrap())
        .collect();
    let dir = voxflow_nodes::deepfilter_dir_from_env(
        arg("--deepfilter-dir").unwrap_or_else(|| voxflow_nodes::DEFAULT_DEEPFILTER_DIR.into()),
    );
    let mut resources = NodeResources::new("/nonexistent").with_deepfilter_dir(dir);
    resources.max_threads = threads.iter().copied().max().unwrap_or(1) as usize;
    let resources = Arc::new(resources);
    let buffer =
        Arc::new(decode_path(audio.as_ref(), &Default::default(), &CancelToken::new()).unwrap());
    let secs = buffer.duration_secs();
    let node = Registry::new().get("bgm.separate").unwrap();
    // Load the library and model once, outside the timings (the service keeps them loaded).
    resources.deepfilter.load().unwrap();
    let rss_before = peak_rss_mb();
    println!("| threads | audio (s) | wall median (s) | RTF (wall) | CPU median (s) | CPU / audio s | rounds |");
    println!("|---|---|---|---|---|---|---|");
    for &t in &threads {
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        for _ in 0..rounds {
            let mut inputs = NodeInputs::new();
            inputs.insert("audio".into(), PortValue::Audio(buffer.clone()));
            let ctx = NodeCtx::new(resources.clone());
            let (c0, t0) = (cpu_secs(), Instant::now());
            let out = run_node_catching_panics(
                node.as_ref(),
                inputs,
                serde_json::json!({"threads": t}),
                &ctx,
            )
            .unwrap();
            walls.push(t0.elapsed().as_secs_f64());
            cpus.push(cpu_secs() - c0);
            drop(out);
        }
        walls.sort_by(f64::total_cmp);
        cpus.sort_by(f64::total_cmp);
        let (w, c) = (walls[walls.len() / 2], cpus[cpus.len() / 2]);
        println!(
            "| {t} | {secs:.1} | {w:.2} | **{:.3}** | {c:.2} | {:.3} | {} |",
            w / secs,
            c / secs,
            walls
                .iter()
                .map(|w| format!("{w:.2}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!();
    println!(
        "Peak RSS: {:.0} MB after decoding ({:.0} MB of it the 16 kHz input), {:.0} MB at the end.",
        rss_before,
        buffer.samples.len() as f64 * 4.0 / 1e6,
        peak_rss_mb()
    );
}
