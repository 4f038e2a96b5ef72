// The login page (and the app's header) wear the branding resolved for this host:
// GET /v1/branding/public needs no credential (docs/branding.md). Colours become CSS custom
// properties; the product name the title; the favicon the page's icon.
import { useEffect, useState } from 'react'
import type { Schemas } from './api'

export type Branding = Schemas['ResolvedBrandingView']

export const DEFAULT_BRANDING: Branding = {
  product_name: 'Voxflow', email_sender_name: 'Voxflow', powered_by: false, warnings: [], sources: {} as Branding['sources'],
  colors: { primary: '#4f46e5', secondary: '#0f172a', accent: '#06b6d4', background: '#ffffff', text: '#111827' }
}

let cached: Promise<Branding> | null = null
export function loadBranding(): Promise<Branding> {
  cached ??= fetch(`/v1/branding/public?host=${encodeURIComponent(location.hostname)}`)
    .then((r) => (r.ok ? (r.json() as Promise<Branding>) : DEFAULT_BRANDING))
    .catch(() => DEFAULT_BRANDING)
  return cached
}

export function applyBranding(b: Branding) {
  const s = document.documentElement.style
  for (const [k, v] of Object.entries(b.colors)) s.setProperty(`--vf-${k}`, v)
  document.title = `${b.product_name} Studio`
  if (b.favicon_url) {
    let link = document.querySelector<HTMLLinkElement>('link[rel=icon]')
    if (!link) { link = document.createElement('link'); link.rel = 'icon'; document.head.appendChild(link) }
    link.href = b.favicon_url
  }
}

export function useBranding(): Branding {
  const [b, setB] = useState<Branding>(DEFAULT_BRANDING)
  useEffect(() => { void loadBranding().then((x) => { applyBranding(x); setB(x) }) }, [])
  return b
}
