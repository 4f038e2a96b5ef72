// Graph ⇄ API conversion. The canvas holds React Flow nodes whose `data` carries the node's
// manifest and params; the API takes React Flow JSON (`type` = kind, `data.params`,
// `sourceHandle`/`targetHandle` = port names) and answers Voxflow's normal form (`kind`,
// `params`, `source_port`/`target_port`, no positions). Pure: no React, no fetch.
import type { Edge, Node } from '@xyflow/react'
import type { components } from '../../sdks/typescript/src/schema'

export type NodeManifest = components['schemas']['NodeManifestView']
export type ApiGraph = components['schemas']['Graph']

/** What a canvas node carries. `problems` and `run` are decorations added for display. */
export type SpeechNodeData = {
  manifest: NodeManifest
  params: Record<string, unknown>
  preset?: string | null
  problems?: string[]
  run?: { status: string; progress: number }
}
export type SpeechNode = Node<SpeechNodeData, 'speech'>

/** React Flow JSON as `POST /v1/graphs/validate`, `/v1/jobs` and `/v1/workflows` take it. */
export type FlowJson = {
  nodes: Array<{ id: string; type: string; position?: { x: number; y: number }; data: { params: Record<string, unknown>; preset?: string } }>
  edges: Array<{ id: string; source: string; sourceHandle: string; target: string; targetHandle: string }>
}

export function toFlowJson(nodes: Node[], edges: Edge[]): FlowJson {
  return {
    nodes: nodes.map((n) => {
      const d = n.data as SpeechNodeData
      const data: FlowJson['nodes'][number]['data'] = { params: d.params ?? {} }
      if (d.preset) data.preset = d.preset
      return { id: n.id, type: d.manifest.kind, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, data }
    }),
    edges: edges.map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? '', target: e.target, targetHandle: e.targetHandle ?? '' }))
  }
}

/** A manifest for a kind this server does not list (an old workflow, an import): shown, and
 *  refused by validation, rather than dropped. */
export function unknownManifest(kind: string): NodeManifest {
  return { kind, version: '0', label: kind, category: 'Unknown', description: 'Not in this server’s node registry', inputs: [], outputs: [], params_schema: {}, availability: { available: false, detail: `unknown node kind ${kind}` } }
}

type AnyNode = { id: string; kind?: string; type?: string; params?: Record<string, unknown>; preset?: string | null; position?: { x: number; y: number }; data?: { params?: Record<string, unknown>; preset?: string | null } }
type AnyEdge = { id?: string; source: string; target: string; source_port?: string; target_port?: string; sourceHandle?: string | null; targetHandle?: string | null }

/** Normal form or React Flow JSON → canvas nodes and edges. `positioned` is false when the
 *  graph had no positions (normal form), so the caller lays it out. */
export function fromGraph(graph: { nodes: AnyNode[]; edges: AnyEdge[] }, manifests: Map<string, NodeManifest>): { nodes: SpeechNode[]; edges: Edge[]; positioned: boolean } {
  let positioned = graph.nodes.length > 0
  const nodes: SpeechNode[] = graph.nodes.map((n, i) => {
    const kind = n.kind ?? n.type ?? ''
    if (!n.position) positioned = false
    const preset = n.preset ?? n.data?.preset ?? null
    return {
      id: n.id,
      type: 'speech',
      position: n.position ?? { x: 0, y: i * 120 },
      data: { manifest: manifests.get(kind) ?? unknownManifest(kind), params: { ...(n.params ?? n.data?.params ?? {}) }, ...(preset ? { preset } : {}) }
    }
  })
  const edges: Edge[] = graph.edges.map((e, i) => ({
    id: e.id ?? `e${i + 1}`,
    source: e.source,
    target: e.target,
    sourceHandle: e.source_port ?? e.sourceHandle ?? null,
    targetHandle: e.target_port ?? e.targetHandle ?? null
  }))
  return { nodes, edges, positioned }
}

/** Can an output of `from` feed an input of `to`? Mirrors the server's `graph::compatible`:
 *  the same type, or a file into an audio input (the node decodes it). */
export function compatible(from: string | undefined, to: string | undefined): boolean {
  if (!from || !to) return false
  return from === to || (from === 'file' && to === 'audio')
}

export function portType(nodes: Node[], nodeId: string, handle: string | null | undefined, side: 'inputs' | 'outputs'): string | undefined {
  const n = nodes.find((x) => x.id === nodeId)
  return (n?.data as SpeechNodeData | undefined)?.manifest[side].find((p) => p.name === handle)?.port_type
}

/** The job inputs the graph needs: every `file` input port with no edge into it. The job
 *  binds an uploaded file id (or a URL) to each such node id (`inputs: {node: file}`). */
export function fileInputs(nodes: Node[], edges: Edge[]): Array<{ node: string; port: string }> {
  const out: Array<{ node: string; port: string }> = []
  for (const n of nodes) {
    for (const p of (n.data as SpeechNodeData).manifest.inputs) {
      if (p.port_type !== 'file') continue
      if (!edges.some((e) => e.target === n.id && (e.targetHandle ?? '') === p.name)) out.push({ node: n.id, port: p.name })
    }
  }
  return out
}

/** A fresh node id for `kind`: its first segment and the smallest free number (`vad1`),
 *  never a dot (artifact names are `<node>.<port>.<ext>`). */
export function newNodeId(kind: string, taken: Iterable<string>): string {
  const base = (kind.split('.')[0] || 'node').replace(/[^A-Za-z0-9_-]/g, '_')
  const used = new Set(taken)
  for (let i = 1; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`
}

export function newEdgeId(source: string, sourceHandle: string | null | undefined, target: string, targetHandle: string | null | undefined): string {
  return `${source}.${sourceHandle ?? ''}-${target}.${targetHandle ?? ''}`
}

/** The structure that decides validity (not positions), as a stable string: validation
 *  runs only when it changes. */
export function structureKey(nodes: Node[], edges: Edge[]): string {
  return JSON.stringify([
    nodes.map((n) => [n.id, (n.data as SpeechNodeData).manifest.kind, (n.data as SpeechNodeData).params, (n.data as SpeechNodeData).preset ?? null]),
    edges.map((e) => [e.id, e.source, e.sourceHandle, e.target, e.targetHandle])
  ])
}

/** A validation problem pinned to the node or edge its `field` names (`nodes/<id>/…`,
 *  `edges/<id>/…`); `inputs/<node>` (a job's input) pins to that node. */
export type Pinned = { field: string; message: string; node?: string; edge?: string }
export function pin(field: string, message: string): Pinned {
  const [collection, id] = field.split('/')
  return { field, message, node: collection === 'nodes' || collection === 'inputs' ? id : undefined, edge: collection === 'edges' ? id : undefined }
}
