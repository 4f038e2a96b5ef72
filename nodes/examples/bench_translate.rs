//! Translation benchmark: `translate.text` with Apertium (eng → spa) on transcripts the
//! length of 1, 5 and 60 minutes of speech, batched (the node) vs one `apertium` call per
//! segment (what a naive integration does). Prints a Markdown report.
//!
//!   cargo run --release -p voxflow-nodes --example bench_translate -- [--rounds N] [--naive-segments N]
//!
//! The transcripts are English sentences at 150 words per minute in segments of ~12 words
//! (Whisper's usual size); RTF = wall time / the speech duration the transcript stands for.
//! CPU time is the process's plus its waited-for children's (the Apertium pipelines).

use serde_json::json;
use std::sync::Arc;
use std::time::Instant;
use voxflow_nodes::translate::apertium::Apertium;
use voxflow_nodes::translate::{TranslateNode, Translator};
use voxflow_nodes::{
    CancelToken, Node, NodeCtx, NodeInputs, NodeResources, PortValue, Segment, Transcript,
};

const SENTENCES: &[&str] = &[
    "The old lighthouse stood at the edge of the cliff for more than a century.",
    "Every night the keeper climbed the narrow stairs and lit the great lamp.",
    "In winter the storms were so strong that the windows rattled all night.",
    "We need to send the quarterly report to the finance team before Friday.",
    "She planted tomatoes, beans and sunflowers in the garden behind the house.",
    "Our train was late because of heavy snow on the northern line.",
    "The meeting about the new budget has been moved to Thursday afternoon.",
    "I think we should ask the customers what they want before we build it.",
    "The children walked to school together and talked about the football match.",
    "Please remember to close the windows before you leave the office tonight.",
    "He bought fresh bread, cheese and apples at the market this morning.",
    "The doctor said that my brother must rest for two weeks after the operation.",
];

const WORDS_PER_MINUTE: f64 = 150.0;

fn transcript(minutes: f64) -> Transcript {
    let words_wanted = (minutes * WORDS_PER_MINUTE) as usize;
    let words: Vec<&str> = SENTENCES
        .iter()
        .cycle()
        .flat_map(|s| s.split_whitespace())
        .take(words_wanted)
        .collect();
    let secs_per_word = 60.0 / WORDS_PER_MINUTE;
    let segments = words
        .chunks(12)
        .enumerate()
        .map(|(i, chunk)| {
            let start = (i * 12) as f64 * secs_per_word;
            Segment {
                id: i as u32,
                start,
                end: start + chunk.len() as f64 * secs_per_word,
                text: format!(" {}", chunk.join(" ")),
                avg_logprob: -0.2,
                no_speech_prob: 0.01,
                words: None,
                speaker: None,
            }
        })
        .collect();
    Transcript {
        language: "en".into(),
        language_probability: None,
        duration: minutes * 60.0,
        segments,
    }
}

/// Seconds of CPU used by this process and its waited-for children so far.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may contain spaces): state is field 3.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // utime, stime, cutime, cstime are fields 14–17, i.e. 11–14 after the name.
    let ticks: f64 = f.get(11..15).map(|s| s.iter().sum()).unwrap_or(0.0);
    ticks / 100.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let mut rounds = 3usize;
    let mut naive_segments = 60usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().and_then(|v| v.parse().ok()).unwrap_or(rounds),
            "--naive-segments" => {
                naive_segments = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(naive_segments)
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let apertium = Arc::new(Apertium::system());
    assert!(
        apertium.mode_names().contains(&"eng-spa".to_string()),
        "needs apertium + apertium-eng-spa"
    );
    let node = TranslateNode::new(apertium.clone());
    let ctx = NodeCtx::new(Arc::new(NodeResources::new("/nonexistent")));

    println!("Engine: Apertium `eng-spa` (Debian apertium-eng-spa), `apertium -u -f txt`; {rounds} timed rounds after one warm-up, median reported.\n");
    println!("| transcript | segments | words | wall, median (s) | min – max (s) | RTF | segments/s | words/s | CPU, median (s) |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for minutes in [1.0, 5.0, 60.0] {
        let t = transcript(minutes);
        let words: usize = t
            .segments
            .iter()
            .map(|s| s.text.split_whitespace().count())
            .sum();
        let mut inputs = NodeInputs::new();
        inputs.insert("transcript".into(), PortValue::Transcript(t.clone()));
        let params = json!({"target_language": "es"});
        let _ = node
            .run(inputs.clone(), params.clone(), &ctx)
            .expect("warm-up");
        let (mut walls, mut cpus) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let (c0, w0) = (cpu_secs(), Instant::now());
            let out = node
                .run(inputs.clone(), params.clone(), &ctx)
                .expect("translate");
            walls.push(w0.elapsed().as_secs_f64());
            cpus.push(cpu_secs() - c0);
            let PortValue::Transcript(o) = &out["transcript"] else {
                panic!()
            };
            assert_eq!(o.segments.len(), t.segments.len());
        }
        let wall = median(walls.clone());
        let (lo, hi) = (
            walls.iter().cloned().fold(f64::MAX, f64::min),
            walls.iter().cloned().fold(0.0, f64::max),
        );
        println!(
            "| {minutes:.0} min of speech | {} | {words} | {wall:.2} | {lo:.2} – {hi:.2} | {:.4} | {:.0} | {:.0} | {:.2} |",
            t.segments.len(),
            wall / t.duration,
            t.segments.len() as f64 / wall,
            words as f64 / wall,
            median(cpus)
        );
    }

    // One call per segment, as a naive integration would do it.
    let t = transcript(5.0);
    let texts: Vec<String> = t
        .segments
        .iter()
        .take(naive_segments)
        .map(|s| s.text.trim().to_string())
        .collect();
    let (c0, w0) = (cpu_secs(), Instant::now());
    for text in &texts {
        apertium
            .translate(
                std::slice::from_ref(text),
                "eng",
                "spa",
                &CancelToken::new(),
            )
            .expect("translate");
    }
    let naive = w0.elapsed().as_secs_f64();
    let naive_cpu = cpu_secs() - c0;
    let (c0, w0) = (cpu_secs(), Instant::now());
    apertium
        .translate(&texts, "eng", "spa", &CancelToken::new())
        .expect("translate");
    let batched = w0.elapsed().as_secs_f64();
    let batched_cpu = cpu_secs() - c0;
    println!(
        "\n**Batching** — the first {} segments of the 5-minute transcript:\n",
        texts.len()
    );
    println!("| how | wall (s) | per segment (ms) | CPU (s) |");
    println!("|---|---:|---:|---:|");
    println!(
        "| one `apertium` call per segment | {naive:.2} | {:.0} | {naive_cpu:.2} |",
        naive * 1000.0 / texts.len() as f64
    );
    println!(
        "| one call for all (the node) | {batched:.2} | {:.1} | {batched_cpu:.2} |",
        batched * 1000.0 / texts.len() as f64
    );
    println!("| **speedup** | **{:.0}×** | | |", naive / batched);
}
