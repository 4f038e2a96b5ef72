// The palette from GET /v1/nodes, grouped by category. Drag a kind onto the canvas (HTML5
// drag and drop) or press it (click / Enter) to add it at the centre of the view. Kinds the
// caller cannot run (not in the plan, not installed here) are disabled with the reason.
import { memo, useMemo, useState } from 'react'
import type { NodeManifest } from './graph'

export const DRAG_TYPE = 'application/x-voxflow-kind'

function PaletteView({ manifests, onAdd, disabled }: { manifests: Map<string, NodeManifest>; onAdd: (kind: string) => void; disabled: string | null }) {
  const [q, setQ] = useState('')
  const groups = useMemo(() => {
    const g = new Map<string, NodeManifest[]>()
    const needle = q.trim().toLowerCase()
    for (const m of manifests.values()) {
      if (needle && !`${m.label} ${m.kind} ${m.description}`.toLowerCase().includes(needle)) continue
      g.set(m.category, [...(g.get(m.category) ?? []), m])
    }
    return [...g.entries()]
  }, [manifests, q])
  return (
    <nav className="palette" aria-label="Node palette">
      <input type="search" placeholder="Filter nodes" aria-label="Filter nodes" value={q} onChange={(e) => setQ(e.target.value)} />
      {groups.map(([category, ms]) => (
        <section key={category} aria-label={category}>
          <h4>{category}</h4>
          <ul>
            {ms.map((m) => {
              const available = m.availability?.available !== false
              const reason = !available ? (m.availability?.detail ?? 'not available') : disabled
              return (
                <li key={m.kind}>
                  <button
                    type="button"
                    className="palette-item"
                    data-kind={m.kind}
                    disabled={!!reason}
                    draggable={!reason}
                    title={reason ?? `${m.description} — drag onto the canvas, or press to add`}
                    aria-describedby={reason ? `why-${m.kind}` : undefined}
                    onDragStart={(e) => { e.dataTransfer.setData(DRAG_TYPE, m.kind); e.dataTransfer.effectAllowed = 'copy' }}
                    onClick={() => onAdd(m.kind)}
                  >
                    {m.label}
                    <small>{m.kind}</small>
                  </button>
                  {reason && !available && <small className="why" id={`why-${m.kind}`}>{m.availability?.reason === 'not_in_plan' ? 'Not in your plan' : 'Not installed'}</small>}
                </li>
              )
            })}
          </ul>
        </section>
      ))}
    </nav>
  )
}

export const Palette = memo(PaletteView)
