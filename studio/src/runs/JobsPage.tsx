// Job history: GET /v1/jobs with its filters (status, template), newest first, paged by
// cursor; a job opens its results.
import { useEffect, useState } from 'react'
import { client, must, type Schemas } from '../api'
import { useSession } from '../context'
import { JobDetail } from './JobDetail'

type Item = Schemas['JobListItem']
const STATES = ['queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'] as const

export function JobsPage() {
  const { notify } = useSession()
  const [status, setStatus] = useState('')
  const [template, setTemplate] = useState('')
  const [templates, setTemplates] = useState<Schemas['TemplateView'][]>([])
  const [items, setItems] = useState<Item[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const fetchPage = (after: string | null) => must(client.GET('/v1/jobs', { params: { query: { limit: 25, ...(status ? { status: status as Item['status'] } : {}), ...(template ? { template_id: template } : {}), ...(after ? { cursor: after } : {}) } } }))
  useEffect(() => {
    setItems(null)
    void fetchPage(null).then((l) => { setItems(l.items); setCursor((l as { next_cursor?: string | null }).next_cursor ?? null) }, notify)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, template])
  useEffect(() => { void must(client.GET('/v1/templates', { params: { query: { limit: 100 } } })).then((l) => setTemplates(l.items), () => {}) }, [])
  const more = async () => {
    try { const l = await fetchPage(cursor); setItems((x) => [...(x ?? []), ...l.items]); setCursor((l as { next_cursor?: string | null }).next_cursor ?? null) } catch (e) { notify(e) }
  }
  return (
    <div className="jobs-page">
      <section className="jobs-list" aria-label="Job history">
        <h2>Jobs</h2>
        <div className="row">
          <label>Status <select value={status} onChange={(e) => setStatus(e.target.value)}><option value="">any</option>{STATES.map((s) => <option key={s}>{s}</option>)}</select></label>
          <label>Template <select value={template} onChange={(e) => setTemplate(e.target.value)}><option value="">any</option>{templates.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}</select></label>
        </div>
        {items === null ? <p>Loading…</p> : items.length === 0 ? <p>No jobs{status ? ` ${status}` : ''}.</p> : (
          <table className="list">
            <thead><tr><th scope="col">Created</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col"><span className="sr-only">Open</span></th></tr></thead>
            <tbody>
              {items.map((j) => (
                <tr key={j.id} className={open === j.id ? 'current' : ''}>
                  <td>{new Date(j.created_at).toLocaleString()}</td>
                  <td><span className={`status status-${j.status}`}>{j.status}</span>{j.error ? <small className="error"> {j.error}</small> : null}</td>
                  <td>{Math.round(j.progress * 100)}%</td>
                  <td><button type="button" onClick={() => setOpen(j.id)} aria-label={`Open the job of ${new Date(j.created_at).toLocaleString()}`}>Open</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cursor && <button type="button" onClick={more}>More</button>}
      </section>
      <div className="jobs-detail">{open ? <JobDetail key={open} jobId={open} /> : <p className="help">Pick a job to see its results.</p>}</div>
    </div>
  )
}
