/**
 * Graph fragments: what one Voxflow chatflow node hands to the next.
 *
 * Every Voxflow node in a chatflow outputs a fragment: the part of a Voxflow graph (React Flow
 * JSON: nodes with `type` = node kind and `data.params`, edges with port-name handles) built so
 * far, plus which node/port produces each port type (`ports`). A downstream node merges the
 * fragments connected to it, wires its input ports to those producers, and adds itself. The Run
 * node submits the merged graph as one job. No Flowise types here: this is plain data.
 */

/** Voxflow port types (`PortType` in the nodes crate). */
export type PortType = 'audio' | 'speech_regions' | 'transcript' | 'speaker_turns' | 'text' | 'file' | string

export interface PortSpec {
    name: string
    port_type: PortType
    required: boolean
    description: string
}

/** One parameter, as the generator extracts it from a manifest's `params_schema`. */
export interface ParamSpec {
    name: string
    /** JSON Schema type(s) of the value. */
    type: string | string[]
    enum?: unknown[]
    default?: unknown
    minimum?: number
    maximum?: number
}

/** What a generated node knows about its Voxflow node kind (from the registry manifest). */
export interface NodeSpec {
    kind: string
    version: string
    label: string
    inputs: PortSpec[]
    outputs: PortSpec[]
    params: ParamSpec[]
}

export interface GraphNodeJson {
    id: string
    type: string
    position: { x: number; y: number }
    /** `preset`: a Voxflow node preset whose params apply under `params` (the overrides). */
    data: { params: Record<string, unknown>; preset?: string }
}

export interface GraphEdgeJson {
    id: string
    source: string
    sourceHandle: string
    target: string
    targetHandle: string
}

/** An audio file the chat uploaded, to be sent to Voxflow by the Run node (which has the
 *  credential) before the job is submitted. */
export interface PendingUpload {
    /** The Voxflow node whose job input it becomes. */
    nodeId: string
    name: string
    mime: string
    /** `stored-file`: Flowise's storage (`data` is the file name); `base64`: a data URI. */
    storage: 'stored-file' | 'base64'
    data: string
    chatflowId?: string
    chatId?: string
}

export interface Producer {
    node: string
    port: string
}

export interface GraphFragment {
    /** Marks the object so a wrong connection is caught with a clear message. */
    voxflowFragment: 1
    nodes: GraphNodeJson[]
    edges: GraphEdgeJson[]
    /** Job inputs: Voxflow node id → file id or http(s) URL. */
    inputs: Record<string, string>
    uploads: PendingUpload[]
    /** Latest producer of each port type in this fragment. */
    ports: Record<string, Producer>
}

/** A problem in what the user set up, shown to them as is. */
export class ConfigError extends Error {
    constructor(message: string) {
        super(message)
        this.name = 'ConfigError'
    }
}

/** The value a load method returns when it could not load options (see `flowise.ts`). */
export const PLACEHOLDER_VALUE = '__voxflow_unavailable__'

/** The preset dropdown's "no preset" choice. */
export const NO_PRESET = 'none'

/** The preset a node's `preset` input names, if any (empty, "none" and placeholders: none). */
export function presetOf(raw: Record<string, unknown>): string | undefined {
    const v = raw.preset
    if (typeof v !== 'string') return undefined
    const id = v.trim()
    return id && id !== NO_PRESET && id !== PLACEHOLDER_VALUE ? id : undefined
}

/**
 * With a preset, the params still at their manifest default are left out, so the preset's
 * values apply: Flowise fills every input with its default when a node is dropped on the
 * canvas, and sending those would override the whole preset. (To force a default value over a
 * preset, use a preset without that key, or another preset.)
 */
export function overridesOnly(specs: ParamSpec[], params: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(params)) {
        const spec = specs.find((p) => p.name === k)
        if (spec && spec.default !== undefined && JSON.stringify(spec.default) === JSON.stringify(v)) continue
        out[k] = v
    }
    return out
}

/** Flowise type name of a port type: `speech_regions` → `VoxflowSpeechRegions`. */
export function portClass(type: PortType): string {
    return 'Voxflow' + type.split(/[_.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')
}

export function isFragment(value: unknown): value is GraphFragment {
    return typeof value === 'object' && value !== null && (value as GraphFragment).voxflowFragment === 1
}

export function emptyFragment(): GraphFragment {
    return { voxflowFragment: 1, nodes: [], edges: [], inputs: {}, uploads: [], ports: {} }
}

/** Union of fragments (shared upstream nodes appear once); later fragments' producers win. */
export function mergeFragments(fragments: GraphFragment[]): GraphFragment {
    const out = emptyFragment()
    const nodeIds = new Set<string>()
    const edgeIds = new Set<string>()
    for (const f of fragments) {
        for (const n of f.nodes) if (!nodeIds.has(n.id)) (nodeIds.add(n.id), out.nodes.push(n))
        for (const e of f.edges) if (!edgeIds.has(e.id)) (edgeIds.add(e.id), out.edges.push(e))
        Object.assign(out.inputs, f.inputs)
        for (const u of f.uploads) if (!out.uploads.some((x) => x.nodeId === u.nodeId)) out.uploads.push(u)
        Object.assign(out.ports, f.ports)
    }
    return out
}

/** Accepts one fragment, a list of them (Flowise `list` inputs) or nothing. */
export function fragmentsOf(value: unknown, what: string): GraphFragment[] {
    if (value === undefined || value === null || value === '') return []
    const list = Array.isArray(value) ? value.flat() : [value]
    return list.map((v) => {
        if (!isFragment(v)) throw new ConfigError(`${what}: connect a Voxflow node here (got ${typeof v})`)
        return v
    })
}

function typeList(p: ParamSpec): string[] {
    return Array.isArray(p.type) ? p.type : [p.type]
}

/**
 * Turns the strings, numbers and booleans Flowise stores into the params object the manifest's
 * schema describes. Empty values are left out (the node's default applies). Range checks stay
 * with Voxflow, whose problem detail names the field.
 */
export function coerceParams(specs: ParamSpec[], raw: Record<string, unknown>): Record<string, unknown> {
    const params: Record<string, unknown> = {}
    for (const p of specs) {
        const v = raw[p.name]
        if (v === undefined || v === null || v === '' || v === PLACEHOLDER_VALUE) continue
        const types = typeList(p)
        if (types.includes('integer') || types.includes('number')) {
            const n = typeof v === 'number' ? v : Number(String(v).trim())
            if (!Number.isFinite(n)) throw new ConfigError(`${p.name}: "${v}" is not a number`)
            if (types.includes('integer') && !types.includes('number') && !Number.isInteger(n))
                throw new ConfigError(`${p.name}: ${n} is not a whole number`)
            params[p.name] = n
        } else if (types.includes('boolean')) {
            params[p.name] = v === true || v === 'true'
        } else if (types.includes('string')) {
            params[p.name] = String(v)
        } else {
            params[p.name] = typeof v === 'string' ? JSON.parse(v) : v
        }
    }
    return params
}

function graphNode(id: string, kind: string, params: Record<string, unknown>, index: number, preset?: string): GraphNodeJson {
    // Positions only matter to a front end that draws the submitted graph.
    return { id, type: kind, position: { x: 250 * index, y: 0 }, data: preset ? { params, preset } : { params } }
}

/**
 * A processing step: wires each input port to a producer — the fragment connected to that
 * port's anchor, else any connected fragment carrying that port type (so a linear chain
 * Source → VAD → Whisper also feeds Whisper's optional `speech_regions`) — then adds the node,
 * with its `preset` (a Voxflow node preset id in `rawParams.preset`) when one is chosen.
 */
export function buildStep(
    spec: NodeSpec,
    nodeId: string,
    connected: Record<string, unknown>,
    rawParams: Record<string, unknown>
): GraphFragment {
    const byPort: Record<string, GraphFragment[]> = {}
    for (const p of spec.inputs) byPort[p.name] = fragmentsOf(connected[p.name], `${spec.label}: input "${p.name}"`)
    const merged = mergeFragments(spec.inputs.flatMap((p) => byPort[p.name]))
    const preset = presetOf(rawParams)
    const coerced = coerceParams(spec.params, rawParams)
    const params = preset ? overridesOnly(spec.params, coerced) : coerced
    const edges: GraphEdgeJson[] = []
    for (const p of spec.inputs) {
        const own = byPort[p.name]
        const producer = own.length > 0 ? mergeFragments(own).ports[p.port_type] : merged.ports[p.port_type]
        if (!producer) {
            if (own.length > 0)
                throw new ConfigError(`${spec.label}: the node connected to "${p.name}" carries no ${p.port_type}`)
            if (p.required)
                throw new ConfigError(`${spec.label}: input "${p.name}" (${p.port_type}) needs a connected Voxflow node that produces it`)
            continue
        }
        edges.push({
            id: `${producer.node}.${producer.port}->${nodeId}.${p.name}`,
            source: producer.node,
            sourceHandle: producer.port,
            target: nodeId,
            targetHandle: p.name
        })
    }
    const out = mergeFragments([merged])
    out.nodes.push(graphNode(nodeId, spec.kind, params, out.nodes.length, preset))
    out.edges.push(...edges)
    // When several outputs share a type (e.g. vocals and accompaniment), the first listed one
    // is what downstream nodes get by default.
    for (const o of [...spec.outputs].reverse()) out.ports[o.port_type] = { node: nodeId, port: o.name }
    return out
}

export type SourceMode = 'url' | 'fileId' | 'chatMessage' | 'chatUpload'

/**
 * The audio source: a node whose `file` input is the job input (`audio.decode`), given a file
 * id, an http(s) URL, the chat message itself, or an audio file uploaded in the chat.
 */
export function buildSource(
    spec: NodeSpec,
    nodeId: string,
    mode: SourceMode,
    value: string,
    upload?: Omit<PendingUpload, 'nodeId'>
): GraphFragment {
    const f = emptyFragment()
    f.nodes.push(graphNode(nodeId, spec.kind, {}, 0))
    if (mode === 'chatUpload') {
        if (!upload) throw new ConfigError('Audio source: no audio file was uploaded in the chat')
        f.uploads.push({ ...upload, nodeId })
    } else {
        const v = value.trim()
        if (!v) throw new ConfigError(`Audio source: ${mode === 'chatMessage' ? 'the chat message is empty' : 'set a file id or URL'}`)
        if (mode === 'url' && !/^https?:\/\//i.test(v)) throw new ConfigError(`Audio source: "${v}" is not an http(s) URL`)
        f.inputs[nodeId] = v
    }
    for (const o of spec.outputs) f.ports[o.port_type] = { node: nodeId, port: o.name }
    return f
}

/** The Voxflow graph (React Flow JSON) of a fragment. */
export function toGraph(f: GraphFragment): { nodes: GraphNodeJson[]; edges: GraphEdgeJson[] } {
    return { nodes: f.nodes, edges: f.edges }
}
