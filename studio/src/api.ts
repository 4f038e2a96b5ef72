// The one HTTP client of Studio: openapi-fetch typed by the spec the backend serves
// (sdks/typescript/src/schema.ts), with the access token of the signed-in session.
import createClient from 'openapi-fetch'
import type { paths, components } from '../../sdks/typescript/src/schema'

export type NodeManifest = components['schemas']['NodeManifestView']
export type Problem = components['schemas']['Problem']

export const client = createClient<paths>({ baseUrl: '' })

let accessToken: string | null = sessionStorage.getItem('voxflow.access')

client.use({
  onRequest({ request }) {
    if (accessToken) request.headers.set('Authorization', `Bearer ${accessToken}`)
    return request
  }
})

export function signedIn(): boolean {
  return accessToken !== null
}

export async function signIn(email: string, password: string): Promise<Problem | null> {
  const { data, error } = await client.POST('/v1/auth/login', { body: { email, password } })
  if (error || !data) return (error as Problem) ?? { type: 'about:blank', title: 'Sign-in failed', status: 0 } as Problem
  accessToken = data.access_token
  sessionStorage.setItem('voxflow.access', accessToken)
  return null
}

export function signOut() {
  accessToken = null
  sessionStorage.removeItem('voxflow.access')
}
