import { describe, expect, it } from 'vitest'
import { checkField, coerce, fieldsOf, overrides } from '../src/schemaForm'
import { manifests } from './helpers'

describe('schema → form fields', () => {
  const whisper = fieldsOf(manifests.get('whisper.transcribe')!.params_schema)
  const byName = (n: string) => whisper.find((f) => f.name === n)!

  it('maps every property to a control', () => {
    expect(byName('language')).toMatchObject({ control: 'select', type: 'string', default: 'auto' })
    expect(byName('language').options![0]).toEqual({ value: 'auto', label: 'Detect automatically' })
    expect(byName('beam_size')).toMatchObject({ control: 'number', type: 'integer', min: 1, max: 16, step: 1, advanced: true })
    expect(byName('initial_prompt')).toMatchObject({ control: 'textarea', nullable: true, maxLength: 4096 })
    expect(byName('keep_sound_annotations')).toMatchObject({ control: 'checkbox', type: 'boolean', default: false })
    expect(byName('model').control).toBe('model')
  })

  it('uses enums as selects and sliders where x-ui asks', () => {
    const subs = fieldsOf(manifests.get('export.subtitles')!.params_schema)
    expect(subs.find((f) => f.name === 'format')).toMatchObject({ control: 'select', options: expect.arrayContaining([{ value: 'vtt', label: 'vtt' }]) })
    const f = fieldsOf({ properties: { t: { type: 'number', minimum: 0, maximum: 1, 'x-ui': { widget: 'slider', step: 0.05 } }, n: { type: ['integer', 'null'], enum: [1, 2, null] }, o: { type: 'object' } } })
    expect(f[0]).toMatchObject({ control: 'slider', step: 0.05 })
    expect(f[1]).toMatchObject({ control: 'select', type: 'integer', nullable: true, options: [{ value: 1, label: '1' }, { value: 2, label: '2' }] })
    expect(f[2]).toMatchObject({ control: 'json' })
    expect(fieldsOf({})).toEqual([])
  })

  it('coerces input text and checks ranges', () => {
    const beam = byName('beam_size')
    expect(coerce(beam, '4')).toBe(4)
    expect(coerce(beam, '')).toBeUndefined()
    expect(coerce(beam, 'x')).toBeInstanceOf(Error)
    expect(checkField(beam, 99)).toBe('at most 16')
    expect(checkField(beam, 2.5)).toBe('a whole number')
    expect(checkField(beam, 3)).toBeNull()
    const n = fieldsOf({ properties: { n: { enum: [1, 2] , type: 'integer' } } })[0]
    expect(coerce(n, '2')).toBe(2)
    const j = fieldsOf({ properties: { o: { type: 'object' } } })[0]
    expect(coerce(j, '{"a":1}')).toEqual({ a: 1 })
  })

  it('lists what a node overrides of its preset', () => {
    expect(overrides({ format: 'vtt', max_line_length: 32 }, { format: 'vtt', max_line_length: 40 })).toEqual(['max_line_length'])
  })
})
