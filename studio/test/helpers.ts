import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { NodeManifest } from '../src/graph'

// A snapshot of GET /v1/nodes (7 kinds), so the tests need no server.
export const manifests = new Map<string, NodeManifest>(
  (JSON.parse(readFileSync(join(__dirname, 'fixtures', 'nodes.json'), 'utf8')).items as NodeManifest[]).map((m) => [m.kind, m])
)

/** VAD → Whisper → subtitles after a decoder, as React Flow JSON (the e2e builds this). */
export const pipeline = {
  nodes: [
    { id: 'audio1', type: 'audio.decode', position: { x: 0, y: 0 }, data: { params: {} } },
    { id: 'vad1', type: 'vad.silero', position: { x: 300, y: 0 }, data: { params: {} } },
    { id: 'whisper1', type: 'whisper.transcribe', position: { x: 600, y: 0 }, data: { params: { model: 'tiny.en', language: 'en' } } },
    { id: 'export1', type: 'export.subtitles', position: { x: 900, y: 0 }, data: { params: { format: 'srt' }, preset: 'p-1' } }
  ],
  edges: [
    { id: 'e1', source: 'audio1', sourceHandle: 'audio', target: 'vad1', targetHandle: 'audio' },
    { id: 'e2', source: 'audio1', sourceHandle: 'audio', target: 'whisper1', targetHandle: 'audio' },
    { id: 'e3', source: 'vad1', sourceHandle: 'speech_regions', target: 'whisper1', targetHandle: 'speech_regions' },
    { id: 'e4', source: 'whisper1', sourceHandle: 'transcript', target: 'export1', targetHandle: 'transcript' }
  ]
}
