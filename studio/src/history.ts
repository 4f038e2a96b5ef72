// Undo/redo as two stacks of snapshots. Snapshots are whole (nodes, edges) values: React
// Flow state is immutable, so a snapshot is just the arrays' references (no copying).
// Consecutive pushes with the same `coalesce` key (e.g. typing in one param field, dragging
// one node) merge into one step, so undo does not replay every keystroke.
export class History<T> {
  private past: T[] = []
  private future: T[] = []
  private lastKey: string | null = null
  constructor(private readonly limit = 100) {}

  /** Records `before`, the state a change is about to replace. */
  push(before: T, coalesce?: string) {
    if (coalesce && coalesce === this.lastKey) return
    this.lastKey = coalesce ?? null
    this.past.push(before)
    if (this.past.length > this.limit) this.past.shift()
    this.future = []
  }
  undo(current: T): T | undefined {
    const prev = this.past.pop()
    if (prev === undefined) return undefined
    this.future.push(current)
    this.lastKey = null
    return prev
  }
  redo(current: T): T | undefined {
    const next = this.future.pop()
    if (next === undefined) return undefined
    this.past.push(current)
    this.lastKey = null
    return next
  }
  /** Ends coalescing: the next push is a new step even with the same key. */
  seal() { this.lastKey = null }
  clear() { this.past = []; this.future = []; this.lastKey = null }
  get canUndo() { return this.past.length > 0 }
  get canRedo() { return this.future.length > 0 }
}
