// Running the graph: an audio file dropped on the drop zone (or picked), uploaded with a
// progress bar, or an http(s) URL; then POST /v1/jobs with the graph and each unconnected
// `file` input bound to the file id or URL (`inputs: {<node id>: …}`).
import { useRef, useState } from 'react'
import type { Edge } from '@xyflow/react'
import { client, describe, must, type Problem } from '../api'
import { deny, useSession } from '../context'
import { fileInputs, toFlowJson, type SpeechNode } from '../graph'
import { uploadFile, type FileView } from './upload'
import { rememberInput } from './useJob'

export function RunPanel({ nodes, edges, workflowId, onStarted, blocked }: {
  nodes: SpeechNode[]
  edges: Edge[]
  /** A saved, unmodified workflow runs by id (the job then belongs to it). */
  workflowId: string | null
  onStarted: (jobId: string) => void
  blocked: string | null
}) {
  const { me, notify } = useSession()
  const [file, setFile] = useState<FileView | null>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [url, setUrl] = useState('')
  const [over, setOver] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const picker = useRef<HTMLInputElement>(null)
  const abort = useRef<AbortController | null>(null)
  const uploadDenied = deny(me, 'files:write')
  const runDenied = deny(me, 'jobs:write')
  const targets = fileInputs(nodes, edges)

  const upload = async (f: File) => {
    setProblem(null)
    setFile(null)
    setProgress(0)
    abort.current = new AbortController()
    try {
      setFile(await uploadFile(f, setProgress, abort.current.signal))
    } catch (e) {
      const p = (e as { problem?: Problem }).problem
      setProblem(p ?? { type: 'about:blank', title: 'Upload failed', detail: String((e as Error).message ?? e), status: 0, code: 'upload_failed' })
    } finally {
      setProgress(null)
      abort.current = null
    }
  }

  const source = file ? file.id : url.trim()
  const why = runDenied ?? blocked ?? (targets.length === 0 ? 'The graph has no file input to give the audio to (add “Decode audio”)' : null) ?? (!source ? 'Upload a file or give a URL first' : null)

  const run = async () => {
    if (why) return
    setBusy(true)
    setProblem(null)
    try {
      const inputs = Object.fromEntries(targets.map((t) => [t.node, source]))
      const body = workflowId ? { workflow_id: workflowId, inputs } : { graph: toFlowJson(nodes, edges) as never, inputs }
      const job = await must(client.POST('/v1/jobs', { body }))
      rememberInput(job.id, file ? { fileId: file.id, fileName: file.name } : { url: source })
      onStarted(job.id)
    } catch (e) {
      const p = (e as { problem?: Problem }).problem
      if (p) setProblem(p)
      else notify(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="run-panel" aria-label="Run">
      <h3>Run</h3>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        role="button"
        tabIndex={uploadDenied ? -1 : 0}
        aria-disabled={!!uploadDenied}
        aria-label="Audio file: drop a file here or press Enter to choose one"
        data-testid="dropzone"
        onKeyDown={(e) => { if ((e.key === 'Enter' || e.key === ' ') && !uploadDenied) { e.preventDefault(); picker.current?.click() } }}
        onClick={() => !uploadDenied && picker.current?.click()}
        onDragOver={(e) => { if (e.dataTransfer.types.includes('Files')) { e.preventDefault(); setOver(true) } }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => { e.preventDefault(); setOver(false); const f = e.dataTransfer.files[0]; if (f && !uploadDenied) void upload(f) }}
        title={uploadDenied ?? undefined}
      >
        {file ? <span>✓ <b>{file.name}</b> ({(file.size_bytes / 1024).toFixed(0)} KB, {file.content_type})</span> : <span>Drop audio here, or click to choose</span>}
        <input ref={picker} type="file" accept="audio/*,video/webm,video/mp4,.wav,.mp3,.flac,.ogg,.opus,.m4a,.webm" hidden data-testid="file-input" onChange={(e) => { const f = e.target.files?.[0]; if (f) void upload(f); e.target.value = '' }} />
      </div>
      {progress !== null && (
        <div className="upload-progress">
          <progress max={1} value={progress} aria-label="Upload progress" data-testid="upload-progress" /> {Math.round(progress * 100)}%
          <button type="button" className="link" onClick={() => abort.current?.abort()}>cancel</button>
        </div>
      )}
      <label className="field">or an audio URL
        <input type="url" placeholder="https://…/meeting.mp3" value={url} disabled={!!file} onChange={(e) => setUrl(e.target.value)} />
      </label>
      {file && <button type="button" className="link" onClick={() => setFile(null)}>use another file</button>}
      <button type="button" className="primary" onClick={run} disabled={!!why || busy} title={why ?? 'Run the graph (Ctrl+Enter)'} data-testid="run">
        {busy ? 'Starting…' : '▶ Run'}
      </button>
      {why && <small className="help" id="run-why">{why}</small>}
      {problem && <p role="alert" className="problem">{describe(problem)}{problem.errors?.length ? `: ${problem.errors.map((e) => `${e.field} ${e.message}`).join('; ')}` : ''}</p>}
    </section>
  )
}
