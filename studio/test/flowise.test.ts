import { describe, expect, it } from 'vitest'
import { fromFlowData, handlePort, toFlowData } from '../src/flowise'
import { manifests, pipeline } from './helpers'

const withoutIds = (f: { nodes: unknown[]; edges: Array<Record<string, unknown>> }) => ({ ...f, edges: f.edges.map(({ id: _id, ...e }) => e) })

describe('Flowise flowData', () => {
  it('exports what Voxflow’s parser reads and imports it back unchanged', () => {
    const flow = toFlowData(pipeline, manifests)
    const whisper = flow.nodes[2]
    expect(whisper.data.name).toBe('whisper.transcribe')
    expect(whisper.data.inputs).toMatchObject({ model: 'tiny.en', language: 'en', audio: '{{audio1.data.instance}}', speech_regions: '{{vad1.data.instance}}' })
    expect(flow.nodes[3].data.inputs.preset).toBe('p-1')
    expect(flow.edges[3]).toMatchObject({ sourceHandle: 'whisper1-output-transcript-transcript', targetHandle: 'export1-input-transcript-transcript' })
    // Flowise stores flowData as a JSON string.
    const back = fromFlowData(JSON.stringify(flow), manifests)
    expect(withoutIds(back)).toEqual(withoutIds(pipeline))
  })

  it('imports a chatflow record ({flowData: "…"}) and the plugin’s node names', () => {
    const flowData = JSON.stringify({
      nodes: [
        { id: 'src', position: { x: 1, y: 2 }, data: { name: 'voxflow_audio.decode', inputs: {} } },
        { id: 'asr', position: { x: 3, y: 4 }, data: { name: 'voxflowWhisperTranscribe', inputs: { model: 'tiny.en', audio: '{{src.data.instance}}', language: '', preset: 'none', speech_regions: '' } } }
      ],
      edges: [{ id: 'x', source: 'src', sourceHandle: 'src-output-audio-audio', target: 'asr', targetHandle: 'asr-input-audio-audio' }]
    })
    const g = fromFlowData({ name: 'chat', flowData }, manifests)
    expect(g.nodes.map((n) => n.type)).toEqual(['audio.decode', 'whisper.transcribe'])
    expect(g.nodes[1].data).toEqual({ params: { model: 'tiny.en' } })
    expect(g.edges[0]).toMatchObject({ source: 'src', sourceHandle: 'audio', target: 'asr', targetHandle: 'audio' })
  })

  it('refuses nodes that are not Voxflow nodes', () => {
    expect(() => fromFlowData({ nodes: [{ id: 'llm', data: { name: 'chatOpenAI', inputs: {} } }], edges: [] }, manifests)).toThrow(/not a Voxflow node/)
    expect(() => fromFlowData({ foo: 1 }, manifests)).toThrow(/no `nodes`/)
  })

  it('reads port names out of Flowise handles', () => {
    expect(handlePort('w1-output-transcript-transcript', '-output-')).toBe('transcript')
    expect(handlePort('w1-input-speech_regions-speech_regions', '-input-')).toBe('speech_regions')
    expect(handlePort('audio', '-input-')).toBe('audio')
  })
})
