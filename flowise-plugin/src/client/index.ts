/**
 * Voxflow's HTTP API through a client generated from `openapi/openapi.json`: the types are
 * the TypeScript SDK's (`sdks/typescript/src/schema.ts`, openapi-typescript; one generated
 * copy in the repository, kept current by `scripts/generate-sdks.sh` and its drift test),
 * imported for types only, so nothing of the SDK is bundled; calls go through openapi-fetch. Every non-2xx answer becomes
 * a `VoxflowError` carrying the problem's `detail`, so nodes can show it to the user.
 */
import createClient from 'openapi-fetch'
import type { components, paths } from '../../../sdks/typescript/src/schema'

export type Schemas = components['schemas']
export type VoxflowClient = ReturnType<typeof createClient<paths>>

export interface VoxflowConfig {
    /** e.g. `http://127.0.0.1:8080` (a trailing `/v1` or `/` is accepted). */
    baseUrl: string
    apiKey: string
    fetch?: typeof fetch
}

/** A Voxflow `application/problem+json` answer (or a transport failure, status 0). */
export class VoxflowError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        readonly detail: string,
        readonly errors: Array<{ field: string; message: string }> = []
    ) {
        super(VoxflowError.describe(status, code, detail, errors))
        this.name = 'VoxflowError'
    }

    static describe(status: number, code: string, detail: string, errors: Array<{ field: string; message: string }>): string {
        // The detail often repeats the first field error; list only what it does not say.
        const fields = errors.filter((e) => !detail.includes(e.message)).map((e) => `\n- ${e.field}: ${e.message}`).join('')
        return `Voxflow: ${detail}${fields}${status ? ` (${status}${code ? ` ${code}` : ''})` : ''}`
    }

    /** Builds the error from a response body (problem+json, OpenAI-style `{error}`, or text). */
    static fromBody(status: number, body: unknown): VoxflowError {
        if (body && typeof body === 'object') {
            const b = body as Record<string, any>
            if (typeof b.detail === 'string') return new VoxflowError(status, String(b.code ?? ''), b.detail, Array.isArray(b.errors) ? b.errors : [])
            if (b.error && typeof b.error.message === 'string') return new VoxflowError(status, String(b.error.code ?? ''), b.error.message)
        }
        const text = typeof body === 'string' && body.trim() ? body.trim().slice(0, 500) : `HTTP ${status}`
        return new VoxflowError(status, '', text)
    }
}

/** `http://host:8080/v1/` → `http://host:8080`. */
export function normalizeBaseUrl(url: string): string {
    const trimmed = (url ?? '').trim().replace(/\/+$/, '').replace(/\/v1$/, '')
    if (!/^https?:\/\/[^/]/i.test(trimmed)) throw new VoxflowError(0, 'bad_base_url', `base URL "${url}" is not an http(s) URL`)
    return trimmed
}

export function createVoxflowClient(cfg: VoxflowConfig): VoxflowClient {
    if (!cfg.apiKey) throw new VoxflowError(0, 'no_api_key', 'the Voxflow credential has no API key')
    const baseUrl = normalizeBaseUrl(cfg.baseUrl)
    const fetchImpl = cfg.fetch ?? globalThis.fetch
    return createClient<paths>({
        baseUrl,
        headers: { Authorization: `Bearer ${cfg.apiKey}` },
        // A refused connection is an error the user must see with the address it tried.
        fetch: async (req: Request) => {
            try {
                return await fetchImpl(req)
            } catch (e) {
                const cause = (e as any)?.cause?.code || (e as any)?.cause?.message || (e as Error).message
                throw new VoxflowError(0, 'unreachable', `cannot reach ${baseUrl} (${cause})`)
            }
        }
    })
}

/** Returns `data` of an openapi-fetch result or throws the problem as a `VoxflowError`. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
    if (result.error !== undefined || !result.response.ok) throw VoxflowError.fromBody(result.response.status, result.error)
    return result.data as T
}
