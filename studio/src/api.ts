// The one HTTP client of Studio: openapi-fetch typed by the spec the backend serves
// (sdks/typescript/src/schema.ts, the SDK's types), sending through authFetch so every call
// carries a fresh access token and survives one expiry.
import createClient from 'openapi-fetch'
import type { paths, components } from '../../sdks/typescript/src/schema'
import { authFetch, type Problem } from './auth'

export type { Problem }
export type Schemas = components['schemas']
export type NodeManifest = Schemas['NodeManifestView']
export type JobView = Schemas['JobView']
export type Me = Schemas['MeView']

export const client = createClient<paths>({ baseUrl: location.origin, fetch: (r: Request) => authFetch(r) })

/** An error answer as a Problem, whatever shape it came in. */
export function asProblem(error: unknown, response?: Response): Problem {
  const e = error as Partial<Problem> | undefined
  if (e && typeof e.title === 'string') return e as Problem
  return { type: 'about:blank', title: response?.statusText || 'Request failed', status: response?.status ?? 0, detail: error instanceof Error ? error.message : (typeof error === 'string' ? error : ''), code: 'client_error' }
}

/** `title: detail`, how every API error is shown. */
export const describe = (p: Problem) => (p.detail ? `${p.title}: ${p.detail}` : p.title)

/** Unwraps an openapi-fetch answer or throws its problem (for the error boundary/handlers). */
export async function must<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p
  if (error !== undefined || !response.ok) throw new ProblemError(asProblem(error, response))
  return data as T
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) { super(describe(problem)) }
}

/** Can the caller do `action` (`workflows:write`, …)? `GET /v1/me` lists the permissions,
 *  reads only while the tenant is suspended. */
export const can = (me: Me | null, action: string) => !!me?.permissions.includes(action as never)
