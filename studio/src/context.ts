// What every view of the signed-in app needs: who is signed in (GET /v1/me), the node
// registry (GET /v1/nodes) and a way to show an API problem.
import { createContext, useContext } from 'react'
import type { Me, NodeManifest } from './api'
import { can } from './api'

export type Session = {
  me: Me
  manifests: Map<string, NodeManifest>
  /** Shows an API problem (a ProblemError, a Problem, an Error or a message). */
  notify: (p: unknown, kind?: 'error' | 'info') => void
}
export const SessionContext = createContext<Session | null>(null)
export function useSession(): Session {
  const s = useContext(SessionContext)
  if (!s) throw new Error('useSession outside the signed-in app')
  return s
}

/** Why the caller may not do `action`, or null when it may: shown beside disabled buttons. */
export function deny(me: Me, action: string): string | null {
  if (can(me, action)) return null
  if (me.read_only) return `Read-only: the ${me.read_only === 'reseller_suspended' ? 'reseller' : 'tenant'} is suspended (${me.read_only})`
  return `Your role (${me.user.role}) may not do this (needs ${action})`
}
