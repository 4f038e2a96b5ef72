/**
 * `npx flowise-voxflow install [--flowise-dir DIR]` / `uninstall`: copies the compiled nodes
 * and the credential into a Flowise install. Flowise has no plugin path: it loads nodes only
 * from its `flowise-components` package (`dist/nodes/**`, real folders, not symlinks) and
 * credentials from `dist/credentials/*.credential.js`. Running it again replaces the previous
 * copy (idempotent).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'

const NODES_DIR = 'nodes/voxflow'
const CREDENTIAL = 'VoxflowApi.credential.js'
const MARKER = '.flowise-voxflow.json'

function isComponents(dir: string): boolean {
    try {
        return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'flowise-components'
    } catch {
        return false
    }
}

/** `flowise-components` under a Flowise install, an npm prefix, a source checkout, or itself. */
export function componentsIn(dir: string): string | undefined {
    const d = resolve(dir)
    const candidates = [
        d,
        join(d, 'node_modules/flowise-components'),
        join(d, 'node_modules/flowise/node_modules/flowise-components'),
        join(d, 'flowise/node_modules/flowise-components'),
        join(d, 'lib/node_modules/flowise/node_modules/flowise-components'),
        join(d, 'lib/node_modules/flowise-components'),
        join(d, 'packages/components')
    ]
    return candidates.find(isComponents)
}

export function findFlowise(flowiseDir?: string, env = process.env, cwd = process.cwd()): string {
    if (flowiseDir) {
        const c = componentsIn(flowiseDir)
        if (!c) throw new Error(`no Flowise install (flowise-components) found in ${flowiseDir}`)
        return c
    }
    const places = [env.FLOWISE_DIR, cwd, '/usr/local/lib/node_modules/flowise', '/usr/src/flowise', '/usr/src']
    try {
        places.push(execFileSync('npm', ['root', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
    } catch {
        /* no npm on PATH */
    }
    for (const p of places) {
        if (!p) continue
        const c = componentsIn(p)
        if (c) return c
    }
    throw new Error(`no Flowise install found (looked in ${places.filter(Boolean).join(', ')}); pass --flowise-dir DIR`)
}

export interface InstallResult {
    components: string
    nodes: string[]
}

/** `dist` is this package's build output (the folder holding `nodes/voxflow`). */
export function install(components: string, dist: string): InstallResult {
    const src = join(dist, NODES_DIR)
    if (!existsSync(src)) throw new Error(`${src} is missing: build the plugin first (npm run build)`)
    const target = join(components, 'dist', NODES_DIR)
    rmSync(target, { recursive: true, force: true })
    mkdirSync(dirname(target), { recursive: true })
    // A real copy: Flowise skips symlinked node folders.
    cpSync(src, target, { recursive: true, dereference: true })
    mkdirSync(join(components, 'dist/credentials'), { recursive: true })
    cpSync(join(dist, 'credentials', CREDENTIAL), join(components, 'dist/credentials', CREDENTIAL))
    const list = JSON.parse(readFileSync(join(dist, 'voxflow-nodes.json'), 'utf8'))
    const nodes = list.nodes.map((n: { name: string }) => n.name)
    writeFileSync(join(target, MARKER), JSON.stringify({ package: 'flowise-voxflow', nodes, credential: CREDENTIAL }, null, 2) + '\n')
    return { components, nodes }
}

export function uninstall(components: string): boolean {
    const target = join(components, 'dist', NODES_DIR)
    const cred = join(components, 'dist/credentials', CREDENTIAL)
    const had = existsSync(target) || existsSync(cred)
    rmSync(target, { recursive: true, force: true })
    rmSync(cred, { force: true })
    return had
}

export function main(argv: string[], dist: string): number {
    const [command, ...rest] = argv
    let flowiseDir: string | undefined
    for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '--flowise-dir') flowiseDir = rest[++i]
        else if (rest[i].startsWith('--flowise-dir=')) flowiseDir = rest[i].slice('--flowise-dir='.length)
        else {
            console.error(`unknown argument: ${rest[i]}`)
            return 2
        }
    }
    if (command !== 'install' && command !== 'uninstall') {
        console.error('usage: flowise-voxflow install|uninstall [--flowise-dir DIR]')
        return 2
    }
    try {
        const components = findFlowise(flowiseDir)
        if (command === 'install') {
            const r = install(components, dist)
            console.log(`Installed ${r.nodes.length} Voxflow nodes and the voxflowApi credential into ${components}/dist`)
            console.log('Restart Flowise with SHOW_COMMUNITY_NODES=true to see them (they carry an author).')
        } else {
            console.log(uninstall(components) ? `Removed the Voxflow nodes from ${components}/dist` : `Nothing to remove in ${components}/dist`)
        }
        return 0
    } catch (e) {
        console.error(`flowise-voxflow: ${(e as Error).message}`)
        return 1
    }
}

