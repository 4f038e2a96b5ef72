import { describe, expect, it } from 'vitest'
import { History } from '../src/history'

describe('undo history', () => {
  it('undoes and redoes in order; a new change drops the redo stack', () => {
    const h = new History<number>()
    h.push(0); h.push(1) // states 0 → 1 → 2
    expect(h.undo(2)).toBe(1)
    expect(h.undo(1)).toBe(0)
    expect(h.undo(0)).toBeUndefined()
    expect(h.redo(0)).toBe(1)
    h.push(1) // a new change from 1
    expect(h.canRedo).toBe(false)
    expect(h.undo(5)).toBe(1)
  })

  it('coalesces consecutive changes with one key until sealed', () => {
    const h = new History<string>()
    h.push('a', 'typing'); h.push('ab', 'typing'); h.push('abc', 'typing')
    expect(h.undo('abcd')).toBe('a')
    h.push('x', 'drag'); h.seal(); h.push('y', 'drag')
    expect(h.undo('z')).toBe('y')
    expect(h.undo('y')).toBe('x')
  })

  it('keeps at most `limit` steps', () => {
    const h = new History<number>(3)
    for (let i = 0; i < 10; i++) h.push(i)
    expect([h.undo(10), h.undo(9), h.undo(8), h.undo(7)]).toEqual([9, 8, 7, undefined])
  })
})
