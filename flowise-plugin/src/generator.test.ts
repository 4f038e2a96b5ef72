import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildStep, buildSource, type NodeSpec } from './fragment'

// build-test/ sits beside scripts/.
const plugin = join(__dirname, '..')

test('kinds other helpers add (BGM, speakers, translation) get nodes without touching the generator', () => {
    const out = mkdtempSync(join(tmpdir(), 'vf-gen-'))
    execFileSync(process.execPath, [join(plugin, 'scripts/generate.mjs'), '--registry', join(plugin, 'scripts/fixtures/future-registry.json'), '--out', out])
    assert.deepEqual(readdirSync(join(out, 'nodes')).sort(), ['VoxflowBgmSeparate', 'VoxflowTranscriptAssignSpeakers', 'VoxflowTranslateText'])
    const speakers = readFileSync(join(out, 'nodes/VoxflowTranscriptAssignSpeakers/VoxflowTranscriptAssignSpeakers.ts'), 'utf8')
    assert.match(speakers, /"type": "VoxflowTranscript"/)
    assert.match(speakers, /"type": "VoxflowSpeakerTurns"/)
    const translate = readFileSync(join(out, 'nodes/VoxflowTranslateText/VoxflowTranslateText.ts'), 'utf8')
    assert.match(translate, /"type": "options"/)
    assert.match(translate, /"additionalParams": true/)
    // The drift check fails on the fixture's folder when the registry loses a kind.
    assert.throws(() => execFileSync(process.execPath, [join(plugin, 'scripts/generate.mjs'), '--check', '--registry', join(plugin, 'registry.json'), '--out', out], { stdio: 'pipe' }))
})

test('two outputs of one type: downstream gets the first (vocals, not accompaniment)', () => {
    const spec: NodeSpec = JSON.parse(readFileSync(join(plugin, 'scripts/fixtures/future-registry.json'), 'utf8')).items[0]
    spec.params = []
    const src: NodeSpec = { kind: 'audio.decode', version: '1', label: 'src', params: [], inputs: [{ name: 'file', port_type: 'file', required: true, description: '' }], outputs: [{ name: 'audio', port_type: 'audio', required: true, description: '' }] }
    const f = buildStep(spec, 'bgm', { audio: buildSource(src, 's', 'url', 'https://e.com/a.wav') }, {})
    assert.deepEqual(f.ports.audio, { node: 'bgm', port: 'vocals' })
})
