// A registry node on the canvas: one handle per typed port (inputs left, outputs right), named
// by the port so `isValidConnection` can compare types. Memoised: React Flow re-renders a node
// only when its own object changes, and the editor keeps unchanged nodes' objects, so editing
// or dragging one node of a 100-node graph re-renders that node alone.
import { memo } from 'react'
import { Handle, Position, type NodeProps } from '@xyflow/react'
import type { SpeechNode as SpeechNodeT } from './graph'

const ROW = 22

function SpeechNodeView({ id, data, selected }: NodeProps<SpeechNodeT>) {
  const m = data.manifest
  // Inputs first, then outputs, one row each: long port names never overlap.
  const rows = Math.max(m.inputs.length + m.outputs.length, 1)
  const problems = data.problems ?? []
  const run = data.run
  const cls = ['vf-node', problems.length ? 'has-problem' : '', selected ? 'selected' : '', run ? `run-${run.status}` : ''].join(' ')
  return (
    <div className={cls} data-testid={`node-${id}`} aria-label={`${m.label} (${id})${problems.length ? `: ${problems.join('; ')}` : ''}`} title={problems.join('\n') || m.description}>
      <div className="vf-node-title">
        <span>{m.label}</span>
        <small>{id}</small>
      </div>
      {data.preset && <div className="vf-node-preset">preset</div>}
      <div className="vf-node-ports" style={{ height: rows * ROW + 8 }}>
        {m.inputs.map((p, i) => (
          <div key={`in-${p.name}`} className="vf-port in" style={{ top: 4 + i * ROW }}>
            <Handle type="target" position={Position.Left} id={p.name} className={`port-${p.port_type}`} title={`${p.name}: ${p.port_type}${p.required ? '' : ' (optional)'} — ${p.description}`} data-testid={`handle-${id}-in-${p.name}`} />
            {p.name} <small>{p.port_type}</small>
          </div>
        ))}
        {m.outputs.map((p, i) => (
          <div key={`out-${p.name}`} className="vf-port out" style={{ top: 4 + (m.inputs.length + i) * ROW }}>
            {p.name} <small>{p.port_type}</small>
            <Handle type="source" position={Position.Right} id={p.name} className={`port-${p.port_type}`} title={`${p.name}: ${p.port_type} — ${p.description}`} data-testid={`handle-${id}-out-${p.name}`} />
          </div>
        ))}
      </div>
      {run && (
        <div className="vf-node-run" aria-label={`${run.status} ${Math.round(run.progress * 100)}%`}>
          <div className="bar" style={{ width: `${Math.round(run.progress * 100)}%` }} />
          <span>{run.status}</span>
        </div>
      )}
      {problems.length > 0 && <div className="vf-node-problem" role="note">⚠ {problems[0]}{problems.length > 1 ? ` (+${problems.length - 1})` : ''}</div>}
    </div>
  )
}

export const SpeechNode = memo(SpeechNodeView)
