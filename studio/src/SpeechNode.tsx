import { Handle, Position, type NodeProps } from '@xyflow/react'
import type { NodeManifest } from './api'

export type SpeechNodeData = { manifest: NodeManifest; params?: Record<string, unknown>; problems?: string[] }


/** A registry node: one handle per typed port (inputs left, outputs right), named by the
 *  port, so `isValidConnection` can compare port types. */
export function SpeechNode({ data }: NodeProps & { data: SpeechNodeData }) {
  const m = data.manifest
  const inputs = m.inputs
  const outputs = m.outputs
  const rows = Math.max(inputs.length, outputs.length, 1)
  const problems = data.problems ?? []
  return (
    <div title={problems.join('\n') || undefined} style={{ border: problems.length ? '2px solid #c00' : '1px solid #888', borderRadius: 6, background: '#fff', minWidth: 180, fontSize: 12 }}>
      <div style={{ padding: '4px 8px', borderBottom: '1px solid #ddd', fontWeight: 600 }}>{m.label}</div>
      <div style={{ position: 'relative', height: rows * 22 + 8 }}>
        {inputs.map((p, i) => (
          <div key={`in-${p.name}`} style={{ position: 'absolute', left: 8, top: 4 + i * 22 }}>
            <Handle type="target" position={Position.Left} id={p.name} style={{ top: 11 }} title={p.description} />
            {p.name} <small>({p.port_type})</small>
          </div>
        ))}
        {outputs.map((p, i) => (
          <div key={`out-${p.name}`} style={{ position: 'absolute', right: 8, top: 4 + i * 22, textAlign: 'right' }}>
            {p.name} <small>({p.port_type})</small>
            <Handle type="source" position={Position.Right} id={p.name} style={{ top: 11 }} title={p.description} />
          </div>
        ))}
      </div>
    </div>
  )
}
