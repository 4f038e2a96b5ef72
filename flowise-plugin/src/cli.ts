/**
 * `npx flowise-voxflow install [--flowise-dir DIR]` / `uninstall`: copies the compiled nodes
 * and the credential into a Flowise install. Flowise has no plugin path: it loads nodes only
 * from its components package (`dist/nodes/**`, real folders, not symlinks) and credentials
 * from `dist/credentials/*.credential.js`. That package is `flowise-components` in Flowise and
 * is renamed in forks (Keelflow's is `keelflow-components`), so it is discovered from the
 * install rather than named here: the server package's dependencies are read for a
 * `*-components` package laid out like Flowise's (`dist/nodes` and `dist/credentials`), and
 * `node_modules` is scanned for one. Running it again replaces the previous copy (idempotent).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { basename, dirname, join, resolve } from 'node:path'

const NODES_DIR = 'nodes/voxflow'
const CREDENTIAL = 'VoxflowApi.credential.js'
const MARKER = '.flowise-voxflow.json'
/** `flowise-components`, `keelflow-components`, `@acme/flow-components`… */
const COMPONENTS_NAME = /(^|[-/])components$/

interface Pkg {
    name?: string
    version?: string
    dependencies?: Record<string, string>
}

function readPkg(dir: string): Pkg | undefined {
    try {
        return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    } catch {
        return undefined
    }
}

const isDir = (p: string) => {
    try {
        return statSync(p).isDirectory()
    } catch {
        return false
    }
}

/** A Flowise components package: a `*-components` name and Flowise's layout — built
 *  (`dist/nodes`, `dist/credentials`) or a source checkout before its build (`nodes`, `credentials`). */
function isComponents(dir: string): boolean {
    const name = readPkg(dir)?.name
    if (!name || !COMPONENTS_NAME.test(name)) return false
    return (isDir(join(dir, 'dist/nodes')) && isDir(join(dir, 'dist/credentials'))) || (isDir(join(dir, 'nodes')) && isDir(join(dir, 'credentials')))
}

/** The package `name` as Node would resolve it from `from` (each `node_modules` upwards). */
function resolvePackage(from: string, name: string): string | undefined {
    for (let dir = from; ; dir = dirname(dir)) {
        const p = join(dir, 'node_modules', name)
        if (existsSync(join(p, 'package.json'))) return p
        if (dirname(dir) === dir) return undefined
    }
}

/** Entries of a `node_modules` folder, scoped packages included. */
function packagesIn(nodeModules: string): string[] {
    let names: string[]
    try {
        names = readdirSync(nodeModules)
    } catch {
        return []
    }
    const out: string[] = []
    for (const n of names) {
        if (n.startsWith('.')) continue
        if (n.startsWith('@')) {
            try {
                for (const s of readdirSync(join(nodeModules, n))) out.push(join(nodeModules, n, s))
            } catch {
                /* not a folder */
            }
        } else out.push(join(nodeModules, n))
    }
    return out
}

/** A components package found in an install, and the Flowise server that depends on it. */
export interface Components {
    dir: string
    name: string
    version?: string
    /** The server package (`flowise`, `keelflow`, …) whose dependencies name it, when one was found. */
    server?: { name: string; version?: string; dir: string }
}

function describe(dir: string, server?: string): Components {
    const pkg = readPkg(dir) ?? {}
    const s = server ? readPkg(server) : undefined
    return { dir, name: pkg.name ?? basename(dir), version: pkg.version, ...(s?.name ? { server: { name: s.name, version: s.version, dir: server! } } : {}) }
}

/**
 * Every Flowise components package in `dir` — a Flowise (or fork) install, an npm prefix, a
 * `node_modules` folder, a source checkout (`packages/server`, `packages/components`) or the
 * components package itself — one entry per real folder. First the dependencies of each server
 * package found (a package.json that depends on a `*-components` package with Flowise's
 * layout, resolved as Node resolves it, so the answer is what that server loads), then
 * `*-components` packages lying in `node_modules` or `packages/` without a server naming them.
 */
export function componentsCandidates(dir: string): Components[] {
    const d = resolve(dir)
    if (isComponents(d)) return [describe(d)]
    const nodeModules = [join(d, 'node_modules'), join(d, 'lib/node_modules'), ...(basename(d) === 'node_modules' ? [d] : [])]
    const installed = nodeModules.flatMap(packagesIn)
    const servers = [d, join(d, 'packages/server'), join(d, 'flowise'), ...installed].filter((s) => readPkg(s)?.dependencies)
    const found = new Map<string, Components>()
    const add = (c: string | undefined, server?: string) => {
        if (!c || !isComponents(c)) return
        const real = realpathSync(c)
        if (!found.has(real) || (server && !found.get(real)!.server)) found.set(real, describe(real, server))
    }
    for (const s of servers) {
        for (const dep of Object.keys(readPkg(s)!.dependencies!).filter((n) => COMPONENTS_NAME.test(n))) {
            // A workspace dependency before `pnpm install` links it: the sibling package of that name.
            const sibling = basename(dirname(s)) === 'packages' ? readdirSync(dirname(s)).map((p) => join(dirname(s), p)).find((p) => readPkg(p)?.name === dep) : undefined
            add(resolvePackage(s, dep) ?? sibling, s)
        }
    }
    for (const c of [...installed, join(d, 'packages/components')]) add(c)
    return [...found.values()]
}

/** The components package in `dir`; throws when it holds several (say which one to use). */
export function componentsInfo(dir: string): Components | undefined {
    const all = componentsCandidates(dir)
    // A stray copy next to a server's own (say a second, hoisted one) is not what that server loads.
    const used = all.some((c) => c.server) ? all.filter((c) => c.server) : all
    if (used.length > 1) {
        const list = used.map((c) => `${c.dir} (${c.name}${c.server ? `, used by ${c.server.name}` : ''})`).join('; ')
        throw new Error(`${dir} holds several Flowise components packages: ${list}; pass --flowise-dir one of them`)
    }
    return used[0]
}

export function componentsIn(dir: string): string | undefined {
    return componentsInfo(dir)?.dir
}

export function findComponents(flowiseDir?: string, env = process.env, cwd = process.cwd()): Components {
    if (flowiseDir) {
        const c = componentsInfo(flowiseDir)
        if (!c) throw new Error(`no Flowise install found in ${flowiseDir}: no *-components package with dist/nodes and dist/credentials (flowise-components, or a fork's)`)
        return c
    }
    // Official Flowise image: a global npm install; Keelflow's image: /app.
    const places = [env.FLOWISE_DIR, cwd, '/usr/local/lib/node_modules/flowise', '/usr/src/flowise', '/usr/src', '/app']
    try {
        places.push(execFileSync('npm', ['root', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
    } catch {
        /* no npm on PATH */
    }
    for (const p of places) {
        if (!p) continue
        const c = componentsInfo(p)
        if (c) return c
    }
    throw new Error(`no Flowise install found (looked in ${places.filter(Boolean).join(', ')}); pass --flowise-dir DIR`)
}

/** The folder of the components package to install into (see `findComponents`). */
export function findFlowise(flowiseDir?: string, env = process.env, cwd = process.cwd()): string {
    return findComponents(flowiseDir, env, cwd).dir
}

export interface InstallResult {
    components: string
    /** The components package's name (`flowise-components`, `keelflow-components`, …) and version. */
    name: string
    version?: string
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
    const pkg = readPkg(components) ?? {}
    const name = pkg.name ?? basename(components)
    writeFileSync(join(target, MARKER), JSON.stringify({ package: 'flowise-voxflow', components: name, nodes, credential: CREDENTIAL }, null, 2) + '\n')
    return { components, name, version: pkg.version, nodes }
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
        const found = findComponents(flowiseDir)
        const components = found.dir
        if (command === 'install') {
            const r = install(components, dist)
            const server = found.server
            const what = `${r.name}${r.version ? ` ${r.version}` : ''}${server ? `, used by ${server.name}${server.version ? ` ${server.version}` : ''}` : ''}`
            console.log(`Installed ${r.nodes.length} Voxflow nodes and the voxflowApi credential into ${components}/dist (${what})`)
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

