import { beforeEach, describe, expect, it, vi } from 'vitest'

// auth.ts keeps the session in sessionStorage and calls fetch: give it in-memory stand-ins.
const storage = new Map<string, string>()
vi.stubGlobal('sessionStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) })
const calls: string[] = []
let refreshes = 0
vi.stubGlobal('fetch', async (input: Request | string, init?: RequestInit) => {
  const req = typeof input === 'string' ? new Request(`http://x${input}`, init) : input
  const path = new URL(req.url).pathname
  calls.push(`${path} ${req.headers.get('authorization') ?? ''}`)
  if (path === '/v1/auth/refresh') {
    refreshes++
    const body = await req.json()
    if (body.refresh_token !== `r${refreshes - 1}`) return new Response(JSON.stringify({ title: 'Refresh token reused', code: 'refresh_token_reused', status: 401, detail: 'revoked' }), { status: 401 })
    await new Promise((r) => setTimeout(r, 20))
    return new Response(JSON.stringify({ access_token: `a${refreshes}`, refresh_token: `r${refreshes}`, expires_in: 900, token_type: 'Bearer' }))
  }
  // The API: only the newest access token is good.
  return req.headers.get('authorization') === `Bearer a${refreshes}` ? new Response('{}') : new Response('{"title":"Unauthorized"}', { status: 401 })
})

const auth = await import('../src/auth')

describe('session tokens', () => {
  beforeEach(() => { calls.length = 0; refreshes = 0 })

  it('refreshes once for many parallel requests with an expired token (single-flight)', async () => {
    auth._setTokensForTest({ access: 'a0', refresh: 'r0', expiresAt: Date.now() - 1 })
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => auth.authFetch(new Request('http://x/v1/jobs'))))
    expect(answers.every((r) => r.ok)).toBe(true)
    expect(refreshes).toBe(1)
    expect(auth.accessToken()).toBe('a1')
  })

  it('refreshes on a 401 and retries the request once', async () => {
    auth._setTokensForTest({ access: 'stale', refresh: 'r0', expiresAt: Date.now() + 600_000 })
    const r = await auth.authFetch(new Request('http://x/v1/me'))
    expect(r.ok).toBe(true)
    expect(refreshes).toBe(1)
    expect(calls).toEqual(['/v1/me Bearer stale', '/v1/auth/refresh ', '/v1/me Bearer a1'])
  })

  it('ends the session when the refresh token is refused', async () => {
    auth._setTokensForTest({ access: 'stale', refresh: 'spent', expiresAt: Date.now() + 600_000 })
    const r = await auth.authFetch(new Request('http://x/v1/me'))
    expect(r.status).toBe(401)
    expect(auth.signedIn()).toBe(false)
    expect(auth.expiredReason?.code).toBe('refresh_token_reused')
  })
})
