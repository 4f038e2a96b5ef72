// Live validation: the canvas as React Flow JSON to POST /v1/graphs/validate; each problem
// pinned to the node or edge its `field` names (`nodes/<id>/…`, `edges/<id>/…`).
import type { Edge, Node } from '@xyflow/react'
import { client } from './api'
import type { SpeechNodeData } from './SpeechNode'

export type Pinned = { field: string; message: string; node?: string; edge?: string }

export function toGraph(nodes: Node[], edges: Edge[]) {
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      type: (n.data as SpeechNodeData).manifest.kind,
      position: n.position,
      data: { params: (n.data as SpeechNodeData).params ?? {} }
    })),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourceHandle: e.sourceHandle,
      target: e.target,
      targetHandle: e.targetHandle
    }))
  }
}

export function pin(field: string, message: string): Pinned {
  const [collection, id] = field.split('/')
  return {
    field,
    message,
    node: collection === 'nodes' ? id : undefined,
    edge: collection === 'edges' ? id : undefined
  }
}

/** The graph's problems (none when it is valid); a failed request is one unpinned problem. */
export async function validate(nodes: Node[], edges: Edge[]): Promise<Pinned[]> {
  if (nodes.length === 0) return []
  const { data, error, response } = await client.POST('/v1/graphs/validate', { body: toGraph(nodes, edges) as never }) // the spec types this body as a free-form object
  if (data) return []
  const problem = error as { title?: string; detail?: string; errors?: Array<{ field: string; message: string }> } | undefined
  if (response.status === 422 && problem?.errors) return problem.errors.map((e) => pin(e.field, e.message))
  return [{ field: '', message: `${problem?.title ?? response.statusText}${problem?.detail ? `: ${problem.detail}` : ''}` }]
}
