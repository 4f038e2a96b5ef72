/**
 * Glue between Flowise's runtime and the plugin: the `voxflowApi` credential, uploaded chat
 * files, progress streaming, LangChain documents and load-method placeholders. Flowise's own
 * helpers are required lazily from the components package the node was installed into
 * (`flowise-components`, or a fork's renamed one such as `keelflow-components`: see
 * `flowiseComponents`); tests replace them with `setRuntime`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { VoxflowError } from './client'
import { ConfigError, NO_PRESET, PLACEHOLDER_VALUE, type NodeSpec, type PendingUpload } from './fragment'
import type { ICommonObject, INodeData, INodeOptionsValue, INodeParams } from './flowise-types'
import { Voxflow, transcriptDocuments, type JobResult, type Progress } from './jobs'

export const CREDENTIAL_NAME = 'voxflowApi'
export const CATEGORY = 'Voxflow'
export const AUTHOR = 'Voxflow'

export interface Runtime {
    /** The decrypted `voxflowApi` credential of a node. */
    credential(nodeData: INodeData, options: ICommonObject): Promise<{ baseUrl?: string; apiKey?: string }>
    /** Bytes of a file uploaded in the chat and kept in Flowise's storage. */
    storedFile(name: string, chatflowId: string, chatId: string, options: ICommonObject): Promise<Uint8Array>
    /** A LangChain `Document` (Flowise's own `@langchain/core`). */
    document(pageContent: string, metadata: Record<string, unknown>): unknown
}

let components: any

/**
 * The running Flowise's components package. The installer copies each node to
 * `<components>/dist/nodes/voxflow/<Node>/<Node>.js`, so the package is the folder four levels
 * up, whatever its name (a fork renames `flowise-components`); it is required by path, which
 * loads the same module instance Flowise's server uses. Outside an install (the plugin's own
 * `dist/`), it falls back to `require('flowise-components')`.
 */
export function componentsDir(nodeDir: string = __dirname): string | undefined {
    const root = resolve(nodeDir, '../../../..')
    if (!existsSync(join(root, 'dist/nodes/voxflow'))) return undefined
    try {
        const name = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name
        return typeof name === 'string' && name !== 'flowise-voxflow' ? root : undefined
    } catch {
        return undefined
    }
}

function flowiseComponents(): any {
    if (!components) {
        const dir = componentsDir()
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        components = dir ? require(dir) : require('flowise-components')
    }
    return components
}

const flowiseRuntime: Runtime = {
    async credential(nodeData, options) {
        const fc = flowiseComponents()
        const data = await fc.getCredentialData(nodeData.credential ?? '', options)
        return { baseUrl: fc.getCredentialParam('baseUrl', data, nodeData), apiKey: fc.getCredentialParam('apiKey', data, nodeData) }
    },
    async storedFile(name, chatflowId, chatId, options) {
        const fc = flowiseComponents()
        // Flowise 3.x stores chat uploads under <orgId>/<chatflowId>/<chatId> (2.x had no orgId).
        const paths = options.orgId ? [options.orgId, chatflowId, chatId] : [chatflowId, chatId]
        return new Uint8Array(await fc.getFileFromStorage(name, ...paths))
    },
    document(pageContent, metadata) {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { Document } = require('@langchain/core/documents')
        return new Document({ pageContent, metadata })
    }
}

let runtime: Runtime = flowiseRuntime

/** Replaces Flowise's helpers (tests); returns the previous runtime. */
export function setRuntime(r: Runtime): Runtime {
    const prev = runtime
    runtime = r
    return prev
}

export function getRuntime(): Runtime {
    return runtime
}

export const credentialParam: INodeParams = {
    label: 'Connect Credential',
    name: 'credential',
    type: 'credential',
    credentialNames: [CREDENTIAL_NAME]
}

export async function voxflowFor(nodeData: INodeData, options: ICommonObject = {}): Promise<Voxflow> {
    const c = await runtime.credential(nodeData, options)
    if (!c.baseUrl) throw new ConfigError('Voxflow: connect a "Voxflow API" credential with a base URL')
    if (!c.apiKey) throw new ConfigError('Voxflow: the "Voxflow API" credential has no API key')
    return new Voxflow({ baseUrl: c.baseUrl, apiKey: c.apiKey })
}

/** Bytes of a pending chat upload. */
export async function readUpload(u: PendingUpload, options: ICommonObject = {}): Promise<Uint8Array> {
    if (u.storage === 'base64') {
        const comma = u.data.indexOf(',')
        return new Uint8Array(Buffer.from(comma >= 0 ? u.data.slice(comma + 1) : u.data, 'base64'))
    }
    return runtime.storedFile(u.data, u.chatflowId ?? options.chatflowid ?? '', u.chatId ?? options.chatId ?? '', options)
}

/**
 * The first audio file among the chat's uploads (`options.uploads`), if any. Flowise's
 * prediction handler stores every `audio`/`file` upload sent as a data URI in its storage
 * before any node runs and passes nodes `{ type: 'stored-file', name, mime }` without the data,
 * so the stored file is read back by name; a data URI is only still there if a caller hands
 * the node unprocessed uploads.
 */
export function chatAudioUpload(options: ICommonObject = {}): Omit<PendingUpload, 'nodeId'> | undefined {
    const uploads: any[] = Array.isArray(options.uploads) ? options.uploads : []
    const u = uploads.find((x) => typeof x?.mime === 'string' && (x.mime.startsWith('audio/') || x.mime === 'video/webm' || x.mime === 'video/mp4'))
    if (!u) return undefined
    const isData = typeof u.data === 'string' && u.data.startsWith('data:')
    if (!isData && !u.name) throw new ConfigError('Audio source: the chat upload has neither data nor a stored file name')
    return {
        name: u.name ?? 'audio',
        mime: u.mime,
        storage: isData ? 'base64' : 'stored-file',
        data: isData ? u.data : u.name,
        chatflowId: options.chatflowid,
        chatId: options.chatId
    }
}

/**
 * Job progress for a prediction Flowise streams (`options.sseStreamer`, with the `chatId`):
 * each update goes out as a custom `voxflowProgress` event ({fraction, message}, for API
 * clients) and, with `thinking`, as a line of Flowise's `thinking` event, which the chat UI
 * shows in its collapsible "thinking" card above the answer and closes with the duration when
 * the job ends. Progress is never sent as `token` events: those are the answer's text.
 *
 * When Flowise streams (3.1.4): Agentflow v2 always passes `sseStreamer` to nodes; a chatflow
 * only when its ending node is a whitelisted Chain/Agent/Engine fed by a streaming chat model
 * (`isFlowValidForStream`), never when a node's "Ending Node" output ends the flow — so the
 * Run/Workflow/Job Status nodes ending a chatflow get no streamer and answer at once.
 */
export async function withProgress<T>(
    options: ICommonObject | undefined,
    work: (onProgress?: (p: Progress) => void) => Promise<T>,
    { thinking = true } = {}
): Promise<T> {
    const streamer = options?.sseStreamer
    const chatId = options?.chatId
    if (!streamer || !chatId || options?.shouldStreamResponse === false) return work(undefined)
    const started = Date.now()
    let thought = false
    const send = (f: () => void) => {
        try {
            f()
        } catch {
            /* a closed stream must not fail the job */
        }
    }
    try {
        return await work((p) => {
            send(() => streamer.streamCustomEvent?.(chatId, 'voxflowProgress', p))
            if (thinking && typeof streamer.streamThinkingEvent === 'function') {
                thought = true
                send(() => streamer.streamThinkingEvent(chatId, `Voxflow ${p.message}\n`))
            }
        })
    } finally {
        if (thought) send(() => streamer.streamThinkingEvent(chatId, '', Math.max(1, Math.round((Date.now() - started) / 1000))))
    }
}

export function documentsOf(r: JobResult, chunkSeconds?: number): unknown[] {
    return transcriptDocuments(r, chunkSeconds).map((d) => runtime.document(d.pageContent, d.metadata))
}

/**
 * Flowise swallows load-method errors and shows an empty list: answer one placeholder option
 * whose label says what went wrong instead (its value is ignored if saved).
 */
export function placeholderOption(err: unknown): INodeOptionsValue[] {
    const message = err instanceof Error ? err.message : String(err)
    return [{ label: `⚠ ${message}`, name: PLACEHOLDER_VALUE, description: message }]
}

/** Whisper models installed on the server (`GET /v1/models`); other kinds (e.g. the VAD) offer
 *  their manifest default, which the server resolves to the newest installed file. */
export async function listModels(spec: NodeSpec, nodeData: INodeData, options?: ICommonObject): Promise<INodeOptionsValue[]> {
    const fallback = spec.params.find((p) => p.name === 'model')?.default
    if (!spec.kind.startsWith('whisper.') && typeof fallback === 'string') return [{ label: `${fallback} (server default)`, name: fallback }]
    try {
        const vf = await voxflowFor(nodeData, options)
        const res = await vf.client.GET('/v1/models')
        if (res.error !== undefined || !res.response.ok) throw VoxflowError.fromBody(res.response.status, res.error)
        const models = (res.data?.data ?? []).map((m) => m.id).filter((id) => id !== 'whisper-1')
        if (models.length === 0) return placeholderOption('Voxflow: no Whisper model is installed on the server')
        return models.map((id) => ({ label: id, name: id }))
    } catch (e) {
        return placeholderOption(e)
    }
}

/** Languages from the live registry (the manifest's `language` param lists its options). */
export async function listLanguages(kind: string, nodeData: INodeData, options?: ICommonObject): Promise<INodeOptionsValue[]> {
    try {
        const vf = await voxflowFor(nodeData, options)
        const res = await vf.client.GET('/v1/nodes/{kind}', { params: { path: { kind } } })
        if (res.error !== undefined || !res.response.ok) throw VoxflowError.fromBody(res.response.status, res.error)
        const prop = (res.data?.params_schema as any)?.properties?.language
        const opts: Array<{ value: string; label: string }> = prop?.['x-ui']?.options ?? []
        if (opts.length === 0) return placeholderOption(`Voxflow: node ${kind} lists no languages`)
        return opts.map((o) => ({ label: o.label, name: o.value }))
    } catch (e) {
        return placeholderOption(e)
    }
}

/** One node preset as `GET /v1/nodes/{kind}` lists it (`presets`, with `presets:read`). */
export interface PresetRef {
    id: string
    name: string
    owner: 'platform' | 'reseller' | 'tenant' | string
    description?: string
}

const OWNER_LABELS: Record<string, string> = { platform: 'platform', reseller: 'your provider', tenant: 'your team' }

/** The preset dropdown's options: "no preset", then the node presets of `kind` the caller's
 *  API key may use (from the live registry, per caller), labelled with who owns them. */
export function presetOptions(presets: PresetRef[] | undefined): INodeOptionsValue[] {
    const none = { label: 'No preset', name: NO_PRESET, description: "Only this node's own parameters" }
    if (presets === undefined) return placeholderOption('Voxflow: this API key may not read node presets (it lacks presets:read)')
    return [none, ...presets.map((p) => ({ label: `${p.name} (${OWNER_LABELS[p.owner] ?? p.owner})`, name: p.id, description: p.description ?? undefined }))]
}

/** Presets of a node kind from the live server (`GET /v1/nodes/{kind}` → `presets`). A kind
 *  the caller cannot run (outside its plan, not installed on the server) says so here, on the
 *  canvas, before a run: the dropdown opens with a warning that carries the server's detail. */
export async function listPresets(kind: string, nodeData: INodeData, options?: ICommonObject): Promise<INodeOptionsValue[]> {
    try {
        const vf = await voxflowFor(nodeData, options)
        const res = await vf.client.GET('/v1/nodes/{kind}', { params: { path: { kind } } })
        if (res.error !== undefined || !res.response.ok) throw VoxflowError.fromBody(res.response.status, res.error)
        const data = res.data as { presets?: PresetRef[]; availability?: { available?: boolean; reason?: string; detail?: string } } | undefined
        const availability = data?.availability
        if (availability?.available === false) {
            const why = availability.reason === 'not_in_plan' ? 'not in your plan' : 'not available on this server'
            return placeholderOption(`Voxflow: ${kind} is ${why}${availability.detail ? ` — ${availability.detail}` : ''}`)
        }
        // `presets` is absent without presets:read (and in specs older than presets).
        return presetOptions(data?.presets)
    } catch (e) {
        return placeholderOption(e)
    }
}

/** An error as the user should read it (Voxflow's problem detail, or our own message). */
export function userMessage(e: unknown): string {
    if (e instanceof VoxflowError || e instanceof ConfigError) return e.message
    return `Voxflow plugin error: ${e instanceof Error ? e.message : String(e)}`
}

/** Rethrows anything as an Error whose message is what the user should read. */
export function rethrow(e: unknown): never {
    if (e instanceof VoxflowError || e instanceof ConfigError) throw e
    throw new Error(userMessage(e))
}
