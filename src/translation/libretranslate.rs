//! LibreTranslate: `POST /translate` with `q: [...]` (an array translates every text in
//! one request) and `api_key` in the body when the server requires one; languages and
//! their targets from `GET /languages`.

use super::http::Client;
use std::sync::OnceLock;
use voxflow_nodes::translate::{BatchLimits, LanguagePair, Translator};
use voxflow_nodes::{CancelToken, NodeError};

pub struct LibreTranslate {
    client: Client,
    base_url: String,
    api_key: Option<String>,
    /// Fetched once per engine instance (one job).
    languages: OnceLock<Vec<LanguagePair>>,
}

impl LibreTranslate {
    pub fn new(name: &str, base_url: &str, api_key: Option<String>, allow_private: bool) -> Self {
        Self {
            client: Client::new(format!("libretranslate engine \"{name}\""), allow_private),
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key,
            languages: OnceLock::new(),
        }
    }
}

impl Translator for LibreTranslate {
    fn describe(&self) -> String {
        self.client.engine.clone()
    }

    fn batch_limits(&self) -> BatchLimits {
        // Servers often cap characters per request (`--char-limit`); stay modest.
        BatchLimits {
            max_texts: 50,
            max_chars: 10_000,
        }
    }

    fn languages(&self) -> Result<Vec<LanguagePair>, NodeError> {
        if let Some(l) = self.languages.get() {
            return Ok(l.clone());
        }
        let v = self
            .client
            .get(&format!("{}/languages", self.base_url), &[])?;
        let items = v
            .as_array()
            .ok_or_else(|| self.client.protocol("languages: expected a list"))?;
        let mut pairs = Vec::new();
        for item in items {
            let Some(code) = item["code"].as_str() else {
                continue;
            };
            for target in item["targets"].as_array().into_iter().flatten() {
                if let Some(t) = target.as_str().filter(|t| *t != code) {
                    pairs.push(LanguagePair::new(code, t));
                }
            }
        }
        Ok(self.languages.get_or_init(|| pairs).clone())
    }

    fn translate(
        &self,
        texts: &[String],
        source: &str,
        target: &str,
        cancel: &CancelToken,
    ) -> Result<Vec<String>, NodeError> {
        cancel.check()?;
        let mut body =
            serde_json::json!({"q": texts, "source": source, "target": target, "format": "text"});
        if let Some(key) = &self.api_key {
            body["api_key"] = serde_json::Value::String(key.clone());
        }
        let v = self
            .client
            .post_json(&format!("{}/translate", self.base_url), &[], &body)?;
        let out: Option<Vec<String>> = v["translatedText"].as_array().and_then(|items| {
            items
                .iter()
                .map(|t| t.as_str().map(str::to_string))
                .collect()
        });
        Ok(out.ok_or_else(|| {
            self.client
                .protocol("translate: `translatedText` is not a list of strings")
        })?)
    }
}
