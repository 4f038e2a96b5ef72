// Canvas state with undo/redo. Every change that alters the graph (add, delete, connect,
// params, a finished drag, layout, import) records the state it replaces in History;
// selection and in-flight drag positions do not. Current state is mirrored in a ref so
// callbacks stay stable (no re-render of every node when a handler changes).
import { useCallback, useMemo, useRef, useState } from 'react'
import { applyEdgeChanges, applyNodeChanges, type Edge, type EdgeChange, type NodeChange } from '@xyflow/react'
import { History } from './history'
import type { SpeechNode } from './graph'

export type Snapshot = { nodes: SpeechNode[]; edges: Edge[] }

export function useGraph() {
  const [state, setState] = useState<Snapshot>({ nodes: [], edges: [] })
  const ref = useRef(state)
  ref.current = state
  const history = useRef(new History<Snapshot>())
  const [version, bump] = useState(0) // re-render when canUndo/canRedo change

  const commit = useCallback((next: Snapshot, coalesce?: string) => {
    history.current.push(ref.current, coalesce)
    ref.current = next
    setState(next)
    bump((n) => n + 1)
  }, [])

  /** A graph change (recorded). */
  const change = useCallback((fn: (s: Snapshot) => Snapshot, coalesce?: string) => commit(fn(ref.current), coalesce), [commit])

  /** A change that is not an editing step (selection): not recorded. */
  const update = useCallback((fn: (s: Snapshot) => Snapshot) => { const next = fn(ref.current); ref.current = next; setState(next) }, [])

  /** Replaces the graph (open, new, import): recorded, so it can be undone too. */
  const reset = useCallback((s: Snapshot) => commit(s), [commit])

  // One user action can reach both handlers (Delete removes nodes and their edges, in
  // either order, synchronously): their commits share a key for this tick, so it is one
  // undo step.
  const tickKey = useRef<string | null>(null)
  const actionKey = useCallback(() => {
    if (!tickKey.current) {
      tickKey.current = `rf-${Math.random()}`
      setTimeout(() => { tickKey.current = null; history.current.seal() }, 0)
    }
    return tickKey.current
  }, [])

  const onNodesChange = useCallback((changes: NodeChange<SpeechNode>[]) => {
    const cur = ref.current
    const structural = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace')
    // A drag records once, when it starts (the first position change with dragging=true).
    const dragStart = changes.some((c) => c.type === 'position' && c.dragging) ? 'drag' : undefined
    const dragEnd = changes.some((c) => c.type === 'position' && c.dragging === false)
    const next = { ...cur, nodes: applyNodeChanges(changes, cur.nodes) }
    if (structural) {
      const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])))
      next.edges = cur.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target))
      commit(next, actionKey())
    } else if (dragStart) {
      commit(next, dragStart)
    } else {
      ref.current = next
      setState(next)
    }
    if (dragEnd) history.current.seal()
  }, [commit, actionKey])

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const cur = ref.current
    const next = { ...cur, edges: applyEdgeChanges(changes, cur.edges) }
    // Deleting nodes also removes their edges in onNodesChange: React Flow's matching edge
    // removals then change nothing and must not cost a second undo step.
    const unchanged = next.edges.length === cur.edges.length && next.edges.every((e, i) => e === cur.edges[i])
    if (unchanged) return
    if (changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace')) commit(next, actionKey())
    else { ref.current = next; setState(next) }
  }, [commit, actionKey])

  const undo = useCallback(() => {
    const prev = history.current.undo(ref.current)
    if (prev) { ref.current = prev; setState(prev); bump((n) => n + 1) }
  }, [])
  const redo = useCallback(() => {
    const next = history.current.redo(ref.current)
    if (next) { ref.current = next; setState(next); bump((n) => n + 1) }
  }, [])
  const seal = useCallback(() => history.current.seal(), [])

  return useMemo(() => ({
    nodes: state.nodes, edges: state.edges, current: ref, change, update, reset, onNodesChange, onEdgesChange, undo, redo, seal,
    canUndo: history.current.canUndo, canRedo: history.current.canRedo
    }), [state, version, change, update, reset, onNodesChange, onEdgesChange, undo, redo, seal])
}
