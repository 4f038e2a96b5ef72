//! Self-describing node manifests. The service serves these over HTTP and generates Flowise
//! nodes from them, so they carry everything a UI needs: ports, a JSON Schema for params
//! (draft 2020-12, with defaults and `x-ui` hints), labels and descriptions.

use serde::{Deserialize, Serialize};

/// The type of a port; edges may only connect ports of the same type.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum PortType {
    /// 16 kHz mono f32 audio (in memory only; never serialised).
    Audio,
    /// Speech regions from a VAD node.
    SpeechRegions,
    /// A timed transcript (segments, optional words and speakers).
    Transcript,
    /// Speaker turns from a diarization node.
    SpeakerTurns,
    /// Plain text.
    Text,
    /// A file (uploaded media, or a rendered subtitle file).
    File,
}

/// One input or output port.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PortSpec {
    pub name: String,
    pub port_type: PortType,
    pub required: bool,
    pub description: String,
}

impl PortSpec {
    pub fn required(name: &str, port_type: PortType, description: &str) -> Self {
        Self {
            name: name.to_owned(),
            port_type,
            required: true,
            description: description.to_owned(),
        }
    }

    pub fn optional(name: &str, port_type: PortType, description: &str) -> Self {
        Self {
            required: false,
            ..Self::required(name, port_type, description)
        }
    }
}

/// Everything the service and the UI need to know about a node kind.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct NodeManifest {
    /// Stable identifier, e.g. `whisper.transcribe`.
    pub kind: String,
    /// Semver of this node's contract (params, ports, output shape).
    pub version: String,
    pub label: String,
    pub category: String,
    pub description: String,
    pub inputs: Vec<PortSpec>,
    pub outputs: Vec<PortSpec>,
    /// JSON Schema (draft 2020-12) of the params object, with `default`s and `x-ui` hints.
    pub params_schema: serde_json::Value,
}

/// The JSON Schema dialect used by every `params_schema`.
pub const JSON_SCHEMA_DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";
