import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nodeClass as Run } from './VoxflowRun'
import { composedGraph, runParams } from './core'
import { getRuntime, setRuntime } from '../../src/flowise'
import { closedPort } from '../../src/flowise.test'
import { compose as source } from '../VoxflowAudioSource/core'
import { compose as whisper } from '../VoxflowWhisperTranscribe/core'

const graph = () => whisper('w', { audio: source('s', 'url', 'https://example.com/a.wav', '') })

test('Run core: composedGraph needs a connected graph with an audio source', () => {
    assert.throws(() => composedGraph(undefined), /connect the last Voxflow node/)
    assert.throws(() => composedGraph(['nope']), /connect a Voxflow node here/)
    const f = composedGraph([graph()])
    assert.equal(f.nodes.length, 2)
    assert.deepEqual(runParams({}), { timeoutS: 3600, transport: 'websocket' })
    assert.throws(() => runParams({ timeoutS: '-1' }), /positive number/)
})

test('Run: outputs text, documents and an ending node; never SpeechToText', () => {
    const n = new Run()
    assert.deepEqual(n.outputs.map((o) => o.name), ['text', 'documents', 'EndingNode'])
    assert.equal(n.category, 'Voxflow')
    assert.ok(n.inputs.some((i) => i.type === 'VoxflowGraph' && i.list))
})

test('Run: as an ending node, init() defers to run()', async () => {
    const r = await new Run().init({ id: 'run_0', inputs: { graph: [graph()] }, outputs: { output: 'EndingNode' } }, '', {})
    assert.equal(r, undefined)
})

test('Run: errors reach the user with what went wrong', async () => {
    const port = await closedPort()
    const prev = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'vf_test' }) })
    try {
        await assert.rejects(new Run().run!({ id: 'run_0', inputs: { graph: [graph()] }, outputs: { output: 'EndingNode' } }, '', {}), /Voxflow: cannot reach http:\/\/127\.0\.0\.1/)
        await assert.rejects(new Run().init!({ id: 'run_0', inputs: {}, outputs: { output: 'text' } }, '', {}), /connect the last Voxflow node/)
    } finally {
        setRuntime(prev)
    }
    const prev2 = setRuntime({ ...getRuntime(), credential: async () => ({}) })
    try {
        await assert.rejects(new Run().init!({ id: 'run_0', inputs: { graph: [graph()] }, outputs: { output: 'text' } }, '', {}), /connect a "Voxflow API" credential/)
    } finally {
        setRuntime(prev2)
    }
})
