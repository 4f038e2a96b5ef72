//! All node kinds, by `kind`.

use crate::manifest::NodeManifest;
use crate::Node;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The set of node kinds the service can run.
#[derive(Clone)]
pub struct Registry {
    nodes: BTreeMap<String, Arc<dyn Node>>,
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Registry {
    /// Every built-in node kind.
    pub fn new() -> Self {
        let mut r = Self::empty();
        r.register(Arc::new(crate::audio::DecodeNode));
        r.register(Arc::new(crate::audio::vad::VadNode));
        r.register(Arc::new(crate::asr::whisper::WhisperNode));
        r.register(Arc::new(crate::export::ExportNode));
        r.register(Arc::new(crate::translate::TranslateNode::default()));
        r.register(Arc::new(crate::diarize::DiarizeNode));
        r.register(Arc::new(crate::speakers::AssignSpeakersNode));
        r.register(Arc::new(crate::bgm::BgmNode));
        r
    }

    pub fn empty() -> Self {
        Self {
            nodes: BTreeMap::new(),
        }
    }

    /// Add (or replace) a node kind.
    pub fn register(&mut self, node: Arc<dyn Node>) {
        self.nodes.insert(node.manifest().kind, node);
    }

    pub fn get(&self, kind: &str) -> Option<Arc<dyn Node>> {
        self.nodes.get(kind).cloned()
    }

    pub fn kinds(&self) -> Vec<String> {
        self.nodes.keys().cloned().collect()
    }

    /// Manifests of all kinds, sorted by kind.
    pub fn manifests(&self) -> Vec<NodeManifest> {
        self.nodes.values().map(|n| n.manifest()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::PortType;

    #[test]
    fn registry_has_all_kinds_with_complete_manifests() {
        let r = Registry::new();
        assert_eq!(
            r.kinds(),
            vec![
                "audio.decode",
                "bgm.separate",
                "diarize.pyannote",
                "export.subtitles",
                "transcript.assign_speakers",
                "translate.text",
                "vad.silero",
                "whisper.transcribe"
            ]
        );
        for m in r.manifests() {
            assert!(!m.label.is_empty() && !m.description.is_empty() && !m.category.is_empty());
            assert_eq!(
                m.params_schema["$schema"],
                crate::manifest::JSON_SCHEMA_DIALECT
            );
            assert_eq!(m.params_schema["type"], "object");
            assert_eq!(m.params_schema["additionalProperties"], false);
            semver_like(&m.version);
            // Every schema property has a default, and round-trips through serde.
            for (name, prop) in m.params_schema["properties"].as_object().unwrap() {
                assert!(
                    prop.get("default").is_some(),
                    "{}.{name} has no default",
                    m.kind
                );
            }
            let json = serde_json::to_string(&m).unwrap();
            let back: NodeManifest = serde_json::from_str(&json).unwrap();
            assert_eq!(back, m);
        }
        let w = r.get("whisper.transcribe").unwrap().manifest();
        assert_eq!(w.inputs[0].port_type, PortType::Audio);
        assert_eq!(w.inputs[1].port_type, PortType::SpeechRegions);
        assert!(!w.inputs[1].required);
        let json = serde_json::to_value(&w).unwrap();
        assert_eq!(json["inputs"][1]["port_type"], "speech_regions");
        assert!(r.get("nope").is_none());
    }

    #[test]
    fn schema_defaults_match_struct_defaults() {
        use crate::asr::whisper::WhisperParams;
        let r = Registry::new();
        let m = r.get("whisper.transcribe").unwrap().manifest();
        let defaults = serde_json::to_value(WhisperParams::default()).unwrap();
        for (name, prop) in m.params_schema["properties"].as_object().unwrap() {
            same_default(&prop["default"], &defaults[name], name);
        }
        let m = r.get("vad.silero").unwrap().manifest();
        let defaults = serde_json::to_value(crate::audio::vad::VadParams::default()).unwrap();
        for (name, prop) in m.params_schema["properties"].as_object().unwrap() {
            same_default(&prop["default"], &defaults[name], name);
        }
        let m = r.get("export.subtitles").unwrap().manifest();
        let defaults = serde_json::to_value(crate::export::ExportParams::default()).unwrap();
        for (name, prop) in m.params_schema["properties"].as_object().unwrap() {
            same_default(&prop["default"], &defaults[name], name);
        }
        let m = r.get("translate.text").unwrap().manifest();
        let defaults = serde_json::to_value(crate::translate::TranslateParams::default()).unwrap();
        for (name, prop) in m.params_schema["properties"].as_object().unwrap() {
            same_default(&prop["default"], &defaults[name], name);
        }
        let m = r.get("diarize.pyannote").unwrap().manifest();
        let defaults = serde_json::to_value(crate::diarize::DiarizeParams::default()).unwrap();
        for (name, prop) in m.params_schema["properties"].as_object().unwrap() {
            same_default(&prop["default"], &defaults[name], name);
        }
        let m = r.get("transcript.assign_speakers").unwrap().manifest();
        let defaults = serde_json::to_value(crate::speakers::AssignParams::default()).unwrap();
        for (name, prop) in m.params_schema["properties"].as_object().unwrap() {
            same_default(&prop["default"], &defaults[name], name);
        }
        let m = r.get("bgm.separate").unwrap().manifest();
        let defaults = serde_json::to_value(crate::bgm::BgmParams::default()).unwrap();
        for (name, prop) in m.params_schema["properties"].as_object().unwrap() {
            same_default(&prop["default"], &defaults[name], name);
        }
    }

    /// Equal, comparing numbers as f32 (params hold f32s).
    fn same_default(a: &serde_json::Value, b: &serde_json::Value, name: &str) {
        match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => assert!(
                (x as f32 - y as f32).abs() < 1e-6,
                "param {name}: {a} vs {b}"
            ),
            _ => assert_eq!(a, b, "param {name}"),
        }
    }

    fn semver_like(v: &str) {
        let parts: Vec<&str> = v.split('.').collect();
        assert_eq!(parts.len(), 3, "{v}");
        assert!(parts.iter().all(|p| p.parse::<u32>().is_ok()), "{v}");
    }
}
