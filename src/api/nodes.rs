//! `/v1/nodes`: the node registry — every node kind's manifest (ports, params JSON Schema,
//! version, category, UI hints). Front ends build their palettes from it and the Flowise
//! plugin is generated from it. Both routes answer with an ETag and honour `If-None-Match`.
//! `availability` is the caller's: a kind (or Whisper model) outside the tenant's plan is
//! marked `not_in_plan`, so the ETag (a hash of the body) differs between plans. So are
//! `presets`: per kind, the node presets the caller may use (`/v1/presets`).

use crate::app::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, Code};
use crate::plan_features::PlanFeatures;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use voxflow_nodes::{NodeManifest, PortSpec, PortType};

/// A port of a node: edges connect an output to an input of the same `port_type`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PortView {
    pub name: String,
    /// `audio`, `speech_regions`, `transcript`, `speaker_turns`, `text` or `file`.
    pub port_type: String,
    pub required: bool,
    pub description: String,
}

/// What a node kind is, takes, produces and accepts as parameters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeManifestView {
    /// Stable identifier, e.g. `whisper.transcribe`.
    pub kind: String,
    /// Semantic version of the node's contract.
    pub version: String,
    pub label: String,
    pub category: String,
    pub description: String,
    pub inputs: Vec<PortView>,
    pub outputs: Vec<PortView>,
    /// JSON Schema (draft 2020-12) of the `params` object, with defaults and `x-ui` hints.
    #[schema(value_type = Object)]
    pub params_schema: serde_json::Value,
    /// Whether this server can run the node with its default params (the native runtime
    /// and model files it needs are installed). Absent in `voxflow nodes --json`, which
    /// describes the registry rather than a server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// The node presets of this kind the caller may name in a graph node's `preset` (oldest
    /// first; with `presets:read`). Absent in `voxflow nodes --json` and without that
    /// permission.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presets: Option<Vec<super::presets::PresetRef>>,
}

/// Whether the caller can run a node kind now: the server has what it needs, and the
/// caller's plan includes it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Availability {
    pub available: bool,
    /// Why not: `not_in_plan` (the tenant's plan does not include the kind; its admin can
    /// upgrade) or `not_installed` (this server lacks a runtime or model; its operator can
    /// install it). Absent when available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<AvailabilityReason>,
    /// Why not, and how to fix it; absent when available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// `whisper.transcribe` only, when the plan restricts models: the Whisper models it
    /// allows (a quantised file of one, e.g. `base-q8_0`, too); any other model is not in
    /// the plan. Absent: every model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub models_in_plan: Option<Vec<String>>,
}

/// Why a node kind is not available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AvailabilityReason {
    NotInPlan,
    NotInstalled,
}

impl Availability {
    fn of(
        check: Result<(), voxflow_nodes::NodeError>,
        resources: &voxflow_nodes::NodeResources,
    ) -> Self {
        match check {
            Ok(()) => Availability {
                available: true,
                reason: None,
                detail: None,
                models_in_plan: None,
            },
            Err(e) => Availability {
                available: false,
                reason: Some(AvailabilityReason::NotInstalled),
                detail: Some(resources.scrub_paths(&e.message)),
                models_in_plan: None,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NodeList {
    pub items: Vec<NodeManifestView>,
}

fn port_type_name(t: PortType) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn port(p: &PortSpec) -> PortView {
    PortView {
        name: p.name.clone(),
        port_type: port_type_name(p.port_type),
        required: p.required,
        description: p.description.clone(),
    }
}

impl From<&NodeManifest> for NodeManifestView {
    fn from(m: &NodeManifest) -> Self {
        NodeManifestView {
            kind: m.kind.clone(),
            version: m.version.clone(),
            label: m.label.clone(),
            category: m.category.clone(),
            description: m.description.clone(),
            inputs: m.inputs.iter().map(port).collect(),
            outputs: m.outputs.iter().map(port).collect(),
            params_schema: m.params_schema.clone(),
            availability: None,
            presets: None,
        }
    }
}

/// The `job.status` entry: not a processing step but how a client awaits a job, so front
/// ends can offer "wait for job" as a node.
fn job_status_manifest() -> NodeManifestView {
    NodeManifestView {
        kind: "job.status".into(),
        version: "1.0.0".into(),
        label: "Job status".into(),
        category: "Jobs".into(),
        description: "Await or read a Voxflow job. Subscribe on the WebSocket `GET /v1/ws` \
                      (`{\"type\":\"subscribe\",\"job_ids\":[…],\"since\":seq}`) or poll \
                      `GET /v1/jobs/{id}` with `If-None-Match` (304 while nothing changed, \
                      `Voxflow-Poll-After` suggests the next interval). Outputs are the job's \
                      artifacts once it succeeds."
            .into(),
        inputs: vec![PortView {
            name: "job_id".into(),
            port_type: "text".into(),
            required: true,
            description: "The job to await.".into(),
        }],
        outputs: vec![
            PortView {
                name: "transcript".into(),
                port_type: "transcript".into(),
                required: false,
                description: "The job's transcript artifact, when it has one.".into(),
            },
            PortView {
                name: "text".into(),
                port_type: "text".into(),
                required: true,
                description: "Final status, or the transcript text when there is one.".into(),
            },
        ],
        params_schema: serde_json::json!({
            "$schema": voxflow_nodes::manifest::JSON_SCHEMA_DIALECT,
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "mode": {"type": "string", "enum": ["await", "read"], "default": "await",
                         "description": "`await` waits for a final state; `read` returns the current one.",
                         "x-ui": {"widget": "select"}},
                "timeout_s": {"type": "integer", "minimum": 1, "maximum": 86400, "default": 3600,
                              "description": "Give up waiting after this many seconds.",
                              "x-ui": {"advanced": true}},
                "transport": {"type": "string", "enum": ["websocket", "poll"], "default": "websocket",
                              "description": "WebSocket push, falling back to ETag polling.",
                              "x-ui": {"advanced": true, "widget": "select"}}
            }
        }),
        availability: None,
        presets: None,
    }
}

/// The registry's manifests (built once); served with this server's availability added.
pub struct Catalog {
    pub items: Vec<NodeManifestView>,
}

impl Catalog {
    pub fn new(registry: &voxflow_nodes::Registry) -> Self {
        let mut items: Vec<NodeManifestView> = registry
            .manifests()
            .iter()
            .map(NodeManifestView::from)
            .collect();
        items.push(job_status_manifest());
        items.sort_by(|a, b| a.kind.cmp(&b.kind));
        Catalog { items }
    }

    /// The list as `voxflow nodes --json` prints it and `flowise-plugin/registry.json` holds
    /// it (no availability: that belongs to a server), pretty-printed.
    pub fn pretty_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(&serde_json::json!({ "items": self.items }))
    }

    pub fn get(&self, kind: &str) -> Option<&NodeManifestView> {
        self.items.iter().find(|i| i.kind == kind)
    }

    /// Every manifest with whether the caller can run it now: in its plan (`features`),
    /// and runnable on this server. Checked per request (file checks; runtimes load once),
    /// so installing a model or library shows without a restart.
    fn served(
        &self,
        registry: &voxflow_nodes::Registry,
        resources: &voxflow_nodes::NodeResources,
        features: &PlanFeatures,
    ) -> Vec<NodeManifestView> {
        self.items
            .iter()
            .map(|item| {
                let runnable = registry.get(&item.kind).is_some();
                let mut availability = if runnable && !features.allows_kind(&item.kind) {
                    Availability {
                        available: false,
                        reason: Some(AvailabilityReason::NotInPlan),
                        detail: Some(format!(
                            "Not in your plan: `{}` is not among the node kinds your \
                             subscription plan includes; ask your administrator to upgrade",
                            item.kind
                        )),
                        models_in_plan: None,
                    }
                } else {
                    let check = registry.get(&item.kind).map_or(Ok(()), |n| {
                        n.availability(resources, &serde_json::Value::Null)
                    });
                    Availability::of(check, resources)
                };
                if item.kind == "whisper.transcribe" {
                    availability.models_in_plan = features.allowed_whisper_models.clone();
                }
                NodeManifestView {
                    availability: Some(availability),
                    ..item.clone()
                }
            })
            .collect()
    }
}

/// A strong ETag for a JSON body.
fn etag(json: &str) -> String {
    format!(
        "\"{}\"",
        &hex::encode(Sha256::digest(json.as_bytes()))[..32]
    )
}

/// The served manifests for the caller (its tenant's plan features, the presets it may use),
/// off the async threads (the checks touch the filesystem).
async fn served(
    state: &web::Data<AppState>,
    authed: &Authed,
) -> Result<Vec<NodeManifestView>, ApiError> {
    let mut presets = super::presets::usable_by_kind(state, authed).await?;
    let mut items = served_manifests(state, authed).await?;
    if let Some(by_kind) = presets.as_mut() {
        for item in &mut items {
            item.presets = Some(by_kind.remove(&item.kind).unwrap_or_default());
        }
    }
    Ok(items)
}

async fn served_manifests(
    state: &web::Data<AppState>,
    authed: &Authed,
) -> Result<Vec<NodeManifestView>, ApiError> {
    let features = crate::plan_features::of_caller(&state.store, authed).await?;
    let state = state.clone();
    web::block(move || {
        state
            .catalog
            .served(&state.registry, &state.speech.resources(), &features)
    })
    .await
    .map_err(ApiError::internal)
}

fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn cached(req: &HttpRequest, etag: &str, body: impl FnOnce() -> HttpResponse) -> HttpResponse {
    if not_modified(req, etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag.to_string()))
            .finish();
    }
    let mut res = body();
    if let Ok(v) = header::HeaderValue::from_str(etag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    res
}

/// Lists every node kind's manifest.
#[utoipa::path(
    tag = "nodes",
    params(("If-None-Match" = Option<String>, Header, description = "ETag of a cached copy")),
    responses(
        (status = 200, body = NodeList, headers(("ETag" = String))),
        (status = 304, description = "Not modified"),
        super::ReadErrors
    )
)]
#[get("/nodes")]
pub async fn list_nodes(
    state: web::Data<AppState>,
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let items = served(&state, &authed).await?;
    let json = serde_json::to_string(&serde_json::json!({ "items": items }))
        .map_err(ApiError::internal)?;
    Ok(cached(&req, &etag(&json), || {
        HttpResponse::Ok()
            .content_type("application/json")
            .body(json)
    }))
}

/// Reads one node kind's manifest.
#[utoipa::path(
    tag = "nodes",
    params(("kind" = String, Path, example = "whisper.transcribe"),
           ("If-None-Match" = Option<String>, Header, description = "ETag of a cached copy")),
    responses(
        (status = 200, body = NodeManifestView, headers(("ETag" = String))),
        (status = 304, description = "Not modified"),
        super::ReadErrors
    )
)]
#[get("/nodes/{kind}")]
pub async fn get_node(
    state: web::Data<AppState>,
    authed: Authed,
    req: HttpRequest,
    kind: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let item = served(&state, &authed)
        .await?
        .into_iter()
        .find(|i| i.kind == *kind)
        .ok_or_else(|| ApiError::new(Code::NodeKindNotFound, format!("No node kind `{kind}`")))?;
    let json = serde_json::to_string(&item).map_err(ApiError::internal)?;
    Ok(cached(&req, &etag(&json), || {
        HttpResponse::Ok()
            .content_type("application/json")
            .body(json)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The Flowise plugin is generated from `flowise-plugin/registry.json`; this fails when the
    /// registry changed and the dump (and so the generated nodes) did not follow. Update with
    /// `VOXFLOW_UPDATE_REGISTRY=1 cargo test -p voxflow flowise_plugin`, then
    /// `node flowise-plugin/scripts/generate.mjs`.
    #[test]
    fn flowise_plugin_registry_is_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("flowise-plugin/registry.json");
        let current = Catalog::new(&voxflow_nodes::Registry::new())
            .pretty_json()
            .unwrap()
            + "\n";
        if std::env::var_os("VOXFLOW_UPDATE_REGISTRY").is_some() {
            std::fs::write(&path, &current).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == current,
            "flowise-plugin/registry.json is out of date with the node registry: run \
             `VOXFLOW_UPDATE_REGISTRY=1 cargo test -p voxflow flowise_plugin` and \
             `node flowise-plugin/scripts/generate.mjs`, then commit both"
        );
    }

    /// The generated plugin sources match `registry.json` (the generator has no dependencies,
    /// so any Node.js runs it; every machine image here has one).
    #[test]
    fn flowise_plugin_generated_code_is_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let node = std::env::var("VOXFLOW_NODE").unwrap_or_else(|_| "node".into());
        let out = std::process::Command::new(&node)
            .arg(root.join("flowise-plugin/scripts/generate.mjs"))
            .arg("--check")
            .output()
            .unwrap_or_else(|e| panic!("cannot run `{node}` (Node.js, set VOXFLOW_NODE): {e}"));
        assert!(
            out.status.success(),
            "generated Flowise nodes drifted from flowise-plugin/registry.json:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
