// Watching a job: live over the WebSocket (`GET /v1/ws`, subprotocols `voxflow.v1` and
// `bearer.<token>`, then `subscribe` with `since` = the seq we already have, so nothing is
// missed between the first GET and the socket), falling back to ETag polling of
// `GET /v1/jobs/{id}` (If-None-Match → 304, pacing from `Voxflow-Poll-After`) as soon as the
// socket fails or closes. The caller shows which transport is live.
import { authFetch, freshToken, refresh, problemOf } from '../auth'
import { ProblemError, type JobView } from '../api'
import { applyEvent, isFinal, type JobEvent } from './events'

export type Transport = 'connecting' | 'websocket' | 'polling' | 'finished'

export type Watch = { stop(): void }

export function watchJob(id: string, onJob: (job: JobView) => void, onTransport: (t: Transport, why?: string) => void, onError: (e: unknown) => void): Watch {
  let stopped = false
  let job: JobView | null = null
  let etag: string | null = null
  let pollAfter = 1
  let ws: WebSocket | null = null
  let reauths = 0
  let polling = false

  const emit = (j: JobView) => { job = j; if (!stopped) onJob(j) }

  /** GET with the last ETag; null when unchanged (304). */
  async function get(): Promise<JobView | null> {
    const req = new Request(new URL(`/v1/jobs/${id}`, location.origin), { headers: etag ? { 'if-none-match': etag } : {} })
    const res = await authFetch(req)
    const after = Number(res.headers.get('voxflow-poll-after'))
    if (Number.isFinite(after) && after > 0) pollAfter = Math.min(5, after)
    if (res.status === 304) return null
    if (!res.ok) throw new ProblemError(await problemOf(res))
    etag = res.headers.get('etag')
    const j = (await res.json()) as JobView
    emit(j)
    return j
  }

  function finish() {
    if (stopped) return
    onTransport('finished')
    stopped = true
    ws?.close(1000)
  }

  async function poll(why: string) {
    if (polling || stopped) return
    polling = true
    ws = null
    onTransport('polling', why)
    while (!stopped) {
      try {
        const j = (await get()) ?? job
        if (j && isFinal(j.status)) return finish()
      } catch (e) {
        onError(e)
      }
      await new Promise((r) => setTimeout(r, Math.max(500, pollAfter * 1000)))
    }
  }

  async function connect() {
    const token = await freshToken()
    if (stopped) return
    if (!token || typeof WebSocket === 'undefined') return poll('no WebSocket')
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/ws`
    let socket: WebSocket
    try {
      socket = new WebSocket(url, ['voxflow.v1', `bearer.${token}`])
    } catch {
      return poll('the WebSocket could not be opened')
    }
    ws = socket
    let live = false
    socket.onopen = () => socket.send(JSON.stringify({ type: 'subscribe', job_ids: [id], since: job?.seq ?? 0 }))
    socket.onmessage = (m) => {
      let e: JobEvent
      try { e = JSON.parse(String(m.data)) } catch { return }
      if (e.type === 'subscribed') { if (!live) { live = true; onTransport('websocket') } return }
      if (e.type === 'resync') { void get().catch(onError); return }
      if (e.type === 'error') { if (e.data?.job_id === id || e.data?.code === 'forbidden') socket.close(4000); return }
      if (e.job_id !== id || !job) return
      // The replay may arrive before `subscribed`: an event of ours proves the socket is live.
      if (!live) { live = true; onTransport('websocket') }
      emit(applyEvent(job, e))
      const status = (e.data?.status as string | undefined) ?? e.type.split('.')[1]
      // A final job event: one GET for the outputs, then the watch is over.
      if (e.type.startsWith('job.') && isFinal(status)) void get().then(finish, (err) => { onError(err); finish() })
    }
    socket.onclose = (ev) => {
      if (stopped || ws !== socket) return
      // The access token expired (4401; the server checks it at its expiry): refresh and
      // reconnect, a few times per watch; anything else falls back to polling.
      if (ev.code === 4401 && reauths < 5) {
        reauths++
        void refresh().then((ok) => (ok ? connect() : poll('the session expired')))
        return
      }
      void poll(`the live connection closed (${ev.code || 'no code'})`)
    }
  }

  void (async () => {
    onTransport('connecting')
    try {
      const j = await get()
      if (j && isFinal(j.status)) return finish()
      await connect()
    } catch (e) {
      onError(e)
      void poll('the job could not be read')
    }
  })()

  return {
    stop() {
      stopped = true
      const s = ws
      ws = null
      s?.close(1000)
    }
  }
}
