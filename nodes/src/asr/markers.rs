//! Whisper's non-speech markers (`[BLANK_AUDIO]`, `[MUSIC]`, `(upbeat music)`, `♪`, …).
//!
//! whisper.cpp emits sound annotations learnt from subtitle data. They are not speech, so
//! `whisper.transcribe` removes them unless `keep_sound_annotations` is set. The rule:
//!
//! * **Whole markers** — a text that, trimmed, consists only of one or more marker spans
//!   (and whitespace / punctuation between them) is a marker and is dropped. A marker span is
//!   `[…]`, `(…)` or `*…*` with 1–48 characters of content and no nested brackets, or a run
//!   of music symbols (`♪ ♫ ♬ ♩ 🎵 🎶`). So `[BLANK_AUDIO]`, `[ Silence ]`, `(music)`,
//!   `(upbeat music)`, `*music*`, `♪ ♪`, `[MUSIC] [APPLAUSE]` are all dropped.
//! * **Embedded markers** — inside a text with real words:
//!   * `[…]` spans are always removed (Whisper uses square brackets only for annotations);
//!   * `(…)` and `*…*` spans are removed only when their content is a sound description:
//!     letters, spaces, `-`, `_` and `'` only, and at least one word from [`SOUND_WORDS`]
//!     (`(laughs)`, `(upbeat music)`, `*coughs*`). Other parentheses are speech and stay:
//!     `the budget (in euros) grew` is left alone;
//!   * music symbols are removed (lyrics between them stay: `♪ la la ♪` → `la la`).
//!
//!   Whitespace is then collapsed and the text re-trimmed; a text with no letter or digit
//!   left (e.g. a lone `.` that tiny.en prints for quiet noise) becomes empty, and the
//!   segment is dropped.

/// Words that make an embedded `(…)` / `*…*` span a sound description (lower case).
pub const SOUND_WORDS: &[&str] = &[
    "music",
    "musical",
    "song",
    "singing",
    "sings",
    "instrumental",
    "blank",
    "blank_audio",
    "audio",
    "silence",
    "silent",
    "noise",
    "noises",
    "static",
    "applause",
    "applauding",
    "clapping",
    "claps",
    "cheering",
    "cheers",
    "laugh",
    "laughs",
    "laughing",
    "laughter",
    "chuckles",
    "chuckling",
    "giggles",
    "sigh",
    "sighs",
    "sighing",
    "cough",
    "coughs",
    "coughing",
    "sniffs",
    "sniffles",
    "breathing",
    "breathes",
    "gasps",
    "groans",
    "grunts",
    "screams",
    "crying",
    "sobbing",
    "whispers",
    "whispering",
    "inaudible",
    "indistinct",
    "unintelligible",
    "crosstalk",
    "beep",
    "beeps",
    "beeping",
    "bell",
    "rings",
    "ringing",
    "buzzing",
    "wind",
    "rain",
    "thunder",
    "footsteps",
    "knocking",
    "door",
    "engine",
    "birds",
    "chirping",
    "barking",
    "typing",
    "clicking",
    "background",
    "sound",
    "sounds",
    "humming",
    "hums",
    "pause",
    "no",
    "speech",
];

use crate::types::Word;

const MAX_MARKER_CONTENT: usize = 48;

fn is_music_symbol(c: char) -> bool {
    matches!(c, '♪' | '♫' | '♬' | '♩' | '🎵' | '🎶')
}

fn closer(open: char) -> Option<char> {
    match open {
        '[' => Some(']'),
        '(' => Some(')'),
        '*' => Some('*'),
        _ => None,
    }
}

/// A bracketed span starting at byte `i` of `s`: `(open, content, end byte)`.
fn span_at(s: &str, i: usize) -> Option<(char, &str, usize)> {
    let open = s[i..].chars().next()?;
    let close = closer(open)?;
    let body_start = i + open.len_utf8();
    let rel = s[body_start..].find(|c: char| {
        c == close || (open != '*' && matches!(c, '[' | '(' | ']' | ')')) || c == '\n'
    })?;
    let j = body_start + rel;
    if !s[j..].starts_with(close) {
        return None; // nested or unbalanced
    }
    let content = &s[body_start..j];
    let n = content.trim().chars().count();
    if n == 0 || content.chars().count() > MAX_MARKER_CONTENT {
        return None;
    }
    Some((open, content, j + close.len_utf8()))
}

fn is_sound_description(content: &str) -> bool {
    let c = content.trim();
    c.chars()
        .all(|ch| ch.is_alphabetic() || matches!(ch, ' ' | '-' | '_' | '\''))
        && c.split([' ', '-']).filter(|w| !w.is_empty()).any(|w| {
            let w = w.to_lowercase();
            SOUND_WORDS.contains(&w.as_str())
        })
}

/// Whether `text` (trimmed) is nothing but sound markers, e.g. `[BLANK_AUDIO]`, `(music)`,
/// `[ Silence ]`, `*music*`, `♪`. Empty text is not a marker.
pub fn is_sound_marker(text: &str) -> bool {
    let s = text.trim();
    let mut i = 0;
    let mut any = false;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        if is_music_symbol(c) {
            any = true;
            i += c.len_utf8();
        } else if let Some((_, _, end)) = span_at(s, i) {
            any = true;
            i = end;
        } else if c.is_whitespace() || matches!(c, '.' | ',' | '-' | '…' | '!' | '?') {
            i += c.len_utf8();
        } else {
            return false;
        }
    }
    any
}

/// `text` without sound markers (see the module docs for the rule), whitespace collapsed
/// and trimmed. Returns an empty string for a text that is only markers.
pub fn strip_sound_markers(text: &str) -> String {
    if is_sound_marker(text) {
        return String::new();
    }
    let tidy = strip_embedded(text);
    if is_sound_marker(&tidy) {
        String::new()
    } else {
        tidy
    }
}

/// The embedded-marker rule alone (no whole-text rule): `[…]`, sound-description `(…)` /
/// `*…*` spans and music symbols removed; empty if no letter or digit is left.
fn strip_embedded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if is_music_symbol(c) {
            out.push(' ');
            i += c.len_utf8();
            continue;
        }
        if let Some((open, content, end)) = span_at(text, i) {
            if open == '[' || is_sound_description(content) {
                out.push(' ');
                i = end;
                continue;
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // Removing a marker can leave a space before punctuation ("Hi [MUSIC], bye").
    let mut tidy = String::with_capacity(collapsed.len());
    for ch in collapsed.chars() {
        if matches!(ch, ',' | '.' | '!' | '?' | ';' | ':') && tidy.ends_with(' ') {
            tidy.pop();
        }
        tidy.push(ch);
    }
    let tidy = tidy.trim();
    if tidy.chars().all(|c| !c.is_alphanumeric()) {
        String::new()
    } else {
        tidy.to_owned()
    }
}

/// `words` without sound markers, by the embedded rule (a word sits inside a sentence): a
/// word that is a `[…]` span, a sound-description `(…)` / `*…*` span or music symbols is
/// dropped, and so is such a span spread over several words (`[`, `Silence`, `]` or
/// `(upbeat`, `music)`); `(in`, `euros)` stay. Other words keep their text with any embedded
/// marker stripped.
pub fn strip_marker_words(words: Vec<Word>) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let t = words[i].text.trim();
        let open = t.chars().next().filter(|c| matches!(c, '[' | '('));
        if let Some(open) = open {
            let close = closer(open).unwrap_or(']');
            if !t[open.len_utf8()..].contains(close) {
                // A span over several words: find the word that closes it.
                if let Some(k) =
                    (i + 1..words.len().min(i + 12)).find(|&k| words[k].text.contains(close))
                {
                    let joined = words[i..=k]
                        .iter()
                        .map(|w| w.text.trim())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let is_marker = span_at(&joined, 0).is_some_and(|(_, content, end)| {
                        end == joined.len() && (open == '[' || is_sound_description(content))
                    });
                    if is_marker {
                        i = k + 1;
                        continue;
                    }
                }
            }
        }
        let text = strip_embedded(&words[i].text);
        if !text.is_empty() {
            out.push(Word {
                text,
                ..words[i].clone()
            });
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Word {
        Word {
            start: 0.0,
            end: 0.1,
            text: text.into(),
            probability: 0.9,
            speaker: None,
        }
    }

    #[test]
    fn marker_words_are_dropped() {
        let words = vec![
            w("[BLANK_AUDIO]"),
            w("Hello"),
            w("["),
            w("Silence"),
            w("]"),
            w("(upbeat"),
            w("music)"),
            w("the"),
            w("(in"),
            w("euros)"),
            w("♪"),
            w("(two)"),
            w("(laughs)"),
            w("world."),
        ];
        let kept: Vec<String> = strip_marker_words(words)
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(kept, ["Hello", "the", "(in", "euros)", "(two)", "world."]);
    }

    #[test]
    fn whole_markers_are_recognised() {
        for m in [
            "[BLANK_AUDIO]",
            " [BLANK_AUDIO] ",
            "[MUSIC]",
            "[Music]",
            "[music playing]",
            "[ Silence ]",
            "[SOUND]",
            "[no speech]",
            "(music)",
            "(Music)",
            "(upbeat music)",
            "(wind blowing)",
            "( Silence )",
            "*music*",
            "*Music playing*",
            "♪",
            "♪♪",
            "♪ ♪ ♪",
            "♫",
            "🎵",
            "[MUSIC] [APPLAUSE]",
            "[BLANK_AUDIO] (music)",
            "(music).",
            "[Applause]",
            "(laughs)",
            "[inaudible]",
            "-[MUSIC]",
        ] {
            assert!(is_sound_marker(m), "{m:?} should be a marker");
            assert_eq!(strip_sound_markers(m), "", "{m:?}");
        }
    }

    #[test]
    fn speech_is_not_a_marker() {
        for s in [
            "",
            "   ",
            "Hello world.",
            "The budget (in euros) grew.",
            "[BLANK_AUDIO] is what whisper prints",
            "see [1] and (2)",
            "Yes (really).",
            "♪ la la la ♪",
            "*sigh* okay",
            "[unbalanced",
            "(nested (parens))",
            "[]",
            "()",
        ] {
            assert!(!is_sound_marker(s), "{s:?} should not be a marker");
        }
    }

    #[test]
    fn embedded_markers_are_stripped_and_speech_kept() {
        let cases = [
            ("Hello [BLANK_AUDIO] world", "Hello world"),
            ("[MUSIC] Welcome back.", "Welcome back."),
            ("Welcome back. [MUSIC]", "Welcome back."),
            ("Thanks (applause) everyone", "Thanks everyone"),
            ("So funny (laughs) really", "So funny really"),
            ("Here (upbeat music) we go", "Here we go"),
            ("Oh *coughs* sorry", "Oh sorry"),
            ("♪ la la la ♪", "la la la"),
            ("Hi [MUSIC], bye", "Hi, bye"),
            ("  spaced   out  ", "spaced out"),
            // Speech in parentheses stays.
            ("The budget (in euros) grew.", "The budget (in euros) grew."),
            ("Chapter (two) begins", "Chapter (two) begins"),
            ("Call me (555) 123", "Call me (555) 123"),
            ("an *important* point", "an *important* point"),
            ("A (nested (thing)) here", "A (nested (thing)) here"),
            // Square brackets are annotations wherever they are.
            ("see [1] there", "see there"),
            // Nothing but markers and punctuation left: empty.
            ("[MUSIC] - [MUSIC]", ""),
            ("♪ ... ♪", ""),
        ];
        for (input, want) in cases {
            assert_eq!(strip_sound_markers(input), want, "{input:?}");
        }
    }
}
