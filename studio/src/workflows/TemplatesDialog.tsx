// The templates gallery (GET /v1/templates: what the tenant is offered) and instantiating one
// into a new workflow (POST /v1/templates/{id}/instantiate, needs workflows:write).
import { useEffect, useState } from 'react'
import { client, must, type Schemas } from '../api'
import { deny, useSession } from '../context'
import { Modal } from '../Modal'

type Template = Schemas['TemplateView']

export function TemplatesDialog({ onClose, onInstantiated }: { onClose: () => void; onInstantiated: (w: Schemas['WorkflowView']) => void }) {
  const { me, notify } = useSession()
  const [items, setItems] = useState<Template[] | null>(null)
  const [q, setQ] = useState('')
  const [category, setCategory] = useState('')
  const denied = deny(me, 'workflows:write')
  useEffect(() => {
    void must(client.GET('/v1/templates', { params: { query: { limit: 100, ...(q ? { q } : {}), ...(category ? { category } : {}) } } })).then((l) => setItems(l.items), notify)
  }, [q, category, notify])
  const categories = [...new Set((items ?? []).map((t) => t.category).filter(Boolean))] as string[]
  const use = async (t: Template) => {
    try {
      onInstantiated(await must(client.POST('/v1/templates/{id}/instantiate', { params: { path: { id: t.id } }, body: {} })))
    } catch (e) { notify(e) }
  }
  return (
    <Modal title="Templates" onClose={onClose} wide>
      <div className="row">
        <input type="search" aria-label="Search templates" placeholder="Search" value={q} onChange={(e) => setQ(e.target.value)} />
        <label>Category <select value={category} onChange={(e) => setCategory(e.target.value)}><option value="">all</option>{categories.map((c) => <option key={c}>{c}</option>)}</select></label>
      </div>
      {items === null ? <p>Loading…</p> : items.length === 0 ? <p>No templates are offered to this workspace.</p> : (
        <ul className="gallery">
          {items.map((t) => (
            <li key={t.id} className="card">
              {t.preview_image_url && <img src={t.preview_image_url} alt="" loading="lazy" />}
              <h3>{t.name}</h3>
              <p>{t.description}</p>
              <p className="help">{t.category}{t.tags.length ? ` · ${t.tags.join(', ')}` : ''} · v{t.published_version}</p>
              <button type="button" onClick={() => use(t)} disabled={!!denied} title={denied ?? 'Create a workflow from this template'}>Use template</button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  )
}
