import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const API_TARGET = process.env.ARBOR_DEV_API ?? 'http://localhost:8787'

// The client is served from the repo root (index.html → client/main.tsx) and built to dist/, which
// the server serves in production. In dev, the API and the board sockets go to the server.
export default defineConfig({
	plugins: [react()],
	build: {
		outDir: 'dist',
		emptyOutDir: true,
		sourcemap: true,
		chunkSizeWarningLimit: 2500,
	},
	server: {
		proxy: {
			'/api': { target: API_TARGET, changeOrigin: true },
			'/yjs': { target: API_TARGET, ws: true, changeOrigin: true },
		},
	},
})
