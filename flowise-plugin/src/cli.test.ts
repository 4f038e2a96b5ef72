import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { componentsCandidates, componentsIn, findComponents, findFlowise, install, main, uninstall } from './cli'
import { fakeVoxflow } from './fake-voxflow'

// build-test/ sits beside dist/ (npm test builds both).
const dist = join(__dirname, '..', 'dist')

function fakeFlowise(): string {
    const root = mkdtempSync(join(tmpdir(), 'flowise-'))
    const comp = join(root, 'node_modules/flowise/node_modules/flowise-components')
    mkdirSync(join(comp, 'dist/nodes/tools'), { recursive: true })
    mkdirSync(join(comp, 'dist/credentials'), { recursive: true })
    writeFileSync(join(comp, 'package.json'), JSON.stringify({ name: 'flowise-components' }))
    writeFileSync(join(root, 'node_modules/flowise/package.json'), JSON.stringify({ name: 'flowise', version: '3.1.4', dependencies: { 'flowise-components': '3.1.4' } }))
    return root
}

test('installer: finds flowise-components, copies real folders, is idempotent, uninstalls', () => {
    const root = fakeFlowise()
    const comp = findFlowise(root)
    assert.equal(comp, componentsIn(root))
    const first = install(comp, dist)
    const second = install(comp, dist)
    assert.deepEqual(first.nodes, second.nodes)
    const target = join(comp, 'dist/nodes/voxflow')
    const dirs = readdirSync(target).filter((d) => !d.startsWith('.'))
    assert.equal(dirs.length, first.nodes.length)
    for (const d of dirs) {
        assert.ok(lstatSync(join(target, d)).isDirectory() && !lstatSync(join(target, d)).isSymbolicLink())
        assert.ok(existsSync(join(target, d, `${d}.js`)) && existsSync(join(target, d, 'voxflow.svg')), d)
    }
    assert.ok(existsSync(join(comp, 'dist/credentials/VoxflowApi.credential.js')))
    assert.ok(existsSync(join(comp, 'dist/nodes/tools')), 'leaves Flowise’s own nodes alone')
    assert.equal(uninstall(comp), true)
    assert.ok(!existsSync(target) && !existsSync(join(comp, 'dist/credentials/VoxflowApi.credential.js')))
    assert.equal(uninstall(comp), false)
    assert.throws(() => findFlowise(mkdtempSync(join(tmpdir(), 'empty-'))), /no Flowise install/)
})

test('every built node loads with a name, an icon and a non-SpeechToText category', () => {
    const list = require(join(dist, 'voxflow-nodes.json'))
    for (const n of list.nodes) {
        const mod = require(join(dist, 'nodes/voxflow', n.dir, `${n.dir}.js`))
        const node = new mod.nodeClass()
        assert.equal(node.name, n.name)
        assert.notEqual(node.category, 'SpeechToText')
        assert.equal(node.author, 'Voxflow')
        assert.ok(existsSync(join(dist, 'nodes/voxflow', n.dir, node.icon)))
    }
    const cred = new (require(join(dist, 'credentials/VoxflowApi.credential.js')).credClass)()
    assert.equal(cred.name, 'voxflowApi')
    assert.equal(cred.inputs.find((i: any) => i.name === 'apiKey').type, 'password')
})

// --- Forks: the components package renamed (Keelflow, a Flowise 3.1.4 continuation, ships
// `keelflow` + `keelflow-components`; neither is on the npm registry, so these layouts are built
// here the way its pnpm monorepo, its Docker image (`pnpm deploy` to /app) and an npm install lay them out).

const writeJson = (file: string, value: unknown) => {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, JSON.stringify(value))
}

/** A components package with Flowise's layout; its `dist/src/index.js` stands in for the fork's
 *  helpers (the credential lookup the nodes call at run time) and records the calls. */
function fakeComponents(dir: string, name: string, version = '3.2.1') {
    writeJson(join(dir, 'package.json'), { name, version, main: 'dist/src/index' })
    mkdirSync(join(dir, 'dist/nodes/tools'), { recursive: true })
    mkdirSync(join(dir, 'dist/credentials'), { recursive: true })
    mkdirSync(join(dir, 'dist/src'), { recursive: true })
    writeFileSync(
        join(dir, 'dist/src/index.js'),
        `exports.PACKAGE = ${JSON.stringify(name)}
exports.getCredentialData = async (id) => { (globalThis.__forkCalls ??= []).push([${JSON.stringify(name)}, id]); return globalThis.__forkCredential }
exports.getCredentialParam = (key, data) => data[key]
`
    )
}

/** The brief's layout: a checkout whose `packages/server` depends on `keelflow-components`, hoisted to the root `node_modules`. */
function fakeKeelflowCheckout(): string {
    const root = mkdtempSync(join(tmpdir(), 'keelflow-'))
    writeJson(join(root, 'package.json'), { name: 'keelflow-monorepo', private: true })
    writeJson(join(root, 'packages/server/package.json'), { name: 'keelflow', version: '3.2.1', dependencies: { express: '^4.17.3', 'keelflow-components': 'workspace:^', 'keelflow-ui': 'workspace:^' } })
    fakeComponents(join(root, 'node_modules/keelflow-components'), 'keelflow-components')
    // Decoys: the fork's UI package, and a `*-components` package without Flowise's layout.
    writeJson(join(root, 'node_modules/keelflow-ui/package.json'), { name: 'keelflow-ui', version: '3.2.1' })
    writeJson(join(root, 'node_modules/react-components/package.json'), { name: 'react-components', version: '1.0.0' })
    mkdirSync(join(root, 'node_modules/react-components/dist'), { recursive: true })
    return root
}

test('installer: a fork with a renamed components package (keelflow-components) is found from the server package', () => {
    const root = fakeKeelflowCheckout()
    const comp = realpathSync(join(root, 'node_modules/keelflow-components'))
    const found = findComponents(root)
    assert.equal(found.dir, comp)
    assert.equal(found.name, 'keelflow-components')
    assert.deepEqual({ name: found.server?.name, version: found.server?.version }, { name: 'keelflow', version: '3.2.1' })
    // The same package from the server's folder, from node_modules, and from the package itself.
    assert.equal(findFlowise(join(root, 'packages/server')), comp)
    assert.equal(findFlowise(join(root, 'node_modules')), comp)
    assert.equal(findFlowise(comp), comp)
    assert.equal(componentsCandidates(root).length, 1, 'keelflow-ui and react-components (no dist/nodes, dist/credentials) are not taken')
    assert.equal(existsSync(join(root, 'node_modules/flowise-components')), false)

    const r = install(comp, dist)
    assert.equal(r.name, 'keelflow-components')
    const target = join(comp, 'dist/nodes/voxflow')
    const dirs = readdirSync(target).filter((d) => !d.startsWith('.'))
    assert.equal(dirs.length, r.nodes.length)
    for (const d of dirs) assert.ok(existsSync(join(target, d, `${d}.js`)), d)
    assert.ok(existsSync(join(comp, 'dist/credentials/VoxflowApi.credential.js')))
    assert.equal(JSON.parse(readFileSync(join(target, '.flowise-voxflow.json'), 'utf8')).components, 'keelflow-components')
    assert.equal(uninstall(comp), true)
    assert.ok(!existsSync(target))
})

test('an installed node calls the fork\'s own helpers (keelflow-components), not flowise-components', async () => {
    const root = fakeKeelflowCheckout()
    const comp = findFlowise(root)
    install(comp, dist)
    const srv = await fakeVoxflow({ 'GET /v1/models': { object: 'list', data: [{ id: 'tiny.en' }, { id: 'whisper-1' }] } })
    const g = globalThis as any
    g.__forkCalls = []
    g.__forkCredential = { baseUrl: srv.baseUrl, apiKey: 'vf_fork' }
    try {
        // Loaded from the fork's dist/nodes, as its NodesPool loads it.
        const { nodeClass } = require(join(comp, 'dist/nodes/voxflow/VoxflowWhisperTranscribe/VoxflowWhisperTranscribe.js'))
        const models = await new nodeClass().loadMethods.listModels({ id: 'n', credential: 'cred-1', inputs: {} }, {})
        assert.deepEqual(models, [{ label: 'tiny.en', name: 'tiny.en' }])
        assert.deepEqual(g.__forkCalls, [['keelflow-components', 'cred-1']], 'the credential was read through keelflow-components')
        assert.deepEqual(srv.requests.map((q) => `${q.method} ${q.path}`), ['GET /v1/models'])
    } finally {
        await srv.close()
        delete g.__forkCalls
        delete g.__forkCredential
    }
})

test('installer: Keelflow\'s Docker layout (pnpm deploy to /app: a symlinked components package) gets real folders', () => {
    const app = mkdtempSync(join(tmpdir(), 'keelflow-app-'))
    writeJson(join(app, 'package.json'), { name: 'keelflow', version: '3.2.1', bin: { keelflow: './bin/run' }, dependencies: { 'keelflow-components': '3.2.1' } })
    const real = join(app, 'node_modules/.pnpm/keelflow-components@3.2.1/node_modules/keelflow-components')
    fakeComponents(real, 'keelflow-components')
    symlinkSync(real, join(app, 'node_modules/keelflow-components'), 'dir')
    const comp = findFlowise(app)
    assert.equal(comp, realpathSync(real))
    install(comp, dist)
    for (const d of readdirSync(join(real, 'dist/nodes/voxflow')).filter((d) => !d.startsWith('.')))
        assert.ok(!lstatSync(join(real, 'dist/nodes/voxflow', d)).isSymbolicLink() && lstatSync(join(real, 'dist/nodes/voxflow', d)).isDirectory(), d)
})

test('installer: an npm prefix (lib/node_modules/<server>/node_modules/<components>), scoped names too', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'prefix-'))
    writeJson(join(prefix, 'lib/node_modules/@acme/flow/package.json'), { name: '@acme/flow', version: '1.0.0', dependencies: { '@acme/flow-components': '1.0.0' } })
    fakeComponents(join(prefix, 'lib/node_modules/@acme/flow/node_modules/@acme/flow-components'), '@acme/flow-components', '1.0.0')
    const found = findComponents(prefix)
    assert.equal(found.name, '@acme/flow-components')
    assert.equal(found.server?.name, '@acme/flow')
})

test('installer: Flowise and a fork side by side must be told apart; a stray copy is not what the server loads', () => {
    const both = mkdtempSync(join(tmpdir(), 'both-'))
    writeJson(join(both, 'node_modules/flowise/package.json'), { name: 'flowise', version: '3.1.4', dependencies: { 'flowise-components': '3.1.4' } })
    fakeComponents(join(both, 'node_modules/flowise-components'), 'flowise-components', '3.1.4')
    writeJson(join(both, 'node_modules/keelflow/package.json'), { name: 'keelflow', version: '3.2.1', dependencies: { 'keelflow-components': '3.2.1' } })
    fakeComponents(join(both, 'node_modules/keelflow/node_modules/keelflow-components'), 'keelflow-components')
    assert.throws(() => findFlowise(both), /several Flowise components packages: .*flowise-components, used by flowise.*keelflow-components, used by keelflow/)
    assert.equal(findComponents(join(both, 'node_modules/keelflow')).name, 'keelflow-components')
    assert.equal(findComponents(join(both, 'node_modules/flowise')).name, 'flowise-components', 'resolved upwards, as Node resolves it')

    const stray = mkdtempSync(join(tmpdir(), 'stray-'))
    writeJson(join(stray, 'node_modules/flowise/package.json'), { name: 'flowise', version: '3.1.4', dependencies: { 'flowise-components': '3.1.4' } })
    fakeComponents(join(stray, 'node_modules/flowise/node_modules/flowise-components'), 'flowise-components', '3.1.4')
    fakeComponents(join(stray, 'node_modules/flowise-components'), 'flowise-components', '3.0.0')
    assert.equal(findFlowise(stray), realpathSync(join(stray, 'node_modules/flowise/node_modules/flowise-components')))
})

test('the CLI says which components package and server it installed into', () => {
    const root = fakeKeelflowCheckout()
    const logs: string[] = []
    const log = console.log
    console.log = (...a: unknown[]) => void logs.push(a.join(' '))
    try {
        assert.equal(main(['install', '--flowise-dir', root], dist), 0)
        assert.equal(main(['uninstall', `--flowise-dir=${root}`], dist), 0)
    } finally {
        console.log = log
    }
    assert.match(logs[0], /^Installed \d+ Voxflow nodes and the voxflowApi credential into .*keelflow-components\/dist \(keelflow-components 3\.2\.1, used by keelflow 3\.2\.1\)$/)
    assert.match(logs.at(-1)!, /^Removed the Voxflow nodes from /)
    const err = console.error
    console.error = () => {}
    try {
        assert.equal(main(['install', '--flowise-dir', mkdtempSync(join(tmpdir(), 'empty-'))], dist), 1)
    } finally {
        console.error = err
    }
})
