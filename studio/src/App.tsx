import { useCallback, useEffect, useMemo, useState } from 'react'
import {
  ReactFlow, Background, Controls, MiniMap, addEdge, useEdgesState, useNodesState,
  type Connection, type Edge, type Node
} from '@xyflow/react'
import { client, signIn, signOut, signedIn, type NodeManifest, type Problem } from './api'
import { SpeechNode, type SpeechNodeData } from './SpeechNode'
import { validate, type Pinned } from './validation'
import { ParamsForm } from './ParamsForm'

const nodeTypes = { speech: SpeechNode }

function SignIn({ onDone }: { onDone: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault()
        const p = await signIn(email, password)
        if (p) setProblem(p)
        else onDone()
      }}
      style={{ maxWidth: 320, margin: '15vh auto', display: 'grid', gap: 8 }}
    >
      <h1>Voxflow Studio</h1>
      <label>Email <input value={email} onChange={(e) => setEmail(e.target.value)} type="email" required /></label>
      <label>Password <input value={password} onChange={(e) => setPassword(e.target.value)} type="password" required /></label>
      <button type="submit">Sign in</button>
      {problem && <p role="alert">{problem.title}{problem.detail ? `: ${problem.detail}` : ''}</p>}
    </form>
  )
}

/** The port type of `handle` on a node of `kind` (inputs or outputs). */
function portType(manifests: Map<string, NodeManifest>, kind: string | undefined, handle: string | null | undefined, side: 'inputs' | 'outputs'): string | undefined {
  const m = kind ? manifests.get(kind) : undefined
  return m?.[side].find((p) => p.name === handle)?.port_type
}

function Editor() {
  const [manifests, setManifests] = useState<Map<string, NodeManifest>>(new Map())
  const [problem, setProblem] = useState<string | null>(null)
  const [nodes, setNodes, onNodesChange] = useNodesState<Node>([])
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>([])

  useEffect(() => {
    client.GET('/v1/nodes').then(({ data, error }) => {
      if (error || !data) setProblem((error as Problem)?.title ?? 'Could not load the node registry')
      else setManifests(new Map(data.items.map((m) => [m.kind, m])))
    })
  }, [])

  const kindOf = useCallback((id: string) => (nodes.find((n) => n.id === id)?.data as { manifest?: NodeManifest } | undefined)?.manifest?.kind, [nodes])
  // A connection is offered only between ports of the same type.
  const isValidConnection = useCallback(
    (c: Connection | Edge) =>
      portType(manifests, kindOf(c.source), c.sourceHandle, 'outputs') !== undefined &&
      portType(manifests, kindOf(c.source), c.sourceHandle, 'outputs') ===
        portType(manifests, kindOf(c.target), c.targetHandle, 'inputs'),
    [manifests, kindOf]
  )
  const onConnect = useCallback((c: Connection) => setEdges((es) => addEdge(c, es)), [setEdges])
  const palette = useMemo(() => [...manifests.values()], [manifests])
  const [problems, setProblems] = useState<Pinned[]>([])
  const [selected, setSelected] = useState<string | null>(null)
  const selectedNode = nodes.find((n) => n.id === selected)
  // Structure (not positions) decides validity: revalidate when it changes, debounced.
  const structure = JSON.stringify([nodes.map((n) => [n.id, (n.data as SpeechNodeData).params]), edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle])])
  useEffect(() => {
    const timer = setTimeout(() => validate(nodes, edges).then(setProblems), 300)
    return () => clearTimeout(timer)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [structure])
  const shown = useMemo(
    () => nodes.map((n) => ({ ...n, data: { ...n.data, problems: problems.filter((p) => p.node === n.id).map((p) => p.message) } })),
    [nodes, problems]
  )

  return (
    <div style={{ display: 'grid', gridTemplateColumns: '240px 1fr', height: '100vh' }}>
      <aside style={{ overflow: 'auto', borderRight: '1px solid #ddd', padding: 8 }}>
        <button onClick={() => { signOut(); location.reload() }}>Sign out</button>
        {problem && <p role="alert">{problem}</p>}
        {selectedNode && (
          <ParamsForm
            manifest={(selectedNode.data as SpeechNodeData).manifest}
            params={(selectedNode.data as SpeechNodeData).params ?? {}}
            onChange={(params) => setNodes((ns) => ns.map((n) => (n.id === selectedNode.id ? { ...n, data: { ...n.data, params } } : n)))}
          />
        )}
        <section aria-live="polite">
          {nodes.length > 0 && (problems.length === 0 ? <p>✓ The graph is valid</p> : (
            <ul>{problems.map((p) => <li key={p.field + p.message}><code>{p.field}</code> {p.message}</li>)}</ul>
          ))}
        </section>
        <ul style={{ listStyle: 'none', padding: 0 }}>
          {palette.map((m) => {
            const available = m.availability?.available !== false
            return (
              <li key={m.kind}>
                <button
                  disabled={!available}
                  title={available ? m.kind : (m.availability?.detail ?? undefined)}
                  onClick={() =>
                    setNodes((ns) => [...ns, { id: `${m.kind}-${ns.length + 1}`, type: 'speech', position: { x: 40 + 30 * ns.length, y: 40 + 30 * ns.length }, data: { manifest: m } }])
                  }
                >
                  {m.label ?? m.kind}
                </button>
              </li>
            )
          })}
        </ul>
      </aside>
      <ReactFlow
        nodes={shown}
        edges={edges}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        nodeTypes={nodeTypes}
        onSelectionChange={({ nodes: picked }) => setSelected(picked[0]?.id ?? null)}
        fitView
      >
        <Background />
        <Controls />
        <MiniMap />
      </ReactFlow>
    </div>
  )
}

export function App() {
  const [session, setSession] = useState(signedIn())
  return session ? <Editor /> : <SignIn onDone={() => setSession(true)} />
}
