/**
 * A stand-in Voxflow server for unit tests: answers fixed JSON per `METHOD /path` and records
 * the requests. Not bundled into any node (only tests import it).
 */
import { createServer, type IncomingMessage } from 'node:http'

export interface Recorded {
    method: string
    path: string
    body: unknown
}

export type Routes = Record<string, unknown | ((req: Recorded) => unknown)>

export async function fakeVoxflow(routes: Routes): Promise<{ baseUrl: string; requests: Recorded[]; close: () => Promise<void> }> {
    const requests: Recorded[] = []
    const read = (req: IncomingMessage) =>
        new Promise<string>((resolve) => {
            let data = ''
            req.on('data', (c) => (data += c))
            req.on('end', () => resolve(data))
        })
    const srv = createServer(async (req, res) => {
        const text = await read(req)
        const rec: Recorded = { method: req.method ?? 'GET', path: req.url ?? '/', body: text ? JSON.parse(text) : undefined }
        requests.push(rec)
        const key = `${rec.method} ${rec.path}`
        const found = key in routes ? routes[key] : routes[`${rec.method} ${rec.path.split('?')[0]}`]
        if (found === undefined) {
            res.writeHead(404, { 'content-type': 'application/problem+json' })
            res.end(JSON.stringify({ type: '/problems/not_found', title: 'Not found', status: 404, code: 'not_found', detail: `no route ${key}` }))
            return
        }
        const body = typeof found === 'function' ? (found as (r: Recorded) => unknown)(rec) : found
        const isText = typeof body === 'string'
        res.writeHead(rec.method === 'POST' ? 202 : 200, { 'content-type': isText ? 'text/plain' : 'application/json' })
        res.end(isText ? body : JSON.stringify(body))
    })
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as any).port
    return { baseUrl: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => srv.close(() => r())) }
}
