//! Subtitle segmentation from word timestamps, and a compliance score for any cue list.
//!
//! The defaults follow the Netflix Timed Text Style Guide (general requirements and the
//! English guide, <https://partnerhelp.netflixstudios.com/hc/en-us/articles/217350977>):
//!
//! | rule | default | guideline |
//! |---|---|---|
//! | characters per line | 42 | English: "Character limitation: 42 characters per line" |
//! | lines per cue | 2 | "Maximum of two lines" |
//! | minimum duration | 0.834 s | "5/6 (five-sixths) of a second per subtitle event" (20 frames at 24 fps), rounded up to the millisecond |
//! | maximum duration | 7 s | "Maximum duration: 7 seconds per subtitle event" |
//! | gap between touching cues | 0.084 s | "a minimum of 2 frames" between events (2/24 s ≈ 83 ms, rounded up) |
//! | reading speed | 20 cps | English adult programs "up to 20 characters per second"; 17 cps for children's programs |
//!
//! Line and cue breaks follow the guide's line-treatment rules: break after punctuation
//! (sentence ends first, then clause punctuation), before conjunctions and prepositions, and
//! never between an article/determiner and the word it belongs to where avoidable; lines are
//! kept to one line when the text fits, otherwise balanced with the lower line the longer
//! ("bottom-heavy pyramid"). A cue of fewer than [`SegmentParams::min_words`] words stands alone
//! only when the speech itself is isolated (a pause of [`SegmentParams::isolated_pause`] or a
//! speaker change on both sides). A speaker change starts a new cue, except for the dual-speaker
//! cue of a quick exchange when speaker labels are off (below).
//!
//! Two speakers share a cue only as the guide's dual-speaker subtitle: "use a hyphen without a
//! space to indicate two speakers in one subtitle, with a maximum of one speaker per line" —
//! `-Are you coming?` / `-Right behind you.` It is offered when [`SegmentParams::dual_speaker`]
//! is on, and chosen only where it beats two cues: when a reply follows so closely that the
//! first line could not stay up its minimum duration or be read at the reading speed. Without
//! labels the lines carry the dash alone. With labels shown in the text
//! ([`SegmentParams::label_in_text`], SRT) each line carries its own speaker's label after the
//! dash — `-[A] Ready?` / `-[B] Yes, go.` — as captioning guides ask for two labelled speakers
//! in one caption ("each speaker appears on its own line … add a full label in front of each
//! speaker", Ai-Media, *Speaker labelling*); the cue itself then has no single speaker. Where
//! labels are shown outside the text (a WebVTT `<v>` voice, one per cue) a speaker change
//! always starts a new cue.
//!
//! Every word of the input appears exactly once, in order: the cue texts joined by spaces are
//! the words joined by spaces. Cue starts are word starts; cue ends are the last word's end,
//! extended into the following pause only as far as the minimum duration and reading speed
//! need, and trimmed to keep the gap before the next cue.

/// Segmentation and scoring rules (all numbers are `export.subtitles` params).
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentParams {
    pub max_line_length: usize,
    pub max_lines: usize,
    /// Seconds a cue stays on screen at least.
    pub min_duration: f64,
    /// Seconds a cue stays on screen at most.
    pub max_duration: f64,
    /// Seconds between consecutive cues that would otherwise touch.
    pub min_gap: f64,
    /// Reading speed limit in characters (spaces and punctuation included) per second.
    pub max_cps: f64,
    /// A cue of fewer words is an orphan unless its speech is isolated.
    pub min_words: usize,
    /// Seconds of silence (between cues) that make short speech isolated.
    pub isolated_pause: f64,
    /// Speaker labels are shown as `[NAME] ` at the start of the first line (SRT), so their
    /// width counts toward that line. Not a rule of [`score_cues`].
    pub label_in_text: bool,
    /// Allow dual-speaker cues (`-line` per speaker) when labels are off or shown in the text.
    pub dual_speaker: bool,
}

impl Default for SegmentParams {
    fn default() -> Self {
        Self {
            max_line_length: 42,
            max_lines: 2,
            min_duration: 0.834,
            max_duration: 7.0,
            min_gap: 0.084,
            max_cps: 20.0,
            min_words: 3,
            isolated_pause: 1.0,
            label_in_text: false,
            dual_speaker: true,
        }
    }
}

/// One rendered cue.
#[derive(Clone, Debug, PartialEq)]
pub struct Cue {
    pub start: f64,
    pub end: f64,
    pub lines: Vec<String>,
    pub speaker: Option<String>,
}

impl Cue {
    /// The cue's lines joined by single spaces.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }

    /// A dual-speaker cue: two lines, each starting with the speaker dash.
    pub fn is_dual(&self) -> bool {
        self.lines.len() == 2 && self.lines.iter().all(|l| l.starts_with(DUAL_DASH))
    }

    /// [`Cue::text`] without a leading `[speaker] ` label or the dashes (and the labels after
    /// them) of a dual-speaker cue: the spoken words.
    pub fn words(&self) -> String {
        if self.is_dual() {
            let spoken: Vec<&str> = self
                .lines
                .iter()
                .map(|l| {
                    let l = &l[DUAL_DASH.len()..];
                    match l.strip_prefix('[').and_then(|r| r.split_once("] ")) {
                        Some((_, rest)) => rest,
                        None => l,
                    }
                })
                .collect();
            return spoken.join(" ");
        }
        let text = self.text();
        match &self.speaker {
            Some(s) => text
                .strip_prefix(&format!("[{s}] "))
                .map(str::to_owned)
                .unwrap_or(text),
            None => text,
        }
    }
}

/// A timed word as segmentation sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedWord {
    pub start: f64,
    pub end: f64,
    pub text: String,
    /// Used to force a cue break; not rendered.
    pub speaker: Option<String>,
}

const SENTENCE: f64 = 0.0;
const CLAUSE: f64 = 15.0;
const BEFORE_LINK: f64 = 30.0;
const PLAIN: f64 = 50.0;
const AFTER_LINK: f64 = 80.0;
const AFTER_ARTICLE: f64 = 120.0;
const PER_CUE: f64 = 40.0;
const MID_LINE_SENTENCE: f64 = 25.0;
const INNER_PAUSE: f64 = 40.0;
const HARD: f64 = 1e4;
/// Extra cost of a dual-speaker cue over two cues: chosen only when two would break a rule.
const DUAL: f64 = 200.0;
/// The dual-speaker line prefix (no space after it, as the guide asks).
pub const DUAL_DASH: &str = "-";

const ARTICLES: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our",
    "their", "some", "any", "every", "each", "no", "another", "such",
];
const LINKS: &[&str] = &[
    "and", "but", "or", "nor", "so", "yet", "because", "although", "though", "while", "if", "when",
    "whereas", "unless", "until", "since", "than", "that", "which", "who", "whom", "whose",
    "where", "of", "in", "on", "at", "to", "for", "with", "from", "by", "about", "into", "over",
    "after", "before", "under", "between", "through", "during", "without", "against", "among",
    "upon", "as",
];

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase()
}

fn ends_sentence(word: &str) -> bool {
    let w = word.trim_end_matches(['"', '\'', ')', ']', '»', '”', '’']);
    w.ends_with(['.', '?', '!', '…'])
}

fn ends_clause(word: &str) -> bool {
    let w = word.trim_end_matches(['"', '\'', ')', ']', '»', '”', '’']);
    w.ends_with([',', ';', ':', '—', '–']) || w.ends_with("--")
}

/// Cost of breaking (a line or a cue) between `left` and `right`: lower is better.
pub fn break_cost(left: &str, right: &str) -> f64 {
    if ends_sentence(left) {
        SENTENCE
    } else if ends_clause(left) || right.starts_with(['—', '–', '(', '"', '“']) {
        CLAUSE
    } else if ARTICLES.contains(&bare(left).as_str()) {
        AFTER_ARTICLE
    } else if LINKS.contains(&bare(left).as_str()) {
        AFTER_LINK
    } else if LINKS.contains(&bare(right).as_str()) {
        BEFORE_LINK
    } else {
        PLAIN
    }
}

fn chars(words: &[&str]) -> usize {
    words.iter().map(|w| w.chars().count()).sum::<usize>() + words.len().saturating_sub(1)
}

/// Cost of two consecutive lines' lengths: balanced, the lower one longer when they differ.
fn imbalance(top: usize, bottom: usize) -> f64 {
    if top > bottom {
        10.0 + 3.0 * (top - bottom) as f64
    } else {
        (bottom - top) as f64
    }
}

/// Lay `words` out in as few lines as fit `max_len` (at most `max_lines`), choosing the best
/// breaks. Returns the lines and their cost; the cost is `HARD` or more when they do not fit.
pub fn layout(words: &[&str], max_len: usize, max_lines: usize) -> (Vec<String>, f64) {
    layout_with(words, max_len, max_lines, 0)
}

/// [`layout`] with the first `reserve` characters of the first line taken (by a speaker label
/// shown in the text).
pub fn layout_with(
    words: &[&str],
    max_len: usize,
    max_lines: usize,
    reserve: usize,
) -> (Vec<String>, f64) {
    let n = words.len();
    if n == 0 {
        return (Vec::new(), 0.0);
    }
    if chars(words) + reserve <= max_len || n == 1 {
        let over = chars(words) + reserve > max_len;
        return (vec![words.join(" ")], if over { HARD * 100.0 } else { 0.0 });
    }
    for m in 2..=max_lines.max(1) {
        // best[k][l]: (cost, first line length, next break) laying words[k..] in l lines.
        let mut best: Vec<Vec<Option<(f64, usize, usize)>>> = vec![vec![None; m + 1]; n + 1];
        best[n][0] = Some((0.0, 0, n));
        for k in (0..n).rev() {
            for l in 1..=m {
                let mut cand: Option<(f64, usize, usize)> = None;
                let mut len = if k == 0 { reserve } else { 0 };
                for e in k + 1..=n {
                    len += words[e - 1].chars().count() + usize::from(e > k + 1);
                    if len > max_len {
                        break;
                    }
                    let Some((rest, next_len, _)) = best[e][l - 1] else {
                        continue;
                    };
                    let mut c = rest;
                    if e < n {
                        c += break_cost(words[e - 1], words[e]) + imbalance(len, next_len);
                    }
                    if cand.is_none_or(|(bc, _, _)| c < bc) {
                        cand = Some((c, len, e));
                    }
                }
                best[k][l] = cand;
            }
        }
        if let Some((cost, _, _)) = best[0][m] {
            let mut lines = Vec::with_capacity(m);
            let (mut k, mut l) = (0, m);
            while k < n {
                let (_, _, e) = best[k][l].expect("path");
                lines.push(words[k..e].join(" "));
                k = e;
                l -= 1;
            }
            return (lines, cost);
        }
    }
    (crate::export::wrap(&words.join(" "), max_len), HARD * 100.0)
}

/// Where cue `i..j` of `w` ends and how long it may stay, given the next word.
/// `extra`: characters shown besides the words (a speaker label).
fn cue_end(
    w: &[TimedWord],
    (i, j, extra): (usize, usize, usize),
    p: &SegmentParams,
    sep: f64,
) -> (f64, f64) {
    let start = w[i].start;
    let speech_end = w[i..j].iter().map(|x| x.end).fold(start, f64::max);
    let texts: Vec<&str> = w[i..j].iter().map(|x| x.text.as_str()).collect();
    let need = ((chars(&texts) + extra) as f64 / p.max_cps).max(p.min_duration);
    let desired = speech_end.max((start + need).min(start + p.max_duration));
    let end = match w.get(j) {
        Some(next) => desired.min(next.start - sep),
        None => desired,
    };
    (start, end.max(start + 0.001))
}

fn speaker_change(w: &[TimedWord], k: usize) -> bool {
    k > 0 && k < w.len() && w[k - 1].speaker != w[k].speaker
}

/// Whether short cue `i..j` is isolated speech (silence or a speaker change on both sides).
fn isolated(w: &[TimedWord], i: usize, j: usize, p: &SegmentParams, label: bool) -> bool {
    let before = i == 0 || speaker_change(w, i) || w[i].start - w[i - 1].end >= p.isolated_pause;
    let after = j == w.len() || speaker_change(w, j) || {
        let (_, end) = cue_end(w, (i, j, reserve(w, i, p, label)), p, p.min_gap);
        w[j].start - end >= p.isolated_pause
    };
    before && after
}

/// Width of the speaker label shown before cue text starting at word `i`, if any.
fn reserve(w: &[TimedWord], i: usize, p: &SegmentParams, label: bool) -> usize {
    match (&w[i].speaker, label && p.label_in_text) {
        (Some(s), true) => s.chars().count() + 3,
        _ => 0,
    }
}

/// Whether two speakers may share a cue: the option is on and labels, when shown, are in the
/// text (each line can carry its own).
fn dual_allowed(p: &SegmentParams, label: bool) -> bool {
    p.dual_speaker && p.max_lines >= 2 && (!label || p.label_in_text)
}

/// The dash and, when labels are shown in the text, the speaker label that start a line of
/// a dual-speaker cue spoken from word `k`.
fn dual_prefix(w: &[TimedWord], k: usize, p: &SegmentParams, label: bool) -> String {
    match (&w[k].speaker, label && p.label_in_text) {
        (Some(s), true) => format!("{DUAL_DASH}[{s}] "),
        _ => DUAL_DASH.to_owned(),
    }
}

/// Where the second speaker of cue `i..j` starts, when the cue holds two.
fn dual_split(w: &[TimedWord], i: usize, j: usize) -> Option<usize> {
    (i + 1..j).find(|&k| speaker_change(w, k))
}

/// The lines of cue `i..j`: one dashed line per speaker for a dual-speaker cue (`HARD` cost
/// when a side does not fit one line), else the best layout.
fn cue_lines(
    w: &[TimedWord],
    i: usize,
    j: usize,
    p: &SegmentParams,
    label: bool,
) -> (Vec<String>, f64) {
    let texts: Vec<&str> = w[i..j].iter().map(|x| x.text.as_str()).collect();
    match dual_split(w, i, j) {
        Some(m) => {
            let (a, b) = texts.split_at(m - i);
            let (pa, pb) = (dual_prefix(w, i, p, label), dual_prefix(w, m, p, label));
            let fits =
                |side: &[&str], pre: &str| chars(side) + pre.chars().count() <= p.max_line_length;
            let cost = if fits(a, &pa) && fits(b, &pb) && p.max_lines >= 2 {
                DUAL
            } else {
                HARD * 100.0
            };
            (
                vec![
                    format!("{pa}{}", a.join(" ")),
                    format!("{pb}{}", b.join(" ")),
                ],
                cost,
            )
        }
        None => layout_with(
            &texts,
            p.max_line_length,
            p.max_lines,
            reserve(w, i, p, label),
        ),
    }
}

/// Characters shown besides the words of cue `i..j`: a speaker label, or the two dashes (and
/// labels) of a dual-speaker cue.
fn shown_extra(w: &[TimedWord], i: usize, j: usize, p: &SegmentParams, label: bool) -> usize {
    match dual_split(w, i, j) {
        Some(m) => {
            dual_prefix(w, i, p, label).chars().count()
                + dual_prefix(w, m, p, label).chars().count()
        }
        None => reserve(w, i, p, label),
    }
}

fn cue_cost(w: &[TimedWord], i: usize, j: usize, p: &SegmentParams, label: bool) -> f64 {
    let texts: Vec<&str> = w[i..j].iter().map(|x| x.text.as_str()).collect();
    let dual = dual_split(w, i, j).is_some();
    let (lines, mut cost) = cue_lines(w, i, j, p, label);
    cost += PER_CUE;
    // A sentence that ends inside a line rather than at a line or cue break.
    let mut pos = 0;
    for line in &lines {
        let n = line.split_whitespace().count();
        let within = texts.get(pos..(pos + n).saturating_sub(1)).unwrap_or(&[]);
        cost += MID_LINE_SENTENCE * within.iter().filter(|t| ends_sentence(t)).count() as f64;
        pos += n;
    }
    // Silence shown on screen inside one cue.
    for k in i + 1..j {
        cost += INNER_PAUSE * (w[k].start - w[k - 1].end - 0.5).max(0.0);
    }
    if j < w.len() && !speaker_change(w, j) {
        let pause = (w[j].start - w[j - 1].end).clamp(0.0, 1.0);
        // A cue break cuts the thought harder than a line break: it weighs double.
        cost += 2.0 * (break_cost(&w[j - 1].text, &w[j].text) - 30.0 * pause).max(0.0);
    }
    let speech = w[j - 1].end.max(w[i].start) - w[i].start;
    if speech > p.max_duration {
        cost += HARD * 10.0 + HARD * (speech - p.max_duration);
    }
    let extra = shown_extra(w, i, j, p, label);
    let (start, end) = cue_end(w, (i, j, extra), p, p.min_gap);
    let dur = end - start;
    if dur + 1e-9 < p.min_duration {
        cost += HARD;
    }
    let cps = (chars(&texts) + extra) as f64 / dur;
    if cps > p.max_cps + 1e-9 {
        cost += HARD * 0.2 * (1.0 + cps - p.max_cps);
    }
    if j - i < p.min_words && !dual && !isolated(w, i, j, p, label) {
        cost += HARD;
    }
    cost
}

/// Group `words` into cues by dynamic programming over the break positions (see the module
/// docs for the rules). `speaker` on the cues is the words' speaker when `label` is true,
/// except on a dual-speaker cue, whose lines carry the labels when they are shown in the text.
pub fn segment_words(words: &[TimedWord], p: &SegmentParams, label: bool) -> Vec<Cue> {
    let w: Vec<TimedWord> = words
        .iter()
        .filter(|x| !x.text.trim().is_empty())
        .map(|x| TimedWord {
            text: x.text.trim().to_owned(),
            end: x.end.max(x.start),
            ..x.clone()
        })
        .collect();
    let n = w.len();
    if n == 0 {
        return Vec::new();
    }
    let cap = p.max_line_length * p.max_lines;
    let mut best = vec![f64::INFINITY; n + 1];
    let mut from = vec![0usize; n + 1];
    best[0] = 0.0;
    for j in 1..=n {
        let mut len = 0usize;
        let mut changes = 0;
        for i in (0..j).rev() {
            if i + 1 < j && speaker_change(&w, i + 1) {
                changes += 1;
                // One change fits a dual-speaker cue; more never share a cue.
                if changes > 1 || !dual_allowed(p, label) {
                    break;
                }
            }
            len += w[i].text.chars().count() + usize::from(i + 1 < j);
            let span = w[j - 1].end - w[i].start;
            if i + 1 < j && (len > cap || span > p.max_duration) {
                break;
            }
            let c = best[i] + cue_cost(&w, i, j, p, label);
            if c < best[j] {
                best[j] = c;
                from[j] = i;
            }
        }
    }
    let mut bounds = Vec::new();
    let mut j = n;
    while j > 0 {
        bounds.push((from[j], j));
        j = from[j];
    }
    bounds.reverse();
    let short_isolated: Vec<bool> = bounds
        .iter()
        .map(|&(i, j)| j - i < p.min_words && isolated(&w, i, j, p, label))
        .collect();
    bounds
        .iter()
        .enumerate()
        .map(|(k, &(i, j))| {
            let next_short = short_isolated.get(k + 1).copied().unwrap_or(false);
            let sep = if !speaker_change(&w, j) && (short_isolated[k] || next_short) {
                p.isolated_pause.max(p.min_gap)
            } else {
                p.min_gap
            };
            let (start, end) = cue_end(&w, (i, j, shown_extra(&w, i, j, p, label)), p, sep);
            Cue {
                start,
                end,
                lines: cue_lines(&w, i, j, p, label).0,
                // A dual-speaker cue's labels are on its lines.
                speaker: if label && dual_split(&w, i, j).is_none() {
                    w[i].speaker.clone()
                } else {
                    None
                },
            }
        })
        .collect()
}

/// Share (0..=1) of cues meeting each rule, and all of them.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Compliance {
    pub cues: usize,
    pub line_length: f64,
    pub line_count: f64,
    pub min_duration: f64,
    pub max_duration: f64,
    pub reading_speed: f64,
    pub gap: f64,
    pub no_orphan: f64,
    pub all: f64,
}

/// Score `cues` against `p` (times compared with a 1 ms tolerance for rounding). A cue of fewer
/// than `min_words` words passes the orphan rule when, on both sides, it is the first/last cue,
/// the speaker changes, or the gap is at least `isolated_pause`.
pub fn score_cues(cues: &[Cue], p: &SegmentParams) -> Compliance {
    const TOL: f64 = 0.0011;
    let n = cues.len();
    let mut ok = [0usize; 8];
    for (k, c) in cues.iter().enumerate() {
        let dur = c.end - c.start;
        let text = c.text();
        let gap_after = cues.get(k + 1).map(|x| x.start - c.end);
        let quiet = |other: Option<&Cue>, gap: Option<f64>| match (other, gap) {
            (None, _) | (_, None) => true,
            (Some(o), Some(g)) => o.speaker != c.speaker || g + TOL >= p.isolated_pause,
        };
        let gap_before = k.checked_sub(1).map(|b| c.start - cues[b].end);
        let rules = [
            c.lines
                .iter()
                .all(|l| l.chars().count() <= p.max_line_length),
            !c.lines.is_empty() && c.lines.len() <= p.max_lines,
            dur + TOL >= p.min_duration,
            dur <= p.max_duration + TOL,
            dur > 0.0 && text.chars().count() as f64 / dur <= p.max_cps + 0.05,
            gap_after.is_none_or(|g| g + TOL >= p.min_gap),
            c.words().split_whitespace().count() >= p.min_words
                || c.is_dual()
                || (quiet(k.checked_sub(1).map(|b| &cues[b]), gap_before)
                    && quiet(cues.get(k + 1), gap_after)),
        ];
        for (r, pass) in rules.iter().enumerate() {
            ok[r] += usize::from(*pass);
        }
        ok[7] += usize::from(rules.iter().all(|x| *x));
    }
    let share = |x: usize| if n == 0 { 1.0 } else { x as f64 / n as f64 };
    Compliance {
        cues: n,
        line_length: share(ok[0]),
        line_count: share(ok[1]),
        min_duration: share(ok[2]),
        max_duration: share(ok[3]),
        reading_speed: share(ok[4]),
        gap: share(ok[5]),
        no_orphan: share(ok[6]),
        all: share(ok[7]),
    }
}

/// `HH:MM:SS,mmm`, `HH:MM:SS.mmm` or `MM:SS.mmm` in seconds.
fn parse_time(s: &str) -> Option<f64> {
    let s = s.trim().replace(',', ".");
    let parts: Vec<&str> = s.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m, sec] => (h.parse::<f64>().ok()?, m.parse::<f64>().ok()?, sec),
        [m, sec] => (0.0, m.parse::<f64>().ok()?, sec),
        _ => return None,
    };
    Some(h * 3600.0 + m * 60.0 + sec.parse::<f64>().ok()?)
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for ch in s.chars() {
        match ch {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// Parse SRT or WebVTT text into cues. Speakers come from a VTT `<v Name>` tag (removed, as it
/// is not displayed) or a leading `[Name] ` label (kept in the line: it is displayed); other
/// tags are stripped. [`Cue::words`] leaves such a label out.
pub fn parse_subtitles(text: &str) -> Vec<Cue> {
    let text = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block.lines().collect();
        let Some(t) = lines.iter().position(|l| l.contains("-->")) else {
            continue;
        };
        let mut times = lines[t].split("-->");
        let start = times.next().and_then(parse_time);
        let end = times
            .next()
            .and_then(|e| e.split_whitespace().next())
            .and_then(parse_time);
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        let mut speaker = None;
        let mut body: Vec<String> = Vec::new();
        for (k, raw) in lines[t + 1..].iter().enumerate() {
            let mut l = raw.to_string();
            if k == 0 {
                if let Some(rest) = l.strip_prefix("<v ") {
                    if let Some(close) = rest.find('>') {
                        speaker = Some(rest[..close].trim().to_owned());
                        l = rest[close + 1..].to_owned();
                    }
                } else if let Some(rest) = l.strip_prefix('[') {
                    // Shown on screen, so it stays in the line (and counts toward its length).
                    if let Some(close) = rest.find("] ") {
                        speaker = Some(rest[..close].to_owned());
                    }
                }
            }
            let l = strip_tags(&l).trim().to_owned();
            if !l.is_empty() {
                body.push(l);
            }
        }
        out.push(Cue {
            start,
            end,
            lines: body,
            speaker,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(start: f64, end: f64, text: &str) -> TimedWord {
        TimedWord {
            start,
            end,
            text: text.into(),
            speaker: None,
        }
    }

    /// Words of `text` spoken from `t0` at about 15 characters a second, with short pauses
    /// after commas and longer ones after sentence ends.
    fn speak(text: &str, t0: f64, speaker: Option<&str>) -> (Vec<TimedWord>, f64) {
        let mut t = t0;
        let mut out = Vec::new();
        for word in text.split_whitespace() {
            let d = 0.12 + word.chars().count() as f64 / 15.0;
            out.push(TimedWord {
                start: t,
                end: t + d,
                text: word.into(),
                speaker: speaker.map(Into::into),
            });
            t += d + if ends_sentence(word) {
                0.6
            } else if ends_clause(word) {
                0.3
            } else {
                0.06
            };
        }
        (out, t)
    }

    fn joined(cues: &[Cue]) -> String {
        cues.iter().map(Cue::text).collect::<Vec<_>>().join(" ")
    }

    fn texts(cues: &[Cue]) -> Vec<Vec<String>> {
        cues.iter().map(|c| c.lines.clone()).collect()
    }

    /// `start --> end | line / line` per cue, times as SRT writes them.
    fn show(cues: &[Cue]) -> Vec<String> {
        use crate::export::srt_time;
        cues.iter()
            .map(|c| {
                let sp = c
                    .speaker
                    .as_deref()
                    .map(|x| format!("[{x}] "))
                    .unwrap_or_default();
                format!(
                    "{} --> {} | {sp}{}",
                    srt_time(c.start),
                    srt_time(c.end),
                    c.lines.join(" / ")
                )
            })
            .collect()
    }

    #[test]
    fn break_costs_rank_as_the_guide_says() {
        assert!(break_cost("end.", "Next") < break_cost("one,", "two"));
        assert!(break_cost("one,", "two") < break_cost("cats", "and"));
        assert!(break_cost("cats", "and") < break_cost("big", "cats"));
        assert!(break_cost("big", "cats") < break_cost("the", "cats"));
    }

    #[test]
    fn layout_balances_bottom_heavy_and_keeps_short_text_on_one_line() {
        let words: Vec<&str> =
            "The quick brown fox jumps over a lazy dog and keeps running far away into the night."
                .split(' ')
                .collect();
        let (lines, _) = layout(&words, 42, 2);
        assert_eq!(
            lines,
            vec![
                "The quick brown fox jumps over a lazy dog",
                "and keeps running far away into the night."
            ]
        );
        let (lines, cost) = layout(&["Hello", "world."], 42, 2);
        assert_eq!((lines, cost), (vec!["Hello world.".to_string()], 0.0));
        // Never between the article and its noun: "the | old man" is avoided.
        let words: Vec<&str> = "I saw him yesterday at the old market near the river"
            .split(' ')
            .collect();
        let (lines, _) = layout(&words, 32, 2);
        assert_eq!(
            lines,
            vec!["I saw him yesterday", "at the old market near the river"]
        );
    }

    #[test]
    fn orphans_are_merged() {
        // "in his power." would be left alone by a greedy two-line cut; here it joins its
        // sentence and the break moves to the comma.
        let text = "He did everything he could to keep the old house standing, \
                    and all of it was in his power.";
        let (words, _) = speak(text, 0.0, None);
        let cues = segment_words(&words, &SegmentParams::default(), false);
        assert_eq!(
            texts(&cues),
            [
                vec![
                    "He did everything he could",
                    "to keep the old house standing,"
                ],
                vec!["and all of it was in his power."],
            ]
        );
        assert!(cues
            .iter()
            .all(|c| c.text().split_whitespace().count() >= 3));
        // Two words alone after a sentence: merged with their neighbour, not left as a cue.
        let text2 = "The train was late again this morning, so everyone waited outside in the \
                     cold rain. He was. Nobody complained about it.";
        let (words2, _) = speak(text2, 0.0, None);
        let cues2 = segment_words(&words2, &SegmentParams::default(), false);
        assert_eq!(
            texts(&cues2),
            [
                vec!["The train was late again this morning,"],
                vec!["so everyone waited outside", "in the cold rain. He was."],
                vec!["Nobody complained about it."],
            ]
        );
        assert_eq!(
            joined(&cues2),
            text2.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        assert!(cues
            .iter()
            .all(|c| c.text().split_whitespace().count() >= 3));
        assert_eq!(
            joined(&cues),
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn isolated_short_speech_stands_alone() {
        let words = vec![
            w(0.0, 0.4, "Yes."),
            w(3.0, 3.3, "I"),
            w(3.36, 3.6, "think"),
            w(3.66, 3.9, "so."),
        ];
        let cues = segment_words(&words, &SegmentParams::default(), false);
        assert_eq!(texts(&cues), vec![vec!["Yes."], vec!["I think so."]]);
        assert_eq!((cues[0].start, cues[0].end), (0.0, 0.834));
        assert!(score_cues(&cues, &SegmentParams::default()).all == 1.0);
    }

    #[test]
    fn long_sentence_splits_at_the_best_break() {
        let text = "The committee met on Tuesday to discuss the new budget for the coming year \
                    because the old one had run out before the end of the summer.";
        let (words, _) = speak(text, 0.0, None);
        let cues = segment_words(&words, &SegmentParams::default(), false);
        // 136 characters: two cues, cut before "because" (not inside "the coming year"), each
        // with its line break before a preposition/article-free phrase.
        assert_eq!(
            texts(&cues),
            [
                vec![
                    "The committee met on Tuesday to discuss",
                    "the new budget for the coming year"
                ],
                vec![
                    "because the old one had run out",
                    "before the end of the summer."
                ],
            ]
        );
        assert_eq!(
            joined(&cues),
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn speaker_change_forces_a_cue() {
        let (mut words, t) = speak("Are you coming tonight?", 0.0, Some("A"));
        words.extend(speak("No, I have to work late.", t - 0.5, Some("B")).0);
        let cues = segment_words(&words, &SegmentParams::default(), true);
        assert_eq!(
            show(&cues),
            [
                "00:00:00,000 --> 00:00:01,993 | [A] Are you coming tonight?",
                "00:00:02,093 --> 00:00:04,620 | [B] No, I have to work late."
            ]
        );
        // The same words from one speaker share a cue.
        for x in &mut words {
            x.speaker = None;
        }
        let cues = segment_words(&words, &SegmentParams::default(), true);
        assert_eq!(
            texts(&cues),
            [vec!["Are you coming tonight?", "No, I have to work late."]]
        );
    }

    #[test]
    fn a_quick_exchange_shares_a_dual_speaker_cue_when_labels_are_off() {
        let (mut words, _) = speak("Ready?", 0.0, Some("A"));
        words.extend(speak("Yes, go.", 0.6, Some("B")).0);
        words.extend(speak("Then we start the engines now.", 3.0, Some("A")).0);
        // Alone, `Ready?` could stay up 0.52 s before the answer: too short to read.
        let cues = segment_words(&words, &SegmentParams::default(), false);
        assert_eq!(
            show(&cues),
            [
                "00:00:00,000 --> 00:00:01,607 | -Ready? / -Yes, go.",
                "00:00:03,000 --> 00:00:05,687 | Then we start the engines now."
            ]
        );
        assert!(cues[0].is_dual() && !cues[1].is_dual());
        assert_eq!(cues[0].words(), "Ready? Yes, go.");
        let score = score_cues(&cues, &SegmentParams::default());
        assert_eq!(score.all, 1.0, "{score:?}");
        // Labels shown, or the option off: one speaker per cue.
        let off = SegmentParams {
            dual_speaker: false,
            ..SegmentParams::default()
        };
        for cues in [
            segment_words(&words, &SegmentParams::default(), true),
            segment_words(&words, &off, false),
        ] {
            assert_eq!(cues.len(), 3, "{:?}", show(&cues));
            assert!(cues.iter().all(|c| !c.is_dual()));
        }
        // An answer after a pause keeps its own cue.
        let (mut words, _) = speak("Ready?", 0.0, Some("A"));
        words.extend(speak("Yes, go.", 1.5, Some("B")).0);
        let cues = segment_words(&words, &SegmentParams::default(), false);
        assert_eq!(texts(&cues), [vec!["Ready?"], vec!["Yes, go."]]);
    }

    #[test]
    fn a_quick_exchange_shares_a_labelled_dual_speaker_cue_when_labels_are_in_the_text() {
        let (mut words, _) = speak("Ready?", 0.0, Some("A"));
        words.extend(speak("Yes, go.", 0.6, Some("B")).0);
        words.extend(speak("Then we start the engines now.", 3.0, Some("A")).0);
        // SRT: labels are part of the text, so each dashed line carries its speaker's label
        // and the cue has none of its own. `[A] Ready?` alone could stay up 0.52 s.
        let srt = SegmentParams {
            label_in_text: true,
            ..SegmentParams::default()
        };
        let cues = segment_words(&words, &srt, true);
        assert_eq!(
            show(&cues),
            [
                "00:00:00,000 --> 00:00:01,607 | -[A] Ready? / -[B] Yes, go.",
                "00:00:03,000 --> 00:00:05,687 | [A] Then we start the engines now."
            ]
        );
        assert!(cues[0].is_dual() && cues[0].speaker.is_none());
        assert_eq!(cues[0].words(), "Ready? Yes, go.");
        // Parsed back from the SRT, the spoken words leave both labels out.
        let parsed =
            parse_subtitles("1\n00:00:00,000 --> 00:00:01,607\n-[A] Ready?\n-[B] Yes, go.\n");
        assert!(parsed[0].is_dual() && parsed[0].speaker.is_none());
        assert_eq!(parsed[0].words(), "Ready? Yes, go.");
        // Scored as SRT shows it: the labels count toward line length and reading speed.
        let shown: Vec<Cue> = cues
            .iter()
            .map(|c| Cue {
                lines: match &c.speaker {
                    Some(s) => vec![format!("[{s}] {}", c.lines.join(" "))],
                    None => c.lines.clone(),
                },
                ..c.clone()
            })
            .collect();
        let score = score_cues(&shown, &srt);
        assert_eq!(score.all, 1.0, "{score:?}");
        // A reply too long for its labelled line: the dual-speaker cue takes its first words
        // (a line of at most 42 characters, labels included) and the rest follows in the
        // speaker's own cue, since `[Alexandra] Ready?` alone could not be read.
        let (mut words, _) = speak("Ready?", 0.0, Some("Alexandra"));
        words.extend(
            speak(
                "Yes, go, the engines are warm already.",
                0.6,
                Some("Bartholomew"),
            )
            .0,
        );
        let cues = segment_words(&words, &srt, true);
        assert_eq!(
            show(&cues),
            [
                "00:00:00,000 --> 00:00:02,849 | -[Alexandra] Ready? / -[Bartholomew] Yes, go, the engines",
                "00:00:02,933 --> 00:00:04,483 | [Bartholomew] are warm already."
            ]
        );
        assert!(cues[0].lines.iter().all(|l| l.chars().count() <= 42));
    }

    #[test]
    fn reading_speed_moves_the_split() {
        // A slow sentence, then a fast one (48 characters in 2 s = 24 cps) that another
        // speaker answers at once: a cue of the fast sentence alone would be unreadable.
        let mut words = vec![
            w(0.0, 0.4, "I"),
            w(0.5, 0.9, "told"),
            w(1.0, 1.4, "you"),
            w(1.5, 2.0, "already."),
        ];
        let fast = "We leave at nine, not at ten, and nobody is late.";
        let n = fast.split_whitespace().count() as f64;
        words.extend(fast.split_whitespace().enumerate().map(|(k, x)| {
            w(
                2.8 + k as f64 * 2.0 / n,
                2.8 + (k as f64 + 0.9) * 2.0 / n,
                x,
            )
        }));
        let mut answer = w(4.9, 5.4, "Fine.");
        answer.speaker = Some("B".into());
        words.push(answer);
        let p = SegmentParams::default();
        // With no reading-speed limit the cut falls at the sentence end ...
        let fast_reader = SegmentParams {
            max_cps: 60.0,
            ..SegmentParams::default()
        };
        assert_eq!(
            show(&segment_words(&words, &fast_reader, false)),
            [
                "00:00:00,000 --> 00:00:02,000 | I told you already.",
                "00:00:02,800 --> 00:00:04,782 | We leave at nine, / not at ten, and nobody is late.",
                "00:00:04,900 --> 00:00:05,734 | Fine."
            ]
        );
        // ... at 20 cps that cue (49 characters in 1.98 s = 24.7 cps) is too fast, so the
        // split moves: the fast sentence shares the slow one's screen time (69 / 4.78 = 14 cps).
        let cues = segment_words(&words, &p, false);
        assert_eq!(
            show(&cues),
            [
                "00:00:00,000 --> 00:00:04,782 | I told you already. We leave / at nine, not at ten, and nobody is late.",
                "00:00:04,900 --> 00:00:05,734 | Fine."
            ]
        );
        let c = &cues[0];
        assert!(c.text().chars().count() as f64 / (c.end - c.start) <= p.max_cps);
    }

    fn cue(start: f64, end: f64, lines: &[&str], speaker: Option<&str>) -> Cue {
        Cue {
            start,
            end,
            lines: lines.iter().map(|l| l.to_string()).collect(),
            speaker: speaker.map(Into::into),
        }
    }

    #[test]
    fn score_reports_each_rule_and_all() {
        let p = SegmentParams::default();
        let cues = [
            // passes everything
            cue(0.0, 2.0, &["A short and tidy line."], None),
            // 0.3 s on screen (too short, 73 cps) and touching the next cue (no gap)
            cue(2.1, 2.4, &["This cue flashes by far too quickly."], None),
            // a line of 50 characters, three lines, 8 s on screen
            cue(
                2.4,
                10.4,
                &[
                    "This line is much longer than forty-two characters",
                    "two",
                    "three",
                ],
                None,
            ),
            // two words alone between close cues: an orphan
            cue(10.5, 11.5, &["he was."], None),
            // two words, but isolated by a long pause before and a speaker change after
            cue(13.0, 14.0, &["Thank you."], None),
            cue(14.1, 16.0, &["You are most welcome."], Some("B")),
        ];
        let s = score_cues(&cues, &p);
        let sixth = |k: f64| k / 6.0;
        assert_eq!(s.cues, 6);
        assert_eq!(s.line_length, sixth(5.0));
        assert_eq!(s.line_count, sixth(5.0));
        assert_eq!(s.min_duration, sixth(5.0));
        assert_eq!(s.max_duration, sixth(5.0));
        assert_eq!(s.reading_speed, sixth(5.0));
        assert_eq!(s.gap, sixth(5.0));
        assert_eq!(s.no_orphan, sixth(5.0));
        assert_eq!(s.all, sixth(3.0));
        assert_eq!(score_cues(&[], &p).all, 1.0);
        // 17 cps (children's programmes) is stricter: 21 characters in 1.2 s fails it.
        let c = [cue(0.0, 1.2, &["Twenty-one characters"], None)];
        assert_eq!(score_cues(&c, &p).reading_speed, 1.0);
        let kids = SegmentParams {
            max_cps: 17.0,
            ..SegmentParams::default()
        };
        assert_eq!(score_cues(&c, &kids).reading_speed, 0.0);
    }

    #[test]
    fn parses_srt_and_vtt() {
        let srt =
            "1\r\n00:00:01,234 --> 00:00:03,000\r\n[SPEAKER_00] Hello there,\r\nmy friend.\r\n\r\n\
                   2\r\n01:01:01,500 --> 01:01:03,005\r\n<i>Bye.</i>\r\n";
        let want = vec![
            cue(
                1.234,
                3.0,
                &["Hello there,", "my friend."],
                Some("SPEAKER_00"),
            ),
            cue(3661.5, 3663.005, &["Bye."], None),
        ];
        let mut srt_want = want.clone();
        srt_want[0].lines[0] = "[SPEAKER_00] Hello there,".into();
        assert_eq!(parse_subtitles(srt), srt_want);
        assert_eq!(srt_want[0].words(), "Hello there, my friend.");
        let vtt = "WEBVTT\n\nNOTE a comment\n\n00:00:01.234 --> 00:00:03.000 align:start\n\
                   <v SPEAKER_00>Hello there,\nmy friend.\n\ncue-2\n01:01:01.500 --> 01:01:03.005\nBye.\n";
        assert_eq!(parse_subtitles(vtt), want);
        assert_eq!(
            parse_subtitles("WEBVTT\n\n00:01.000 --> 00:02.500\nShort form.\n")[0].start,
            1.0
        );
    }
}
