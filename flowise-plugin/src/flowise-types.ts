/**
 * The parts of Flowise's node contract (`flowise-components` `src/Interface.ts`) the plugin
 * uses, declared here so the package builds and tests without Flowise installed.
 */
export interface ICommonObject {
    [key: string]: any
}

export interface INodeOptionsValue {
    label: string
    name: string
    description?: string
}

export interface INodeOutputsValue {
    label: string
    name: string
    baseClasses: string[]
    description?: string
    hidden?: boolean
    isAnchor?: boolean
}

export interface INodeParams {
    label: string
    name: string
    type: string
    default?: any
    description?: string
    warning?: string
    options?: INodeOptionsValue[]
    credentialNames?: string[]
    optional?: boolean | ICommonObject
    step?: number
    rows?: number
    list?: boolean
    acceptVariable?: boolean
    placeholder?: string
    fileType?: string
    additionalParams?: boolean
    loadMethod?: string
    hidden?: boolean
    show?: ICommonObject
    hide?: ICommonObject
}

export interface INodeData {
    id: string
    label?: string
    name?: string
    inputs?: ICommonObject
    outputs?: ICommonObject
    credential?: string
    instance?: any
}

export interface INode {
    label: string
    name: string
    version: number
    type: string
    icon: string
    category: string
    baseClasses: string[]
    description?: string
    author?: string
    badge?: string
    tags?: string[]
    documentation?: string
    hideOutput?: boolean
    credential?: INodeParams
    inputs?: INodeParams[]
    outputs?: INodeOutputsValue[]
    loadMethods?: Record<string, (nodeData: INodeData, options?: ICommonObject) => Promise<INodeOptionsValue[]>>
    init?(nodeData: INodeData, input: string, options?: ICommonObject): Promise<any>
    run?(nodeData: INodeData, input: string, options?: ICommonObject): Promise<any>
}

export interface INodeCredential {
    label: string
    name: string
    version: number
    description?: string
    inputs?: INodeParams[]
}

export interface IServerSideEventStreamer {
    streamTokenEvent(chatId: string, data: string): void
    streamCustomEvent(chatId: string, eventType: string, data: any): void
}
