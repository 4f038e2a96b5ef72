/**
 * Run: submits the graph composed by the Voxflow nodes connected to it as one job, waits for
 * it (WebSocket, falling back to ETag polling) and reads the transcript. No Flowise types.
 */
import { ConfigError, fragmentsOf, mergeFragments, type GraphFragment, type PendingUpload } from '../../src/fragment'
import type { JobResult, Progress, Voxflow } from '../../src/jobs'

export interface RunParams {
    timeoutS: number
    transport: 'websocket' | 'poll'
}

export function runParams(raw: Record<string, unknown>): RunParams {
    const t = Number(raw.timeoutS ?? 3600)
    if (!Number.isFinite(t) || t <= 0) throw new ConfigError(`Run: timeout "${raw.timeoutS}" is not a positive number of seconds`)
    return { timeoutS: t, transport: raw.transport === 'poll' ? 'poll' : 'websocket' }
}

/** The one graph the connected fragments make together. */
export function composedGraph(value: unknown): GraphFragment {
    const fragments = fragmentsOf(value, 'Run: "Voxflow graph"')
    if (fragments.length === 0) throw new ConfigError('Run: connect the last Voxflow node of your graph (e.g. Whisper) to "Voxflow graph"')
    const f = mergeFragments(fragments)
    if (Object.keys(f.inputs).length + f.uploads.length === 0) throw new ConfigError('Run: the graph has no audio source')
    return f
}

export async function runGraph(
    vf: Voxflow,
    fragment: GraphFragment,
    params: RunParams,
    readUpload: (u: PendingUpload) => Promise<Uint8Array>,
    onProgress?: (p: Progress) => void
): Promise<JobResult> {
    const jobId = await vf.submitFragment(fragment, readUpload)
    onProgress?.({ fraction: 0, message: `job ${jobId} queued` })
    const job = await vf.awaitJob(jobId, { timeoutMs: params.timeoutS * 1000, transport: params.transport, onProgress })
    return vf.results(job, fragment.ports.transcript?.node)
}
