// A job, kept current by watchJob (WebSocket, else ETag polling), and which transport is live.
import { useEffect, useState } from 'react'
import type { JobView } from '../api'
import { watchJob, type Transport } from './watch'

export function useJob(id: string | null, onError: (e: unknown) => void) {
  const [job, setJob] = useState<JobView | null>(null)
  const [transport, setTransport] = useState<{ t: Transport; why?: string }>({ t: 'connecting' })
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    if (!id) return
    setJob((j) => (j?.id === id ? j : null))
    const w = watchJob(id, setJob, (t, why) => setTransport({ t, why }), onError)
    return () => w.stop()
    // onError is the app's notifier (stable); `generation` restarts the watch (after a retry).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, generation])
  return { job, transport, rewatch: () => setGeneration((g) => g + 1) }
}

/** Where the audio of a job came from, remembered when Studio submitted it (a JobView does
 *  not list its inputs), so the results can play it. */
export type JobInput = { fileId?: string; fileName?: string; url?: string }
const KEY = 'voxflow.jobInputs'
export function rememberInput(jobId: string, input: JobInput) {
  try {
    const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, JobInput>
    all[jobId] = input
    const keys = Object.keys(all)
    for (const k of keys.slice(0, Math.max(0, keys.length - 200))) delete all[k]
    localStorage.setItem(KEY, JSON.stringify(all))
  } catch { /* storage full or off: the player is a convenience */ }
}
export function inputOf(jobId: string): JobInput | null {
  try { return (JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, JobInput>)[jobId] ?? null } catch { return null }
}
