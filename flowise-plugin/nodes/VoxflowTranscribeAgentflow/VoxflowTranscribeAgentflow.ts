import type { ICommonObject, INode, INodeData, INodeParams } from '../../src/flowise-types'
import { AUTHOR, chatAudioUpload, credentialParam, readUpload, rethrow, voxflowFor, withProgress } from '../../src/flowise'
import { transcribe } from '../../src/transcribe'
import { TRANSCRIBE_PARAMS, transcribeLoadMethods, transcribeRequest } from '../../src/transcribe-inputs'
import { agentflowOutput } from './core'

class VoxflowTranscribeAgentflow implements INode {
    label = 'Voxflow Transcribe'
    name = 'voxflowTranscribeAgentflow'
    version = 1.0
    type = 'VoxflowTranscribe'
    icon = 'voxflow.svg'
    category = 'Agent Flows'
    author = AUTHOR
    color = '#7C4DFF'
    description = 'Transcribe an audio URL, Voxflow file id or chat upload with Voxflow; the transcript is this node\'s output'
    baseClasses = ['VoxflowTranscribe']
    credential: INodeParams = credentialParam
    inputs: INodeParams[] = [
        {
            label: 'Audio URL or file id',
            name: 'audio',
            type: 'string',
            acceptVariable: true,
            acceptNodeOutputAsVariable: true,
            optional: true,
            description: 'Empty: the audio file uploaded in the chat'
        } as INodeParams,
        ...TRANSCRIBE_PARAMS
    ]
    loadMethods = transcribeLoadMethods

    async run(nodeData: INodeData, _input: string, options: ICommonObject = {}): Promise<any> {
        try {
            const inputs = nodeData.inputs ?? {}
            const audio = String(inputs.audio ?? '').trim()
            const vf = await voxflowFor(nodeData, options)
            const streamable = options.isLastNode && options.sseStreamer
            const req = { ...transcribeRequest(inputs, audio), upload: chatAudioUpload(options) }
            const r = await withProgress(options, (onProgress) =>
                transcribe(vf, req, (u) => readUpload(u, options), { timeoutMs: Number(inputs.timeoutS ?? 3600) * 1000, onProgress })
            )
            if (streamable) options.sseStreamer.streamTokenEvent(options.chatId, r.text)
            return agentflowOutput(nodeData.id, this.name, audio, r, options.agentflowRuntime?.state)
        } catch (e) {
            rethrow(e)
        }
    }
}

export { VoxflowTranscribeAgentflow as nodeClass }
