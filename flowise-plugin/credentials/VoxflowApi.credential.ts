import type { INodeCredential, INodeParams } from '../src/flowise-types'

/** Where Voxflow runs and the tenant API key (`vf_…`) the nodes call it with. */
class VoxflowApi implements INodeCredential {
    label = 'Voxflow API'
    name = 'voxflowApi'
    version = 1.0
    description = 'A Voxflow server and a tenant API key (create one with POST /v1/api-keys)'
    inputs: INodeParams[] = [
        {
            label: 'Base URL',
            name: 'baseUrl',
            type: 'string',
            default: 'http://127.0.0.1:8080',
            placeholder: 'http://127.0.0.1:8080'
        },
        {
            label: 'API Key',
            name: 'apiKey',
            type: 'password',
            placeholder: 'vf_…'
        }
    ]
}

export { VoxflowApi as credClass }
