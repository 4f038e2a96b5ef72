// The session: access + refresh tokens (docs/auth.md). The access token lives 15 minutes;
// it is refreshed shortly before it expires and again on a 401. Refresh tokens rotate and a
// spent one presented twice revokes the whole login, so refreshing is single-flight: every
// request that needs a new token awaits the same refresh. Tokens are kept in sessionStorage
// (per tab, gone with it), so a reload stays signed in and other tabs do not share a family.
import type { components } from '../../sdks/typescript/src/schema'

export type TokenResponse = components['schemas']['TokenResponse']
export type Problem = components['schemas']['Problem']

type Tokens = { access: string; refresh: string; expiresAt: number; ttlMs?: number }
const KEY = 'voxflow.session'
/** Refresh this long before the access token's expiry (a minute, or a quarter of a short
 *  lifetime), so a request never carries a token that dies in flight. */
const margin = (t: Tokens) => Math.min(60_000, (t.ttlMs ?? 900_000) / 4)

let tokens: Tokens | null = load()
let refreshing: Promise<boolean> | null = null
const listeners = new Set<() => void>()

function load(): Tokens | null {
  try {
    const raw = sessionStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as Tokens) : null
  } catch {
    return null
  }
}
function store(t: Tokens | null) {
  tokens = t
  if (t) sessionStorage.setItem(KEY, JSON.stringify(t))
  else sessionStorage.removeItem(KEY)
  listeners.forEach((l) => l())
}

/** Called whenever the session starts, rotates or ends (the app re-reads `signedIn`). */
export function onSessionChange(l: () => void): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}
export const signedIn = () => tokens !== null
export const accessToken = () => tokens?.access ?? null

export function adopt(t: TokenResponse) {
  store({ access: t.access_token, refresh: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000, ttlMs: t.expires_in * 1000 })
}

/** A problem for a failed call: the server's problem+json, else one made from the status. */
export async function problemOf(res: Response): Promise<Problem> {
  try {
    const body = await res.clone().json()
    if (body && typeof body.title === 'string') return body as Problem
  } catch { /* not JSON */ }
  return { type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status, detail: `${res.url} answered ${res.status}`, code: 'http_error' }
}

async function postJson(path: string, body: unknown, bearer?: string): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify(body) })
}

export async function signIn(email: string, password: string, tenantId?: string): Promise<Problem | null> {
  const res = await postJson('/v1/auth/login', { email, password, ...(tenantId ? { tenant_id: tenantId } : {}) })
  if (!res.ok) return problemOf(res)
  adopt(await res.json())
  return null
}

/** Rotates the refresh token; single-flight. False when the session is over (the caller
 *  shows the sign-in page). */
export function refresh(): Promise<boolean> {
  if (refreshing) return refreshing
  const current = tokens
  if (!current) return Promise.resolve(false)
  refreshing = (async () => {
    try {
      const res = await postJson('/v1/auth/refresh', { refresh_token: current.refresh })
      if (res.ok) {
        adopt(await res.json())
        return true
      }
      // 401/403: spent, revoked, suspended. Only drop the session if no one replaced it meanwhile.
      if (res.status === 401 || res.status === 403) {
        if (tokens === current) { expiredReason = await problemOf(res); store(null) }
      }
      return false
    } catch {
      return false // network: keep the tokens, a later call retries
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

/** Why the last session ended on its own (shown on the sign-in page). */
export let expiredReason: Problem | null = null

/** A valid access token: refreshed first when it is about to expire. */
export async function freshToken(): Promise<string | null> {
  if (tokens && Date.now() > tokens.expiresAt - margin(tokens)) await refresh()
  return tokens?.access ?? null
}

/** fetch with the bearer token; a 401 refreshes once and retries. Used by openapi-fetch
 *  (`createClient({ fetch })`) and by the raw calls (polling with ETags, downloads). */
export async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone()
  const token = await freshToken()
  if (token) input.headers.set('authorization', `Bearer ${token}`)
  const res = await fetch(input)
  if (res.status !== 401 || !tokens || input.url.includes('/v1/auth/')) return res
  const sent = token
  // Another request may already have rotated the token: only refresh when ours was current.
  if (sent === tokens.access && !(await refresh())) return res
  const again = tokens?.access
  if (!again) return res
  retry.headers.set('authorization', `Bearer ${again}`)
  return fetch(retry)
}

export async function switchTenant(tenantId: string): Promise<Problem | null> {
  const token = await freshToken()
  const res = await postJson('/v1/auth/switch', { tenant_id: tenantId }, token ?? undefined)
  if (!res.ok) return problemOf(res)
  const old = tokens
  adopt(await res.json())
  // The old session stays valid server-side: end it, it is not wanted any more.
  if (old) void postJson('/v1/auth/logout', { refresh_token: old.refresh }).catch(() => {})
  return null
}

export async function signOut() {
  const old = tokens
  expiredReason = null
  store(null)
  if (old) await postJson('/v1/auth/logout', { refresh_token: old.refresh }).catch(() => {})
}

/** For tests: replace the token state. */
export function _setTokensForTest(t: Tokens | null) { tokens = t; refreshing = null }
