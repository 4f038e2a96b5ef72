import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nodeClass as Tool } from './VoxflowTranscribeTool'
import { audioArgument, TOOL_NAME } from './core'
import { getRuntime, setRuntime } from '../../src/flowise'
import { closedPort } from '../../src/flowise.test'
import { transcribeGraph } from '../../src/transcribe'

test('Tool core: the audio argument survives JSON and quotes', () => {
    assert.equal(audioArgument(' "https://e.com/a.wav" '), 'https://e.com/a.wav')
    assert.equal(audioArgument('{"url":"https://e.com/b.wav"}'), 'https://e.com/b.wav')
    assert.equal(audioArgument({ file_id: 'f1' }), 'f1')
})

test('transcribe graph: source → VAD → Whisper with the chosen model', () => {
    const g = transcribeGraph({ audio: 'https://e.com/a.wav', model: 'tiny.en', vad: true })
    assert.deepEqual(g.nodes.map((n) => n.type), ['audio.decode', 'vad.silero', 'whisper.transcribe'])
    assert.equal(g.nodes[2].data.params.model, 'tiny.en')
    assert.throws(() => transcribeGraph({ audio: '' }), /upload an audio file/)
})

test('Tool: a Tools-category LangChain tool that reports Voxflow errors to the agent', async () => {
    const node = new Tool()
    assert.equal(node.category, 'Tools')
    const port = await closedPort()
    const prev = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'vf_x' }) })
    try {
        const tool = await node.init({ id: 't', inputs: {} }, '', {})
        assert.equal(tool.name, TOOL_NAME)
        assert.match(await tool.invoke('https://e.com/a.wav'), /^Error: Voxflow: cannot reach/)
    } finally {
        setRuntime(prev)
    }
})
