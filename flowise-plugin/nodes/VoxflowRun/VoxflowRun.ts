import type { ICommonObject, INode, INodeData, INodeOutputsValue, INodeParams } from '../../src/flowise-types'
import { AUTHOR, CATEGORY, credentialParam, readUpload, withProgress, rethrow, voxflowFor } from '../../src/flowise'
import { deliver, RESULT_OUTPUTS, skipInit } from '../../src/outputs'
import { composedGraph, runGraph, runParams } from './core'

class VoxflowRun implements INode {
    label = 'Voxflow Run'
    name = 'voxflowRun'
    version = 1.0
    type = 'VoxflowJobResult'
    icon = 'voxflow.svg'
    category = CATEGORY
    author = AUTHOR
    description = 'Submit the graph built by the connected Voxflow nodes as a job, wait for it and return the transcript (text, documents, or as the answer)'
    baseClasses = ['VoxflowJobResult']
    credential: INodeParams = credentialParam
    inputs: INodeParams[] = [
        { label: 'Voxflow graph', name: 'graph', type: 'VoxflowGraph', list: true, description: 'The last node(s) of the graph, e.g. Whisper or Export subtitles' },
        {
            label: 'Wait with',
            name: 'transport',
            type: 'options',
            options: [
                { label: 'WebSocket (falls back to polling)', name: 'websocket' },
                { label: 'ETag polling', name: 'poll' }
            ],
            default: 'websocket',
            additionalParams: true
        },
        { label: 'Timeout (s)', name: 'timeoutS', type: 'number', default: 3600, step: 1, additionalParams: true, optional: true }
    ]
    outputs: INodeOutputsValue[] = RESULT_OUTPUTS

    async init(nodeData: INodeData, _input?: string, options?: ICommonObject): Promise<any> {
        if (skipInit(nodeData, options)) return undefined
        try {
            const fragment = composedGraph(nodeData.inputs?.graph)
            const params = runParams(nodeData.inputs ?? {})
            const vf = await voxflowFor(nodeData, options)
            const result = await withProgress(options, (onProgress) => runGraph(vf, fragment, params, (u) => readUpload(u, options), onProgress))
            return deliver(nodeData, result)
        } catch (e) {
            rethrow(e)
        }
    }

    async run(nodeData: INodeData, input: string, options?: ICommonObject): Promise<any> {
        return this.init(nodeData, input, { ...options, isRun: true })
    }
}

export { VoxflowRun as nodeClass }
