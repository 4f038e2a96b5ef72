// The transcript with speakers and timestamps, an audio player of the job's input where
// clicking a word (or a segment without word timings) seeks there, and the word under the
// playhead highlighted while playing. The translation, when the graph has one, sits beside
// each original segment. Rows are memoised: only the row holding the playhead re-renders.
import { Fragment, memo, useEffect, useMemo, useRef, useState } from 'react'
import { alignTranslation, clock, tokenAt, tokens, type Segment, type Token, type Transcript } from '../transcript'

type RowProps = { seg: Segment; index: number; toks: Token[]; first: number; active: number; translation: string | null | undefined; seek: (t: number) => void }

const Row = memo(function Row({ seg, index, toks, first, active, translation, seek }: RowProps) {
  return (
    <tr className={active >= 0 ? 'playing' : ''}>
      <td className="time"><button type="button" className="link" onClick={() => seek(seg.start)} aria-label={`Play from ${clock(seg.start)}`}>{clock(seg.start)}</button></td>
      <td className="speaker">{seg.speaker ?? ''}</td>
      <td className="text" data-testid={`segment-${index}`}>
        {toks.map((t, i) => (
          // A space between the word buttons keeps the text readable when copied or read aloud.
          <Fragment key={i}>{i > 0 && ' '}<button type="button" className={first + i === active ? 'word current' : 'word'} aria-current={first + i === active ? 'true' : undefined} onClick={() => seek(t.start)} title={`${clock(t.start)}–${clock(t.end)}`}>
            {t.text.trim()}
          </button></Fragment>
        ))}
      </td>
      {translation !== undefined && <td className="translation" lang="">{translation ?? ''}</td>}
    </tr>
  )
})

export function TranscriptView({ transcript, translated, audioUrl }: { transcript: Transcript; translated?: Transcript | null; audioUrl?: string | null }) {
  const list = useMemo(() => tokens(transcript), [transcript])
  const aligned = useMemo(() => (translated ? alignTranslation(transcript, translated) : null), [transcript, translated])
  const audio = useRef<HTMLAudioElement>(null)
  const [time, setTime] = useState(-1)
  const [unplayable, setUnplayable] = useState(false)
  // While playing, follow the playhead every frame (timeupdate alone is ~4 Hz, too coarse
  // for word highlighting); paused, follow seeks.
  useEffect(() => {
    const a = audio.current
    if (!a) return
    let frame = 0
    const tick = () => { setTime(a.currentTime); frame = requestAnimationFrame(tick) }
    const play = () => { cancelAnimationFrame(frame); frame = requestAnimationFrame(tick) }
    const stop = () => { cancelAnimationFrame(frame); setTime(a.currentTime) }
    a.addEventListener('play', play)
    a.addEventListener('pause', stop)
    a.addEventListener('seeked', stop)
    a.addEventListener('ended', stop)
    return () => { cancelAnimationFrame(frame); a.removeEventListener('play', play); a.removeEventListener('pause', stop); a.removeEventListener('seeked', stop); a.removeEventListener('ended', stop) }
  }, [audioUrl])
  const active = time < 0 ? -1 : tokenAt(list, time)
  const seek = useMemo(() => (t: number) => {
    const a = audio.current
    if (!a) return
    a.currentTime = t + 0.001
    void a.play().catch(() => {})
  }, [])
  const firstOf = useMemo(() => {
    const m: number[] = []
    list.forEach((t, i) => { if (m[t.segment] === undefined) m[t.segment] = i })
    return m
  }, [list])
  const bySegment = useMemo(() => transcript.segments.map((_, i) => list.filter((t) => t.segment === i)), [transcript, list])
  const activeSegment = active >= 0 ? list[active].segment : -1
  return (
    <section className="transcript" aria-label="Transcript">
      {audioUrl ? <audio ref={audio} src={audioUrl} controls preload="auto" data-testid="player" onError={() => setUnplayable(true)} /> : <p className="help">The input’s audio is not available here (only runs started in this browser remember their file).</p>}
      {unplayable && <p className="help">This recording cannot be played here{audioUrl?.startsWith('blob:') ? '' : ' (a URL on another site: Studio plays only uploaded files)'}.</p>}
      <p className="help">Language <b>{transcript.language}</b>, {clock(transcript.duration)} · click a word to play from there</p>
      <table>
        <thead>
          <tr><th scope="col">Time</th><th scope="col">Speaker</th><th scope="col">Original</th>{aligned && <th scope="col">Translation</th>}</tr>
        </thead>
        <tbody>
          {transcript.segments.map((s, i) => (
            <Row key={i} seg={s} index={i} toks={bySegment[i]} first={firstOf[i] ?? 0} active={activeSegment === i ? active : -1} translation={aligned ? aligned[i] : undefined} seek={seek} />
          ))}
        </tbody>
      </table>
      {transcript.segments.length === 0 && <p>No speech was transcribed.</p>}
    </section>
  )
}
