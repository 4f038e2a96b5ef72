//! Translation engines a tenant configures (LibreTranslate, DeepL) and how a job gets them.
//!
//! The `translate.text` node lives in `voxflow-nodes`, which has no HTTP or database code:
//! it defines the `Translator` trait and asks its `NodeCtx::translators` provider for an
//! engine by name. This module supplies both halves from the service side: the HTTP
//! engines ([`deepl`], [`libretranslate`]) and [`TenantEngines`], the provider the worker
//! sets on each job's node context. It looks the engine up in the job's tenant only (so a
//! job can never reach another tenant's engine or key), opens its API key (a workspace
//! credential, `crate::credentials`), and builds the engine. Lookups happen when the node asks, on its blocking thread.

pub mod deepl;
pub mod http;
pub mod libretranslate;

use crate::credentials::{Credentials, Provider};
use crate::engine::graph::{Graph, GraphProblem};
use crate::store::repo::translation_engines::{self as repo, TranslationEngineRow};
use crate::store::repo::workspace_credentials::{self as credentials_repo, CredentialRow};
use crate::store::{DbConn, Store, StoreError};
use crate::tenancy::Scope;
use std::sync::Arc;
use voxflow_nodes::translate::apertium::Apertium;
use voxflow_nodes::translate::{Translator, TranslatorProvider, APERTIUM, KIND};
use voxflow_nodes::NodeError;

/// The HTTP engine kinds a tenant can configure.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum EngineKind {
    Libretranslate,
    Deepl,
}

impl EngineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EngineKind::Libretranslate => "libretranslate",
            EngineKind::Deepl => "deepl",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "libretranslate" => Some(EngineKind::Libretranslate),
            "deepl" => Some(EngineKind::Deepl),
            _ => None,
        }
    }
}

/// What the service needs to build engines: the credential store that opens their keys,
/// the SSRF guard's switch, and the built-in Apertium (the same instance the node uses).
#[derive(Clone, Debug)]
pub struct Engines {
    credentials: Credentials,
    allow_private: bool,
    apertium: Arc<Apertium>,
}

/// An engine row and the workspace credential it uses, if any.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub engine: TranslationEngineRow,
    pub credential: Option<CredentialRow>,
}

impl EngineConfig {
    /// The engine `id_or_name` names in the scope's tenant, with its credential.
    pub fn find(
        conn: &mut DbConn,
        scope: &Scope,
        id_or_name: &str,
    ) -> Result<Option<Self>, StoreError> {
        repo::find(conn, scope, id_or_name)?
            .map(|engine| Self::of(conn, scope, engine))
            .transpose()
    }

    /// The engine row with its credential looked up.
    pub fn of(
        conn: &mut DbConn,
        scope: &Scope,
        engine: TranslationEngineRow,
    ) -> Result<Self, StoreError> {
        let credential = match &engine.credential_id {
            Some(id) => credentials_repo::get(conn, scope, id)?,
            None => None,
        };
        Ok(Self { engine, credential })
    }
}

impl Engines {
    pub fn new(credentials: Credentials, allow_private: bool, apertium: Arc<Apertium>) -> Self {
        Self {
            credentials,
            allow_private,
            apertium,
        }
    }

    /// The built-in engine's installed pairs (found at start-up).
    pub fn apertium(&self) -> &Arc<Apertium> {
        &self.apertium
    }

    pub fn allow_private(&self) -> bool {
        self.allow_private
    }

    /// The workspace credential store engines take their keys from.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The engine's API key in clear, if it has one (from its workspace credential).
    pub fn open_key(&self, config: &EngineConfig) -> Result<Option<String>, NodeError> {
        let row = &config.engine;
        let unusable = |why: String| {
            NodeError::invalid_field(
                "engine",
                format!(
                    "the API key of translation engine `{}`: {why}; enter it again",
                    row.name
                ),
            )
        };
        match (&config.credential, &row.credential_id) {
            (Some(credential), _) => {
                let provider = Provider::parse(&row.kind).unwrap_or(Provider::Generic);
                self.credentials
                    .open_for(credential, provider, &row.base_url)
                    .map(Some)
                    .map_err(|e| unusable(e.to_string()))
            }
            (None, Some(_)) => Err(unusable("its workspace credential was deleted".into())),
            // A key stored before the credential store that no configured secrets key opened
            // when this process started (see `credentials::adopt_engine_keys`).
            (None, None) if row.api_key_sealed.is_some() => Err(unusable(
                "the sealed key does not open with this server's secrets key (was \
                 VOXFLOW_SECRETS_KEY changed?)"
                    .into(),
            )),
            (None, None) => Ok(None),
        }
    }

    /// The engine a row describes.
    pub fn build(&self, config: &EngineConfig) -> Result<Arc<dyn Translator>, NodeError> {
        let key = self.open_key(config)?;
        let row = &config.engine;
        Ok(match EngineKind::parse(&row.kind) {
            Some(EngineKind::Deepl) => Arc::new(deepl::DeepL::new(
                &row.name,
                &row.base_url,
                key.as_deref().unwrap_or_default(),
                self.allow_private,
            )),
            Some(EngineKind::Libretranslate) => Arc::new(libretranslate::LibreTranslate::new(
                &row.name,
                &row.base_url,
                key,
                self.allow_private,
            )),
            None => {
                return Err(NodeError::internal(format!(
                    "translation engine `{}` has an unknown kind `{}`",
                    row.name, row.kind
                )))
            }
        })
    }

    /// The provider for one job of `tenant_id`.
    pub fn for_tenant(&self, store: Store, tenant_id: uuid::Uuid) -> TenantEngines {
        TenantEngines {
            engines: self.clone(),
            store,
            scope: Scope::Tenant {
                tenant_id,
                reseller_id: None,
            },
        }
    }
}

/// One job's view of its tenant's engines (the node's [`TranslatorProvider`]).
pub struct TenantEngines {
    engines: Engines,
    store: Store,
    scope: Scope,
}

impl TranslatorProvider for TenantEngines {
    fn engine(&self, name: &str) -> Result<Arc<dyn Translator>, NodeError> {
        let scope = self.scope;
        let found = self
            .store
            .read_blocking(scope, |c| {
                Ok(match EngineConfig::find(c, &scope, name)? {
                    Some(config) => Ok(config),
                    None => Err(repo::names(c, &scope)?),
                })
            })
            .map_err(|e| NodeError::inference(format!("translation engines: {e}")))?;
        match found {
            Ok(config) => self.engines.build(&config),
            Err(names) => Err(no_such_engine(name, &names)),
        }
    }
}

fn no_such_engine(name: &str, configured: &[String]) -> NodeError {
    let mut known = vec![format!("`{APERTIUM}`")];
    known.extend(configured.iter().map(|n| format!("`{n}`")));
    NodeError::invalid_field(
        "engine",
        format!(
            "no translation engine `{name}` in this tenant (available: {})",
            known.join(", ")
        ),
    )
}

/// Problems for `translate.text` nodes of `graph` that name an engine the tenant does not
/// have (checked when a job is submitted; the node checks again when it runs).
pub fn missing_engines(
    conn: &mut DbConn,
    scope: &Scope,
    graph: &Graph,
) -> Result<Vec<GraphProblem>, StoreError> {
    let mut problems = Vec::new();
    for node in graph.nodes.iter().filter(|n| n.kind == KIND) {
        let name = node.params["engine"].as_str().unwrap_or(APERTIUM).trim();
        if name == APERTIUM || repo::find(conn, scope, name)?.is_some() {
            continue;
        }
        problems.push(GraphProblem {
            field: format!("nodes/{}/params/engine", node.id),
            message: no_such_engine(name, &repo::names(conn, scope)?).message,
        });
    }
    Ok(problems)
}

#[cfg(test)]
pub(crate) mod fake {
    //! A loopback HTTP server standing in for a paid engine: it records every request
    //! (method, path, headers, body) and answers each from a closure.

    use std::collections::HashMap;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Clone)]
    pub struct Request {
        pub method: String,
        pub path: String,
        pub headers: HashMap<String, String>,
        pub body: String,
    }

    impl Request {
        pub fn json(&self) -> serde_json::Value {
            serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
        }
    }

    pub type Log = Arc<Mutex<Vec<Request>>>;

    /// Serves until the process exits; returns the base URL and the request log.
    pub fn serve(
        answer: impl Fn(&Request) -> (u16, serde_json::Value) + Send + 'static,
    ) -> (String, Log) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let log: Log = Arc::default();
        let seen = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let mut parts = line.split_whitespace();
                let (method, path) = (
                    parts.next().unwrap_or("").to_string(),
                    parts.next().unwrap_or("").to_string(),
                );
                let mut headers = HashMap::new();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':') {
                        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                    }
                }
                let len: usize = headers
                    .get("content-length")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0u8; len];
                let _ = reader.read_exact(&mut body);
                let req = Request {
                    method,
                    path,
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                };
                let (status, json) = answer(&req);
                seen.lock().expect("log").push(req);
                let body = json.to_string();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        (base, log)
    }
}

#[cfg(test)]
mod tests {
    use super::fake::{self, Request};
    use super::*;
    use serde_json::json;
    use voxflow_nodes::translate::lang::find_pair;
    use voxflow_nodes::CancelToken;

    fn texts(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("segment number {i}")).collect()
    }

    fn deepl_answer(req: &Request) -> (u16, serde_json::Value) {
        if req.headers.get("authorization").map(String::as_str) != Some("DeepL-Auth-Key sekrit:fx")
        {
            return (403, json!({"message": "Wrong key"}));
        }
        match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/v2/languages?type=source") => (
                200,
                json!([{"language": "EN", "name": "English"}, {"language": "DE", "name": "German"}]),
            ),
            ("GET", "/v2/languages?type=target") => (
                200,
                json!([{"language": "DE", "name": "German"}, {"language": "EN-GB", "name": "English (British)"}, {"language": "EN-US", "name": "English (American)"}]),
            ),
            ("POST", "/v2/translate") => {
                let body = req.json();
                let out: Vec<serde_json::Value> = body["text"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| json!({"detected_source_language": "EN", "text": format!("[{}] {}", body["target_lang"].as_str().unwrap_or("?"), t.as_str().unwrap_or(""))}))
                    .collect();
                (200, json!({"translations": out}))
            }
            _ => (404, json!({"message": "no route"})),
        }
    }

    #[test]
    fn deepl_engine_against_loopback_fake_checks_requests() {
        let (base, log) = fake::serve(deepl_answer);
        let engine = deepl::DeepL::new("team", &base, "sekrit:fx", true);
        let pairs = engine.languages().expect("languages");
        // Any source to any target of another language.
        // EN → DE, DE → EN-GB, DE → EN-US: never into the same language.
        assert_eq!(pairs.len(), 3, "{pairs:?}");
        let pair = find_pair(&pairs, Some("en"), "de").expect("en→de").clone();
        assert_eq!((pair.source.as_str(), pair.target.as_str()), ("EN", "DE"));
        let input = texts(120);
        let mut out = Vec::new();
        for range in
            voxflow_nodes::translate::batches(input.iter().map(String::len), engine.batch_limits())
        {
            out.extend(
                engine
                    .translate(
                        &input[range],
                        &pair.source,
                        &pair.target,
                        &CancelToken::new(),
                    )
                    .expect("translate"),
            );
        }
        assert_eq!(out.len(), 120);
        assert_eq!(out[7], "[DE] segment number 7");
        let log = log.lock().unwrap().clone();
        let posts: Vec<&Request> = log.iter().filter(|r| r.method == "POST").collect();
        // 120 texts in batches of at most 50: three requests, all with the key header,
        // arrays of texts and DeepL's codes.
        assert_eq!(posts.len(), 3);
        for (p, n) in posts.iter().zip([50, 50, 20]) {
            assert_eq!(p.path, "/v2/translate");
            assert_eq!(p.headers["authorization"], "DeepL-Auth-Key sekrit:fx");
            assert_eq!(p.headers["content-type"], "application/json");
            let body = p.json();
            assert_eq!(body["text"].as_array().map(Vec::len), Some(n));
            assert_eq!(body["source_lang"], "EN");
            assert_eq!(body["target_lang"], "DE");
        }
        // Languages were fetched once, with the key.
        assert_eq!(log.iter().filter(|r| r.method == "GET").count(), 2);
        // A wrong key is the tenant's to fix: a user fault naming the engine, no retry.
        let bad = deepl::DeepL::new("team", &base, "wrong", true);
        let e = bad
            .translate(&texts(1), "EN", "DE", &CancelToken::new())
            .unwrap_err();
        assert_eq!(e.fault, voxflow_nodes::FaultSource::User);
        assert!(
            e.message
                .contains("deepl engine \"team\" answered 403: Wrong key"),
            "{}",
            e.message
        );
    }

    #[test]
    fn libretranslate_engine_against_loopback_fake_checks_requests() {
        let (base, log) = fake::serve(|req| match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/languages") => (
                200,
                json!([
                    {"code": "en", "name": "English", "targets": ["en", "es", "fr"]},
                    {"code": "es", "name": "Spanish", "targets": ["en", "es"]}
                ]),
            ),
            ("POST", "/translate") => {
                let body = req.json();
                if body["api_key"] != "lt-key" {
                    return (403, json!({"error": "Invalid API key"}));
                }
                let out: Vec<String> = body["q"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| {
                        format!(
                            "{}:{}",
                            body["target"].as_str().unwrap_or("?"),
                            t.as_str().unwrap_or("").to_uppercase()
                        )
                    })
                    .collect();
                (200, json!({"translatedText": out}))
            }
            _ => (404, json!({"error": "no route"})),
        });
        let engine =
            libretranslate::LibreTranslate::new("self-hosted", &base, Some("lt-key".into()), true);
        let pairs = engine.languages().expect("languages");
        assert_eq!(pairs.len(), 3, "{pairs:?}");
        assert!(find_pair(&pairs, Some("es"), "fr").is_none());
        let out = engine
            .translate(&texts(3), "en", "es", &CancelToken::new())
            .expect("translate");
        assert_eq!(
            out,
            vec![
                "es:SEGMENT NUMBER 0",
                "es:SEGMENT NUMBER 1",
                "es:SEGMENT NUMBER 2"
            ]
        );
        let log = log.lock().unwrap().clone();
        let post = log
            .iter()
            .find(|r| r.method == "POST")
            .expect("a translate request");
        let body = post.json();
        assert_eq!(
            body["q"].as_array().map(Vec::len),
            Some(3),
            "one request for the batch"
        );
        assert_eq!(
            (
                body["source"].as_str(),
                body["target"].as_str(),
                body["format"].as_str()
            ),
            (Some("en"), Some("es"), Some("text"))
        );
        assert_eq!(body["api_key"], "lt-key");
        let keyless = libretranslate::LibreTranslate::new("self-hosted", &base, None, true);
        let e = keyless
            .translate(&texts(1), "en", "es", &CancelToken::new())
            .unwrap_err();
        assert!(e.message.contains("403: Invalid API key"), "{}", e.message);
    }

    #[test]
    fn engines_refuse_private_addresses_unless_allowed() {
        let (base, log) = fake::serve(deepl_answer);
        let engine = deepl::DeepL::new("team", &base, "sekrit:fx", false);
        let e = engine.languages().unwrap_err();
        assert!(
            e.message.contains("private, loopback or link-local"),
            "{}",
            e.message
        );
        assert_eq!(e.fault, voxflow_nodes::FaultSource::User);
        assert!(log.lock().unwrap().is_empty(), "nothing was sent");
    }

    #[test]
    fn kinds_round_trip() {
        for k in [EngineKind::Libretranslate, EngineKind::Deepl] {
            assert_eq!(EngineKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(
            deepl::default_base_url("k:fx"),
            "https://api-free.deepl.com"
        );
        assert_eq!(deepl::default_base_url("k"), "https://api.deepl.com");
    }
}
