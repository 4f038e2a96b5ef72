/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Served by `voxflow serve` under /studio/ (dist/ is committed and embedded in the binary).
// `npm run dev` / `vite preview` proxy the API (and the /v1/ws WebSocket) to a local
// `voxflow serve` (VOXFLOW_URL, default :8080).
const target = process.env.VOXFLOW_URL ?? 'http://127.0.0.1:8080'
const proxy = { '/v1': { target, ws: true, changeOrigin: false } }
export default defineConfig({
  base: '/studio/',
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 900, reportCompressedSize: true },
  server: { proxy },
  preview: { proxy },
  test: { include: ['test/**/*.test.ts'], environment: 'node' }
})
