import { describe, expect, it } from 'vitest'
import { alignTranslation, clock, isTranscript, tokenAt, tokens, type Transcript } from '../src/transcript'

const t: Transcript = {
  language: 'en', duration: 6,
  segments: [
    { id: 0, start: 0.5, end: 2, text: ' Hello there.', speaker: 'SPEAKER_00', words: [{ start: 0.5, end: 1.0, text: ' Hello' }, { start: 1.2, end: 2.0, text: ' there.' }] },
    { id: 1, start: 3, end: 5, text: ' No words here.', speaker: 'SPEAKER_01' }
  ]
}

describe('word highlighting', () => {
  const list = tokens(t)
  it('flattens words, or whole segments without word timings', () => {
    expect(list.map((x) => x.text.trim())).toEqual(['Hello', 'there.', 'No words here.'])
    expect(list.map((x) => x.segment)).toEqual([0, 0, 1])
  })
  it('finds the token under the playhead, none in gaps', () => {
    expect(tokenAt(list, 0.2)).toBe(-1)
    expect(tokenAt(list, 0.5)).toBe(0)
    expect(tokenAt(list, 0.99)).toBe(0)
    expect(tokenAt(list, 1.1)).toBe(-1)
    expect(tokenAt(list, 1.5)).toBe(1)
    expect(tokenAt(list, 4)).toBe(2)
    expect(tokenAt(list, 5)).toBe(-1)
    expect(tokenAt([], 1)).toBe(-1)
  })
  it('is fast on long transcripts', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ start: i, end: i + 0.9, text: 'w', segment: 0 }))
    expect(tokenAt(many, 73_512.5)).toBe(73_512)
    expect(tokenAt(many, 73_512.95)).toBe(-1)
  })
  it('formats times and aligns translations by overlap', () => {
    expect(clock(83.44)).toBe('1:23.4')
    expect(clock(3723)).toBe('1:02:03.0')
    const es: Transcript = { language: 'es', duration: 6, segments: [{ id: 0, start: 0.5, end: 2, text: ' Hola.' }, { id: 1, start: 3, end: 5, text: ' Sin palabras.' }] }
    expect(alignTranslation(t, es)).toEqual(['Hola.', 'Sin palabras.'])
    expect(alignTranslation(t, { ...es, segments: [] })).toEqual([null, null])
    expect(isTranscript(t)).toBe(true)
    expect(isTranscript({ text: 'x' })).toBe(false)
  })
})
