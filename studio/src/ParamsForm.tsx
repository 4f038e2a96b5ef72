// The parameter form of one node, rendered from `fieldsOf(params_schema)` (schemaForm.ts):
// enums and `x-ui.options` as selects, booleans, numbers and sliders with their ranges,
// text and textareas, Whisper models from GET /v1/models; defaults as placeholders; only
// values the user sets are sent. `x-ui.advanced` fields fold away. Presets of the kind
// (GET /v1/presets?kind=…) can be chosen; the node's own params then override them.
import { memo, useEffect, useMemo, useState } from 'react'
import { client } from './api'
import type { NodeManifest } from './graph'
import { checkField, coerce, fieldsOf, type Field } from './schemaForm'

type Preset = { id: string; name: string; params: Record<string, unknown>; description?: string | null }
const presetCache = new Map<string, Promise<Preset[]>>()
function presetsOf(kind: string): Promise<Preset[]> {
  let p = presetCache.get(kind)
  if (!p) {
    p = client.GET('/v1/presets', { params: { query: { kind, limit: 100 } } }).then(({ data }) => (data?.items ?? []) as Preset[], () => [])
    presetCache.set(kind, p)
  }
  return p
}
let modelsPromise: Promise<string[]> | null = null
const models = () => (modelsPromise ??= client.GET('/v1/models').then(({ data }) => (data?.data ?? []).map((m) => m.id), () => []))

function FieldInput({ field, value, inherited, disabled, onChange }: { field: Field; value: unknown; inherited: unknown; disabled: boolean; onChange: (v: unknown) => void }) {
  const id = `param-${field.name}`
  const fallback = inherited !== undefined ? inherited : field.default
  const placeholder = fallback === undefined || fallback === null ? '' : String(fallback)
  const [text, setText] = useState<string | null>(null)
  const shown = text ?? (value === undefined ? '' : field.control === 'json' ? JSON.stringify(value) : String(value))
  const problem = checkField(field, text !== null ? coerce(field, text) : value)
  const describedBy = `${id}-help`
  const common = { id, disabled, 'aria-describedby': describedBy, 'aria-invalid': problem ? true : undefined }
  let input
  switch (field.control) {
    case 'select':
      input = (
        <select {...common} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(coerce(field, e.target.value))}>
          <option value="">default ({placeholder || '—'})</option>
          {field.options!.map((o) => <option key={String(o.value)} value={String(o.value)}>{o.label}</option>)}
        </select>
      )
      break
    case 'checkbox':
      input = <input {...common} type="checkbox" checked={Boolean(value ?? fallback)} onChange={(e) => onChange(e.target.checked)} />
      break
    case 'slider':
      input = (
        <span className="slider">
          <input {...common} type="range" min={field.min} max={field.max} step={field.step} value={Number(value ?? fallback ?? field.min)} onChange={(e) => onChange(Number(e.target.value))} />
          <output htmlFor={id}>{String(value ?? fallback ?? '')}</output>
          {value !== undefined && <button type="button" className="link" onClick={() => onChange(undefined)} aria-label={`Reset ${field.label}`}>reset</button>}
        </span>
      )
      break
    case 'textarea':
      input = <textarea {...common} rows={3} maxLength={field.maxLength} placeholder={placeholder} value={shown} onChange={(e) => onChange(coerce(field, e.target.value))} />
      break
    case 'number':
    case 'json':
      input = (
        <input {...common} type={field.control === 'number' ? 'number' : 'text'} min={field.min} max={field.max} step={field.step} placeholder={placeholder} value={shown}
          onChange={(e) => { setText(e.target.value); const v = coerce(field, e.target.value); if (!(v instanceof Error)) onChange(v) }}
          onBlur={() => setText(null)} />
      )
      break
    case 'model':
      input = <input {...common} list="vf-models" placeholder={placeholder} value={shown} onChange={(e) => onChange(coerce(field, e.target.value))} />
      break
    default:
      input = <input {...common} maxLength={field.maxLength} placeholder={placeholder} value={shown} onChange={(e) => onChange(coerce(field, e.target.value))} />
  }
  return (
    <div className={`field field-${field.control}`}>
      <label htmlFor={id}>{field.label}</label>
      {input}
      <small id={describedBy} className={problem ? 'error' : 'help'}>{problem ?? field.description}</small>
    </div>
  )
}

function ParamsFormView({ manifest, nodeId, params, preset, disabled, onChange }: {
  manifest: NodeManifest
  nodeId: string
  params: Record<string, unknown>
  preset: string | null
  disabled: boolean
  onChange: (params: Record<string, unknown>, preset: string | null) => void
}) {
  const fields = useMemo(() => fieldsOf(manifest.params_schema), [manifest])
  const [presets, setPresets] = useState<Preset[]>([])
  const [modelList, setModelList] = useState<string[]>([])
  useEffect(() => {
    let live = true
    if (fields.length) void presetsOf(manifest.kind).then((p) => live && setPresets(p))
    if (fields.some((f) => f.control === 'model')) void models().then((m) => live && setModelList(m))
    return () => { live = false }
  }, [manifest.kind, fields])
  const chosen = presets.find((p) => p.id === preset)
  const set = (name: string, value: unknown) => {
    const next = { ...params }
    if (value === undefined) delete next[name]
    else next[name] = value
    onChange(next, preset)
  }
  const basic = fields.filter((f) => !f.advanced)
  const advanced = fields.filter((f) => f.advanced)
  const render = (f: Field) => <FieldInput key={`${nodeId}-${f.name}`} field={f} value={params[f.name]} inherited={chosen?.params[f.name]} disabled={disabled} onChange={(v) => set(f.name, v)} />
  return (
    <form onSubmit={(e) => e.preventDefault()} className="params" aria-label={`Parameters of ${nodeId}`}>
      <h3>{manifest.label} <small>{nodeId}</small></h3>
      <p className="help">{manifest.description}</p>
      {fields.length === 0 && <p>{manifest.label} has no parameters.</p>}
      {(presets.length > 0 || preset) && (
        <div className="field">
          <label htmlFor="param-preset">Preset</label>
          <select id="param-preset" disabled={disabled} value={preset ?? ''} onChange={(e) => onChange(params, e.target.value || null)}>
            <option value="">No preset (only this node’s parameters)</option>
            {presets.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            {preset && !chosen && <option value={preset}>{preset}</option>}
          </select>
          <small className="help">{chosen ? `${chosen.description ?? ''} Sets ${Object.entries(chosen.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') || 'nothing'}; values set here override it.` : 'A preset’s values apply under this node’s own.'}</small>
        </div>
      )}
      {basic.map(render)}
      {advanced.length > 0 && (
        <details>
          <summary>Advanced ({advanced.length})</summary>
          {advanced.map(render)}
        </details>
      )}
      <datalist id="vf-models">{modelList.map((m) => <option key={m} value={m} />)}</datalist>
    </form>
  )
}

export const ParamsForm = memo(ParamsFormView)
