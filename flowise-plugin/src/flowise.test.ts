import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { chatAudioUpload, listModels, placeholderOption, progressStreamer, readUpload, setRuntime, getRuntime } from './flowise'
import { PLACEHOLDER_VALUE } from './fragment'
import { SPEC as WHISPER } from '../nodes/VoxflowWhisperTranscribe/core'
import { SPEC as VAD } from '../nodes/VoxflowVadSilero/core'

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
    const srv = createServer()
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as any).port
    await new Promise((r) => srv.close(r))
    return port
}

test('load methods answer a placeholder that says what went wrong', async () => {
    const port = await closedPort()
    const prev = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'vf_x' }) })
    try {
        const opts = await listModels(WHISPER, { id: 'n' }, {})
        assert.equal(opts.length, 1)
        assert.equal(opts[0].name, PLACEHOLDER_VALUE)
        assert.match(opts[0].label, /cannot reach http:\/\/127\.0\.0\.1:\d+/)
    } finally {
        setRuntime(prev)
    }
    const prev2 = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: 'http://127.0.0.1:1', apiKey: '' }) })
    try {
        assert.match((await listModels(WHISPER, { id: 'n' }, {}))[0].label, /no API key/)
    } finally {
        setRuntime(prev2)
    }
    assert.match(placeholderOption(new Error('boom'))[0].label, /boom/)
})

test('the VAD model list offers the manifest default without asking the server', async () => {
    assert.deepEqual(await listModels(VAD, { id: 'n' }, {}), [{ label: 'silero (server default)', name: 'silero' }])
})

test('chat uploads: the first audio file, read from a data URI', async () => {
    const data = 'data:audio/wav;base64,' + Buffer.from('RIFF1234').toString('base64')
    const u = chatAudioUpload({ uploads: [{ type: 'file', mime: 'image/png', name: 'a.png', data: 'x' }, { type: 'audio', mime: 'audio/wav', name: 'r.wav', data }], chatflowid: 'cf', chatId: 'c' })
    assert.equal(u?.storage, 'base64')
    assert.equal(Buffer.from(await readUpload({ ...u!, nodeId: 'src' })).toString(), 'RIFF1234')
    assert.equal(chatAudioUpload({}), undefined)
})

test('progress goes to the chat only when Flowise streams', () => {
    const events: string[] = []
    const sseStreamer = { streamTokenEvent: (_c: string, d: string) => events.push(`token:${d}`), streamCustomEvent: (_c: string, t: string) => events.push(`custom:${t}`) }
    assert.equal(progressStreamer({ sseStreamer }), undefined)
    assert.equal(progressStreamer({ sseStreamer, chatId: 'c', shouldStreamResponse: false }), undefined)
    progressStreamer({ sseStreamer, chatId: 'c' })!({ fraction: 0.5, message: 'whisper: 50%' })
    assert.deepEqual(events, ['custom:voxflowProgress', 'token:⏳ whisper: 50%\n'])
})
