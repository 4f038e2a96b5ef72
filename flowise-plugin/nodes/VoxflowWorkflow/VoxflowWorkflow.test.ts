import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nodeClass as Workflow } from './VoxflowWorkflow'
import { inputNodes } from './core'
import { PLACEHOLDER_VALUE } from '../../src/fragment'
import { getRuntime, setRuntime } from '../../src/flowise'
import { closedPort } from '../../src/flowise.test'

test('Workflow core: the audio input is the file port no edge feeds', () => {
    const graph = {
        nodes: [{ id: 'a', kind: 'audio.decode' }, { id: 'w', kind: 'whisper.transcribe' }],
        edges: [{ target: 'w', target_port: 'audio' }]
    }
    assert.deepEqual(inputNodes(graph, { 'audio.decode': ['file'], 'whisper.transcribe': [] }), ['a'])
})

test('Workflow: the workflow list shows the error when the server is unreachable', async () => {
    const port = await closedPort()
    const prev = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'vf_x' }) })
    try {
        const opts = await new Workflow().loadMethods.listWorkflows({ id: 'n' }, {})
        assert.equal(opts[0].name, PLACEHOLDER_VALUE)
        assert.match(opts[0].label, /cannot reach/)
        await assert.rejects(new Workflow().init({ id: 'n', inputs: { workflow: PLACEHOLDER_VALUE } }, '', {}), /pick a saved Voxflow workflow/)
    } finally {
        setRuntime(prev)
    }
})
