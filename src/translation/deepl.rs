//! DeepL (API v2): `POST /v2/translate` with `text: [...]` (up to 50 texts, 128 KiB per
//! request), `Authorization: DeepL-Auth-Key <key>`; languages from
//! `GET /v2/languages?type=source|target`. Any source translates to any target.

use super::http::Client;
use std::sync::OnceLock;
use voxflow_nodes::translate::{BatchLimits, LanguagePair, Translator};
use voxflow_nodes::{CancelToken, NodeError};

/// DeepL API Free keys end in `:fx` and use their own host.
pub fn default_base_url(api_key: &str) -> &'static str {
    if api_key.ends_with(":fx") {
        "https://api-free.deepl.com"
    } else {
        "https://api.deepl.com"
    }
}

pub struct DeepL {
    client: Client,
    base_url: String,
    auth: String,
    /// Fetched once per engine instance (one job).
    languages: OnceLock<Vec<LanguagePair>>,
}

impl DeepL {
    pub fn new(name: &str, base_url: &str, api_key: &str, allow_private: bool) -> Self {
        Self {
            client: Client::new(format!("deepl engine \"{name}\""), allow_private),
            base_url: base_url.trim_end_matches('/').to_string(),
            auth: format!("DeepL-Auth-Key {api_key}"),
            languages: OnceLock::new(),
        }
    }

    fn list(&self, kind: &str) -> Result<Vec<String>, NodeError> {
        let v = self.client.get(
            &format!("{}/v2/languages?type={kind}", self.base_url),
            &[("authorization", &self.auth)],
        )?;
        let codes: Option<Vec<String>> = v.as_array().map(|items| {
            items
                .iter()
                .filter_map(|l| l["language"].as_str().map(str::to_string))
                .collect()
        });
        Ok(codes.ok_or_else(|| self.client.protocol("languages: expected a list"))?)
    }
}

impl Translator for DeepL {
    fn describe(&self) -> String {
        self.client.engine.clone()
    }

    fn batch_limits(&self) -> BatchLimits {
        // 50 texts per request; the 128 KiB body limit leaves room for JSON escaping.
        BatchLimits {
            max_texts: 50,
            max_chars: 100_000,
        }
    }

    fn languages(&self) -> Result<Vec<LanguagePair>, NodeError> {
        if let Some(l) = self.languages.get() {
            return Ok(l.clone());
        }
        let (sources, targets) = (self.list("source")?, self.list("target")?);
        let mut pairs = Vec::new();
        for s in &sources {
            let sk = voxflow_nodes::translate::lang::key(s);
            for t in &targets {
                let tk = voxflow_nodes::translate::lang::key(t);
                if sk.as_ref().map(|k| &k.base) != tk.as_ref().map(|k| &k.base) {
                    pairs.push(LanguagePair::new(s.clone(), t.clone()));
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
        let v = self.client.post_json(
            &format!("{}/v2/translate", self.base_url),
            &[("authorization", &self.auth)],
            &serde_json::json!({"text": texts, "source_lang": source, "target_lang": target}),
        )?;
        let out: Option<Vec<String>> = v["translations"].as_array().and_then(|items| {
            items
                .iter()
                .map(|t| t["text"].as_str().map(str::to_string))
                .collect()
        });
        Ok(out.ok_or_else(|| self.client.protocol("translate: no `translations[].text`"))?)
    }
}
