#!/usr/bin/env node
// Drives a real Flowise through its HTTP API (issue 6's proof): registers the admin, creates an
// API key, the Voxflow credential and a chatflow Audio source (URL) → VAD → Whisper → Run,
// calls the prediction API and checks the transcript; checks that GET /api/v1/nodes lists every
// Voxflow node; checks that a Voxflow problem detail reaches the prediction's error.
// Env: FLOWISE_URL, VOXFLOW_URL, VOXFLOW_KEY, AUDIO_URL, EXPECT_WORDS (comma list), NODES_JSON,
// OUT (a file to write {chatflowId, email, password} to, for the screenshot).
import { readFileSync, writeFileSync } from 'node:fs'

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
const perms = ['chatflows:view', 'chatflows:create', 'chatflows:update', 'credentials:view', 'credentials:create', 'apikeys:view']
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

function chatflow(whisperParams) {
    const list = [
        flowNode('voxflowAudioSource', 'voxflowAudioSource_0', 0, 120, { mode: 'url', source: env('AUDIO_URL') }),
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
const pred = (await call('POST', `/api/v1/prediction/${flow.id}`, { question: 'transcribe' })).json
const seconds = ((Date.now() - t0) / 1000).toFixed(1)
console.log(`prediction (${seconds} s): ${JSON.stringify(pred.text)}`)
const words = env('EXPECT_WORDS').split(',')
const got = String(pred.text ?? '').toLowerCase()
const found = words.filter((w) => got.includes(w.toLowerCase()))
ok(found.length >= Math.ceil(words.length * 0.7), `transcript has ${found.length}/${words.length} expected words (${found.join(' ')})`)
ok(Array.isArray(pred.sourceDocuments) && pred.sourceDocuments.length > 0 && typeof pred.sourceDocuments[0].metadata?.job_id === 'string', 'the answer carries the transcript as source documents with the job id')
ok(pred.json?.status === 'succeeded', 'the answer carries the job status')

// 6. A Voxflow problem reaches the user: beam_size 99 is out of range.
const bad = (await call('POST', '/api/v1/chatflows', { name: 'Voxflow: bad params', flowData: chatflow({ model: tiny.name, beam_size: 99 }), deployed: false, type: 'CHATFLOW' })).json
const err = await call('POST', `/api/v1/prediction/${bad.id}`, { question: 'x' }, { expect: [400, 422, 500] })
const message = JSON.stringify(err.json)
console.log(`bad params → ${err.status}: ${message.slice(0, 300)}`)
ok(/beam_size/.test(message) && /Voxflow/.test(message), 'the Voxflow problem detail (naming beam_size) is shown by Flowise')

if (process.env.OUT) writeFileSync(process.env.OUT, JSON.stringify({ chatflowId: flow.id, email, password, predictionSeconds: Number(seconds) }))
console.log('e2e: all Flowise checks passed')
