import { test } from 'node:test'
import assert from 'node:assert/strict'
import { getRuntime, listPresets, presetOptions, setRuntime } from './flowise'
import { NO_PRESET, PLACEHOLDER_VALUE, overridesOnly, presetOf } from './fragment'
import { fakeVoxflow } from './fake-voxflow'
import { nodeClass as Whisper } from '../nodes/VoxflowWhisperTranscribe/VoxflowWhisperTranscribe'
import { compose as source } from '../nodes/VoxflowAudioSource/core'
import { compose as whisper } from '../nodes/VoxflowWhisperTranscribe/core'

test('presetOf: an id; empty, "none" and placeholders are no preset', () => {
    assert.equal(presetOf({ preset: ' 0193-p ' }), '0193-p')
    for (const v of ['', NO_PRESET, PLACEHOLDER_VALUE, undefined, 3]) assert.equal(presetOf({ preset: v }), undefined)
})

test('overridesOnly drops values equal to the manifest default', () => {
    const specs = [{ name: 'model', type: 'string', default: 'base' }, { name: 'beam_size', type: 'integer', default: 1 }, { name: 'prompt', type: 'string' }]
    assert.deepEqual(overridesOnly(specs, { model: 'base', beam_size: 2, prompt: 'x' }), { beam_size: 2, prompt: 'x' })
})

test('a Whisper node with a preset sends the preset and only the changed params', () => {
    const f = whisper('asr', { audio: source('src', 'url', 'https://e.com/a.wav', ''), preset: '0193-p', model: 'base', language: 'es', beam_size: '1' })
    const n = f.nodes.find((x) => x.id === 'asr')!
    assert.equal(n.data.preset, '0193-p')
    assert.deepEqual(n.data.params, { language: 'es' })
})

test('the preset dropdown lists the caller\'s presets of the kind, with who owns them', async () => {
    const srv = await fakeVoxflow({
        'GET /v1/nodes/whisper.transcribe': {
            kind: 'whisper.transcribe',
            presets: [
                { id: 'p1', name: 'Spanish interviews', owner: 'reseller', description: 'base, es, word timestamps' },
                { id: 'p2', name: 'Ours', owner: 'tenant' },
                { id: 'p3', name: 'House style', owner: 'platform' }
            ]
        },
        'GET /v1/nodes/vad.silero': { kind: 'vad.silero' }
    })
    const prev = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: srv.baseUrl, apiKey: 'vf_x' }) })
    try {
        const opts = await new Whisper().loadMethods.listPresets({ id: 'n' }, {})
        assert.deepEqual(opts.map((o) => [o.name, o.label]), [
            [NO_PRESET, 'No preset'],
            ['p1', 'Spanish interviews (your provider)'],
            ['p2', 'Ours (your team)'],
            ['p3', 'House style (platform)']
        ])
        assert.equal(opts[1].description, 'base, es, word timestamps')
        // Without presets:read the server leaves the list out: say so.
        const none = await listPresets('vad.silero', { id: 'n' }, {})
        assert.equal(none[0].name, PLACEHOLDER_VALUE)
        assert.match(none[0].label, /presets:read/)
    } finally {
        setRuntime(prev)
        await srv.close()
    }
    assert.deepEqual(presetOptions([]).map((o) => o.name), [NO_PRESET])
})

test('a kind outside the caller\'s plan says so in its preset dropdown, before a run', async () => {
    const srv = await fakeVoxflow({
        'GET /v1/nodes/whisper.transcribe': {
            kind: 'whisper.transcribe',
            availability: { available: false, reason: 'not_in_plan', detail: 'Your plan does not include whisper.transcribe; ask your administrator to upgrade' },
            presets: [{ id: 'p1', name: 'Spanish interviews', owner: 'reseller' }]
        },
        'GET /v1/nodes/vad.silero': { kind: 'vad.silero', availability: { available: true }, presets: [] }
    })
    const prev = setRuntime({ ...getRuntime(), credential: async () => ({ baseUrl: srv.baseUrl, apiKey: 'vf_x' }) })
    try {
        const opts = await new Whisper().loadMethods.listPresets({ id: 'n' }, {})
        assert.equal(opts.length, 1)
        assert.equal(opts[0].name, PLACEHOLDER_VALUE)
        assert.match(opts[0].label, /whisper\.transcribe is not in your plan — Your plan does not include/)
        assert.deepEqual((await listPresets('vad.silero', { id: 'n' }, {})).map((o) => o.name), [NO_PRESET])
    } finally {
        setRuntime(prev)
        await srv.close()
    }
})
