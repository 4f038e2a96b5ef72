// Import and export of Flowise `flowData`, limited to what round-trips through Voxflow's own
// parser (src/engine/graph.rs `parse`): a node's kind in `data.name` (`whisper.transcribe`,
// or `voxflow_whisper.transcribe`), its params as the literal values of `data.inputs`
// (`{{node.data.instance}}` references and empty strings are not params; `preset` is the
// node's preset), and edge handles `<node>-output-<port>-<type>` / `<node>-input-<port>-<type>`.
// Import also accepts the Flowise plugin's node names (`voxflowWhisperTranscribe`), matched
// against the kinds this server lists. Anything else of Flowise (credentials, chat settings,
// agentflow nodes) is not a Voxflow graph and is refused with a reason.
import type { FlowJson, NodeManifest } from './graph'

type FlowiseAnchor = { id: string; name: string; label: string; type: string }
export type FlowiseNode = {
  id: string
  type: 'customNode'
  position: { x: number; y: number }
  positionAbsolute?: { x: number; y: number }
  width?: number
  height?: number
  data: {
    id: string
    label: string
    name: string
    type: string
    category: string
    baseClasses: string[]
    inputs: Record<string, unknown>
    inputAnchors: FlowiseAnchor[]
    inputParams: unknown[]
    outputAnchors: FlowiseAnchor[]
    outputs: Record<string, unknown>
    selected?: boolean
  }
}
export type FlowData = {
  nodes: FlowiseNode[]
  edges: Array<{ id: string; source: string; sourceHandle: string; target: string; targetHandle: string; type?: string }>
  viewport?: { x: number; y: number; zoom: number }
}

const NO_PRESET = new Set(['none', '__voxflow_unavailable__', ''])

export function toFlowData(flow: FlowJson, manifests: Map<string, NodeManifest>): FlowData {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]))
  const portOf = (nodeId: string, port: string, side: 'inputs' | 'outputs') =>
    manifests.get(byId.get(nodeId)?.type ?? '')?.[side].find((p) => p.name === port)?.port_type ?? 'any'
  const nodes: FlowiseNode[] = flow.nodes.map((n) => {
    const m = manifests.get(n.type)
    const inputs: Record<string, unknown> = { ...n.data.params }
    for (const p of m?.inputs ?? []) {
      const e = flow.edges.find((x) => x.target === n.id && x.targetHandle === p.name)
      inputs[p.name] = e ? `{{${e.source}.data.instance}}` : ''
    }
    if (n.data.preset) inputs.preset = n.data.preset
    const position = n.position ?? { x: 0, y: 0 }
    return {
      id: n.id,
      type: 'customNode',
      position,
      positionAbsolute: position,
      data: {
        id: n.id,
        label: m?.label ?? n.type,
        name: n.type,
        type: m?.label ?? n.type,
        category: m?.category ?? 'Voxflow',
        baseClasses: [...new Set((m?.outputs ?? []).map((p) => p.port_type))],
        inputs,
        inputAnchors: (m?.inputs ?? []).map((p) => ({ id: `${n.id}-input-${p.name}-${p.port_type}`, name: p.name, label: p.name, type: p.port_type })),
        inputParams: [],
        outputAnchors: (m?.outputs ?? []).map((p) => ({ id: `${n.id}-output-${p.name}-${p.port_type}`, name: p.name, label: p.name, type: p.port_type })),
        outputs: {}
      }
    }
  })
  const edges = flow.edges.map((e) => {
    const sourceHandle = `${e.source}-output-${e.sourceHandle}-${portOf(e.source, e.sourceHandle, 'outputs')}`
    const targetHandle = `${e.target}-input-${e.targetHandle}-${portOf(e.target, e.targetHandle, 'inputs')}`
    return { id: `${e.source}-${sourceHandle}-${e.target}-${targetHandle}`, source: e.source, sourceHandle, target: e.target, targetHandle, type: 'buttonedge' }
  })
  return { nodes, edges, viewport: { x: 0, y: 0, zoom: 1 } }
}

/** `w1-output-transcript-transcript` → `transcript`; a plain handle is the port name. */
export function handlePort(handle: string, marker: '-output-' | '-input-'): string {
  const at = handle.indexOf(marker)
  if (at < 0) return handle
  return handle.slice(at + marker.length).split('-')[0]
}

/** `voxflowWhisperTranscribe` (the plugin's class-style name) → `whisper.transcribe`. */
function kindOf(name: string, manifests: Map<string, NodeManifest>): string | undefined {
  const stripped = name.startsWith('voxflow_') ? name.slice('voxflow_'.length) : name
  if (stripped.includes('.')) return stripped
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')
  const wanted = squash(stripped).replace(/^voxflow/, '')
  for (const kind of manifests.keys()) if (squash(kind) === wanted) return kind
  return undefined
}

export function fromFlowData(input: string | unknown, manifests: Map<string, NodeManifest>): FlowJson {
  const value = typeof input === 'string' ? JSON.parse(input) : input
  const flow = (value as { flowData?: unknown }).flowData !== undefined ? (typeof (value as { flowData: unknown }).flowData === 'string' ? JSON.parse((value as { flowData: string }).flowData) : (value as { flowData: unknown }).flowData) : value
  const nodes = (flow as FlowData).nodes
  if (!Array.isArray(nodes)) throw new Error('not Flowise flowData: no `nodes` array')
  const out: FlowJson = { nodes: [], edges: [] }
  for (const n of nodes) {
    const name = n?.data?.name
    const kind = typeof name === 'string' ? kindOf(name, manifests) : undefined
    if (!kind) throw new Error(`node ${n?.id ?? '?'} (${name ?? 'no name'}) is not a Voxflow node`)
    const ports = new Set((manifests.get(kind)?.inputs ?? []).map((p) => p.name))
    const params: Record<string, unknown> = {}
    let preset: string | undefined
    for (const [k, v] of Object.entries(n.data.inputs ?? {})) {
      if (k === 'preset') { if (typeof v === 'string' && !NO_PRESET.has(v.trim())) preset = v.trim(); continue }
      if (v === null || v === '' || (typeof v === 'string' && v.startsWith('{{'))) continue
      if (ports.has(k) && (Array.isArray(v) || typeof v === 'string')) continue // an anchor's value
      params[k] = v
    }
    out.nodes.push({ id: n.id, type: kind, position: n.position ? { x: n.position.x, y: n.position.y } : undefined, data: preset ? { params, preset } : { params } })
  }
  for (const [i, e] of ((flow as FlowData).edges ?? []).entries()) {
    const sourceHandle = handlePort(e.sourceHandle ?? '', '-output-')
    const targetHandle = handlePort(e.targetHandle ?? '', '-input-')
    out.edges.push({ id: `e${i + 1}`, source: e.source, sourceHandle, target: e.target, targetHandle })
  }
  return out
}
