//! Speech-over-music mixes for the `bgm.separate` test and `examples/bgm_quality.rs`:
//! espeak-ng speech + sox music (plucked triads, kick, snare, hi-hat), mixed at a given
//! SNR, and the SI-SNR they are scored with.

use super::{sox, speak, EN_TEXT};
use std::path::Path;
use voxflow_nodes::audio::decode::decode_path;
use voxflow_nodes::CancelToken;

pub const RATE: u32 = 16_000;

/// Music at 16 kHz mono: 4 one-second plucked triads (C, Am, F, G) over a kick / hat /
/// snare / hat pattern, repeated to `bars` × 4 s.
pub fn music_wav(dir: &Path, bars: usize) -> std::path::PathBuf {
    let p = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let rate = RATE.to_string();
    let chords = [
        ["C3", "E4", "G4", "C5"],
        ["A2", "C4", "E4", "A4"],
        ["F2", "A3", "C4", "F4"],
        ["G2", "B3", "D4", "G4"],
    ];
    let mut chord_files = Vec::new();
    for (i, c) in chords.iter().enumerate() {
        let four = p(&format!("chord{i}_4ch.wav"));
        sox(&[
            "-R", "-n", "-r", &rate, "-c", "4", &four, "synth", "1", "pluck", c[0], "pluck", c[1],
            "pluck", c[2], "pluck", c[3],
        ]);
        let mono = p(&format!("chord{i}.wav"));
        sox(&[&four, "-c", "1", &mono]);
        chord_files.push(mono);
    }
    let chords_wav = p("chords.wav");
    let mut args: Vec<&str> = chord_files.iter().map(String::as_str).collect();
    args.push(&chords_wav);
    sox(&args);
    let (kick, hat, snare) = (p("kick.wav"), p("hat.wav"), p("snare.wav"));
    sox(&[
        "-R", "-n", "-r", &rate, "-c", "1", &kick, "synth", "0.12", "sine", "120-45", "fade", "q",
        "0", "0.12", "0.1", "pad", "0", "0.13",
    ]);
    sox(&[
        "-R",
        "-n",
        "-r",
        &rate,
        "-c",
        "1",
        &hat,
        "synth",
        "0.04",
        "whitenoise",
        "fade",
        "q",
        "0",
        "0.04",
        "0.035",
        "highpass",
        "5000",
        "pad",
        "0",
        "0.21",
    ]);
    sox(&[
        "-R",
        "-n",
        "-r",
        &rate,
        "-c",
        "1",
        &snare,
        "synth",
        "0.1",
        "whitenoise",
        "fade",
        "q",
        "0",
        "0.1",
        "0.09",
        "bandpass",
        "2000",
        "1.5k",
        "pad",
        "0",
        "0.15",
    ]);
    let beat = p("beat.wav");
    sox(&[&kick, &hat, &snare, &hat, &beat]);
    let drums = p("drums.wav");
    sox(&[&beat, &beat, &beat, &beat, &drums]);
    let bar = p("bar.wav");
    sox(&["-m", &chords_wav, &drums, &bar]);
    let out = p("music.wav");
    let mut args: Vec<&str> = vec![bar.as_str(); bars];
    args.push(&out);
    sox(&args);
    dir.join("music.wav")
}

pub fn load(path: &Path) -> Vec<f32> {
    decode_path(path, &Default::default(), &CancelToken::new())
        .unwrap()
        .samples
}

pub fn energy(x: &[f32]) -> f64 {
    x.iter().map(|&v| v as f64 * v as f64).sum()
}

/// Scale-invariant SNR (dB) of `est` against `reference`, both mean-removed.
pub fn si_snr(est: &[f32], reference: &[f32]) -> f64 {
    let n = est.len().min(reference.len());
    let me = est[..n].iter().map(|&v| v as f64).sum::<f64>() / n as f64;
    let mr = reference[..n].iter().map(|&v| v as f64).sum::<f64>() / n as f64;
    let (mut dot, mut rr) = (0.0, 0.0);
    for i in 0..n {
        let (e, r) = (est[i] as f64 - me, reference[i] as f64 - mr);
        dot += e * r;
        rr += r * r;
    }
    let alpha = dot / rr;
    let (mut t, mut noise) = (0.0, 0.0);
    for i in 0..n {
        let (e, r) = (est[i] as f64 - me, reference[i] as f64 - mr);
        let target = alpha * r;
        t += target * target;
        noise += (e - target) * (e - target);
    }
    10.0 * (t / noise).log10()
}

/// speech + music scaled to `snr_db`.
pub fn mix(speech: &[f32], music: &[f32], snr_db: f64) -> Vec<f32> {
    let music = &music[..speech.len()];
    let gain = (energy(speech) / energy(music) / 10f64.powf(snr_db / 10.0)).sqrt() as f32;
    speech
        .iter()
        .zip(music)
        .map(|(s, m)| s + gain * m)
        .collect()
}

pub fn speech_and_music(dir: &Path) -> (Vec<f32>, Vec<f32>) {
    let wav = dir.join("speech.wav");
    speak("en-us", EN_TEXT, &wav);
    let speech = load(&wav);
    let bars = (speech.len() as f64 / RATE as f64 / 4.0).ceil() as usize + 1;
    let music = load(&music_wav(dir, bars));
    (speech, music)
}
