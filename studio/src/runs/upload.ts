// Uploads with a progress bar: fetch cannot report upload progress, XMLHttpRequest can.
// POST /v1/files, multipart field `file`; a 401 refreshes the token once and retries.
import { freshToken, refresh, type Problem } from '../auth'
import type { Schemas } from '../api'

export type FileView = Schemas['FileView']

function once(file: File, token: string | null, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/v1/files')
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total) }
    xhr.onload = () => {
      let body: unknown = null
      try { body = JSON.parse(xhr.responseText) } catch { /* empty */ }
      resolve({ status: xhr.status, body })
    }
    xhr.onerror = () => reject(new Error('the upload failed (network)'))
    xhr.onabort = () => reject(new Error('the upload was cancelled'))
    signal?.addEventListener('abort', () => xhr.abort())
    const form = new FormData()
    form.append('file', file, file.name)
    xhr.send(form)
  })
}

export async function uploadFile(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<FileView> {
  let r = await once(file, await freshToken(), onProgress, signal)
  if (r.status === 401 && (await refresh())) r = await once(file, await freshToken(), onProgress, signal)
  if (r.status === 201 || r.status === 200) return r.body as FileView
  const p = r.body as Problem | null
  throw Object.assign(new Error(p?.title ?? `upload answered ${r.status}`), { problem: p ?? { type: 'about:blank', title: 'Upload failed', status: r.status, detail: `HTTP ${r.status}`, code: 'upload_failed' } })
}
