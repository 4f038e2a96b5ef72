//! Opus in Ogg (`.opus` voice notes) and in WebM (browser MediaRecorder recordings, which
//! have no duration, no Cues and clusters of unknown size): decoding, timing, transcription
//! with tiny.en, and cut-off, corrupt and over-long files.

mod common;

use common::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use voxflow_nodes::audio::decode::{decode_bytes, decode_path};
use voxflow_nodes::{
    run_node_catching_panics, AudioBuffer, CancelToken, DecodeLimits, NodeErrorKind, NodeInputs,
    PortValue, Registry,
};

/// Ogg/Opus is sample-exact (granule positions and pre-skip); allow rounding.
const OGG_TOLERANCE_S: f64 = 0.005;
/// symphonia 0.5's Matroska reader ignores `DiscardPadding`, so WebM may decode up to one
/// of ffmpeg's 20 ms Opus frames longer than the source (never shorter).
const WEBM_PADDING_S: f64 = 0.020;

fn decode(path: &Path) -> AudioBuffer {
    decode_path(path, &DecodeLimits::default(), &CancelToken::new())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `ffmpeg -i input <args> -f webm pipe:1 > out`: written to a pipe, as a live recorder
/// would, so the muxer cannot seek back to fill in sizes, the duration or Cues.
fn ffmpeg_to_pipe(input: &Path, args: &[&str], out: &Path) {
    let o = Command::new("ffmpeg")
        .args(["-loglevel", "error", "-i"])
        .arg(input)
        .args(args)
        .args(["-f", "webm", "pipe:1"])
        .output()
        .expect("run ffmpeg");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(out, o.stdout).unwrap();
}

/// An EBML variable-size integer at `p`: (value, length); `keep_marker` for element IDs.
fn vint(d: &[u8], p: usize, keep_marker: bool) -> (u64, usize) {
    let len = d[p].leading_zeros() as usize + 1;
    let mut v = if keep_marker {
        d[p] as u64
    } else {
        d[p] as u64 & (0xFF >> len)
    };
    for b in &d[p + 1..p + len] {
        v = (v << 8) | *b as u64;
    }
    (v, len)
}

const SEGMENT: u64 = 0x1853_8067;
const CLUSTER: u64 = 0x1F43_B675;
const CUES: u64 = 0x1C53_BB6B;

/// Rewrites a pipe-written WebM the way Chrome's MediaRecorder writes it: every Cluster of
/// unknown size (`unknown_size` is the size field: 8-byte `01 FF…` or 1-byte `FF`), no
/// Cues. ffmpeg always writes cluster sizes (it buffers each cluster), so this is the only
/// way to get such a file here without a browser.
fn media_recorder_webm(pipe_webm: &[u8], unknown_size: &[u8]) -> Vec<u8> {
    let d = pipe_webm;
    let mut out = Vec::with_capacity(d.len());
    // EBML header, copied.
    let (_, id_len) = vint(d, 0, true);
    let (size, size_len) = vint(d, id_len, false);
    let mut p = id_len + size_len + size as usize;
    out.extend_from_slice(&d[..p]);
    // Segment header (already of unknown size when written to a pipe), copied.
    let (id, id_len) = vint(d, p, true);
    assert_eq!(id, SEGMENT);
    let (_, size_len) = vint(d, p + id_len, false);
    out.extend_from_slice(&d[p..p + id_len + size_len]);
    p += id_len + size_len;
    while p < d.len() {
        let (id, id_len) = vint(d, p, true);
        let (size, size_len) = vint(d, p + id_len, false);
        let data = p + id_len + size_len;
        let end = data + size as usize;
        match id {
            CLUSTER => {
                out.extend_from_slice(&d[p..p + id_len]);
                out.extend_from_slice(unknown_size);
                out.extend_from_slice(&d[data..end]);
            }
            CUES => {}
            _ => out.extend_from_slice(&d[p..end]),
        }
        p = end;
    }
    out
}

struct Clip {
    path: PathBuf,
    channels: u16,
    webm: bool,
}

/// The English clip as Ogg/Opus (mono, stereo) and WebM/Opus (seekable, to a pipe, live with
/// small clusters, MediaRecorder-style with unknown-size clusters).
fn opus_clips(dir: &Path) -> (PathBuf, Vec<Clip>) {
    assert!(
        have("ffmpeg"),
        "ffmpeg (with libopus) is required for these tests (apt-get install ffmpeg)"
    );
    let wav = english_wav(dir);
    let w = wav.to_str().unwrap();
    let clip = |name: &str, channels, webm| Clip {
        path: dir.join(name),
        channels,
        webm,
    };
    let clips = vec![
        clip("mono.opus", 1, false),
        clip("stereo.opus", 2, false),
        clip("seekable.webm", 1, true),
        clip("pipe.webm", 1, true),
        clip("live.webm", 1, true),
        clip("mediarecorder.webm", 1, true),
        clip("mediarecorder-ff.webm", 2, true),
    ];
    let p = |i: usize| clips[i].path.to_str().unwrap().to_owned();
    ffmpeg(&["-i", w, "-ac", "1", "-c:a", "libopus", "-b:a", "32k", &p(0)]);
    ffmpeg(&["-i", w, "-c:a", "libopus", "-b:a", "64k", &p(1)]);
    ffmpeg(&["-i", w, "-ac", "1", "-c:a", "libopus", &p(2)]);
    // 24 kHz input: the track then declares SamplingFrequency 24000, Opus still decodes at 48.
    ffmpeg_to_pipe(
        &wav,
        &["-ac", "1", "-ar", "24000", "-c:a", "libopus"],
        &clips[3].path,
    );
    ffmpeg_to_pipe(
        &wav,
        &[
            "-ac",
            "1",
            "-c:a",
            "libopus",
            "-live",
            "1",
            "-cluster_size_limit",
            "2000",
        ],
        &clips[4].path,
    );
    let piped = std::fs::read(&clips[3].path).unwrap();
    std::fs::write(
        &clips[5].path,
        media_recorder_webm(&piped, &[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
    )
    .unwrap();
    let stereo_pipe = dir.join("stereo-pipe.webm");
    ffmpeg_to_pipe(&wav, &["-c:a", "libopus"], &stereo_pipe);
    let piped = std::fs::read(&stereo_pipe).unwrap();
    std::fs::write(&clips[6].path, media_recorder_webm(&piped, &[0xFF])).unwrap();
    (wav, clips)
}

/// Whether EBML data ends exactly after an element (masters of unknown size are entered,
/// every other element skipped by its size), not inside one.
fn ends_between_elements(d: &[u8]) -> bool {
    let mut p = 0usize;
    while p < d.len() {
        let id_len = d[p].leading_zeros() as usize + 1;
        let Some(&first) = d.get(p + id_len) else {
            return false;
        };
        let size_len = first.leading_zeros() as usize + 1;
        if id_len > 4 || size_len > 8 || p + id_len + size_len > d.len() {
            return false;
        }
        let raw = &d[p + id_len..p + id_len + size_len];
        let mask = 0xFFu8.checked_shr(size_len as u32).unwrap_or(0);
        let unknown = raw[0] & mask == mask && raw[1..].iter().all(|&b| b == 0xFF);
        let size = raw[1..]
            .iter()
            .fold(u64::from(raw[0] & mask), |v, &b| (v << 8) | u64::from(b));
        let data = p + id_len + size_len;
        p = if unknown { data } else { data + size as usize };
    }
    p == d.len()
}

/// The lag (in samples) at which `b` best matches `a`, searched over ±`max_lag` on the
/// first 2 s.
fn best_lag(a: &[f32], b: &[f32], max_lag: isize) -> isize {
    let n = a.len().min(b.len()).min(32_000) as isize;
    let score = |lag: isize| -> f64 {
        (max_lag..n - max_lag)
            .map(|i| a[i as usize] as f64 * b[(i + lag) as usize] as f64)
            .sum()
    };
    (-max_lag..=max_lag)
        .map(|lag| (lag, score(lag)))
        .max_by(|x, y| x.1.total_cmp(&y.1))
        .unwrap()
        .0
}

#[test]
fn opus_in_ogg_and_webm_decodes_to_16k_mono_aligned_with_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let (wav, clips) = opus_clips(dir.path());
    let reference = decode(&wav);
    let secs = reference.info.duration_secs;
    for clip in &clips {
        let a = decode(&clip.path);
        let name = clip.path.file_name().unwrap().to_string_lossy();
        assert_eq!(a.sample_rate, 16_000, "{name}");
        assert_eq!(a.info.sample_rate, 48_000, "{name}: Opus decodes at 48 kHz");
        assert_eq!(a.info.channels, clip.channels, "{name}");
        assert_eq!(a.info.codec, "opus", "{name}");
        let extra = a.info.duration_secs - secs;
        let (low, high) = if clip.webm {
            (-OGG_TOLERANCE_S, WEBM_PADDING_S + OGG_TOLERANCE_S)
        } else {
            (-OGG_TOLERANCE_S, OGG_TOLERANCE_S)
        };
        assert!(
            (low..=high).contains(&extra),
            "{name}: {:.4} s decoded vs {secs:.4} s source",
            a.info.duration_secs
        );
        assert!((a.duration_secs() - a.info.duration_secs).abs() < 0.001);
        // Pre-skip dropped: the speech lines up with the source (without it, 312 samples at
        // 48 kHz = 104 at 16 kHz late).
        let lag = best_lag(&reference.samples, &a.samples, 120);
        assert!(lag.abs() <= 2, "{name}: decoded audio is {lag} samples off");
        // Bytes decode the same as the path.
        let b = decode_bytes(
            std::fs::read(&clip.path).unwrap(),
            None,
            &DecodeLimits::default(),
            &CancelToken::new(),
        )
        .unwrap();
        assert_eq!(b.samples.len(), a.samples.len(), "{name}");
        println!(
            "{name}: {} ch, {:.4} s ({:+.1} ms vs source), lag {lag}",
            a.info.channels,
            a.info.duration_secs,
            extra * 1000.0
        );
    }
}

#[test]
fn tiny_en_transcribes_ogg_and_webm_opus() {
    let dir = tempfile::tempdir().unwrap();
    let (_, clips) = opus_clips(dir.path());
    let node = Registry::new().get("whisper.transcribe").unwrap();
    for name in ["mono.opus", "pipe.webm", "mediarecorder.webm"] {
        let clip = clips.iter().find(|c| c.path.ends_with(name)).unwrap();
        let mut inputs = NodeInputs::new();
        inputs.insert(
            "audio".into(),
            PortValue::Audio(Arc::new(decode(&clip.path))),
        );
        let out = run_node_catching_panics(
            node.as_ref(),
            inputs,
            json!({"model": "tiny.en", "language": "en", "threads": 2}),
            &ctx(),
        )
        .unwrap();
        let PortValue::Text(text) = &out["text"] else {
            panic!("{:?}", out["text"]);
        };
        let w = wer(EN_TEXT, text);
        println!("{name}: WER {w:.3}: {text:?}");
        assert!(w <= 0.35, "{name}: WER {w} too high: {text}");
    }
}

#[test]
fn cut_off_and_corrupt_opus_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (_, clips) = opus_clips(dir.path());
    for clip in &clips {
        let name = clip.path.file_name().unwrap().to_string_lossy();
        let bytes = std::fs::read(&clip.path).unwrap();
        // Many cut points: where a cut falls (a block's header or its data, an Ogg page's
        // header or body) decides which check catches it, and the clips differ run to run
        // (sox dithers the speech at random).
        for k in 1..=24 {
            let keep = 0.2 + 0.75 * k as f64 / 24.0;
            let cut = bytes[..(bytes.len() as f64 * keep) as usize].to_vec();
            let Some(e) = decode_bytes(
                cut.clone(),
                None,
                &DecodeLimits::default(),
                &CancelToken::new(),
            )
            .err() else {
                // A live WebM cut exactly between two elements is a complete, shorter
                // stream (as if the recording had stopped there): nothing can tell.
                assert!(
                    clip.webm && ends_between_elements(&cut),
                    "{name} cut to {keep:.3} decoded without an error"
                );
                println!("{name} cut to {keep:.3}: ends between two elements, a shorter stream");
                continue;
            };
            assert_eq!(
                e.kind,
                NodeErrorKind::CorruptAudio,
                "{name} cut to {keep}: {e}"
            );
            println!("{name} cut to {keep:.3}: {}", e.message);
        }
    }
    // Only the headers survive: symphonia's probe then finds no usable stream.
    let bytes = std::fs::read(dir.path().join("mono.opus")).unwrap();
    let e = decode_bytes(
        bytes[..200].to_vec(),
        None,
        &DecodeLimits::default(),
        &CancelToken::new(),
    )
    .unwrap_err();
    assert!(
        matches!(
            e.kind,
            NodeErrorKind::CorruptAudio
                | NodeErrorKind::EmptyAudio
                | NodeErrorKind::UnsupportedFormat
        ),
        "{e}"
    );
    // Garbage after the headers: Ogg page checksums fail. (WebM has no checksums: see the
    // known limits in nodes/README.md.)
    for name in ["mono.opus"] {
        let mut bytes = std::fs::read(dir.path().join(name)).unwrap();
        let mut x: u32 = 12345;
        for b in bytes.iter_mut().skip(600) {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *b = (x >> 16) as u8;
        }
        let e =
            decode_bytes(bytes, None, &DecodeLimits::default(), &CancelToken::new()).unwrap_err();
        assert!(
            matches!(
                e.kind,
                NodeErrorKind::CorruptAudio | NodeErrorKind::EmptyAudio
            ),
            "{name}: {e}"
        );
        println!("{name} with a garbage body: {}", e.message);
    }
}

#[test]
fn duration_limit_applies_to_opus() {
    let dir = tempfile::tempdir().unwrap();
    let (_, clips) = opus_clips(dir.path());
    let limits = DecodeLimits {
        max_bytes: u64::MAX,
        max_duration_secs: 2.0,
    };
    for (name, how) in [
        ("mono.opus", "declared"),
        ("seekable.webm", "declared"),
        ("mediarecorder.webm", "at least"),
    ] {
        let clip = clips.iter().find(|c| c.path.ends_with(name)).unwrap();
        let e = decode_path(&clip.path, &limits, &CancelToken::new()).unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::TooLong, "{name}: {e}");
        assert!(e.message.contains(how), "{name}: {}", e.message);
    }
}
