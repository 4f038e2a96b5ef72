import { test } from 'node:test'
import assert from 'node:assert/strict'
import { coerceParams, mergeFragments, portClass, PLACEHOLDER_VALUE } from './fragment'
import { compose as source } from '../nodes/VoxflowAudioSource/core'
import { compose as vad } from '../nodes/VoxflowVadSilero/core'
import { compose as whisper } from '../nodes/VoxflowWhisperTranscribe/core'
import { compose as subtitles } from '../nodes/VoxflowExportSubtitles/core'

test('portClass names Flowise types after port types', () => {
    assert.equal(portClass('speech_regions'), 'VoxflowSpeechRegions')
    assert.equal(portClass('audio'), 'VoxflowAudio')
})

test('a linear chain Source → VAD → Whisper → Subtitles makes the Voxflow graph', () => {
    const s = source('src', 'url', 'https://example.com/a.wav', '')
    const v = vad('vad', { audio: s, threshold: '0.4' })
    const w = whisper('whisper', { audio: v, model: 'tiny.en', beam_size: '2', word_timestamps: 'true', initial_prompt: '' })
    const f = subtitles('srt', { transcript: w, format: 'vtt' })
    assert.deepEqual(f.nodes.map((n) => [n.id, n.type]), [['src', 'audio.decode'], ['vad', 'vad.silero'], ['whisper', 'whisper.transcribe'], ['srt', 'export.subtitles']])
    const edges = f.edges.map((e) => `${e.source}.${e.sourceHandle}->${e.target}.${e.targetHandle}`).sort()
    assert.deepEqual(edges, ['src.audio->vad.audio', 'src.audio->whisper.audio', 'vad.speech_regions->whisper.speech_regions', 'whisper.transcript->srt.transcript'])
    assert.deepEqual(f.nodes[2].data.params, { model: 'tiny.en', beam_size: 2, word_timestamps: true })
    assert.deepEqual(f.nodes[1].data.params, { threshold: 0.4 })
    assert.deepEqual(f.inputs, { src: 'https://example.com/a.wav' })
})

test('merging fragments keeps shared upstream nodes once', () => {
    const s = source('src', 'fileId', '0193-file', '')
    const a = vad('vad', { audio: s })
    const b = whisper('whisper', { audio: s, speech_regions: a })
    const m = mergeFragments([a, b])
    assert.equal(m.nodes.filter((n) => n.id === 'src').length, 1)
    assert.equal(m.edges.length, new Set(m.edges.map((e) => e.id)).size)
})

test('coerceParams: numbers, booleans, empty and placeholder values', () => {
    const specs = [
        { name: 'n', type: 'integer' },
        { name: 'x', type: ['number', 'null'] },
        { name: 'b', type: 'boolean' },
        { name: 's', type: ['string', 'null'] }
    ]
    assert.deepEqual(coerceParams(specs, { n: '3', x: 0.5, b: 'false', s: PLACEHOLDER_VALUE }), { n: 3, x: 0.5, b: false })
    assert.throws(() => coerceParams(specs, { n: '2.5' }), /n: 2.5 is not a whole number/)
    assert.throws(() => coerceParams(specs, { x: 'abc' }), /x: "abc" is not a number/)
})

test('an optional input with no producer is simply left unconnected', () => {
    const w = whisper('whisper', { audio: source('src', 'url', 'https://e.com/a.wav', '') })
    assert.ok(!w.edges.some((e) => e.targetHandle === 'speech_regions'))
})
