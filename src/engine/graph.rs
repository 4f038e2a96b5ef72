//! Workflow graphs: parsing React Flow JSON and Flowise `flowData` into one form, and
//! validating it against the node registry.
//!
//! Validation reports every problem at once, each pointing at a node id or edge id and a
//! field: unknown kinds, invalid params (checked by the node itself), unknown ports,
//! incompatible port types, two producers for one input, required inputs left unconnected,
//! and cycles. A valid graph yields its topological order and the inputs a job must supply.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use utoipa::ToSchema;
use voxflow_nodes::{NodeManifest, PortType, Registry};

/// A graph in Voxflow's normal form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GraphNode {
    pub id: String,
    /// Node kind, e.g. `whisper.transcribe`.
    pub kind: String,
    /// With `preset`: overrides, key by key, of the preset's params.
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// A node preset (`/v1/presets`) of this kind whose params apply under `params`. Kept in
    /// saved workflows (resolved when a job is submitted); absent from a job's pinned graph
    /// and from template versions, which hold the merged params.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GraphEdge {
    pub id: String,
    pub source: String,
    pub source_port: String,
    pub target: String,
    pub target_port: String,
}

/// One problem, located by JSON-pointer-like `field` (`nodes/<id>/params/beam_size`,
/// `edges/<id>/targetHandle`, …).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GraphProblem {
    pub field: String,
    pub message: String,
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> GraphProblem {
    GraphProblem {
        field: field.into(),
        message: message.into(),
    }
}

/// A job input the graph needs: an unconnected `file` input port.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GraphInput {
    pub node_id: String,
    pub port: String,
}

/// What a valid graph means for a job.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Plan {
    /// Node ids in an order where every node comes after its producers.
    pub order: Vec<String>,
    /// Inputs the job must supply (file ids or URLs).
    pub inputs: Vec<GraphInput>,
    /// Nodes that compute word timestamps whatever their params say, because a node
    /// downstream of their transcript needs them (a subtitle export; see
    /// `Node::needs_word_timing`). Internal: the engine's, not the API's.
    #[serde(skip)]
    pub word_timing: BTreeSet<String>,
}

// ---------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------

/// How large a graph may be (`max_graph_nodes`, `max_graph_edges`, `max_node_params_bytes`).
/// Checked before anything else looks at the graph, so validation's work stays small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphLimits {
    pub max_nodes: usize,
    pub max_edges: usize,
    /// Bytes of one node's params, as compact JSON.
    pub max_params_bytes: usize,
}

impl Default for GraphLimits {
    fn default() -> Self {
        Self {
            max_nodes: 200,
            max_edges: 400,
            max_params_bytes: 64 * 1024,
        }
    }
}

impl GraphLimits {
    pub fn of(settings: &crate::config::Settings) -> Self {
        Self {
            max_nodes: settings.max_graph_nodes,
            max_edges: settings.max_graph_edges,
            max_params_bytes: settings.max_node_params_bytes,
        }
    }

    fn counts(&self, nodes: usize, edges: usize) -> Vec<GraphProblem> {
        let mut problems = Vec::new();
        if nodes > self.max_nodes {
            problems.push(problem(
                "nodes",
                format!("{nodes} nodes; a graph may have at most {}", self.max_nodes),
            ));
        }
        if edges > self.max_edges {
            problems.push(problem(
                "edges",
                format!("{edges} edges; a graph may have at most {}", self.max_edges),
            ));
        }
        problems
    }

    /// Checks a graph in normal form (e.g. a saved version) against the limits.
    pub fn check(&self, graph: &Graph) -> Result<(), Vec<GraphProblem>> {
        let mut problems = self.counts(graph.nodes.len(), graph.edges.len());
        if problems.is_empty() {
            for n in &graph.nodes {
                let size = serde_json::to_vec(&n.params).map_or(usize::MAX, |v| v.len());
                if size > self.max_params_bytes {
                    problems.push(problem(
                        format!("nodes/{}/params", n.id),
                        format!(
                            "params of {size} bytes; a node's params may have at most {}",
                            self.max_params_bytes
                        ),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// [`parse`] within `limits`: the node and edge counts are checked on the document before
/// it is parsed, each node's params once it is.
pub fn parse_within(
    value: &serde_json::Value,
    limits: &GraphLimits,
) -> Result<Graph, Vec<GraphProblem>> {
    let decoded;
    let value = match value {
        serde_json::Value::String(s) => {
            decoded = serde_json::from_str::<serde_json::Value>(s)
                .map_err(|e| vec![problem("graph", format!("flowData is not JSON: {e}"))])?;
            &decoded
        }
        other => other,
    };
    let len = |k: &str| value.get(k).and_then(|v| v.as_array()).map_or(0, Vec::len);
    let problems = limits.counts(len("nodes"), len("edges"));
    if !problems.is_empty() {
        return Err(problems);
    }
    let graph = parse(value)?;
    limits.check(&graph)?;
    Ok(graph)
}

// ---------------------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------------------

/// What pinning needs of a node preset.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetParams {
    pub kind: String,
    /// A JSON object.
    pub params: serde_json::Value,
}

/// The distinct preset ids a graph names, in node order.
pub fn preset_ids(graph: &Graph) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in graph.nodes.iter().filter_map(|n| n.preset.as_ref()) {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    ids
}

/// Pins a graph's presets: a node naming a preset gets the preset's params with its own
/// `params` laid over them key by key (an override replaces the preset's value, whatever it
/// is), and no longer names the preset. `presets` holds only the presets the caller may use,
/// so any other id — another tenant's preset included — is reported the same way as one that
/// does not exist. Returns the pinned graph and the problems, each at `nodes/<id>/preset` (or
/// `/params`); a node whose preset is refused keeps its own params, so [`validate`] can still
/// report everything else at once.
pub fn pin_presets(
    graph: &Graph,
    presets: &HashMap<String, PresetParams>,
) -> (Graph, Vec<GraphProblem>) {
    let mut problems = Vec::new();
    let mut pinned = graph.clone();
    for n in &mut pinned.nodes {
        let Some(id) = n.preset.take() else {
            continue;
        };
        let Some(preset) = presets.get(&id) else {
            problems.push(problem(
                format!("nodes/{}/preset", n.id),
                format!("no node preset `{id}` is offered to you"),
            ));
            continue;
        };
        if preset.kind != n.kind {
            problems.push(problem(
                format!("nodes/{}/preset", n.id),
                format!(
                    "preset `{id}` is for `{}` nodes, not `{}`",
                    preset.kind, n.kind
                ),
            ));
            continue;
        }
        let overrides = match &n.params {
            serde_json::Value::Null => serde_json::Map::new(),
            serde_json::Value::Object(m) => m.clone(),
            _ => {
                problems.push(problem(
                    format!("nodes/{}/params", n.id),
                    "must be an object (of overrides of the preset's params)",
                ));
                continue;
            }
        };
        let mut merged = preset.params.as_object().cloned().unwrap_or_default();
        merged.extend(overrides);
        n.params = serde_json::Value::Object(merged);
    }
    (pinned, problems)
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

/// Accepts Voxflow's normal form, React Flow JSON (`nodes[].type` + `data.params`,
/// `edges[].sourceHandle/targetHandle`) and Flowise `flowData` (`nodes[].data.name` +
/// `data.inputs`, handles like `<node>-output-<port>-<type>`). `flowData` may be a JSON
/// string, as Flowise stores it.
pub fn parse(value: &serde_json::Value) -> Result<Graph, Vec<GraphProblem>> {
    let value = match value {
        serde_json::Value::String(s) => serde_json::from_str(s)
            .map_err(|e| vec![problem("graph", format!("flowData is not JSON: {e}"))])?,
        other => other.clone(),
    };
    let mut problems = Vec::new();
    let nodes_json = value.get("nodes").and_then(|n| n.as_array());
    let edges_json = value.get("edges").map(|e| e.as_array());
    let Some(nodes_json) = nodes_json else {
        return Err(vec![problem("nodes", "must be an array of nodes")]);
    };
    let edges_json = match edges_json {
        None => &Vec::new(),
        Some(Some(e)) => e,
        Some(None) => return Err(vec![problem("edges", "must be an array of edges")]),
    };
    let mut nodes = Vec::new();
    for (i, n) in nodes_json.iter().enumerate() {
        let Some(id) = n
            .get("id")
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
        else {
            problems.push(problem(
                format!("nodes/{i}/id"),
                "every node needs a non-empty string id",
            ));
            continue;
        };
        let data = n.get("data");
        let kind = n
            .get("kind")
            .or_else(|| n.get("type"))
            .and_then(|v| v.as_str())
            .filter(|t| t.contains('.'))
            .or_else(|| data.and_then(|d| d.get("kind")).and_then(|v| v.as_str()))
            .or_else(|| {
                data.and_then(|d| d.get("name"))
                    .and_then(|v| v.as_str())
                    .map(flowise_kind)
            });
        let Some(kind) = kind else {
            problems.push(problem(
                format!("nodes/{id}/type"),
                "missing the node kind (`type` in React Flow, `data.name` in Flowise)",
            ));
            continue;
        };
        let params = n
            .get("params")
            .or_else(|| data.and_then(|d| d.get("params")))
            .or_else(|| {
                data.and_then(|d| d.get("inputs"))
                    .map(|_| &serde_json::Value::Null)
            })
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        let params = match (params, data.and_then(|d| d.get("inputs"))) {
            (serde_json::Value::Null, Some(inputs)) => flowise_params(inputs),
            (serde_json::Value::Null, None) => serde_json::json!({}),
            (p, _) => p,
        };
        // `preset`: on the node (normal form), in `data` (React Flow) or among Flowise's
        // `data.inputs` (where the plugin's dropdown stores `none` or a load-failure
        // placeholder for "no preset"); empty means none.
        let preset = n
            .get("preset")
            .or_else(|| data.and_then(|d| d.get("preset")))
            .or_else(|| {
                data.and_then(|d| d.get("inputs"))
                    .and_then(|i| i.get("preset"))
                    .filter(|v| !matches!(v.as_str(), Some("none" | "__voxflow_unavailable__")))
            });
        let preset = match preset {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
            Some(serde_json::Value::String(s)) => Some(s.trim().to_string()),
            Some(_) => {
                problems.push(problem(
                    format!("nodes/{id}/preset"),
                    "must be the id of a node preset (a string)",
                ));
                None
            }
        };
        nodes.push(GraphNode {
            id: id.to_string(),
            kind: kind.to_string(),
            params,
            preset,
        });
    }
    let mut edges = Vec::new();
    for (i, e) in edges_json.iter().enumerate() {
        let id = e
            .get("id")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{i}"));
        let text = |k: &str| e.get(k).and_then(|v| v.as_str()).filter(|s| !s.is_empty());
        let (Some(source), Some(target)) = (text("source"), text("target")) else {
            problems.push(problem(
                format!("edges/{id}"),
                "needs `source` and `target` node ids",
            ));
            continue;
        };
        let source_port = text("source_port")
            .or_else(|| text("sourceHandle"))
            .map(|h| handle_port(h, "-output-"));
        let target_port = text("target_port")
            .or_else(|| text("targetHandle"))
            .map(|h| handle_port(h, "-input-"));
        edges.push(GraphEdge {
            id,
            source: source.to_string(),
            source_port: source_port.unwrap_or_default(),
            target: target.to_string(),
            target_port: target_port.unwrap_or_default(),
        });
    }
    if problems.is_empty() {
        Ok(Graph { nodes, edges })
    } else {
        Err(problems)
    }
}

/// Flowise node names for Voxflow kinds: `voxflow_whisper_transcribe` → `whisper.transcribe`.
fn flowise_kind(name: &str) -> &str {
    name.strip_prefix("voxflow_").unwrap_or(name)
}

/// Flowise keeps params in `data.inputs`, next to references to upstream nodes
/// (`{{node.data.instance}}`); only literal values are params.
fn flowise_params(inputs: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let Some(map) = inputs.as_object() {
        for (k, v) in map {
            let is_reference = v.as_str().is_some_and(|s| s.starts_with("{{"));
            let is_empty = v.is_null() || v.as_str().is_some_and(str::is_empty);
            // The node's preset is not a param (see `parse`).
            if !is_reference && !is_empty && k != "preset" {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::Value::Object(out)
}

/// `"w1-output-transcript-transcript"` → `"transcript"`; a plain handle is the port name.
fn handle_port(handle: &str, marker: &str) -> String {
    match handle.split_once(marker) {
        Some((_, rest)) => rest.split('-').next().unwrap_or(rest).to_string(),
        None => handle.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

/// Can an output of type `from` feed an input of type `to`? Same type, or a file into an
/// audio input (the node decodes it).
pub fn compatible(from: PortType, to: PortType) -> bool {
    from == to || (from == PortType::File && to == PortType::Audio)
}

/// Validates `graph` against `registry`; all problems at once.
pub fn validate(graph: &Graph, registry: &Registry) -> Result<Plan, Vec<GraphProblem>> {
    let mut problems = Vec::new();
    if graph.nodes.is_empty() {
        problems.push(problem("nodes", "a graph needs at least one node"));
    }
    let mut manifests: HashMap<&str, NodeManifest> = HashMap::new();
    let mut seen = BTreeSet::new();
    for n in &graph.nodes {
        if !seen.insert(n.id.as_str()) {
            problems.push(problem(
                format!("nodes/{}/id", n.id),
                format!("node id `{}` is used twice", n.id),
            ));
            continue;
        }
        let Some(node) = registry.get(&n.kind) else {
            problems.push(problem(
                format!("nodes/{}/type", n.id),
                format!(
                    "unknown node kind `{}` (known: {})",
                    n.kind,
                    registry.kinds().join(", ")
                ),
            ));
            continue;
        };
        if let Err(e) = node.validate_params(&n.params) {
            problems.push(problem(format!("nodes/{}/params", n.id), e.message));
        }
        manifests.insert(n.id.as_str(), node.manifest());
    }

    let mut producers: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut graph_edges: Vec<(&str, &str)> = Vec::new();
    let mut transcript_edges: Vec<(&str, &str)> = Vec::new();
    for e in &graph.edges {
        let at = |f: &str| format!("edges/{}/{f}", e.id);
        let source = manifests.get(e.source.as_str());
        let target = manifests.get(e.target.as_str());
        if !seen.contains(e.source.as_str()) {
            problems.push(problem(at("source"), format!("no node `{}`", e.source)));
        }
        if !seen.contains(e.target.as_str()) {
            problems.push(problem(at("target"), format!("no node `{}`", e.target)));
        }
        let (Some(source), Some(target)) = (source, target) else {
            continue;
        };
        let out = source.outputs.iter().find(|p| p.name == e.source_port);
        let inp = target.inputs.iter().find(|p| p.name == e.target_port);
        if out.is_none() {
            let names: Vec<&str> = source.outputs.iter().map(|p| p.name.as_str()).collect();
            problems.push(problem(
                at("sourceHandle"),
                format!(
                    "`{}` ({}) has no output `{}` (outputs: {})",
                    e.source,
                    source.kind,
                    e.source_port,
                    names.join(", ")
                ),
            ));
        }
        if inp.is_none() {
            let names: Vec<&str> = target.inputs.iter().map(|p| p.name.as_str()).collect();
            problems.push(problem(
                at("targetHandle"),
                format!(
                    "`{}` ({}) has no input `{}` (inputs: {})",
                    e.target,
                    target.kind,
                    e.target_port,
                    names.join(", ")
                ),
            ));
        }
        let (Some(out), Some(inp)) = (out, inp) else {
            continue;
        };
        if !compatible(out.port_type, inp.port_type) {
            problems.push(problem(
                at("targetHandle"),
                format!(
                    "cannot connect `{}.{}` ({:?}) to `{}.{}` ({:?})",
                    e.source, out.name, out.port_type, e.target, inp.name, inp.port_type
                ),
            ));
        }
        if let Some(first) =
            producers.insert((e.target.as_str(), e.target_port.as_str()), e.id.as_str())
        {
            problems.push(problem(
                at("targetHandle"),
                format!(
                    "input `{}.{}` already has a producer (edge `{first}`)",
                    e.target, e.target_port
                ),
            ));
        }
        graph_edges.push((e.source.as_str(), e.target.as_str()));
        if out.port_type == PortType::Transcript {
            transcript_edges.push((e.source.as_str(), e.target.as_str()));
        }
    }

    let mut inputs = Vec::new();
    for n in &graph.nodes {
        let Some(m) = manifests.get(n.id.as_str()) else {
            continue;
        };
        for p in m.inputs.iter().filter(|p| p.required) {
            if producers.contains_key(&(n.id.as_str(), p.name.as_str())) {
                continue;
            }
            if p.port_type == PortType::File {
                inputs.push(GraphInput {
                    node_id: n.id.clone(),
                    port: p.name.clone(),
                });
            } else {
                problems.push(problem(
                    format!("nodes/{}/inputs/{}", n.id, p.name),
                    format!(
                        "required input `{}` of `{}` ({}) is not connected",
                        p.name, n.id, m.kind
                    ),
                ));
            }
        }
    }

    let order = topological_order(&graph.nodes, &graph_edges);
    if order.len() < seen.len() {
        let in_order: BTreeSet<&str> = order.iter().map(String::as_str).collect();
        let cyclic: Vec<&str> = seen
            .iter()
            .copied()
            .filter(|id| !in_order.contains(id))
            .collect();
        problems.push(problem(
            "edges",
            format!("the graph has a cycle through: {}", cyclic.join(", ")),
        ));
    }
    if problems.is_empty() {
        let needers = graph.nodes.iter().filter(|n| {
            registry
                .get(&n.kind)
                .is_some_and(|node| node.needs_word_timing(&n.params))
        });
        let word_timing = upstream_of(needers.map(|n| n.id.as_str()), &transcript_edges);
        Ok(Plan {
            order,
            inputs,
            word_timing,
        })
    } else {
        Err(problems)
    }
}

/// The nodes from which `edges` lead to any of `targets` (the targets not included unless
/// they are upstream of another).
fn upstream_of<'a>(
    targets: impl Iterator<Item = &'a str>,
    edges: &[(&'a str, &'a str)],
) -> BTreeSet<String> {
    let mut todo: Vec<&str> = targets.collect();
    let mut found: BTreeSet<String> = BTreeSet::new();
    while let Some(t) = todo.pop() {
        for (s, _) in edges.iter().filter(|(_, to)| *to == t) {
            if found.insert(s.to_string()) {
                todo.push(s);
            }
        }
    }
    found
}

/// Kahn's algorithm, stable in node order. Nodes on a cycle are left out.
fn topological_order(nodes: &[GraphNode], edges: &[(&str, &str)]) -> Vec<String> {
    let mut indegree: BTreeMap<&str, usize> = BTreeMap::new();
    let position: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    for n in nodes {
        indegree.entry(n.id.as_str()).or_insert(0);
    }
    for (_, t) in edges {
        *indegree.entry(t).or_insert(0) += 1;
    }
    let mut ready: Vec<&str> = nodes
        .iter()
        .map(|n| n.id.as_str())
        .filter(|id| indegree[id] == 0)
        .collect();
    let mut order = Vec::new();
    while let Some(next) = ready.first().copied() {
        ready.remove(0);
        order.push(next.to_string());
        for (s, t) in edges {
            if *s == next {
                let d = indegree.get_mut(t).expect("counted");
                *d -= 1;
                if *d == 0 {
                    ready.push(t);
                    ready.sort_by_key(|id| position.get(id).copied().unwrap_or(usize::MAX));
                }
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn registry() -> Registry {
        Registry::new()
    }

    fn react_flow_pipeline() -> serde_json::Value {
        json!({
            "nodes": [
                {"id": "src", "type": "audio.decode", "data": {"params": {}}},
                {"id": "vad", "type": "vad.silero", "data": {"params": {"threshold": 0.5}}},
                {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"model": "tiny.en"}}},
                {"id": "srt", "type": "export.subtitles", "data": {"params": {"format": "srt"}}}
            ],
            "edges": [
                {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "vad", "targetHandle": "audio"},
                {"id": "e2", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
                {"id": "e3", "source": "vad", "sourceHandle": "speech_regions", "target": "asr", "targetHandle": "speech_regions"},
                {"id": "e4", "source": "asr", "sourceHandle": "transcript", "target": "srt", "targetHandle": "transcript"}
            ]
        })
    }

    #[test]
    fn a_vad_whisper_subtitles_pipeline_is_valid_and_ordered() {
        let g = parse(&react_flow_pipeline()).expect("parse");
        let plan = validate(&g, &registry()).expect("valid");
        assert_eq!(plan.order, vec!["src", "vad", "asr", "srt"]);
        assert_eq!(
            plan.inputs,
            vec![GraphInput {
                node_id: "src".into(),
                port: "file".into()
            }]
        );
    }

    #[test]
    fn transcribers_feeding_a_subtitle_export_compute_word_timing() {
        let g = parse(&react_flow_pipeline()).expect("parse");
        let plan = validate(&g, &registry()).expect("valid");
        assert_eq!(plan.word_timing, BTreeSet::from(["asr".to_string()]));

        // Through the speaker labelling, both transcribing steps; not for a TXT export.
        let g = parse(&json!({
            "nodes": [
                {"id": "src", "type": "audio.decode"},
                {"id": "asr", "type": "whisper.transcribe"},
                {"id": "who", "type": "diarize.pyannote"},
                {"id": "lab", "type": "transcript.assign_speakers"},
                {"id": "vtt", "type": "export.subtitles", "data": {"params": {"format": "vtt"}}},
                {"id": "txt", "type": "export.subtitles", "data": {"params": {"format": "txt"}}},
                {"id": "asr2", "type": "whisper.transcribe"},
                {"id": "txt2", "type": "export.subtitles", "data": {"params": {"format": "txt"}}}
            ],
            "edges": [
                {"id": "a", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
                {"id": "b", "source": "src", "sourceHandle": "audio", "target": "who", "targetHandle": "audio"},
                {"id": "c", "source": "asr", "sourceHandle": "transcript", "target": "lab", "targetHandle": "transcript"},
                {"id": "d", "source": "who", "sourceHandle": "speaker_turns", "target": "lab", "targetHandle": "speaker_turns"},
                {"id": "e", "source": "lab", "sourceHandle": "transcript", "target": "vtt", "targetHandle": "transcript"},
                {"id": "f", "source": "lab", "sourceHandle": "transcript", "target": "txt", "targetHandle": "transcript"},
                {"id": "g", "source": "src", "sourceHandle": "audio", "target": "asr2", "targetHandle": "audio"},
                {"id": "h", "source": "asr2", "sourceHandle": "transcript", "target": "txt2", "targetHandle": "transcript"}
            ]
        }))
        .expect("parse");
        let plan = validate(&g, &registry()).expect("valid");
        assert_eq!(
            plan.word_timing,
            BTreeSet::from(["asr".to_string(), "lab".to_string()])
        );
    }

    #[test]
    fn flowise_flow_data_parses_to_the_same_graph() {
        let flow = json!({
            "nodes": [
                {"id": "src", "data": {"name": "voxflow_audio.decode", "inputs": {}}},
                {"id": "asr", "data": {"name": "whisper.transcribe", "inputs": {"model": "tiny.en", "audio": "{{src.data.instance}}", "language": ""}}}
            ],
            "edges": [{"id": "e", "source": "src", "sourceHandle": "src-output-audio-audio", "target": "asr", "targetHandle": "asr-input-audio-audio"}]
        });
        let g = parse(&serde_json::Value::String(flow.to_string())).expect("parse");
        assert_eq!(g.nodes[1].params, json!({"model": "tiny.en"}));
        assert_eq!(g.edges[0].source_port, "audio");
        assert_eq!(g.edges[0].target_port, "audio");
        validate(&g, &registry()).expect("valid");
    }

    #[test]
    fn every_problem_is_reported_with_its_location() {
        let g = parse(&json!({
            "nodes": [
                {"id": "a", "type": "audio.decode"},
                {"id": "w", "type": "whisper.transcribe", "data": {"params": {"beam_size": 99}}},
                {"id": "x", "type": "no.such"},
                {"id": "s", "type": "export.subtitles"}
            ],
            "edges": [
                {"id": "e1", "source": "a", "sourceHandle": "audio", "target": "s", "targetHandle": "transcript"},
                {"id": "e2", "source": "a", "sourceHandle": "nope", "target": "w", "targetHandle": "audio"},
                {"id": "e3", "source": "ghost", "sourceHandle": "audio", "target": "w", "targetHandle": "audio"}
            ]
        }))
        .expect("parse");
        let problems = validate(&g, &registry()).expect_err("invalid");
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for f in [
            "nodes/w/params",
            "nodes/x/type",
            "edges/e1/targetHandle",
            "edges/e2/sourceHandle",
            "edges/e3/source",
            "nodes/w/inputs/audio",
        ] {
            assert!(fields.contains(&f), "{f} missing in {problems:#?}");
        }
        assert!(problems.iter().any(|p| p.message.contains("beam_size")));
    }

    #[test]
    fn cycles_and_double_producers_are_refused() {
        let g = parse(&json!({
            "nodes": [
                {"id": "s1", "type": "export.subtitles"},
                {"id": "w", "type": "whisper.transcribe"},
                {"id": "a", "type": "audio.decode"},
                {"id": "b", "type": "audio.decode"}
            ],
            "edges": [
                {"id": "e1", "source": "a", "sourceHandle": "audio", "target": "w", "targetHandle": "audio"},
                {"id": "e2", "source": "b", "sourceHandle": "audio", "target": "w", "targetHandle": "audio"}
            ]
        }))
        .expect("parse");
        let problems = validate(&g, &registry()).expect_err("invalid");
        assert!(problems
            .iter()
            .any(|p| p.field == "edges/e2/targetHandle"
                && p.message.contains("already has a producer")));
        assert!(problems
            .iter()
            .any(|p| p.field == "nodes/s1/inputs/transcript"));

        // A cycle between two nodes whose ports match: vad ↔ … is impossible with real
        // ports, so use two export nodes' file output into decode's file input and back.
        let cyclic = Graph {
            nodes: vec![
                GraphNode {
                    id: "d".into(),
                    kind: "audio.decode".into(),
                    params: json!({}),
                    preset: None,
                },
                GraphNode {
                    id: "w".into(),
                    kind: "whisper.transcribe".into(),
                    params: json!({}),
                    preset: None,
                },
                GraphNode {
                    id: "x".into(),
                    kind: "export.subtitles".into(),
                    params: json!({}),
                    preset: None,
                },
            ],
            edges: vec![
                GraphEdge {
                    id: "1".into(),
                    source: "d".into(),
                    source_port: "audio".into(),
                    target: "w".into(),
                    target_port: "audio".into(),
                },
                GraphEdge {
                    id: "2".into(),
                    source: "w".into(),
                    source_port: "transcript".into(),
                    target: "x".into(),
                    target_port: "transcript".into(),
                },
                GraphEdge {
                    id: "3".into(),
                    source: "x".into(),
                    source_port: "file".into(),
                    target: "d".into(),
                    target_port: "file".into(),
                },
            ],
        };
        let problems = validate(&cyclic, &registry()).expect_err("cycle");
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("cycle") && p.message.contains('d')),
            "{problems:#?}"
        );
    }

    #[test]
    fn graphs_over_the_limits_are_refused_before_parsing() {
        let limits = GraphLimits {
            max_nodes: 3,
            max_edges: 2,
            max_params_bytes: 32,
        };
        let nodes: Vec<_> = (0..4)
            .map(|i| json!({"id": format!("n{i}"), "type": "audio.decode"}))
            .collect();
        let p = parse_within(&json!({"nodes": nodes, "edges": []}), &limits).expect_err("nodes");
        assert_eq!(p[0].field, "nodes");
        let edges: Vec<_> = (0..3).map(|i| json!({"id": i})).collect();
        let p = parse_within(
            &serde_json::Value::String(json!({"nodes": [], "edges": edges}).to_string()),
            &limits,
        )
        .expect_err("edges");
        assert_eq!(p[0].field, "edges");
        let p = parse_within(
            &json!({"nodes": [{"id": "a", "type": "audio.decode", "params": {"x": "y".repeat(40)}}]}),
            &limits,
        )
        .expect_err("params");
        assert_eq!(p[0].field, "nodes/a/params");
        parse_within(&react_flow_pipeline(), &GraphLimits::default()).expect("within");
    }

    #[test]
    fn presets_are_read_from_every_form_and_not_taken_for_params() {
        let g = parse(&json!({
            "nodes": [
                {"id": "a", "kind": "whisper.transcribe", "params": {}, "preset": "p1"},
                {"id": "b", "type": "whisper.transcribe", "data": {"params": {"language": "de"}, "preset": "p2"}},
                {"id": "c", "data": {"name": "whisper.transcribe", "inputs": {"preset": "p3", "model": "tiny.en"}}},
                {"id": "d", "type": "whisper.transcribe", "data": {"params": {}, "preset": ""}},
                {"id": "e", "data": {"name": "whisper.transcribe", "inputs": {"preset": "none"}}}
            ],
            "edges": []
        }))
        .expect("parse");
        let presets: Vec<Option<&str>> = g.nodes.iter().map(|n| n.preset.as_deref()).collect();
        assert_eq!(
            presets,
            vec![Some("p1"), Some("p2"), Some("p3"), None, None]
        );
        assert_eq!(g.nodes[2].params, json!({"model": "tiny.en"}));
        assert_eq!(preset_ids(&g), vec!["p1", "p2", "p3"]);
        // The normal form keeps the reference and round-trips; without one it is absent.
        let text = serde_json::to_string(&g).expect("json");
        assert_eq!(serde_json::from_str::<Graph>(&text).expect("back"), g);
        assert!(!serde_json::to_value(&g.nodes[3])
            .expect("json")
            .as_object()
            .expect("obj")
            .contains_key("preset"));
        let p = parse(&json!({"nodes": [{"id": "x", "type": "audio.decode", "preset": 7}]}))
            .expect_err("bad");
        assert_eq!(p[0].field, "nodes/x/preset");
    }

    #[test]
    fn pinning_lays_overrides_over_the_preset_and_pins_problems_to_the_node() {
        let g = parse(&json!({
            "nodes": [
                {"id": "src", "type": "audio.decode"},
                {"id": "asr", "type": "whisper.transcribe", "preset": "es", "data": {"params": {"model": "tiny"}}},
                {"id": "srt", "type": "export.subtitles", "preset": "es"},
                {"id": "vtt", "type": "export.subtitles", "preset": "gone"}
            ],
            "edges": [
                {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
                {"id": "e2", "source": "asr", "sourceHandle": "transcript", "target": "srt", "targetHandle": "transcript"},
                {"id": "e3", "source": "asr", "sourceHandle": "transcript", "target": "vtt", "targetHandle": "transcript"}
            ]
        }))
        .expect("parse");
        let presets = HashMap::from([(
            "es".to_string(),
            PresetParams {
                kind: "whisper.transcribe".into(),
                params: json!({"model": "base", "language": "es", "word_timestamps": true}),
            },
        )]);
        let (pinned, problems) = pin_presets(&g, &presets);
        assert_eq!(
            pinned.nodes[1].params,
            json!({"model": "tiny", "language": "es", "word_timestamps": true})
        );
        assert!(pinned.nodes.iter().all(|n| n.preset.is_none()));
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["nodes/srt/preset", "nodes/vtt/preset"]);
        assert!(problems[0].message.contains("whisper.transcribe"));
        assert!(problems[1].message.contains("gone"));
        // The merged params are what validation checks.
        let bad = HashMap::from([(
            "es".to_string(),
            PresetParams {
                kind: "whisper.transcribe".into(),
                params: json!({"beam_size": 99}),
            },
        )]);
        let mut one = g.clone();
        one.nodes.truncate(2);
        one.edges.truncate(1);
        let (pinned, problems) = pin_presets(&one, &bad);
        assert!(problems.is_empty());
        let p = validate(&pinned, &registry()).expect_err("beam_size out of range");
        assert_eq!(p[0].field, "nodes/asr/params");
        // Overrides must be an object.
        one.nodes[1].params = json!([1]);
        let (_, problems) = pin_presets(&one, &presets);
        assert_eq!(problems[0].field, "nodes/asr/params");
    }

    #[test]
    fn malformed_documents_are_refused() {
        assert!(parse(&json!({"edges": []})).is_err());
        assert!(parse(&json!({"nodes": [{"type": "audio.decode"}]})).is_err());
        assert!(parse(&json!("{not json")).is_err());
        assert!(validate(
            &Graph {
                nodes: vec![],
                edges: vec![]
            },
            &registry()
        )
        .is_err());
    }
}
