import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nodeClass as Template } from './VoxflowTemplate'
import { runTemplate, templateOptions, versionOf } from './core'
import { PLACEHOLDER_VALUE } from '../../src/fragment'
import { getRuntime, setRuntime } from '../../src/flowise'
import { closedPort } from '../../src/flowise.test'
import { fakeVoxflow } from '../../src/fake-voxflow'
import { Voxflow } from '../../src/jobs'

const T = '0193aaaa-0000-7000-8000-000000000001'
const template = (id: string, name: string, published: number | null, category?: string) => ({
    id, name, description: `${name}: what it does`, category, tags: [], status: 'published', published_version: published,
    current_version: published, created_at: '2026-12-02T00:00:00Z', updated_at: '2026-12-02T00:00:00Z'
})
const graph = {
    nodes: [{ id: 'src', kind: 'audio.decode', params: {} }, { id: 'vad', kind: 'vad.silero', params: {} }, { id: 'asr', kind: 'whisper.transcribe', params: { model: 'tiny.en' } }],
    edges: [
        { id: 'e1', source: 'src', source_port: 'audio', target: 'vad', target_port: 'audio' },
        { id: 'e2', source: 'src', source_port: 'audio', target: 'asr', target_port: 'audio' }
    ]
}
const manifests = {
    items: [
        { kind: 'audio.decode', inputs: [{ name: 'file', port_type: 'file', required: true, description: '' }], outputs: [] },
        { kind: 'vad.silero', inputs: [{ name: 'audio', port_type: 'audio', required: true, description: '' }], outputs: [] },
        { kind: 'whisper.transcribe', inputs: [{ name: 'audio', port_type: 'audio', required: true, description: '' }], outputs: [] }
    ]
}
const job = {
    id: 'job-1', status: 'succeeded', progress: 1, attempt: 1, max_attempts: 3, seq: 9, created_at: '2026-12-02T00:00:00Z',
    nodes: [{ node_id: 'src', kind: 'audio.decode', status: 'succeeded', progress: 1 }, { node_id: 'asr', kind: 'whisper.transcribe', status: 'succeeded', progress: 1 }],
    outputs: [{ name: 'asr.transcript.json', node_id: 'asr', port: 'transcript', content_type: 'application/json', url: '/v1/jobs/job-1/artifacts/asr.transcript.json' }]
}

test('Template core: versions are whole numbers, empty is the newest', () => {
    assert.equal(versionOf(''), undefined)
    assert.equal(versionOf(undefined), undefined)
    assert.equal(versionOf('3'), 3)
    assert.equal(versionOf(2), 2)
    assert.throws(() => versionOf('1.5'), /not a version number/)
    assert.throws(() => versionOf('0'), /not a version number/)
})

test('Template core: the list is every offered template, page after page, with category and version', async () => {
    const srv = await fakeVoxflow({
        'GET /v1/templates?limit=100': { items: [template(T, 'Interviews', 2, 'interviews')], next_cursor: 'c2' },
        'GET /v1/templates?limit=100&cursor=c2': { items: [template('t2', 'Podcasts', 1)] }
    })
    try {
        const opts = await templateOptions(new Voxflow({ baseUrl: srv.baseUrl, apiKey: 'vf_k' }))
        assert.deepEqual(opts, [
            { label: 'Interviews (interviews, v2)', name: T, description: 'Interviews: what it does' },
            { label: 'Podcasts (v1)', name: 't2', description: 'Podcasts: what it does' }
        ])
    } finally {
        await srv.close()
    }
})

test('Template core: runs the newest published version, pinned, with the audio on its input node', async () => {
    const srv = await fakeVoxflow({
        [`GET /v1/templates/${T}`]: template(T, 'Interviews', 2),
        [`GET /v1/templates/${T}/versions/2`]: { template_id: T, version: 2, name: 'Interviews', graph, inputs: { src: 'The recording' }, created_at: '2026-12-02T00:00:00Z' },
        'GET /v1/nodes': manifests,
        'POST /v1/jobs': { id: 'job-1', status: 'queued', created_at: '2026-12-02T00:00:00Z', url: '/v1/jobs/job-1' },
        'GET /v1/jobs/job-1': job,
        'GET /v1/jobs/job-1/artifacts/asr.transcript.json': JSON.stringify({ language: 'en', segments: [{ start: 0, end: 1, text: ' Hello there.' }] })
    })
    try {
        const progress: string[] = []
        const r = await runTemplate(new Voxflow({ baseUrl: srv.baseUrl, apiKey: 'vf_k' }), T, undefined, ' https://example.com/a.wav ', undefined, async () => new Uint8Array(), {
            transport: 'poll',
            onProgress: (p) => progress.push(p.message)
        })
        assert.equal(r.text, 'Hello there.')
        const submit = srv.requests.find((q) => q.method === 'POST')
        assert.deepEqual(submit?.body, { template_id: T, version: 2, inputs: { src: 'https://example.com/a.wav' } })
        assert.match(progress[0], /queued \(template "Interviews" v2\)/)
    } finally {
        await srv.close()
    }
})

test('Template core: no audio and no upload, or a template with no published version, say so', async () => {
    const srv = await fakeVoxflow({
        [`GET /v1/templates/${T}`]: template(T, 'Interviews', 1),
        [`GET /v1/templates/${T}/versions/1`]: { template_id: T, version: 1, name: 'Interviews', graph, inputs: {}, created_at: '2026-12-02T00:00:00Z' },
        'GET /v1/templates/t0': template('t0', 'Draft', null),
        'GET /v1/nodes': manifests
    })
    try {
        const vf = new Voxflow({ baseUrl: srv.baseUrl, apiKey: 'vf_k' })
        await assert.rejects(runTemplate(vf, T, undefined, '', undefined, async () => new Uint8Array()), /give an audio URL or file id/)
        await assert.rejects(runTemplate(vf, 't0', undefined, 'https://e.com/a.wav', undefined, async () => new Uint8Array()), /no published version/)
        await assert.rejects(runTemplate(vf, 'gone', undefined, 'https://e.com/a.wav', undefined, async () => new Uint8Array()), /404/)
        await assert.rejects(runTemplate(vf, PLACEHOLDER_VALUE, undefined, '', undefined, async () => new Uint8Array()), /pick a Voxflow template/)
    } finally {
        await srv.close()
    }
})

test('Template: returns the job result like the other job nodes, and lists templates (or the error)', async () => {
    const node = new Template()
    assert.equal(node.category, 'Voxflow')
    assert.deepEqual(node.outputs.map((o) => o.name), ['text', 'documents', 'EndingNode'])
    assert.equal(node.inputs[0].loadMethod, 'listTemplates')
    const port = await closedPort()
    const prev = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'vf_x' }) })
    try {
        const opts = await node.loadMethods.listTemplates({ id: 'n' }, {})
        assert.equal(opts[0].name, PLACEHOLDER_VALUE)
        assert.match(opts[0].label, /cannot reach/)
        await assert.rejects(node.init({ id: 'n', inputs: { template: PLACEHOLDER_VALUE } }, '', {}), /pick a Voxflow template/)
        await assert.rejects(node.init({ id: 'n', inputs: { template: T, templateVersion: 'x' } }, '', {}), /not a version number/)
    } finally {
        setRuntime(prev)
    }
    const empty = await fakeVoxflow({ 'GET /v1/templates?limit=100': { items: [] } })
    const prev2 = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: empty.baseUrl, apiKey: 'vf_x' }) })
    try {
        const opts = await node.loadMethods.listTemplates({ id: 'n' }, {})
        assert.match(opts[0].label, /no template is offered/)
    } finally {
        setRuntime(prev2)
        await empty.close()
    }
})
