//! `transcript.assign_speakers`: label a transcript's segments and words with the speakers
//! of a diarization, the way WhisperX does.
//!
//! Each segment and each word gets the speaker whose turns overlap it the most (summed over
//! that speaker's turns). Something no turn overlaps gets the nearest turn's speaker when
//! `fill_nearest` is on (within `max_distance_s`), else none. With `split_segments`, a segment
//! whose words belong to different speakers is cut at the word where the speaker changes, so
//! subtitles name the right speaker for each part.
//!
//! Turns are sorted once; each lookup scans only turns that can overlap (bounded by the
//! longest turn), so long transcripts stay linear-ish.

use crate::error::{parse_params, NodeError};
use crate::manifest::{NodeManifest, PortSpec, PortType, JSON_SCHEMA_DIALECT};
use crate::types::{Segment, SpeakerTurn, SpeakerTurns, Transcript, Word};
use crate::{inputs, Node, NodeCtx, NodeInputs, NodeOutputs, PortValue};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub const KIND: &str = "transcript.assign_speakers";

/// `transcript.assign_speakers` params.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields, default)]
pub struct AssignParams {
    /// Give words/segments that overlap no turn the nearest turn's speaker.
    pub fill_nearest: bool,
    /// Only fill from a turn at most this far away (seconds); `null` = any distance.
    pub max_distance_s: Option<f64>,
    /// Cut segments where the speaker of their words changes.
    pub split_segments: bool,
}

impl Default for AssignParams {
    fn default() -> Self {
        Self {
            fill_nearest: true,
            max_distance_s: None,
            split_segments: false,
        }
    }
}

impl AssignParams {
    fn validate(&self) -> Result<(), NodeError> {
        if let Some(d) = self.max_distance_s {
            if !(0.0..=86_400.0).contains(&d) {
                return Err(NodeError::invalid_field(
                    "max_distance_s",
                    "must be within 0..=86400 seconds (or null)",
                ));
            }
        }
        Ok(())
    }
}

/// Turns sorted by start, for overlap and nearest-turn queries.
struct TurnIndex<'a> {
    turns: Vec<&'a SpeakerTurn>,
    longest: f64,
    /// Per position: index of the turn with the latest end among turns[..=i].
    latest_end: Vec<usize>,
}

impl<'a> TurnIndex<'a> {
    fn new(turns: &'a SpeakerTurns) -> Self {
        let mut t: Vec<&SpeakerTurn> = turns.turns.iter().filter(|t| t.end > t.start).collect();
        t.sort_by(|a, b| a.start.total_cmp(&b.start));
        let longest = t.iter().map(|t| t.end - t.start).fold(0.0, f64::max);
        let mut latest_end: Vec<usize> = Vec::with_capacity(t.len());
        for i in 0..t.len() {
            let prev = i.checked_sub(1).map(|p| latest_end[p]);
            latest_end.push(match prev {
                Some(p) if t[p].end >= t[i].end => p,
                _ => i,
            });
        }
        Self {
            turns: t,
            longest,
            latest_end,
        }
    }

    /// The speaker overlapping `[start, end]` the most, else (optionally) the nearest.
    fn speaker(&self, start: f64, end: f64, p: &AssignParams) -> Option<String> {
        let past = self.turns.partition_point(|t| t.start < end);
        let mut overlap: Vec<(&str, f64)> = Vec::new();
        for t in self.turns[..past].iter().rev() {
            if t.start < start - self.longest {
                break;
            }
            let o = t.end.min(end) - t.start.max(start);
            if o > 0.0 {
                match overlap.iter_mut().find(|(s, _)| *s == t.speaker) {
                    Some((_, sum)) => *sum += o,
                    None => overlap.push((&t.speaker, o)),
                }
            }
        }
        if let Some((s, _)) = overlap
            .iter()
            .fold(None::<(&str, f64)>, |best, &(s, o)| match best {
                Some((_, b)) if b >= o => best,
                _ => Some((s, o)),
            })
        {
            return Some(s.to_owned());
        }
        if !p.fill_nearest || self.turns.is_empty() {
            return None;
        }
        // Nearest: the turn starting next, or the one ending last before.
        let after = self.turns.get(past).map(|t| (t.start - end, *t));
        let before = past
            .checked_sub(1)
            .map(|i| self.turns[self.latest_end[i]])
            .map(|t| (start - t.end, t));
        let (distance, turn) = match (after, before) {
            (Some(a), Some(b)) => {
                if b.0 <= a.0 {
                    b
                } else {
                    a
                }
            }
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => return None,
        };
        match p.max_distance_s {
            Some(max) if distance.max(0.0) > max => None,
            _ => Some(turn.speaker.clone()),
        }
    }
}

/// Label `transcript` with the speakers of `turns`.
pub fn assign(transcript: &Transcript, turns: &SpeakerTurns, p: &AssignParams) -> Transcript {
    let index = TurnIndex::new(turns);
    let mut out = transcript.clone();
    for seg in &mut out.segments {
        seg.speaker = index.speaker(seg.start, seg.end, p);
        if let Some(words) = &mut seg.words {
            for w in words.iter_mut() {
                w.speaker = index.speaker(w.start, w.end, p);
            }
        }
    }
    if p.split_segments {
        out.segments = out.segments.into_iter().flat_map(split).collect();
        for (i, s) in out.segments.iter_mut().enumerate() {
            s.id = i as u32;
        }
    }
    out
}

/// Cut a segment where its words' speaker changes (words without a speaker stay with the
/// part before them).
fn split(seg: Segment) -> Vec<Segment> {
    let Some(words) = seg.words.as_ref().filter(|w| !w.is_empty()) else {
        return vec![seg];
    };
    let mut parts: Vec<Vec<Word>> = Vec::new();
    let mut current: Option<String> = None;
    for w in words {
        let changes = w.speaker.is_some() && current.is_some() && w.speaker != current;
        if parts.is_empty() || changes {
            parts.push(Vec::new());
        }
        if w.speaker.is_some() {
            current = w.speaker.clone();
        }
        if let Some(last) = parts.last_mut() {
            last.push(w.clone());
        }
    }
    if parts.len() == 1 {
        return vec![seg];
    }
    let last = parts.len() - 1;
    parts
        .into_iter()
        .enumerate()
        .map(|(i, words)| {
            let speaker = words.iter().find_map(|w| w.speaker.clone());
            Segment {
                id: seg.id,
                start: if i == 0 { seg.start } else { words[0].start },
                end: if i == last {
                    seg.end
                } else {
                    words[words.len() - 1].end
                },
                text: words
                    .iter()
                    .map(|w| w.text.trim())
                    .collect::<Vec<_>>()
                    .join(" "),
                avg_logprob: seg.avg_logprob,
                no_speech_prob: seg.no_speech_prob,
                words: Some(words),
                speaker,
            }
        })
        .collect()
}

fn params_schema() -> serde_json::Value {
    json!({
        "$schema": JSON_SCHEMA_DIALECT,
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "fill_nearest": {"type": "boolean", "default": true, "title": "Fill from nearest turn",
                "description": "Words and segments that overlap no speaker turn get the nearest turn's speaker.",
                "x-ui": {"widget": "checkbox"}},
            "max_distance_s": {"type": ["number", "null"], "minimum": 0, "maximum": 86400, "default": null,
                "title": "Max fill distance (s)", "description": "Only fill from a turn at most this far away (null = any).",
                "x-ui": {"widget": "number", "advanced": true}},
            "split_segments": {"type": "boolean", "default": false, "title": "Split segments at speaker changes",
                "description": "Cut a segment where the speaker of its words changes (needs word timestamps).",
                "x-ui": {"widget": "checkbox"}}
        }
    })
}

/// The `transcript.assign_speakers` node.
#[derive(Default)]
pub struct AssignSpeakersNode;

impl Node for AssignSpeakersNode {
    fn manifest(&self) -> NodeManifest {
        NodeManifest {
            kind: KIND.into(),
            version: "1.0.0".into(),
            label: "Assign speakers".into(),
            category: "Speech".into(),
            description: "Label each transcript segment and word with the speaker whose turns overlap it most (WhisperX style), optionally splitting segments at speaker changes. Subtitle export then shows the speakers.".into(),
            inputs: vec![
                PortSpec::required("transcript", PortType::Transcript, "Transcript to label (word timestamps give word-level speakers)."),
                PortSpec::required("speaker_turns", PortType::SpeakerTurns, "Speaker turns from a diarization node."),
            ],
            outputs: vec![PortSpec::required("transcript", PortType::Transcript, "The transcript with `speaker` on segments and words.")],
            params_schema: params_schema(),
        }
    }

    fn validate_params(&self, params: &serde_json::Value) -> Result<(), NodeError> {
        let p: AssignParams = parse_params(params.clone())?;
        p.validate()
    }

    fn run(
        &self,
        inputs: NodeInputs,
        params: serde_json::Value,
        ctx: &NodeCtx,
    ) -> Result<NodeOutputs, NodeError> {
        let p: AssignParams = parse_params(params)?;
        p.validate()?;
        ctx.cancel.check()?;
        let transcript = inputs::transcript(&inputs, "transcript")?;
        let turns = match inputs.get("speaker_turns") {
            Some(PortValue::SpeakerTurns(t)) => t.clone(),
            Some(other) => {
                return Err(NodeError::invalid_input(format!(
                    "input `speaker_turns` must be speaker turns, got {:?}",
                    other.port_type()
                )))
            }
            None => {
                return Err(NodeError::invalid_input(
                    "missing required input `speaker_turns`",
                ))
            }
        };
        let mut out = NodeOutputs::new();
        out.insert(
            "transcript".into(),
            PortValue::Transcript(assign(&transcript, &turns, &p)),
        );
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(start: f64, end: f64, s: &str) -> SpeakerTurn {
        SpeakerTurn {
            start,
            end,
            speaker: s.into(),
        }
    }

    fn word(start: f64, end: f64, text: &str) -> Word {
        Word {
            start,
            end,
            text: text.into(),
            probability: 0.9,
            speaker: None,
        }
    }

    fn seg(id: u32, start: f64, end: f64, words: Vec<Word>) -> Segment {
        Segment {
            id,
            start,
            end,
            text: words
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            avg_logprob: -0.2,
            no_speech_prob: 0.01,
            words: Some(words),
            speaker: None,
        }
    }

    fn transcript() -> Transcript {
        Transcript {
            language: "en".into(),
            language_probability: None,
            duration: 20.0,
            segments: vec![
                seg(
                    0,
                    0.0,
                    4.0,
                    vec![
                        word(0.1, 0.5, "Hello"),
                        word(0.6, 1.0, "there."),
                        word(2.6, 3.0, "Hi"),
                        word(3.1, 3.8, "back."),
                    ],
                ),
                seg(1, 10.0, 11.0, vec![word(10.1, 10.9, "Later.")]),
            ],
        }
    }

    fn turns() -> SpeakerTurns {
        SpeakerTurns {
            turns: vec![turn(0.0, 1.6, "SPEAKER_00"), turn(2.5, 4.0, "SPEAKER_01")],
            num_speakers: 2,
        }
    }

    #[test]
    fn largest_overlap_wins_for_segments_and_words() {
        let t = assign(&transcript(), &turns(), &AssignParams::default());
        let s = &t.segments[0];
        // 1.6 s of SPEAKER_00 vs 1.5 s of SPEAKER_01 in [0, 4].
        assert_eq!(s.speaker.as_deref(), Some("SPEAKER_00"));
        let w: Vec<_> = s
            .words
            .as_ref()
            .unwrap()
            .iter()
            .map(|w| w.speaker.as_deref())
            .collect();
        assert_eq!(
            w,
            vec![
                Some("SPEAKER_00"),
                Some("SPEAKER_00"),
                Some("SPEAKER_01"),
                Some("SPEAKER_01")
            ]
        );
        let mut more = turns();
        more.turns.push(turn(3.9, 4.0, "SPEAKER_01"));
        more.turns.push(turn(1.6, 2.0, "SPEAKER_01"));
        let t = assign(&transcript(), &more, &AssignParams::default());
        assert_eq!(t.segments[0].speaker.as_deref(), Some("SPEAKER_01"));
    }

    #[test]
    fn nearest_turn_fills_gaps_when_allowed() {
        let t = assign(&transcript(), &turns(), &AssignParams::default());
        assert_eq!(t.segments[1].speaker.as_deref(), Some("SPEAKER_01"));
        let p = AssignParams {
            fill_nearest: false,
            ..Default::default()
        };
        let t = assign(&transcript(), &turns(), &p);
        assert_eq!(t.segments[1].speaker, None);
        assert_eq!(t.segments[1].words.as_ref().unwrap()[0].speaker, None);
        let p = AssignParams {
            max_distance_s: Some(3.0),
            ..Default::default()
        };
        assert_eq!(
            assign(&transcript(), &turns(), &p).segments[1].speaker,
            None
        );
        let p = AssignParams {
            max_distance_s: Some(6.5),
            ..Default::default()
        };
        assert_eq!(
            assign(&transcript(), &turns(), &p).segments[1]
                .speaker
                .as_deref(),
            Some("SPEAKER_01")
        );
    }

    #[test]
    fn split_cuts_segments_at_speaker_changes() {
        let p = AssignParams {
            split_segments: true,
            ..Default::default()
        };
        let t = assign(&transcript(), &turns(), &p);
        let got: Vec<_> = t
            .segments
            .iter()
            .map(|s| {
                (
                    s.id,
                    s.start,
                    s.end,
                    s.text.as_str(),
                    s.speaker.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (0, 0.0, 1.0, "Hello there.", "SPEAKER_00"),
                (1, 2.6, 4.0, "Hi back.", "SPEAKER_01"),
                (2, 10.0, 11.0, "Later.", "SPEAKER_01"),
            ]
        );
    }

    #[test]
    fn no_turns_leaves_the_transcript_unlabelled() {
        let empty = SpeakerTurns {
            turns: vec![],
            num_speakers: 0,
        };
        let t = assign(&transcript(), &empty, &AssignParams::default());
        assert!(t.segments.iter().all(|s| s.speaker.is_none()));
    }

    #[test]
    fn params_are_checked() {
        let n = AssignSpeakersNode;
        assert!(n.validate_params(&json!(null)).is_ok());
        assert!(n.validate_params(&json!({"max_distance_s": -1})).is_err());
        assert!(n.validate_params(&json!({"nearest": true})).is_err());
    }
}
