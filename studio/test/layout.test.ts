import { describe, expect, it } from 'vitest'
import { layeredLayout } from '../src/layout'
import { pipeline } from './helpers'

describe('layered layout', () => {
  it('puts each node one column after its longest input path', () => {
    const pos = layeredLayout(pipeline.nodes.map((n) => ({ id: n.id, width: 200, height: 80 })), pipeline.edges, { columnGap: 50, rowGap: 20 })
    expect(pos.get('audio1')).toEqual({ x: 0, y: 0 })
    expect(pos.get('vad1')!.x).toBe(250)
    expect(pos.get('whisper1')!.x).toBe(500) // after vad (longest path), not beside it
    expect(pos.get('export1')!.x).toBe(750)
  })

  it('stacks parallel nodes and survives cycles and dangling edges', () => {
    const pos = layeredLayout([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }], [
      { source: 'a', target: 'b' }, { source: 'a', target: 'c' }, { source: 'b', target: 'd' }, { source: 'd', target: 'b' }, { source: 'x', target: 'a' }
    ], { nodeHeight: 50, rowGap: 10 })
    expect(pos.size).toBe(4)
    expect(pos.get('b')!.x).toBe(pos.get('c')!.x)
    expect(pos.get('b')!.y).not.toBe(pos.get('c')!.y)
    const ys = [...pos.values()].filter((p) => p.x === pos.get('b')!.x).map((p) => p.y)
    expect(new Set(ys).size).toBe(ys.length) // no overlaps within a column
  })

  it('lays out 100 nodes quickly', () => {
    const nodes = Array.from({ length: 100 }, (_, i) => ({ id: `n${i}` }))
    const edges = nodes.slice(1).map((n, i) => ({ source: `n${Math.floor(i / 3)}`, target: n.id }))
    const t = performance.now()
    const pos = layeredLayout(nodes, edges)
    expect(performance.now() - t).toBeLessThan(50)
    expect(pos.size).toBe(100)
  })
})
