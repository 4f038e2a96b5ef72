import type { ICommonObject, INode, INodeData, INodeParams } from '../../src/flowise-types'
import { chatAudioUpload, credentialParam, readUpload, userMessage, voxflowFor, withProgress, AUTHOR } from '../../src/flowise'
import { transcribe } from '../../src/transcribe'
import { TRANSCRIBE_PARAMS, transcribeLoadMethods, transcribeRequest } from '../../src/transcribe-inputs'
import { audioArgument, DEFAULT_DESCRIPTION, TOOL_NAME } from './core'

class VoxflowTranscribeTool implements INode {
    label = 'Voxflow Transcribe Audio'
    name = 'voxflowTranscribeTool'
    version = 1.0
    type = 'VoxflowTranscribeTool'
    icon = 'voxflow.svg'
    category = 'Tools'
    author = AUTHOR
    description = 'Tool "Transcribe audio" for agents: Voxflow transcribes an audio URL, file id or chat upload'
    baseClasses = ['VoxflowTranscribeTool', 'DynamicTool', 'Tool', 'StructuredTool', 'Runnable']
    credential: INodeParams = credentialParam
    inputs: INodeParams[] = [
        { label: 'Tool description', name: 'toolDescription', type: 'string', rows: 3, default: DEFAULT_DESCRIPTION, optional: true, additionalParams: true },
        ...TRANSCRIBE_PARAMS
    ]
    loadMethods = transcribeLoadMethods

    async init(nodeData: INodeData, _input?: string, options?: ICommonObject): Promise<any> {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { DynamicTool } = require('@langchain/core/tools')
        const inputs = nodeData.inputs ?? {}
        const upload = chatAudioUpload(options)
        return new DynamicTool({
            name: TOOL_NAME,
            description: inputs.toolDescription || DEFAULT_DESCRIPTION,
            func: async (arg: string) => {
                try {
                    const vf = await voxflowFor(nodeData, options)
                    const req = { ...transcribeRequest(inputs, audioArgument(arg)), upload }
                    // Custom progress events only: an agent's own reasoning owns the thinking card.
                    const r = await withProgress(
                        options,
                        (onProgress) => transcribe(vf, req, (u) => readUpload(u, options), { timeoutMs: Number(inputs.timeoutS ?? 3600) * 1000, onProgress }),
                        { thinking: false }
                    )
                    return r.text || '(no speech found)'
                } catch (e) {
                    // The agent reads this and can tell the user; it is never dropped.
                    return `Error: ${userMessage(e)}`
                }
            }
        })
    }
}

export { VoxflowTranscribeTool as nodeClass }
