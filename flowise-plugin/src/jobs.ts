/**
 * Running Voxflow jobs: upload chat files, submit a graph, a saved workflow or a template, await the job
 * over the WebSocket (`GET /v1/ws`, subprotocol auth) with ETag polling as the fallback, and
 * read the transcript artifacts. No Flowise types here.
 */
import { createVoxflowClient, normalizeBaseUrl, unwrap, VoxflowError, type Schemas, type VoxflowClient, type VoxflowConfig } from './client'
import type { GraphFragment } from './fragment'

export type JobView = Schemas['JobView']
export const FINAL_STATES = ['succeeded', 'failed', 'cancelled']

export interface Progress {
    /** 0..1 over the whole job. */
    fraction: number
    /** One human line, e.g. `whisper_0: transcribe (3/3): 40%`. */
    message: string
}

export interface AwaitOptions {
    timeoutMs?: number
    /** `websocket` (falls back to polling) or `poll`. */
    transport?: 'websocket' | 'poll'
    onProgress?: (p: Progress) => void
    /** Upper bound on one poll wait (tests shorten it). */
    maxPollMs?: number
}

export interface Transcript {
    language?: string
    duration?: number
    segments: Array<{ id?: number; start: number; end: number; text: string; speaker?: string | null }>
}

export interface JobResult {
    job: JobView
    /** The transcript's plain text (or, without a transcript, the text/file artifacts joined). */
    text: string
    transcript?: Transcript
    /** Text artifacts other than the transcript (subtitle files, translations), by name. */
    artifacts: Record<string, string>
}

export class Voxflow {
    readonly client: VoxflowClient
    readonly baseUrl: string

    constructor(readonly cfg: VoxflowConfig) {
        this.client = createVoxflowClient(cfg)
        this.baseUrl = normalizeBaseUrl(cfg.baseUrl)
    }

    async uploadFile(name: string, mime: string, bytes: Uint8Array): Promise<string> {
        const form = new FormData()
        form.append('file', new Blob([new Uint8Array(bytes)], { type: mime || 'application/octet-stream' }), name || 'audio')
        const res = await this.client.POST('/v1/files', { body: form as any, bodySerializer: (b: any) => b })
        return unwrap(res).id
    }

    /** Uploads the fragment's pending chat files, then submits its graph. */
    async submitFragment(fragment: GraphFragment, readUpload: (u: GraphFragment['uploads'][number]) => Promise<Uint8Array>): Promise<string> {
        const inputs = { ...fragment.inputs }
        for (const u of fragment.uploads) inputs[u.nodeId] = await this.uploadFile(u.name, u.mime, await readUpload(u))
        const res = await this.client.POST('/v1/jobs', { body: { graph: { nodes: fragment.nodes, edges: fragment.edges } as any, inputs } })
        return unwrap(res).id
    }

    async submitWorkflow(workflowId: string, inputs: Record<string, string>, version?: number): Promise<string> {
        const res = await this.client.POST('/v1/jobs', { body: { workflow_id: workflowId, inputs, version: version ?? null } })
        return unwrap(res).id
    }

    /** Runs a published template version (pinned: `version`, else the newest published). */
    async submitTemplate(templateId: string, inputs: Record<string, string>, version?: number): Promise<string> {
        const res = await this.client.POST('/v1/jobs', { body: { template_id: templateId, inputs, version: version ?? null } })
        return unwrap(res).id
    }

    async getJob(id: string): Promise<JobView> {
        return unwrap(await this.client.GET('/v1/jobs/{id}', { params: { path: { id } } }))
    }

    /** Waits for a final state: WebSocket push first, ETag polling when that is unavailable. */
    async awaitJob(id: string, opts: AwaitOptions = {}): Promise<JobView> {
        const deadline = Date.now() + (opts.timeoutMs ?? 3600_000)
        if ((opts.transport ?? 'websocket') === 'websocket' && typeof (globalThis as any).WebSocket === 'function') {
            try {
                await this.awaitOverWebSocket(id, deadline, opts.onProgress)
                return await this.getJob(id)
            } catch (e) {
                if (e instanceof VoxflowError && e.code !== 'websocket') throw e
                // Fall through to polling (proxy without upgrades, old runtime…).
            }
        }
        return this.awaitByPolling(id, deadline, opts)
    }

    awaitOverWebSocket(id: string, deadline: number, onProgress?: (p: Progress) => void): Promise<void> {
        const url = this.baseUrl.replace(/^http/i, 'ws') + '/v1/ws'
        const WS = (globalThis as any).WebSocket
        return new Promise<void>((resolve, reject) => {
            let settled = false
            // Lifecycle events (node.started, node.succeeded…) carry no job_progress: they
            // report the last known fraction, so every update has a number in 0..1.
            let fraction = 0
            const report = (jobProgress: unknown, message: string) => {
                const f = Number(jobProgress)
                if (jobProgress !== undefined && jobProgress !== null && Number.isFinite(f)) fraction = Math.min(1, Math.max(0, f))
                onProgress?.({ fraction, message })
            }
            const ws = new WS(url, ['voxflow.v1', `bearer.${this.cfg.apiKey}`])
            const done = (err?: Error) => {
                if (settled) return
                settled = true
                clearTimeout(timer)
                try {
                    ws.close()
                } catch {
                    /* already closed */
                }
                err ? reject(err) : resolve()
            }
            const timer = setTimeout(() => done(new VoxflowError(0, 'timeout', `job ${id} did not finish in time`)), Math.max(0, deadline - Date.now()))
            ws.onopen = () => ws.send(JSON.stringify({ type: 'subscribe', job_ids: [id], since: 0 }))
            ws.onerror = () => done(new VoxflowError(0, 'websocket', 'WebSocket failed'))
            ws.onclose = () => done(new VoxflowError(0, 'websocket', 'WebSocket closed before the job finished'))
            ws.onmessage = (ev: { data: unknown }) => {
                let msg: any
                try {
                    msg = JSON.parse(String(ev.data))
                } catch {
                    return
                }
                if (msg.type === 'error') return done(VoxflowError.fromBody(0, { detail: msg.data?.detail ?? msg.data?.message ?? 'WebSocket error', code: msg.data?.code }))
                if (msg.job_id !== id) return
                if (msg.type === 'node.progress')
                    report(msg.data?.job_progress, `${msg.data?.node_id}: ${msg.data?.message || Math.round(100 * Number(msg.data?.progress ?? 0)) + '%'}`)
                else if (typeof msg.type === 'string' && msg.type.startsWith('node.')) report(msg.data?.job_progress, `${msg.data?.node_id}: ${msg.type.slice(5)}`)
                if (typeof msg.type === 'string' && FINAL_STATES.some((s) => msg.type === `job.${s}`)) done()
            }
        })
    }

    async awaitByPolling(id: string, deadline: number, opts: AwaitOptions): Promise<JobView> {
        let etag: string | undefined
        let view: JobView | undefined
        let lastMessage = ''
        for (;;) {
            const res = await this.client.GET('/v1/jobs/{id}', {
                params: { path: { id } },
                headers: etag ? { 'If-None-Match': etag } : {}
            })
            if (res.response.status !== 304) {
                view = unwrap(res)
                etag = res.response.headers.get('ETag') ?? undefined
                if (FINAL_STATES.includes(view.status)) return view
                const running = view.nodes.find((n) => n.status === 'running')
                const message = running ? `${running.node_id}: ${Math.round(running.progress * 100)}%` : view.status
                if (opts.onProgress && message !== lastMessage) opts.onProgress({ fraction: view.progress, message })
                lastMessage = message
            }
            if (Date.now() >= deadline) throw new VoxflowError(0, 'timeout', `job ${id} did not finish in time (last status: ${view?.status ?? 'unknown'})`)
            // The server suggests when to look again; never hammer it, never sleep past the deadline.
            const after = Number(res.response.headers.get('Voxflow-Poll-After') ?? '1')
            const waitMs = Math.min((Number.isFinite(after) && after > 0 ? after : 1) * 1000, opts.maxPollMs ?? 10_000, Math.max(0, deadline - Date.now()))
            await new Promise((r) => setTimeout(r, waitMs))
        }
    }

    async artifactText(jobId: string, name: string): Promise<string> {
        const res = await this.client.GET('/v1/jobs/{id}/artifacts/{name}', { params: { path: { id: jobId, name } }, parseAs: 'text' })
        return unwrap(res) as unknown as string
    }

    /**
     * Reads a finished job's results. `transcriptNode` picks the transcript when several nodes
     * produce one (default: the last in the job's node order).
     */
    async results(job: JobView, transcriptNode?: string): Promise<JobResult> {
        if (job.status !== 'succeeded') {
            const failed = job.nodes.find((n) => n.status === 'failed')
            const why = job.error ?? failed?.error ?? job.status
            throw new VoxflowError(0, `job_${job.status}`, `job ${job.id} ${job.status}${failed ? ` at node ${failed.node_id}` : ''}: ${why}`)
        }
        const order = job.nodes.map((n) => n.node_id)
        const rank = (nodeId: string) => order.indexOf(nodeId)
        const transcripts = job.outputs.filter((o) => o.port === 'transcript' && o.content_type.startsWith('application/json')).sort((a, b) => rank(a.node_id) - rank(b.node_id))
        const chosen = transcripts.find((t) => t.node_id === transcriptNode) ?? transcripts[transcripts.length - 1]
        const artifacts: Record<string, string> = {}
        for (const o of job.outputs) {
            if (o === chosen || !/^(text\/|application\/(json|x-subrip))/.test(o.content_type)) continue
            if (o.port === 'transcript') continue
            artifacts[o.name] = await this.artifactText(job.id, o.name)
        }
        let transcript: Transcript | undefined
        let text: string
        if (chosen) {
            transcript = JSON.parse(await this.artifactText(job.id, chosen.name)) as Transcript
            text = transcriptText(transcript)
        } else {
            text = Object.values(artifacts).join('\n\n')
        }
        return { job, text, transcript, artifacts }
    }
}

/** Plain text of a transcript, one segment after another (speakers prefixed when known). */
export function transcriptText(t: Transcript): string {
    let lastSpeaker: string | null | undefined
    const parts: string[] = []
    for (const s of t.segments ?? []) {
        const text = s.text.trim()
        if (!text) continue
        if (s.speaker && s.speaker !== lastSpeaker) parts.push(`\n[${s.speaker}] ${text}`)
        else parts.push(text)
        lastSpeaker = s.speaker
    }
    return parts.join(' ').replace(/ \n/g, '\n').trim()
}

export interface DocumentLike {
    pageContent: string
    metadata: Record<string, unknown>
}

/**
 * The transcript as documents for RAG: one per segment group of about `chunkSeconds`, with
 * timings, job id and language in the metadata (so an answer can cite where it was said).
 */
export function transcriptDocuments(r: JobResult, chunkSeconds = 60, source?: string): DocumentLike[] {
    const base = { source: source ?? `voxflow:job/${r.job.id}`, job_id: r.job.id, language: r.transcript?.language }
    if (!r.transcript) return r.text ? [{ pageContent: r.text, metadata: base }] : []
    const docs: DocumentLike[] = []
    let group: Transcript['segments'] = []
    const flush = () => {
        if (group.length === 0) return
        const pageContent = transcriptText({ segments: group })
        if (pageContent) docs.push({ pageContent, metadata: { ...base, start: group[0].start, end: group[group.length - 1].end } })
        group = []
    }
    for (const s of r.transcript.segments ?? []) {
        if (group.length > 0 && s.end - group[0].start > chunkSeconds) flush()
        group.push(s)
    }
    flush()
    return docs
}
