//! Where `bgm.separate` (DeepFilterNet3) gains or loses quality: the mixes of tests/bgm.rs
//! (espeak-ng speech + sox music at 0 / 5 / 10 dB SNR), scored several ways side by side so
//! each hypothesis is isolated by the difference of two columns.
//!
//! cargo run -p voxflow-nodes --example bgm_quality [-- --wer tiny.en,base [--attens 100,30,20,12,6]]
//!
//! Columns (SI-SNR gain of the vocal stem against the clean speech; `sox`, `espeak-ng` on PATH):
//! - node: `deepfilter::vocals` as the node runs it (streaming 16 → 48 → 16 kHz, half-second
//!   blocks);
//! - rubato down 171 (odd, old): the 48 → 16 kHz step as `StreamResampler` did it before
//!   its FFT sizes were made even (⅓ sample late);
//! - rubato 172 / 512 / 2048: whole-signal rubato down with that FFT length at 16 kHz
//!   (filter sharpness; 512 is `StreamResampler`'s default; vs node: block edges);
//! - sox: `sox rate -v` both ways around the same model (resampler quality);
//! - @48k: scored at 48 kHz against the up-sampled speech (scoring rate);
//!
//! plus each resampler's round trip on the clean speech (its own ceiling). `--wer` adds
//! Whisper's WER on the mix and on the vocal stem for each `atten_lim_db` (greedy decoding,
//! as in the test), with the stems' SI-SNR gains.

use std::io::Write;
use std::process::Command;
use std::sync::Arc;
use voxflow_nodes::audio::resample::StreamResampler;
use voxflow_nodes::bgm::deepfilter::{self, DfSettings};
use voxflow_nodes::{
    run_node_catching_panics, AudioBuffer, AudioInfo, NodeCtx, NodeInputs, PortValue, Registry,
};

#[path = "../tests/common/mod.rs"]
mod common;

use common::bgm_mix::{mix, si_snr, speech_and_music};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// `sox rate -v` (very high quality), raw f32 through temp files; exactly
/// `len · to / from` samples out.
fn sox_rate(x: &[f32], from: u32, to: u32) -> Vec<f32> {
    let dir = tempfile::tempdir().unwrap();
    let (i, o) = (dir.path().join("in.f32"), dir.path().join("out.f32"));
    let mut f = std::fs::File::create(&i).unwrap();
    for v in x {
        f.write_all(&v.to_le_bytes()).unwrap();
    }
    drop(f);
    let raw = |rate: u32| {
        [
            "-t".to_string(),
            "raw".into(),
            "-r".into(),
            rate.to_string(),
            "-e".into(),
            "floating-point".into(),
            "-b".into(),
            "32".into(),
            "-c".into(),
            "1".into(),
        ]
    };
    let st = Command::new("sox")
        .arg("-V1")
        .args(raw(from))
        .arg(&i)
        .args(raw(to))
        .arg(&o)
        .args(["rate", "-v", &to.to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let bytes = std::fs::read(&o).unwrap();
    let mut y: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    y.resize(x.len() * to as usize / from as usize, 0.0);
    y
}

/// 48 → 16 kHz as `StreamResampler` did before its FFT sizes were made even:
/// `FftFixedIn(1024 frames, 2 sub-chunks)` = FFT 513 → 171, delay compensated by rubato's
/// reported `output_delay` (⅓ sample short).
fn rubato_odd_down(x: &[f32]) -> Vec<f32> {
    use rubato::{FftFixedIn, Resampler};
    let mut r = FftFixedIn::<f32>::new(48_000, 16_000, 1024, 2, 1).unwrap();
    let mut out = Vec::new();
    let mut chunks = x.chunks_exact(1024);
    for c in &mut chunks {
        out.extend_from_slice(&r.process(&[c], None).unwrap()[0]);
    }
    out.extend_from_slice(
        &r.process_partial(Some(&[chunks.remainder()]), None)
            .unwrap()[0],
    );
    for _ in 0..4 {
        out.extend_from_slice(&r.process_partial::<&[f32]>(None, None).unwrap()[0]);
    }
    let mut out = out.split_off(r.output_delay());
    out.resize(x.len() / 3, 0.0);
    out
}

/// Whole-signal rubato resampling with an FFT block of `fft_len` at the lower rate.
fn rubato(x: &[f32], from: u32, to: u32, fft_len: usize) -> Vec<f32> {
    let mut r = StreamResampler::with_fft_len(from, to, fft_len).unwrap();
    r.push(x).unwrap();
    r.finish().unwrap()
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let (speech, music) = speech_and_music(tmp.path());
    let resources = common::resources();
    let ctx = NodeCtx::new(resources.clone());
    let loaded = resources.deepfilter.load().unwrap();
    let separate = |x: &[f32], rate: u32, atten_lim_db: f32| {
        let settings = DfSettings {
            atten_lim_db,
            threads: 1,
        };
        deepfilter::vocals(&loaded, x, rate, settings, &ctx).unwrap()
    };
    let model = |x: &[f32], rate: u32| separate(x, rate, 100.0);
    let up_r = |x: &[f32]| rubato(x, 16_000, 48_000, 512);
    let down_r = |x: &[f32]| rubato(x, 48_000, 16_000, 172);
    let down_r512 = |x: &[f32]| rubato(x, 48_000, 16_000, 512);
    let down_r2k = |x: &[f32]| rubato(x, 48_000, 16_000, 2048);
    let up_s = |x: &[f32]| sox_rate(x, 16_000, 48_000);
    let down_s = |x: &[f32]| sox_rate(x, 48_000, 16_000);

    println!(
        "round trip 16→48→16 on clean speech: rubato {:.2} / {:.2} / {:.2} / {:.2} dB (down FFT 171 odd / 172 / 512 / 2048), sox {:.2} dB",
        si_snr(&rubato_odd_down(&up_r(&speech)), &speech),
        si_snr(&down_r(&up_r(&speech)), &speech),
        si_snr(&down_r512(&up_r(&speech)), &speech),
        si_snr(&down_r2k(&up_r(&speech)), &speech),
        si_snr(&down_s(&up_s(&speech)), &speech)
    );
    println!(
        "clean speech through the node: {:.2} dB",
        si_snr(&model(&speech, 16_000), &speech)
    );
    let (sp48_r, sp48_s) = (up_r(&speech), up_s(&speech));
    println!("| input SNR | node | rubato down 171 (odd, old) | rubato 172 | rubato 512 | rubato 2048 | sox | rubato @48k | sox @48k |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for snr in [0.0, 5.0, 10.0] {
        let m = mix(&speech, &music, snr);
        let before = si_snr(&m, &speech);
        let g = |est: &[f32], r: &[f32], b: f64| format!("{:+.2}", si_snr(est, r) - b);
        let node = model(&m, 16_000);
        let (m48_r, m48_s) = (up_r(&m), up_s(&m));
        let (v48_r, v48_s) = (model(&m48_r, 48_000), model(&m48_s, 48_000));
        println!(
            "| {snr:.0} dB | {} | {} | {} | {} | {} | {} | {} | {} |",
            g(&node, &speech, before),
            g(&rubato_odd_down(&v48_r), &speech, before),
            g(&down_r(&v48_r), &speech, before),
            g(&down_r512(&v48_r), &speech, before),
            g(&down_r2k(&v48_r), &speech, before),
            g(&down_s(&v48_s), &speech, before),
            g(&v48_r, &sp48_r, si_snr(&m48_r, &sp48_r)),
            g(&v48_s, &sp48_s, si_snr(&m48_s, &sp48_s)),
        );
    }
    if let Some(models) = arg("--wer") {
        wer_table(&speech, &music, &models, &separate);
    }
}

/// One input SNR: the mix and its vocal stem for each `atten_lim_db`.
type Run = (Vec<f32>, Vec<Vec<f32>>);
/// (signal, rate, atten_lim_db) → vocal stem.
type Separate<'a> = dyn Fn(&[f32], u32, f32) -> Vec<f32> + 'a;

/// Whisper's WER on the mix and on the vocal stem at several `atten_lim_db`, with the stem's
/// SI-SNR gain, for each model in `models` (comma-separated catalog names).
fn wer_table(speech: &[f32], music: &[f32], models: &str, separate: &Separate<'_>) {
    let attens: Vec<f32> = arg("--attens")
        .unwrap_or_else(|| "100,30,20,12,6".into())
        .split(',')
        .map(|a| a.parse().unwrap())
        .collect();
    let snrs = [0.0, 5.0, 10.0];
    // Per SNR, separated once and shared by the models.
    let runs: Vec<Run> = snrs
        .iter()
        .map(|&snr| {
            let m = mix(speech, music, snr);
            let stems = attens.iter().map(|&a| separate(&m, 16_000, a)).collect();
            (m, stems)
        })
        .collect();
    let header = |first: &str| {
        println!();
        print!("| input SNR | {first}");
        for a in &attens {
            print!(" | atten_lim_db {a}");
        }
        println!(" |");
        println!("|---|---{}|", "|---".repeat(attens.len()));
    };
    println!();
    println!("SI-SNR gain of the vocal stem:");
    header("mix");
    for (snr, (m, stems)) in snrs.iter().zip(&runs) {
        let before = si_snr(m, speech);
        print!("| {snr:.0} dB | ({before:.2} dB)");
        for v in stems {
            print!(" | {:+.2}", si_snr(v, speech) - before);
        }
        println!(" |");
    }
    for model in models.split(',') {
        let clean = transcribe(model, speech);
        println!();
        println!(
            "{model} WER, mix vs vocal stem (clean speech: {:.3}):",
            common::wer(common::EN_TEXT, &clean)
        );
        header("mix");
        for (snr, (m, stems)) in snrs.iter().zip(&runs) {
            print!(
                "| {snr:.0} dB | {:.3}",
                common::wer(common::EN_TEXT, &transcribe(model, m))
            );
            for v in stems {
                print!(
                    " | {:.3}",
                    common::wer(common::EN_TEXT, &transcribe(model, v))
                );
            }
            println!(" |");
        }
    }
}

/// Greedy decoding, as in tests/bgm.rs (sampling made the WER differ run to run).
fn transcribe(model: &str, samples: &[f32]) -> String {
    let node = Registry::new().get("whisper.transcribe").unwrap();
    let mut inputs = NodeInputs::new();
    inputs.insert(
        "audio".into(),
        PortValue::Audio(Arc::new(AudioBuffer {
            samples: samples.to_vec(),
            sample_rate: 16_000,
            info: AudioInfo {
                duration_secs: samples.len() as f64 / 16_000.0,
                sample_rate: 16_000,
                channels: 1,
                codec: "pcm".into(),
            },
        })),
    );
    let params = serde_json::json!({"model": model, "language": "en", "threads": 2, "temperature_increment": 0.0});
    let out = run_node_catching_panics(node.as_ref(), inputs, params, &common::ctx()).unwrap();
    match &out["text"] {
        PortValue::Text(t) => t.clone(),
        other => panic!("{other:?}"),
    }
}
