import { describe, expect, it } from 'vitest'
import { compatible, fileInputs, fromGraph, newNodeId, pin, structureKey, toFlowJson } from '../src/graph'
import { manifests, pipeline } from './helpers'

describe('graph ⇄ API', () => {
  it('round-trips React Flow JSON through the canvas form', () => {
    const { nodes, edges, positioned } = fromGraph(pipeline, manifests)
    expect(positioned).toBe(true)
    expect(nodes[2].data.manifest.kind).toBe('whisper.transcribe')
    expect(nodes[3].data.preset).toBe('p-1')
    expect(toFlowJson(nodes, edges)).toEqual(pipeline)
  })

  it('reads the normal form the server answers (kind, params, ports; no positions)', () => {
    const normal = {
      nodes: [{ id: 'src', kind: 'audio.decode', params: {} }, { id: 'asr', kind: 'whisper.transcribe', params: { model: 'tiny.en' }, preset: null }],
      edges: [{ id: 'e1', source: 'src', source_port: 'audio', target: 'asr', target_port: 'audio' }]
    }
    const { nodes, edges, positioned } = fromGraph(normal, manifests)
    expect(positioned).toBe(false)
    expect(edges[0]).toMatchObject({ source: 'src', sourceHandle: 'audio', target: 'asr', targetHandle: 'audio' })
    const flow = toFlowJson(nodes, edges)
    expect(flow.nodes[1]).toMatchObject({ id: 'asr', type: 'whisper.transcribe', data: { params: { model: 'tiny.en' } } })
    expect(flow.nodes[1].data).not.toHaveProperty('preset')
  })

  it('keeps a kind the server does not list, as unavailable', () => {
    const { nodes } = fromGraph({ nodes: [{ id: 'x', type: 'no.such' }], edges: [] }, manifests)
    expect(nodes[0].data.manifest.availability?.available).toBe(false)
    expect(toFlowJson(nodes, []).nodes[0].type).toBe('no.such')
  })

  it('finds the file inputs a job must bind', () => {
    const { nodes, edges } = fromGraph(pipeline, manifests)
    expect(fileInputs(nodes, edges)).toEqual([{ node: 'audio1', port: 'file' }])
    // A file output wired into the decoder's file input needs no job input.
    const chained = fromGraph({ ...pipeline, edges: [...pipeline.edges, { id: 'e5', source: 'export1', sourceHandle: 'file', target: 'audio1', targetHandle: 'file' }] }, manifests)
    expect(fileInputs(chained.nodes, chained.edges)).toEqual([])
  })

  it('mirrors the server’s port compatibility', () => {
    expect(compatible('audio', 'audio')).toBe(true)
    expect(compatible('file', 'audio')).toBe(true)
    expect(compatible('audio', 'file')).toBe(false)
    expect(compatible('transcript', 'speech_regions')).toBe(false)
    expect(compatible(undefined, 'audio')).toBe(false)
  })

  it('makes short unique ids without dots', () => {
    expect(newNodeId('vad.silero', [])).toBe('vad1')
    expect(newNodeId('vad.silero', ['vad1', 'vad2'])).toBe('vad3')
    expect(newNodeId('whisper.transcribe', ['vad1'])).toBe('whisper1')
  })

  it('pins problems to nodes, edges and job inputs', () => {
    expect(pin('nodes/w/params', 'x')).toMatchObject({ node: 'w', edge: undefined })
    expect(pin('edges/e1/targetHandle', 'x')).toMatchObject({ edge: 'e1', node: undefined })
    expect(pin('inputs/src', 'x')).toMatchObject({ node: 'src' })
    expect(pin('nodes', 'empty')).toMatchObject({ node: undefined, edge: undefined })
  })

  it('keys the structure, not positions', () => {
    const a = fromGraph(pipeline, manifests)
    const moved = a.nodes.map((n) => ({ ...n, position: { x: n.position.x + 5, y: 9 } }))
    expect(structureKey(moved, a.edges)).toBe(structureKey(a.nodes, a.edges))
    const changed = a.nodes.map((n, i) => (i === 2 ? { ...n, data: { ...n.data, params: { model: 'base' } } } : n))
    expect(structureKey(changed, a.edges)).not.toBe(structureKey(a.nodes, a.edges))
  })
})
