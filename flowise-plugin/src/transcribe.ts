/**
 * "Transcribe audio" as one call, for the nodes that take no graph (the agent tool and the
 * Agentflow node): audio source → (VAD) → Whisper, built with the generated nodes' own
 * `compose` so params are checked exactly as on the canvas. No Flowise types.
 */
import { compose as source } from '../nodes/VoxflowAudioSource/core'
import { compose as vad } from '../nodes/VoxflowVadSilero/core'
import { compose as whisper } from '../nodes/VoxflowWhisperTranscribe/core'
import { ConfigError, type GraphFragment, type PendingUpload } from './fragment'
import type { JobResult, Progress, Voxflow } from './jobs'

export interface TranscribeRequest {
    /** An http(s) URL or a Voxflow file id; empty means "the audio uploaded in the chat". */
    audio: string
    upload?: Omit<PendingUpload, 'nodeId'>
    model?: string
    language?: string
    task?: string
    vad?: boolean
}

export function transcribeGraph(req: TranscribeRequest): GraphFragment {
    const audio = (req.audio ?? '').trim()
    let src: GraphFragment
    if (audio) src = source('src', /^https?:\/\//i.test(audio) ? 'url' : 'fileId', audio, '')
    else if (req.upload) src = source('src', 'chatUpload', '', '', req.upload)
    else throw new ConfigError('Transcribe: give an audio URL or Voxflow file id, or upload an audio file in the chat')
    const regions = req.vad ? vad('vad', { audio: src }) : undefined
    return whisper('whisper', { audio: regions ?? src, model: req.model, language: req.language, task: req.task })
}

export async function transcribe(
    vf: Voxflow,
    req: TranscribeRequest,
    readUpload: (u: PendingUpload) => Promise<Uint8Array>,
    opts: { timeoutMs?: number; onProgress?: (p: Progress) => void } = {}
): Promise<JobResult> {
    const graph = transcribeGraph(req)
    const id = await vf.submitFragment(graph, readUpload)
    opts.onProgress?.({ fraction: 0, message: `job ${id} queued` })
    const job = await vf.awaitJob(id, { timeoutMs: opts.timeoutMs, onProgress: opts.onProgress })
    return vf.results(job, 'whisper')
}
