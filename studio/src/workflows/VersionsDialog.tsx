// A workflow's version history (/v1/workflows/{id}/versions) and what changed between any
// two versions (workflows/diff.ts): nodes added and removed, params changed, edges.
import { useEffect, useMemo, useState } from 'react'
import { client, must, type Schemas } from '../api'
import { useSession } from '../context'
import { Modal } from '../Modal'
import { diffGraphs, isEmpty } from './diff'

type Version = Schemas['WorkflowVersionView']
const show = (v: unknown) => (v === undefined ? '(default)' : JSON.stringify(v))

export function VersionsDialog({ workflowId, onClose, onOpenVersion }: { workflowId: string; onClose: () => void; onOpenVersion: (v: Version) => void }) {
  const { notify } = useSession()
  const [versions, setVersions] = useState<Version[] | null>(null)
  const [from, setFrom] = useState<number | null>(null)
  const [to, setTo] = useState<number | null>(null)
  useEffect(() => {
    void must(client.GET('/v1/workflows/{id}/versions', { params: { path: { id: workflowId } } })).then((l) => {
      const items = [...l.items].sort((a, b) => b.version - a.version)
      setVersions(items)
      setTo(items[0]?.version ?? null)
      setFrom(items[1]?.version ?? items[0]?.version ?? null)
    }, notify)
  }, [workflowId, notify])
  const a = versions?.find((v) => v.version === from)
  const b = versions?.find((v) => v.version === to)
  const diff = useMemo(() => (a && b ? diffGraphs(a.graph, b.graph) : null), [a, b])
  return (
    <Modal title="Version history" onClose={onClose} wide>
      {!versions ? <p>Loading…</p> : (
        <div className="versions">
          <table className="list">
            <thead><tr><th scope="col">Version</th><th scope="col">Name</th><th scope="col">Saved</th><th scope="col">Compare</th><th scope="col"><span className="sr-only">Open</span></th></tr></thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td>v{v.version}</td><td>{v.name}</td><td>{new Date(v.created_at).toLocaleString()}</td>
                  <td>
                    <label><input type="radio" name="from" checked={from === v.version} onChange={() => setFrom(v.version)} /> from</label>{' '}
                    <label><input type="radio" name="to" checked={to === v.version} onChange={() => setTo(v.version)} /> to</label>
                  </td>
                  <td><button type="button" onClick={() => onOpenVersion(v)}>Open</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          {diff && (
            <section className="diff" aria-label={`Changes from v${from} to v${to}`} data-testid="diff">
              <h3>v{from} → v{to}</h3>
              {isEmpty(diff) && <p>No changes to the graph.</p>}
              <ul>
                {diff.addedNodes.map((n) => <li key={`+${n.id}`} className="added">+ node <b>{n.id}</b> ({n.kind})</li>)}
                {diff.removedNodes.map((n) => <li key={`-${n.id}`} className="removed">− node <b>{n.id}</b> ({n.kind})</li>)}
                {diff.changedNodes.map((c) => (
                  <li key={`~${c.id}`} className="changed">~ node <b>{c.id}</b>
                    <ul>
                      {c.kind && <li>kind {c.kind.before} → {c.kind.after}</li>}
                      {c.preset && <li>preset {c.preset.before ?? 'none'} → {c.preset.after ?? 'none'}</li>}
                      {c.params.map((p) => <li key={p.name}><code>{p.name}</code>: {show(p.before)} → {show(p.after)}</li>)}
                    </ul>
                  </li>
                ))}
                {diff.addedEdges.map((e) => <li key={`+${e}`} className="added">+ edge {e}</li>)}
                {diff.removedEdges.map((e) => <li key={`-${e}`} className="removed">− edge {e}</li>)}
              </ul>
            </section>
          )}
        </div>
      )}
    </Modal>
  )
}
