// The editor: palette, canvas, parameter form, live validation, workflows, run and results.
// Graph state and undo/redo live in useGraph; conversion to and from the API in graph.ts.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react'
import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, addEdge, useReactFlow,
  type Connection, type Edge, type OnSelectionChangeParams
} from '@xyflow/react'
import { client, must, type JobView, type Schemas } from './api'
import { deny, useSession } from './context'
import { fromFlowData, toFlowData } from './flowise'
import {
  compatible, fromGraph, newEdgeId, newNodeId, pin, portType, structureKey, toFlowJson,
  type FlowJson, type Pinned, type SpeechNode as SpeechNodeT
} from './graph'
import { layeredLayout } from './layout'
import { Modal } from './Modal'
import { Palette, DRAG_TYPE } from './Palette'
import { ParamsForm } from './ParamsForm'
import { JobDetail } from './runs/JobDetail'
import { RunPanel } from './runs/RunPanel'
import { saveText } from './runs/download'
import { SpeechNode } from './SpeechNode'
import { useGraph, type Snapshot } from './useGraph'
import { TemplatesDialog } from './workflows/TemplatesDialog'
import { VersionsDialog } from './workflows/VersionsDialog'
import { WorkflowsDialog } from './workflows/WorkflowsDialog'

const nodeTypes = { speech: SpeechNode }
type Workflow = Schemas['WorkflowView']
type Dialog = 'open' | 'versions' | 'templates' | 'shortcuts' | null

// Saved workflows keep the graph in normal form, without positions: remember the layout
// per workflow in this browser, and lay out anything else automatically.
const POS_KEY = (id: string) => `voxflow.positions.${id}`
function savePositions(id: string, nodes: SpeechNodeT[]) {
  try { localStorage.setItem(POS_KEY(id), JSON.stringify(Object.fromEntries(nodes.map((n) => [n.id, n.position])))) } catch { /* optional */ }
}
function loadPositions(id: string): Record<string, { x: number; y: number }> {
  try { return JSON.parse(localStorage.getItem(POS_KEY(id)) ?? '{}') } catch { return {} }
}

export function layout(s: Snapshot): Snapshot {
  const pos = layeredLayout(s.nodes.map((n) => ({ id: n.id, width: n.measured?.width ?? 220, height: n.measured?.height ?? 110 })), s.edges, { columnGap: 90, rowGap: 40 })
  return { ...s, nodes: s.nodes.map((n) => ({ ...n, position: pos.get(n.id) ?? n.position })) }
}

const SHORTCUTS: Array<[string, string]> = [
  ['Ctrl+Z', 'Undo'], ['Ctrl+Shift+Z / Ctrl+Y', 'Redo'], ['Delete / Backspace', 'Remove the selected nodes and edges'],
  ['Ctrl+A', 'Select everything'], ['Ctrl+D', 'Duplicate the selected nodes'], ['Escape', 'Clear the selection'],
  ['Ctrl+S', 'Save the workflow'], ['Ctrl+Enter', 'Run'], ['Shift+L', 'Auto-layout'], ['Tab / arrow keys', 'Focus nodes / move the focused node'], ['?', 'This list']
]

function EditorInner() {
  const { me, manifests, notify } = useSession()
  const g = useGraph()
  const rf = useReactFlow()
  const wrapper = useRef<HTMLDivElement>(null)
  const [selected, setSelected] = useState<string[]>([])
  const [problems, setProblems] = useState<Pinned[]>([])
  const [validating, setValidating] = useState(false)
  const [workflow, setWorkflow] = useState<Workflow | null>(null)
  const [name, setName] = useState('Untitled workflow')
  const [savedKey, setSavedKey] = useState<string | null>(null)
  const [dialog, setDialog] = useState<Dialog>(null)
  const [jobId, setJobId] = useState<string | null>(null)
  const [runJob, setRunJob] = useState<JobView | null>(null)
  const importer = useRef<HTMLInputElement>(null)
  const saveDenied = deny(me, 'workflows:write')

  // --- Live validation: POST /v1/graphs/validate when the structure changes (debounced).
  const key = useMemo(() => structureKey(g.nodes, g.edges), [g.nodes, g.edges])
  useEffect(() => {
    if (g.nodes.length === 0) { setProblems([]); return }
    let live = true
    const timer = setTimeout(async () => {
      setValidating(true)
      const { data, error, response } = await client.POST('/v1/graphs/validate', { body: toFlowJson(g.current.current.nodes, g.current.current.edges) as never })
      if (!live) return
      setValidating(false)
      if (data) return setProblems([])
      const p = error as { title?: string; detail?: string; errors?: Array<{ field: string; message: string }> } | undefined
      if (response.status === 422 && p?.errors) setProblems(p.errors.map((e) => pin(e.field, e.message)))
      else setProblems([{ field: '', message: `${p?.title ?? response.statusText}${p?.detail ? `: ${p.detail}` : ''}` }])
    }, 300)
    return () => { live = false; clearTimeout(timer) }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])

  // --- Decorations (problems, run state) without re-creating undecorated nodes.
  const byNode = useMemo(() => {
    const m = new Map<string, string[]>()
    for (const p of problems) if (p.node) m.set(p.node, [...(m.get(p.node) ?? []), p.message])
    return m
  }, [problems])
  const byEdge = useMemo(() => {
    const m = new Map<string, string[]>()
    for (const p of problems) if (p.edge) m.set(p.edge, [...(m.get(p.edge) ?? []), p.message])
    return m
  }, [problems])
  const runBy = useMemo(() => new Map((runJob?.nodes ?? []).map((n) => [n.node_id, { status: n.status, progress: n.progress }])), [runJob])
  const nodeCache = useRef(new WeakMap<object, { key: string; out: SpeechNodeT }>())
  const shownNodes = useMemo(() => g.nodes.map((n) => {
    const ps = byNode.get(n.id)
    const run = runBy.get(n.id)
    if (!ps && !run) return n
    const k = JSON.stringify([ps, run])
    const hit = nodeCache.current.get(n)
    if (hit && hit.key === k) return hit.out
    const out = { ...n, data: { ...n.data, problems: ps, run } }
    nodeCache.current.set(n, { key: k, out })
    return out
  }), [g.nodes, byNode, runBy])
  const edgeCache = useRef(new WeakMap<object, { key: string; out: Edge }>())
  const shownEdges = useMemo(() => g.edges.map((e) => {
    const ps = byEdge.get(e.id)
    if (!ps) return e
    const k = ps.join('\n')
    const hit = edgeCache.current.get(e)
    if (hit && hit.key === k) return hit.out
    const out: Edge = { ...e, className: 'edge-problem', label: `⚠ ${ps[0]}`, ariaLabel: `Edge ${e.id}: ${ps.join('; ')}`, style: { stroke: '#c00', strokeWidth: 2 } }
    edgeCache.current.set(e, { key: k, out })
    return out
  }), [g.edges, byEdge])

  // --- Editing.
  const addNode = useCallback((kind: string, position?: { x: number; y: number }) => {
    const m = manifests.get(kind)
    if (!m) return
    let at = position
    if (!at) {
      const r = wrapper.current?.getBoundingClientRect()
      at = r ? rf.screenToFlowPosition({ x: r.left + r.width / 2 - 100, y: r.top + r.height / 3 }) : { x: 0, y: 0 }
    }
    g.change((s) => {
      const id = newNodeId(kind, s.nodes.map((n) => n.id))
      return { ...s, nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), { id, type: 'speech', position: at!, selected: true, data: { manifest: m, params: {} } }] }
    })
  }, [g, manifests, rf])

  const onDrop = useCallback((e: DragEvent) => {
    const kind = e.dataTransfer.getData(DRAG_TYPE)
    if (!kind) return
    e.preventDefault()
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY })
    addNode(kind, { x: p.x - 20, y: p.y - 20 })
  }, [rf, addNode])
  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_TYPE)) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy' }
  }, [])

  // A connection is offered only between compatible port types, into a free input.
  const isValidConnection = useCallback((c: Connection | Edge) => {
    const { nodes, edges } = g.current.current
    if (c.source === c.target) return false
    if (edges.some((e) => e.target === c.target && e.targetHandle === c.targetHandle)) return false
    return compatible(portType(nodes, c.source, c.sourceHandle, 'outputs'), portType(nodes, c.target, c.targetHandle, 'inputs'))
  }, [g])
  const onConnect = useCallback((c: Connection) => {
    g.change((s) => ({ ...s, edges: addEdge({ ...c, id: newEdgeId(c.source, c.sourceHandle, c.target, c.targetHandle) }, s.edges) }))
  }, [g])

  const onSelectionChange = useCallback(({ nodes }: OnSelectionChangeParams) => {
    setSelected((prev) => {
      const next = nodes.map((n) => n.id)
      return prev.length === next.length && prev.every((x, i) => x === next[i]) ? prev : next
    })
    g.seal()
  }, [g])
  const selectedNode = g.nodes.find((n) => n.id === selected[0])
  const setParams = useCallback((id: string, params: Record<string, unknown>, preset: string | null) => {
    g.change((s) => ({ ...s, nodes: s.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, params, preset } } : n)) }), `params-${id}`)
  }, [g])

  const doLayout = useCallback(() => {
    g.change(layout)
    setTimeout(() => void rf.fitView({ padding: 0.2, duration: 200, maxZoom: 1 }), 50)
  }, [g, rf])

  const removeSelected = useCallback(() => {
    g.change((s) => {
      const gone = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id))
      return { nodes: s.nodes.filter((n) => !gone.has(n.id)), edges: s.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)) }
    })
  }, [g])
  const duplicate = useCallback(() => {
    g.change((s) => {
      const ids = s.nodes.map((n) => n.id)
      const copies = s.nodes.filter((n) => n.selected).map((n) => {
        const id = newNodeId(n.data.manifest.kind, ids)
        ids.push(id)
        return { ...n, id, selected: true, position: { x: n.position.x + 40, y: n.position.y + 40 }, data: { ...n.data, params: { ...n.data.params } } }
      })
      return { ...s, nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...copies] }
    })
  }, [g])

  // --- Workflows.
  const load = useCallback((graph: { nodes: never[]; edges: never[] } | FlowJson, wf: Workflow | null, version?: number) => {
    const { nodes, edges, positioned } = fromGraph(graph as never, manifests)
    let snap: Snapshot = { nodes, edges }
    if (wf) {
      const pos = loadPositions(wf.id)
      const known = nodes.every((n) => pos[n.id])
      snap = known ? { nodes: nodes.map((n) => ({ ...n, position: pos[n.id] })), edges } : layout(snap)
    } else if (!positioned) snap = layout(snap)
    g.reset(snap)
    setWorkflow(wf)
    if (wf) setName(wf.name)
    setSavedKey(wf && version === undefined ? structureKey(snap.nodes, snap.edges) : null)
    setSelected([])
    setTimeout(() => void rf.fitView({ padding: 0.2, maxZoom: 1 }), 50)
  }, [g, manifests, rf])

  const open = useCallback((w: Workflow) => { setDialog(null); load(w.graph as never, w) }, [load])

  const save = useCallback(async (asNew = false) => {
    if (saveDenied) return notify(saveDenied)
    const { nodes, edges } = g.current.current
    const graph = toFlowJson(nodes, edges) as never
    try {
      const w = workflow && !asNew
        ? await must(client.PATCH('/v1/workflows/{id}', { params: { path: { id: workflow.id } }, body: { name, graph } }))
        : await must(client.POST('/v1/workflows', { body: { name, graph } }))
      savePositions(w.id, nodes)
      setWorkflow(w)
      setSavedKey(structureKey(nodes, edges))
      notify(`Saved “${w.name}” (version ${w.version})`, 'info')
    } catch (e) { notify(e) }
  }, [g, workflow, name, notify, saveDenied])

  const newGraph = () => { g.reset({ nodes: [], edges: [] }); setWorkflow(null); setName('Untitled workflow'); setSavedKey(null); setJobId(null); setRunJob(null) }

  const importFile = async (file: File) => {
    try {
      const value = JSON.parse(await file.text())
      const flowish = value.flowData !== undefined || (Array.isArray(value.nodes) && value.nodes.some((n: { data?: { name?: string } }) => typeof n?.data?.name === 'string'))
      const graph: FlowJson = flowish ? fromFlowData(value, manifests) : value
      if (!Array.isArray(graph.nodes)) throw new Error('no `nodes` array')
      load(graph, null)
      setName(file.name.replace(/\.json$/i, ''))
      notify(`Imported ${graph.nodes.length} nodes from ${flowish ? 'Flowise flowData' : 'React Flow JSON'}`, 'info')
    } catch (e) { notify(`Import failed: ${(e as Error).message}`) }
  }
  const exportAs = (kind: 'reactflow' | 'flowise') => {
    const flow = toFlowJson(g.current.current.nodes, g.current.current.edges)
    const base = name.replace(/[^\w.-]+/g, '_') || 'workflow'
    if (kind === 'reactflow') saveText(JSON.stringify(flow, null, 2), `${base}.reactflow.json`)
    else saveText(JSON.stringify(toFlowData(flow, manifests), null, 2), `${base}.flowise.json`)
  }

  // --- Keyboard shortcuts (besides React Flow's own Delete/Backspace and arrow keys).
  const runRef = useRef<() => void>(() => {})
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement
      const typing = t.closest('input, textarea, select, [contenteditable=true]') !== null || t.closest('dialog') !== null
      const mod = e.ctrlKey || e.metaKey
      const k = e.key.toLowerCase()
      if (mod && k === 's') { e.preventDefault(); void save(); return }
      if (typing) return
      if (mod && k === 'z' && !e.shiftKey) { e.preventDefault(); g.undo() }
      else if (mod && ((k === 'z' && e.shiftKey) || k === 'y')) { e.preventDefault(); g.redo() }
      else if (mod && k === 'a') { e.preventDefault(); g.update((s) => ({ nodes: s.nodes.map((n) => ({ ...n, selected: true })), edges: s.edges.map((x) => ({ ...x, selected: true })) })) }
      else if (mod && k === 'd') { e.preventDefault(); duplicate() }
      else if (mod && e.key === 'Enter') { e.preventDefault(); runRef.current() }
      else if (e.key === 'Escape') g.update((s) => ({ nodes: s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), edges: s.edges.map((x) => (x.selected ? { ...x, selected: false } : x)) }))
      else if (e.shiftKey && k === 'l') { e.preventDefault(); doLayout() }
      else if (e.key === '?') setDialog('shortcuts')
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [g, save, duplicate, doLayout])

  const dirty = savedKey !== key
  const blocked = problems.length ? `The graph has ${problems.length} problem${problems.length > 1 ? 's' : ''}` : g.nodes.length === 0 ? 'The graph is empty' : null
  useEffect(() => { runRef.current = () => document.querySelector<HTMLButtonElement>('[data-testid=run]')?.click() }, [])
  const onJob = useCallback((j: JobView) => setRunJob(j), [])
  // The results panel takes part of the canvas: fit the graph into what is left.
  useEffect(() => {
    if (!jobId || g.current.current.nodes.length === 0) return
    const t = setTimeout(() => void rf.fitView({ padding: 0.15, maxZoom: 1, duration: 150 }), 80)
    return () => clearTimeout(t)
  }, [jobId, rf, g])
  const focusProblem = (p: Pinned) => {
    if (p.node) {
      g.update((s) => ({ ...s, nodes: s.nodes.map((n) => ({ ...n, selected: n.id === p.node })) }))
      void rf.fitView({ nodes: [{ id: p.node }], duration: 200, maxZoom: 1.2 })
    } else if (p.edge) {
      g.update((s) => ({ ...s, edges: s.edges.map((e) => ({ ...e, selected: e.id === p.edge })) }))
    }
  }

  return (
    <div className={`editor${jobId ? ' with-results' : ''}`}>
      <div className="toolbar" role="toolbar" aria-label="Workflow">
        <label className="wf-name">Workflow <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Workflow name" /></label>
        {workflow && <span className="help">v{workflow.version}{dirty ? ' · unsaved changes' : ''}</span>}
        <button type="button" onClick={newGraph}>New</button>
        <button type="button" onClick={() => setDialog('open')}>Open…</button>
        <button type="button" onClick={() => void save()} disabled={!!saveDenied} title={saveDenied ?? 'Save (Ctrl+S)'} data-testid="save">Save</button>
        {workflow && <button type="button" onClick={() => void save(true)} disabled={!!saveDenied} title={saveDenied ?? 'Save as a new workflow'}>Save as new</button>}
        {saveDenied && <span className="help denied" data-testid="save-denied">{saveDenied}</span>}
        <button type="button" onClick={() => setDialog('versions')} disabled={!workflow} title={workflow ? 'Versions and what changed' : 'Save the workflow first'}>History</button>
        <button type="button" onClick={() => setDialog('templates')}>Templates…</button>
        <span className="sep" aria-hidden />
        <button type="button" onClick={g.undo} disabled={!g.canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">↶</button>
        <button type="button" onClick={g.redo} disabled={!g.canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">↷</button>
        <button type="button" onClick={doLayout} disabled={g.nodes.length === 0} title="Auto-layout (Shift+L)">Layout</button>
        <button type="button" onClick={removeSelected} disabled={!g.nodes.some((n) => n.selected) && !g.edges.some((e) => e.selected)} title="Remove the selection (Delete)">Remove</button>
        <span className="sep" aria-hidden />
        <button type="button" onClick={() => importer.current?.click()}>Import…</button>
        <input ref={importer} type="file" accept=".json,application/json" hidden aria-label="Import a React Flow JSON or Flowise flowData file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = '' }} />
        <button type="button" onClick={() => exportAs('reactflow')} disabled={g.nodes.length === 0}>Export JSON</button>
        <button type="button" onClick={() => exportAs('flowise')} disabled={g.nodes.length === 0}>Export Flowise</button>
        <button type="button" onClick={() => setDialog('shortcuts')} aria-label="Keyboard shortcuts">?</button>
      </div>
      <Palette manifests={manifests} onAdd={addNode} disabled={null} />
      <div className="canvas" ref={wrapper} onDrop={onDrop} onDragOver={onDragOver} data-testid="canvas">
        <ReactFlow
          nodes={shownNodes}
          edges={shownEdges}
          onNodesChange={g.onNodesChange}
          onEdgesChange={g.onEdgesChange}
          onConnect={onConnect}
          isValidConnection={isValidConnection}
          onSelectionChange={onSelectionChange}
          nodeTypes={nodeTypes}
          deleteKeyCode={['Delete', 'Backspace']}
          multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
          onlyRenderVisibleElements
          minZoom={0.1}
          defaultViewport={{ x: 0, y: 0, zoom: 1 }}
          aria-label="Graph canvas"
        >
          <Background />
          <Controls />
          {/* With the results open the canvas is short: the minimap would cover the graph. */}
          {!jobId && <MiniMap pannable zoomable ariaLabel="Minimap" />}
        </ReactFlow>
        {g.nodes.length === 0 && <p className="empty-hint">Drag nodes here from the palette (or press one), then connect outputs to inputs of the same type.</p>}
      </div>
      <aside className="side" aria-label="Inspector">
        <section aria-live="polite" className="problems" aria-label="Validation" data-testid="validation">
          {g.nodes.length > 0 && (problems.length === 0 ? <p className="ok">{validating ? 'Checking…' : '✓ The graph is valid'}</p> : (
            <>
              <h3>{problems.length} problem{problems.length > 1 ? 's' : ''}</h3>
              <ul>{problems.map((p) => (
                <li key={p.field + p.message}>
                  {p.node || p.edge ? <button type="button" className="link" onClick={() => focusProblem(p)}>{p.node ? `node ${p.node}` : `edge ${p.edge}`}</button> : <code>{p.field || 'graph'}</code>} {p.message}
                </li>
              ))}</ul>
            </>
          ))}
        </section>
        <RunPanel nodes={g.nodes} edges={g.edges} workflowId={workflow && !dirty ? workflow.id : null} onStarted={(id) => { setRunJob(null); setJobId(id) }} blocked={blocked} />
        {selectedNode && (
          <>
            <ParamsForm manifest={selectedNode.data.manifest} nodeId={selectedNode.id} params={selectedNode.data.params} preset={selectedNode.data.preset ?? null} disabled={false} onChange={(p, pr) => setParams(selectedNode.id, p, pr)} />
            <Connections node={selectedNode} nodes={g.nodes} edges={g.edges} onConnect={onConnect} onRemove={(id) => g.change((s) => ({ ...s, edges: s.edges.filter((e) => e.id !== id) }))} valid={isValidConnection} />
          </>
        )}
      </aside>
      {jobId && (
        <div className="results" aria-label="Results">
          <button type="button" className="ghost close" onClick={() => { setJobId(null); setRunJob(null) }} aria-label="Close the results">✕</button>
          <JobDetail key={jobId} jobId={jobId} onJob={onJob} />
        </div>
      )}
      {dialog === 'open' && <WorkflowsDialog currentId={workflow?.id ?? null} onClose={() => setDialog(null)} onOpen={open} onDeleted={(id) => { if (workflow?.id === id) { setWorkflow(null); setSavedKey(null) } }} onRenamed={(w) => { if (workflow?.id === w.id) { setWorkflow(w); setName(w.name) } }} />}
      {dialog === 'versions' && workflow && <VersionsDialog workflowId={workflow.id} onClose={() => setDialog(null)} onOpenVersion={(v) => { setDialog(null); load(v.graph as never, workflow, v.version); setName(v.name) }} />}
      {dialog === 'templates' && <TemplatesDialog onClose={() => setDialog(null)} onInstantiated={(w) => { setDialog(null); load(w.graph as never, w); notify(`Created “${w.name}” from the template`, 'info') }} />}
      {dialog === 'shortcuts' && (
        <Modal title="Keyboard shortcuts" onClose={() => setDialog(null)}>
          <table className="list"><tbody>{SHORTCUTS.map(([k, v]) => <tr key={k}><th scope="row"><kbd>{k}</kbd></th><td>{v}</td></tr>)}</tbody></table>
        </Modal>
      )}
    </div>
  )
}

/** The selected node's edges, and a keyboard way to connect an output to another node's
 *  compatible, free input (the canvas needs a pointer to drag a connection). */
function Connections({ node, nodes, edges, onConnect, onRemove, valid }: { node: SpeechNodeT; nodes: SpeechNodeT[]; edges: Edge[]; onConnect: (c: Connection) => void; onRemove: (id: string) => void; valid: (c: Connection) => boolean }) {
  const [target, setTarget] = useState('')
  const mine = edges.filter((e) => e.source === node.id || e.target === node.id)
  const options = useMemo(() => {
    const out: Array<{ value: string; label: string; c: Connection }> = []
    for (const p of node.data.manifest.outputs) for (const t of nodes) {
      if (t.id === node.id) continue
      for (const q of t.data.manifest.inputs) {
        const c = { source: node.id, sourceHandle: p.name, target: t.id, targetHandle: q.name }
        if (valid(c)) out.push({ value: `${p.name}|${t.id}|${q.name}`, label: `${p.name} → ${t.id}.${q.name}`, c })
      }
    }
    return out
  }, [node, nodes, valid])
  return (
    <section className="connections" aria-label={`Connections of ${node.id}`}>
      <h4>Connections</h4>
      {mine.length === 0 ? <p className="help">None yet.</p> : (
        <ul>{mine.map((e) => <li key={e.id}>{e.source}.{e.sourceHandle} → {e.target}.{e.targetHandle} <button type="button" className="link" onClick={() => onRemove(e.id)} aria-label={`Remove the edge ${e.source}.${e.sourceHandle} to ${e.target}.${e.targetHandle}`}>remove</button></li>)}</ul>
      )}
      {options.length > 0 && (
        <form className="row" onSubmit={(e) => { e.preventDefault(); const o = options.find((x) => x.value === target); if (o) { onConnect(o.c); setTarget('') } }}>
          <select aria-label="Connect an output to" value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">Connect an output to…</option>
            {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
          <button type="submit" disabled={!target}>Connect</button>
        </form>
      )}
    </section>
  )
}

export function Editor() {
  return <ReactFlowProvider><EditorInner /></ReactFlowProvider>
}
