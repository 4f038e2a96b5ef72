import { describe, expect, it, vi } from 'vitest'

// watchJob against a fake WebSocket and a fake GET /v1/jobs/{id} with ETags.
const storage = new Map<string, string>()
vi.stubGlobal('sessionStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) })
vi.stubGlobal('location', { protocol: 'http:', host: 'studio.test', origin: 'http://studio.test' })

type Job = { id: string; status: string; progress: number; seq: number; nodes: Array<{ node_id: string; kind: string; status: string; progress: number }>; outputs: unknown[] }
let server: Job
const gets: string[] = []
vi.stubGlobal('fetch', async (req: Request) => {
  const etag = `W/"${server.id}-${server.seq}"`
  gets.push(req.headers.get('if-none-match') ?? '-')
  if (req.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } })
  return new Response(JSON.stringify(server), { headers: { etag, 'voxflow-poll-after': '0' } })
})

class FakeSocket {
  static last: FakeSocket | null = null
  sent: unknown[] = []
  onopen?: () => void
  onmessage?: (m: { data: string }) => void
  onclose?: (e: { code: number }) => void
  constructor(readonly url: string, readonly protocols: string[]) { FakeSocket.last = this; setTimeout(() => this.onopen?.(), 0) }
  send(m: string) { this.sent.push(JSON.parse(m)) }
  close(code = 1000) { setTimeout(() => this.onclose?.({ code }), 0) }
  push(m: unknown) { this.onmessage?.({ data: JSON.stringify(m) }) }
}
vi.stubGlobal('WebSocket', FakeSocket)

const auth = await import('../src/auth')
const { watchJob } = await import('../src/runs/watch')
const until = async (f: () => boolean) => { for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 5)); expect(f()).toBe(true) }

describe('watchJob', () => {
  it('goes live over the WebSocket, then polls with ETags when it closes', async () => {
    auth._setTokensForTest({ access: 'tok', refresh: 'r', expiresAt: Date.now() + 600_000 })
    server = { id: 'j1', status: 'running', progress: 0, seq: 3, outputs: [], nodes: [{ node_id: 'vad', kind: 'vad.silero', status: 'pending', progress: 0 }] }
    const transports: string[] = []
    let job: Job | null = null
    const w = watchJob('j1', (j) => { job = j as unknown as Job }, (t) => transports.push(t), (e) => { throw e })
    await until(() => FakeSocket.last?.sent.length === 1)
    const ws = FakeSocket.last!
    expect(ws.url).toBe('ws://studio.test/v1/ws')
    expect(ws.protocols).toEqual(['voxflow.v1', 'bearer.tok'])
    expect(ws.sent[0]).toEqual({ type: 'subscribe', job_ids: ['j1'], since: 3 })
    ws.push({ type: 'subscribed', job_id: null, seq: null, data: {} })
    ws.push({ type: 'node.progress', job_id: 'j1', seq: 4, data: { node_id: 'vad', progress: 0.5, job_progress: 0.5 } })
    expect(transports).toEqual(['connecting', 'websocket'])
    expect(job!.nodes[0]).toMatchObject({ status: 'running', progress: 0.5 })
    // The socket dies mid-run: polling takes over, sending the ETag it has.
    ws.close(1006)
    await until(() => transports.includes('polling'))
    server = { ...server, seq: 9, status: 'succeeded', progress: 1, nodes: [{ node_id: 'vad', kind: 'vad.silero', status: 'succeeded', progress: 1 }] }
    await until(() => transports.includes('finished'))
    expect(job!.status).toBe('succeeded')
    expect(gets[0]).toBe('-')
    expect(gets.slice(1).every((g) => g === 'W/"j1-3"')).toBe(true)
    w.stop()
  })

  it('fetches the outputs once the final event arrives', async () => {
    FakeSocket.last = null
    server = { id: 'j2', status: 'running', progress: 0.5, seq: 1, outputs: [], nodes: [] }
    const transports: string[] = []
    let job: Job | null = null
    watchJob('j2', (j) => { job = j as unknown as Job }, (t) => transports.push(t), (e) => { throw e })
    await until(() => FakeSocket.last?.sent.length === 1)
    server = { ...server, seq: 2, status: 'succeeded', progress: 1, outputs: [{ name: 'srt.file.srt' }] }
    FakeSocket.last!.push({ type: 'job.succeeded', job_id: 'j2', seq: 2, data: { status: 'succeeded' } })
    await until(() => transports.includes('finished'))
    expect(job!.outputs).toEqual([{ name: 'srt.file.srt' }])
    expect(transports).not.toContain('polling')
  })
})
