// The app shell: the sign-in page, or (signed in) a header with the workspace, tenant
// switching, role and sign-out, the editor and the job history. Problems from any call are
// shown as their title and detail in one notice area.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import { client, describe, must, ProblemError, type Me, type NodeManifest, type Problem, type Schemas } from './api'
import { onSessionChange, signedIn, signOut, switchTenant } from './auth'
import { useBranding } from './branding'
import { SessionContext, type Session } from './context'
import { Editor } from './Editor'
import { ErrorBoundary } from './ErrorBoundary'
import { JobsPage } from './runs/JobsPage'
import { SignIn } from './SignIn'

type Notice = { id: number; text: string; kind: 'error' | 'info' }
let noticeId = 0

function toText(p: unknown): string {
  if (p instanceof ProblemError) return describe(p.problem)
  if (typeof p === 'string') return p
  const maybe = p as Partial<Problem> & { problem?: Problem }
  if (maybe?.problem) return describe(maybe.problem)
  if (maybe && typeof maybe.title === 'string') return describe(maybe as Problem)
  if (p instanceof Error) return p.message
  return String(p)
}

function Shell() {
  const branding = useBranding()
  const [me, setMe] = useState<Me | null>(null)
  const [manifests, setManifests] = useState<Map<string, NodeManifest> | null>(null)
  const [tenants, setTenants] = useState<Schemas['MyTenantView'][]>([])
  const [fatal, setFatal] = useState<string | null>(null)
  const [notices, setNotices] = useState<Notice[]>([])
  const [view, setView] = useState<'editor' | 'jobs'>('editor')
  const [epoch, setEpoch] = useState(0) // bumps on a tenant switch: reload everything

  const notify = useCallback((p: unknown, kind: 'error' | 'info' = 'error') => {
    const n = { id: ++noticeId, text: toText(p), kind }
    setNotices((ns) => [...ns.slice(-3), n])
    if (kind === 'info') setTimeout(() => setNotices((ns) => ns.filter((x) => x.id !== n.id)), 4000)
  }, [])

  useEffect(() => {
    setMe(null)
    setManifests(null)
    Promise.all([must(client.GET('/v1/me')), must(client.GET('/v1/nodes'))])
      .then(([m, nodes]) => { setMe(m); setManifests(new Map(nodes.items.map((x) => [x.kind, x]))) })
      .catch((e) => setFatal(toText(e)))
    void must(client.GET('/v1/me/tenants')).then((l) => setTenants(l.items), () => setTenants([]))
  }, [epoch])

  const session: Session | null = me && manifests ? { me, manifests, notify } : null
  const current = tenants.find((t) => t.current)
  const doSwitch = async (id: string) => {
    const p = await switchTenant(id)
    if (p) notify(p)
    else setEpoch((e) => e + 1)
  }

  return (
    <div className="app">
      <header className="topbar">
        {branding.logo_url ? <img src={branding.logo_url} alt={branding.product_name} className="logo-small" /> : <b className="brand">{branding.product_name}</b>}
        <span className="product">Studio</span>
        <nav aria-label="Views" className="tabs">
          <button type="button" aria-pressed={view === 'editor'} onClick={() => setView('editor')}>Editor</button>
          <button type="button" aria-pressed={view === 'jobs'} onClick={() => setView('jobs')}>Jobs</button>
        </nav>
        <span className="grow" />
        {tenants.length > 1 ? (
          <label>Workspace{' '}
            <select value={current?.tenant_id ?? ''} onChange={(e) => void doSwitch(e.target.value)} data-testid="tenant-switch">
              {tenants.map((t) => <option key={t.tenant_id} value={t.tenant_id} disabled={t.status !== 'active' && !t.current}>{t.name} ({t.role}){t.status !== 'active' ? ' — suspended' : ''}</option>)}
            </select>
          </label>
        ) : me?.tenant ? <span className="tenant">{me.tenant.name}</span> : null}
        {me && <span className="who" data-testid="who">{me.user.email} · <b data-testid="role">{me.user.role}</b></span>}
        <button type="button" onClick={() => void signOut()}>Sign out</button>
      </header>
      {me?.read_only && <p className="banner" role="status">This workspace is read-only ({me.read_only}): reads and downloads work, changes and new runs are refused.</p>}
      <div className="notices" aria-live="assertive">
        {notices.map((n) => (
          <p key={n.id} role={n.kind === 'error' ? 'alert' : 'status'} className={`notice ${n.kind}`}>
            {n.text} <button type="button" className="ghost" onClick={() => setNotices((ns) => ns.filter((x) => x.id !== n.id))} aria-label="Dismiss">✕</button>
          </p>
        ))}
      </div>
      {fatal ? <div role="alert" className="crash"><h1>Studio could not start</h1><p>{fatal}</p><button onClick={() => location.reload()}>Reload</button></div>
        : !session ? <p className="loading" aria-busy="true">Loading…</p>
        : (
          <SessionContext.Provider value={session}>
            <ErrorBoundary key={epoch}>
              {/* The editor stays mounted while the job history is shown: its graph survives. */}
              <main className="main">
                <div className="view" hidden={view !== 'editor'}><Editor key={epoch} /></div>
                {view === 'jobs' && <div className="view"><JobsPage key={epoch} /></div>}
              </main>
            </ErrorBoundary>
          </SessionContext.Provider>
        )}
    </div>
  )
}

export function App() {
  const session = useSyncExternalStore(onSessionChange, signedIn)
  return <ErrorBoundary>{session ? <Shell /> : <SignIn />}</ErrorBoundary>
}
