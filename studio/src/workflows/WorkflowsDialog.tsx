// Open, rename and delete saved workflows (/v1/workflows).
import { useEffect, useState } from 'react'
import { client, must, type Schemas } from '../api'
import { deny, useSession } from '../context'
import { Modal } from '../Modal'

type Workflow = Schemas['WorkflowView']

export function WorkflowsDialog({ onOpen, onClose, currentId, onDeleted, onRenamed }: { onOpen: (w: Workflow) => void; onClose: () => void; currentId: string | null; onDeleted: (id: string) => void; onRenamed: (w: Workflow) => void }) {
  const { me, notify } = useSession()
  const [items, setItems] = useState<Workflow[] | null>(null)
  const [q, setQ] = useState('')
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null)
  const denied = deny(me, 'workflows:write')
  const load = () => must(client.GET('/v1/workflows', { params: { query: { limit: 100, ...(q ? { name: q } : {}) } } })).then((l) => setItems(l.items), notify)
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => { void load() }, [q])
  const rename = async () => {
    if (!renaming) return
    try {
      const w = await must(client.PATCH('/v1/workflows/{id}', { params: { path: { id: renaming.id } }, body: { name: renaming.name } }))
      onRenamed(w)
      setRenaming(null)
      setItems((xs) => xs?.map((x) => (x.id === w.id ? w : x)) ?? null)
    } catch (e) { notify(e) }
  }
  const remove = async (w: Workflow) => {
    if (!confirm(`Delete the workflow “${w.name}” and all its versions?`)) return
    try {
      await must(client.DELETE('/v1/workflows/{id}', { params: { path: { id: w.id } } }))
      onDeleted(w.id)
      setItems((xs) => xs?.filter((x) => x.id !== w.id) ?? null)
    } catch (e) { notify(e) }
  }
  return (
    <Modal title="Workflows" onClose={onClose} wide>
      <input type="search" aria-label="Filter by name" placeholder="Filter by name" value={q} onChange={(e) => setQ(e.target.value)} />
      {items === null ? <p>Loading…</p> : items.length === 0 ? <p>No saved workflows yet.</p> : (
        <table className="list">
          <thead><tr><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Updated</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id} className={w.id === currentId ? 'current' : ''}>
                <td>
                  {renaming?.id === w.id ? (
                    <form onSubmit={(e) => { e.preventDefault(); void rename() }}>
                      <input aria-label="New name" value={renaming.name} onChange={(e) => setRenaming({ id: w.id, name: e.target.value })} autoFocus />
                      <button type="submit">Rename</button> <button type="button" onClick={() => setRenaming(null)}>Cancel</button>
                    </form>
                  ) : <>{w.name}{w.template_id ? <small> (from a template{w.upgrade_available ? ', upgrade available' : ''})</small> : null}</>}
                </td>
                <td>v{w.version}</td>
                <td>{new Date(w.updated_at).toLocaleString()}</td>
                <td className="actions">
                  <button type="button" onClick={() => onOpen(w)}>Open</button>
                  <button type="button" onClick={() => setRenaming({ id: w.id, name: w.name })} disabled={!!denied} title={denied ?? 'Rename'}>Rename</button>
                  <button type="button" className="danger" onClick={() => remove(w)} disabled={!!denied} title={denied ?? 'Delete'}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Modal>
  )
}
