//! The HTTP client the translation engines share: JSON over `ureq` (blocking; engines run
//! on a node's blocking thread or the blocking pool), behind the same SSRF guard as job
//! inputs. Redirects are not followed (an engine API has no reason to redirect, and a
//! redirect could point the request, API key included, somewhere else).

use std::io::Read;
use std::time::Duration;
use voxflow_nodes::{FaultSource, NodeError, NodeErrorKind};

/// Largest response body read from an engine.
const MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// Why an engine request failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EngineError {
    /// Refused by the SSRF guard, or an invalid URL.
    #[error("{0}")]
    Destination(String),
    /// Could not connect, timed out, or the connection broke.
    #[error("{engine} is unreachable: {message}")]
    Unreachable { engine: String, message: String },
    /// The engine answered with an error status.
    #[error("{engine} answered {status}: {message}")]
    Status {
        engine: String,
        status: u16,
        message: String,
    },
    /// The engine answered 2xx with a body we do not understand.
    #[error("{engine} sent an unexpected answer: {message}")]
    Protocol { engine: String, message: String },
}

impl EngineError {
    /// Whose fault: a bad key, quota or request is the tenant's to fix (retrying will not
    /// help); outages, rate limits and server errors are worth a retry.
    pub fn fault(&self) -> FaultSource {
        match self {
            EngineError::Destination(_) => FaultSource::User,
            EngineError::Status { status, .. } if *status != 429 && *status < 500 => {
                FaultSource::User
            }
            _ => FaultSource::Runtime,
        }
    }
}

impl From<EngineError> for NodeError {
    fn from(e: EngineError) -> Self {
        let kind = match e.fault() {
            FaultSource::User => NodeErrorKind::InvalidParams,
            _ => NodeErrorKind::Inference,
        };
        NodeError::new(kind, e.to_string()).with_fault(e.fault())
    }
}

/// A JSON client bound to one engine.
pub struct Client {
    agent: ureq::Agent,
    allow_private: bool,
    /// Names the engine in errors (`deepl engine "team"`).
    pub engine: String,
}

impl Client {
    pub fn new(engine: String, allow_private: bool) -> Self {
        let agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!("voxflow/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Self {
            agent,
            allow_private,
            engine,
        }
    }

    /// Checked again on every request: DNS may answer differently than at configuration.
    fn check(&self, url: &str) -> Result<(), EngineError> {
        crate::fetch::check_destination(url, &crate::fetch::policy(self.allow_private))
            .map_err(|e| EngineError::Destination(format!("{}: {e}", self.engine)))
    }

    /// `GET url` with `headers`; the parsed JSON of a 2xx answer.
    pub fn get(
        &self,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<serde_json::Value, EngineError> {
        self.check(url)?;
        let mut req = self.agent.get(url).header("accept", "application/json");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.answer(req.call())
    }

    /// `POST url` with a JSON body; the parsed JSON of a 2xx answer.
    pub fn post_json(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, EngineError> {
        self.check(url)?;
        let mut req = self
            .agent
            .post(url)
            .header("accept", "application/json")
            .header("content-type", "application/json");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.answer(req.send(body.to_string().as_bytes()))
    }

    fn answer(
        &self,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<serde_json::Value, EngineError> {
        let response = response.map_err(|e| EngineError::Unreachable {
            engine: self.engine.clone(),
            message: e.to_string(),
        })?;
        let status = response.status().as_u16();
        let mut text = String::new();
        response
            .into_body()
            .into_reader()
            .take(MAX_RESPONSE_BYTES)
            .read_to_string(&mut text)
            .map_err(|e| EngineError::Unreachable {
                engine: self.engine.clone(),
                message: e.to_string(),
            })?;
        if !(200..300).contains(&status) {
            return Err(EngineError::Status {
                engine: self.engine.clone(),
                status,
                message: error_message(&text),
            });
        }
        serde_json::from_str(&text).map_err(|e| EngineError::Protocol {
            engine: self.engine.clone(),
            message: format!("not JSON ({e})"),
        })
    }

    pub fn protocol(&self, message: impl Into<String>) -> EngineError {
        EngineError::Protocol {
            engine: self.engine.clone(),
            message: message.into(),
        }
    }
}

/// The engine's own error text (`{"error": "..."}` / `{"message": "..."}`), shortened.
fn error_message(body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let text = parsed
        .as_ref()
        .and_then(|v| {
            v["error"]
                .as_str()
                .or(v["message"].as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| body.trim().to_string());
    let mut text: String = text.chars().take(300).collect();
    if text.is_empty() {
        text = "no details".into();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_faults() {
        let status = |s| EngineError::Status {
            engine: "e".into(),
            status: s,
            message: "m".into(),
        };
        assert_eq!(status(403).fault(), FaultSource::User);
        assert_eq!(status(456).fault(), FaultSource::User);
        assert_eq!(status(429).fault(), FaultSource::Runtime);
        assert_eq!(status(503).fault(), FaultSource::Runtime);
        let e: NodeError = status(403).into();
        assert_eq!(e.kind, NodeErrorKind::InvalidParams);
        assert_eq!(e.message, "e answered 403: m");
        assert_eq!(
            error_message(r#"{"error":"Invalid API key"}"#),
            "Invalid API key"
        );
        assert_eq!(error_message(r#"{"message":"Quota"}"#), "Quota");
        assert_eq!(error_message(""), "no details");
    }
}
