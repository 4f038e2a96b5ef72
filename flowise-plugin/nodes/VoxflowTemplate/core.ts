/**
 * Template: runs a published Voxflow workflow template (the platform's or your provider's,
 * offered to your tenant) on one audio input, as `POST /v1/jobs` with `template_id` and the
 * version pinned. No Flowise types.
 */
import { VoxflowError } from '../../src/client'
import { ConfigError, PLACEHOLDER_VALUE, type PendingUpload } from '../../src/fragment'
import type { JobResult, Progress, Voxflow } from '../../src/jobs'
import { inputNodes } from '../VoxflowWorkflow/core'

export interface TemplateOption {
    label: string
    name: string
    description?: string
}

/** The templates offered to the caller's tenant (`GET /v1/templates`: published ones). */
export async function templateOptions(vf: Voxflow): Promise<TemplateOption[]> {
    const out: TemplateOption[] = []
    let cursor: string | undefined
    do {
        const res = await vf.client.GET('/v1/templates', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } })
        if (res.error !== undefined || !res.response.ok) throw VoxflowError.fromBody(res.response.status, res.error)
        for (const t of res.data!.items) {
            const where = [t.category, t.published_version ? `v${t.published_version}` : undefined].filter(Boolean).join(', ')
            out.push({ label: where ? `${t.name} (${where})` : t.name, name: t.id, description: t.description ?? undefined })
        }
        cursor = res.data!.next_cursor ?? undefined
    } while (cursor)
    return out
}

/** `""`/unset: the newest published version; otherwise a positive whole number. */
export function versionOf(raw: unknown): number | undefined {
    if (raw === undefined || raw === null || String(raw).trim() === '') return undefined
    const n = Number(String(raw).trim())
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`Template: version "${raw}" is not a version number (leave it empty for the newest)`)
    return n
}

export async function runTemplate(
    vf: Voxflow,
    templateId: string,
    version: number | undefined,
    audio: string,
    upload: Omit<PendingUpload, 'nodeId'> | undefined,
    readUpload: (u: PendingUpload) => Promise<Uint8Array>,
    opts: { timeoutMs?: number; transport?: 'websocket' | 'poll'; onProgress?: (p: Progress) => void } = {}
): Promise<JobResult> {
    if (!templateId || templateId === PLACEHOLDER_VALUE) throw new ConfigError('Template: pick a Voxflow template')
    // The version to run, pinned now: its graph says which node takes the audio.
    const t = await vf.client.GET('/v1/templates/{id}', { params: { path: { id: templateId } } })
    if (t.error !== undefined || !t.response.ok) throw VoxflowError.fromBody(t.response.status, t.error)
    const number = version ?? t.data!.published_version ?? undefined
    if (!number) throw new ConfigError(`Template "${t.data!.name}" has no published version`)
    const v = await vf.client.GET('/v1/templates/{id}/versions/{version}', { params: { path: { id: templateId, version: number } } })
    if (v.error !== undefined || !v.response.ok) throw VoxflowError.fromBody(v.response.status, v.error)
    const nodes = await vf.client.GET('/v1/nodes')
    const fileInputs: Record<string, string[]> = {}
    for (const m of nodes.data?.items ?? []) fileInputs[m.kind] = m.inputs.filter((p) => p.port_type === 'file').map((p) => p.name)
    const ids = inputNodes(v.data!.graph as any, fileInputs)
    if (ids.length !== 1) throw new ConfigError(`Template "${t.data!.name}" v${number} takes ${ids.length} audio inputs; this node supplies exactly one`)
    let value = audio.trim()
    if (!value) {
        if (!upload) throw new ConfigError('Template: give an audio URL or file id, or upload an audio file in the chat')
        value = await vf.uploadFile(upload.name, upload.mime, await readUpload({ ...upload, nodeId: ids[0] }))
    }
    const jobId = await vf.submitTemplate(templateId, { [ids[0]]: value }, number)
    opts.onProgress?.({ fraction: 0, message: `job ${jobId} queued (template "${t.data!.name}" v${number})` })
    return vf.results(await vf.awaitJob(jobId, { timeoutMs: opts.timeoutMs, transport: opts.transport, onProgress: opts.onProgress }))
}
