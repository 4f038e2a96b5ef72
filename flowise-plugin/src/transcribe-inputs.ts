/** Flowise inputs shared by the one-call "transcribe" nodes (agent tool and Agentflow node). */
import { SPEC as WHISPER } from '../nodes/VoxflowWhisperTranscribe/core'
import type { ICommonObject, INodeData, INodeParams } from './flowise-types'
import { listLanguages, listModels } from './flowise'
import type { TranscribeRequest } from './transcribe'

const whisperDefault = (name: string) => WHISPER.params.find((p) => p.name === name)?.default as string | undefined

export const TRANSCRIBE_PARAMS: INodeParams[] = [
    { label: 'Model', name: 'model', type: 'asyncOptions', loadMethod: 'listModels', default: whisperDefault('model'), optional: true },
    { label: 'Language', name: 'language', type: 'asyncOptions', loadMethod: 'listLanguages', default: whisperDefault('language'), optional: true },
    { label: 'Skip silence (VAD)', name: 'vad', type: 'boolean', default: true, optional: true },
    { label: 'Timeout (s)', name: 'timeoutS', type: 'number', default: 3600, optional: true, additionalParams: true }
]

export const transcribeLoadMethods = {
    listModels: (nodeData: INodeData, options?: ICommonObject) => listModels(WHISPER, nodeData, options),
    listLanguages: (nodeData: INodeData, options?: ICommonObject) => listLanguages(WHISPER.kind, nodeData, options)
}

export function transcribeRequest(inputs: ICommonObject, audio: string): TranscribeRequest {
    return {
        audio,
        model: inputs.model || undefined,
        language: inputs.language || undefined,
        vad: inputs.vad === undefined ? true : inputs.vad === true || inputs.vad === 'true'
    }
}
