import { describe, expect, it } from 'vitest'
import { diffGraphs, isEmpty } from '../src/workflows/diff'

const v1 = {
  nodes: [{ id: 'src', kind: 'audio.decode', params: {} }, { id: 'asr', kind: 'whisper.transcribe', params: { model: 'tiny.en', language: 'en' } }],
  edges: [{ source: 'src', source_port: 'audio', target: 'asr', target_port: 'audio' }]
}
const v2 = {
  nodes: [
    { id: 'src', kind: 'audio.decode', params: {} },
    { id: 'asr', kind: 'whisper.transcribe', params: { model: 'base', beam_size: 5 }, preset: 'p1' },
    { id: 'srt', kind: 'export.subtitles', params: { format: 'srt' } }
  ],
  edges: [
    { source: 'src', source_port: 'audio', target: 'asr', target_port: 'audio' },
    { source: 'asr', source_port: 'transcript', target: 'srt', target_port: 'transcript' }
  ]
}

describe('version diff', () => {
  it('lists nodes, params and edges that changed', () => {
    const d = diffGraphs(v1, v2)
    expect(d.addedNodes.map((n) => n.id)).toEqual(['srt'])
    expect(d.removedNodes).toEqual([])
    expect(d.changedNodes).toEqual([{
      id: 'asr',
      preset: { before: null, after: 'p1' },
      params: [
        { name: 'beam_size', before: undefined, after: 5 },
        { name: 'language', before: 'en', after: undefined },
        { name: 'model', before: 'tiny.en', after: 'base' }
      ]
    }])
    expect(d.addedEdges).toEqual(['asr.transcript → srt.transcript'])
    expect(d.removedEdges).toEqual([])
    const back = diffGraphs(v2, v1)
    expect(back.removedNodes.map((n) => n.id)).toEqual(['srt'])
    expect(back.removedEdges).toEqual(['asr.transcript → srt.transcript'])
  })

  it('finds nothing between equal graphs (edge ids do not matter)', () => {
    expect(isEmpty(diffGraphs(v1, JSON.parse(JSON.stringify(v1))))).toBe(true)
  })
})
