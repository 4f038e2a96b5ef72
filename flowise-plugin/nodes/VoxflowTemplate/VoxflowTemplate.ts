import type { ICommonObject, INode, INodeData, INodeOutputsValue, INodeParams } from '../../src/flowise-types'
import { AUTHOR, CATEGORY, chatAudioUpload, credentialParam, placeholderOption, readUpload, rethrow, voxflowFor, withProgress } from '../../src/flowise'
import { deliver, RESULT_OUTPUTS, skipInit } from '../../src/outputs'
import { runTemplate, templateOptions, versionOf } from './core'

class VoxflowTemplate implements INode {
    label = 'Voxflow Template'
    name = 'voxflowTemplate'
    version = 1.0
    type = 'VoxflowJobResult'
    icon = 'voxflow.svg'
    category = CATEGORY
    author = AUTHOR
    description = 'Run a Voxflow workflow template offered to your team (published by the platform or your provider) on an audio URL, file id or chat upload and return its transcript'
    baseClasses = ['VoxflowJobResult']
    credential: INodeParams = credentialParam
    inputs: INodeParams[] = [
        { label: 'Template', name: 'template', type: 'asyncOptions', loadMethod: 'listTemplates' },
        {
            label: 'Audio URL or file id',
            name: 'audio',
            type: 'string',
            acceptVariable: true,
            optional: true,
            description: 'Empty: the chat message if it is a URL, else an audio file uploaded in the chat'
        },
        {
            label: 'Version',
            name: 'templateVersion',
            type: 'number',
            step: 1,
            optional: true,
            additionalParams: true,
            description: 'A published version to run; empty: the newest published when the flow runs'
        },
        { label: 'Timeout (s)', name: 'timeoutS', type: 'number', default: 3600, optional: true, additionalParams: true }
    ]
    outputs: INodeOutputsValue[] = RESULT_OUTPUTS
    loadMethods = {
        listTemplates: async (nodeData: INodeData, options?: ICommonObject) => {
            try {
                const list = await templateOptions(await voxflowFor(nodeData, options))
                return list.length ? list : placeholderOption('Voxflow: no template is offered to this tenant yet')
            } catch (e) {
                return placeholderOption(e)
            }
        }
    }

    async init(nodeData: INodeData, input?: string, options?: ICommonObject): Promise<any> {
        if (skipInit(nodeData, options)) return undefined
        try {
            const vf = await voxflowFor(nodeData, options)
            let audio = String(nodeData.inputs?.audio ?? '')
            if (!audio.trim() && /^https?:\/\//i.test((input ?? '').trim())) audio = input!.trim()
            const version = versionOf(nodeData.inputs?.templateVersion)
            const result = await withProgress(options, (onProgress) =>
                runTemplate(vf, String(nodeData.inputs?.template ?? ''), version, audio, chatAudioUpload(options), (u) => readUpload(u, options), {
                    timeoutMs: Number(nodeData.inputs?.timeoutS ?? 3600) * 1000,
                    onProgress
                })
            )
            return deliver(nodeData, result)
        } catch (e) {
            rethrow(e)
        }
    }

    async run(nodeData: INodeData, input: string, options?: ICommonObject): Promise<any> {
        return this.init(nodeData, input, { ...options, isRun: true })
    }
}

export { VoxflowTemplate as nodeClass }
