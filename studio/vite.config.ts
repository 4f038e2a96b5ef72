import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Served by `voxflow serve` under /studio (assets embedded in the binary).
export default defineConfig({
  base: '/studio/',
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 900 },
  // `npm run dev` / `vite preview` against a local `voxflow serve` (VOXFLOW_URL, default :8080).
  server: { proxy: { '/v1': process.env.VOXFLOW_URL ?? 'http://127.0.0.1:8080' } },
  preview: { proxy: { '/v1': process.env.VOXFLOW_URL ?? 'http://127.0.0.1:8080' } }
})
