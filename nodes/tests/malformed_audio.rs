//! A bounded, deterministic mutation ("fuzz") run of the audio decoder over real files of
//! every supported format.
//!
//! What it proves: for each seed file (≈ 3.4 s of espeak-ng speech, encoded by ffmpeg as
//! WAV PCM, WAV ADPCM, AIFF, FLAC, MP3, Ogg/Vorbis, Ogg/Opus, M4A/AAC, M4A/ALAC, WebM/Opus
//! (seekable, and written to a pipe as a live recorder does) and Matroska/FLAC),
//! [`CASES_PER_FORMAT`] mutated copies — 1–64 bit flips, byte runs overwritten with
//! 0x00/0xFF/random, truncations (inside the header too), a corrupted first 64 bytes,
//! size/length/count/rate fields set to huge or extreme values (found by walking each
//! container: RIFF/FORM chunks, FLAC STREAMINFO, ID3/Xing/LAME, Ogg pages and OpusHead/Vorbis
//! headers, MP4 boxes and sample tables, EBML element sizes), duplicated, removed, swapped and
//! spliced chunks — go through both `decode_bytes` and `probe_duration` (from a file), with
//! the modest [`LIMITS`], and every call
//!
//! - returns within [`CALL_TIMEOUT`] (else a hang, named with the format, the mutation and
//!   its seed),
//! - does not panic out of the decoder (a panic raised inside symphonia that
//!   `decode_source` contains is an `Err`; those are counted and listed by site),
//! - does not kill the process: each format runs in a worker process whose address space
//!   is capped at [`ADDRESS_SPACE_LIMIT`], so a runaway allocation aborts there, the same
//!   on every machine, instead of eating the machine's memory; the run then resumes after
//!   the culprit and reports it as a crash,
//! - keeps the worker's peak RSS (`VmHWM`) growth under [`RSS_GROWTH_LIMIT`],
//! - and answers either `Err` with a non-empty message, or `Ok` with sane output: 16 kHz,
//!   finite samples, a duration within [`LIMITS`] that matches the samples.
//!
//! It does not prove the decoded audio right (a mutated file may decode to other sound),
//! nor anything about release builds: this runs with overflow checks, so some symphonia
//! overflows show up as contained panics that a release build would wrap past.
//!
//! Everything is reproducible: case `i` of a format comes from `case_seed(format, i)` through
//! an inline SplitMix64, and the seed files are bit-exact for given espeak-ng and ffmpeg
//! versions (ffmpeg runs with `-fflags +bitexact`; sox is not used, it dithers at random).
//! A failure line's format and case are enough to rerun it: see `repro`, and the tests at
//! the end, one per decoder bug this run found (fixed, kept as regression tests).
//!
//! Run: `cargo test -p voxflow-nodes --test malformed_audio -- --nocapture` (≈ 2–2.5 min on
//! 2 cores, dev profile with optimised dependencies); the summary line starts with
//! `malformed audio:`.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use voxflow_nodes::audio::decode::{decode_bytes, probe_duration};
use voxflow_nodes::{AudioBuffer, CancelToken, DecodeLimits, NodeError, NodeErrorKind};

/// Mutated inputs per format (each goes through `decode_bytes` and `probe_duration`).
const CASES_PER_FORMAT: u32 = 250;
/// Base of every case seed; change it to explore other mutations.
const BASE_SEED: u64 = 0x766F_7866_6C6F_7721;
/// Per call: past this, a call is a hang (its cancel token is then set).
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// Worker processes at once (this is sized for a machine with 2 cores).
const LANES: usize = 2;
/// Bound on the growth of a worker process's peak RSS over its whole run.
const RSS_GROWTH_LIMIT: u64 = 1536 * 1024 * 1024;
/// Address space of a worker process: an allocation past this fails (and aborts) in the
/// worker instead of growing until the machine runs out of memory.
const ADDRESS_SPACE_LIMIT: u64 = 6 * 1024 * 1024 * 1024;
/// Modest limits, so that a huge declared size is refused rather than honoured.
const LIMITS: DecodeLimits = DecodeLimits {
    max_bytes: 16 * 1024 * 1024,
    max_duration_secs: 3600.0,
};
/// Spoken into every seed file (≈ 2.5 s at espeak-ng's default pace).
const SEED_TEXT: &str = "The quick brown fox jumps over the lazy dog.";
/// Cases that are known decoder bugs and tolerated by the main test, as (format, case).
/// Empty on purpose: a case goes here only once its bug is filed and the owner agrees.
const KNOWN_FAILURES: &[(&str, u32)] = &[];

/// Environment of a worker process (see [`fuzz_worker`]).
const ENV_FORMAT: &str = "VOXFLOW_FUZZ_FORMAT";
const ENV_SEED_DIR: &str = "VOXFLOW_FUZZ_SEED_DIR";
/// The cases to run, `from..to`.
const ENV_CASES: &str = "VOXFLOW_FUZZ_CASES";
/// Prefix of the worker's report lines on stdout.
const TAG: &str = "@@fuzz";

// ---------------------------------------------------------------------------------------
// Formats and their seed files

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Container {
    Riff,
    Aiff,
    Flac,
    Mpeg,
    Ogg,
    Mp4,
    Ebml,
}

struct Format {
    name: &'static str,
    ext: &'static str,
    container: Container,
}

impl Format {
    const fn new(name: &'static str, ext: &'static str, container: Container) -> Self {
        Self {
            name,
            ext,
            container,
        }
    }
}

const FORMATS: [Format; 12] = [
    Format::new("wav-pcm", "wav", Container::Riff),
    Format::new("wav-adpcm", "wav", Container::Riff),
    Format::new("aiff", "aiff", Container::Aiff),
    Format::new("flac", "flac", Container::Flac),
    Format::new("mp3", "mp3", Container::Mpeg),
    Format::new("ogg-vorbis", "ogg", Container::Ogg),
    Format::new("ogg-opus", "opus", Container::Ogg),
    Format::new("m4a-aac", "m4a", Container::Mp4),
    Format::new("m4a-alac", "m4a", Container::Mp4),
    Format::new("webm-opus", "webm", Container::Ebml),
    Format::new("webm-opus-piped", "webm", Container::Ebml),
    Format::new("mka-flac", "mka", Container::Ebml),
];

fn format(name: &str) -> &'static Format {
    FORMATS
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("unknown format `{name}`"))
}

fn require(tool: &str) {
    assert!(
        common::have(tool),
        "`{tool}` is required by this test and is not installed \
         (apt-get install espeak-ng ffmpeg)"
    );
}

fn seed_path(dir: &Path, f: &Format) -> PathBuf {
    dir.join(format!("{}.{}", f.name, f.ext))
}

/// `ffmpeg -i input <args> out`, without version strings or metadata in the output.
fn ffmpeg_to(input: &Path, args: &[&str], out: &Path) {
    let mut all = vec!["-i", input.to_str().unwrap(), "-map_metadata", "-1"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-fflags", "+bitexact", "-flags:a", "+bitexact"]);
    all.push(out.to_str().unwrap());
    common::ffmpeg(&all);
}

/// Writes the seed file of `f` into `dir` (from `speech`, espeak-ng's 22.05 kHz mono WAV).
fn make_seed(dir: &Path, speech: &Path, f: &Format) -> PathBuf {
    let out = seed_path(dir, f);
    let s = speech.to_str().unwrap();
    match f.name {
        "wav-pcm" => ffmpeg_to(
            speech,
            &["-ar", "44100", "-ac", "2", "-c:a", "pcm_s16le"],
            &out,
        ),
        "wav-adpcm" => ffmpeg_to(speech, &["-c:a", "adpcm_ms"], &out),
        "aiff" => ffmpeg_to(speech, &["-c:a", "pcm_s16be"], &out),
        "flac" => ffmpeg_to(speech, &["-ar", "44100", "-ac", "2", "-c:a", "flac"], &out),
        "mp3" => ffmpeg_to(
            speech,
            &[
                "-ar",
                "44100",
                "-ac",
                "2",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "64k",
            ],
            &out,
        ),
        "ogg-vorbis" => ffmpeg_to(speech, &["-c:a", "libvorbis", "-q:a", "3"], &out),
        "ogg-opus" => ffmpeg_to(speech, &["-c:a", "libopus", "-b:a", "32k"], &out),
        "m4a-aac" => ffmpeg_to(speech, &["-c:a", "aac", "-b:a", "64k"], &out),
        "m4a-alac" => ffmpeg_to(speech, &["-c:a", "alac"], &out),
        "webm-opus" => ffmpeg_to(speech, &["-c:a", "libopus", "-b:a", "32k"], &out),
        "webm-opus-piped" => {
            // Written to a pipe, as a live recorder would: a Segment of unknown size, no
            // Duration, no Cues.
            let o = Command::new("ffmpeg")
                .args(["-loglevel", "error", "-i", s, "-map_metadata", "-1"])
                .args(["-c:a", "libopus", "-b:a", "32k", "-fflags", "+bitexact"])
                .args(["-f", "webm", "pipe:1"])
                .output()
                .expect("run ffmpeg");
            assert!(
                o.status.success(),
                "ffmpeg: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            std::fs::write(&out, o.stdout).unwrap();
        }
        "mka-flac" => ffmpeg_to(speech, &["-c:a", "flac"], &out),
        other => unreachable!("no seed recipe for {other}"),
    }
    out
}

/// Every seed file in `dir`, each checked to decode cleanly (else the corpus is broken,
/// not the decoder under mutation).
fn make_seeds(dir: &Path) {
    for tool in ["espeak-ng", "ffmpeg"] {
        require(tool);
    }
    let speech = dir.join("speech.wav");
    common::speak("en-us", SEED_TEXT, &speech);
    for f in &FORMATS {
        let path = make_seed(dir, &speech, f);
        let bytes = std::fs::read(&path).unwrap();
        let a = decode_bytes(bytes.clone(), Some(f.ext), &LIMITS, &CancelToken::new())
            .unwrap_or_else(|e| panic!("seed {} does not decode: {e}", f.name));
        assert!(
            a.info.duration_secs > 1.0 && a.samples.len() > 16_000,
            "seed {}: {:?}",
            f.name,
            a.info
        );
        let layout = layout(f.container, &bytes);
        println!(
            "seed {:<16} {:>7} bytes, {:.2} s {} {} Hz {} ch; {} fields, {} chunks found",
            f.name,
            bytes.len(),
            a.info.duration_secs,
            a.info.codec,
            a.info.sample_rate,
            a.info.channels,
            layout.fields.len(),
            layout.chunks.len()
        );
        assert!(
            !layout.fields.is_empty() && !layout.chunks.is_empty(),
            "seed {}: its structure was not found",
            f.name
        );
    }
}

// ---------------------------------------------------------------------------------------
// Deterministic randomness

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for picking mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `r` (which must not be empty).
    fn range(&mut self, r: Range<usize>) -> usize {
        assert!(!r.is_empty(), "empty range");
        r.start + (self.next() % (r.end - r.start) as u64) as usize
    }

    fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }

    fn byte(&mut self) -> u8 {
        self.next() as u8
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0..items.len())]
    }
}

/// The seed of case `index` of the format `name`.
fn case_seed(name: &str, index: u32) -> u64 {
    let h = name.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    });
    let mut r = Rng(BASE_SEED ^ h ^ (u64::from(index) << 32));
    r.next()
}

// ---------------------------------------------------------------------------------------
// Where the size fields and chunks of each container are

/// How a field is stored.
#[derive(Clone, Copy, Debug)]
enum Width {
    U8,
    U16Le,
    U16Be,
    U24Be,
    U32Le,
    U32Be,
    U64Le,
    U64Be,
    /// An EBML variable-size integer of this many bytes (length marker kept).
    Vint(usize),
    /// `len` bits starting `bit` bits into the field (big-endian bit order).
    Bits {
        bit: usize,
        len: usize,
    },
}

/// A size, length, count or rate field of a seed file.
struct Field {
    at: usize,
    width: Width,
    what: String,
    /// One of many alike (a block or page header): picked less often.
    bulk: bool,
}

/// A structural unit (chunk, box, page, element, frame) of a seed file.
struct Chunk {
    range: Range<usize>,
    what: String,
}

#[derive(Default)]
struct Layout {
    fields: Vec<Field>,
    chunks: Vec<Chunk>,
}

impl Layout {
    fn field(&mut self, at: usize, width: Width, what: impl Into<String>) {
        self.fields.push(Field {
            at,
            width,
            what: what.into(),
            bulk: false,
        });
    }

    fn bulk_field(&mut self, at: usize, width: Width, what: impl Into<String>) {
        self.fields.push(Field {
            at,
            width,
            what: what.into(),
            bulk: true,
        });
    }

    fn chunk(&mut self, range: Range<usize>, what: impl Into<String>) {
        if !range.is_empty() {
            self.chunks.push(Chunk {
                range,
                what: what.into(),
            });
        }
    }
}

fn be(d: &[u8], at: usize, n: usize) -> u64 {
    d[at..at + n]
        .iter()
        .fold(0, |v, &b| (v << 8) | u64::from(b))
}

fn le(d: &[u8], at: usize, n: usize) -> u64 {
    d[at..at + n]
        .iter()
        .rev()
        .fold(0, |v, &b| (v << 8) | u64::from(b))
}

fn fourcc(d: &[u8], at: usize) -> String {
    String::from_utf8_lossy(&d[at..at + 4]).into_owned()
}

fn layout(container: Container, d: &[u8]) -> Layout {
    let mut l = Layout::default();
    match container {
        Container::Riff => riff_layout(d, &mut l),
        Container::Aiff => aiff_layout(d, &mut l),
        Container::Flac => flac_layout(d, &mut l),
        Container::Mpeg => mpeg_layout(d, &mut l),
        Container::Ogg => ogg_layout(d, &mut l),
        Container::Mp4 => mp4_layout(d, 0, d.len(), "", &mut l),
        Container::Ebml => ebml_layout(d, 0, d.len(), 0, &mut l),
    }
    l.fields.retain(|f| f.at + width_bytes(f.width) <= d.len());
    l
}

fn riff_layout(d: &[u8], l: &mut Layout) {
    l.field(4, Width::U32Le, "RIFF size");
    let mut p = 12;
    while p + 8 <= d.len() {
        let id = fourcc(d, p);
        let size = le(d, p + 4, 4) as usize;
        l.field(p + 4, Width::U32Le, format!("'{id}' chunk size"));
        if id == "fmt " {
            let b = p + 8;
            l.field(b, Width::U16Le, "fmt format tag");
            l.field(b + 2, Width::U16Le, "fmt channels");
            l.field(b + 4, Width::U32Le, "fmt sample rate");
            l.field(b + 8, Width::U32Le, "fmt byte rate");
            l.field(b + 12, Width::U16Le, "fmt block align");
            l.field(b + 14, Width::U16Le, "fmt bits per sample");
            if size >= 20 {
                l.field(b + 16, Width::U16Le, "fmt extra size");
                l.field(b + 18, Width::U16Le, "fmt samples per block");
            }
        }
        let end = (p + 8 + size + (size & 1)).min(d.len());
        l.chunk(p..end, format!("'{id}' chunk"));
        p = end;
    }
}

fn aiff_layout(d: &[u8], l: &mut Layout) {
    l.field(4, Width::U32Be, "FORM size");
    let mut p = 12;
    while p + 8 <= d.len() {
        let id = fourcc(d, p);
        let size = be(d, p + 4, 4) as usize;
        l.field(p + 4, Width::U32Be, format!("'{id}' chunk size"));
        let b = p + 8;
        match id.as_str() {
            "COMM" => {
                l.field(b, Width::U16Be, "COMM channels");
                l.field(b + 2, Width::U32Be, "COMM sample frames");
                l.field(b + 6, Width::U16Be, "COMM sample size");
                l.field(b + 8, Width::U16Be, "COMM sample rate exponent");
                l.field(b + 10, Width::U64Be, "COMM sample rate mantissa");
            }
            "SSND" => {
                l.field(b, Width::U32Be, "SSND offset");
                l.field(b + 4, Width::U32Be, "SSND block size");
            }
            _ => {}
        }
        let end = (b + size + (size & 1)).min(d.len());
        l.chunk(p..end, format!("'{id}' chunk"));
        p = end;
    }
}

fn flac_layout(d: &[u8], l: &mut Layout) {
    let mut p = 4;
    loop {
        if p + 4 > d.len() {
            return;
        }
        let kind = d[p] & 0x7F;
        let last = d[p] & 0x80 != 0;
        let len = be(d, p + 1, 3) as usize;
        l.field(p, Width::U8, format!("metadata block {kind} type byte"));
        l.field(p + 1, Width::U24Be, format!("metadata block {kind} length"));
        if kind == 0 {
            let b = p + 4;
            l.field(b, Width::U16Be, "STREAMINFO min block size");
            l.field(b + 2, Width::U16Be, "STREAMINFO max block size");
            l.field(b + 4, Width::U24Be, "STREAMINFO min frame size");
            l.field(b + 7, Width::U24Be, "STREAMINFO max frame size");
            l.field(
                b + 10,
                Width::Bits { bit: 0, len: 20 },
                "STREAMINFO sample rate",
            );
            l.field(
                b + 10,
                Width::Bits { bit: 20, len: 3 },
                "STREAMINFO channels-1",
            );
            l.field(
                b + 10,
                Width::Bits { bit: 23, len: 5 },
                "STREAMINFO bits per sample-1",
            );
            l.field(
                b + 10,
                Width::Bits { bit: 28, len: 36 },
                "STREAMINFO total samples",
            );
        }
        let end = (p + 4 + len).min(d.len());
        l.chunk(p..end, format!("metadata block {kind}"));
        p = end;
        if last {
            break;
        }
    }
    // Audio frames: from one frame sync code (14 bits 0x3FFE, then a 0 bit) to the next.
    let syncs: Vec<usize> = (p..d.len().saturating_sub(1))
        .filter(|&i| d[i] == 0xFF && d[i + 1] & 0xFE == 0xF8)
        .collect();
    for (n, w) in syncs.windows(2).enumerate() {
        l.chunk(w[0]..w[1], format!("frame {n}"));
        l.bulk_field(
            w[0] + 2,
            Width::U8,
            format!("frame {n} block size/rate byte"),
        );
    }
}

/// MPEG-1 Layer III frame length, if `h` is such a frame header.
fn mp3_frame_len(h: u32) -> Option<usize> {
    const KBPS: [usize; 15] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ];
    const RATES: [usize; 3] = [44_100, 48_000, 32_000];
    if h >> 21 != 0x7FF || (h >> 19) & 3 != 3 || (h >> 17) & 3 != 1 {
        return None;
    }
    let kbps = *KBPS.get(((h >> 12) & 0xF) as usize)?;
    let rate = *RATES.get(((h >> 10) & 3) as usize)?;
    let pad = ((h >> 9) & 1) as usize;
    (kbps > 0).then(|| 144 * kbps * 1000 / rate + pad)
}

fn mpeg_layout(d: &[u8], l: &mut Layout) {
    let mut p = 0;
    if d.starts_with(b"ID3") {
        l.field(6, Width::U32Be, "ID3v2 tag size (syncsafe)");
        let size = d[6..10]
            .iter()
            .fold(0usize, |v, &b| (v << 7) | usize::from(b & 0x7F));
        p = 10 + size;
        l.chunk(0..p, "ID3v2 tag");
    }
    let mut n = 0;
    while p + 4 <= d.len() {
        let Some(len) = mp3_frame_len(be(d, p, 4) as u32) else {
            break;
        };
        let end = (p + len).min(d.len());
        if n == 0 {
            l.field(p, Width::U32Be, "first frame header");
            for tag in [&b"Xing"[..], b"Info"] {
                if let Some(x) = d[p..end].windows(4).position(|w| w == tag).map(|x| p + x) {
                    let flags = be(d, x + 4, 4);
                    let mut at = x + 8;
                    for (bit, what) in [(1, "Xing frame count"), (2, "Xing byte count")] {
                        if flags & bit != 0 {
                            l.field(at, Width::U32Be, what);
                            at += 4;
                        }
                    }
                }
            }
            if let Some(x) = d[p..end]
                .windows(4)
                .position(|w| w == b"LAME")
                .map(|x| p + x)
            {
                l.field(
                    x + 21,
                    Width::Bits { bit: 0, len: 12 },
                    "LAME encoder delay",
                );
                l.field(x + 21, Width::Bits { bit: 12, len: 12 }, "LAME padding");
            }
        } else {
            l.bulk_field(p, Width::U32Be, format!("frame {n} header"));
        }
        l.chunk(p..end, format!("frame {n}"));
        p = end;
        n += 1;
    }
}

fn ogg_layout(d: &[u8], l: &mut Layout) {
    let mut p = 0;
    let mut n = 0;
    while p + 27 <= d.len() && &d[p..p + 4] == b"OggS" {
        let segs = usize::from(d[p + 26]);
        if p + 27 + segs > d.len() {
            break;
        }
        let body: usize = d[p + 27..p + 27 + segs]
            .iter()
            .map(|&b| usize::from(b))
            .sum();
        let packet = p + 27 + segs;
        let end = (packet + body).min(d.len());
        let add = |l: &mut Layout, at, w, what: String| {
            if n < 3 {
                l.field(at, w, what);
            } else {
                l.bulk_field(at, w, what);
            }
        };
        add(l, p + 5, Width::U8, format!("page {n} header type"));
        add(l, p + 6, Width::U64Le, format!("page {n} granule position"));
        add(l, p + 26, Width::U8, format!("page {n} segment count"));
        if segs > 0 {
            add(l, p + 27, Width::U8, format!("page {n} first lacing value"));
            add(
                l,
                p + 26 + segs,
                Width::U8,
                format!("page {n} last lacing value"),
            );
        }
        if d[packet..end].starts_with(b"OpusHead") {
            l.field(packet + 9, Width::U8, "OpusHead channels");
            l.field(packet + 10, Width::U16Le, "OpusHead pre-skip");
            l.field(packet + 12, Width::U32Le, "OpusHead input rate");
            l.field(packet + 18, Width::U8, "OpusHead mapping family");
        }
        if d[packet..end].starts_with(b"\x01vorbis") {
            l.field(packet + 11, Width::U8, "Vorbis channels");
            l.field(packet + 12, Width::U32Le, "Vorbis sample rate");
            l.field(packet + 28, Width::U8, "Vorbis block sizes");
        }
        l.chunk(p..end, format!("page {n}"));
        p = end;
        n += 1;
    }
}

fn mp4_layout(d: &[u8], start: usize, end: usize, parent: &str, l: &mut Layout) {
    let mut p = start;
    while p + 8 <= end {
        let size = be(d, p, 4) as usize;
        let kind = fourcc(d, p + 4);
        l.field(p, Width::U32Be, format!("'{kind}' box size"));
        let len = match size {
            0 => end - p,
            1 if p + 16 <= end => {
                l.field(p + 8, Width::U64Be, format!("'{kind}' box large size"));
                be(d, p + 8, 8) as usize
            }
            n => n,
        };
        if len < 8 {
            return;
        }
        let b_end = (p + len).min(end);
        l.chunk(p..b_end, format!("'{kind}' box"));
        let full = p + 12; // after a full box's version and flags
        match kind.as_str() {
            "moov" | "trak" | "mdia" | "minf" | "stbl" | "udta" | "edts" | "dinf" => {
                mp4_layout(d, p + 8, b_end, &kind, l);
            }
            "meta" => mp4_layout(d, full, b_end, &kind, l),
            "stsd" => {
                l.field(full, Width::U32Be, "'stsd' entry count");
                mp4_layout(d, full + 4, b_end, &kind, l);
            }
            "mp4a" | "alac" if parent == "stsd" => {
                l.field(p + 24, Width::U16Be, format!("'{kind}' channels"));
                l.field(p + 26, Width::U16Be, format!("'{kind}' sample size"));
                l.field(
                    p + 32,
                    Width::U32Be,
                    format!("'{kind}' sample rate (16.16)"),
                );
                mp4_layout(d, p + 36, b_end, &kind, l);
            }
            "alac" => {
                l.field(full, Width::U32Be, "ALAC cookie frame length");
                l.field(full + 5, Width::U8, "ALAC cookie bit depth");
                l.field(full + 9, Width::U8, "ALAC cookie channels");
                l.field(full + 12, Width::U32Be, "ALAC cookie max frame bytes");
                l.field(full + 20, Width::U32Be, "ALAC cookie sample rate");
            }
            "stts" | "stsc" | "stco" | "co64" | "elst" => {
                l.field(full, Width::U32Be, format!("'{kind}' entry count"));
            }
            "stsz" => {
                l.field(full, Width::U32Be, "'stsz' sample size");
                l.field(full + 4, Width::U32Be, "'stsz' sample count");
            }
            "mdhd" | "mvhd" if p + 9 <= end => {
                if d[p + 8] == 0 {
                    l.field(full + 8, Width::U32Be, format!("'{kind}' timescale"));
                    l.field(full + 12, Width::U32Be, format!("'{kind}' duration"));
                } else {
                    l.field(full + 16, Width::U32Be, format!("'{kind}' timescale"));
                    l.field(full + 20, Width::U64Be, format!("'{kind}' duration"));
                }
            }
            _ => {}
        }
        p += len;
    }
}

/// EBML IDs of the Matroska master elements (children follow their header).
const EBML_MASTERS: [u32; 16] = [
    0x1A45_DFA3, // EBML header
    0x1853_8067, // Segment
    0x114D_9B74, // SeekHead
    0x4DBB,      // Seek
    0x1549_A966, // Info
    0x1654_AE6B, // Tracks
    0xAE,        // TrackEntry
    0xE1,        // Audio
    0x1F43_B675, // Cluster
    0xA0,        // BlockGroup
    0x1C53_BB6B, // Cues
    0xBB,        // CuePoint
    0xB7,        // CueTrackPositions
    0x1254_C367, // Tags
    0x7373,      // Tag
    0x67C8,      // SimpleTag
];

/// EBML IDs of the leaf elements whose values are worth setting to extremes.
const EBML_VALUES: [(u32, &str); 9] = [
    (0x4286, "EBMLVersion"),
    (0x42F2, "EBMLMaxIDLength"),
    (0x42F3, "EBMLMaxSizeLength"),
    (0x2AD7B1, "TimestampScale"),
    (0x4489, "Duration"),
    (0x9F, "Channels"),
    (0xB5, "SamplingFrequency"),
    (0x56AA, "CodecDelay"),
    (0xE7, "Cluster Timestamp"),
];

/// An EBML element header at `p`: (id, id length, size, size length, size unknown).
fn ebml_header(d: &[u8], p: usize) -> Option<(u32, usize, u64, usize, bool)> {
    let id_len = d.get(p)?.leading_zeros() as usize + 1;
    if id_len > 4 || p + id_len >= d.len() {
        return None;
    }
    let id = be(d, p, id_len) as u32;
    let s = p + id_len;
    let size_len = d[s].leading_zeros() as usize + 1;
    if size_len > 8 || s + size_len > d.len() {
        return None;
    }
    // The value bits: all but the length marker (and the zeros before it).
    let all_ones = (1u64 << (7 * size_len)) - 1;
    let size = be(d, s, size_len) & all_ones;
    Some((id, id_len, size, size_len, size == all_ones))
}

fn ebml_layout(d: &[u8], start: usize, end: usize, depth: usize, l: &mut Layout) {
    let mut p = start;
    while p < end {
        let Some((id, id_len, size, size_len, unknown)) = ebml_header(d, p) else {
            return;
        };
        let data = p + id_len + size_len;
        let e_end = if unknown {
            end
        } else {
            (data + size as usize).min(end)
        };
        let what = format!("element {id:#X}");
        let is_block = id == 0xA3 || id == 0xA1; // SimpleBlock, Block
        if is_block {
            l.bulk_field(
                p + id_len,
                Width::Vint(size_len),
                format!("{what} (block) size"),
            );
        } else {
            l.field(p + id_len, Width::Vint(size_len), format!("{what} size"));
        }
        if let Some((_, name)) = EBML_VALUES.iter().find(|(v, _)| *v == id) {
            let width = match size {
                1 => Some(Width::U8),
                2 => Some(Width::U16Be),
                3 => Some(Width::U24Be),
                4 => Some(Width::U32Be),
                8 => Some(Width::U64Be),
                _ => None,
            };
            if let Some(w) = width {
                l.field(data, w, format!("{name} value"));
            }
        }
        if id == 0x63A2
            && d.get(data..e_end)
                .is_some_and(|b| b.starts_with(b"OpusHead"))
        {
            l.field(data + 9, Width::U8, "CodecPrivate OpusHead channels");
            l.field(data + 10, Width::U16Le, "CodecPrivate OpusHead pre-skip");
        }
        l.chunk(p..e_end, what);
        if EBML_MASTERS.contains(&id) && depth < 8 {
            ebml_layout(d, data, e_end, depth + 1, l);
        }
        p = e_end;
    }
}

// ---------------------------------------------------------------------------------------
// Mutations

fn width_bytes(w: Width) -> usize {
    match w {
        Width::U8 => 1,
        Width::U16Le | Width::U16Be => 2,
        Width::U24Be => 3,
        Width::U32Le | Width::U32Be => 4,
        Width::U64Le | Width::U64Be => 8,
        Width::Vint(n) => n,
        Width::Bits { bit, len } => (bit + len).div_ceil(8),
    }
}

/// The extreme values worth trying in a field of width `w` (`file_len` for "a bit more
/// than there is").
fn extremes(w: Width, file_len: usize) -> Vec<u64> {
    let bits = match w {
        Width::Vint(n) => 7 * n,
        Width::Bits { len, .. } => len,
        other => 8 * width_bytes(other),
    };
    let max = if bits >= 64 {
        u64::MAX
    } else {
        (1 << bits) - 1
    };
    let mut v = vec![max, max - 1, max / 2 + 1, 0, 1];
    if bits >= 32 {
        v.extend([
            0xFFFF_FFFF,
            0x7FFF_FFFF,
            0x7F7F_7F7F,
            file_len as u64 * 2 + 1,
        ]);
    }
    if bits > 32 {
        v.push(1 << 32);
    }
    // Float fields (Matroska Duration, SamplingFrequency): infinity and the largest finite.
    match bits {
        32 => v.extend([0x7F80_0000, 0x7F7F_FFFF]),
        64 => v.extend([0x7FF0_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF]),
        _ => {}
    }
    v.retain(|&x| x <= max);
    v
}

fn set_field(d: &mut [u8], at: usize, w: Width, v: u64) {
    let put_be = |d: &mut [u8], n: usize, v: u64| {
        for (i, b) in d[at..at + n].iter_mut().enumerate() {
            *b = (v >> (8 * (n - 1 - i))) as u8;
        }
    };
    let put_le = |d: &mut [u8], n: usize, v: u64| {
        for (i, b) in d[at..at + n].iter_mut().enumerate() {
            *b = (v >> (8 * i)) as u8;
        }
    };
    match w {
        Width::U8 => d[at] = v as u8,
        Width::U16Be => put_be(d, 2, v),
        Width::U24Be => put_be(d, 3, v),
        Width::U32Be => put_be(d, 4, v),
        Width::U64Be => put_be(d, 8, v),
        Width::U16Le => put_le(d, 2, v),
        Width::U32Le => put_le(d, 4, v),
        Width::U64Le => put_le(d, 8, v),
        Width::Vint(n) => put_be(d, n, v | (1 << (7 * n))),
        Width::Bits { bit, len } => {
            for i in 0..len {
                let (byte, shift) = (at + (bit + i) / 8, 7 - (bit + i) % 8);
                let one = (v >> (len - 1 - i)) & 1 == 1;
                if one {
                    d[byte] |= 1 << shift;
                } else {
                    d[byte] &= !(1 << shift);
                }
            }
        }
    }
}

/// The kinds of mutation, in the order cases cycle through them (huge sizes and bit
/// flips, the most productive, twice or three times).
#[derive(Clone, Copy, Debug)]
enum Kind {
    BitFlips,
    Overwrite,
    Truncate,
    TruncateHeader,
    Header,
    HugeField,
    Splice,
}

const SCHEDULE: [Kind; 10] = [
    Kind::BitFlips,
    Kind::HugeField,
    Kind::Truncate,
    Kind::Overwrite,
    Kind::HugeField,
    Kind::TruncateHeader,
    Kind::BitFlips,
    Kind::Header,
    Kind::HugeField,
    Kind::Splice,
];

/// Where most mutations land half of the time: the header and first packets.
const HEAD: usize = 4096;

/// Mutates a copy of `seed` (whose structure is `layout`) as case `index` of format `f`:
/// the bytes and a description of what was done.
fn mutate(f: &Format, seed: &[u8], layout: &Layout, index: u32) -> (Vec<u8>, String) {
    let mut rng = Rng(case_seed(f.name, index));
    let kind = SCHEDULE[index as usize % SCHEDULE.len()];
    let mut d = seed.to_vec();
    let len = d.len();
    let region = |rng: &mut Rng| if rng.coin() { len.min(HEAD) } else { len };
    let desc = match kind {
        Kind::BitFlips => {
            let n = rng.range(1..65);
            let span = region(&mut rng);
            for _ in 0..n {
                let bit = rng.range(0..span * 8);
                d[bit / 8] ^= 1 << (bit % 8);
            }
            format!("flip {n} random bits in bytes 0..{span}")
        }
        Kind::Overwrite => {
            let span = region(&mut rng);
            let longest = [16, 256, 4096][rng.range(0..3)];
            let run = rng.range(1..longest + 1).min(span);
            let at = rng.range(0..span - run + 1);
            let fill = rng.range(0..3);
            for b in &mut d[at..at + run] {
                *b = match fill {
                    0 => 0x00,
                    1 => 0xFF,
                    _ => rng.byte(),
                };
            }
            let fill = ["0x00", "0xFF", "random bytes"][fill];
            format!("overwrite {run} bytes at {at:#x} with {fill}")
        }
        Kind::Truncate => {
            let at = rng.range(1..len);
            d.truncate(at);
            format!("truncate to {at} of {len} bytes")
        }
        Kind::TruncateHeader => {
            let at = rng.range(1..len.min(512));
            d.truncate(at);
            format!("truncate inside the header, to {at} of {len} bytes")
        }
        Kind::Header => {
            let n = rng.range(1..9);
            let mut at = Vec::new();
            for _ in 0..n {
                let i = rng.range(0..len.min(64));
                d[i] = if rng.coin() {
                    rng.byte()
                } else {
                    d[i] ^ (1 << rng.range(0..8))
                };
                at.push(i);
            }
            format!("corrupt {n} bytes of the first 64 (at {at:?})")
        }
        Kind::HugeField => {
            let (bulk, main): (Vec<&Field>, Vec<&Field>) =
                layout.fields.iter().partition(|f| f.bulk);
            let pool = if bulk.is_empty() || (!main.is_empty() && rng.range(0..3) > 0) {
                main
            } else {
                bulk
            };
            let field = *rng.pick(&pool);
            let value = *rng.pick(&extremes(field.width, len));
            set_field(&mut d, field.at, field.width, value);
            format!("set {} at {:#x} to {value:#x}", field.what, field.at)
        }
        Kind::Splice => splice(&mut d, layout, &mut rng),
    };
    let mut desc = desc;
    if f.container == Container::Ogg
        && !matches!(kind, Kind::Truncate | Kind::TruncateHeader)
        && rng.coin()
    {
        // Else most Ogg mutations only cost a page its CRC check.
        ogg_fix_crcs(&mut d);
        desc.push_str(", page CRCs recomputed");
    }
    (d, desc)
}

/// Duplicates, removes, swaps or splices chunks of `d`.
fn splice(d: &mut Vec<u8>, layout: &Layout, rng: &mut Rng) -> String {
    let chunks = &layout.chunks;
    let a = rng.pick(chunks);
    let bytes = d[a.range.clone()].to_vec();
    match rng.range(0..5) {
        0 => {
            d.splice(a.range.end..a.range.end, bytes.iter().copied());
            format!("duplicate {} ({:?}) in place", a.what, a.range)
        }
        1 => {
            let b = rng.pick(chunks);
            d.splice(b.range.start..b.range.start, bytes.iter().copied());
            format!(
                "copy {} ({:?}) before {} ({:?})",
                a.what, a.range, b.what, b.range
            )
        }
        2 => {
            d.drain(a.range.clone());
            format!("remove {} ({:?})", a.what, a.range)
        }
        3 => {
            let b = rng.pick(chunks);
            let (x, y) = if a.range.start <= b.range.start {
                (a, b)
            } else {
                (b, a)
            };
            if x.range.end > y.range.start {
                // Nested or the same: put the inner one's bytes over the start of the outer.
                let inner = d[y.range.clone()].to_vec();
                let n = inner.len().min(x.range.len());
                d[x.range.start..x.range.start + n].copy_from_slice(&inner[..n]);
                return format!(
                    "overwrite the start of {} ({:?}) with {} ({:?})",
                    x.what, x.range, y.what, y.range
                );
            }
            let first = d[x.range.clone()].to_vec();
            let second = d[y.range.clone()].to_vec();
            d.splice(y.range.clone(), first);
            d.splice(x.range.clone(), second);
            format!(
                "swap {} ({:?}) and {} ({:?})",
                x.what, x.range, y.what, y.range
            )
        }
        _ => {
            let len = d.len();
            let from = rng.range(0..len);
            let n = rng.range(1..(len - from).min(8192) + 1);
            let to = rng.range(0..len);
            let piece = d[from..from + n].to_vec();
            d.splice(to..to, piece);
            format!(
                "insert a copy of bytes {from:#x}..{:#x} at {to:#x}",
                from + n
            )
        }
    }
}

/// The Ogg page checksum (CRC-32, polynomial 0x04C11DB7, no reflection, initial 0).
const OGG_CRC: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut r = (i as u32) << 24;
        let mut k = 0;
        while k < 8 {
            r = if r & 0x8000_0000 != 0 {
                (r << 1) ^ 0x04C1_1DB7
            } else {
                r << 1
            };
            k += 1;
        }
        t[i] = r;
        i += 1;
    }
    t
};

/// Recomputes the CRC of every page found (by its capture pattern) in `d`.
fn ogg_fix_crcs(d: &mut [u8]) {
    let mut p = 0;
    while p + 27 <= d.len() {
        if &d[p..p + 4] != b"OggS" {
            p += 1;
            continue;
        }
        let segs = usize::from(d[p + 26]);
        let Some(lacing) = d.get(p + 27..p + 27 + segs) else {
            return;
        };
        let body: usize = lacing.iter().map(|&b| usize::from(b)).sum();
        let end = (p + 27 + segs + body).min(d.len());
        d[p + 22..p + 26].fill(0);
        let crc = d[p..end].iter().fold(0u32, |c, &b| {
            (c << 8) ^ OGG_CRC[(((c >> 24) as u8) ^ b) as usize]
        });
        d[p + 22..p + 26].copy_from_slice(&crc.to_le_bytes());
        p = end.max(p + 1);
    }
}

// ---------------------------------------------------------------------------------------
// Running one case

/// How one call ended.
#[derive(Debug)]
enum Outcome {
    Ok,
    /// An error (its kind), or a panic that `decode_source` contained (`contained`).
    Err {
        kind: NodeErrorKind,
        contained: bool,
    },
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Ok => write!(f, "ok"),
            Outcome::Err {
                contained: true, ..
            } => write!(f, "contained-panic"),
            Outcome::Err { kind, .. } => write!(f, "err:{kind:?}"),
        }
    }
}

/// A call running on its own thread, with its cancel token.
struct Call<T> {
    rx: mpsc::Receiver<std::thread::Result<T>>,
    cancel: CancelToken,
    started: Instant,
}

fn spawn_call<T: Send + 'static>(
    name: String,
    f: impl FnOnce(&CancelToken) -> T + Send + 'static,
) -> Call<T> {
    let (tx, rx) = mpsc::channel();
    let cancel = CancelToken::new();
    let token = cancel.clone();
    std::thread::Builder::new()
        .name(name)
        .spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&token)));
            let _ = tx.send(r);
        })
        .expect("spawn a decode thread");
    Call {
        rx,
        cancel,
        started: Instant::now(),
    }
}

/// Why a call failed the test.
enum CallFailure {
    Hang,
    Panic(String),
}

fn wait_call<T>(call: &Call<T>) -> Result<(T, Duration), CallFailure> {
    let left = CALL_TIMEOUT.saturating_sub(call.started.elapsed());
    match call.rx.recv_timeout(left) {
        Ok(Ok(v)) => Ok((v, call.started.elapsed())),
        Ok(Err(panic)) => Err(CallFailure::Panic(panic_text(panic.as_ref()))),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            call.cancel.cancel();
            Err(CallFailure::Hang)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(CallFailure::Panic(
            "the decode thread died without an answer".into(),
        )),
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".into())
}

/// The panic message `decode_source` puts in the error it returns for a contained panic.
const CONTAINED: &str = "the decoding library failed on it";

fn error_outcome(e: &NodeError, problems: &mut Vec<String>, api: &str) -> Outcome {
    if e.message.trim().is_empty() {
        problems.push(format!("{api}: error {:?} with an empty message", e.kind));
    }
    if e.kind == NodeErrorKind::Cancelled {
        problems.push(format!("{api}: cancelled although nobody cancelled it"));
    }
    Outcome::Err {
        kind: e.kind,
        contained: e.message.contains(CONTAINED),
    }
}

fn check_decoded(a: &AudioBuffer, problems: &mut Vec<String>) {
    let max = LIMITS.max_duration_secs;
    let d = a.info.duration_secs;
    if a.sample_rate != 16_000 {
        problems.push(format!(
            "decode_bytes: Ok at {} Hz, not 16000",
            a.sample_rate
        ));
    }
    if a.samples.is_empty() {
        problems.push("decode_bytes: Ok with no samples".into());
    }
    if let Some(i) = a.samples.iter().position(|s| !s.is_finite()) {
        let bad = a.samples.iter().filter(|s| !s.is_finite()).count();
        problems.push(format!(
            "decode_bytes: Ok with {bad} non-finite samples (first: {} at {i}; source {} Hz, codec {})",
            a.samples[i], a.info.sample_rate, a.info.codec
        ));
    }
    if !(d.is_finite() && d > 0.0 && d <= max) {
        problems.push(format!("decode_bytes: Ok with duration {d} s"));
    }
    let got = a.duration_secs();
    if (got - d).abs() > 0.1 + 0.02 * d {
        problems.push(format!(
            "decode_bytes: Ok with {got:.3} s of samples for a duration of {d:.3} s"
        ));
    }
}

/// The answers to one case, as the worker reports them.
struct CaseReport {
    bytes: Outcome,
    probe: Outcome,
    slowest: Duration,
    problems: Vec<String>,
}

/// Runs `decode_bytes` and then `probe_duration` (on a file at `path`) over `input`, each
/// on its own thread; `Err` is a hang or an escaped panic, the first call that had one.
fn run_case(
    f: &'static Format,
    input: Vec<u8>,
    path: &Path,
) -> Result<CaseReport, (String, CallFailure)> {
    std::fs::write(path, &input).expect("write the mutated input");
    let ext = f.ext;
    let path_owned = path.to_owned();
    // One after the other, so that what a call allocates is its own (the address-space cap).
    let bytes_call = spawn_call(format!("fuzz-{}-bytes", f.name), move |c| {
        decode_bytes(input, Some(ext), &LIMITS, c)
    });
    let mut problems = Vec::new();
    let (bytes, t1) = wait_call(&bytes_call).map_err(|e| ("decode_bytes".to_owned(), e))?;
    let bytes = match bytes {
        Ok(a) => {
            check_decoded(&a, &mut problems);
            Outcome::Ok
        }
        Err(e) => error_outcome(&e, &mut problems, "decode_bytes"),
    };
    let probe_call = spawn_call(format!("fuzz-{}-probe", f.name), move |c| {
        probe_duration(&path_owned, &LIMITS, c)
    });
    let (probe, t2) = wait_call(&probe_call).map_err(|e| ("probe_duration".to_owned(), e))?;
    let probe = match probe {
        Ok(secs) => {
            if !(secs.is_finite() && secs > 0.0 && secs <= LIMITS.max_duration_secs) {
                problems.push(format!("probe_duration: Ok with duration {secs} s"));
            }
            Outcome::Ok
        }
        Err(e) => error_outcome(&e, &mut problems, "probe_duration"),
    };
    let _ = std::fs::remove_file(path);
    Ok(CaseReport {
        bytes,
        probe,
        slowest: t1.max(t2),
        problems,
    })
}

/// `VmHWM` (peak resident set) of this process, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("VmHWM in /proc/self/status")
        * 1024
}

/// Caps this process's address space at [`ADDRESS_SPACE_LIMIT`]: a runaway allocation then
/// fails (Rust aborts on it) instead of growing until the machine runs out of memory.
fn cap_address_space() {
    let limit = rustix::process::Rlimit {
        current: Some(ADDRESS_SPACE_LIMIT),
        maximum: Some(ADDRESS_SPACE_LIMIT),
    };
    rustix::process::setrlimit(rustix::process::Resource::As, limit)
        .expect("cap the address space");
}

/// Panic sites seen on the decode threads (`file:line`), with a count and the first
/// message. The hook keeps them off stderr: most are symphonia's, contained by
/// `decode_source` and counted there.
fn panic_sites() -> &'static Mutex<BTreeMap<String, (u32, String)>> {
    static SITES: OnceLock<Mutex<BTreeMap<String, (u32, String)>>> = OnceLock::new();
    SITES.get_or_init(Default::default)
}

/// A source path, shortened to `crate-version/src/…` for a registry crate.
fn short_path(file: &str) -> &str {
    file.split_once(".cargo/registry/src/")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map_or(file, |(_, path)| path)
}

fn short_site(file: &str, line: u32) -> String {
    format!("{}:{line}", short_path(file))
}

fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let on_decode_thread = std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with("fuzz-"));
        if !on_decode_thread {
            return default(info);
        }
        let site = info
            .location()
            .map_or_else(|| "unknown".into(), |l| short_site(l.file(), l.line()));
        let msg = panic_text(info.payload());
        let msg = msg.chars().take(100).collect::<String>().replace('\n', " ");
        let mut sites = panic_sites().lock().unwrap();
        sites.entry(site).or_insert((0, msg)).0 += 1;
    }));
}

// ---------------------------------------------------------------------------------------
// The worker process: one format, a range of its cases

fn report(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{TAG} {line}");
    let _ = out.flush();
}

/// Not a test on its own: the main test runs it in a child process per format (see
/// [`ENV_FORMAT`]) and reads its report lines.
#[test]
#[ignore = "a worker process of every_format_survives_mutated_inputs"]
fn fuzz_worker() {
    let Ok(name) = std::env::var(ENV_FORMAT) else {
        println!("fuzz_worker only runs as a child of every_format_survives_mutated_inputs");
        return;
    };
    let f = format(&name);
    let seed_dir = PathBuf::from(std::env::var(ENV_SEED_DIR).expect("seed dir"));
    let cases = std::env::var(ENV_CASES).expect("the case range");
    let (from, to) = cases.split_once("..").expect("from..to");
    let cases: Range<u32> = from.parse().expect("from")..to.parse().expect("to");
    cap_address_space();
    install_panic_hook();
    let seed = std::fs::read(seed_path(&seed_dir, f)).expect("read the seed file");
    let layout = layout(f.container, &seed);
    let work = tempfile::tempdir().expect("tempdir");
    let rss_before = peak_rss();
    for index in cases {
        let (input, desc) = mutate(f, &seed, &layout, index);
        report(&format!("case {index} {desc}"));
        let path = work.path().join(format!("case{index}.{}", f.ext));
        match run_case(f, input, &path) {
            Ok(r) => {
                for p in &r.problems {
                    report(&format!("problem {index} {p}"));
                }
                report(&format!(
                    "done {index} {} {} {}",
                    r.bytes,
                    r.probe,
                    r.slowest.as_micros()
                ));
            }
            Err((api, CallFailure::Hang)) => {
                report(&format!(
                    "hang {index} {api} did not return within {CALL_TIMEOUT:?}"
                ));
                // The hung thread cannot be stopped: end the process, the parent resumes.
                std::process::exit(3);
            }
            Err((api, CallFailure::Panic(msg))) => {
                report(&format!(
                    "escaped {index} {api} panicked out of the decoder: {msg}"
                ));
            }
        }
    }
    for (site, (n, msg)) in panic_sites().lock().unwrap().iter() {
        report(&format!("site {n} {site} {msg}"));
    }
    report(&format!("rss {rss_before} {}", peak_rss()));
}

// ---------------------------------------------------------------------------------------
// The main test

/// What the workers reported for one format.
#[derive(Default)]
struct Tally {
    cases: u32,
    bytes_ok: u32,
    probe_ok: u32,
    contained: u32,
    internal: u32,
    slowest: Duration,
    rss_growth: u64,
    kinds: BTreeMap<String, u32>,
    /// Panic site → (count, first message).
    sites: BTreeMap<String, (u32, String)>,
    /// (case, what went wrong, the mutation)
    failures: Vec<(u32, String, String)>,
}

impl Tally {
    fn record(&mut self, line: &str, descs: &BTreeMap<u32, String>) {
        let mut w = line.splitn(3, ' ');
        let (word, index, rest) = (
            w.next().unwrap_or(""),
            w.next().unwrap_or(""),
            w.next().unwrap_or(""),
        );
        let index: u32 = index.parse().unwrap_or(u32::MAX);
        let desc = || descs.get(&index).cloned().unwrap_or_default();
        match word {
            "done" => {
                let parts: Vec<&str> = rest.split(' ').collect();
                self.cases += 1;
                for (api, o) in [("bytes", parts[0]), ("probe", parts[1])] {
                    match o {
                        "ok" if api == "bytes" => self.bytes_ok += 1,
                        "ok" => self.probe_ok += 1,
                        "contained-panic" => self.contained += 1,
                        "err:Internal" => self.internal += 1,
                        _ => {}
                    }
                    *self.kinds.entry(o.to_owned()).or_default() += 1;
                }
                let t = Duration::from_micros(parts[2].parse().unwrap_or(0));
                self.slowest = self.slowest.max(t);
            }
            "escaped" => {
                self.cases += 1;
                self.failures
                    .push((index, format!("{word}: {rest}"), desc()));
            }
            "problem" | "hang" => {
                self.failures
                    .push((index, format!("{word}: {rest}"), desc()));
            }
            _ => {}
        }
    }
}

/// Runs the worker for `cases` of `f`: its report lines, how it ended, its stderr.
fn run_worker(
    f: &Format,
    seed_dir: &Path,
    cases: &Range<u32>,
) -> (Vec<String>, std::process::ExitStatus, String) {
    let exe = std::env::current_exe().expect("the test binary");
    let mut child = Command::new(exe)
        .args([
            "fuzz_worker",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(ENV_FORMAT, f.name)
        .env(ENV_SEED_DIR, seed_dir)
        .env(ENV_CASES, format!("{}..{}", cases.start, cases.end))
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a worker");
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        // libtest's "test fuzz_worker ... " may precede the first one on its line.
        .filter_map(|l| {
            l.find(TAG)
                .map(|at| l[at + TAG.len()..].trim_start().to_owned())
        })
        .collect();
    let status = child.wait().expect("wait for the worker");
    let stderr = err_reader.join().unwrap_or_default();
    (lines, status, stderr)
}

/// What a dead worker's stderr says: the fatal message and the first frames of its
/// backtrace in this crate or symphonia (the worker runs with `RUST_BACKTRACE=1`).
fn crash_summary(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    // Two threads aborting at once interleave their messages: take one with its number.
    const OOM: &str = "memory allocation of ";
    let fatal = lines
        .iter()
        .find_map(|l| {
            l.match_indices(OOM)
                .map(|(at, _)| &l[at..])
                .find(|m| m[OOM.len()..].starts_with(|c: char| c.is_ascii_digit()))
                .or_else(|| l.find("fatal runtime error").map(|at| &l[at..]))
        })
        .map_or("no message on stderr", str::trim);
    let frames: Vec<String> = lines
        .windows(2)
        .filter(|w| {
            let (func, at) = (w[0].trim(), w[1].trim());
            at.starts_with("at ")
                && ["/nodes/src/", "symphonia", "rubato"]
                    .iter()
                    .any(|p| at.contains(p))
                && !func.contains("decode_source")
        })
        .take(2)
        .map(|w| {
            let func = w[0].trim().split_once(": ").map_or(w[0], |(_, f)| f);
            let at = w[1].trim().trim_start_matches("at ");
            let at = at.split_once("/nodes/src/").map_or(at, |(_, p)| p);
            format!("{func} ({})", short_path(at))
        })
        .collect();
    if frames.is_empty() {
        fatal.to_owned()
    } else {
        format!("{fatal}, in {}", frames.join(" ← "))
    }
}

/// `cases` of `f` in worker processes, resuming after a worker that died on one.
fn fuzz_format(f: &Format, seed_dir: &Path, cases: Range<u32>) -> Tally {
    let mut tally = Tally::default();
    let mut descs = BTreeMap::new();
    let mut from = cases.start;
    while from < cases.end {
        let (lines, status, stderr) = run_worker(f, seed_dir, &(from..cases.end));
        let mut last_case = None;
        let mut finished = false;
        for line in &lines {
            let mut w = line.splitn(3, ' ');
            let (word, index, rest) = (
                w.next().unwrap_or(""),
                w.next().unwrap_or(""),
                w.next().unwrap_or(""),
            );
            match word {
                "case" => {
                    let i: u32 = index.parse().expect("case index");
                    descs.insert(i, rest.to_owned());
                    last_case = Some(i);
                }
                "done" => last_case = None,
                "site" => {
                    let (site, msg) = rest.split_once(' ').unwrap_or((rest, ""));
                    let n: u32 = index.parse().unwrap_or(0);
                    tally
                        .sites
                        .entry(site.to_owned())
                        .or_insert((0, msg.to_owned()))
                        .0 += n;
                }
                "rss" => {
                    let before: u64 = index.parse().unwrap_or(0);
                    let after: u64 = rest.parse().unwrap_or(0);
                    tally.rss_growth = tally.rss_growth.max(after.saturating_sub(before));
                    finished = true;
                }
                _ => {}
            }
            tally.record(line, &descs);
        }
        if finished && status.success() {
            break;
        }
        // A hang ended the worker, or it died (abort, signal) inside `last_case`.
        let Some(culprit) = last_case else {
            panic!(
                "{} worker failed outside any case ({status}):\n{stderr}",
                f.name
            );
        };
        let hung = lines
            .iter()
            .any(|l| l.starts_with(&format!("hang {culprit} ")));
        if !hung {
            tally.failures.push((
                culprit,
                format!(
                    "crash: the worker process died ({status}): {}",
                    crash_summary(&stderr)
                ),
                descs[&culprit].clone(),
            ));
        }
        tally.cases += 1;
        from = culprit + 1;
    }
    tally
}

#[test]
fn every_format_survives_mutated_inputs() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    make_seeds(dir.path());
    println!(
        "{} formats × {CASES_PER_FORMAT} mutated inputs, limits {LIMITS:?}, {CALL_TIMEOUT:?} per call",
        FORMATS.len()
    );
    println!(
        "{:<16} {:>6} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9} {:>7} {:>6}",
        "format",
        "inputs",
        "bytes ok",
        "probe ok",
        "contained",
        "internal",
        "slowest",
        "RSS +MiB",
        "failed",
        "wall"
    );
    let mut all_failures = Vec::new();
    let mut totals = Tally::default();
    // Formats in parallel lanes (a worker process each), in order for the table.
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<(Tally, Duration)>>> =
        Mutex::new(FORMATS.iter().map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..LANES {
            s.spawn(|| {
                while let Some(f) = FORMATS.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let t0 = Instant::now();
                    let t = fuzz_format(f, dir.path(), 0..CASES_PER_FORMAT);
                    let i = FORMATS.iter().position(|g| g.name == f.name).unwrap();
                    done.lock().unwrap()[i] = Some((t, t0.elapsed()));
                }
            });
        }
    });
    let done = done.into_inner().unwrap();
    for (f, result) in FORMATS.iter().zip(done) {
        let (t, wall) = result.expect("every format ran");
        println!(
            "{:<16} {:>6} {:>9} {:>9} {:>9} {:>9} {:>8.0}ms {:>9.1} {:>7} {:>5.0}s",
            f.name,
            t.cases,
            t.bytes_ok,
            t.probe_ok,
            t.contained,
            t.internal,
            t.slowest.as_secs_f64() * 1000.0,
            t.rss_growth as f64 / (1024.0 * 1024.0),
            t.failures.len(),
            wall.as_secs_f64()
        );
        totals.cases += t.cases;
        totals.bytes_ok += t.bytes_ok;
        totals.probe_ok += t.probe_ok;
        totals.contained += t.contained;
        totals.internal += t.internal;
        totals.slowest = totals.slowest.max(t.slowest);
        totals.rss_growth = totals.rss_growth.max(t.rss_growth);
        for (k, n) in t.kinds {
            *totals.kinds.entry(k).or_default() += n;
        }
        for (site, (n, msg)) in t.sites {
            let e = totals.sites.entry(site).or_insert((0, msg));
            e.0 += n;
            let _ = write!(e.1, " [{} ×{n}]", f.name);
        }
        for (case, what, desc) in t.failures {
            let known = KNOWN_FAILURES.contains(&(f.name, case));
            all_failures.push((f.name, case, what, desc, known));
        }
    }
    println!("outcomes (both calls): {:?}", totals.kinds);
    if !totals.sites.is_empty() {
        println!("panics raised inside the decoder and contained by decode_source (returned as CorruptAudio):");
        for (site, (n, msg)) in &totals.sites {
            println!("  {n:>4} × {site}: {msg}");
        }
    }
    let mut report = String::new();
    for (name, case, what, desc, known) in &all_failures {
        let _ = writeln!(
            report,
            "  {}{name} case {case} (seed {:#018x}): {what}\n      mutation: {desc}\n      rerun: repro(\"{name}\", {case})",
            if *known { "[known] " } else { "" },
            case_seed(name, *case)
        );
    }
    if !report.is_empty() {
        println!("failures:\n{report}");
    }
    let unknown = all_failures.iter().filter(|f| !f.4).count();
    let count = |word: &str| {
        all_failures
            .iter()
            .filter(|f| f.2.starts_with(word))
            .count()
    };
    let bytes_err = totals.cases - totals.bytes_ok;
    let probe_err = totals.cases - totals.probe_ok;
    println!(
        "malformed audio: {} formats × {CASES_PER_FORMAT} = {} mutated inputs, each through decode_bytes \
         (Ok {} / Err {bytes_err}) and probe_duration (Ok {} / Err {probe_err}); {} hangs (> {} s), {} escaped panics, \
         {} crashes, {} insane results, {} panics contained by decode_source; slowest call {:.2} s; \
         peak RSS growth ≤ {:.0} MiB per worker (bound {} MiB); {:.0} s in all",
        FORMATS.len(),
        totals.cases,
        totals.bytes_ok,
        totals.probe_ok,
        count("hang"),
        CALL_TIMEOUT.as_secs(),
        count("escaped"),
        count("crash"),
        count("problem"),
        totals.contained,
        totals.slowest.as_secs_f64(),
        totals.rss_growth as f64 / (1024.0 * 1024.0),
        RSS_GROWTH_LIMIT / (1024 * 1024),
        started.elapsed().as_secs_f64()
    );
    assert!(
        totals.rss_growth < RSS_GROWTH_LIMIT,
        "peak RSS grew by {} MiB in a worker (bound {} MiB)",
        totals.rss_growth / (1024 * 1024),
        RSS_GROWTH_LIMIT / (1024 * 1024)
    );
    assert_eq!(
        unknown, 0,
        "mutated inputs broke the decoder (listed above)"
    );
}

// ---------------------------------------------------------------------------------------
// Reproducing one case

/// Case `index` of format `name`, alone, in a worker process as in the main test (the
/// same address-space cap, a crash contained): prints the mutation and the outcome, and
/// fails as the main test would.
fn repro(name: &str, index: u32) {
    let f = format(name);
    let dir = tempfile::tempdir().expect("tempdir");
    for tool in ["espeak-ng", "ffmpeg"] {
        require(tool);
    }
    let speech = dir.path().join("speech.wav");
    common::speak("en-us", SEED_TEXT, &speech);
    let seed = std::fs::read(make_seed(dir.path(), &speech, f)).unwrap();
    let (_, desc) = mutate(f, &seed, &layout(f.container, &seed), index);
    println!(
        "{name} case {index} (seed {:#018x}): {desc}",
        case_seed(name, index)
    );
    let t = fuzz_format(f, dir.path(), index..index + 1);
    println!("outcomes: {:?}, slowest {:?}", t.kinds, t.slowest);
    for (site, (n, msg)) in &t.sites {
        println!("contained panic ×{n} at {site}: {msg}");
    }
    let failures: Vec<&str> = t.failures.iter().map(|f| f.1.as_str()).collect();
    assert!(failures.is_empty(), "{name} case {index}: {failures:#?}");
}

#[test]
fn mutations_are_deterministic_and_cover_every_kind() {
    let seed: Vec<u8> = (0..10_000u32).map(|i| (i * 7) as u8).collect();
    let mut l = Layout::default();
    l.field(4, Width::U32Le, "a size");
    l.chunk(0..100, "a chunk");
    l.chunk(100..10_000, "another chunk");
    let f = format("wav-pcm");
    let n = SCHEDULE.len() as u32 * 3;
    let mut changed = 0;
    for i in 0..n {
        let a = mutate(f, &seed, &l, i);
        assert_eq!(a, mutate(f, &seed, &l, i), "case {i}");
        changed += u32::from(a.0 != seed);
    }
    assert!(
        changed >= n - 3,
        "only {changed} of {n} mutations changed the input"
    );
    // Bit fields land where the format puts them (FLAC STREAMINFO total samples).
    let mut d = [0u8; 8];
    set_field(&mut d, 0, Width::Bits { bit: 28, len: 36 }, (1 << 36) - 1);
    assert_eq!(d, [0x00, 0x00, 0x00, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF]);
    let mut v = [0u8; 2];
    set_field(&mut v, 0, Width::Vint(2), 0x3FFF);
    assert_eq!(v, [0x7F, 0xFF]);
}

/// `VOXFLOW_FUZZ_REPRO=flac:123 cargo test -p voxflow-nodes --test malformed_audio \
/// repro_one_case -- --ignored --nocapture` reruns case 123 of `flac` in this process.
#[test]
#[ignore = "reruns the case named by VOXFLOW_FUZZ_REPRO"]
fn repro_one_case() {
    let Ok(which) = std::env::var("VOXFLOW_FUZZ_REPRO") else {
        println!("set VOXFLOW_FUZZ_REPRO=format:case");
        return;
    };
    let (name, index) = which
        .split_once(':')
        .expect("VOXFLOW_FUZZ_REPRO=format:case");
    repro(name, index.parse().expect("a case number"));
}

// ---------------------------------------------------------------------------------------
// Decoder bugs this run found, now fixed: each test reruns their cases in a worker (as the
// main test does, so a regression aborts the worker, not this process) and fails if one
// crashes, hangs or gives an insane answer. Run one with
// `cargo test -p voxflow-nodes --test malformed_audio <name> -- --nocapture`.

/// Absurd sample rates (0x7F7F7F7F, 0x7F800000, 0x80000000, 0xFFFFFFFE …) in a WAV `fmt `
/// chunk (PCM and ADPCM), the Vorbis identification header (Ogg CRCs recomputed) and the
/// ALAC magic cookie: `decode_source_inner` built a `StreamResampler` for whatever rate the
/// stream declared, and `StreamResampler::with_fft_len` sized rubato's FFT and sinc table
/// from it (`blocks * in_rate / gcd`): 17 GB and an abort, or, with a gcd that made it fit,
/// a build that did not finish within 10 s. `probe_duration` built one too, and never used
/// it. Rates over 768 kHz are now `CorruptAudio`, a probe builds no resampler, and the
/// resampler refuses chunks over 2^20 frames.
#[test]
fn huge_sample_rates_are_refused() {
    for (format, case) in [
        ("wav-pcm", 28), // 0x7F7F7F7F: an abort
        ("wav-pcm", 74), // 0x7F800000: a hang
        ("wav-pcm", 188),
        ("wav-pcm", 224),
        ("wav-adpcm", 8),
        ("wav-adpcm", 28),
        ("wav-adpcm", 144),
        ("wav-adpcm", 154),
        ("wav-adpcm", 221),
        ("ogg-vorbis", 158),
        ("m4a-alac", 148), // the ALAC cookie's rate
        ("m4a-alac", 234),
        ("m4a-alac", 238),
    ] {
        repro(format, case);
    }
}

/// MP4 sample tables with a huge entry count: symphonia-format-isomp4 0.5.5 reserves
/// `Vec::with_capacity(entry_count)` before reading the entries (atoms/stsc.rs:71,
/// stsz.rs:44, stco.rs:33, stts.rs:92; co64.rs:33 alike), not bounded by the atom's size:
/// 'stsc' 0x7FFFFFFF → 34 GB, and the process aborted — a ~30 kB upload killed the server.
/// `audio/mp4.rs` now walks the boxes first and refuses a table that cannot fit in its box.
#[test]
fn mp4_table_entry_counts_are_refused() {
    for (format, case) in [
        ("m4a-aac", 1),  // 'stsc' entry count 0x7FFFFFFF
        ("m4a-aac", 31), // 'stsz' sample count 0xFFFFFFFF
        ("m4a-aac", 41), // 'stco' entry count 0x7F7FFFFF
        ("m4a-aac", 71),
        ("m4a-alac", 104), // 'stts' entry count 0x7F7F7F7F
        ("m4a-alac", 164),
        ("m4a-alac", 174),
        ("m4a-alac", 184),
        ("m4a-alac", 231),
    ] {
        repro(format, case);
    }
}

/// ALAC magic cookies with frame length 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF:
/// symphonia-codec-alac 0.5.5 allocates a frame-length buffer up front (lib.rs:598–602),
/// 17 GB, and the process aborted. Frame lengths over 65 536 are now `CorruptAudio`.
#[test]
fn alac_frame_lengths_are_refused() {
    for case in [98, 134, 191] {
        repro("m4a-alac", case);
    }
}
