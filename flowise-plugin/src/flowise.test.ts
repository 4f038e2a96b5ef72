import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { chatAudioUpload, listModels, placeholderOption, readUpload, setRuntime, getRuntime, withProgress } from './flowise'
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

test('chat uploads: a file Flowise already stored is read back by name under <orgId>/<chatflowId>/<chatId>', async () => {
    // What Flowise 3.1's prediction handler leaves in options.uploads: the data is gone.
    const options = { uploads: [{ type: 'stored-file', mime: 'audio/wav', name: 'clip.wav' }], chatflowid: 'cf', chatId: 'c', orgId: 'org' }
    const u = chatAudioUpload(options)
    assert.deepEqual({ storage: u?.storage, data: u?.data, name: u?.name }, { storage: 'stored-file', data: 'clip.wav', name: 'clip.wav' })
    const asked: string[][] = []
    const prev = setRuntime({
        ...getRuntime(),
        storedFile: async (name, chatflowId, chatId, opts) => {
            asked.push([name, opts.orgId, chatflowId, chatId])
            return new Uint8Array(Buffer.from('RIFF'))
        }
    })
    try {
        assert.equal(Buffer.from(await readUpload({ ...u!, nodeId: 'src' }, options)).toString(), 'RIFF')
        assert.deepEqual(asked, [['clip.wav', 'org', 'cf', 'c']])
    } finally {
        setRuntime(prev)
    }
    assert.throws(() => chatAudioUpload({ uploads: [{ type: 'stored-file', mime: 'audio/wav' }] }), /neither data nor a stored file name/)
})

test('progress goes to the stream only when Flowise streams, as custom and thinking events, never as tokens', async () => {
    const events: string[] = []
    const sseStreamer = {
        streamTokenEvent: (_c: string, d: string) => events.push(`token:${d}`),
        streamCustomEvent: (_c: string, t: string, d: any) => events.push(`custom:${t}:${d.message}`),
        streamThinkingEvent: (_c: string, d: string, duration?: number) => events.push(`thinking:${d}:${duration}`)
    }
    const work = async (onProgress?: (p: { fraction: number; message: string }) => void) => {
        onProgress?.({ fraction: 0.5, message: 'whisper: 50%' })
        return onProgress ? 'streamed' : 'silent'
    }
    assert.equal(await withProgress({ sseStreamer }, work), 'silent', 'no chatId: nowhere to send')
    assert.equal(await withProgress({ sseStreamer, chatId: 'c', shouldStreamResponse: false }, work), 'silent')
    assert.deepEqual(events, [])
    assert.equal(await withProgress({ sseStreamer, chatId: 'c' }, work), 'streamed')
    assert.deepEqual(events, ['custom:voxflowProgress:whisper: 50%', 'thinking:Voxflow whisper: 50%\n:undefined', 'thinking::1'])
    events.length = 0
    await withProgress({ sseStreamer, chatId: 'c' }, work, { thinking: false })
    assert.deepEqual(events, ['custom:voxflowProgress:whisper: 50%'])
    // A failing job still closes the thinking card; a broken stream does not fail the job.
    events.length = 0
    const failing = async (onProgress?: (p: { fraction: number; message: string }) => void) => {
        onProgress?.({ fraction: 0, message: 'queued' })
        throw new Error('boom')
    }
    await assert.rejects(withProgress({ sseStreamer, chatId: 'c' }, failing), /boom/)
    assert.deepEqual(events.at(-1), 'thinking::1')
    const broken = { streamCustomEvent: () => { throw new Error('closed') }, streamThinkingEvent: () => { throw new Error('closed') } }
    assert.equal(await withProgress({ sseStreamer: broken, chatId: 'c' }, work), 'streamed')
})
