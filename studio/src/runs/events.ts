// Applying a job's pushed events (`{type, job_id, seq, time, data}`, the event log's
// envelope) to the last JobView, so the WebSocket updates the node states without a request
// per event. Terminal events still trigger one GET for the outputs. Pure.
import type { JobView } from '../api'

export type JobEvent = { type: string; job_id: string | null; seq: number | null; time?: string; data: Record<string, unknown> }

export const FINAL = new Set(['succeeded', 'failed', 'cancelled'])
export const isFinal = (status: string) => FINAL.has(status)

export function applyEvent(job: JobView, e: JobEvent): JobView {
  if (e.job_id !== job.id || e.seq === null || e.seq <= job.seq) return job
  const d = e.data
  const next: JobView = { ...job, seq: e.seq }
  const [scope, what] = e.type.split('.')
  if (scope === 'job') {
    const status = (d.status as string | undefined) ?? what
    if (['queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'].includes(status)) next.status = status as JobView['status']
    if (typeof d.error === 'string') next.error = d.error
    if (status === 'succeeded') next.progress = 1
    if (status === 'queued' && d.retry) next.nodes = job.nodes.map((n) => (n.status === 'failed' || n.status === 'cancelled' ? { ...n, status: 'pending', progress: 0, error: null } : n))
    return next
  }
  if (scope === 'node' && typeof d.node_id === 'string') {
    next.nodes = job.nodes.map((n) => {
      if (n.node_id !== d.node_id) return n
      if (what === 'progress') return { ...n, status: n.status === 'pending' ? 'running' : n.status, progress: Number(d.progress ?? n.progress) }
      const status = (d.status as string | undefined) ?? what
      return { ...n, status, progress: status === 'succeeded' ? 1 : n.progress, error: (d.error as string | null | undefined) ?? n.error }
    })
    if (typeof d.job_progress === 'number') next.progress = d.job_progress
    else if (what === 'succeeded') next.progress = next.nodes.reduce((s, n) => s + n.progress, 0) / Math.max(1, next.nodes.length)
    if (job.status === 'queued') next.status = 'running'
    return next
  }
  return next
}
