import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Served by `voxflow serve` under /studio (assets embedded in the binary).
export default defineConfig({
  base: '/studio/',
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 900 }
})
