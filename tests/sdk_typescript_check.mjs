// Drives Voxflow with the TypeScript SDK (sdks/typescript, built to dist/): log in, list
// nodes, upload a clip, run a VAD → Whisper → SRT job, wait with ETag polling, read the SRT,
// and catch a problem+json error. Prints one JSON line; tests/api/sdks.rs checks it.
//
// Usage: node sdk_typescript_check.mjs BASE_URL EMAIL PASSWORD AUDIO_FILE
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  VoxflowError,
  getArtifactText,
  login,
  submitJob,
  unwrap,
  uploadFile,
  waitForJob,
  watchJob,
} from "../sdks/typescript/dist/index.js";

const [base, email, password, audio] = process.argv.slice(2);

const graph = {
  nodes: [
    { id: "src", type: "audio.decode" },
    { id: "vad", type: "vad.silero" },
    { id: "asr", type: "whisper.transcribe", data: { params: { model: "tiny.en", language: "en" } } },
    { id: "srt", type: "export.subtitles", data: { params: { format: "srt" } } },
  ],
  edges: [
    { id: "e1", source: "src", sourceHandle: "audio", target: "vad", targetHandle: "audio" },
    { id: "e2", source: "src", sourceHandle: "audio", target: "asr", targetHandle: "audio" },
    { id: "e3", source: "vad", sourceHandle: "speech_regions", target: "asr", targetHandle: "speech_regions" },
    { id: "e4", source: "asr", sourceHandle: "transcript", target: "srt", targetHandle: "transcript" },
  ],
};

async function problemOf(promise) {
  try {
    await promise;
    return null;
  } catch (e) {
    if (e instanceof VoxflowError) return { status: e.status, code: e.problem?.code ?? null };
    throw e;
  }
}

const wrongPassword = await problemOf(login(base, email, "not-the-password"));
const { client, tokens } = await login(base, email, password);
const nodes = unwrap(await client.GET("/v1/nodes"));
const clip = new Blob([await readFile(audio)], { type: "audio/wav" });
const file = await uploadFile(client, clip, "clip.wav");
const refused = await problemOf(uploadFile(client, new Blob(["plain text"]), "notes.txt"));
const summary = await submitJob(client, { graph, inputs: { src: file.id } });
const seen = [];
const job = await waitForJob(client, summary.id, { maxIntervalMs: 200, onUpdate: (j) => seen.push(j.status) });
const srt = await getArtifactText(client, job.id, "srt.file.srt");

// The same job over the WebSocket, replayed from the start (where node has a WebSocket).
let ws = null;
if (typeof WebSocket === "function") {
  const events = [];
  const final = await watchJob({ baseUrl: base, token: tokens.access_token }, job.id, {
    since: 0,
    onEvent: (e) => events.push(e),
  });
  ws = { final: final.type, types: events.map((e) => e.type), seqs: events.map((e) => e.seq), last_seq: job.seq };
}
const templates = unwrap(await client.GET("/v1/templates"));
const branding = unwrap(await client.GET("/v1/branding"));
const missing = await problemOf(
  client.GET("/v1/jobs/{id}", { params: { path: { id: randomUUID() } } }).then(unwrap),
);

console.log(
  JSON.stringify({
    wrong_password: wrongPassword,
    node_kinds: nodes.items.map((n) => n.kind),
    file_size: file.size_bytes,
    refused,
    job_status: job.status,
    job_error: job.error ?? null,
    statuses_seen: seen,
    srt,
    missing,
    templates: templates.items.map((t) => t.name),
    product_name: branding.product_name,
    ws,
  }),
);
