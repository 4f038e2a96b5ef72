// Writes studio/dist/build-stamp.txt: one line, the lowercase hex SHA-256 of the build's
// inputs, so the voxflow binary (which embeds dist/) can fail a test when the committed build
// is stale. The Rust side recomputes exactly this:
//
//   files  = every file under studio/src/ (recursively)
//            + studio/index.html, studio/package.json, studio/package-lock.json,
//              studio/vite.config.ts, studio/tsconfig.json, sdks/typescript/src/schema.ts
//   paths  = relative to the repository root, '/' as separator
//   order  = sorted by path, byte order (plain string comparison of the UTF-8 paths)
//   hash   = SHA-256 over, for each file in order:
//              path + "\n" + byte length in decimal + "\n" + the file's bytes
//   output = the hex digest (lowercase) + "\n"
//
// Usage: node scripts/stamp.mjs            (writes dist/build-stamp.txt)
//        node scripts/stamp.mjs --print    (prints the digest only)
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const studio = join(dirname(fileURLToPath(import.meta.url)), '..')
const repo = join(studio, '..')

function walk(dir) {
  const out = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...walk(p))
    else if (e.isFile()) out.push(p)
  }
  return out
}

export function inputs() {
  const files = [
    ...walk(join(studio, 'src')),
    ...['index.html', 'package.json', 'package-lock.json', 'vite.config.ts', 'tsconfig.json'].map((f) => join(studio, f)),
    join(repo, 'sdks', 'typescript', 'src', 'schema.ts')
  ]
  const rel = files.map((f) => relative(repo, f).split(sep).join('/'))
  return rel.sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))))
}

export function stamp() {
  const h = createHash('sha256')
  for (const path of inputs()) {
    const bytes = readFileSync(join(repo, path))
    h.update(`${path}\n${bytes.length}\n`)
    h.update(bytes)
  }
  return h.digest('hex')
}

const digest = stamp()
if (process.argv.includes('--print')) console.log(digest)
else writeFileSync(join(studio, 'dist', 'build-stamp.txt'), `${digest}\n`)
