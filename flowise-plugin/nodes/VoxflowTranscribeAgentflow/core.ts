/** What the Agentflow v2 node returns: Flowise's `{ id, name, input, output: { content }, state }`. */
import type { JobResult } from '../../src/jobs'

export function agentflowOutput(nodeId: string, name: string, audio: string, r: JobResult, state: unknown) {
    return {
        id: nodeId,
        name,
        input: { audio },
        output: { content: r.text, job_id: r.job.id, language: r.transcript?.language, duration: r.transcript?.duration },
        state
    }
}
