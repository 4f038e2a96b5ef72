import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nodeClass as Node } from './VoxflowTranscribeAgentflow'
import { agentflowOutput } from './core'
import { getRuntime, setRuntime } from '../../src/flowise'
import { closedPort } from '../../src/flowise.test'

test('Agentflow core: output.content is the transcript', () => {
    const r = { job: { id: 'j' }, text: 'hello world', transcript: { language: 'en', duration: 2, segments: [] }, artifacts: {} } as any
    const out = agentflowOutput('n1', 'voxflowTranscribeAgentflow', 'https://e.com/a.wav', r, { k: 1 })
    assert.equal(out.output.content, 'hello world')
    assert.deepEqual(out.state, { k: 1 })
})

test('Agentflow: an Agent Flows node whose errors carry the reason', async () => {
    const node = new Node()
    assert.equal(node.category, 'Agent Flows')
    const port = await closedPort()
    const prev = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'vf_x' }) })
    try {
        await assert.rejects(node.run({ id: 'n', inputs: { audio: 'https://e.com/a.wav' } }, '', {}), /cannot reach/)
        await assert.rejects(node.run({ id: 'n', inputs: { audio: '' } }, '', {}), /upload an audio file/)
    } finally {
        setRuntime(prev)
    }
})
