#!/usr/bin/env node
// Fails when src/client/schema.d.ts was not regenerated after ../openapi/openapi.json changed
// (`npm run generate:client` fixes it).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(mkdtempSync(join(tmpdir(), 'vf-client-')), 'schema.d.ts')
execFileSync(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), join(root, '../openapi/openapi.json'), '-o', out], { stdio: 'ignore' })
if (readFileSync(out, 'utf8') !== readFileSync(join(root, 'src/client/schema.d.ts'), 'utf8')) {
    console.error('src/client/schema.d.ts is out of date with openapi/openapi.json: run `npm run generate:client` and commit')
    process.exit(1)
}
console.log('generated client matches openapi/openapi.json')
