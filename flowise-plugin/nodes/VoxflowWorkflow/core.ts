/**
 * Workflow: runs a saved Voxflow workflow (current version) on one audio input. No Flowise types.
 */
import { ConfigError, PLACEHOLDER_VALUE, type PendingUpload } from '../../src/fragment'
import type { JobResult, Progress, Voxflow } from '../../src/jobs'

export interface WorkflowOption {
    label: string
    name: string
    description?: string
}

export async function workflowOptions(vf: Voxflow): Promise<WorkflowOption[]> {
    const out: WorkflowOption[] = []
    let cursor: string | undefined
    do {
        const res = await vf.client.GET('/v1/workflows', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } })
        if (res.error !== undefined || !res.response.ok) throw (await import('../../src/client')).VoxflowError.fromBody(res.response.status, res.error)
        for (const w of res.data!.items) out.push({ label: `${w.name} (v${w.version})`, name: w.id, description: w.description ?? undefined })
        cursor = res.data!.next_cursor ?? undefined
    } while (cursor)
    return out
}

/**
 * The node ids that take the job's audio: `file` input ports no edge feeds, per the live
 * registry's manifests.
 */
export function inputNodes(graph: { nodes: Array<{ id: string; kind: string }>; edges: Array<{ target: string; target_port: string }> }, fileInputs: Record<string, string[]>): string[] {
    const ids: string[] = []
    for (const n of graph.nodes) {
        for (const port of fileInputs[n.kind] ?? []) {
            if (!graph.edges.some((e) => e.target === n.id && e.target_port === port)) ids.push(n.id)
        }
    }
    return ids
}

export async function runWorkflow(
    vf: Voxflow,
    workflowId: string,
    audio: string,
    upload: Omit<PendingUpload, 'nodeId'> | undefined,
    readUpload: (u: PendingUpload) => Promise<Uint8Array>,
    opts: { timeoutMs?: number; onProgress?: (p: Progress) => void } = {}
): Promise<JobResult> {
    if (!workflowId || workflowId === PLACEHOLDER_VALUE) throw new ConfigError('Workflow: pick a saved Voxflow workflow')
    const wf = await vf.client.GET('/v1/workflows/{id}', { params: { path: { id: workflowId } } })
    if (wf.error !== undefined || !wf.response.ok) throw (await import('../../src/client')).VoxflowError.fromBody(wf.response.status, wf.error)
    const nodes = await vf.client.GET('/v1/nodes')
    const fileInputs: Record<string, string[]> = {}
    for (const m of nodes.data?.items ?? []) fileInputs[m.kind] = m.inputs.filter((p) => p.port_type === 'file').map((p) => p.name)
    const ids = inputNodes(wf.data!.graph as any, fileInputs)
    if (ids.length !== 1) throw new ConfigError(`Workflow "${wf.data!.name}" takes ${ids.length} audio inputs; this node supplies exactly one`)
    let value = audio.trim()
    if (!value) {
        if (!upload) throw new ConfigError('Workflow: give an audio URL or file id, or upload an audio file in the chat')
        value = await vf.uploadFile(upload.name, upload.mime, await readUpload({ ...upload, nodeId: ids[0] }))
    }
    const jobId = await vf.submitWorkflow(workflowId, { [ids[0]]: value })
    opts.onProgress?.({ fraction: 0, message: `job ${jobId} queued` })
    return vf.results(await vf.awaitJob(jobId, { timeoutMs: opts.timeoutMs, onProgress: opts.onProgress }))
}
