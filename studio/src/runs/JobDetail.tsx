// One job: live state per node, the transport in use, cancel and retry, every artifact as a
// download, and the transcript (with the translation beside it) once it has succeeded.
import { useEffect, useMemo, useState } from 'react'
import { client, must, type JobView } from '../api'
import { deny, useSession } from '../context'
import { isTranscript, type Transcript } from '../transcript'
import { fetchBlob, fetchJson, saveBlob } from './download'
import { isFinal } from './events'
import { TranscriptView } from './TranscriptView'
import { inputOf, useJob } from './useJob'
import type { Transport } from './watch'

const TRANSPORT_LABEL: Record<Transport, string> = { connecting: 'Connecting…', websocket: 'Live (WebSocket)', polling: 'Polling', finished: 'Finished' }

/** The transcripts to show: the last transcript before any translation (speaker-labelled if
 *  the graph assigns speakers), and the first translation's. */
function pickTranscripts(job: JobView) {
  const kindOf = new Map(job.nodes.map((n) => [n.node_id, n.kind]))
  const ts = job.outputs.filter((o) => o.name.endsWith('.transcript.json'))
  const translated = ts.find((o) => kindOf.get(o.node_id) === 'translate.text') ?? null
  const originals = ts.filter((o) => kindOf.get(o.node_id) !== 'translate.text')
  const original = originals.find((o) => kindOf.get(o.node_id) === 'transcript.assign_speakers') ?? originals[0] ?? null
  return { original, translated }
}

export function JobDetail({ jobId, onJob }: { jobId: string; onJob?: (j: JobView) => void }) {
  const { me, notify } = useSession()
  const { job, transport, rewatch } = useJob(jobId, notify)
  const [transcript, setTranscript] = useState<Transcript | null>(null)
  const [translated, setTranslated] = useState<Transcript | null>(null)
  const [audioUrl, setAudioUrl] = useState<string | null>(null)
  const input = useMemo(() => inputOf(jobId), [jobId])
  const writeDenied = deny(me, 'jobs:write')

  useEffect(() => { if (job) onJob?.(job) }, [job, onJob])

  const done = job?.status === 'succeeded'
  const picked = useMemo(() => (job && done ? pickTranscripts(job) : null), [job, done])
  useEffect(() => {
    setTranscript(null)
    setTranslated(null)
    if (!picked) return
    let live = true
    const load = (name: string) => fetchJson<unknown>(`/v1/jobs/${jobId}/artifacts/${encodeURIComponent(name)}`)
    if (picked.original) void load(picked.original.name).then((t) => live && isTranscript(t) && setTranscript(t), notify)
    if (picked.translated) void load(picked.translated.name).then((t) => live && isTranscript(t) && setTranslated(t), notify)
    return () => { live = false }
  }, [picked, jobId, notify])

  // The player: the uploaded file, fetched with the token into a blob URL.
  useEffect(() => {
    if (!input?.fileId) { setAudioUrl(input?.url ?? null); return }
    let url: string | null = null
    let live = true
    void fetchBlob(`/v1/files/${input.fileId}/content`).then((b) => { if (live) { url = URL.createObjectURL(b); setAudioUrl(url) } }, () => {})
    return () => { live = false; if (url) URL.revokeObjectURL(url) }
  }, [input])

  const cancel = async () => { try { await must(client.POST('/v1/jobs/{id}/cancel', { params: { path: { id: jobId } } })); rewatch() } catch (e) { notify(e) } }
  const retry = async () => { try { await must(client.POST('/v1/jobs/{id}/retry', { params: { path: { id: jobId } } })); rewatch() } catch (e) { notify(e) } }
  const download = async (name: string) => {
    try { saveBlob(await fetchBlob(`/v1/jobs/${jobId}/artifacts/${encodeURIComponent(name)}`), name) } catch (e) { notify(e) }
  }

  if (!job) return <section className="job" aria-busy="true"><p>Loading job {jobId}…</p></section>
  const final = isFinal(job.status)
  return (
    <section className="job" aria-label={`Job ${job.id}`}>
      <header className="job-head" aria-live="polite">
        <h2>Run <code data-testid="job-id" title={job.id}>{job.id.slice(0, 8)}</code> <span className={`status status-${job.status}`} data-testid="job-status">{job.status}</span></h2>
        <span className={`transport transport-${transport.t}`} data-testid="transport" title={transport.why ?? ''}>{TRANSPORT_LABEL[transport.t]}</span>
        <progress max={1} value={job.progress} aria-label="Job progress" />
        <span>{Math.round(job.progress * 100)}%</span>
        {!final && <button type="button" onClick={cancel} disabled={!!writeDenied} title={writeDenied ?? 'Cancel this job'}>Cancel</button>}
        {(job.status === 'failed' || job.status === 'cancelled') && <button type="button" onClick={retry} disabled={!!writeDenied} title={writeDenied ?? 'Run it again, reusing what succeeded'}>Retry</button>}
      </header>
      {transport.why && transport.t === 'polling' && <p className="help">Polling because {transport.why}.</p>}
      {job.error && <p role="alert" className="problem">{job.error}</p>}
      <ol className="job-nodes" aria-label="Node states">
        {job.nodes.map((n) => (
          <li key={n.node_id} className={`status-${n.status}`} data-testid={`job-node-${n.node_id}`}>
            <b>{n.node_id}</b> <small>{n.kind}</small> <span className="status">{n.status}</span>
            <progress max={1} value={n.progress} aria-label={`${n.node_id} progress`} />
            {n.error && <span className="error"> {n.error}</span>}
          </li>
        ))}
      </ol>
      {job.outputs.length > 0 && (
        <div className="artifacts" aria-label="Downloads">
          <h3>Downloads</h3>
          {job.outputs.map((o) => (
            <button key={o.name} type="button" onClick={() => download(o.name)} data-testid={`download-${o.name}`} title={o.content_type}>⬇ {o.name}</button>
          ))}
        </div>
      )}
      {transcript && <TranscriptView transcript={transcript} translated={translated} audioUrl={audioUrl} />}
    </section>
  )
}
