//! The HTTP client the translation engines share: JSON over `ureq` (blocking; engines run
//! on a node's blocking thread or the blocking pool), behind the same SSRF guard as job
//! inputs. Every request looks the engine's host up once, checks every address, and
//! connects only to those addresses ([`crate::fetch::pinned_agent`]), so a DNS server
//! that answers differently on a second lookup (DNS rebinding) cannot send the request,
//! API key included, to an internal address. Redirects are not followed (an engine API has
//! no reason to redirect, and a redirect could point the request somewhere else).
//!
//! Error details never echo the engine's body: a failed request reports the status and,
//! when the engine sent a JSON `error`/`message` string, a short sanitised excerpt of it
//! ([`MAX_REASON_CHARS`] printable characters at most).

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use voxflow_nodes::{FaultSource, NodeError, NodeErrorKind};

/// Largest response body read from an engine.
const MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// Longest excerpt of an engine's own error text kept in an error message.
pub const MAX_REASON_CHARS: usize = 100;

/// Looks a host up (the system resolver in service; tests play a DNS server).
pub type SharedLookup =
    Arc<dyn Fn(&str, u16) -> std::io::Result<Vec<SocketAddr>> + Send + Sync + 'static>;

/// Which addresses may be connected to.
pub type SharedPolicy = Arc<dyn Fn(IpAddr) -> bool + Send + Sync + 'static>;

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
    config: ureq::config::Config,
    allowed: SharedPolicy,
    lookup: SharedLookup,
    /// Names the engine in errors (`deepl engine "team"`).
    pub engine: String,
}

impl Client {
    pub fn new(engine: String, allow_private: bool) -> Self {
        Self::with_network(
            engine,
            Arc::new(crate::fetch::policy(allow_private)),
            Arc::new(|host: &str, port: u16| crate::fetch::system_dns()(host, port)),
        )
    }

    /// A client with its own address policy and host lookup (tests).
    pub fn with_network(engine: String, allowed: SharedPolicy, lookup: SharedLookup) -> Self {
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!("voxflow/", env!("CARGO_PKG_VERSION")))
            .build();
        Self {
            config,
            allowed,
            lookup,
            engine,
        }
    }

    /// An agent for `url` pinned to the addresses its host resolves to now, once checked
    /// (one lookup per request: DNS may answer differently than at configuration).
    fn agent(&self, url: &str) -> Result<ureq::Agent, EngineError> {
        crate::fetch::pinned_agent(url, self.config.clone(), &*self.allowed, &*self.lookup)
            .map_err(|e| EngineError::Destination(format!("{}: {e}", self.engine)))
    }

    /// `GET url` with `headers`; the parsed JSON of a 2xx answer.
    pub fn get(
        &self,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<serde_json::Value, EngineError> {
        let agent = self.agent(url)?;
        let mut req = agent.get(url).header("accept", "application/json");
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
        let agent = self.agent(url)?;
        let mut req = agent
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
                message: error_message(status, &text),
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

/// A short, sanitised reason for a failed request: the engine's JSON `error` / `message`
/// string (DeepL, LibreTranslate), printable characters only, at most
/// [`MAX_REASON_CHARS`]; the status's reason phrase when there is none. Anything else the
/// engine sent (HTML pages, stack traces, whatever an internal host answers) is never
/// echoed.
fn error_message(status: u16, body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let reason = parsed
        .as_ref()
        .and_then(|v| v["error"].as_str().or(v["message"].as_str()))
        .map(sanitise)
        .filter(|r| !r.is_empty());
    reason.unwrap_or_else(|| {
        ureq::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no details")
            .to_string()
    })
}

/// Printable characters, whitespace collapsed, cut at [`MAX_REASON_CHARS`].
fn sanitise(text: &str) -> String {
    let clean: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if clean.chars().count() > MAX_REASON_CHARS {
        let mut cut: String = clean.chars().take(MAX_REASON_CHARS).collect();
        cut.push('…');
        cut
    } else {
        clean
    }
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
            error_message(403, r#"{"error":"Invalid API key"}"#),
            "Invalid API key"
        );
        assert_eq!(error_message(456, r#"{"message":"Quota"}"#), "Quota");
        assert_eq!(error_message(599, ""), "no details");
    }

    /// What an engine (or an internal host posing as one) sends is not echoed: a page that
    /// is not JSON gives the status's reason phrase only, a JSON reason is cut short and
    /// loses its control characters.
    #[test]
    fn error_details_keep_the_status_and_a_short_sanitised_reason() {
        let page = "<html><body>root:x:0:0:root:/root:/bin/bash internal-token=abc</body></html>";
        assert_eq!(error_message(500, page), "Internal Server Error");
        assert_eq!(error_message(404, "plain text secret"), "Not Found");
        assert_eq!(
            error_message(400, r#"{"debug": "db password hunter2"}"#),
            "Bad Request"
        );
        let long = format!("{}SECRET-AT-THE-END", "x".repeat(500));
        let reason = error_message(403, &serde_json::json!({ "error": long }).to_string());
        assert_eq!(reason.chars().count(), MAX_REASON_CHARS + 1, "{reason}");
        assert!(!reason.contains("SECRET"));
        assert_eq!(
            error_message(403, r#"{"error":"bad\u001b[31m key\n\n  here"}"#),
            "bad[31m key here"
        );
    }

    /// Against a loopback engine answering 500 with a long JSON body: the error says the
    /// status and a short reason, never the body's tail.
    #[test]
    fn engine_errors_do_not_echo_the_remote_body() {
        let (base, _log) = crate::translation::fake::serve(|_| {
            (
                500,
                serde_json::json!({"message": format!("{} secret-tail", "trace ".repeat(100)), "stack": "internal"}),
            )
        });
        let client = Client::new("lt".into(), true);
        let e = client.get(&format!("{base}/languages"), &[]).unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("lt answered 500: trace trace"), "{text}");
        assert!(
            !text.contains("secret-tail") && !text.contains("internal"),
            "{text}"
        );
        assert!(text.chars().count() < 150, "{text}");
    }

    /// A DNS server that answers the guard with an allowed address and anyone asking later
    /// with a forbidden one (DNS rebinding) is asked once per request: the request goes to
    /// the vetted address. `engine.test` exists in no real DNS, so the request working at
    /// all shows the HTTP client did no lookup of its own. Asked again, the DNS names the
    /// metadata address: refused before anything is sent.
    #[test]
    fn requests_connect_to_the_vetted_address_not_a_rebound_one() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (base, log) = crate::translation::fake::serve(|_| (200, serde_json::json!([])));
        let port: u16 = base
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port");
        let asked = Arc::new(AtomicUsize::new(0));
        let counter = asked.clone();
        let rebinding_dns: SharedLookup = Arc::new(move |host: &str, port: u16| {
            assert_eq!(host, "engine.test");
            let ip = if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                "127.0.0.1"
            } else {
                "169.254.169.254"
            };
            Ok(vec![SocketAddr::new(ip.parse().expect("ip"), port)])
        });
        let only_loopback: SharedPolicy = Arc::new(|ip: IpAddr| ip.is_loopback());
        let client = Client::with_network("lt".into(), only_loopback, rebinding_dns);
        let url = format!("http://engine.test:{port}/languages");
        let v = client
            .post_json(&url, &[("authorization", "key")], &serde_json::json!({}))
            .expect("sent to the vetted address");
        assert_eq!(v, serde_json::json!([]));
        assert_eq!(asked.load(Ordering::SeqCst), 1, "one lookup per request");
        let e = client.get(&url, &[("authorization", "key")]).unwrap_err();
        assert!(matches!(e, EngineError::Destination(_)), "{e:?}");
        assert_eq!(e.fault(), FaultSource::User);
        assert_eq!(
            log.lock().expect("log").len(),
            1,
            "nothing sent the second time"
        );
        assert_eq!(
            log.lock().expect("log")[0].headers["host"],
            format!("engine.test:{port}"),
            "the URL's host still goes in the Host header"
        );
    }
}
