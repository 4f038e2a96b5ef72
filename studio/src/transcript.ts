// Transcripts as the nodes write them (`<node>.transcript.json`: language, duration,
// segments with optional words and speakers), flattened into timed tokens for the player:
// clicking a token seeks, and the token under the playhead is found by binary search so
// highlighting stays cheap on long recordings.
export type Word = { start: number; end: number; text: string; probability?: number; speaker?: string | null }
export type Segment = { id: number; start: number; end: number; text: string; words?: Word[] | null; speaker?: string | null }
export type Transcript = { language: string; duration: number; segments: Segment[] }

/** One clickable piece of text: a word when the transcript has word timings, else the
 *  whole segment. `segment` is the index into `segments`. */
export type Token = { start: number; end: number; text: string; segment: number }

export function isTranscript(v: unknown): v is Transcript {
  return typeof v === 'object' && v !== null && Array.isArray((v as Transcript).segments)
}

export function tokens(t: Transcript): Token[] {
  const out: Token[] = []
  t.segments.forEach((s, i) => {
    if (s.words && s.words.length) for (const w of s.words) out.push({ start: w.start, end: w.end, text: w.text, segment: i })
    else out.push({ start: s.start, end: s.end, text: s.text, segment: i })
  })
  return out
}

/** The index of the token playing at `time` (seconds): the last token starting at or before
 *  it, if it has not ended yet (a gap between words highlights nothing); -1 otherwise.
 *  `list` is sorted by start. */
export function tokenAt(list: Token[], time: number): number {
  let lo = 0
  let hi = list.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (list[mid].start <= time) { found = mid; lo = mid + 1 } else hi = mid - 1
  }
  return found >= 0 && time < list[found].end ? found : -1
}

/** `83.4` → `1:23.4`; over an hour `1:02:03.0`. */
export function clock(seconds: number): string {
  const s = Math.max(0, seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = (s % 60).toFixed(1).padStart(4, '0')
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`
}

/** Pairs each segment of the original with the translated segment that overlaps it most
 *  (translation keeps segment times, so usually the one with the same start). */
export function alignTranslation(original: Transcript, translated: Transcript): Array<string | null> {
  return original.segments.map((s) => {
    let best: Segment | null = null
    let bestOverlap = 0
    for (const t of translated.segments) {
      const overlap = Math.min(s.end, t.end) - Math.max(s.start, t.start)
      if (overlap > bestOverlap) { best = t; bestOverlap = overlap }
    }
    return best ? best.text.trim() : null
  })
}
