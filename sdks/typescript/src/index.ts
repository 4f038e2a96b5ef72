// @voxflow/sdk: a typed client for the Voxflow API.
//
// `schema.ts` is generated from openapi/openapi.json (scripts/generate-sdks.sh); this file adds
// what a spec cannot express: auth, multipart upload, waiting on a job (ETag polling or the
// WebSocket), and errors as exceptions carrying the RFC 9457 problem. Every route is also reachable directly,
// typed by path: `client.GET("/v1/jobs/{id}", { params: { path: { id } } })`.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";
type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type FileView = Schemas["FileView"];
export type JobView = Schemas["JobView"];
export type JobState = Schemas["JobState"];
export type JobSummary = Schemas["JobSummary"];
export type CreateJobRequest = Schemas["CreateJobRequest"];
export type TokenResponse = Schemas["TokenResponse"];
export type VoxflowClient = Client<paths>;

export interface VoxflowOptions {
  /** Where the service listens, e.g. `http://127.0.0.1:8080` (without `/v1`). */
  baseUrl: string;
  /** An API key (`vf_…`) or an access token from `login()`; sent as a bearer token. */
  token?: string;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
}

/** A client for `baseUrl`, authenticated with `token` (an API key or an access token). */
export function createVoxflowClient(options: VoxflowOptions): VoxflowClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    fetch: options.fetch,
  });
  const token = options.token;
  if (token) {
    client.use({
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
}

/** An error answer from Voxflow; `problem` is its problem+json body when it sent one. */
export class VoxflowError extends Error {
  constructor(
    readonly status: number,
    readonly problem?: Problem,
  ) {
    super(problem ? `${problem.title}: ${problem.detail} (${problem.code})` : `HTTP ${status}`);
    this.name = "VoxflowError";
  }
}

/** The data of a successful openapi-fetch result; throws `VoxflowError` otherwise. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  const { data, error, response } = result;
  if (response.ok && data !== undefined) return data;
  const problem =
    error && typeof error === "object" && "code" in error ? (error as Problem) : undefined;
  throw new VoxflowError(response.status, problem);
}

/** Logs in with a user's email and password; returns the tokens and a client that uses them. */
export async function login(
  baseUrl: string,
  email: string,
  password: string,
  options: Omit<VoxflowOptions, "baseUrl" | "token"> = {},
): Promise<{ client: VoxflowClient; tokens: TokenResponse }> {
  const anonymous = createVoxflowClient({ ...options, baseUrl });
  const tokens = unwrap(await anonymous.POST("/v1/auth/login", { body: { email, password } }));
  return { client: createVoxflowClient({ ...options, baseUrl, token: tokens.access_token }), tokens };
}

/** Uploads audio (`POST /v1/files`, multipart field `file`). */
export async function uploadFile(client: VoxflowClient, file: Blob, name: string): Promise<FileView> {
  return unwrap(
    await client.POST("/v1/files", {
      // The spec types a binary part as a string; the serializer sends the real Blob.
      body: { file: name },
      bodySerializer() {
        const form = new FormData();
        form.append("file", file, name);
        return form;
      },
    }),
  );
}

/** Submits a job (a graph or a saved workflow, with its inputs); answers the 202 summary. */
export async function submitJob(client: VoxflowClient, request: CreateJobRequest): Promise<JobSummary> {
  return unwrap(await client.POST("/v1/jobs", { body: request }));
}

const FINAL: JobState[] = ["succeeded", "failed", "cancelled"];

export interface WaitOptions {
  /** Longest pause between polls in ms (the server's `Voxflow-Poll-After` is honoured up to it). */
  maxIntervalMs?: number;
  /** Give up after this many ms (default 10 minutes). */
  timeoutMs?: number;
  /** Called with every new version of the job (not on 304s). */
  onUpdate?: (job: JobView) => void;
  signal?: AbortSignal;
}

/**
 * Polls `GET /v1/jobs/{id}` with `If-None-Match` until the job is final. Unchanged answers are
 * 304s with no body, so waiting costs the server one integer read per poll.
 */
export async function waitForJob(client: VoxflowClient, id: string, options: WaitOptions = {}): Promise<JobView> {
  const { maxIntervalMs = 2000, timeoutMs = 600_000, onUpdate, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let etag: string | undefined;
  let job: JobView | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const result = await client.GET("/v1/jobs/{id}", {
      params: { path: { id }, header: etag ? { "If-None-Match": etag } : {} },
      signal,
    });
    if (result.response.status !== 304) {
      job = unwrap(result);
      etag = result.response.headers.get("ETag") ?? undefined;
      onUpdate?.(job);
      if (FINAL.includes(job.status)) return job;
    }
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish within ${timeoutMs} ms`);
    const hintMs = Number(result.response.headers.get("Voxflow-Poll-After") ?? "1") * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.min(hintMs || 1000, maxIntervalMs)));
  }
}

/** An artifact's bytes as text (`srt.file.srt`, `asr.transcript.json`, …). */
export async function getArtifactText(client: VoxflowClient, jobId: string, name: string): Promise<string> {
  return unwrap(
    await client.GET("/v1/jobs/{id}/artifacts/{name}", {
      params: { path: { id: jobId, name } },
      parseAs: "text",
    }),
  );
}

/** One message of `GET /v1/ws`: a job event (`job.running`, `node.progress`, …) or a control message. */
export interface JobEvent {
  type: string;
  job_id: string | null;
  /** The job's event number: the same as in its ETag and in `GET /v1/jobs/{id}/events`. */
  seq: number | null;
  time: string;
  data: unknown;
}

export interface WatchOptions {
  /** Replay the events after this `seq` first (0: all of them); pass the last one seen to resume. */
  since?: number;
  onEvent?: (event: JobEvent) => void;
  /** A WebSocket implementation; defaults to the global one (browsers, Node 22+). */
  WebSocket?: typeof globalThis.WebSocket;
}

/**
 * Follows a job over the WebSocket until its final event (`job.succeeded`, `job.failed` or
 * `job.cancelled`), which it resolves with. The token travels in the subprotocol header, never
 * in the URL. A connection lost before the end rejects; call again with `since` to resume.
 */
export function watchJob(options: VoxflowOptions, jobId: string, watch: WatchOptions = {}): Promise<JobEvent> {
  const Socket = watch.WebSocket ?? globalThis.WebSocket;
  if (!Socket) throw new Error("no WebSocket implementation: pass one as `WebSocket`, or use waitForJob()");
  const url = `${options.baseUrl.replace(/\/+$/, "").replace(/^http/, "ws")}/v1/ws`;
  const protocols = ["voxflow.v1", ...(options.token ? [`bearer.${options.token}`] : [])];
  return new Promise((resolve, reject) => {
    const ws = new Socket(url, protocols);
    let done = false;
    ws.onopen = () => ws.send(JSON.stringify({ type: "subscribe", job_ids: [jobId], since: watch.since ?? 0 }));
    ws.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as JobEvent;
      if (event.type === "error") {
        done = true;
        ws.close();
        const { code, message: detail } = (event.data ?? {}) as { code?: string; message?: string };
        reject(new Error(`Voxflow WebSocket error ${code}: ${detail}`));
        return;
      }
      if (event.job_id !== jobId) return;
      watch.onEvent?.(event);
      if (["job.succeeded", "job.failed", "job.cancelled"].includes(event.type)) {
        done = true;
        ws.close();
        resolve(event);
      }
    };
    ws.onerror = () => {
      if (!done) reject(new Error(`WebSocket to ${url} failed`));
    };
    ws.onclose = () => {
      if (!done) reject(new Error(`WebSocket to ${url} closed before job ${jobId} finished`));
    };
  });
}
