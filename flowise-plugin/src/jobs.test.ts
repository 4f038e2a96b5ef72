import { test } from 'node:test'
import assert from 'node:assert/strict'
import { transcriptDocuments, transcriptText, Voxflow, type JobResult } from './jobs'
import { normalizeBaseUrl, VoxflowError } from './client'

test('transcriptText joins segments and marks speaker changes', () => {
    const t = { segments: [{ start: 0, end: 1, text: ' Hello', speaker: 'SPEAKER_00' }, { start: 1, end: 2, text: 'there.', speaker: 'SPEAKER_00' }, { start: 2, end: 3, text: 'Hi!', speaker: 'SPEAKER_01' }] }
    assert.equal(transcriptText(t), '[SPEAKER_00] Hello there.\n[SPEAKER_01] Hi!')
    assert.equal(transcriptText({ segments: [{ start: 0, end: 1, text: ' one ' }, { start: 1, end: 2, text: 'two' }] }), 'one two')
})

test('transcriptDocuments groups segments into timed chunks with the job id', () => {
    const segments = Array.from({ length: 10 }, (_, i) => ({ start: i * 20, end: i * 20 + 19, text: `s${i}` }))
    const r = { job: { id: 'j1' }, text: '', transcript: { language: 'en', segments }, artifacts: {} } as unknown as JobResult
    const docs = transcriptDocuments(r, 60)
    assert.ok(docs.length >= 3)
    assert.equal(docs[0].metadata.job_id, 'j1')
    assert.equal(docs[0].metadata.start, 0)
    assert.equal(docs.map((d) => d.pageContent).join(' '), segments.map((s) => s.text).join(' '))
})

test('VoxflowError carries the problem detail, field errors and code', () => {
    const e = VoxflowError.fromBody(422, { type: '/problems/invalid_graph', title: 'Invalid graph', status: 422, code: 'invalid_graph', detail: 'The graph is invalid', errors: [{ field: 'nodes/w/params/beam_size', message: 'must be ≤ 16' }] })
    assert.match(e.message, /Voxflow: The graph is invalid/)
    assert.match(e.message, /nodes\/w\/params\/beam_size: must be ≤ 16/)
    assert.match(e.message, /422 invalid_graph/)
    assert.match(VoxflowError.fromBody(401, { error: { message: 'Invalid API key', code: 'invalid_api_key' } }).message, /Invalid API key/)
    assert.match(VoxflowError.fromBody(502, '<html>bad gateway</html>').message, /bad gateway/)
})

test('normalizeBaseUrl accepts /v1 and trailing slashes, refuses non-http', () => {
    assert.equal(normalizeBaseUrl('http://h:8080/v1/'), 'http://h:8080')
    assert.throws(() => normalizeBaseUrl('h:8080'), /not an http\(s\) URL/)
})

test('WebSocket progress: every update has a fraction in 0..1, lifecycle events keep the last one', async () => {
    const sent: string[] = []
    const prev = (globalThis as any).WebSocket
    ;(globalThis as any).WebSocket = class {
        onopen?: () => void
        onmessage?: (ev: { data: string }) => void
        onclose?: () => void
        onerror?: () => void
        constructor(public url: string, public protocols: string[]) {
            setTimeout(() => this.onopen?.(), 0)
        }
        send(data: string) {
            sent.push(data)
            const msgs = [
                { type: 'node.started', job_id: 'j1', data: { node_id: 'vad' } },
                { type: 'node.progress', job_id: 'j1', data: { node_id: 'vad', progress: 0.5, job_progress: 0.25, message: 'detect' } },
                { type: 'node.progress', job_id: 'other', data: { node_id: 'x', job_progress: 0.9 } },
                { type: 'node.succeeded', job_id: 'j1', data: { node_id: 'vad' } },
                { type: 'node.progress', job_id: 'j1', data: { node_id: 'whisper', progress: 1, job_progress: 1.2 } },
                { type: 'job.succeeded', job_id: 'j1', data: {} }
            ]
            setTimeout(() => msgs.forEach((m) => this.onmessage?.({ data: JSON.stringify(m) })), 0)
        }
        close() {}
    }
    try {
        const updates: Array<{ fraction: number; message: string }> = []
        await new Voxflow({ baseUrl: 'http://127.0.0.1:1', apiKey: 'vf_k' }).awaitOverWebSocket('j1', Date.now() + 5000, (p) => updates.push(p))
        assert.deepEqual(JSON.parse(sent[0]), { type: 'subscribe', job_ids: ['j1'], since: 0 })
        assert.deepEqual(updates, [
            { fraction: 0, message: 'vad: started' },
            { fraction: 0.25, message: 'vad: detect' },
            { fraction: 0.25, message: 'vad: succeeded' },
            { fraction: 1, message: 'whisper: 100%' }
        ])
    } finally {
        ;(globalThis as any).WebSocket = prev
    }
})
