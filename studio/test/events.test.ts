import { describe, expect, it } from 'vitest'
import { applyEvent } from '../src/runs/events'
import type { JobView } from '../src/api'

const job = (): JobView => ({
  id: 'j', status: 'queued', progress: 0, attempt: 1, max_attempts: 3, seq: 1, created_at: '', outputs: [],
  nodes: [{ node_id: 'vad', kind: 'vad.silero', status: 'pending', progress: 0 }, { node_id: 'asr', kind: 'whisper.transcribe', status: 'pending', progress: 0 }]
})
const ev = (seq: number, type: string, data: Record<string, unknown>) => ({ type, job_id: 'j', seq, data })

describe('job events → JobView', () => {
  it('follows node states and progress in seq order', () => {
    let j = job()
    j = applyEvent(j, ev(2, 'job.running', { status: 'running', attempt: 1 }))
    expect(j.status).toBe('running')
    j = applyEvent(j, ev(3, 'node.running', { node_id: 'vad', status: 'running' }))
    j = applyEvent(j, ev(4, 'node.progress', { node_id: 'vad', progress: 0.5, job_progress: 0.25 }))
    expect(j.nodes[0]).toMatchObject({ status: 'running', progress: 0.5 })
    expect(j.progress).toBe(0.25)
    j = applyEvent(j, ev(5, 'node.succeeded', { node_id: 'vad', status: 'succeeded', error: null }))
    expect(j.nodes[0]).toMatchObject({ status: 'succeeded', progress: 1 })
    j = applyEvent(j, ev(6, 'node.failed', { node_id: 'asr', status: 'failed', error: 'boom' }))
    j = applyEvent(j, ev(7, 'job.failed', { status: 'failed', error: 'boom' }))
    expect(j).toMatchObject({ status: 'failed', error: 'boom', seq: 7 })
    // A retry re-queues the job and resets what failed.
    j = applyEvent(j, ev(8, 'job.queued', { status: 'queued', retry: true }))
    expect(j.status).toBe('queued')
    expect(j.nodes[1]).toMatchObject({ status: 'pending', progress: 0 })
    expect(j.nodes[0].status).toBe('succeeded')
  })

  it('ignores replays, other jobs and control messages', () => {
    const j = { ...job(), seq: 5 }
    expect(applyEvent(j, ev(5, 'node.running', { node_id: 'vad' }))).toBe(j)
    expect(applyEvent(j, { ...ev(9, 'node.running', { node_id: 'vad' }), job_id: 'other' })).toBe(j)
    expect(applyEvent(j, { type: 'subscribed', job_id: null, seq: null, data: {} })).toBe(j)
  })
})
