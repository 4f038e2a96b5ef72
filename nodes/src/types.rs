//! Data that flows between nodes.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Sample rate of every [`AudioBuffer`] (what Whisper and Silero expect).
pub const TARGET_SAMPLE_RATE: u32 = 16_000;

/// Facts about the source media, as decoded.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AudioInfo {
    /// Duration of the decoded source in seconds.
    pub duration_secs: f64,
    /// Sample rate of the source in Hz.
    pub sample_rate: u32,
    /// Channel count of the source (downmixed to mono).
    pub channels: u16,
    /// Codec name as symphonia reports it (e.g. `mp3`, `vorbis`).
    pub codec: String,
}

/// Decoded audio: mono f32 at [`TARGET_SAMPLE_RATE`]. Lives in memory only.
#[derive(Clone, Debug, PartialEq)]
pub struct AudioBuffer {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    pub info: AudioInfo,
}

impl AudioBuffer {
    /// Duration of `samples` in seconds.
    pub fn duration_secs(&self) -> f64 {
        self.samples.len() as f64 / self.sample_rate as f64
    }
}

/// One stretch of speech, in seconds on the audio's timeline.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub struct Region {
    pub start: f64,
    pub end: f64,
}

/// Output of a VAD node.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SpeechRegions {
    pub regions: Vec<Region>,
    /// Total speech duration / audio duration (0..1).
    pub speech_ratio: f64,
    /// Audio duration in seconds.
    pub duration: f64,
}

/// A word with timing (seconds) and the model's confidence.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Word {
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub probability: f32,
    /// Set by `transcript.assign_speakers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

/// One transcript segment (seconds).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Segment {
    pub id: u32,
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub avg_logprob: f32,
    pub no_speech_prob: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<Word>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

/// A timed transcript.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Transcript {
    /// ISO 639-1 code of the spoken language (detected or given).
    pub language: String,
    /// Probability of the detected language; `None` when the language was given or the
    /// model is English-only.
    pub language_probability: Option<f32>,
    /// Duration of the audio in seconds.
    pub duration: f64,
    pub segments: Vec<Segment>,
}

impl Transcript {
    /// All non-blank segment texts joined by single spaces.
    pub fn text(&self) -> String {
        let parts: Vec<&str> = self
            .segments
            .iter()
            .map(|s| s.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        parts.join(" ")
    }
}

/// One speaker turn (seconds).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SpeakerTurn {
    pub start: f64,
    pub end: f64,
    pub speaker: String,
}

/// Output of a diarization node.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SpeakerTurns {
    pub turns: Vec<SpeakerTurn>,
    pub num_speakers: u32,
}

/// Where a file's bytes are.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum FileContent {
    /// A file on local disk (e.g. an upload the service stored).
    Path { path: PathBuf },
    /// Text produced by a node (e.g. a subtitle file).
    Text { text: String },
}

/// A file passed between nodes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FileValue {
    /// File name (used as the decode hint and as the download name).
    pub name: String,
    /// MIME type, when known.
    pub mime: Option<String>,
    pub content: FileContent,
}
