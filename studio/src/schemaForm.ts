// A node's JSON Schema (`params_schema`, draft 2020-12 with `x-ui` hints) → the fields of its
// parameter form. Pure, so the mapping is unit-tested; ParamsForm.tsx only renders it.
export type Option = { value: string | number | boolean; label: string }
export type Field = {
  name: string
  label: string
  description?: string
  control: 'select' | 'checkbox' | 'number' | 'slider' | 'text' | 'textarea' | 'model' | 'json'
  /** The JSON type values are coerced to. */
  type: 'string' | 'number' | 'integer' | 'boolean' | 'json'
  nullable: boolean
  default?: unknown
  options?: Option[]
  min?: number
  max?: number
  step?: number | 'any'
  maxLength?: number
  advanced: boolean
}

type Prop = {
  type?: string | string[]
  enum?: unknown[]
  default?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  maxLength?: number
  description?: string
  title?: string
  'x-ui'?: { widget?: string; advanced?: boolean; step?: number; options?: Array<{ value: string; label: string }> }
}

const humanize = (name: string) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())

export function fieldsOf(schema: unknown): Field[] {
  const props = ((schema as { properties?: Record<string, Prop> })?.properties ?? {}) as Record<string, Prop>
  return Object.entries(props).map(([name, p]) => {
    const types = Array.isArray(p.type) ? p.type : p.type ? [p.type] : []
    const nullable = types.includes('null') || (p.enum?.includes(null) ?? false)
    const t = types.find((x) => x !== 'null')
    const ui = p['x-ui'] ?? {}
    const base = { name, label: p.title ?? humanize(name), description: p.description, nullable, default: p.default, advanced: ui.advanced ?? false }
    const enumValues = p.enum?.filter((v) => v !== null) as Array<string | number | boolean> | undefined
    if (enumValues) return { ...base, control: 'select', type: t === 'integer' || t === 'number' ? t : t === 'boolean' ? 'boolean' : 'string', options: enumValues.map((v) => ({ value: v, label: String(v) })) }
    if (ui.options) return { ...base, control: 'select', type: 'string', options: ui.options.map((o) => ({ value: o.value, label: o.label })) }
    if (t === 'boolean') return { ...base, control: 'checkbox', type: 'boolean' }
    if (t === 'number' || t === 'integer') {
      const min = p.minimum ?? p.exclusiveMinimum
      const max = p.maximum ?? p.exclusiveMaximum
      const slider = ui.widget === 'slider' && min !== undefined && max !== undefined
      return { ...base, control: slider ? 'slider' : 'number', type: t, min, max, step: ui.step ?? (t === 'integer' ? 1 : 'any') }
    }
    if (t === 'string') {
      const control = ui.widget === 'textarea' ? 'textarea' : ui.widget === 'model-select' ? 'model' : 'text'
      return { ...base, control, type: 'string', maxLength: p.maxLength }
    }
    return { ...base, control: 'json', type: 'json' }
  })
}

/** The value an input's text becomes in `params`; `undefined` removes the param (the
 *  server's default applies). A `json` field that does not parse is an Error. */
export function coerce(field: Field, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw
  if (raw === '') return undefined
  switch (field.type) {
    case 'number': case 'integer': {
      const n = Number(raw)
      return Number.isFinite(n) ? n : new Error(`${field.label}: not a number`)
    }
    case 'boolean': return raw === 'true'
    case 'json':
      try { return JSON.parse(raw) } catch { return new Error(`${field.label}: not JSON`) }
    default: {
      if (field.options) return field.options.find((o) => String(o.value) === raw)?.value ?? raw
      return raw
    }
  }
}

/** Client-side range check, so the form can flag a value before the server does. */
export function checkField(field: Field, value: unknown): string | null {
  if (value === undefined) return null
  if (value instanceof Error) return value.message
  if (typeof value === 'number') {
    if (field.min !== undefined && value < field.min) return `at least ${field.min}`
    if (field.max !== undefined && value > field.max) return `at most ${field.max}`
    if (field.type === 'integer' && !Number.isInteger(value)) return 'a whole number'
  }
  if (typeof value === 'string' && field.maxLength !== undefined && value.length > field.maxLength) return `at most ${field.maxLength} characters`
  return null
}

/** Params set in `params` that differ from what a preset sets: what the node overrides. */
export function overrides(params: Record<string, unknown>, preset: Record<string, unknown>): string[] {
  return Object.keys(params).filter((k) => JSON.stringify(params[k]) !== JSON.stringify(preset[k]))
}
