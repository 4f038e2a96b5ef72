#!/usr/bin/env node
// Bundles the plugin with esbuild into what Flowise loads (CommonJS, one file per node with its
// dependencies inlined; Flowise's own `flowise-components` and `@langchain/core` stay external
// so the running Flowise provides them):
//   dist/nodes/voxflow/<Node>/<Node>.js + voxflow.svg
//   dist/credentials/VoxflowApi.credential.js
//   dist/cli.js                      (the installer: npx flowise-voxflow install)
//   dist/voxflow-nodes.json          (names of the nodes, for the installer and the e2e check)
// With --tests it also bundles every *.test.ts into build-test/ for `node --test`.
import { build } from 'esbuild'
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['flowise-components', '@langchain/core', '@langchain/core/*'], logLevel: 'warning' }
const nodeDirs = readdirSync(join(root, 'nodes')).filter((d) => existsSync(join(root, 'nodes', d, `${d}.ts`))).sort()

rmSync(join(root, 'dist'), { recursive: true, force: true })
await build({
    ...common,
    entryPoints: Object.fromEntries(nodeDirs.map((d) => [`nodes/voxflow/${d}/${d}`, join(root, 'nodes', d, `${d}.ts`)])),
    outdir: join(root, 'dist')
})
for (const d of nodeDirs) copyFileSync(join(root, 'nodes', d, 'voxflow.svg'), join(root, 'dist/nodes/voxflow', d, 'voxflow.svg'))
await build({ ...common, entryPoints: { 'credentials/VoxflowApi.credential': join(root, 'credentials/VoxflowApi.credential.ts') }, outdir: join(root, 'dist') })
await build({ ...common, entryPoints: { cli: join(root, 'src/cli-main.ts') }, outdir: join(root, 'dist'), banner: { js: '#!/usr/bin/env node' } })

const require = createRequire(import.meta.url)
const nodes = nodeDirs.map((d) => {
    const n = new (require(join(root, 'dist/nodes/voxflow', d, `${d}.js`)).nodeClass)()
    return { dir: d, name: n.name, label: n.label, category: n.category }
})
writeFileSync(join(root, 'dist/voxflow-nodes.json'), JSON.stringify({ nodes, credentials: ['voxflowApi'] }, null, 2) + '\n')
console.log(`built ${nodes.length} nodes, 1 credential, cli`)

if (process.argv.includes('--tests')) {
    const tests = []
    const walk = (dir) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
            const p = join(dir, e.name)
            if (e.isDirectory() && e.name !== 'node_modules') walk(p)
            else if (e.name.endsWith('.test.ts')) tests.push(p)
        }
    }
    for (const d of ['nodes', 'src', 'credentials']) if (existsSync(join(root, d))) walk(join(root, d))
    rmSync(join(root, 'build-test'), { recursive: true, force: true })
    mkdirSync(join(root, 'build-test'))
    await build({
        ...common,
        external: [...common.external.filter((e) => e !== '@langchain/core' && e !== '@langchain/core/*')],
        entryPoints: Object.fromEntries(tests.map((t) => [t.slice(root.length + 1).replace(/\.ts$/, '').replace(/\//g, '__'), t])),
        outdir: join(root, 'build-test')
    })
    console.log(`bundled ${tests.length} test files into build-test/`)
}
