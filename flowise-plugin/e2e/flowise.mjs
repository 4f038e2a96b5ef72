#!/usr/bin/env node
// Drives a real Flowise through its HTTP API (issue 6's proof): registers the admin, creates an
// API key, the Voxflow credential and
//   - a chatflow Audio source (URL) → VAD → Whisper → Run: prediction, transcript, documents
//     (asked to stream, Flowise answers JSON: it never streams an "Ending Node" chatflow);
//   - the same with a Voxflow problem (beam_size 99): the detail reaches the prediction's error;
//   - a chatflow Audio source (chat upload) → VAD → Whisper → Run, called with the clip uploaded
//     in the prediction body (`uploads`), as Flowise's chat sends it;
//   - no plugin node at all: a chatflow whose Speech-to-Text setting is Flowise's built-in
//     "LocalAI STT" pointed at Voxflow's /v1 with the API key, sent a voice recording
//     (audio/webm upload, no typed question): Flowise asks Voxflow for the text and runs the
//     flow on it (a Custom JS Function echoing the question); Voxflow's usage shows the call;
//   - an Agentflow v2 Start → Voxflow Transcribe, called with `streaming: true`: the SSE stream
//     carries Voxflow's progress (`voxflowProgress` and `thinking` events) and the transcript;
//   - an Agentflow v2 Start → Tool (Flowise's toolAgentflow) running the Voxflow Transcribe Audio
//     tool with the chat message as its `input` argument — the tool without an LLM;
//   - a chatflow with the Template node running the template published through Voxflow's API
//     (TEMPLATE_ID), and one Audio source → Whisper → Export subtitles (with the node preset
//     PRESET_ID: WebVTT, 32 characters a line) → Run, whose subtitles must be WebVTT;
// and checks that GET /api/v1/nodes lists every Voxflow node.
// FORK_ONLY=1 (run.sh's renamed-fork step) stops after the first chatflow.
// Env: EXPECT_COMPONENTS (the components package the nodes must be loaded from), FLOWISE_URL, VOXFLOW_URL, VOXFLOW_KEY, TEMPLATE_ID, PRESET_ID, AUDIO_URL, AUDIO_FILE (the same clip, uploaded),
// STT_AUDIO_FILE (the clip as WebM/Opus, for the built-in speech-to-text), CLIP_MS (its length),
// AUDIO_MIME (default audio/wav), EXPECT_WORDS (comma list), NODES_JSON, OUT (a file to write
// {chatflowId, agentflowId, email, password, labels…} to, for the canvas check).
import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'

const env = (k) => {
    const v = process.env[k]
    if (!v) throw new Error(`${k} is not set`)
    return v
}
const FLOWISE = env('FLOWISE_URL')
const email = 'e2e@voxflow.local'
const password = 'Voxflow-e2e-Passw0rd!'
let auth = {}

async function call(method, path, body, { expect = [200, 201], headers = {} } = {}) {
    const res = await fetch(FLOWISE + path, {
        method,
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    let json
    try {
        json = JSON.parse(text)
    } catch {
        json = text
    }
    if (!expect.includes(res.status)) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 800)}`)
    return { status: res.status, json, res }
}

function ok(cond, msg) {
    if (!cond) throw new Error(`assertion failed: ${msg}`)
    console.log(`ok - ${msg}`)
}

// 1. The first admin, a login (cookies work with x-request-from: internal), then an API key.
await call('POST', '/api/v1/account/register', { user: { name: 'E2E Admin', email, credential: password } }, { expect: [200, 201] })
const login = await fetch(FLOWISE + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-from': 'internal' },
    body: JSON.stringify({ email, password })
})
if (!login.ok) throw new Error(`login → ${login.status}: ${await login.text()}`)
const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
auth = { cookie: cookies, 'x-request-from': 'internal' }
const permissionsRes = await call('GET', '/api/v1/auth/permissions/API_KEY', undefined, { expect: [200, 404] }).catch(() => ({ json: null }))
void permissionsRes
const perms = ['chatflows:view', 'chatflows:create', 'chatflows:update', 'agentflows:view', 'agentflows:create', 'agentflows:update', 'credentials:view', 'credentials:create', 'apikeys:view']
const key = await call('POST', '/api/v1/apikey', { keyName: 'voxflow-e2e', permissions: perms })
const keys = Array.isArray(key.json) ? key.json : [key.json]
const apiKey = keys.find((k) => k.keyName === 'voxflow-e2e')?.apiKey
ok(typeof apiKey === 'string' && apiKey.length > 10, 'Flowise API key created')
auth = { authorization: `Bearer ${apiKey}` }

// 2. Every Voxflow node is in Flowise's node list (they carry an author: SHOW_COMMUNITY_NODES=true).
const nodes = (await call('GET', '/api/v1/nodes')).json
const names = new Set(nodes.map((n) => n.name))
const ours = JSON.parse(readFileSync(env('NODES_JSON'), 'utf8')).nodes
for (const n of ours) ok(names.has(n.name), `GET /api/v1/nodes lists ${n.name} (${n.category})`)
ok(!nodes.some((n) => n.name.startsWith('voxflow') && n.category === 'SpeechToText'), 'no Voxflow node uses category SpeechToText')
// Which components package the server loaded them from (flowise-components, or a fork's).
const componentsName = env('EXPECT_COMPONENTS')
ok(ours.every((o) => nodes.find((n) => n.name === o.name).filePath.includes(`/${componentsName}/dist/nodes/voxflow/`)), `the server loaded every Voxflow node from ${componentsName}/dist/nodes/voxflow`)
const creds = (await call('GET', '/api/v1/components-credentials')).json
ok(creds.some((c) => c.name === 'voxflowApi'), 'the voxflowApi credential is registered')

// 3. The credential.
const cred = (await call('POST', '/api/v1/credentials', {
    name: 'Voxflow (e2e)',
    credentialName: 'voxflowApi',
    plainDataObj: { baseUrl: env('VOXFLOW_URL'), apiKey: env('VOXFLOW_KEY') }
})).json
ok(typeof cred.id === 'string', 'voxflowApi credential created')

// 3b. Load methods against the live Voxflow: the Whisper model and language lists.
const loadMethod = async (node, method) =>
    (await call('POST', `/api/v1/node-load-method/${node}`, { name: node, loadMethod: method, credential: cred.id, inputs: {} })).json
const models = await loadMethod('voxflowWhisperTranscribe', 'listModels')
console.log(`listModels → ${models.map((m) => m.name).join(', ')}`)
const tiny = models.find((m) => m.name.startsWith('tiny.en'))
ok(tiny !== undefined, 'the model list comes from the live server and has tiny.en')
const languages = await loadMethod('voxflowWhisperTranscribe', 'listLanguages')
console.log(`listLanguages → ${languages.length} options, first: ${languages.slice(0, 3).map((l) => l.label).join(', ')}`)
ok(languages.some((l) => l.name === 'en') && languages.some((l) => l.name === 'auto'), 'the language list comes from the live registry')
const templates = await loadMethod('voxflowTemplate', 'listTemplates')
console.log(`listTemplates → ${templates.map((t) => t.label).join(', ')}`)
ok(templates.some((t) => t.name === env('TEMPLATE_ID')), "the Template node lists the tenant's offered templates (the platform's published one)")
const presets = await loadMethod('voxflowExportSubtitles', 'listPresets')
console.log(`listPresets (export.subtitles) → ${presets.map((p) => p.label).join(', ')}`)
ok(presets[0].name === 'none' && presets.some((p) => p.name === env('PRESET_ID') && /platform/.test(p.label)), 'the subtitles preset dropdown lists the platform preset (after "No preset")')
const whisperPresets = await loadMethod('voxflowWhisperTranscribe', 'listPresets')
ok(whisperPresets.length === 1 && whisperPresets[0].name === 'none', 'a kind without presets offers only "No preset"')

// 4. A chatflow built the way the canvas builds it (node data from the server's definitions).
const byName = Object.fromEntries(nodes.map((n) => [n.name, n]))
const PARAM_TYPES = new Set(['asyncOptions', 'options', 'multiOptions', 'datagrid', 'string', 'number', 'boolean', 'password', 'json', 'code', 'date', 'file', 'folder', 'tabs', 'credential', 'asyncMultiOptions'])

function flowNode(name, id, x, y, inputs, outputChoice) {
    const def = byName[name]
    if (!def) throw new Error(`node ${name} is not loaded`)
    const inputParams = []
    const inputAnchors = []
    if (def.credential) inputParams.push({ ...def.credential, id: `${id}-input-credential-credential` })
    for (const i of def.inputs ?? []) (PARAM_TYPES.has(i.type) ? inputParams : inputAnchors).push({ ...i, id: `${id}-input-${i.name}-${i.type}` })
    let outputAnchors
    let outputs = {}
    if (def.outputs?.length) {
        const options = def.outputs.map((o) => ({ id: `${id}-output-${o.name}-${o.baseClasses.join('|')}`, name: o.name, label: o.label, type: o.baseClasses.join(' | ') }))
        outputAnchors = [{ name: 'output', label: 'Output', type: 'options', options, default: outputChoice ?? def.outputs[0].name }]
        outputs = { output: outputChoice ?? def.outputs[0].name }
    } else outputAnchors = [{ id: `${id}-output-${name}-${def.baseClasses.join('|')}`, name, label: def.type, type: def.baseClasses.join(' | ') }]
    const values = {}
    for (const p of inputParams) if (p.default !== undefined) values[p.name] = p.default
    for (const a of inputAnchors) values[a.name] = a.list ? [] : ''
    Object.assign(values, inputs)
    return {
        id,
        position: { x, y },
        type: 'customNode',
        width: 300,
        height: 500,
        data: { ...def, id, inputs: values, inputParams, inputAnchors, outputAnchors, outputs, selected: false, ...(def.credential ? { credential: cred.id } : {}) },
        positionAbsolute: { x, y },
        selected: false
    }
}

function edge(nodesById, source, target, targetInput) {
    const s = nodesById[source].data
    const anchor = s.outputAnchors[0].options ? s.outputAnchors[0].options.find((o) => o.name === s.outputs.output) : s.outputAnchors[0]
    const t = nodesById[target].data.inputAnchors.find((a) => a.name === targetInput)
    return { source, sourceHandle: anchor.id, target, targetHandle: t.id, type: 'buttonedge', id: `${source}-${anchor.id}-${target}-${t.id}` }
}

function chatflow(whisperParams, source = { mode: 'url', source: env('AUDIO_URL') }) {
    const list = [
        flowNode('voxflowAudioSource', 'voxflowAudioSource_0', 0, 120, source),
        flowNode('voxflowVadSilero', 'voxflowVadSilero_0', 380, 40, { audio: '{{voxflowAudioSource_0.data.instance}}' }),
        flowNode('voxflowWhisperTranscribe', 'voxflowWhisperTranscribe_0', 760, 0, { audio: '{{voxflowVadSilero_0.data.instance}}', ...whisperParams }),
        flowNode('voxflowRun', 'voxflowRun_0', 1140, 80, { graph: ['{{voxflowWhisperTranscribe_0.data.instance}}'], credential: cred.id }, 'EndingNode')
    ]
    const byId = Object.fromEntries(list.map((n) => [n.id, n]))
    const edges = [
        edge(byId, 'voxflowAudioSource_0', 'voxflowVadSilero_0', 'audio'),
        edge(byId, 'voxflowVadSilero_0', 'voxflowWhisperTranscribe_0', 'audio'),
        edge(byId, 'voxflowWhisperTranscribe_0', 'voxflowRun_0', 'graph')
    ]
    return JSON.stringify({ nodes: list, edges, viewport: { x: 40, y: 60, zoom: 0.8 } })
}

const flow = (await call('POST', '/api/v1/chatflows', { name: 'Voxflow: URL → VAD → Whisper → Run', flowData: chatflow({ model: tiny.name, language: 'en' }), deployed: false, type: 'CHATFLOW' })).json
ok(typeof flow.id === 'string', `chatflow ${flow.id} created`)

// 5. The prediction: the transcript comes back as the answer.
const t0 = Date.now()
// Asked to stream, Flowise still answers JSON: it never streams a chatflow whose ending node's
// output is "Ending Node" (checkIfChatflowIsValidForStreaming), so Run's progress cannot reach it.
const predRes = await call('POST', `/api/v1/prediction/${flow.id}`, { question: 'transcribe', streaming: true })
const pred = predRes.json
const seconds = ((Date.now() - t0) / 1000).toFixed(1)
console.log(`prediction (${seconds} s): ${JSON.stringify(pred.text)}`)
const words = env('EXPECT_WORDS').split(',')
function hasWords(text, what) {
    const got = String(text ?? '').toLowerCase()
    const found = words.filter((w) => got.includes(w.toLowerCase()))
    ok(found.length >= Math.ceil(words.length * 0.7), `${what} has ${found.length}/${words.length} expected words (${found.join(' ')})`)
}
hasWords(pred.text, 'the transcript')
ok(Array.isArray(pred.sourceDocuments) && pred.sourceDocuments.length > 0 && typeof pred.sourceDocuments[0].metadata?.job_id === 'string', 'the answer carries the transcript as source documents with the job id')
ok(pred.json?.status === 'succeeded', 'the answer carries the job status')
ok(String(predRes.res.headers.get('content-type')).startsWith('application/json') && pred.isStreamValid === false, 'asked to stream, Flowise answers a Run-ended chatflow with plain JSON (isStreamValid: false)')

// In the renamed fork (run.sh's last step) the checks stop here: the nodes loaded from the fork's
// components package, their load methods and a whole job ran through the fork's own helpers.
if (process.env.FORK_ONLY === '1') {
    console.log(`e2e: the Flowise checks up to the first chatflow passed in the fork (${componentsName})`)
    process.exit(0)
}

// 6. A Voxflow problem reaches the user: beam_size 99 is out of range.
const bad = (await call('POST', '/api/v1/chatflows', { name: 'Voxflow: bad params', flowData: chatflow({ model: tiny.name, beam_size: 99 }), deployed: false, type: 'CHATFLOW' })).json
const err = await call('POST', `/api/v1/prediction/${bad.id}`, { question: 'x' }, { expect: [400, 422, 500] })
const message = JSON.stringify(err.json)
console.log(`bad params → ${err.status}: ${message.slice(0, 300)}`)
ok(/beam_size/.test(message) && /Voxflow/.test(message), 'the Voxflow problem detail (naming beam_size) is shown by Flowise')

// 7. A chat upload: the clip sent in the prediction body the way Flowise's chat sends a file
//    (a data URI of type "audio"); Flowise stores it and hands nodes {type: 'stored-file', name}.
//    Uploads need no chatflow setting on the API; AUDIO_MIME selects the format.
const mime = process.env.AUDIO_MIME || 'audio/wav'
const clip = readFileSync(env('AUDIO_FILE'))
const upload = { data: `data:${mime};base64,${clip.toString('base64')}`, type: 'audio', name: basename(env('AUDIO_FILE')), mime }
const upFlow = (await call('POST', '/api/v1/chatflows', { name: 'Voxflow: chat upload → VAD → Whisper → Run', flowData: chatflow({ model: tiny.name, language: 'en' }, { mode: 'chatUpload' }), deployed: false, type: 'CHATFLOW' })).json
const since = (t) => ((Date.now() - t) / 1000).toFixed(1)
let t1 = Date.now()
const upPred = (await call('POST', `/api/v1/prediction/${upFlow.id}`, { question: 'transcribe my recording', uploads: [upload] })).json
console.log(`chat upload (${upload.name}, ${mime}, ${clip.length} bytes; ${since(t1)} s) → ${JSON.stringify(upPred.text)}`)
hasWords(upPred.text, 'the transcript of the uploaded file')

// 7a. No plugin at all: Flowise's built-in speech-to-text. A chatflow whose Speech-to-Text
//     setting (the chatflow's `speechToText` JSON, as the UI's "Speech to Text" dialog saves it
//     with PUT /api/v1/chatflows/:id) is "LocalAI STT" with a `localAIApi` credential holding the
//     Voxflow API key, `baseUrl` = Voxflow's OpenAI-compatible /v1 and `model` = whisper-1
//     (Voxflow maps it to VOXFLOW_DEFAULT_MODEL). Flowise 3.1.4's buildChatflow runs it on every
//     upload whose MIME type is exactly audio/webm, audio/mp4 or audio/ogg (what its chat
//     window's microphone records) and replaces the question with the text; the only node is
//     Flowise's own Custom JS Function, ending the flow with the question it was given.
const VOXFLOW = env('VOXFLOW_URL')
const voxflowAuth = { authorization: `Bearer ${env('VOXFLOW_KEY')}` }
async function transcriptionUsage() {
    // Voxflow meters its OpenAI-compatible routes as the usage resource `transcription`.
    const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10)
    const res = await fetch(`${VOXFLOW}/v1/usage?period=range&from=${day(-1)}&to=${day(2)}`, { headers: voxflowAuth })
    if (!res.ok) throw new Error(`GET /v1/usage → ${res.status}: ${await res.text()}`)
    const t = (await res.json()).totals.find((x) => x.resource === 'transcription')
    return { audio_ms: t?.audio_ms ?? 0, records: t?.records ?? 0 }
}
// …and logs each one ("transcribed", with the model it used) at voxflow::api::openai=info.
const transcribedLines = () =>
    readFileSync(env('VOXFLOW_LOG_FILE'), 'utf8')
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .filter((l) => /\btranscribed\b.*\bmodel=/.test(l))
const recording = readFileSync(env('STT_AUDIO_FILE'))
const usageBefore = await transcriptionUsage()
const logBefore = transcribedLines().length
const localAI = (await call('POST', '/api/v1/credentials', { name: 'Voxflow as LocalAI (e2e)', credentialName: 'localAIApi', plainDataObj: { localAIApiKey: env('VOXFLOW_KEY') } })).json
ok(typeof localAI.id === 'string', "Flowise's built-in localAIApi credential created with the Voxflow API key")
const echoFlow = (await call('POST', '/api/v1/chatflows', {
    name: 'Built-in LocalAI STT → Voxflow /v1 (no plugin)',
    flowData: JSON.stringify({ nodes: [flowNode('customFunction', 'customFunction_0', 0, 0, { functionName: 'Echo the question', javascriptFunction: "return 'Flowise heard: ' + $input" }, 'EndingNode')], edges: [], viewport: { x: 40, y: 60, zoom: 1 } }),
    deployed: false,
    type: 'CHATFLOW'
})).json
const sttConfig = {
    localAISTT: { status: true, credentialId: localAI.id, baseUrl: `${VOXFLOW}/v1`, model: 'whisper-1', language: 'en' },
    openAIWhisper: { status: false },
    assemblyAiTranscribe: { status: false }
}
await call('PUT', `/api/v1/chatflows/${echoFlow.id}`, { speechToText: JSON.stringify(sttConfig) })
const savedStt = JSON.parse((await call('GET', `/api/v1/chatflows/${echoFlow.id}`)).json.speechToText ?? '{}')
ok(savedStt.localAISTT?.status === true && savedStt.localAISTT.baseUrl === `${VOXFLOW}/v1` && savedStt.localAISTT.credentialId === localAI.id, `chatflow ${echoFlow.id} has speechToText = LocalAI STT at ${VOXFLOW}/v1, model whisper-1`)
t1 = Date.now()
// As the chat window sends a voice recording: no typed question, the recording as an audio upload.
const sttPred = (await call('POST', `/api/v1/prediction/${echoFlow.id}`, {
    question: '',
    uploads: [{ data: `data:audio/webm;base64,${recording.toString('base64')}`, type: 'audio', name: 'recording.webm', mime: 'audio/webm' }]
})).json
console.log(`LocalAI STT (${recording.length} bytes of WebM/Opus; ${since(t1)} s) → question ${JSON.stringify(sttPred.question)}, answer ${JSON.stringify(sttPred.text)}`)
hasWords(sttPred.question, "the question Flowise's LocalAI STT got from Voxflow (the prediction's `question`)")
ok(sttPred.text === `Flowise heard: ${sttPred.question}`, 'the flow ran on the transcribed question (its Custom JS Function answered "Flowise heard: " + $input)')
const sttMessages = (await call('GET', `/api/v1/chatmessage/${echoFlow.id}?chatId=${encodeURIComponent(sttPred.chatId)}`)).json
const userMessage = sttMessages.find((m) => m.role === 'userMessage')
ok(userMessage?.content === sttPred.question, "Flowise's chat history records the transcription as the user's message")
// The chat-message API answers fileUploads parsed (it is stored as a JSON string).
const storedUpload = (typeof userMessage.fileUploads === 'string' ? JSON.parse(userMessage.fileUploads) : userMessage.fileUploads ?? [])[0]
ok(storedUpload?.type === 'stored-file' && storedUpload.name === 'recording.webm' && storedUpload.mime === 'audio/webm', 'with the recording kept as a stored file (no data)')
const usageAfter = await transcriptionUsage()
const billedMs = usageAfter.audio_ms - usageBefore.audio_ms
console.log(`Voxflow usage, transcription: ${JSON.stringify(usageBefore)} → ${JSON.stringify(usageAfter)} (clip ${env('CLIP_MS')} ms)`)
ok(usageAfter.records === usageBefore.records + 1 && Math.abs(billedMs - Number(env('CLIP_MS'))) <= 1000, `Voxflow metered exactly one transcription, of the clip's length (${billedMs} ms)`)
const newLines = transcribedLines().slice(logBefore)
console.log(`voxflow.log: ${newLines.join(' | ')}`)
ok(newLines.length === 1 && /model=tiny\.en\b/.test(newLines[0]), "Voxflow's log has that one transcription, with whisper-1 served by VOXFLOW_DEFAULT_MODEL (tiny.en)")
// The same recording sent straight to Voxflow's /v1/audio/transcriptions gives the same text.
const form = new FormData()
form.append('file', new Blob([recording], { type: 'audio/webm' }), 'recording.webm')
form.append('model', 'whisper-1')
form.append('language', 'en')
const directRes = await fetch(`${VOXFLOW}/v1/audio/transcriptions`, { method: 'POST', headers: voxflowAuth, body: form })
if (!directRes.ok) throw new Error(`POST /v1/audio/transcriptions → ${directRes.status}: ${await directRes.text()}`)
const direct = (await directRes.json()).text
ok(direct.trim() === sttPred.question.trim(), `Voxflow's own answer for the recording is that question word for word (${JSON.stringify(direct.trim())})`)

// 7b. The Template node: runs the template version published through Voxflow's API (pinned to
//     its newest published version) on the clip's URL, answering like the other job nodes.
const tplFlow = (await call('POST', '/api/v1/chatflows', {
    name: 'Voxflow: Template',
    flowData: JSON.stringify({
        nodes: [flowNode('voxflowTemplate', 'voxflowTemplate_0', 0, 0, { template: env('TEMPLATE_ID'), audio: env('AUDIO_URL'), credential: cred.id }, 'EndingNode')],
        edges: [],
        viewport: { x: 40, y: 60, zoom: 1 }
    }),
    deployed: false,
    type: 'CHATFLOW'
})).json
t1 = Date.now()
const tplPred = (await call('POST', `/api/v1/prediction/${tplFlow.id}`, { question: 'transcribe' })).json
console.log(`template (${since(t1)} s) → ${JSON.stringify(tplPred.text)}`)
hasWords(tplPred.text, 'the Template node transcript')
ok(tplPred.json?.status === 'succeeded' && typeof tplPred.json?.job_id === 'string', 'the Template node answers with the job it ran')
const tplJob = await (await fetch(`${env('VOXFLOW_URL')}/v1/jobs/${tplPred.json.job_id}`, { headers: { authorization: `Bearer ${env('VOXFLOW_KEY')}` } })).json()
ok(tplJob.workflow_id === null && tplJob.nodes.some((n) => n.node_id === 'vad') && tplJob.nodes.some((n) => n.node_id === 'asr'), "the job ran the template's graph (src → vad → asr)")

// 7c. A node preset: Export subtitles with the platform's "E2E WebVTT" preset (its own format
//     input left at the default, srt) → the job writes WebVTT.
const subFlow = (() => {
    const list = [
        flowNode('voxflowAudioSource', 'voxflowAudioSource_0', 0, 120, { mode: 'url', source: env('AUDIO_URL') }),
        flowNode('voxflowWhisperTranscribe', 'voxflowWhisperTranscribe_0', 380, 0, { audio: '{{voxflowAudioSource_0.data.instance}}', model: tiny.name, language: 'en' }),
        flowNode('voxflowExportSubtitles', 'voxflowExportSubtitles_0', 760, 40, { transcript: '{{voxflowWhisperTranscribe_0.data.instance}}', preset: env('PRESET_ID') }),
        flowNode('voxflowRun', 'voxflowRun_0', 1140, 80, { graph: ['{{voxflowWhisperTranscribe_0.data.instance}}', '{{voxflowExportSubtitles_0.data.instance}}'], credential: cred.id }, 'EndingNode')
    ]
    const byId = Object.fromEntries(list.map((n) => [n.id, n]))
    const edges = [
        edge(byId, 'voxflowAudioSource_0', 'voxflowWhisperTranscribe_0', 'audio'),
        edge(byId, 'voxflowWhisperTranscribe_0', 'voxflowExportSubtitles_0', 'transcript'),
        edge(byId, 'voxflowWhisperTranscribe_0', 'voxflowRun_0', 'graph'),
        edge(byId, 'voxflowExportSubtitles_0', 'voxflowRun_0', 'graph')
    ]
    return JSON.stringify({ nodes: list, edges, viewport: { x: 40, y: 60, zoom: 0.8 } })
})()
ok(JSON.parse(subFlow).nodes[2].data.inputs.format === 'srt', 'the subtitles node keeps its default format (srt) in the flow')
const presetFlow = (await call('POST', '/api/v1/chatflows', { name: 'Voxflow: Whisper → Export subtitles (preset) → Run', flowData: subFlow, deployed: false, type: 'CHATFLOW' })).json
t1 = Date.now()
const presetPred = (await call('POST', `/api/v1/prediction/${presetFlow.id}`, { question: 'transcribe' })).json
const vtt = Object.entries(presetPred.json?.artifacts ?? {}).find(([name]) => name.startsWith('voxflowExportSubtitles_0.') && name.endsWith('.vtt'))
console.log(`preset flow (${since(t1)} s) → artifacts ${Object.keys(presetPred.json?.artifacts ?? {}).join(', ')}`)
ok(vtt !== undefined && vtt[1].startsWith('WEBVTT'), "the preset's format (vtt) applied: the subtitles are WebVTT")
ok(vtt[1].split('\n').filter((l) => l && !l.includes('-->') && l !== 'WEBVTT').every((l) => l.length <= 32), "the preset's max_line_length (32) applied")
hasWords(presetPred.text, 'the preset flow transcript')

// 8. Agentflow v2, built the way its canvas builds nodes (type "agentFlow", one output anchor).
function agentNode(name, id, x, y, inputs) {
    const def = byName[name]
    if (!def) throw new Error(`node ${name} is not loaded`)
    const inputParams = [...(def.credential ? [def.credential] : []), ...(def.inputs ?? [])].map((i) => ({ ...i, id: `${id}-input-${i.name}-${i.type}` }))
    const values = {}
    for (const p of inputParams) if (p.default !== undefined && p.type !== 'credential') values[p.name] = p.default
    Object.assign(values, inputs)
    return {
        id,
        type: 'agentFlow',
        position: { x, y },
        width: 220,
        height: 70,
        data: {
            ...def,
            id,
            inputParams,
            inputAnchors: [],
            inputs: values,
            outputAnchors: [{ id: `${id}-output-${name}`, label: def.label, name }],
            outputs: {},
            selected: false,
            ...(def.credential ? { credential: cred.id } : {})
        },
        positionAbsolute: { x, y },
        selected: false
    }
}
function agentflow(second) {
    const start = agentNode('startAgentflow', 'startAgentflow_0', 0, 80, { startInputType: 'chatInput' })
    const e = { source: start.id, sourceHandle: `${start.id}-output-startAgentflow`, target: second.id, targetHandle: second.id, type: 'agentFlow' }
    return JSON.stringify({ nodes: [start, second], edges: [{ ...e, id: `${e.source}-${e.sourceHandle}-${e.target}-${e.targetHandle}`, data: { sourceColor: start.data.color, targetColor: second.data.color, isHumanInput: false } }], viewport: { x: 60, y: 120, zoom: 1 } })
}

// A streaming prediction: Flowise answers with server-sent events (`message:\ndata:{event,data}`).
async function streamPrediction(id, body) {
    const res = await fetch(`${FLOWISE}/api/v1/prediction/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ ...body, streaming: true }) })
    if (!res.ok) throw new Error(`streaming prediction → ${res.status}: ${await res.text()}`)
    ok(String(res.headers.get('content-type')).startsWith('text/event-stream'), 'Flowise streams the Agentflow prediction (text/event-stream)')
    const events = []
    let buf = ''
    const decoder = new TextDecoder()
    for await (const chunk of res.body) {
        buf += decoder.decode(chunk, { stream: true })
        let i
        while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i)
            buf = buf.slice(i + 2)
            const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n')
            if (data) events.push({ at: Date.now(), ...JSON.parse(data) })
        }
    }
    return events
}

const af = (await call('POST', '/api/v1/chatflows', {
    name: 'Voxflow: Agentflow Start → Voxflow Transcribe',
    type: 'AGENTFLOW',
    deployed: false,
    flowData: agentflow(agentNode('voxflowTranscribeAgentflow', 'voxflowTranscribeAgentflow_0', 300, 80, { audio: env('AUDIO_URL'), model: tiny.name, language: 'en', vad: true }))
})).json
ok(af.type === 'AGENTFLOW', `agentflow ${af.id} created`)
t1 = Date.now()
const events = await streamPrediction(af.id, { question: 'transcribe' })
const kinds = [...new Set(events.map((e) => e.event))]
console.log(`agentflow stream (${since(t1)} s): ${events.length} events (${kinds.join(', ')})`)
const progress = events.filter((e) => e.event === 'voxflowProgress')
for (const p of progress) console.log(`  +${((p.at - t1) / 1000).toFixed(1)} s voxflowProgress ${JSON.stringify(p.data)}`)
ok(progress.length >= 2 && progress.every((p) => typeof p.data?.message === 'string' && typeof p.data?.fraction === 'number'), `the stream carries Voxflow's job progress (${progress.length} voxflowProgress events)`)
const thinking = events.filter((e) => e.event === 'thinking')
ok(thinking.some((e) => /Voxflow job .* queued/.test(e.data)) && thinking.at(-1)?.data === '' && thinking.at(-1)?.duration >= 1, 'the chat UI gets the progress as thinking lines, closed with the duration')
const tokens = events.filter((e) => e.event === 'token')
const firstToken = events.indexOf(tokens[0])
ok(firstToken > events.indexOf(progress.at(-1)), 'the transcript comes after the progress')
hasWords(tokens.map((e) => e.data).join(''), 'the streamed Agentflow answer')
ok(!tokens.some((e) => /Voxflow/.test(e.data)), 'no progress line leaked into the answer tokens')

// 9. The Tools node without an LLM: Agentflow v2's Tool node calls the selected tool with the
//    arguments it is given — here the tool's `input` is the chat message (the audio URL).
const toolConfig = { toolAgentflowSelectedTool: 'voxflowTranscribeTool', FLOWISE_CREDENTIAL_ID: cred.id, model: tiny.name, language: 'en', vad: true }
const tools = (await call('POST', '/api/v1/node-load-method/toolAgentflow', { loadMethod: 'listTools', inputs: {} })).json
ok(tools.some((t) => t.name === 'voxflowTranscribeTool'), 'the Tool node offers Voxflow Transcribe Audio')
const args = (await call('POST', '/api/v1/node-load-method/toolAgentflow', { loadMethod: 'listToolInputArgs', inputs: {}, currentNode: { inputs: { toolAgentflowSelectedTool: 'voxflowTranscribeTool', toolAgentflowSelectedToolConfig: toolConfig } } })).json
console.log(`listToolInputArgs → ${JSON.stringify(args)}`)
ok(args.some((a) => a.name === 'input'), "Flowise reads the tool's argument `input` from its schema")
const tf = (await call('POST', '/api/v1/chatflows', {
    name: 'Voxflow: Agentflow Start → Tool (Voxflow Transcribe Audio)',
    type: 'AGENTFLOW',
    deployed: false,
    flowData: agentflow(agentNode('toolAgentflow', 'toolAgentflow_0', 300, 80, {
        toolAgentflowSelectedTool: 'voxflowTranscribeTool',
        toolInputArgs: [{ inputArgName: 'input', inputArgValue: '{{ question }}' }],
        toolAgentflowSelectedToolConfig: toolConfig
    }))
})).json
t1 = Date.now()
const toolPred = (await call('POST', `/api/v1/prediction/${tf.id}`, { question: env('AUDIO_URL') })).json
console.log(`tool node (${since(t1)} s) → ${JSON.stringify(toolPred.text)}`)
ok(!/^Error:/.test(toolPred.text ?? ''), 'the tool answered without an error')
hasWords(toolPred.text, 'the Tool node output')
const toolRun = (toolPred.agentFlowExecutedData ?? []).find((d) => d.data?.name === 'toolAgentflow')
ok(toolRun?.data?.input?.selectedTool === 'voxflowTranscribeTool' && toolRun?.status === 'FINISHED', 'the execution trace shows the Tool node ran voxflowTranscribeTool')

if (process.env.OUT) {
    // What the canvas check (screenshot.cjs) expects to see: each flow's node labels as saved.
    const labelsOf = async (id) => JSON.parse((await call('GET', `/api/v1/chatflows/${id}`)).json.flowData).nodes.map((n) => n.data.label)
    const out = { email, password, predictionSeconds: Number(seconds) }
    out.flows = [
        { id: flow.id, kind: 'canvas', labels: await labelsOf(flow.id) },
        { id: af.id, kind: 'v2/agentcanvas', labels: await labelsOf(af.id) },
        { id: tplFlow.id, kind: 'canvas', labels: await labelsOf(tplFlow.id) },
        { id: presetFlow.id, kind: 'canvas', labels: await labelsOf(presetFlow.id) }
    ]
    writeFileSync(process.env.OUT, JSON.stringify(out))
}
console.log('e2e: all Flowise checks passed')
