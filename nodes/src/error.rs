//! Typed node errors.
//!
//! Every failure a node can report carries a [`NodeErrorKind`] (what went wrong, machine
//! readable) and a [`FaultSource`] (whose fault it is: the user's input, the runtime
//! environment, or a bug in Voxflow). The service maps `User` to 4xx-style job failures,
//! `Runtime` to retryable failures and `Bug` to alerts.

use serde::{Deserialize, Serialize};

/// Who is to blame for a failure.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum FaultSource {
    /// The input or the parameters the user supplied are at fault.
    User,
    /// The environment failed (model missing, out of memory, inference failure…).
    Runtime,
    /// A bug in Voxflow (a panic, an impossible state).
    Bug,
}

/// What went wrong.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum NodeErrorKind {
    InvalidParams,
    InvalidInput,
    UnsupportedFormat,
    CorruptAudio,
    EmptyAudio,
    TooLarge,
    TooLong,
    ModelNotFound,
    ModelLoad,
    /// A native runtime the node needs (e.g. ONNX Runtime) is not installed or not loadable.
    RuntimeUnavailable,
    Cancelled,
    Inference,
    Internal,
}

impl NodeErrorKind {
    /// The usual fault source for this kind.
    pub fn default_fault(self) -> FaultSource {
        use NodeErrorKind::*;
        match self {
            InvalidParams | InvalidInput | UnsupportedFormat | CorruptAudio | EmptyAudio
            | TooLarge | TooLong | Cancelled => FaultSource::User,
            ModelNotFound | ModelLoad | RuntimeUnavailable | Inference => FaultSource::Runtime,
            Internal => FaultSource::Bug,
        }
    }
}

/// The error every node returns.
#[derive(thiserror::Error, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[error("{kind:?} ({fault:?}): {message}")]
pub struct NodeError {
    pub kind: NodeErrorKind,
    pub fault: FaultSource,
    pub message: String,
}

impl NodeError {
    /// An error with the kind's default fault source.
    pub fn new(kind: NodeErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            fault: kind.default_fault(),
            message: message.into(),
        }
    }

    /// Override the fault source.
    pub fn with_fault(mut self, fault: FaultSource) -> Self {
        self.fault = fault;
        self
    }

    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::new(NodeErrorKind::InvalidParams, message)
    }

    /// An invalid parameter value; the message names the field.
    pub fn invalid_field(field: &str, message: impl std::fmt::Display) -> Self {
        Self::new(
            NodeErrorKind::InvalidParams,
            format!("invalid params: field `{field}`: {message}"),
        )
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(NodeErrorKind::InvalidInput, message)
    }

    pub fn cancelled() -> Self {
        Self::new(NodeErrorKind::Cancelled, "cancelled")
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(NodeErrorKind::Internal, message)
    }

    pub fn inference(message: impl Into<String>) -> Self {
        Self::new(NodeErrorKind::Inference, message)
    }
}

/// Deserialise a node's params into its typed struct.
///
/// `null` counts as `{}` (every field takes its default). Errors name the offending field,
/// e.g. ``invalid params: field `beam_size`: invalid type: string "x", expected u32``.
pub fn parse_params<T: serde::de::DeserializeOwned>(
    params: serde_json::Value,
) -> Result<T, NodeError> {
    let params = match params {
        serde_json::Value::Null => serde_json::Value::Object(Default::default()),
        other => other,
    };
    if !params.is_object() {
        return Err(NodeError::invalid_params(
            "invalid params: expected a JSON object",
        ));
    }
    serde_path_to_error::deserialize(params).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        if path == "." || path.is_empty() {
            // Unknown fields are reported at the root; serde's message names the field.
            NodeError::invalid_params(format!("invalid params: {inner}"))
        } else {
            NodeError::invalid_field(&path, inner)
        }
    })
}
