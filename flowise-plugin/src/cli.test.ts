import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { componentsIn, findFlowise, install, uninstall } from './cli'

// build-test/ sits beside dist/ (npm test builds both).
const dist = join(__dirname, '..', 'dist')

function fakeFlowise(): string {
    const root = mkdtempSync(join(tmpdir(), 'flowise-'))
    const comp = join(root, 'node_modules/flowise/node_modules/flowise-components')
    mkdirSync(join(comp, 'dist/nodes/tools'), { recursive: true })
    mkdirSync(join(comp, 'dist/credentials'), { recursive: true })
    writeFileSync(join(comp, 'package.json'), JSON.stringify({ name: 'flowise-components' }))
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
