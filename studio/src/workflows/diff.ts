// What changed between two versions of a workflow (normal-form graphs): nodes added,
// removed, whose kind or preset changed, and each param changed (before → after); edges
// added and removed, compared by what they connect (an edge id alone means nothing).
export type DiffNode = { id: string; kind: string; params?: Record<string, unknown>; preset?: string | null }
export type DiffEdge = { source: string; source_port: string; target: string; target_port: string }
export type GraphLike = { nodes: DiffNode[]; edges: DiffEdge[] }

export type ParamChange = { name: string; before: unknown; after: unknown }
export type GraphDiff = {
  addedNodes: DiffNode[]
  removedNodes: DiffNode[]
  changedNodes: Array<{ id: string; kind?: { before: string; after: string }; preset?: { before: string | null; after: string | null }; params: ParamChange[] }>
  addedEdges: string[]
  removedEdges: string[]
}

export const edgeLabel = (e: DiffEdge) => `${e.source}.${e.source_port} → ${e.target}.${e.target_port}`

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export function diffGraphs(before: GraphLike, after: GraphLike): GraphDiff {
  const b = new Map(before.nodes.map((n) => [n.id, n]))
  const a = new Map(after.nodes.map((n) => [n.id, n]))
  const diff: GraphDiff = { addedNodes: [], removedNodes: [], changedNodes: [], addedEdges: [], removedEdges: [] }
  for (const n of after.nodes) if (!b.has(n.id)) diff.addedNodes.push(n)
  for (const n of before.nodes) if (!a.has(n.id)) diff.removedNodes.push(n)
  for (const n of after.nodes) {
    const old = b.get(n.id)
    if (!old) continue
    const params: ParamChange[] = []
    const bp = old.params ?? {}
    const ap = n.params ?? {}
    for (const name of [...new Set([...Object.keys(bp), ...Object.keys(ap)])].sort()) {
      if (!same(bp[name], ap[name])) params.push({ name, before: bp[name], after: ap[name] })
    }
    const change: GraphDiff['changedNodes'][number] = { id: n.id, params }
    if (old.kind !== n.kind) change.kind = { before: old.kind, after: n.kind }
    if ((old.preset ?? null) !== (n.preset ?? null)) change.preset = { before: old.preset ?? null, after: n.preset ?? null }
    if (params.length || change.kind || change.preset) diff.changedNodes.push(change)
  }
  const be = new Set(before.edges.map(edgeLabel))
  const ae = new Set(after.edges.map(edgeLabel))
  diff.addedEdges = [...ae].filter((e) => !be.has(e)).sort()
  diff.removedEdges = [...be].filter((e) => !ae.has(e)).sort()
  return diff
}

export function isEmpty(d: GraphDiff) {
  return !d.addedNodes.length && !d.removedNodes.length && !d.changedNodes.length && !d.addedEdges.length && !d.removedEdges.length
}
