// Auto-layout: a small layered (longest-path) layout, so Studio needs neither dagre nor elk.
// Layer of a node = the longest path to it from a node without inputs; within a layer nodes
// are ordered by the mean row of their predecessors (one barycentre sweep), which keeps a
// pipeline's chains straight. Cycles (invalid graphs) are broken by ignoring back edges.
export type LayoutNode = { id: string; width?: number; height?: number }
export type LayoutEdge = { source: string; target: string }
export type Options = { columnGap?: number; rowGap?: number; nodeWidth?: number; nodeHeight?: number }

export function layeredLayout(nodes: LayoutNode[], edges: LayoutEdge[], opts: Options = {}): Map<string, { x: number; y: number }> {
  const columnGap = opts.columnGap ?? 80
  const rowGap = opts.rowGap ?? 40
  const ids = new Set(nodes.map((n) => n.id))
  const preds = new Map<string, string[]>(nodes.map((n) => [n.id, []]))
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue
    preds.get(e.target)!.push(e.source)
  }
  // Longest path by DFS with memo; a node on the current path (a cycle) counts as layer 0.
  const layer = new Map<string, number>()
  const onPath = new Set<string>()
  const depth = (id: string): number => {
    const known = layer.get(id)
    if (known !== undefined) return known
    if (onPath.has(id)) return -1
    onPath.add(id)
    let d = 0
    for (const p of preds.get(id)!) d = Math.max(d, depth(p) + 1)
    onPath.delete(id)
    layer.set(id, d)
    return d
  }
  for (const n of nodes) depth(n.id)
  const columns: string[][] = []
  for (const n of nodes) (columns[layer.get(n.id)!] ??= []).push(n.id)
  const row = new Map<string, number>()
  const size = new Map(nodes.map((n) => [n.id, { w: n.width ?? opts.nodeWidth ?? 200, h: n.height ?? opts.nodeHeight ?? 90 }]))
  const out = new Map<string, { x: number; y: number }>()
  let x = 0
  for (const col of columns) {
    if (!col) continue
    // Stable barycentre order: nodes without placed predecessors keep their input order.
    const keyed = col.map((id, i) => {
      const ps = preds.get(id)!.filter((p) => row.has(p))
      return { id, key: ps.length ? ps.reduce((s, p) => s + row.get(p)!, 0) / ps.length : i, i }
    })
    keyed.sort((a, b) => a.key - b.key || a.i - b.i)
    let y = 0
    let width = 0
    keyed.forEach(({ id }, i) => {
      row.set(id, i)
      const s = size.get(id)!
      out.set(id, { x, y })
      y += s.h + rowGap
      width = Math.max(width, s.w)
    })
    x += width + columnGap
  }
  return out
}
