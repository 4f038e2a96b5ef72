// The parameter form of one node, generated from its JSON Schema (`params_schema`): a field
// per property — enums as selects, booleans as checkboxes, numbers with their ranges — with
// the schema's defaults as placeholders. Only values the user sets are sent.
import type { NodeManifest } from './api'

type Prop = {
  type?: string | string[]
  enum?: unknown[]
  default?: unknown
  minimum?: number
  maximum?: number
  description?: string
  title?: string
}

export function ParamsForm({
  manifest,
  params,
  onChange
}: {
  manifest: NodeManifest
  params: Record<string, unknown>
  onChange: (params: Record<string, unknown>) => void
}) {
  const schema = manifest.params_schema as { properties?: Record<string, Prop> }
  const props = Object.entries(schema.properties ?? {})
  const set = (name: string, value: unknown) => {
    const next = { ...params }
    if (value === '' || value === undefined) delete next[name]
    else next[name] = value
    onChange(next)
  }
  if (props.length === 0) return <p>{manifest.label} has no parameters.</p>
  return (
    <form onSubmit={(e) => e.preventDefault()} style={{ display: 'grid', gap: 6 }}>
      <h3>{manifest.label}</h3>
      {props.map(([name, p]) => {
        const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type
        const id = `param-${name}`
        const label = <label htmlFor={id} title={p.description}>{p.title ?? name}</label>
        if (p.enum) {
          return (
            <div key={name}>
              {label}{' '}
              <select id={id} value={String(params[name] ?? '')} onChange={(e) => set(name, e.target.value === '' ? undefined : p.enum!.find((v) => String(v) === e.target.value))}>
                <option value="">default ({String(p.default ?? '—')})</option>
                {p.enum.map((v) => <option key={String(v)} value={String(v)}>{String(v)}</option>)}
              </select>
            </div>
          )
        }
        if (type === 'boolean') {
          return (
            <div key={name}>
              <input id={id} type="checkbox" checked={Boolean(params[name] ?? p.default)} onChange={(e) => set(name, e.target.checked)} /> {label}
            </div>
          )
        }
        if (type === 'number' || type === 'integer') {
          return (
            <div key={name}>
              {label}{' '}
              <input id={id} type="number" step={type === 'integer' ? 1 : 'any'} min={p.minimum} max={p.maximum}
                placeholder={p.default === undefined ? '' : String(p.default)}
                value={params[name] === undefined ? '' : String(params[name])}
                onChange={(e) => set(name, e.target.value === '' ? undefined : Number(e.target.value))} />
            </div>
          )
        }
        if (type === 'string') {
          return (
            <div key={name}>
              {label}{' '}
              <input id={id} placeholder={p.default === undefined ? '' : String(p.default)}
                value={String(params[name] ?? '')} onChange={(e) => set(name, e.target.value)} />
            </div>
          )
        }
        return <p key={name}><code>{name}</code>: edit as JSON in a later version</p>
      })}
    </form>
  )
}
