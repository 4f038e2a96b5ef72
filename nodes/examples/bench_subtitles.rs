//! Subtitle quality, before and after word-timed segmentation, on real recorded speech and on
//! the long synthetic conversations the tests make. Prints a Markdown report on stdout.
//!
//! ```text
//! cargo run --release -p voxflow-nodes --example bench_subtitles -- \
//!     [--clips DIR] [--model tiny.en] [--conversation-lines 40] [--only SUBSTRING]
//! ```
//!
//! `DIR` holds WAV/FLAC clips and `transcripts.tsv` (`file<TAB>reference text`);
//! `scripts/bench-subtitles.sh` fetches real recordings into it. Each input goes through
//! `whisper.transcribe` (word timestamps on, as the service turns them on for a subtitle
//! export) and is exported to SRT twice: **before**, the export as it was (segment text
//! wrapped to 42 × 2, time shared by characters; the transcript without its words) and
//! **after**, the word-timed cues of `subtitles::segment_words`. Both are parsed back and
//! scored by `subtitles::score_cues` against the defaults; "words kept" checks that the
//! subtitle text, word for word, is the transcript text. The synthetic conversation is
//! labelled with its reference speakers (`transcript.assign_speakers`), so speaker changes
//! and `[SPEAKER]` labels are part of it.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use voxflow_nodes::audio::decode::decode_path;
use voxflow_nodes::export::{to_srt, ExportParams};
use voxflow_nodes::subtitles::{parse_subtitles, score_cues, Compliance, SegmentParams};
use voxflow_nodes::{
    AudioBuffer, CancelToken, DecodeLimits, NodeInputs, PortValue, Registry, SpeakerTurns,
    Transcript,
};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn transcribe(audio: Arc<AudioBuffer>, model: &str) -> Transcript {
    let node = Registry::new().get("whisper.transcribe").unwrap();
    let mut inputs = NodeInputs::new();
    inputs.insert("audio".into(), PortValue::Audio(audio));
    let params = serde_json::json!({"model": model, "language": "en", "threads": 2,
        "word_timestamps": true, "temperature_increment": 0.0});
    let out = node.run(inputs, params, &common::ctx()).expect("whisper");
    match &out["transcript"] {
        PortValue::Transcript(t) => t.clone(),
        other => panic!("{other:?}"),
    }
}

fn label(t: Transcript, turns: Vec<voxflow_nodes::SpeakerTurn>) -> Transcript {
    let node = Registry::new().get("transcript.assign_speakers").unwrap();
    let mut speakers: Vec<String> = turns.iter().map(|t| t.speaker.clone()).collect();
    speakers.dedup();
    let mut inputs = NodeInputs::new();
    inputs.insert("transcript".into(), PortValue::Transcript(t));
    inputs.insert(
        "speaker_turns".into(),
        PortValue::SpeakerTurns(SpeakerTurns {
            num_speakers: speakers.len() as u32,
            turns,
        }),
    );
    let out = node
        .run(
            inputs,
            serde_json::json!({"split_segments": true}),
            &common::ctx(),
        )
        .expect("assign speakers");
    match &out["transcript"] {
        PortValue::Transcript(t) => t.clone(),
        other => panic!("{other:?}"),
    }
}

fn words_of(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// One export scored: compliance and whether its words are the transcript's.
struct Scored {
    score: Compliance,
    words_kept: bool,
}

/// Scores `t`'s SRT export; with `BENCH_SUBTITLES_DUMP=DIR` the SRT is also written to
/// `DIR/<name>.<before|after>.srt`, for a look at the cues behind the figures.
fn score_export(t: &Transcript, with_words: bool, name: &str) -> Scored {
    score_export_with(t, with_words, name, &ExportParams::default())
}

fn score_export_with(t: &Transcript, with_words: bool, name: &str, p: &ExportParams) -> Scored {
    let mut t = t.clone();
    if !with_words {
        for s in &mut t.segments {
            s.words = None;
        }
    }
    let srt = to_srt(&t, p);
    if let Ok(dir) = std::env::var("BENCH_SUBTITLES_DUMP") {
        let file = format!("{name}.{}.srt", if with_words { "after" } else { "before" });
        let _ = std::fs::write(Path::new(&dir).join(file), &srt);
    }
    let cues = parse_subtitles(&srt);
    let spoken: Vec<String> = cues.iter().flat_map(|c| words_of(&c.words())).collect();
    Scored {
        score: score_cues(&cues, &SegmentParams::default()),
        words_kept: spoken == words_of(&t.text()),
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

struct Row {
    name: String,
    minutes: f64,
    words: usize,
    wer: Option<f64>,
    before: Scored,
    after: Scored,
}

fn print_row(r: &Row) {
    let a = &r.after.score;
    println!(
        "| {} | {:.2} | {} | {} | {} / {:.1} / **{}** | {} / {:.1} | {} | {} | {} | {} | {} | {} | {} | **{}** | {} / {} |",
        r.name,
        r.minutes,
        r.words,
        r.wer.map_or("–".into(), |w| format!("{:.3}", w)),
        r.before.score.cues,
        r.before.score.cues as f64 / r.minutes,
        pct(r.before.score.all),
        a.cues,
        a.cues as f64 / r.minutes,
        pct(a.line_length),
        pct(a.line_count),
        pct(a.min_duration),
        pct(a.max_duration),
        pct(a.reading_speed),
        pct(a.gap),
        pct(a.no_orphan),
        pct(a.all),
        if r.before.words_kept { "yes" } else { "NO" },
        if r.after.words_kept { "yes" } else { "NO" },
    );
}

fn clips(dir: &Path) -> Vec<(PathBuf, String)> {
    let tsv = std::fs::read_to_string(dir.join("transcripts.tsv")).expect("transcripts.tsv");
    tsv.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(f, text)| (dir.join(f), text.to_owned()))
        .collect()
}

/// Reference speaker turns per clip from `segments.tsv` (`file, start, end, speaker, text`),
/// for clips with more than one speaker.
fn reference_turns(
    dir: &Path,
) -> std::collections::HashMap<String, Vec<voxflow_nodes::SpeakerTurn>> {
    let mut out: std::collections::HashMap<String, Vec<voxflow_nodes::SpeakerTurn>> =
        Default::default();
    let tsv = std::fs::read_to_string(dir.join("segments.tsv")).unwrap_or_default();
    for l in tsv.lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        if let [file, start, end, speaker, ..] = f[..] {
            if let (Ok(start), Ok(end)) = (start.parse(), end.parse()) {
                out.entry(file.to_owned())
                    .or_default()
                    .push(voxflow_nodes::SpeakerTurn {
                        start,
                        end,
                        speaker: speaker.to_owned(),
                    });
            }
        }
    }
    out.retain(|_, turns| {
        let first = &turns[0].speaker;
        turns.iter().any(|t| &t.speaker != first)
    });
    for turns in out.values_mut() {
        turns.sort_by(|a, b| a.start.total_cmp(&b.start));
    }
    out
}

/// The non-empty intervals of a Praat TextGrid's `words` tier: (start, end, word).
fn textgrid_words(text: &str) -> Vec<(f64, f64, String)> {
    let mut lines = text.lines().map(str::trim);
    let mut out = Vec::new();
    // Header of the tier: "IntervalTier", "words", xmin, xmax, count; then triples.
    while let Some(l) = lines.next() {
        if l == "\"IntervalTier\"" && lines.next() == Some("\"words\"") {
            let _ = (lines.next(), lines.next());
            let n: usize = lines.next().and_then(|x| x.parse().ok()).unwrap_or(0);
            for _ in 0..n {
                let (Some(a), Some(b), Some(w)) = (lines.next(), lines.next(), lines.next()) else {
                    break;
                };
                let w = w.trim_matches('"');
                if let (Ok(a), Ok(b), false) = (a.parse(), b.parse(), w.is_empty()) {
                    out.push((a, b, w.to_owned()));
                }
            }
            break;
        }
    }
    out
}

/// `refs/**/<stem>.TextGrid` for clip `mfa_<stem>.wav` (the forced alignments that the
/// Montreal Forced Aligner ships with its test corpus).
fn alignment_for(dir: &Path, clip: &str) -> Option<PathBuf> {
    let stem = clip.strip_prefix("mfa_")?.rsplit_once('.')?.0;
    let want = format!("{stem}.TextGrid");
    let mut stack = vec![dir.join("refs")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()?.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == want.as_str()) {
                return Some(path);
            }
        }
    }
    None
}

fn norm(w: &str) -> String {
    w.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Signed word start/end errors (seconds, + = late) of `t`'s words against a forced alignment, over the words
/// both share (longest common subsequence of the normalised words).
fn timing_errors(t: &Transcript, reference: &[(f64, f64, String)]) -> Vec<(f64, f64)> {
    let hyp: Vec<(f64, f64, String)> = t
        .segments
        .iter()
        .flat_map(|s| s.words.iter().flatten())
        .map(|w| (w.start, w.end, norm(&w.text)))
        .filter(|w| !w.2.is_empty())
        .collect();
    let r: Vec<(f64, f64, String)> = reference
        .iter()
        .map(|(a, b, w)| (*a, *b, norm(w)))
        .collect();
    let (n, m) = (hyp.len(), r.len());
    let mut l = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            l[i][j] = if hyp[i].2 == r[j].2 {
                l[i + 1][j + 1] + 1
            } else {
                l[i + 1][j].max(l[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if hyp[i].2 == r[j].2 {
            out.push((hyp[i].0 - r[j].0, hyp[i].1 - r[j].1));
            i += 1;
            j += 1;
        } else if l[i + 1][j] >= l[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One row of the word-timing table: clip, matched words, and per edge (start, end) the
/// median absolute and signed error and the share within 100 ms.
fn print_timing_row(name: &str, errs: &[(f64, f64)]) {
    let within = |f: fn(&(f64, f64)) -> f64| {
        100.0 * errs.iter().filter(|e| f(e).abs() <= 0.1).count() as f64 / errs.len().max(1) as f64
    };
    let ms = |f: fn(&(f64, f64)) -> f64, abs: bool| {
        let v = errs.iter().map(f).map(|x| if abs { x.abs() } else { x });
        format!("{:+.0}", 1000.0 * median(v.collect()))
    };
    println!(
        "| {name} | {} | {} / {} | {:.1} | {} / {} | {:.1} |",
        errs.len(),
        ms(|e| e.0, true).trim_start_matches('+'),
        ms(|e| e.0, false),
        within(|e| e.0),
        ms(|e| e.1, true).trim_start_matches('+'),
        ms(|e| e.1, false),
        within(|e| e.1),
    );
}

fn main() {
    let model = arg("--model").unwrap_or_else(|| "tiny.en".into());
    let n_lines: usize = arg("--conversation-lines").map_or(40, |n| n.parse().unwrap());
    println!("| input | min | words | WER | before: cues / per min / **all rules %** | after: cues / per min | line ≤ 42 % | ≤ 2 lines % | ≥ 5/6 s % | ≤ 7 s % | ≤ 20 cps % | gap % | no orphan % | **all rules %** | words kept (before / after) |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut real: Vec<Row> = Vec::new();
    // Labelled inputs again without labels: speaker changes still cut cues, and a quick
    // exchange may share a dual-speaker cue.
    let mut unlabelled: Vec<Row> = Vec::new();
    let mut timing: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    if let Some(dir) = arg("--clips") {
        let mut turns = reference_turns(Path::new(&dir));
        let only = arg("--only").unwrap_or_default();
        for (path, reference) in clips(Path::new(&dir)) {
            if !path.to_string_lossy().contains(only.as_str()) {
                continue;
            }
            let audio = decode_path(&path, &DecodeLimits::default(), &CancelToken::new())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            eprintln!("{}: {:.1} s", path.display(), audio.info.duration_secs);
            let minutes = audio.info.duration_secs / 60.0;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let mut t = transcribe(Arc::new(audio), &model);
            if let Ok(dump) = std::env::var("BENCH_SUBTITLES_DUMP") {
                let tsv: String = t
                    .segments
                    .iter()
                    .flat_map(|s| s.words.iter().flatten())
                    .map(|w| format!("{:.3}\t{:.3}\t{}\n", w.start, w.end, w.text))
                    .collect();
                let _ = std::fs::write(Path::new(&dump).join(format!("{name}.words.tsv")), tsv);
            }
            if let Some(tg) = alignment_for(Path::new(&dir), &name) {
                let reference = textgrid_words(&std::fs::read_to_string(tg).unwrap());
                timing.push((name.clone(), timing_errors(&t, &reference)));
            }
            let labelled = turns
                .remove(&name)
                .map(|reference| t = label(t.clone(), reference));
            let (before, after) = (
                score_export(&t, false, &name),
                score_export(&t, true, &name),
            );
            if labelled.is_some() {
                unlabelled.push(unlabelled_row(
                    &format!("{name} (2 speakers, no labels)"),
                    minutes,
                    &t,
                ));
            }
            let row = Row {
                name: if labelled.is_some() {
                    format!("{name} (2 speakers, labelled)")
                } else {
                    name
                },
                minutes,
                words: words_of(&t.text()).len(),
                wer: Some(common::wer(&reference, &t.text())),
                before,
                after,
            };
            print_row(&row);
            real.push(row);
        }
    }
    if !real.is_empty() {
        // All real clips pooled: shares weighted by cues.
        let pool = |f: fn(&Row) -> &Scored, rule: fn(&Compliance) -> f64| {
            let cues: usize = real.iter().map(|r| f(r).score.cues).sum();
            let ok: f64 = real
                .iter()
                .map(|r| rule(&f(r).score) * f(r).score.cues as f64)
                .sum();
            ok / cues.max(1) as f64
        };
        fn before(r: &Row) -> &Scored {
            &r.before
        }
        fn after(r: &Row) -> &Scored {
            &r.after
        }
        let minutes: f64 = real.iter().map(|r| r.minutes).sum();
        let total = Row {
            name: format!("**real speech, {} clips**", real.len()),
            minutes,
            words: real.iter().map(|r| r.words).sum(),
            wer: None,
            before: Scored {
                score: Compliance {
                    cues: real.iter().map(|r| r.before.score.cues).sum(),
                    all: pool(before, |c| c.all),
                    ..real[0].before.score.clone()
                },
                words_kept: real.iter().all(|r| r.before.words_kept),
            },
            after: Scored {
                score: Compliance {
                    cues: real.iter().map(|r| r.after.score.cues).sum(),
                    line_length: pool(after, |c| c.line_length),
                    line_count: pool(after, |c| c.line_count),
                    min_duration: pool(after, |c| c.min_duration),
                    max_duration: pool(after, |c| c.max_duration),
                    reading_speed: pool(after, |c| c.reading_speed),
                    gap: pool(after, |c| c.gap),
                    no_orphan: pool(after, |c| c.no_orphan),
                    all: pool(after, |c| c.all),
                },
                words_kept: real.iter().all(|r| r.after.words_kept),
            },
        };
        print_row(&total);
    }
    if n_lines > 0 {
        let dir = tempfile::tempdir().unwrap();
        let order: String = "ABAC".chars().cycle().take(n_lines).collect();
        let (samples, turns) = common::conversation(dir.path(), &common::varied_lines(&order, 0.4));
        let secs = samples.len() as f64 / 16_000.0;
        eprintln!("conversation: {n_lines} lines, {secs:.1} s");
        let audio = Arc::new(AudioBuffer {
            samples,
            sample_rate: 16_000,
            info: voxflow_nodes::AudioInfo {
                duration_secs: secs,
                sample_rate: 16_000,
                channels: 1,
                codec: "pcm".into(),
            },
        });
        let t = label(transcribe(audio, &model), turns);
        unlabelled.push(unlabelled_row(
            &format!("synthetic conversation, {n_lines} lines, 3 voices, no labels"),
            secs / 60.0,
            &t,
        ));
        print_row(&Row {
            name: format!("synthetic conversation, {n_lines} lines, 3 voices, labelled"),
            minutes: secs / 60.0,
            words: words_of(&t.text()).len(),
            wer: None,
            before: score_export(&t, false, "conversation"),
            after: score_export(&t, true, "conversation"),
        });
    }
    for row in &unlabelled {
        print_row(row);
    }
    if !timing.is_empty() {
        println!();
        println!("Word timestamps against the Montreal Forced Aligner's own alignments of its test clips (words matched in order):");
        println!();
        println!("| clip | words matched | start: median error / bias ms | start within 100 ms % | end: median error / bias ms | end within 100 ms % |");
        println!("|---|---|---|---|---|---|");
        for (name, errs) in &timing {
            print_timing_row(name, errs);
        }
        let all: Vec<(f64, f64)> = timing.iter().flat_map(|(_, e)| e.iter().copied()).collect();
        print_timing_row("**all**", &all);
    }
}

fn unlabelled_row(name: &str, minutes: f64, t: &Transcript) -> Row {
    let p = ExportParams {
        include_speaker: false,
        ..ExportParams::default()
    };
    let file = name.split(' ').next().unwrap_or(name).to_owned() + ".nolabels";
    Row {
        name: name.to_owned(),
        minutes,
        words: words_of(&t.text()).len(),
        wer: None,
        before: score_export_with(t, false, &file, &p),
        after: score_export_with(t, true, &file, &p),
    }
}
