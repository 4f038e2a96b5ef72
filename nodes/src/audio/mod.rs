//! Audio: decoding, resampling, voice activity detection.

pub mod decode;
mod ebml;
mod flac;
mod mp4;
pub mod resample;
pub mod vad;

use crate::error::{parse_params, NodeError};
use crate::manifest::{NodeManifest, PortSpec, PortType, JSON_SCHEMA_DIALECT};
use crate::{Node, NodeCtx, NodeInputs, NodeOutputs, PortValue};
use std::sync::Arc;

pub const DECODE_KIND: &str = "audio.decode";

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DecodeParams {}

/// The `audio.decode` node: a media file → 16 kHz mono audio.
#[derive(Default)]
pub struct DecodeNode;

impl Node for DecodeNode {
    fn manifest(&self) -> NodeManifest {
        NodeManifest {
            kind: DECODE_KIND.into(),
            version: "1.0.0".into(),
            label: "Decode audio".into(),
            category: "Audio".into(),
            description: "Decode WAV, MP3, FLAC, OGG (Vorbis, Opus), M4A/AAC or WebM/Matroska (Opus, Vorbis, FLAC) to 16 kHz mono. Size and duration limits are set by the server.".into(),
            inputs: vec![PortSpec::required("file", PortType::File, "Uploaded media file.")],
            outputs: vec![PortSpec::required("audio", PortType::Audio, "16 kHz mono audio.")],
            params_schema: serde_json::json!({
                "$schema": JSON_SCHEMA_DIALECT,
                "type": "object",
                "additionalProperties": false,
                "properties": {}
            }),
        }
    }

    fn validate_params(&self, params: &serde_json::Value) -> Result<(), NodeError> {
        let _: DecodeParams = parse_params(params.clone())?;
        Ok(())
    }

    fn run(
        &self,
        inputs: NodeInputs,
        params: serde_json::Value,
        ctx: &NodeCtx,
    ) -> Result<NodeOutputs, NodeError> {
        let _: DecodeParams = parse_params(params)?;
        let file = match inputs.get("file") {
            Some(PortValue::File(f)) => f,
            Some(other) => {
                return Err(NodeError::invalid_input(format!(
                    "input `file` must be a file, got {:?}",
                    other.port_type()
                )))
            }
            None => return Err(NodeError::invalid_input("missing required input `file`")),
        };
        ctx.report(0.0, "decode");
        let audio = decode::decode_file_value(file, &ctx.resources.decode_limits, &ctx.cancel)?;
        ctx.report(1.0, "decode: done");
        let mut out = NodeOutputs::new();
        out.insert("audio".into(), PortValue::Audio(Arc::new(audio)));
        Ok(out)
    }
}
