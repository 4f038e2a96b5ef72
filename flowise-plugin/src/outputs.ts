/**
 * The outputs shared by the nodes that return a job's result (Run, Workflow, Job Status):
 * the transcript as text, as LangChain documents (for RAG flows), or as the flow's answer
 * (Flowise's `EndingNode` output: the node then ends the flow and `run()` answers the chat).
 */
import type { ICommonObject, INodeData, INodeOutputsValue } from './flowise-types'
import { documentsOf } from './flowise'
import type { JobResult } from './jobs'

export const RESULT_OUTPUTS: INodeOutputsValue[] = [
    { label: 'Transcript text', name: 'text', baseClasses: ['string', 'json'] },
    { label: 'Transcript documents', name: 'documents', baseClasses: ['Document'] },
    { label: 'Ending Node', name: 'EndingNode', baseClasses: ['VoxflowJobResult'] }
]

export function isEndingNode(nodeData: INodeData): boolean {
    return nodeData.outputs?.output === 'EndingNode'
}

/** Flowise calls `init()` on an ending node while building the flow and then `run()`: do the
 *  work once, in `run()` (which passes `isRun`). */
export function skipInit(nodeData: INodeData, options?: ICommonObject): boolean {
    return isEndingNode(nodeData) && !options?.isRun
}

/** What the selected output returns. A string result (a status line) is returned as is. */
export function deliver(nodeData: INodeData, result: JobResult | string): any {
    if (typeof result === 'string') return isEndingNode(nodeData) ? { text: result } : result
    const output = nodeData.outputs?.output ?? 'text'
    if (output === 'documents') return documentsOf(result)
    if (output === 'EndingNode') {
        return {
            text: result.text,
            json: { job_id: result.job.id, status: result.job.status, transcript: result.transcript, artifacts: result.artifacts },
            sourceDocuments: documentsOf(result)
        }
    }
    return result.text
}
