//! Shared test helpers: reference clips made with espeak-ng + sox at test time, the models
//! dir, shared node resources, and a word error rate.
#![allow(dead_code)]

pub mod onnx;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};
use voxflow_nodes::{ModelCacheConfig, NodeCtx, NodeResources};

pub const EN_TEXT: &str = "The quick brown fox jumps over the lazy dog. \
She sells sea shells by the sea shore. \
Please call Stella and ask her to bring these things with her from the store.";

pub const ES_TEXT: &str = "Hola, me llamo Juan y vivo en Madrid. \
Hoy hace buen tiempo y vamos a la playa con mis amigos.";

/// Sentences for the long-silence clip (speech, 8 s silence, speech, 8 s silence, speech).
pub const SILENCE_PARTS: [&str; 3] = [
    "Good morning everyone, welcome to the meeting.",
    "The budget for next year is ready for review.",
    "Thank you all for coming today.",
];

pub fn models_dir() -> PathBuf {
    voxflow_nodes::models_dir_from_env(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/models"))
}

/// `libdeepfilter.so` + the DeepFilterNet3 model (`scripts/setup-native.sh deepfilter`).
pub fn deepfilter_dir() -> PathBuf {
    voxflow_nodes::deepfilter_dir_from_env(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vendor/deepfilter"
    ))
}

/// ONNX Runtime as `scripts/setup-native.sh` installs it (or `$VOXFLOW_ORT_LIB`).
pub fn ort_lib() -> PathBuf {
    std::env::var_os("VOXFLOW_ORT_LIB")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
                .join(voxflow_nodes::onnx::DEFAULT_LIB_PATH)
        })
}

/// One set of resources per test binary so each model loads once; decodes are serialised
/// (2 cores).
pub fn resources() -> Arc<NodeResources> {
    static R: OnceLock<Arc<NodeResources>> = OnceLock::new();
    R.get_or_init(|| {
        let mut r = NodeResources::new(models_dir())
            .with_cache_config(ModelCacheConfig {
                max_concurrent_decodes: 1,
            })
            .with_deepfilter_dir(deepfilter_dir())
            .with_onnx_lib(ort_lib());
        r.max_threads = 2;
        Arc::new(r)
    })
    .clone()
}

pub fn ctx() -> NodeCtx {
    NodeCtx::new(resources())
}

pub fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .map(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
        .unwrap_or(false)
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Synthesize `text` with espeak-ng voice `voice` into `out` (WAV, 22.05 kHz mono).
pub fn speak(voice: &str, text: &str, out: &Path) {
    assert!(
        have("espeak-ng"),
        "espeak-ng is required for these tests (apt-get install espeak-ng)"
    );
    run(Command::new("espeak-ng")
        .args(["-v", voice, "-s", "150", "-w"])
        .arg(out)
        .arg(text));
}

/// `sox` with the given args.
pub fn sox(args: &[&str]) {
    assert!(
        have("sox"),
        "sox is required for these tests (apt-get install sox libsox-fmt-all)"
    );
    run(Command::new("sox").args(args));
}

/// Does `sox -h` list `fmt` among its file formats?
pub fn sox_supports(fmt: &str) -> bool {
    let Ok(out) = Command::new("sox").arg("-h").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find(|l| l.starts_with("AUDIO FILE FORMATS:"))
        .is_some_and(|l| l.split_whitespace().any(|w| w == fmt))
}

pub fn ffmpeg(args: &[&str]) {
    run(Command::new("ffmpeg")
        .args(["-loglevel", "error", "-y"])
        .args(args));
}

/// English clip at 44.1 kHz stereo (to exercise downmix + resample).
pub fn english_wav(dir: &Path) -> PathBuf {
    let raw = dir.join("en_raw.wav");
    let out = dir.join("en.wav");
    if !out.exists() {
        speak("en-us", EN_TEXT, &raw);
        sox(&[
            raw.to_str().unwrap(),
            "-r",
            "44100",
            "-c",
            "2",
            out.to_str().unwrap(),
        ]);
    }
    out
}

pub fn spanish_wav(dir: &Path) -> PathBuf {
    let out = dir.join("es.wav");
    if !out.exists() {
        speak("es", ES_TEXT, &out);
    }
    out
}

/// speech, 8 s silence, speech, 8 s silence, speech (16 kHz mono).
pub fn long_silence_wav(dir: &Path) -> PathBuf {
    let out = dir.join("silences.wav");
    if out.exists() {
        return out;
    }
    let mut parts: Vec<String> = Vec::new();
    for (i, text) in SILENCE_PARTS.iter().enumerate() {
        let p = dir.join(format!("part{i}.wav"));
        speak("en-us", text, &p);
        let p16 = dir.join(format!("part{i}_16k.wav"));
        sox(&[p.to_str().unwrap(), "-r", "16000", p16.to_str().unwrap()]);
        parts.push(p16.to_str().unwrap().to_owned());
        if i + 1 < SILENCE_PARTS.len() {
            let s = dir.join(format!("sil{i}.wav"));
            sox(&[
                "-n",
                "-r",
                "16000",
                "-c",
                "1",
                "-b",
                "16",
                s.to_str().unwrap(),
                "trim",
                "0",
                "8",
            ]);
            parts.push(s.to_str().unwrap().to_owned());
        }
    }
    let mut args: Vec<&str> = parts.iter().map(String::as_str).collect();
    args.push(out.to_str().unwrap());
    sox(&args);
    out
}

fn normalize(s: &str) -> Vec<String> {
    s.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .map(|w| w.trim_matches('\'').to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word error rate of `hyp` against `reference` (case and punctuation ignored).
pub fn wer(reference: &str, hyp: &str) -> f64 {
    let r = normalize(reference);
    let h = normalize(hyp);
    if r.is_empty() {
        return if h.is_empty() { 0.0 } else { 1.0 };
    }
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    for i in 1..=r.len() {
        let mut cur = vec![i; h.len() + 1];
        for j in 1..=h.len() {
            let sub = prev[j - 1] + usize::from(r[i - 1] != h[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        prev = cur;
    }
    prev[h.len()] as f64 / r.len() as f64
}

#[test]
fn wer_works() {
    assert_eq!(wer("a b c d", "a b c d"), 0.0);
    assert_eq!(wer("a b c d", "a x c d"), 0.25);
    assert_eq!(wer("a b c d", "a c d"), 0.25);
    assert_eq!(wer("Hello, World!", "hello world"), 0.0);
    assert_eq!(wer("a b", "a b c d"), 1.0);
    assert_eq!(wer("a b c d", ""), 1.0);
}
