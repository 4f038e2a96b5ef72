//! Translation (`translate.text`): a transcript in, the same segments in another language
//! out — same ids, start/end times and speakers.
//!
//! * Engines implement [`Translator`]. [`apertium`] (offline, rule-based) is built in. HTTP
//!   engines (LibreTranslate, DeepL) live in the service, which configures them per tenant
//!   with encrypted API keys; this crate stays free of HTTP and databases. The service hands
//!   a job its tenant's engines through [`NodeCtx::translators`] (a [`TranslatorProvider`]
//!   set per job), so the node asks for an engine by the name in its params and never sees
//!   where the configuration came from. Outside a job (no provider) only Apertium works.
//! * Segments are translated one to one and batched as the engine allows (one Apertium call,
//!   or arrays of texts per HTTP request). Empty segments stay empty without a round trip.
//! * **Word timestamps are dropped**: translated words do not correspond one to one to the
//!   spoken words (order, count and boundaries change), so any per-word timing would be
//!   invented. Segments keep their times; downstream subtitles need nothing more.
//! * Whisper's own speech → English translation is `whisper.transcribe` with
//!   `task: translate`; this node translates text between any pair an engine offers.
//!
//! [`NodeCtx::translators`]: crate::NodeCtx::translators

pub mod apertium;
pub mod lang;

use crate::error::{parse_params, NodeError};
use crate::manifest::{NodeManifest, PortSpec, PortType, JSON_SCHEMA_DIALECT};
use crate::progress::CancelToken;
use crate::types::Transcript;
use crate::{inputs, Node, NodeCtx, NodeErrorKind, NodeInputs, NodeOutputs, PortValue};
use apertium::Apertium;
pub use lang::LanguagePair;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

pub const KIND: &str = "translate.text";
/// The engine name that selects the built-in Apertium engine.
pub const APERTIUM: &str = "apertium";

/// How much one request may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchLimits {
    pub max_texts: usize,
    /// Sum of the texts' lengths in bytes.
    pub max_chars: usize,
}

/// A translation engine. Blocking; called from the node's thread.
pub trait Translator: Send + Sync {
    /// Names the engine in messages, e.g. `deepl engine "team-deepl"`.
    fn describe(&self) -> String;

    fn batch_limits(&self) -> BatchLimits;

    /// Every direction the engine offers, in its own codes.
    fn languages(&self) -> Result<Vec<LanguagePair>, NodeError>;

    /// Translates `texts` from `source` to `target` (codes from [`Translator::languages`]),
    /// one output per input, in order. `texts` respects [`Translator::batch_limits`].
    fn translate(
        &self,
        texts: &[String],
        source: &str,
        target: &str,
        cancel: &CancelToken,
    ) -> Result<Vec<String>, NodeError>;
}

/// The engines a job may use besides Apertium (its tenant's configured engines).
pub trait TranslatorProvider: Send + Sync {
    /// The engine `name` (a configured engine's name or id), or `InvalidParams` naming the
    /// engines there are.
    fn engine(&self, name: &str) -> Result<Arc<dyn Translator>, NodeError>;
}

/// `translate.text` params.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TranslateParams {
    /// `apertium`, or the name (or id) of one of the tenant's translation engines.
    pub engine: String,
    /// `auto` = the transcript's language.
    pub source_language: String,
    pub target_language: String,
}

impl Default for TranslateParams {
    fn default() -> Self {
        Self {
            engine: APERTIUM.into(),
            source_language: "auto".into(),
            target_language: "es".into(),
        }
    }
}

impl TranslateParams {
    fn source(&self) -> Option<&str> {
        (self.source_language != "auto").then_some(self.source_language.as_str())
    }

    fn validate(&self) -> Result<(), NodeError> {
        let engine = self.engine.trim();
        if engine.is_empty() || engine.len() > 100 {
            return Err(NodeError::invalid_field(
                "engine",
                "must be `apertium` or the name of a translation engine (1–100 characters)",
            ));
        }
        if self.source_language != "auto" && !lang::is_valid(&self.source_language) {
            return Err(NodeError::invalid_field(
                "source_language",
                format!(
                    "`{}` is not a language code (use `auto` or e.g. `en`, `eng`, `en-US`)",
                    self.source_language
                ),
            ));
        }
        if !lang::is_valid(&self.target_language) {
            return Err(NodeError::invalid_field(
                "target_language",
                format!(
                    "`{}` is not a language code (e.g. `es`, `spa`, `pt-BR`)",
                    self.target_language
                ),
            ));
        }
        Ok(())
    }
}

/// The error for a direction the engine does not offer, listing what it does offer.
fn unsupported(
    engine: &dyn Translator,
    source: Option<&str>,
    target: &str,
    pairs: &[LanguagePair],
) -> NodeError {
    NodeError::invalid_field(
        "target_language",
        format!(
            "{} cannot translate {} → {target}; available: {}",
            engine.describe(),
            source.unwrap_or("any language"),
            lang::describe(pairs)
        ),
    )
}

/// The `translate.text` node.
pub struct TranslateNode {
    apertium: Arc<Apertium>,
}

impl Default for TranslateNode {
    fn default() -> Self {
        Self::new(Arc::new(Apertium::system()))
    }
}

impl TranslateNode {
    /// A node using `apertium` (shared, so the service can list the same pairs).
    pub fn new(apertium: Arc<Apertium>) -> Self {
        Self { apertium }
    }

    /// The built-in Apertium engine (pairs found at start-up).
    pub fn apertium(&self) -> &Apertium {
        &self.apertium
    }

    fn engine(&self, name: &str, ctx: &NodeCtx) -> Result<Arc<dyn Translator>, NodeError> {
        if name == APERTIUM {
            return Ok(self.apertium.clone());
        }
        match &ctx.translators {
            Some(provider) => provider.engine(name),
            None => Err(NodeError::invalid_field(
                "engine",
                format!("no translation engine `{name}` here (only `apertium` outside jobs)"),
            )),
        }
    }

    fn params_schema(&self) -> serde_json::Value {
        let modes = self.apertium.mode_names();
        let mut targets: Vec<String> = self
            .apertium
            .pairs()
            .iter()
            .map(|p| p.target.clone())
            .collect();
        targets.sort();
        targets.dedup();
        let installed = if modes.is_empty() {
            "none installed".to_string()
        } else {
            modes.join(", ")
        };
        json!({
            "$schema": JSON_SCHEMA_DIALECT,
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "engine": {"type": "string", "default": APERTIUM, "minLength": 1, "maxLength": 100,
                    "title": "Engine",
                    "description": format!("`apertium` (offline, installed pairs: {installed}), or the name of one of your translation engines (LibreTranslate, DeepL) from /v1/translation-engines."),
                    "examples": [APERTIUM],
                    "x-ui": {"widget": "text"}},
                "source_language": {"type": "string", "default": "auto", "title": "Source language",
                    "description": "ISO 639 code of the transcript's language; `auto` takes the transcript's own (detected) language.",
                    "x-ui": {"widget": "text", "advanced": true}},
                "target_language": {"type": "string", "default": "es", "title": "Target language",
                    "description": "ISO 639-1 or 639-3 code, optionally with a region (`en-US`, `pt-BR`).",
                    "examples": targets,
                    "x-ui": {"widget": "text"}}
            },
            "x-apertium-pairs": modes,
        })
    }
}

impl Node for TranslateNode {
    fn manifest(&self) -> NodeManifest {
        NodeManifest {
            kind: KIND.into(),
            version: "1.0.0".into(),
            label: "Translate transcript".into(),
            category: "Translation".into(),
            description: "Translate each segment of a transcript, keeping its timestamps and speaker: \
                          offline with Apertium, or with your LibreTranslate or DeepL engine. Word \
                          timestamps are dropped (words do not map one to one after translation). \
                          For speech straight to English use whisper.transcribe with task `translate`."
                .into(),
            inputs: vec![PortSpec::required(
                "transcript",
                PortType::Transcript,
                "Transcript to translate.",
            )],
            outputs: vec![
                PortSpec::required(
                    "transcript",
                    PortType::Transcript,
                    "The translated transcript (same segments and times; language = target).",
                ),
                PortSpec::required("text", PortType::Text, "The translated text."),
            ],
            params_schema: self.params_schema(),
        }
    }

    fn validate_params(&self, params: &serde_json::Value) -> Result<(), NodeError> {
        let p: TranslateParams = parse_params(params.clone())?;
        p.validate()?;
        // Apertium's pairs are known now, so a graph asking for a missing one is refused
        // before any job runs. Tenant engines are checked when the job is submitted / runs.
        if p.engine == APERTIUM {
            if !self.apertium.is_installed() {
                return Err(NodeError::invalid_field(
                    "engine",
                    "Apertium is not installed on this server (Debian packages apertium + apertium-<pair>)",
                ));
            }
            if lang::find_pair(self.apertium.pairs(), p.source(), &p.target_language).is_none() {
                return Err(unsupported(
                    self.apertium.as_ref(),
                    p.source(),
                    &p.target_language,
                    self.apertium.pairs(),
                ));
            }
        }
        Ok(())
    }

    fn run(
        &self,
        inputs: NodeInputs,
        params: serde_json::Value,
        ctx: &NodeCtx,
    ) -> Result<NodeOutputs, NodeError> {
        let p: TranslateParams = parse_params(params)?;
        p.validate()?;
        ctx.cancel.check()?;
        let transcript = inputs::transcript(&inputs, "transcript")?;
        let source = p.source().unwrap_or(&transcript.language).to_string();
        let translated = if same_language(&source, &p.target_language) {
            // Nothing to translate: pass it through (words too, they still match).
            Transcript {
                language: p.target_language.clone(),
                ..transcript
            }
        } else {
            let engine = self.engine(p.engine.trim(), ctx)?;
            ctx.report(0.0, "translate: languages");
            let pairs = engine.languages()?;
            let pair = lang::find_pair(&pairs, Some(&source), &p.target_language)
                .ok_or_else(|| {
                    unsupported(engine.as_ref(), Some(&source), &p.target_language, &pairs)
                })?
                .clone();
            translate_transcript(engine.as_ref(), &transcript, &pair, &p.target_language, ctx)?
        };
        let text = translated.text();
        let mut out = NodeOutputs::new();
        out.insert("transcript".into(), PortValue::Transcript(translated));
        out.insert("text".into(), PortValue::Text(text));
        ctx.report(1.0, "translate: done");
        Ok(out)
    }
}

fn same_language(a: &str, b: &str) -> bool {
    match (lang::key(a), lang::key(b)) {
        (Some(a), Some(b)) => a.base == b.base && (b.variant.is_none() || a.variant == b.variant),
        _ => false,
    }
}

/// Translates every non-empty segment in batches; times, ids and speakers are kept, words
/// dropped. `language` is what the output transcript reports.
pub fn translate_transcript(
    engine: &dyn Translator,
    transcript: &Transcript,
    pair: &LanguagePair,
    language: &str,
    ctx: &NodeCtx,
) -> Result<Transcript, NodeError> {
    let todo: Vec<(usize, String)> = transcript
        .segments
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
            (!text.is_empty()).then_some((i, text))
        })
        .collect();
    let limits = engine.batch_limits();
    let batches = batches(todo.iter().map(|(_, t)| t.len()), limits);
    let mut translated: Vec<Option<String>> = vec![None; transcript.segments.len()];
    let mut done = 0usize;
    for range in batches {
        ctx.cancel.check()?;
        let texts: Vec<String> = todo[range.clone()].iter().map(|(_, t)| t.clone()).collect();
        let out = engine.translate(&texts, &pair.source, &pair.target, &ctx.cancel)?;
        if out.len() != texts.len() {
            return Err(NodeError::new(
                NodeErrorKind::Inference,
                format!(
                    "{} returned {} translations for {} segments",
                    engine.describe(),
                    out.len(),
                    texts.len()
                ),
            ));
        }
        for ((i, _), t) in todo[range].iter().zip(out) {
            translated[*i] = Some(t);
        }
        done += texts.len();
        ctx.report(
            done as f32 / todo.len().max(1) as f32,
            &format!("translate: {done}/{} segments", todo.len()),
        );
    }
    let segments = transcript
        .segments
        .iter()
        .zip(translated)
        .map(|(s, t)| {
            let mut seg = s.clone();
            seg.words = None;
            if let Some(t) = t {
                // Keep Whisper's leading-space convention.
                let lead = if s.text.starts_with(char::is_whitespace) {
                    " "
                } else {
                    ""
                };
                seg.text = format!("{lead}{}", t.trim());
            }
            seg
        })
        .collect();
    Ok(Transcript {
        language: language.to_string(),
        language_probability: None,
        duration: transcript.duration,
        segments,
    })
}

/// Splits texts (given by length) into consecutive batches within `limits`; a text longer
/// than `max_chars` travels alone.
pub fn batches(
    lengths: impl IntoIterator<Item = usize>,
    limits: BatchLimits,
) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut count, mut chars) = (0usize, 0usize, 0usize);
    for (i, len) in lengths.into_iter().enumerate() {
        if count > 0 && (count + 1 > limits.max_texts.max(1) || chars + len > limits.max_chars) {
            out.push(start..i);
            (start, count, chars) = (i, 0, 0);
        }
        count += 1;
        chars += len;
    }
    if count > 0 {
        out.push(start..start + count);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Segment, Word};
    use std::sync::Mutex;

    #[test]
    fn batches_respect_both_limits() {
        let l = BatchLimits {
            max_texts: 2,
            max_chars: 10,
        };
        assert_eq!(batches([3, 3, 3, 3, 3], l), vec![0..2, 2..4, 4..5]);
        assert_eq!(batches([6, 6, 20, 1], l), vec![0..1, 1..2, 2..3, 3..4]);
        assert_eq!(
            batches(Vec::<usize>::new(), l),
            Vec::<std::ops::Range<usize>>::new()
        );
    }

    /// Upper-cases text and records each call (a pure in-process engine for the node logic).
    struct Upper {
        calls: Mutex<Vec<Vec<String>>>,
    }

    impl Translator for Upper {
        fn describe(&self) -> String {
            "upper engine".into()
        }
        fn batch_limits(&self) -> BatchLimits {
            BatchLimits {
                max_texts: 2,
                max_chars: 1000,
            }
        }
        fn languages(&self) -> Result<Vec<LanguagePair>, NodeError> {
            Ok(vec![LanguagePair::new("EN", "DE")])
        }
        fn translate(
            &self,
            texts: &[String],
            source: &str,
            target: &str,
            _: &CancelToken,
        ) -> Result<Vec<String>, NodeError> {
            assert_eq!((source, target), ("EN", "DE"));
            self.calls.lock().unwrap().push(texts.to_vec());
            Ok(texts.iter().map(|t| t.to_uppercase()).collect())
        }
    }

    struct One(Arc<Upper>);

    impl TranslatorProvider for One {
        fn engine(&self, name: &str) -> Result<Arc<dyn Translator>, NodeError> {
            if name == "up" {
                Ok(self.0.clone())
            } else {
                Err(NodeError::invalid_field(
                    "engine",
                    format!("no engine `{name}`"),
                ))
            }
        }
    }

    fn seg(id: u32, start: f64, end: f64, text: &str) -> Segment {
        Segment {
            id,
            start,
            end,
            text: text.into(),
            avg_logprob: -0.1,
            no_speech_prob: 0.0,
            words: Some(vec![Word {
                start,
                end,
                text: text.into(),
                probability: 0.9,
                speaker: None,
            }]),
            speaker: Some(format!("SPEAKER_0{id}")),
        }
    }

    fn transcript() -> Transcript {
        Transcript {
            language: "en".into(),
            language_probability: Some(0.97),
            duration: 9.0,
            segments: vec![
                seg(0, 0.0, 1.5, " hello there"),
                seg(1, 1.5, 2.0, "   "),
                seg(2, 2.0, 4.0, " good\nmorning"),
                seg(3, 4.0, 9.0, " bye"),
            ],
        }
    }

    fn node_ctx(upper: &Arc<Upper>) -> NodeCtx {
        NodeCtx::new(Arc::new(crate::NodeResources::new("/nonexistent")))
            .with_translators(Arc::new(One(upper.clone())))
    }

    #[test]
    fn segments_keep_times_and_speakers_and_lose_words() {
        let upper = Arc::new(Upper {
            calls: Mutex::new(Vec::new()),
        });
        let node = TranslateNode::new(Arc::new(Apertium::discover("/nonexistent", "/nonexistent")));
        let mut inputs = NodeInputs::new();
        inputs.insert("transcript".into(), PortValue::Transcript(transcript()));
        let out = node
            .run(
                inputs,
                json!({"engine": "up", "target_language": "de"}),
                &node_ctx(&upper),
            )
            .unwrap();
        let PortValue::Transcript(t) = &out["transcript"] else {
            panic!("{out:?}")
        };
        assert_eq!(t.language, "de");
        assert_eq!(t.language_probability, None);
        let texts: Vec<&str> = t.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec![" HELLO THERE", "   ", " GOOD MORNING", " BYE"]);
        for (a, b) in t.segments.iter().zip(&transcript().segments) {
            assert_eq!(
                (a.id, a.start, a.end, &a.speaker),
                (b.id, b.start, b.end, &b.speaker)
            );
            assert!(a.words.is_none());
        }
        // The blank segment made no round trip; the rest went in batches of two.
        assert_eq!(
            *upper.calls.lock().unwrap(),
            vec![
                vec!["hello there".to_string(), "good morning".to_string()],
                vec!["bye".to_string()]
            ]
        );
        assert_eq!(
            out["text"],
            PortValue::Text("HELLO THERE GOOD MORNING BYE".into())
        );
    }

    #[test]
    fn unknown_pairs_and_engines_are_clear_errors() {
        let upper = Arc::new(Upper {
            calls: Mutex::new(Vec::new()),
        });
        let node = TranslateNode::new(Arc::new(Apertium::discover("/nonexistent", "/nonexistent")));
        let mut inputs = NodeInputs::new();
        inputs.insert("transcript".into(), PortValue::Transcript(transcript()));
        let e = node
            .run(
                inputs.clone(),
                json!({"engine": "up", "target_language": "fr"}),
                &node_ctx(&upper),
            )
            .unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::InvalidParams);
        assert!(
            e.message.contains("en → fr") && e.message.contains("EN → DE"),
            "{}",
            e.message
        );
        let e = node
            .run(
                inputs.clone(),
                json!({"engine": "nope", "target_language": "de"}),
                &node_ctx(&upper),
            )
            .unwrap_err();
        assert!(e.message.contains("no engine `nope`"), "{}", e.message);
        // Without a provider (outside a job) only Apertium is available.
        let bare = NodeCtx::new(Arc::new(crate::NodeResources::new("/nonexistent")));
        let e = node
            .run(inputs.clone(), json!({"engine": "up"}), &bare)
            .unwrap_err();
        assert!(e.message.contains("only `apertium`"), "{}", e.message);
        // Apertium missing: refused at validation, naming the packages.
        let e = node.validate_params(&json!({})).unwrap_err();
        assert!(e.message.contains("not installed"), "{}", e.message);
        for bad in [
            json!({"target_language": "Spanish"}),
            json!({"source_language": "x"}),
            json!({"engine": ""}),
            json!({"enigne": "apertium"}),
        ] {
            assert_eq!(
                node.validate_params(&bad).unwrap_err().kind,
                NodeErrorKind::InvalidParams,
                "{bad}"
            );
        }
        // Same language: passed through untouched, words included.
        let out = node
            .run(
                inputs,
                json!({"engine": "up", "target_language": "en"}),
                &node_ctx(&upper),
            )
            .unwrap();
        let PortValue::Transcript(t) = &out["transcript"] else {
            panic!()
        };
        assert!(t.segments[0].words.is_some());
        assert!(upper.calls.lock().unwrap().is_empty());
    }
}
