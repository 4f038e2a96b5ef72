// Downloads need the bearer token, so an <a href> cannot fetch them: fetch into a Blob, then
// save it through an object URL (or play it, for the audio player).
import { authFetch, problemOf } from '../auth'
import { ProblemError } from '../api'

export async function fetchBlob(path: string): Promise<Blob> {
  const res = await authFetch(new Request(new URL(path, location.origin)))
  if (!res.ok) throw new ProblemError(await problemOf(res))
  return res.blob()
}

export async function fetchJson<T>(path: string): Promise<T> {
  const res = await authFetch(new Request(new URL(path, location.origin)))
  if (!res.ok) throw new ProblemError(await problemOf(res))
  return res.json() as Promise<T>
}

export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

export function saveText(text: string, name: string, type = 'application/json') {
  saveBlob(new Blob([text], { type }), name)
}
