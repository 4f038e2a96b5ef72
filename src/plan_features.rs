//! `plans.features`: what a subscription plan lets its tenants use, typed.
//!
//! Every field is optional; an absent field means "no limit" (or the platform's default,
//! for settings the server has one for). Where each is enforced:
//!
//! | field | enforced |
//! |---|---|
//! | `allowed_node_kinds`, `allowed_whisper_models`, `max_audio_seconds` | admission step 3 (`engine::admission`), for jobs and the OpenAI routes; `GET /v1/nodes` marks what is outside the plan |
//! | `max_upload_bytes` | `POST /v1/files` (and the OpenAI routes' upload) |
//! | `max_concurrent_jobs` | the plan's `max_concurrent_jobs` column (admission step 7, job claims); this field mirrors it |
//! | `max_api_keys`, `max_webhook_endpoints` | `POST /v1/api-keys`, `POST /v1/webhooks` |
//! | `requests_per_minute`, `key_requests_per_minute` | every authenticated request of a tenant's caller ([`crate::auth::rate_limit`], through [`PlanFeatures::rate_limits`]; absent: the server's `VOXFLOW_RATE_LIMIT_PER_MINUTE` / `VOXFLOW_KEY_RATE_LIMIT_PER_MINUTE`, `0`: no limit) |
//! | `tenant_branding` | every branding write of a tenant admin (`api::branding`; `false` refuses with `not_in_plan`) |
//! | `retention_days` | the plan's `retention_days` column (one value: either sets both), which the sweeper reads |
//!
//! **Writes are strict** ([`PlanFeatures::parse`]): an unknown key or a wrong type is a
//! `422` naming the key. **Reads are lenient** ([`PlanFeatures::from_stored`]): rows
//! written before the schema was typed held free-form JSON; such a row keeps every field
//! that parses, ignores the rest and logs a warning once per plan and process, so an old
//! row never takes the service down and nothing is rewritten behind the operator's back
//! (the next `PATCH` with `features` replaces it).

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::Mutex;
use utoipa::ToSchema;

/// What a plan lets its tenants use. Every field is optional: absent means no limit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFeatures {
    /// Node kinds the tenants may run (e.g. `audio.decode`, `whisper.transcribe`); absent:
    /// every kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(["audio.decode", "vad.silero", "whisper.transcribe"]))]
    pub allowed_node_kinds: Option<Vec<String>>,
    /// Whisper models the tenants may use (catalog names such as `tiny.en`, `base`); a
    /// quantised file of an allowed model (`base-q8_0`) is allowed too. Absent: every model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(["tiny.en", "base"]))]
    pub allowed_whisper_models: Option<Vec<String>>,
    /// Longest audio one job (or OpenAI request) may process, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_audio_seconds: Option<u32>,
    /// Largest file a tenant may upload, in bytes (the server's `VOXFLOW_MAX_UPLOAD_BYTES`
    /// still applies when smaller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_upload_bytes: Option<u64>,
    /// Jobs and requests a tenant runs at once: the same value as the plan's
    /// `max_concurrent_jobs` (setting either sets both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_jobs: Option<u32>,
    /// Requests per minute per tenant (enforced by the rate limiter; absent: the server's
    /// default, 0: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_minute: Option<u32>,
    /// Requests per minute per API key (enforced by the rate limiter; absent: the server's
    /// default, 0: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_requests_per_minute: Option<u32>,
    /// Days uploaded files and job artifacts are kept: the plan's `retention_days` (one value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    /// API keys a tenant may hold (revoked and expired keys do not count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_api_keys: Option<u32>,
    /// Webhook endpoints a tenant may register (the server's `VOXFLOW_WEBHOOK_MAX_ENDPOINTS`
    /// still applies when smaller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_webhook_endpoints: Option<u32>,
    /// Whether tenant admins may edit their own branding (`false`: every branding write of
    /// a tenant admin is `403 not_in_plan`; absent: allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_branding: Option<bool>,
}

/// The plan's request rate limits, for the rate limiter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimits {
    pub tenant_per_minute: Option<u32>,
    pub key_per_minute: Option<u32>,
}

/// Every key [`PlanFeatures`] knows, in declaration order.
pub const KEYS: [&str; 11] = [
    "allowed_node_kinds",
    "allowed_whisper_models",
    "max_audio_seconds",
    "max_upload_bytes",
    "max_concurrent_jobs",
    "requests_per_minute",
    "key_requests_per_minute",
    "retention_days",
    "max_api_keys",
    "max_webhook_endpoints",
    "tenant_branding",
];

/// One invalid key of a `features` object: its JSON path and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureError {
    pub field: String,
    pub message: String,
}

fn one_key(key: &str, value: &serde_json::Value) -> Result<PlanFeatures, serde_json::Error> {
    let mut m = serde_json::Map::new();
    m.insert(key.to_string(), value.clone());
    serde_json::from_value(serde_json::Value::Object(m))
}

fn merge(into: &mut PlanFeatures, f: PlanFeatures) {
    macro_rules! take {
        ($($field:ident),*) => { $( if f.$field.is_some() { into.$field = f.$field; } )* };
    }
    take!(
        allowed_node_kinds,
        allowed_whisper_models,
        max_audio_seconds,
        max_upload_bytes,
        max_concurrent_jobs,
        requests_per_minute,
        key_requests_per_minute,
        retention_days,
        max_api_keys,
        max_webhook_endpoints,
        tenant_branding
    );
}

impl PlanFeatures {
    /// Strict parse of a request's `features`: every problem, each naming its key
    /// (`features.<key>`).
    pub fn parse(value: &serde_json::Value) -> Result<PlanFeatures, Vec<FeatureError>> {
        let Some(obj) = value.as_object() else {
            return Err(vec![FeatureError {
                field: "features".into(),
                message: "must be a JSON object".into(),
            }]);
        };
        let mut errors = Vec::new();
        let mut out = PlanFeatures::default();
        for (key, v) in obj {
            if !KEYS.contains(&key.as_str()) {
                errors.push(FeatureError {
                    field: format!("features.{key}"),
                    message: format!("is not a plan feature; known: {}", KEYS.join(", ")),
                });
                continue;
            }
            match one_key(key, v) {
                Ok(f) => merge(&mut out, f),
                Err(e) => errors.push(FeatureError {
                    field: format!("features.{key}"),
                    message: e.to_string(),
                }),
            }
        }
        if out.max_concurrent_jobs == Some(0) {
            errors.push(FeatureError {
                field: "features.max_concurrent_jobs".into(),
                message: "must be at least 1".into(),
            });
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Lenient read of a stored row: what parses is kept, the rest ignored with a warning
    /// (logged once per plan and process).
    pub fn from_stored(plan_id: &str, text: &str) -> PlanFeatures {
        let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        if let Ok(f) = serde_json::from_value::<PlanFeatures>(value.clone()) {
            return f;
        }
        let mut out = PlanFeatures::default();
        let mut ignored = Vec::new();
        match value.as_object() {
            Some(obj) => {
                for (key, v) in obj {
                    match one_key(key, v) {
                        Ok(f) => merge(&mut out, f),
                        Err(_) => ignored.push(key.clone()),
                    }
                }
            }
            None => ignored.push("(not an object)".into()),
        }
        static WARNED: Mutex<Option<HashSet<String>>> = Mutex::new(None);
        let first = WARNED
            .lock()
            .map(|mut w| {
                w.get_or_insert_with(HashSet::new)
                    .insert(plan_id.to_string())
            })
            .unwrap_or(true);
        if first {
            tracing::warn!(
                plan_id,
                ignored = %ignored.join(", "),
                "plan features hold keys or values outside the schema; they are ignored \
                 (PATCH the plan's features to clean them up)"
            );
        }
        out
    }

    /// The plan's request rate limits (issue 12 §5 enforces them).
    pub fn rate_limits(&self) -> RateLimits {
        RateLimits {
            tenant_per_minute: self.requests_per_minute,
            key_per_minute: self.key_requests_per_minute,
        }
    }

    /// Whether the plan lets its tenants run `kind`.
    pub fn allows_kind(&self, kind: &str) -> bool {
        self.allowed_node_kinds
            .as_ref()
            .is_none_or(|k| k.iter().any(|x| x == kind))
    }

    /// Whether the plan lets its tenants use the Whisper model `model` (or a quantised
    /// file of an allowed one: `base-q8_0` when `base` is allowed).
    pub fn allows_model(&self, model: &str) -> bool {
        self.allowed_whisper_models.as_ref().is_none_or(|m| {
            m.iter().any(|x| {
                x == model
                    || model
                        .strip_prefix(x.as_str())
                        .is_some_and(|rest| rest.starts_with("-q"))
            })
        })
    }

    /// The stored text of these features.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The features that apply to a tenant: its plan's (none without a plan). Tenants have no
/// per-tenant features override (the seed schema has none); their own overrides are
/// `processing_quota_minutes` and `storage_quota_mb`, read where those quotas are.
pub fn for_tenant(
    c: &mut crate::store::DbConn,
    tenant: &crate::store::repo::tenants::TenantRow,
) -> Result<PlanFeatures, crate::store::StoreError> {
    let Some(plan_id) = &tenant.subscription_plan_id else {
        return Ok(PlanFeatures::default());
    };
    let scope = crate::tenancy::Scope::System;
    Ok(crate::store::repo::plans::get(c, &scope, plan_id)?
        .map(|p| p.features())
        .unwrap_or_default())
}

/// [`for_tenant`] by tenant id (default features when the tenant is gone).
pub fn for_tenant_id(
    c: &mut crate::store::DbConn,
    tenant_id: &str,
) -> Result<PlanFeatures, crate::store::StoreError> {
    match crate::store::repo::tenants::get(c, &crate::tenancy::Scope::System, tenant_id)? {
        Some(t) => for_tenant(c, &t),
        None => Ok(PlanFeatures::default()),
    }
}

/// The features of the caller's tenant's plan; platform and reseller callers (no tenant) are
/// limited by none.
pub async fn of_caller(
    store: &crate::store::Store,
    authed: &crate::auth::Authed,
) -> Result<PlanFeatures, crate::store::StoreError> {
    let Some(tenant) = authed.principal.tenant_id.map(|t| t.to_string()) else {
        return Ok(PlanFeatures::default());
    };
    store
        .read(authed.scope(), move |c| for_tenant_id(c, &tenant))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_keys_and_wrong_types_are_named() {
        let e = PlanFeatures::parse(&json!({"diarization": true, "max_api_keys": "three"}))
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["features.diarization", "features.max_api_keys"]);
        assert!(PlanFeatures::parse(&json!([])).is_err());
    }

    #[test]
    fn every_key_parses_and_round_trips() {
        let v = json!({
            "allowed_node_kinds": ["audio.decode"], "allowed_whisper_models": ["base"],
            "max_audio_seconds": 60, "max_upload_bytes": 1000, "max_concurrent_jobs": 1,
            "requests_per_minute": 60, "key_requests_per_minute": 30, "retention_days": 7,
            "max_api_keys": 2, "max_webhook_endpoints": 1, "tenant_branding": false
        });
        let f = PlanFeatures::parse(&v).unwrap_or_default();
        assert_eq!(serde_json::to_value(&f).unwrap_or_default(), v);
        assert_eq!(v.as_object().map(|o| o.len()), Some(KEYS.len()));
        assert_eq!(f.rate_limits().key_per_minute, Some(30));
    }

    #[test]
    fn stored_rows_with_free_form_json_keep_what_parses() {
        let f = PlanFeatures::from_stored(
            "p",
            r#"{"diarization": true, "max_api_keys": 3, "max_audio_seconds": "long"}"#,
        );
        assert_eq!(f.max_api_keys, Some(3));
        assert_eq!(f.max_audio_seconds, None);
        assert_eq!(
            PlanFeatures::from_stored("q", "not json"),
            PlanFeatures::default()
        );
    }

    #[test]
    fn models_match_by_name_or_quantised_file() {
        let f = PlanFeatures {
            allowed_whisper_models: Some(vec!["tiny.en".into(), "base".into()]),
            ..Default::default()
        };
        assert!(f.allows_model("base") && f.allows_model("base-q8_0"));
        assert!(!f.allows_model("base.en") && !f.allows_model("small"));
        assert!(PlanFeatures::default().allows_model("large-v3"));
    }
}
